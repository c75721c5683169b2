/**
 * Checks that a reference set can be fitted on a given range: an (almost) exactly linearly
 * dependent set is an error naming the reference that the others reproduce; nearly identical
 * pairs and a poorly conditioned set are warnings, because their weights trade off against each
 * other and carry large, correlated uncertainties. The condition number is estimated from the QR
 * factor of the column-scaled matrix.
 */
import { XasInputError } from '../core/errors.js';
import { applyQt, qrDecompose } from '../process/linalg.js';
import type { FitMatrix } from './fit-matrix.js';

/** Relative RMS difference below which two references count as the same curve. */
const SAME_CURVE = 0.01;
const SINGULAR = 1e-10;
const ILL_CONDITIONED = 1e5;

function columnNorms(m: FitMatrix): Float64Array {
  const norms = new Float64Array(m.ncomps);
  for (let i = 0; i < m.npts; i++) for (let j = 0; j < m.ncomps; j++) norms[j] += m.a[i * m.ncomps + j] ** 2;
  for (let j = 0; j < m.ncomps; j++) norms[j] = Math.sqrt(norms[j]);
  return norms;
}

/** Residual fraction |a_j − A_others·c| / |a_j| of reference j regressed on the others. */
function dependence(m: FitMatrix, j: number): number {
  const k = m.ncomps - 1;
  if (k === 0) return 1;
  const others = new Float64Array(m.npts * k);
  const col = new Float64Array(m.npts);
  for (let i = 0; i < m.npts; i++) {
    let c = 0;
    for (let q = 0; q < m.ncomps; q++) {
      if (q === j) col[i] = m.a[i * m.ncomps + q];
      else others[i * k + c++] = m.a[i * m.ncomps + q];
    }
  }
  const f = qrDecompose(others, m.npts, k);
  const r = new Float64Array(col);
  applyQt(f, r);
  let res = 0;
  let tot = 0;
  for (let i = 0; i < m.npts; i++) {
    if (i >= k) res += r[i] * r[i];
    tot += col[i] * col[i];
  }
  return tot > 0 ? Math.sqrt(res / tot) : 0;
}

/** Throws for a singular set; returns warnings for nearly identical or ill-conditioned ones. */
export function checkConditioning(m: FitMatrix, sumToOne: boolean): string[] {
  const warnings: string[] = [];
  const norms = columnNorms(m);
  m.labels.forEach((l, j) => {
    if (!(norms[j] > 0)) {
      throw new XasInputError(`reference '${l}' is zero everywhere on the fit range`, {
        field: l,
        expected: 'a reference with signal on the fit range',
      });
    }
  });
  const n = m.ncomps;
  const scaled = new Float64Array(m.npts * n);
  for (let i = 0; i < m.npts; i++) for (let j = 0; j < n; j++) scaled[i * n + j] = m.a[i * n + j] / norms[j];
  const f = qrDecompose(scaled, m.npts, n);
  let dmax = 0;
  let dmin = Infinity;
  for (let j = 0; j < n; j++) {
    dmax = Math.max(dmax, Math.abs(f.rdiag[j]));
    dmin = Math.min(dmin, Math.abs(f.rdiag[j]));
  }
  const cond = dmin > 0 ? dmax / dmin : Infinity;
  if (!(cond < 1 / SINGULAR)) {
    let worst = 0;
    let jw = 0;
    for (let j = 0; j < n; j++) {
      const d = 1 - dependence(m, j);
      if (d > worst) {
        worst = d;
        jw = j;
      }
    }
    throw new XasInputError(
      `singular reference set: '${m.labels[jw]}' is a linear combination of the other references on the fit range`,
      { field: 'refs', expected: 'linearly independent references (remove duplicates or dependent spectra)' },
    );
  }
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let d = 0;
      for (let i = 0; i < m.npts; i++) d += (m.a[i * n + a] - m.a[i * n + b]) ** 2;
      const rel = Math.sqrt(d) / Math.max(norms[a], norms[b]);
      if (rel < SAME_CURVE) {
        warnings.push(
          `references '${m.labels[a]}' and '${m.labels[b]}' differ by only ${(100 * rel).toFixed(2)} % on the fit range: their weights cannot be separated`,
        );
      }
    }
  }
  if (cond > ILL_CONDITIONED && warnings.length === 0) {
    warnings.push(
      `the reference set is ill-conditioned on the fit range (condition number ≈ ${cond.toExponential(1)}${sumToOne ? '' : ', no sum-to-one'}): weights will be strongly correlated`,
    );
  }
  return warnings;
}
