/**
 * χ(k) of an atomic configuration from kernel tables (GNXAS-style configurational average,
 * Filipponi 1995; design note §4): ⟨χ⟩ = (1/N_a) Σ_a [ Σ_j γ2(d_aj) + Σ_{connected {j,l}} γ3(a; j, l) ],
 * γ2 = single scattering + double return, γ3 = D, T1, T2, T3 paths of the triangle. All absorbers
 * enter the two-body sum; the three-body sum may use a seeded sample of absorbers, whose standard
 * error is estimated from 8 interleaved sub-samples. Pair distances are pre-binned at 0.0005 Å
 * with the in-bin mean (phase-averaging error ≤ 2q²·(0.0005²/12) ≈ 2e-5 at q = 20 Å⁻¹); every
 * triangle is interpolated and deposited with its exact path lengths.
 */
import { XasInputError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Atoms } from '../../structure/atoms.js';
import type { TriangleRole } from '../kernels/geometry.js';
import { findPairTable, findTriangleTable, type KernelSet } from '../kernels/table.js';
import { Depositor, pairRangeError, triangleRangeError } from './deposit.js';
import { enumerateNeighbourhoods } from './neighbourhoods.js';
import { type ChiSettings, resolveSettings } from './settings.js';
import { makeSignalContext, SignalBins } from './signal-bins.js';

export interface ConfigurationChiOptions extends ChiSettings {
  /** Periodic box (minimum images) instead of an isolated cluster (default false). */
  periodic?: boolean;
  /** Absorber atom indices; default: atom 0 for clusters, every atom of the absorber element for boxes. */
  absorbers?: number[];
  /** Include the three-body term (default true). */
  threeBody?: boolean;
  /** Number of absorbers sampled for the three-body term (default: all, at most 256). */
  tripletSample?: number;
  /** Seed of the absorber sample (default 1). */
  seed?: number;
}

export interface ConfigurationChi {
  k: Float64Array;
  chi: Float64Array;
  chi2body: Float64Array;
  chi3body: Float64Array;
  /** Standard error of chi3body from sampling absorbers (0 when all absorbers are used). */
  chi3bodyStdErr: Float64Array;
  info: {
    absorber: string;
    kernels: string;
    s02: number;
    deltaEEv: number;
    periodic: boolean;
    pairAbsorbers: number;
    tripletAbsorbers: number;
    seed: number;
    pairCutoff: number;
    triangleCutoff: number;
    reffMax: number | null;
    pairs: number;
    trianglesVertex: number;
    trianglesEnd: number;
  };
}

const PAIR_BIN = 0.0005;
const GROUPS = 8;

/** Absorber indices: given ones checked, or the defaults described in ConfigurationChiOptions. */
export function resolveAbsorbers(
  atoms: Atoms,
  kernels: KernelSet,
  periodic: boolean,
  given?: number[],
): number[] {
  const n = atoms.species.length;
  const absorbers =
    given ??
    (periodic ? [...atoms.species.keys()].filter((i) => atoms.species[i] === kernels.absorber) : [0]);
  if (absorbers.length === 0)
    throw new XasInputError(`no ${kernels.absorber} atom to use as absorber`, { field: 'absorbers' });
  for (const a of absorbers) {
    if (!Number.isInteger(a) || a < 0 || a >= n) {
      throw new XasInputError(`absorber index ${a}`, {
        field: 'absorbers',
        expected: `an atom index in 0–${n - 1}`,
      });
    }
    if (atoms.species[a] !== kernels.absorber) {
      throw new XasInputError(`absorber atom ${a} is ${atoms.species[a]}`, {
        field: 'absorbers',
        expected: `${kernels.absorber} atoms (kernels in ${kernels.source})`,
      });
    }
  }
  return absorbers;
}

export function chiOfConfiguration(
  atoms: Atoms,
  kernels: KernelSet,
  opts: ConfigurationChiOptions = {},
): ConfigurationChi {
  const set = resolveSettings(kernels, opts, new Set(atoms.species));
  const periodic = opts.periodic ?? false;
  const seed = opts.seed ?? 1;
  const absorbers = resolveAbsorbers(atoms, kernels, periodic, opts.absorbers);
  const threeBody = opts.threeBody ?? true;
  const sampleSize = threeBody ? Math.min(absorbers.length, opts.tripletSample ?? 256) : 0;
  if (!Number.isInteger(sampleSize) || sampleSize < 0 || (threeBody && sampleSize === 0)) {
    throw new XasInputError(`triplet sample ${opts.tripletSample}`, {
      field: 'tripletSample',
      expected: 'a positive integer',
    });
  }
  let triplets = absorbers.slice();
  if (sampleSize < absorbers.length) triplets = new Rng(seed).shuffle(triplets.slice()).slice(0, sampleSize);
  const nGroups = Math.max(1, Math.min(GROUPS, triplets.length));
  const groupOf = new Map<number, number>(triplets.map((a, i) => [a, i % nGroups]));
  const groupSize = new Float64Array(nGroups);
  for (let i = 0; i < triplets.length; i++) groupSize[i % nGroups]++;
  const ctx = makeSignalContext(kernels);
  const dep = new Depositor(set.reffMax);
  const rc = set.triangleCutoff;
  const groups = Array.from({ length: nGroups }, () => new SignalBins(ctx, 3 * rc + 0.1));

  // two-body: fine pair-distance bins per scatterer species
  const nFine = Math.ceil(set.pairCutoff / PAIR_BIN) + 2;
  const pairBins = new Map<string, { count: Float64Array; sumR: Float64Array }>();
  let pairCount = 0;
  const counts = { V: 0, E: 0 };
  enumerateNeighbourhoods(
    atoms,
    {
      periodic,
      pairAbsorbers: absorbers,
      tripletAbsorbers: triplets,
      pairCutoff: set.pairCutoff,
      triangleCutoff: rc,
    },
    {
      pair(a, j, r) {
        const s = atoms.species[j];
        const t = findPairTable(kernels, s)!;
        if (r < t.r.start) {
          throw pairRangeError(t, `atoms ${a} and ${j} ${r.toFixed(4)} Å apart`, kernels.source);
        }
        let b = pairBins.get(s);
        if (!b) {
          b = { count: new Float64Array(nFine), sumR: new Float64Array(nFine) };
          pairBins.set(s, b);
        }
        const i = Math.floor(r / PAIR_BIN);
        b.count[i]++;
        b.sumR[i] += r;
        pairCount++;
      },
      triangle(a, role: TriangleRole, j, l, r1, r2, phi, third) {
        const sj = atoms.species[j];
        const sl = atoms.species[l];
        const t = findTriangleTable(kernels, role, sj, sl);
        if (!t)
          throw new XasInputError(`no ${role} kernel table for ${kernels.absorber}–${sj}–${sl} triangles`, {
            file: kernels.source,
          });
        const g = groupOf.get(a)!;
        const sides = role === 'V' ? { d0j: r1, d0l: r2, djl: third } : { d0j: r1, d0l: third, djl: r2 };
        if (!dep.triangle(groups[g], t, r1, r2, phi, sides, 1 / groupSize[g])) {
          const what =
            role === 'V'
              ? `triangle of atoms ${a}, ${j}, ${l} (d(${a},${j}) = ${r1.toFixed(3)} Å, d(${a},${l}) = ${r2.toFixed(3)} Å, angle at ${a} ${phi.toFixed(2)}°)`
              : `triangle of atoms ${a}, ${j}, ${l} (d(${a},${j}) = ${r1.toFixed(3)} Å, d(${j},${l}) = ${r2.toFixed(3)} Å, angle at ${j} ${phi.toFixed(2)}°)`;
          throw triangleRangeError(t, what, kernels.source);
        }
        counts[role]++;
      },
    },
  );
  const two = new SignalBins(ctx, 2 * set.pairCutoff + 0.1);
  for (const [s, b] of pairBins) {
    const t = findPairTable(kernels, s)!;
    for (let i = 0; i < nFine; i++) {
      if (b.count[i] === 0) continue;
      const r = b.sumR[i] / b.count[i];
      dep.pair(two, t, r, b.count[i] / absorbers.length);
    }
  }
  const chi2 = two.render(set.kGrid, set.s02, set.deltaEEv);
  const { mean: chi3, stdErr } = combineGroups(groups, groupSize, set, triplets.length, absorbers.length);
  return {
    k: Float64Array.from(set.kGrid),
    chi: Float64Array.from(chi2, (v, i) => v + chi3[i]),
    chi2body: chi2,
    chi3body: chi3,
    chi3bodyStdErr: stdErr,
    info: {
      absorber: kernels.absorber,
      kernels: kernels.source,
      s02: set.s02,
      deltaEEv: set.deltaEEv,
      periodic,
      pairAbsorbers: absorbers.length,
      tripletAbsorbers: triplets.length,
      seed,
      pairCutoff: set.pairCutoff,
      triangleCutoff: rc,
      reffMax: Number.isFinite(set.reffMax) ? set.reffMax : null,
      pairs: pairCount,
      trianglesVertex: counts.V,
      trianglesEnd: counts.E,
    },
  };
}

/** Mean of the sub-sample averages and its standard error (with the finite-population factor). */
function combineGroups(
  groups: SignalBins[],
  sizes: Float64Array,
  set: { kGrid: Float64Array; s02: number; deltaEEv: number },
  sampled: number,
  population: number,
): { mean: Float64Array; stdErr: Float64Array } {
  const nk = set.kGrid.length;
  const mean = new Float64Array(nk);
  const stdErr = new Float64Array(nk);
  if (sampled === 0) return { mean, stdErr };
  const parts = groups.map((g) => g.render(set.kGrid, set.s02, set.deltaEEv));
  parts.forEach((p, gi) => {
    for (let i = 0; i < nk; i++) mean[i] += (p[i] * sizes[gi]) / sampled;
  });
  const G = parts.length;
  if (G > 1 && sampled < population) {
    const fpc = 1 - sampled / population;
    for (let i = 0; i < nk; i++) {
      let s = 0;
      for (const p of parts) s += (p[i] - mean[i]) ** 2;
      stdErr[i] = Math.sqrt((s / (G * (G - 1))) * fpc);
    }
  }
  return { mean, stdErr };
}
