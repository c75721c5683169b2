/*
 * Larch's route to the AUTOBK spline coefficients in WebAssembly: MINPACK's lmdif/lmpar/qrsolv (Moré
 * 1978; MINPACK-1, Argonne 1980) on AUTOBK's reduced residual, the twin of autobk-larch-fit.ts and
 * minpack-lm.ts (their factorJacobian path). Every operation mirrors the TypeScript in the same order,
 * including JavaScript's Math.max/Math.min (NaN and signed-zero rules) and V8's Math.hypot, so both
 * give bit-identical iterates, coefficients and covariance. Rebuild: node tools/process/build-wasm.mjs.
 */
#include "kernels.h"

#define EPSMCH 2.220446049250313e-16
#define DWARF 2.2250738585072014e-308

static inline int is_nan(f64 x) { return x != x; }
/* |x| with the sign bit cleared (Math.abs) */
static inline f64 jabs(f64 x) { return __builtin_fabs(x); }
/* Math.max / Math.min for two values */
static inline f64 jmax(f64 a, f64 b) {
  if (is_nan(a) || is_nan(b)) return a + b;
  if (a == 0 && b == 0) return __builtin_signbit(a) ? b : a;
  return a > b ? a : b;
}
static inline f64 jmin(f64 a, f64 b) {
  if (is_nan(a) || is_nan(b)) return a + b;
  if (a == 0 && b == 0) return __builtin_signbit(a) ? a : b;
  return a < b ? a : b;
}
/* V8's Math.hypot for two arguments */
static f64 jhypot(f64 a, f64 b) {
  const f64 x = jabs(a), y = jabs(b);
  if (x == __builtin_inf() || y == __builtin_inf()) return __builtin_inf();
  if (is_nan(x) || is_nan(y)) return __builtin_nan("");
  const f64 max = x > y ? x : y;
  if (max == 0) return 0;
  const f64 p = x / max, q = y / max;
  return __builtin_sqrt(p * p + q * q) * max;
}

static f64 enorm(const f64 *v, int start, int end) {
  f64 s = 0;
  for (int i = start; i < end; i++) s += v[i] * v[i];
  return __builtin_sqrt(s);
}

/* AUTOBK's reduced problem (autobk-larch-fit.ts) */
typedef struct {
  int n, ncl, nout;
  const f64 *qa; /* (Q_M^T a)_n */
  f64 rest2;     /* |a|^2 beyond the first n rotated values */
  const f64 *rm; /* R_M, n x n row-major */
  const f64 *nrows, *weight, *y0;
  f64 *u, *clamp_chi, *rows, *rhs;
} Problem;

static f64 low_r(Problem *P, const f64 *c) {
  const int n = P->n;
  f64 ss = P->rest2;
  for (int i = 0; i < n; i++) {
    f64 s = P->qa[i];
    for (int j = i; j < n; j++) s -= P->rm[i * n + j] * c[j];
    P->u[i] = s;
    ss += s * s;
  }
  for (int i = 0; i < P->ncl; i++) {
    f64 v = P->y0[i];
    for (int j = 0; j < n; j++) v -= P->nrows[i * n + j] * c[j];
    P->clamp_chi[i] = v;
  }
  return ss;
}

static f64 evaluate(Problem *P, const f64 *c, f64 *f) {
  const int n = P->n;
  const f64 ss = low_r(P, c);
  for (int i = 0; i < n; i++) f[i] = P->u[i];
  const f64 scale = 1 + (100 * ss) / P->nout;
  f64 cs = 0;
  for (int i = 0; i < P->ncl; i++) {
    const f64 v = scale * P->weight[i] * P->clamp_chi[i];
    f[n + i] = v;
    cs += v * v;
  }
  return __builtin_sqrt(ss + cs);
}

static void factor_jacobian(Problem *P, const f64 *c, const f64 *f, f64 eps, f64 *r, f64 *qtf, f64 *acnorm) {
  const int n = P->n, ncl = P->ncl;
  const f64 *rm = P->rm;
  low_r(P, c);
  for (int j = 0; j < n; j++) {
    const f64 cj = c[j];
    f64 h = eps * jabs(cj);
    if (h == 0) h = eps;
    const f64 delta = cj + h - cj;
    const f64 q = delta / h;
    f64 norm2 = 0;
    for (int i = 0; i <= j; i++) {
      const f64 v = -rm[i * n + j] * q;
      r[j * n + i] = v;
      norm2 += v * v;
    }
    if (ncl > 0) {
      f64 ss1 = P->rest2;
      for (int i = 0; i < n; i++) {
        const f64 v = P->u[i] - delta * rm[i * n + j];
        ss1 += v * v;
      }
      const f64 scale1 = 1 + (100 * ss1) / P->nout;
      for (int i = 0; i < ncl; i++) {
        const f64 f1 = scale1 * P->weight[i] * (P->clamp_chi[i] - delta * P->nrows[i * n + j]);
        const f64 v = (f1 - f[n + i]) / h;
        P->rows[i * n + j] = v;
        norm2 += v * v;
      }
    }
    acnorm[j] = __builtin_sqrt(norm2);
  }
  for (int i = 0; i < n; i++) qtf[i] = f[i];
  for (int i = 0; i < ncl; i++) P->rhs[i] = f[n + i];
  for (int k = 0; k < ncl; k++) {
    f64 *row = P->rows + k * n;
    for (int j = 0; j < n; j++) {
      const f64 cv = row[j];
      if (cv == 0) continue;
      const f64 rjj = r[j * n + j];
      const f64 rad = jhypot(rjj, cv);
      const f64 cs = rjj / rad;
      const f64 sn = cv / rad;
      r[j * n + j] = rad;
      row[j] = 0;
      for (int l = j + 1; l < n; l++) {
        const f64 rv = r[l * n + j];
        const f64 bv = row[l];
        r[l * n + j] = cs * rv + sn * bv;
        row[l] = -sn * rv + cs * bv;
      }
      const f64 qv = qtf[j];
      qtf[j] = cs * qv + sn * P->rhs[k];
      P->rhs[k] = -sn * qv + cs * P->rhs[k];
    }
  }
}

static void qrsolv(int n, f64 *r, const int *ipvt, const f64 *diag, const f64 *qtb, f64 *x, f64 *sdiag, f64 *wa) {
  for (int j = 0; j < n; j++) {
    for (int i = j; i < n; i++) r[j * n + i] = r[i * n + j];
    x[j] = r[j * n + j];
    wa[j] = qtb[j];
  }
  for (int j = 0; j < n; j++) {
    const int l = ipvt[j];
    if (diag[l] != 0) {
      for (int k = j; k < n; k++) sdiag[k] = 0;
      sdiag[j] = diag[l];
      f64 qtbpj = 0;
      for (int k = j; k < n; k++) {
        if (sdiag[k] == 0) continue;
        f64 cs, sn;
        const f64 rkk = r[k * n + k];
        if (jabs(rkk) < jabs(sdiag[k])) {
          const f64 cotan = rkk / sdiag[k];
          sn = 0.5 / __builtin_sqrt(0.25 + 0.25 * cotan * cotan);
          cs = sn * cotan;
        } else {
          const f64 tan = sdiag[k] / rkk;
          cs = 0.5 / __builtin_sqrt(0.25 + 0.25 * tan * tan);
          sn = cs * tan;
        }
        r[k * n + k] = cs * rkk + sn * sdiag[k];
        const f64 temp = cs * wa[k] + sn * qtbpj;
        qtbpj = -sn * wa[k] + cs * qtbpj;
        wa[k] = temp;
        for (int i = k + 1; i < n; i++) {
          const f64 t = cs * r[k * n + i] + sn * sdiag[i];
          sdiag[i] = -sn * r[k * n + i] + cs * sdiag[i];
          r[k * n + i] = t;
        }
      }
    }
    sdiag[j] = r[j * n + j];
    r[j * n + j] = x[j];
  }
  int nsing = n;
  for (int j = 0; j < n; j++) {
    if (sdiag[j] == 0 && nsing == n) nsing = j;
    if (nsing < n) wa[j] = 0;
  }
  for (int j = nsing - 1; j >= 0; j--) {
    f64 sum = 0;
    for (int i = j + 1; i < nsing; i++) sum += r[j * n + i] * wa[i];
    wa[j] = (wa[j] - sum) / sdiag[j];
  }
  for (int j = 0; j < n; j++) x[ipvt[j]] = wa[j];
}

static f64 lmpar(int n, f64 *r, const int *ipvt, const f64 *diag, const f64 *qtb, f64 delta, f64 par_in, f64 *x,
                 f64 *sdiag, f64 *wa1, f64 *wa2, f64 *wa3) {
  int nsing = n;
  for (int j = 0; j < n; j++) {
    wa1[j] = qtb[j];
    if (r[j * n + j] == 0 && nsing == n) nsing = j;
    if (nsing < n) wa1[j] = 0;
  }
  for (int j = nsing - 1; j >= 0; j--) {
    wa1[j] /= r[j * n + j];
    const f64 temp = wa1[j];
    for (int i = 0; i < j; i++) wa1[i] -= r[j * n + i] * temp;
  }
  for (int j = 0; j < n; j++) x[ipvt[j]] = wa1[j];
  int iter = 0;
  for (int j = 0; j < n; j++) wa2[j] = diag[j] * x[j];
  f64 dxnorm = enorm(wa2, 0, n);
  f64 fp = dxnorm - delta;
  if (fp <= 0.1 * delta) return 0;
  f64 parl = 0;
  if (nsing >= n) {
    for (int j = 0; j < n; j++) {
      const int l = ipvt[j];
      wa1[j] = diag[l] * (wa2[l] / dxnorm);
    }
    for (int j = 0; j < n; j++) {
      f64 sum = 0;
      for (int i = 0; i < j; i++) sum += r[j * n + i] * wa1[i];
      wa1[j] = (wa1[j] - sum) / r[j * n + j];
    }
    const f64 temp = enorm(wa1, 0, n);
    parl = fp / delta / temp / temp;
  }
  for (int j = 0; j < n; j++) {
    f64 sum = 0;
    for (int i = 0; i <= j; i++) sum += r[j * n + i] * qtb[i];
    wa1[j] = sum / diag[ipvt[j]];
  }
  const f64 gnorm = enorm(wa1, 0, n);
  f64 paru = gnorm / delta;
  if (paru == 0) paru = DWARF / jmin(delta, 0.1);
  f64 par = jmax(par_in, parl);
  par = jmin(par, paru);
  if (par == 0) par = gnorm / dxnorm;
  for (;;) {
    iter++;
    if (par == 0) par = jmax(DWARF, 0.001 * paru);
    const f64 temp = __builtin_sqrt(par);
    for (int j = 0; j < n; j++) wa1[j] = temp * diag[j];
    qrsolv(n, r, ipvt, wa1, qtb, x, sdiag, wa3);
    for (int j = 0; j < n; j++) wa2[j] = diag[j] * x[j];
    dxnorm = enorm(wa2, 0, n);
    const f64 fp_old = fp;
    fp = dxnorm - delta;
    if (jabs(fp) <= 0.1 * delta || (parl == 0 && fp <= fp_old && fp_old < 0) || iter == 10) return par;
    for (int j = 0; j < n; j++) {
      const int l = ipvt[j];
      wa1[j] = diag[l] * (wa2[l] / dxnorm);
    }
    for (int j = 0; j < n; j++) {
      wa1[j] /= sdiag[j];
      const f64 t = wa1[j];
      for (int i = j + 1; i < n; i++) wa1[i] -= r[j * n + i] * t;
    }
    const f64 tn = enorm(wa1, 0, n);
    const f64 parc = fp / delta / tn / tn;
    if (fp > 0) parl = jmax(parl, par);
    if (fp < 0) paru = jmin(paru, par);
    par = jmax(parl, par + parc);
  }
}

/*
 * solveAutobkLarch (autobk-larch-fit.ts) from the QR of the design (qr column-major m x n with the
 * Householder vectors, rdiag its diagonal), the low-R constant part a (m values, overwritten by Q^T a),
 * the clamp rows (nrows ncl x n, weight, y0) and the start x (n values, overwritten by the solution).
 * opts: ftol, xtol, gtol, epsfcn, factor. work: 2 n^2 + 12 n + (n + 4) ncl doubles; n <= 128.
 * Writes cov (n x n, the covariance of the last Jacobian), out[0] = |residual| at the solution
 * (evaluated again), out[1] = nfev, out[2] = the residual norm MINPACK ended with, out[3] = 1 when the
 * last Jacobian is singular (no covariance). Returns the MINPACK info code (0: improper input).
 */
__attribute__((export_name("autobk_lm"))) int autobk_lm(const f64 *qr, const f64 *rdiag, int m, int n, f64 *a,
                                                         const f64 *nrows, const f64 *weight, const f64 *y0,
                                                         int ncl, f64 *x, const f64 *opts, int maxfev, f64 *cov,
                                                         f64 *out, f64 *work) {
  return lm_solve(qr, rdiag, m, n, a, nrows, weight, y0, ncl, x, opts, maxfev, cov, out, work);
}

int lm_solve(const f64 *qr, const f64 *rdiag, int m, int n, f64 *a, const f64 *nrows, const f64 *weight,
             const f64 *y0, int ncl, f64 *x, const f64 *opts, int maxfev, f64 *cov, f64 *out, f64 *work) {
  const f64 ftol = opts[0], xtol = opts[1], gtol = opts[2], epsfcn = opts[3], factor = opts[4];
  /* Q^T a (applyQt) */
  for (int k = 0; k < n; k++) {
    const f64 *v = qr + k * m;
    const f64 vkk = v[k];
    if (vkk == 0) continue;
    f64 s = 0;
    for (int i = k; i < m; i++) s += v[i] * a[i];
    s = -s / vkk;
    for (int i = k; i < m; i++) a[i] += s * v[i];
  }
  f64 rest2 = 0;
  for (int i = n; i < m; i++) rest2 += a[i] * a[i];
  f64 *rm = work;
  f64 *w = rm + n * n;
  for (int i = 0; i < n * n; i++) rm[i] = 0;
  for (int i = 0; i < n; i++) {
    rm[i * n + i] = rdiag[i];
    for (int j = i + 1; j < n; j++) rm[i * n + j] = qr[j * m + i];
  }
  Problem P;
  P.n = n;
  P.ncl = ncl;
  P.nout = m;
  P.qa = a;
  P.rest2 = rest2;
  P.rm = rm;
  P.nrows = nrows;
  P.weight = weight;
  P.y0 = y0;
  P.u = w;
  w += n;
  P.clamp_chi = w;
  w += ncl;
  P.rows = w;
  w += ncl * n;
  P.rhs = w;
  w += ncl;
  const int mm = n + ncl;
  f64 *fvec = w;
  w += mm;
  f64 *wa4 = w;
  w += mm;
  f64 *diag = w;
  w += n;
  f64 *qtf = w;
  w += n;
  f64 *wa1 = w;
  w += n;
  f64 *wa2 = w;
  w += n;
  f64 *wa3 = w;
  w += n;
  f64 *r = w;
  w += n * n;
  f64 *sdiag = w;
  w += n;
  f64 *l1 = w;
  w += n;
  f64 *l2 = w;
  w += n;
  f64 *l3 = w;
  w += n;
  int ipvt[128];
  for (int i = 0; i < mm; i++) fvec[i] = wa4[i] = 0;
  for (int i = 0; i < n; i++) diag[i] = qtf[i] = wa1[i] = wa2[i] = wa3[i] = sdiag[i] = 0;
  for (int i = 0; i < n * n; i++) r[i] = 0;

  /* lmdif */
  const f64 eps = __builtin_sqrt(jmax(epsfcn, EPSMCH));
  int nfev = 1;
  f64 fnorm = evaluate(&P, x, fvec);
  f64 par = 0, delta = 0, xnorm = 0;
  int iter = 1, info = 0;
  for (;;) {
    for (int i = 0; i < n * n; i++) r[i] = 0;
    factor_jacobian(&P, x, fvec, eps, r, qtf, wa2);
    for (int j = 0; j < n; j++) ipvt[j] = j;
    nfev += n;
    if (iter == 1) {
      for (int j = 0; j < n; j++) {
        diag[j] = wa2[j] == 0 ? 1 : wa2[j];
        wa3[j] = diag[j] * x[j];
      }
      xnorm = enorm(wa3, 0, n);
      delta = factor * xnorm;
      if (delta == 0) delta = factor;
    }
    f64 gnorm = 0;
    if (fnorm != 0) {
      for (int j = 0; j < n; j++) {
        const int l = ipvt[j];
        if (wa2[l] != 0) {
          f64 sum = 0;
          for (int i = 0; i <= j; i++) sum += r[j * n + i] * (qtf[i] / fnorm);
          gnorm = jmax(gnorm, jabs(sum / wa2[l]));
        }
      }
    }
    if (gnorm <= gtol) info = 4;
    if (info != 0) break;
    for (int j = 0; j < n; j++) diag[j] = jmax(diag[j], wa2[j]);
    f64 ratio = 0;
    do {
      par = lmpar(n, r, ipvt, diag, qtf, delta, par, wa1, sdiag, l1, l2, l3);
      for (int j = 0; j < n; j++) {
        wa1[j] = -wa1[j];
        wa2[j] = x[j] + wa1[j];
        wa3[j] = diag[j] * wa1[j];
      }
      const f64 pnorm = enorm(wa3, 0, n);
      if (iter == 1) delta = jmin(delta, pnorm);
      const f64 fnorm1 = evaluate(&P, wa2, wa4);
      nfev++;
      f64 actred = -1;
      if (0.1 * fnorm1 < fnorm) {
        const f64 t = fnorm1 / fnorm;
        actred = 1 - t * t;
      }
      for (int j = 0; j < n; j++) {
        wa3[j] = 0;
        const f64 temp = wa1[ipvt[j]];
        for (int i = 0; i <= j; i++) wa3[i] += r[j * n + i] * temp;
      }
      const f64 temp1 = enorm(wa3, 0, n) / fnorm;
      const f64 temp2 = (__builtin_sqrt(par) * pnorm) / fnorm;
      const f64 prered = temp1 * temp1 + (temp2 * temp2) / 0.5;
      const f64 dirder = -(temp1 * temp1 + temp2 * temp2);
      ratio = prered != 0 ? actred / prered : 0;
      if (ratio <= 0.25) {
        f64 temp = actred >= 0 ? 0.5 : (0.5 * dirder) / (dirder + 0.5 * actred);
        if (0.1 * fnorm1 >= fnorm || temp < 0.1) temp = 0.1;
        delta = temp * jmin(delta, pnorm / 0.1);
        par /= temp;
      } else if (par == 0 || ratio >= 0.75) {
        delta = pnorm / 0.5;
        par *= 0.5;
      }
      if (ratio >= 1e-4) {
        for (int j = 0; j < n; j++) {
          x[j] = wa2[j];
          wa2[j] = diag[j] * x[j];
        }
        for (int i = 0; i < mm; i++) fvec[i] = wa4[i];
        xnorm = enorm(wa2, 0, n);
        fnorm = fnorm1;
        iter++;
      }
      if (jabs(actred) <= ftol && prered <= ftol && 0.5 * ratio <= 1) info = 1;
      if (delta <= xtol * xnorm) info = 2;
      if (jabs(actred) <= ftol && prered <= ftol && 0.5 * ratio <= 1 && info == 2) info = 3;
      if (info != 0) break;
      if (nfev >= maxfev) info = 5;
      if (jabs(actred) <= EPSMCH && prered <= EPSMCH && 0.5 * ratio <= 1) info = 6;
      if (delta <= EPSMCH * xnorm) info = 7;
      if (gnorm <= EPSMCH) info = 8;
      if (info != 0) break;
    } while (ratio < 1e-4);
    if (info != 0) break;
  }
  out[1] = nfev;
  out[2] = fnorm;
  out[3] = 0;
  /* the residual norm at the solution (evaluated again, as the TypeScript does) */
  out[0] = evaluate(&P, x, wa4);
  if (info == 0) return 0;
  /* covariance (J^T J)^-1 from R (row-major upper triangle of the last factorisation) and ipvt */
  f64 *ro = rm; /* R_M is no longer needed */
  for (int i = 0; i < n * n; i++) ro[i] = 0;
  for (int i = 0; i < n; i++)
    for (int j = i; j < n; j++) ro[i * n + j] = r[j * n + i];
  f64 *rinv = r;
  for (int i = 0; i < n * n; i++) rinv[i] = 0;
  for (int j = 0; j < n; j++) {
    if (ro[j * n + j] == 0) {
      out[3] = 1;
      return info;
    }
    rinv[j * n + j] = 1 / ro[j * n + j];
    for (int i = j - 1; i >= 0; i--) {
      f64 s = 0;
      for (int k = i + 1; k <= j; k++) s += ro[i * n + k] * rinv[k * n + j];
      rinv[i * n + j] = -s / ro[i * n + i];
    }
  }
  for (int i = 0; i < n * n; i++) cov[i] = 0;
  for (int p = 0; p < n; p++) {
    for (int q = p; q < n; q++) {
      f64 s = 0;
      for (int k = q; k < n; k++) s += rinv[p * n + k] * rinv[q * n + k];
      const int pa = ipvt[p], pb = ipvt[q];
      cov[pa * n + pb] = s;
      cov[pb * n + pa] = s;
    }
  }
  return info;
}
