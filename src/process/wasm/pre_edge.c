/*
 * The numeric core of pre_edge (pre-edge.ts, polyfit.ts, find-e0.ts, validate.ts) in WebAssembly:
 * Larch's remove_dups, dmu/dE, find_e0's scan, the normal-equation polynomial fits and the per-point
 * curves (pre-edge line, post-edge curve, norm, flat, d2mu/dE2). Each operation mirrors the TypeScript
 * in the same order (element-wise loops run two points per SIMD instruction, one per lane), so both
 * routes give bit-identical results. Parameter resolution and every error message stay in TypeScript.
 * Rebuild: node tools/process/build-wasm.mjs.
 */
#include <wasm_simd128.h>

#include "kernels.h"

static inline int finite(f64 x) { return x - x == 0; }
static inline f64 jmax(f64 a, f64 b) {
  if (a != a || b != b) return a + b;
  if (a == 0 && b == 0) return __builtin_signbit(a) ? b : a;
  return a > b ? a : b;
}
static inline f64 jmin(f64 a, f64 b) {
  if (a != a || b != b) return a + b;
  if (a == 0 && b == 0) return __builtin_signbit(a) ? a : b;
  return a < b ? a : b;
}

/*
 * Stage A: checks (finite energies and mu, energies non-decreasing), remove_dups (tiny 1e-7,
 * frac 1e-6) into e, dmu/dE into dmude, and when find_e0 is set, find_e0's index.
 * Returns the index of E0 (find_e0), 0 (no find_e0), -1: invalid input (TypeScript reports it),
 * -2: too few points after skipping the ends, -3: no edge found.
 */
__attribute__((export_name("pre_edge_a"))) int pre_edge_a(const f64 *energy, const f64 *mu, int n, int find_e0,
                                                           f64 *e, f64 *dmude) {
  const f64 tiny = 1e-7, frac = 1e-6;
  if (n < 8 || !finite(energy[0]) || !finite(mu[0])) return -1;
  f64 prev_in = energy[0], prev_out = energy[0];
  e[0] = prev_in;
  for (int i = 1; i < n; i++) {
    const f64 v = energy[i];
    if (!finite(v) || !finite(mu[i]) || v < prev_in) return -1;
    f64 o = v;
    if (o - prev_out < tiny) o = prev_out + jmax(tiny, frac * __builtin_fabs(o - prev_out));
    e[i] = o;
    prev_out = o;
    prev_in = v;
  }
  if (__builtin_fabs(e[n - 1] - e[n - 2]) < tiny) e[n - 1] = e[n - 2] + tiny;
  dmude[0] = (mu[1] - mu[0]) / (e[1] - e[0]);
  dmude[n - 1] = (mu[n - 1] - mu[n - 2]) / (e[n - 1] - e[n - 2]);
  int i = 1;
  for (; i + 2 < n; i += 2) {
    const v128_t num = wasm_f64x2_sub(wasm_v128_load(mu + i + 1), wasm_v128_load(mu + i - 1));
    const v128_t den = wasm_f64x2_sub(wasm_v128_load(e + i + 1), wasm_v128_load(e + i - 1));
    wasm_v128_store(dmude + i, wasm_f64x2_div(num, den));
  }
  for (; i < n - 1; i++) dmude[i] = (mu[i + 1] - mu[i - 1]) / (e[i + 1] - e[i - 1]);
  if (!find_e0) return 0;
  /* find_e0: non-finite derivatives count as -1 */
  const int nmin = jmax(3, (int)(n * 0.05));
  if (n - 2 * nmin < 1) return -2;
  f64 maxdmu = -__builtin_inf();
  for (int k = nmin; k < n - nmin; k++) {
    const f64 d = finite(dmude[k]) ? dmude[k] : -1;
    if (d > maxdmu) maxdmu = d;
  }
  const f64 high = maxdmu * 0.1;
  int best = -1;
  f64 best_dmu = 0;
  const int last = n - nmin < n - 2 ? n - nmin : n - 2;
  for (int k = nmin > 1 ? nmin : 1; k <= last; k++) {
    const f64 d = finite(dmude[k]) ? dmude[k] : -1;
    const f64 dn = finite(dmude[k + 1]) ? dmude[k + 1] : -1;
    const f64 dp = finite(dmude[k - 1]) ? dmude[k - 1] : -1;
    if (d > high && d > best_dmu && dn > high && dp > high) {
      best = k;
      best_dmu = d;
    }
  }
  return best < 0 ? -3 : best;
}

/*
 * polyfit (polyfit.ts) of degree <= 3 over [start, end) by the normal equations in the scaled variable:
 * coef (degree + 1 values), and center, scale in cs[0], cs[1]. Returns 0, or 1 when TypeScript must
 * take over (too few points, or the Cholesky test that sends polyfit.ts to its QR fit).
 */
static int poly_fit(const f64 *x, const f64 *y, int degree, int start, int end, f64 *coef, f64 *cs) {
  const int m = end - start, n = degree + 1;
  if (m < n || degree > 3) return 1;
  f64 lo = __builtin_inf(), hi = -__builtin_inf();
  for (int i = start; i < end; i++) {
    lo = jmin(lo, x[i]);
    hi = jmax(hi, x[i]);
  }
  const f64 center = 0.5 * (lo + hi);
  const f64 scale = hi > lo ? 0.5 * (hi - lo) : 1;
  f64 pw[7] = {0, 0, 0, 0, 0, 0, 0}, rhs[4] = {0, 0, 0, 0};
  if (n <= 3) {
    f64 p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, r0 = 0, r1 = 0, r2 = 0;
    for (int i = start; i < end; i++) {
      const f64 t = (x[i] - center) / scale;
      const f64 yi = y[i];
      const f64 t2 = t * t;
      p0 += 1;
      p1 += t;
      p2 += t2;
      p3 += t2 * t;
      p4 += t2 * t2;
      r0 += yi;
      r1 += t * yi;
      r2 += t2 * yi;
    }
    pw[0] = p0;
    rhs[0] = r0;
    if (n >= 2) {
      pw[1] = p1;
      pw[2] = p2;
      rhs[1] = r1;
    }
    if (n == 3) {
      pw[3] = p3;
      pw[4] = p4;
      rhs[2] = r2;
    }
  } else {
    for (int i = start; i < end; i++) {
      const f64 t = (x[i] - center) / scale;
      const f64 yi = y[i];
      f64 p = 1;
      for (int j = 0; j < n; j++) {
        pw[j] += p;
        rhs[j] += p * yi;
        p *= t;
      }
      for (int j = n; j < 2 * n - 1; j++) {
        pw[j] += p;
        p *= t;
      }
    }
  }
  f64 l[16] = {0};
  for (int i = 0; i < n; i++) {
    for (int j = 0; j <= i; j++) {
      f64 s = pw[i + j];
      for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i == j) {
        if (!(s > 1e-12 * pw[2 * i])) return 1;
        l[i * n + i] = __builtin_sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  f64 z[4];
  for (int i = 0; i < n; i++) {
    f64 s = rhs[i];
    for (int k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  for (int i = n - 1; i >= 0; i--) {
    f64 s = z[i];
    for (int k = i + 1; k < n; k++) s -= l[k * n + i] * coef[k];
    coef[i] = s / l[i * n + i];
  }
  cs[0] = center;
  cs[1] = scale;
  return 0;
}

static inline f64 polyval1(const f64 *c, int deg, f64 center, f64 scale, f64 x) {
  const f64 t = (x - center) / scale;
  f64 v = 0;
  for (int j = deg; j >= 0; j--) v = v * t + c[j];
  return v;
}

/* polyvalArray over [start, end), two points per instruction. */
static void polyval_range(const f64 *c, int deg, f64 center, f64 scale, const f64 *x, f64 *out, int start,
                          int end) {
  const v128_t vc = wasm_f64x2_splat(center), vs = wasm_f64x2_splat(scale);
  int i = start;
  for (; i + 1 < end; i += 2) {
    const v128_t t = wasm_f64x2_div(wasm_f64x2_sub(wasm_v128_load(x + i), vc), vs);
    v128_t v = wasm_f64x2_splat(0);
    for (int j = deg; j >= 0; j--) v = wasm_f64x2_add(wasm_f64x2_mul(v, t), wasm_f64x2_splat(c[j]));
    wasm_v128_store(out + i, v);
  }
  for (; i < end; i++) out[i] = polyval1(c, deg, center, scale, x[i]);
}

/*
 * Stage B: the fits and curves for the slices [a1, a2) (pre-edge line) and [b1, b2) (post-edge
 * polynomial of degree nnorm), E0 at index ie0, the edge step given (step_given) or computed, and the
 * flattening when make_flat. Writes pre_line, post_edge, norm, flat (when flattened), d2mude, and
 * fits: pre (c0, c1, center, scale at 0..3), post center and scale at 4, 5, its coefficients 0..nnorm at
 * 8.., edge
 * step at 6, flattened (1/0) at 7. Returns 0; 1: TypeScript must redo stage B (a fit it does
 * differently or reports); 2: the edge step is not a positive finite number (in fits[6]).
 * scratch: n doubles.
 */
__attribute__((export_name("pre_edge_b"))) int pre_edge_b(const f64 *e, const f64 *mu, const f64 *dmude, int n,
                                                           const int *ip, const f64 *step, f64 *pre_line,
                                                           f64 *post_edge, f64 *norm, f64 *flat, f64 *d2mude,
                                                           f64 *fits, f64 *scratch) {
  const int a1 = ip[0], a2 = ip[1], b1 = ip[2], b2 = ip[3], nnorm = ip[4], ie0 = ip[5], make_flat = ip[6];
  const int step_given = ip[7];
  f64 pre[2], pre_cs[2], post[4], post_cs[2];
  if (poly_fit(e, mu, 1, a1, a2, pre, pre_cs)) return 1;
  polyval_range(pre, 1, pre_cs[0], pre_cs[1], e, pre_line, 0, n);
  f64 *presub = scratch;
  for (int i = b1; i < b2; i++) presub[i] = mu[i] - pre_line[i];
  if (poly_fit(e, presub, nnorm, b1, b2, post, post_cs)) return 1;
  polyval_range(post, nnorm, post_cs[0], post_cs[1], e, post_edge, 0, n);
  f64 edge_step = step_given ? step[0] : post_edge[ie0] + pre_line[ie0] - pre_line[ie0];
  edge_step = __builtin_fabs(edge_step);
  fits[6] = edge_step;
  if (!(edge_step > 0) || !finite(edge_step)) return 2;
  {
    const v128_t es = wasm_f64x2_splat(edge_step);
    int i = 0;
    for (; i + 1 < n; i += 2) {
      const v128_t pl = wasm_v128_load(pre_line + i);
      wasm_v128_store(post_edge + i, wasm_f64x2_add(wasm_v128_load(post_edge + i), pl));
      wasm_v128_store(norm + i, wasm_f64x2_div(wasm_f64x2_sub(wasm_v128_load(mu + i), pl), es));
    }
    for (; i < n; i++) {
      const f64 pl = pre_line[i];
      post_edge[i] += pl;
      norm[i] = (mu[i] - pl) / edge_step;
    }
  }
  fits[7] = 0;
  if (make_flat && b2 - b1 > 4) {
    f64 fl[3], fl_cs[2];
    const int deg = nnorm < 2 ? nnorm : 2;
    if (poly_fit(e, norm, deg, b1, b2, fl, fl_cs)) return 1;
    const f64 ref = polyval1(fl, deg, fl_cs[0], fl_cs[1], e[ie0]);
    for (int i = 0; i < ie0; i++) flat[i] = norm[i];
    polyval_range(fl, deg, fl_cs[0], fl_cs[1], e, flat, ie0, n);
    const v128_t vr = wasm_f64x2_splat(ref);
    int i = ie0;
    for (; i + 1 < n; i += 2)
      wasm_v128_store(flat + i,
                      wasm_f64x2_sub(wasm_v128_load(norm + i), wasm_f64x2_sub(wasm_v128_load(flat + i), vr)));
    for (; i < n; i++) flat[i] = norm[i] - (flat[i] - ref);
    fits[7] = 1;
  }
  d2mude[0] = (dmude[1] - dmude[0]) / (e[1] - e[0]);
  d2mude[n - 1] = (dmude[n - 1] - dmude[n - 2]) / (e[n - 1] - e[n - 2]);
  int i = 1;
  for (; i + 2 < n; i += 2) {
    const v128_t num = wasm_f64x2_sub(wasm_v128_load(dmude + i + 1), wasm_v128_load(dmude + i - 1));
    const v128_t den = wasm_f64x2_sub(wasm_v128_load(e + i + 1), wasm_v128_load(e + i - 1));
    wasm_v128_store(d2mude + i, wasm_f64x2_div(num, den));
  }
  for (; i < n - 1; i++) d2mude[i] = (dmude[i + 1] - dmude[i - 1]) / (e[i + 1] - e[i - 1]);
  fits[0] = pre[0];
  fits[1] = pre[1];
  fits[2] = pre_cs[0];
  fits[3] = pre_cs[1];
  for (int k = 0; k <= nnorm; k++) fits[8 + k] = post[k];
  fits[4] = post_cs[0];
  fits[5] = post_cs[1];
  return 0;
}
