/**
 * Settings shared by the χ(k) routes (per-atom and histogram): output grid, S0², ΔE, cutoffs,
 * checked against what the kernel set covers so that nothing is ever extrapolated.
 */
import { XasInputError } from '../../core/errors.js';
import { axisEnd, findPairTable, type KernelSet } from '../kernels/table.js';

export interface ChiSettings {
  /** Output k grid (Å⁻¹); default 0–18 in steps of 0.05. */
  kGrid?: Float64Array;
  /** Amplitude reduction factor S0² (default 1). */
  s02?: number;
  /** Energy shift ΔE in eV, Larch sign: χ is evaluated at q = sqrt(k² − ETOK·ΔE) (default 0). */
  deltaEEv?: number;
  /** Largest absorber–scatterer distance of the two-body sum (Å, default 6). */
  pairCutoff?: number;
  /** First-shell cutoff r_c of the three-body sum (Å, default: the kernel set's suggestion). */
  triangleCutoff?: number;
  /** Drop individual paths with half path length above this (Å; default: keep all). */
  reffMax?: number;
}

export interface ResolvedChiSettings {
  kGrid: Float64Array;
  s02: number;
  deltaEEv: number;
  pairCutoff: number;
  triangleCutoff: number;
  reffMax: number;
}

export function defaultKGrid(kmax = 18, kstep = 0.05): Float64Array {
  const n = Math.floor(kmax / kstep + 1e-9) + 1;
  return Float64Array.from({ length: n }, (_, i) => i * kstep);
}

export function resolveSettings(
  kernels: KernelSet,
  opts: ChiSettings,
  species: Set<string>,
): ResolvedChiSettings {
  const s: ResolvedChiSettings = {
    kGrid: opts.kGrid ?? defaultKGrid(),
    s02: opts.s02 ?? 1,
    deltaEEv: opts.deltaEEv ?? 0,
    pairCutoff: opts.pairCutoff ?? 6,
    triangleCutoff: opts.triangleCutoff ?? kernels.defaultTriangleCutoff,
    reffMax: opts.reffMax ?? Number.POSITIVE_INFINITY,
  };
  for (const [name, v] of Object.entries({
    s02: s.s02,
    deltaEEv: s.deltaEEv,
    pairCutoff: s.pairCutoff,
    triangleCutoff: s.triangleCutoff,
  })) {
    if (!Number.isFinite(v))
      throw new XasInputError(`${name} = ${v}`, { field: name, expected: 'a finite number' });
  }
  if (!(s.pairCutoff > 0) || !(s.triangleCutoff > 0) || !(s.reffMax > 0)) {
    throw new XasInputError('cutoffs must be positive', { field: 'pairCutoff/triangleCutoff/reffMax' });
  }
  const k = s.kGrid;
  if (k.length < 1) throw new XasInputError('empty k grid', { field: 'kGrid' });
  for (let i = 0; i < k.length; i++) {
    if (!Number.isFinite(k[i]) || k[i] < 0 || (i > 0 && !(k[i] > k[i - 1]))) {
      throw new XasInputError(`k grid value ${k[i]} at index ${i}`, {
        field: 'kGrid',
        expected: 'increasing values ≥ 0',
      });
    }
  }
  for (const sp of species) {
    if (!findPairTable(kernels, sp)) {
      throw new XasInputError(`no kernel table for the pair ${kernels.absorber}–${sp}`, {
        file: kernels.source,
        expected: `scatterers among ${kernels.pairs.map((t) => t.scatterer).join(', ')}`,
      });
    }
  }
  const pairTableMax = Math.min(...kernels.pairs.map((t) => axisEnd(t.r)));
  if (s.pairCutoff > pairTableMax + 1e-9) {
    throw new XasInputError(
      `pair cutoff ${s.pairCutoff} Å is beyond the kernel tables (up to ${pairTableMax.toFixed(2)} Å)`,
      {
        field: 'pairCutoff',
        file: kernels.source,
      },
    );
  }
  const triMax = Math.min(...kernels.triangles.map((t) => Math.min(axisEnd(t.r1), axisEnd(t.r2))));
  if (s.triangleCutoff > triMax + 1e-9) {
    throw new XasInputError(
      `triangle cutoff ${s.triangleCutoff} Å is beyond the kernel tables (sides up to ${triMax.toFixed(2)} Å)`,
      {
        field: 'triangleCutoff',
        file: kernels.source,
      },
    );
  }
  return s;
}
