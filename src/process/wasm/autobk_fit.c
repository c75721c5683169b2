/*
 * The whole AUTOBK fit of one spectrum in one call, for the common case (the background spline lies in
 * the space of the interpolating spline, Larch's Levenberg–Marquardt route): spline of mu onto the
 * uniform k grid, the banded chi basis and the design with its QR (or a design given by the cache and
 * the separate low-R transform), Larch's starting spline, the MINPACK search, chi(k), the background
 * and the uncertainties. It strings together the kernels that twin autobk-prepare.ts,
 * autobk-design.ts, autobk-larch-fit.ts, autobk.ts and autobk-uncertainty.ts, with the same operations
 * in the same order, so the result is bit-identical to the TypeScript route.
 * Rebuild: node tools/process/build-wasm.mjs.
 */
#include <wasm_simd128.h>

#include "kernels.h"

static inline f64 jmax(f64 a, f64 b) {
  if (a != a || b != b) return a + b;
  if (a == 0 && b == 0) return __builtin_signbit(a) ? b : a;
  return a > b ? a : b;
}

/* Bump allocation from the caller's work area. */
typedef struct {
  char *top;
} Work;
static f64 *wf(Work *w, int count) {
  f64 *p = (f64 *)w->top;
  w->top += ((count * 8 + 15) / 16) * 16;
  return p;
}
static int *wi(Work *w, int count) {
  int *p = (int *)w->top;
  w->top += ((count * 4 + 15) / 16) * 16;
  return p;
}

/*
 * lowRTransform (autobk-design.ts): DFT coefficients 0 .. irb-1 of f*ftwin*y, interleaved (Re, Im).
 * Eight frequencies per pass over the data (eight independent sums, each in its own order).
 */
static void low_r_transform(const f64 *y, const f64 *ftwin, int nk, int irb, const f64 *cs, int mask, f64 f,
                            f64 *g, f64 *out) {
  for (int m = 0; m < nk; m++) g[m] = f * ftwin[m] * y[m];
  int j = 0;
  for (; j + 7 < irb; j += 8) {
    v128_t a0 = wasm_f64x2_const(0, 0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    int t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
    for (int m = 0; m < nk; m++) {
      const v128_t v = wasm_v128_load64_splat(g + m);
      a0 = wasm_f64x2_add(a0, wasm_f64x2_mul(v, wasm_v128_load(cs + 2 * t0)));
      a1 = wasm_f64x2_add(a1, wasm_f64x2_mul(v, wasm_v128_load(cs + 2 * t1)));
      a2 = wasm_f64x2_add(a2, wasm_f64x2_mul(v, wasm_v128_load(cs + 2 * t2)));
      a3 = wasm_f64x2_add(a3, wasm_f64x2_mul(v, wasm_v128_load(cs + 2 * t3)));
      a4 = wasm_f64x2_add(a4, wasm_f64x2_mul(v, wasm_v128_load(cs + 2 * t4)));
      a5 = wasm_f64x2_add(a5, wasm_f64x2_mul(v, wasm_v128_load(cs + 2 * t5)));
      a6 = wasm_f64x2_add(a6, wasm_f64x2_mul(v, wasm_v128_load(cs + 2 * t6)));
      a7 = wasm_f64x2_add(a7, wasm_f64x2_mul(v, wasm_v128_load(cs + 2 * t7)));
      t0 = (t0 + j) & mask;
      t1 = (t1 + j + 1) & mask;
      t2 = (t2 + j + 2) & mask;
      t3 = (t3 + j + 3) & mask;
      t4 = (t4 + j + 4) & mask;
      t5 = (t5 + j + 5) & mask;
      t6 = (t6 + j + 6) & mask;
      t7 = (t7 + j + 7) & mask;
    }
    wasm_v128_store(out + 2 * j, a0);
    wasm_v128_store(out + 2 * j + 2, a1);
    wasm_v128_store(out + 2 * j + 4, a2);
    wasm_v128_store(out + 2 * j + 6, a3);
    wasm_v128_store(out + 2 * j + 8, a4);
    wasm_v128_store(out + 2 * j + 10, a5);
    wasm_v128_store(out + 2 * j + 12, a6);
    wasm_v128_store(out + 2 * j + 14, a7);
  }
  for (; j < irb; j++) {
    v128_t acc = wasm_f64x2_const(0, 0);
    int t = 0;
    for (int m = 0; m < nk; m++) {
      acc = wasm_f64x2_add(acc, wasm_f64x2_mul(wasm_v128_load64_splat(g + m), wasm_v128_load(cs + 2 * t)));
      t = (t + j) & mask;
    }
    wasm_v128_store(out + 2 * j, acc);
  }
}

/* lstsq (linalg.ts) of a square n x n row-major system through qr_rowmajor; 1 if rank-deficient. */
static int lstsq_square(f64 *a, int n, const f64 *b, f64 *x, Work *w) {
  f64 *rdiag = wf(w, n), *s = wf(w, n), *y = wf(w, n);
  qr_rowmajor(a, n, n, rdiag, s);
  f64 max = 0;
  for (int k = 0; k < n; k++) max = jmax(max, __builtin_fabs(rdiag[k]));
  for (int k = 0; k < n; k++)
    if (!(__builtin_fabs(rdiag[k]) > 1e-13 * max)) return 1;
  for (int i = 0; i < n; i++) y[i] = b[i];
  for (int k = 0; k < n; k++) {
    const f64 vkk = a[k * n + k];
    if (vkk == 0) continue;
    f64 sum = 0;
    for (int i = k; i < n; i++) sum += a[i * n + k] * y[i];
    sum = -sum / vkk;
    for (int i = k; i < n; i++) y[i] += sum * a[i * n + k];
  }
  for (int k = n - 1; k >= 0; k--) {
    f64 sum = y[k];
    for (int j = k + 1; j < n; j++) sum -= a[k * n + j] * x[j];
    x[k] = sum / rdiag[k];
  }
  return 0;
}

/* quadraticForm (autobk-uncertainty.ts) for rows of 4 basis values. */
static void quadratic_form(const int *first, const f64 *values, int rows, const f64 *cov, int n, f64 *out) {
  for (int m = 0; m < rows; m++) {
    const int f = first[m];
    const f64 *v = values + 4 * m;
    const f64 v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3];
    const int c0 = f * n + f, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    out[m] = v0 * (v0 * cov[c0] + 2 * (v1 * cov[c0 + 1] + v2 * cov[c0 + 2] + v3 * cov[c0 + 3])) +
             v1 * (v1 * cov[c1 + 1] + 2 * (v2 * cov[c1 + 2] + v3 * cov[c1 + 3])) +
             v2 * (v2 * cov[c2 + 2] + 2 * v3 * cov[c2 + 3]) + v3 * v3 * cov[c3 + 3];
  }
}

/* sum of the four basis values times the coefficients (designTimes, the chi loop of autobk.ts) */
static inline f64 row_times(const f64 *v, const f64 *c) {
  f64 s = 0;
  s += v[0] * c[0];
  s += v[1] * c[1];
  s += v[2] * c[2];
  s += v[3] * c[3];
  return s;
}

/*
 * ip (ints and pointers): 0 nr, 1 nk, 2 nspl, 3 irb, 4 mask, 5 ncl, 6 mode (0: build the design,
 * 1: design given), 7 has_std, 8 calc_uncertainties, 9 maxfev, 10 kr, 11 mu (nr values from E0),
 * 12 kout, 13 knots, 14 ftwin, 15 cs, 16 std, 17 splk, 18 sply, 19 clamp index, 20 clamp weight,
 * 21 given first, 22 given values, 23 given qr (column-major), 24 given rdiag, 25 chi (out, nk),
 * 26 bkg (out, nr), 27 delta chi (out, nk), 28 delta bkg (out, nr), 29 coefs (out, nspl),
 * 30 stats (out), 31 work.
 * fp: 0 kstep/sqrt(pi), 1 edge_step, 2 t for chi, 3 t for bkg, 4 ftol, 5 xtol, 6 gtol, 7 epsfcn.
 * stats: 0 chisqr, 1 nfev, 2 MINPACK info, 3 index (spline error), 4 residual norm MINPACK ended with.
 * Returns 0, or 1: kr not increasing at stats[3]; 2: singular starting spline; 3: the search failed
 * (info 0 or a non-finite norm); 4: singular Jacobian (no covariance).
 */
__attribute__((export_name("autobk_fit"))) int autobk_fit(const int *ip, const f64 *fp) {
  const int nr = ip[0], nk = ip[1], n = ip[2], irb = ip[3], mask = ip[4], ncl = ip[5];
  const int mode = ip[6], has_std = ip[7], calc_unc = ip[8], maxfev = ip[9];
  const f64 *kr = (const f64 *)ip[10], *mu = (const f64 *)ip[11], *kout = (const f64 *)ip[12];
  const f64 *knots = (const f64 *)ip[13], *ftwin = (const f64 *)ip[14], *cs = (const f64 *)ip[15];
  const f64 *std = (const f64 *)ip[16], *splk = (const f64 *)ip[17], *sply = (const f64 *)ip[18];
  const int *cidx = (const int *)ip[19];
  const f64 *cweight = (const f64 *)ip[20];
  f64 *chi = (f64 *)ip[25], *bkg = (f64 *)ip[26], *dchi = (f64 *)ip[27], *dbkg = (f64 *)ip[28];
  f64 *coefs = (f64 *)ip[29], *stats = (f64 *)ip[30];
  Work w = {(char *)ip[31]};
  const int nknots = n + 4, rows = 2 * irb;
  const f64 f = fp[0], edge_step = fp[1];

  /* chi for c = 0: the interpolating spline of mu on the uniform grid */
  f64 *y = wf(&w, nk);
  {
    f64 *s = wf(&w, nr), *sw = wf(&w, 5 * nr);
    const int bad = spline_nak(kr, mu, nr, s, sw);
    if (bad) {
      stats[3] = bad;
      return 1;
    }
    spline_eval(kr, mu, s, nr, kout, nk, y);
  }
  f64 *yfit = y;
  if (has_std) {
    yfit = wf(&w, nk);
    for (int i = 0; i < nk; i++) yfit[i] = y[i];
    for (int i = 0; i < nk; i++) yfit[i] -= std[i];
  }

  /* design, its QR (column-major for the search) and the constant part a */
  const int *first;
  const f64 *values, *qrc, *rdiag;
  f64 *a = wf(&w, rows);
  if (mode == 0) {
    int *fi = wi(&w, nk);
    f64 *va = wf(&w, 4 * nk), *g = wf(&w, 5 * nk), *m = wf(&w, rows * n), *rd = wf(&w, n), *s = wf(&w, n);
    f64 *qc = wf(&w, rows * n);
    bspline_cubic(knots, nknots, kout, nk, fi, va);
    for (int km = 0; km < nk; km++) {
      const f64 fw = f * ftwin[km];
      f64 *o = g + km * 5;
      const f64 *v = va + km * 4;
      o[0] = fw * v[0];
      o[1] = fw * v[1];
      o[2] = fw * v[2];
      o[3] = fw * v[3];
      o[4] = fw * yfit[km];
    }
    design_banded(g, fi, nk, irb, cs, mask, n, m, a);
    qr_rowmajor(m, rows, n, rd, s);
    for (int i = 0; i < rows; i++)
      for (int j = 0; j < n; j++) qc[j * rows + i] = m[i * n + j];
    first = fi;
    values = va;
    qrc = qc;
    rdiag = rd;
  } else {
    first = (const int *)ip[21];
    values = (const f64 *)ip[22];
    qrc = (const f64 *)ip[23];
    rdiag = (const f64 *)ip[24];
    low_r_transform(yfit, ftwin, nk, irb, cs, mask, f, wf(&w, nk), a);
  }

  /* clamp rows: the basis at the clamped points, and chi there for c = 0 */
  f64 *nrows = wf(&w, ncl * n), *y0 = wf(&w, ncl);
  for (int i = 0; i < ncl * n; i++) nrows[i] = 0;
  for (int i = 0; i < ncl; i++) {
    const int row = cidx[i];
    for (int r = 0; r < 4; r++) nrows[i * n + first[row] + r] = values[row * 4 + r];
    y0[i] = yfit[row];
  }

  /* Larch's starting spline through the smoothed mu at the knots */
  f64 *x = wf(&w, n);
  {
    int *sf = wi(&w, n);
    f64 *sv = wf(&w, 4 * n), *am = wf(&w, n * n);
    bspline_cubic(knots, nknots, splk, n, sf, sv);
    for (int i = 0; i < n * n; i++) am[i] = 0;
    for (int i = 0; i < n; i++)
      for (int r = 0; r < 4; r++) am[i * n + sf[i] + r] = sv[i * 4 + r];
    if (lstsq_square(am, n, sply, x, &w)) return 2;
  }

  /* the Levenberg-Marquardt search */
  f64 *cov = wf(&w, n * n), *out = wf(&w, 4);
  const f64 opts[5] = {fp[4], fp[5], fp[6], fp[7], 100};
  const int info = lm_solve(qrc, rdiag, rows, n, a, nrows, cweight, y0, ncl, x, opts, maxfev, cov, out, (f64 *)w.top);
  stats[1] = out[1];
  stats[2] = info;
  stats[4] = out[2];
  if (info == 0 || !(out[2] - out[2] == 0)) return 3;
  if (out[3] != 0) return 4;
  const f64 chisqr = out[0] * out[0];
  stats[0] = chisqr;
  for (int j = 0; j < n; j++) coefs[j] = x[j];

  /* chi(k) = (S mu - (S B) c) / edge_step and the background on the measured points */
  for (int m = 0; m < nk; m++) chi[m] = (y[m] - row_times(values + 4 * m, x + first[m])) / edge_step;
  int *bf = wi(&w, nr);
  f64 *bv = wf(&w, 4 * nr);
  bspline_cubic(knots, nknots, kr, nr, bf, bv);
  for (int i = 0; i < nr; i++) bkg[i] = row_times(bv + 4 * i, x + bf[i]);

  const int ndata = rows + ncl;
  if (calc_unc && ndata > n) {
    const f64 redchi = chisqr / (ndata - n);
    quadratic_form(first, values, nk, cov, n, dchi);
    quadratic_form(bf, bv, nr, cov, n, dbkg);
    for (int i = 0; i < nk; i++) dchi[i] = fp[2] * __builtin_sqrt(jmax(0, dchi[i] * redchi));
    for (int i = 0; i < nr; i++) dbkg[i] = fp[3] * __builtin_sqrt(jmax(0, dbkg[i] * redchi));
  }
  return 0;
}
