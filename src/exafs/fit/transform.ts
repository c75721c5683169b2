/**
 * The feffit transform (Larch 0.9.58 TransformGroup and FeffitDataSet): data and model on the
 * uniform grid k = kstep·m; residual in k space ((χ_d − χ_m)/ε_k·k^w over [kmin, kmax)) or R space
 * (real and imaginary parts of the windowed k^w-weighted transform over [rmin, rmax), divided by
 * ε_R); noise ε from the high-R part of the data's own transform (15–30 Å), combined with autobk's
 * δχ when present (ε_k = sqrt(δχ² + ε²), ε_R = mean(ε_k)/(2·sqrt(π(2w+1)/(kstep(kmax^(2w+1) −
 * kmin^(2w+1)))))) exactly as Larch does; n_idp = 1 + 2(rmax − rmin)(kmax − kmin)/π.
 */
import { XasInputError } from '../../core/errors.js';
import { estimateNoise, ftwindow, larchInterp, xftfFast } from '../../process/index.js';

export interface FeffitTransformOptions {
  kmin?: number;
  kmax?: number;
  kweight?: number;
  dk?: number;
  dk2?: number;
  window?: string;
  rmin?: number;
  rmax?: number;
  fitspace?: 'r' | 'k';
  nfft?: number;
  kstep?: number;
}

export type FeffitTransform = Required<Omit<FeffitTransformOptions, 'dk2'>> & { dk2: number };

/** Larch's feffit_transform defaults. */
export function resolveTransform(o: FeffitTransformOptions): FeffitTransform {
  const t: FeffitTransform = {
    kmin: o.kmin ?? 0,
    kmax: o.kmax ?? 20,
    kweight: o.kweight ?? 2,
    dk: o.dk ?? 4,
    dk2: o.dk2 ?? o.dk ?? 4,
    window: o.window ?? 'kaiser',
    rmin: o.rmin ?? 0,
    rmax: o.rmax ?? 10,
    fitspace: o.fitspace ?? 'r',
    nfft: o.nfft ?? 2048,
    kstep: o.kstep ?? 0.05,
  };
  if (!(t.kmax > t.kmin && t.kmin >= 0))
    throw new XasInputError(`k range ${t.kmin}–${t.kmax}`, {
      field: 'kmin/kmax',
      expected: '0 ≤ kmin < kmax',
    });
  if (t.fitspace === 'r' && !(t.rmax > t.rmin && t.rmin >= 0)) {
    throw new XasInputError(`R range ${t.rmin}–${t.rmax}`, {
      field: 'rmin/rmax',
      expected: '0 ≤ rmin < rmax',
    });
  }
  if (t.fitspace !== 'r' && t.fitspace !== 'k')
    throw new XasInputError(`fit space '${t.fitspace}'`, { field: 'fitspace', expected: "'r' or 'k'" });
  return t;
}

export interface PreparedData {
  t: FeffitTransform;
  /** Model/data grid kstep·m up to the data's last k. */
  k: Float64Array;
  chi: Float64Array;
  /** Window on the full nfft grid, then k^w·Ω on the data grid. */
  weight: Float64Array;
  epsilonK: Float64Array;
  epsilonR: number;
  nIdp: number;
  rRange: [number, number];
  kRange: [number, number];
}

export function prepareData(
  t: FeffitTransform,
  data: { k: ArrayLike<number>; chi: ArrayLike<number>; deltaChi?: ArrayLike<number> },
  epsilonK?: number,
): PreparedData {
  const n = data.k.length;
  if (n < 10 || data.chi.length !== n)
    throw new XasInputError(`χ(k) with ${n} points`, { expected: 'k and chi of equal length ≥ 10' });
  const kLast = data.k[n - 1];
  if (kLast < t.kmax)
    throw new XasInputError(`data end at k = ${kLast} Å⁻¹`, {
      field: 'kmax',
      expected: `data reaching kmax = ${t.kmax} Å⁻¹`,
    });
  const ikmax = Math.floor(1.01 + kLast / t.kstep);
  const k = Float64Array.from({ length: ikmax }, (_, i) => t.kstep * i);
  const chi = larchInterp(data.k, data.chi, k);
  const kFull = Float64Array.from({ length: t.nfft }, (_, i) => t.kstep * i);
  const win = ftwindow(kFull, { xmin: t.kmin, xmax: t.kmax, dx: t.dk, dx2: t.dk2, window: t.window });
  const weight = Float64Array.from(k, (kk, i) => win[i] * kk ** t.kweight);
  const w = 2 * t.kweight + 1;
  let epsK: Float64Array;
  let epsR: number;
  if (epsilonK !== undefined) {
    if (!(epsilonK > 0))
      throw new XasInputError(`epsilon_k ${epsilonK}`, {
        field: 'epsilonK',
        expected: 'a positive noise level',
      });
    epsK = new Float64Array(ikmax).fill(epsilonK);
    epsR = epsilonK / (2 * Math.sqrt((Math.PI * w) / (t.kstep * (t.kmax ** w - t.kmin ** w))));
  } else {
    const noise = estimateNoise(k, chi, {
      rmin: 15,
      rmax: 30,
      kweight: t.kweight,
      kmin: t.kmin,
      kmax: t.kmax,
      dk: t.dk,
      dk2: t.dk2,
      kstep: t.kstep,
      kwindow: t.window,
      nfft: t.nfft,
    });
    epsK = new Float64Array(ikmax).fill(noise.epsilonK);
    epsR = noise.epsilonR;
    if (data.deltaChi) {
      const dchi = larchInterp(data.k, data.deltaChi, k);
      epsK = Float64Array.from(dchi, (d) => Math.sqrt(d * d + noise.epsilonK ** 2));
      const scale = 2 * Math.sqrt((Math.PI * w) / (t.kstep * (t.kmax ** w - t.kmin ** w)));
      epsR = epsK.reduce((s, v) => s + v / scale, 0) / ikmax;
    }
  }
  for (let i = 0; i < ikmax; i++) if (epsK[i] < 1e-12) epsK[i] = 1e-12;
  const rstep = Math.PI / (t.kstep * t.nfft);
  return {
    t,
    k,
    chi,
    weight,
    epsilonK: epsK,
    epsilonR: epsR,
    nIdp: 1 + (2 * (t.rmax - t.rmin) * (t.kmax - t.kmin)) / Math.PI,
    rRange: [
      Math.floor(Math.max(0, 0.01 + t.rmin / rstep)),
      Math.floor(Math.min(t.nfft / 2, 0.01 + t.rmax / rstep)),
    ],
    kRange: [
      Math.floor(Math.max(0, 0.01 + t.kmin / t.kstep)),
      Math.floor(Math.min(t.nfft / 2, 0.01 + t.kmax / t.kstep)),
    ],
  };
}

/** Larch's residual for χ_d − χ_m (or for χ_d alone when model is null). */
export function transformedResidual(d: PreparedData, model: Float64Array | null): Float64Array {
  const n = d.k.length;
  const diff = Float64Array.from(d.chi, (v, i) => v - (model ? model[i] : 0));
  if (d.t.fitspace === 'k') {
    const [a, b] = d.kRange;
    return Float64Array.from(
      { length: b - a },
      (_, j) => (diff[a + j] / d.epsilonK[a + j]) * d.k[a + j] ** d.t.kweight,
    );
  }
  const weighted = Float64Array.from(diff, (v, i) => v * d.weight[i]);
  const ft = xftfFast(weighted.subarray(0, n), d.t.nfft, d.t.kstep);
  const [a, b] = d.rRange;
  const out = new Float64Array(2 * (b - a));
  for (let j = 0; j < b - a; j++) {
    out[2 * j] = ft[2 * (a + j)] / d.epsilonR;
    out[2 * j + 1] = ft[2 * (a + j) + 1] / d.epsilonR;
  }
  return out;
}
