/**
 * Principal component analysis of a set of normalised spectra with the definitions of Larch 0.9.58
 * pca_train / pca_fit (larch/math/pca.py): the spectra on the first one's energies within the range;
 * the mean spectrum removed; each spectrum's residual centred and scaled to unit standard deviation
 * over energy; eigen-decomposition of the spectrum × spectrum covariance (divided by the number of
 * spectra); components in energy space ordered by decreasing eigenvalue; Larch's IND list and its
 * minimum nsig. pca_fit projects a spectrum on the first n components around the mean, optionally
 * refining a scale factor ≥ 0 of the data, which is target transformation when the spectrum is a
 * candidate reference.
 * Added: Malinowski's F-test on reduced eigenvalues (J. Chemometrics 3 (1988) 49) — Larch 0.9.58's
 * pca_statistics indexes its arrays with swapped dimensions and fails for more energies than spectra.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { XasInputError } from '../core/errors.js';
import { applyQt, isRankDeficient, qrDecompose, solveR } from '../process/linalg.js';
import { betaInc } from '../process/stats.js';
import { buildFitMatrix, type Curve, type FitRangeOptions } from './fit-matrix.js';
import { interpCubic } from './interp.js';

export interface PcaModel {
  labels: string[];
  /** Energies of the analysis. */
  x: Float64Array;
  /** Spectra on x, one row per spectrum. */
  ydat: Float64Array[];
  mean: Float64Array;
  /** Components (energy space), best first: components[k][i]. */
  components: Float64Array[];
  eigenvalues: Float64Array;
  variances: Float64Array;
  /** Larch's IND list (its first value repeated, as pca_train builds it) and argmin. */
  ind: Float64Array;
  nsig: number;
  /** Malinowski F-test significance level (%) of each component; significant below 5 %. */
  fSignificance: Float64Array;
  /** Number of components significant at 5 % by the F-test. */
  nsigF: number;
  xmin: number | null;
  xmax: number | null;
}

export function pcaTrain(curves: Curve[], opts: FitRangeOptions = {}): PcaModel {
  if (curves.length < 3) {
    throw new XasInputError(`PCA needs at least 3 spectra, got ${curves.length}`, {
      field: 'spectra',
      expected: '3 or more spectra',
    });
  }
  // groups2matrix: the first spectrum's grid, the others interpolated onto it
  const m = buildFitMatrix(curves[0], curves.slice(1), opts);
  const nfreq = m.npts;
  const narr = curves.length;
  const ydat: Float64Array[] = [m.y];
  for (let j = 0; j < m.ncomps; j++) {
    const row = new Float64Array(nfreq);
    for (let i = 0; i < nfreq; i++) row[i] = m.a[i * m.ncomps + j];
    ydat.push(row);
  }
  const mean = new Float64Array(nfreq);
  for (const row of ydat) for (let i = 0; i < nfreq; i++) mean[i] += row[i] / narr;
  // per spectrum: residual from the mean, centred and scaled over energy (population std)
  const z = new Matrix(nfreq, narr);
  ydat.forEach((row, s) => {
    let mu = 0;
    for (let i = 0; i < nfreq; i++) mu += row[i] - mean[i];
    mu /= nfreq;
    let v = 0;
    for (let i = 0; i < nfreq; i++) v += (row[i] - mean[i] - mu) ** 2;
    const sd = Math.sqrt(v / nfreq);
    if (!(sd > 0)) {
      throw new XasInputError(`spectrum '${curves[s].label}' equals the mean spectrum on the range`, {
        field: curves[s].label,
        expected: 'spectra that differ from each other',
      });
    }
    for (let i = 0; i < nfreq; i++) z.set(i, s, (row[i] - mean[i] - mu) / sd);
  });
  const cov = z.transpose().mmul(z).div(narr);
  const evd = new EigenvalueDecomposition(cov, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const eigenvalues = Float64Array.from(order.map((o) => o.v));
  const vec = evd.eigenvectorMatrix;
  const components = order.map(({ i }) => {
    const c = new Float64Array(nfreq);
    for (let f = 0; f < nfreq; f++) {
      let s = 0;
      for (let k = 0; k < narr; k++) s += z.get(f, k) * vec.get(k, i);
      c[f] = -s / narr;
    }
    return c;
  });
  let total = 0;
  for (const v of eigenvalues) total += v;
  const variances = eigenvalues.map((v) => v / total);
  // Larch pca_train: ind = [ind0, ind0, ind1, …], ind_r = sqrt(nfreq·Σλ[r:]/nr)/nr², nr = narr − r − 1
  const ind: number[] = [];
  for (let r = 0; r < narr - 1; r++) {
    const nr = narr - r - 1;
    let tail = 0;
    for (let k = r; k < narr; k++) tail += eigenvalues[k];
    const v = Math.sqrt((nfreq * tail) / nr) / (nr * nr);
    if (ind.length === 0) ind.push(v);
    ind.push(v);
  }
  let nsig = 0;
  for (let k = 1; k < ind.length; k++) if (ind[k] < ind[nsig]) nsig = k;
  const fSignificance = malinowskiF(eigenvalues, nfreq, narr);
  let nsigF = 0;
  while (nsigF < fSignificance.length && fSignificance[nsigF] < 5) nsigF++;
  return {
    labels: curves.map((c) => c.label),
    x: m.x,
    ydat,
    mean,
    components,
    eigenvalues,
    variances,
    ind: Float64Array.from(ind),
    nsig,
    fSignificance,
    nsigF,
    xmin: opts.xmin ?? null,
    xmax: opts.xmax ?? null,
  };
}

/**
 * Malinowski's F-test: reduced eigenvalue REVⱼ = λⱼ/((r − j + 1)(c − j + 1)) (1-based j, r energies,
 * c spectra); component n is tested against the pool of the smaller ones,
 * F(1, s − n) = REVₙ / (Σⱼ₌ₙ₊₁ˢ λⱼ / Σⱼ₌ₙ₊₁ˢ (r − j + 1)(c − j + 1)), s = min(r, c); returns the
 * significance level in percent (NaN for the last component, which has no pool).
 */
export function malinowskiF(eigenvalues: ArrayLike<number>, r: number, c: number): Float64Array {
  const s = Math.min(r, c, eigenvalues.length);
  const out = new Float64Array(eigenvalues.length).fill(Number.NaN);
  for (let n = 1; n < s; n++) {
    let lam = 0;
    let wsum = 0;
    for (let j = n + 1; j <= s; j++) {
      lam += Math.max(0, eigenvalues[j - 1]);
      wsum += (r - j + 1) * (c - j + 1);
    }
    const rev = Math.max(0, eigenvalues[n - 1]) / ((r - n + 1) * (c - n + 1));
    const dof = s - n;
    if (!(lam > 0)) {
      out[n - 1] = 0;
      continue;
    }
    const f = rev / (lam / wsum);
    out[n - 1] = 100 * betaInc(dof / 2, 0.5, dof / (dof + f));
  }
  return out;
}

export interface PcaFitResult {
  x: Float64Array;
  ydat: Float64Array;
  yfit: Float64Array;
  weights: Float64Array;
  /** Σ (scale·y − fit)² (Larch chi_square). */
  chiSquare: number;
  /** Σ (scale·y − fit)² / Σ (scale·y)². */
  rfactor: number;
  scale: number;
  ncomps: number;
}

/** Least squares of v on the first n components: coefficients and Σ residual². */
function project(
  model: PcaModel,
  v: Float64Array,
  n: number,
): { w: Float64Array; fit: Float64Array; chi: number } {
  const nfreq = model.x.length;
  const a = new Float64Array(nfreq * n);
  for (let i = 0; i < nfreq; i++) for (let k = 0; k < n; k++) a[i * n + k] = model.components[k][i];
  const f = qrDecompose(a, nfreq, n);
  if (isRankDeficient(f)) throw new XasInputError('PCA components are dependent', { field: 'ncomps' });
  const r = new Float64Array(v);
  applyQt(f, r);
  const w = solveR(f, r);
  let chi = 0;
  for (let i = n; i < nfreq; i++) chi += r[i] * r[i];
  const fit = new Float64Array(nfreq);
  for (let i = 0; i < nfreq; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * w[k];
    fit[i] = s;
  }
  return { w, fit, chi };
}

/** Larch pca_fit: a spectrum on the model's energies, fitted by mean + Σ wₖ·componentₖ. */
export function pcaFit(curve: Curve, model: PcaModel, ncomps?: number, rescale = true): PcaFitResult {
  const n = ncomps ?? model.components.length;
  if (!(Number.isInteger(n) && n >= 1 && n <= model.components.length)) {
    throw new XasInputError(`invalid number of components ${n}`, {
      field: 'ncomps',
      expected: `1 to ${model.components.length}`,
    });
  }
  const e = curve.energyEv;
  if (model.x[0] < e[0] || model.x[model.x.length - 1] > e[e.length - 1]) {
    throw new XasInputError(
      `spectrum '${curve.label}' covers ${e[0]} to ${e[e.length - 1]} eV but the PCA model needs ${model.x[0]} to ${model.x[model.x.length - 1]} eV`,
      { field: curve.label, expected: 'a spectrum covering the PCA energy range' },
    );
  }
  const y = interpCubic(e, curve.y, model.x, `spectrum '${curve.label}'`);
  const nfreq = model.x.length;
  let scale = 1;
  if (rescale) {
    // residual (I − P)(s·y − mean) is affine in s: the optimum s ≥ 0 is closed-form
    const py = project(model, y, n);
    const pm = project(model, model.mean, n);
    let num = 0;
    let den = 0;
    for (let i = 0; i < nfreq; i++) {
      const ry = y[i] - py.fit[i];
      const rm = model.mean[i] - pm.fit[i];
      num += ry * rm;
      den += ry * ry;
    }
    scale = den > 0 ? Math.max(0, num / den) : 1;
  }
  const ys = y.map((v) => v * scale);
  const centred = ys.map((v, i) => v - model.mean[i]);
  const p = project(model, centred, n);
  const yfit = p.fit.map((v, i) => v + model.mean[i]);
  let den = 0;
  for (let i = 0; i < nfreq; i++) den += ys[i] * ys[i];
  return {
    x: model.x,
    ydat: ys,
    yfit,
    weights: p.w,
    chiSquare: p.chi,
    rfactor: p.chi / den,
    scale,
    ncomps: n,
  };
}

/** Target transformation: each candidate reference fitted with the first n components. */
export function targetTransform(
  candidates: Curve[],
  model: PcaModel,
  ncomps: number,
): (PcaFitResult & { label: string })[] {
  return candidates.map((c) => ({ label: c.label, ...pcaFit(c, model, ncomps, true) }));
}
