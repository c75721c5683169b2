/* Shared declarations of the processing-stage WebAssembly kernels (kernels.c, autobk_lm.c, autobk_fit.c). */
#ifndef XASFLOW_PROCESS_KERNELS_H
#define XASFLOW_PROCESS_KERNELS_H

typedef double f64;

void design_banded(const f64 *g, const int *first, int nk, int irb, const f64 *cs, int mask, int n, f64 *m, f64 *a);
void qr_rowmajor(f64 *w, int m, int n, f64 *rdiag, f64 *s);
int spline_nak(const f64 *x, const f64 *y, int n, f64 *s, f64 *work);
void spline_eval(const f64 *x, const f64 *y, const f64 *s, int n, const f64 *xs, int nxs, f64 *out);
void bspline_cubic(const f64 *t, int nt, const f64 *x, int npts, int *first, f64 *values);
int lm_solve(const f64 *qr, const f64 *rdiag, int m, int n, f64 *a, const f64 *nrows, const f64 *weight,
             const f64 *y0, int ncl, f64 *x, const f64 *opts, int maxfev, f64 *cov, f64 *out, f64 *work);

#endif
