/**
 * The histogram route of the configurational average (GNXAS: ∫4πr²ρ g2 γ2 dr + ∫ 8π²r1²r2² sinφ ρ²
 * g3 γ3): distance and triangle histograms per absorber, built from configurations (sparse, bin
 * centres) or given by the user, and χ(k) from them with the path signal of each bin evaluated at
 * its centre. Counts are per absorber; triangles are counted once per absorber (unordered {j, l},
 * roles V and E as in ./neighbourhoods.ts), so no factor ½ is needed.
 */
import { XasInputError } from '../../core/errors.js';
import type { Atoms } from '../../structure/atoms.js';
import { type TriangleRole, triangleSides } from '../kernels/geometry.js';
import { findPairTable, findTriangleTable, type KernelSet } from '../kernels/table.js';
import { resolveAbsorbers } from './chi-config.js';
import { Depositor, pairRangeError, triangleRangeError } from './deposit.js';
import { enumerateNeighbourhoods } from './neighbourhoods.js';
import { type ChiSettings, resolveSettings } from './settings.js';
import { makeSignalContext, SignalBins } from './signal-bins.js';

export interface PairHistogram {
  scatterer: string;
  /** Bin centres (Å). */
  rAngstrom: Float64Array;
  /** Pairs per absorber in each bin (= 4πr²ρ·g(r)·Δr for an RDF). */
  countPerAbsorber: Float64Array;
}

export interface TriangleHistogram {
  role: TriangleRole;
  scatterers: [string, string];
  /** Occupied bins: centres of r1 (d_aj), r2 (d_al for V, d_jl for E) in Å and φ in degrees. */
  r1: Float64Array;
  r2: Float64Array;
  phiDeg: Float64Array;
  countPerAbsorber: Float64Array;
}

export interface NeighbourhoodHistograms {
  pairs: PairHistogram[];
  triangles: TriangleHistogram[];
  pairBin: number;
  triangleRBin: number;
  triangleAngleBin: number;
  pairCutoff: number;
  triangleCutoff: number;
  absorbers: number;
}

export interface HistogramOptions {
  periodic?: boolean;
  absorbers?: number[];
  pairCutoff?: number;
  triangleCutoff?: number;
  /** Bin widths: pair distance (Å, default 0.005), triangle sides (Å, 0.01), angle (°, 0.5). */
  pairBin?: number;
  triangleRBin?: number;
  triangleAngleBin?: number;
}

/** Pairs per absorber from an RDF: 4πr²ρ g(r) Δr (ρ in Å⁻³, uniform r grid). */
export function pairCountsFromRdf(
  rAngstrom: Float64Array,
  g: Float64Array,
  densityPerA3: number,
): Float64Array {
  if (rAngstrom.length !== g.length || rAngstrom.length < 2)
    throw new XasInputError('r and g(r) must have equal length ≥ 2');
  const dr = rAngstrom[1] - rAngstrom[0];
  return Float64Array.from(g, (v, i) => 4 * Math.PI * rAngstrom[i] ** 2 * densityPerA3 * v * dr);
}

export function neighbourhoodHistograms(
  atoms: Atoms,
  kernels: KernelSet,
  opts: HistogramOptions = {},
): NeighbourhoodHistograms {
  const periodic = opts.periodic ?? false;
  const pairCutoff = opts.pairCutoff ?? 6;
  const rc = opts.triangleCutoff ?? kernels.defaultTriangleCutoff;
  const dp = opts.pairBin ?? 0.005;
  const dr = opts.triangleRBin ?? 0.01;
  const da = opts.triangleAngleBin ?? 0.5;
  for (const [name, v] of Object.entries({ pairBin: dp, triangleRBin: dr, triangleAngleBin: da })) {
    if (!(v > 0))
      throw new XasInputError(`${name} = ${v}`, { field: name, expected: 'a positive bin width' });
  }
  const absorbers = resolveAbsorbers(atoms, kernels, periodic, opts.absorbers);
  const pairMap = new Map<string, Map<number, number>>();
  const triMap = new Map<string, Map<string, number>>();
  const w = 1 / absorbers.length;
  enumerateNeighbourhoods(
    atoms,
    { periodic, pairAbsorbers: absorbers, tripletAbsorbers: absorbers, pairCutoff, triangleCutoff: rc },
    {
      pair(_a, j, r) {
        const s = atoms.species[j];
        let m = pairMap.get(s);
        if (!m) pairMap.set(s, (m = new Map()));
        const i = Math.floor(r / dp);
        m.set(i, (m.get(i) ?? 0) + w);
      },
      triangle(_a, role, j, l, r1, r2, phi) {
        const key = `${role}|${atoms.species[j]}|${atoms.species[l]}`;
        let m = triMap.get(key);
        if (!m) triMap.set(key, (m = new Map()));
        const bin = `${Math.floor(r1 / dr)},${Math.floor(r2 / dr)},${Math.floor(phi / da)}`;
        m.set(bin, (m.get(bin) ?? 0) + w);
      },
    },
  );
  const pairs: PairHistogram[] = [...pairMap].map(([scatterer, m]) => {
    const bins = [...m.keys()].sort((a, b) => a - b);
    return {
      scatterer,
      rAngstrom: Float64Array.from(bins, (i) => (i + 0.5) * dp),
      countPerAbsorber: Float64Array.from(bins, (i) => m.get(i)!),
    };
  });
  const triangles: TriangleHistogram[] = [...triMap].map(([key, m]) => {
    const [role, sj, sl] = key.split('|');
    const entries = [...m].map(([b, c]) => [...b.split(',').map(Number), c]);
    return {
      role: role as TriangleRole,
      scatterers: [sj, sl],
      r1: Float64Array.from(entries, (e) => (e[0] + 0.5) * dr),
      r2: Float64Array.from(entries, (e) => (e[1] + 0.5) * dr),
      phiDeg: Float64Array.from(entries, (e) => Math.min((e[2] + 0.5) * da, 180)),
      countPerAbsorber: Float64Array.from(entries, (e) => e[3]),
    };
  });
  return {
    pairs,
    triangles,
    pairBin: dp,
    triangleRBin: dr,
    triangleAngleBin: da,
    pairCutoff,
    triangleCutoff: rc,
    absorbers: absorbers.length,
  };
}

/** χ(k), its two-body and three-body parts from histograms (counts per absorber at bin centres). */
export function chiFromHistograms(
  kernels: KernelSet,
  hist: Pick<NeighbourhoodHistograms, 'pairs' | 'triangles'>,
  opts: ChiSettings = {},
): { k: Float64Array; chi: Float64Array; chi2body: Float64Array; chi3body: Float64Array } {
  const species = new Set([
    ...hist.pairs.map((p) => p.scatterer),
    ...hist.triangles.flatMap((t) => t.scatterers),
  ]);
  const set = resolveSettings(kernels, opts, species);
  const ctx = makeSignalContext(kernels);
  const dep = new Depositor(set.reffMax);
  const maxPair = Math.max(0, ...hist.pairs.map((p) => p.rAngstrom[p.rAngstrom.length - 1] ?? 0));
  const two = new SignalBins(ctx, 2 * maxPair + 0.1);
  for (const p of hist.pairs) {
    const t = findPairTable(kernels, p.scatterer)!;
    if (p.rAngstrom.length !== p.countPerAbsorber.length)
      throw new XasInputError('pair histogram arrays differ in length');
    p.rAngstrom.forEach((r, i) => {
      if (p.countPerAbsorber[i] === 0) return;
      if (!dep.pair(two, t, r, p.countPerAbsorber[i]))
        throw pairRangeError(t, `pair histogram bin at ${r} Å`, kernels.source);
    });
  }
  let maxTri = 0;
  for (const h of hist.triangles) {
    for (let i = 0; i < h.r1.length; i++) maxTri = Math.max(maxTri, 3 * Math.max(h.r1[i], h.r2[i]));
  }
  const three = new SignalBins(ctx, maxTri + 0.1);
  for (const h of hist.triangles) {
    const t = findTriangleTable(kernels, h.role, h.scatterers[0], h.scatterers[1]);
    if (!t)
      throw new XasInputError(`no ${h.role} kernel table for ${kernels.absorber}–${h.scatterers.join('–')}`, {
        file: kernels.source,
      });
    for (let i = 0; i < h.r1.length; i++) {
      if (h.countPerAbsorber[i] === 0) continue;
      const sides = triangleSides(h.role, h.r1[i], h.r2[i], h.phiDeg[i]);
      if (!dep.triangle(three, t, h.r1[i], h.r2[i], h.phiDeg[i], sides, h.countPerAbsorber[i])) {
        throw triangleRangeError(
          t,
          `triangle histogram bin (${h.r1[i]}, ${h.r2[i]}, ${h.phiDeg[i]}°)`,
          kernels.source,
        );
      }
    }
  }
  const chi2 = two.render(set.kGrid, set.s02, set.deltaEEv);
  const chi3 = three.render(set.kGrid, set.s02, set.deltaEEv);
  return {
    k: Float64Array.from(set.kGrid),
    chi: Float64Array.from(chi2, (v, i) => v + chi3[i]),
    chi2body: chi2,
    chi3body: chi3,
  };
}
