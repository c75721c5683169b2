/*
 * WebAssembly SIMD128 kernels of the processing stage (src/process/wasm-kernels.ts loads them; the
 * TypeScript code next to each caller is the fallback and the reference). Each kernel performs the
 * same floating-point operations in the same order as its TypeScript twin, so both give bit-identical
 * results: SIMD lanes only ever hold independent sums (two columns, or the real and imaginary part of
 * one sum), never parts of one sum, and WebAssembly has no fused multiply-add to change the rounding.
 * Pointers are byte offsets into this module's memory; the caller places operands there.
 * Rebuild: node tools/process/build-wasm.mjs (clang-15, wasm-ld-15).
 */
#include <wasm_simd128.h>

#include "kernels.h"

/*
 * AUTOBK design (autobk-design.ts, designBanded): for each knot interval [start, end) of rows sharing
 * first coefficient fc and each frequency j < irb,
 *   (Re, Im) of sum_km g[km, c] * exp(-2*pi*i*j*km/nfft),  c = 0..4,
 * added into m (rows 2j and 2j+1, columns fc..fc+3; row-major with n columns) and a (c = 4).
 * cs holds (cos, -sin) of 2*pi*t/nfft interleaved; mask = nfft - 1. m and a are zeroed here.
 */
__attribute__((export_name("design_banded"))) void design_banded(const f64 *g, const int *first, int nk, int irb, const f64 *cs, int mask, int n, f64 *m,
                   f64 *a) {
  for (int i = 0; i < 2 * irb * n; i++) m[i] = 0;
  for (int i = 0; i < 2 * irb; i++) a[i] = 0;
  int start = 0;
  while (start < nk) {
    const int fc = first[start];
    int end = start + 1;
    while (end < nk && first[end] == fc) end++;
    int j = 0;
    for (; j + 1 < irb; j += 2) {
      v128_t p0 = wasm_f64x2_const(0, 0), p1 = p0, p2 = p0, p3 = p0, p4 = p0;
      v128_t q0 = p0, q1 = p0, q2 = p0, q3 = p0, q4 = p0;
      int t = (j * start) & mask;
      int u = ((j + 1) * start) & mask;
      for (int km = start; km < end; km++) {
        const v128_t w = wasm_v128_load(cs + 2 * t);
        const v128_t x = wasm_v128_load(cs + 2 * u);
        const f64 *o = g + 5 * km;
        const v128_t v0 = wasm_v128_load64_splat(o);
        const v128_t v1 = wasm_v128_load64_splat(o + 1);
        const v128_t v2 = wasm_v128_load64_splat(o + 2);
        const v128_t v3 = wasm_v128_load64_splat(o + 3);
        const v128_t v4 = wasm_v128_load64_splat(o + 4);
        p0 = wasm_f64x2_add(p0, wasm_f64x2_mul(v0, w));
        p1 = wasm_f64x2_add(p1, wasm_f64x2_mul(v1, w));
        p2 = wasm_f64x2_add(p2, wasm_f64x2_mul(v2, w));
        p3 = wasm_f64x2_add(p3, wasm_f64x2_mul(v3, w));
        p4 = wasm_f64x2_add(p4, wasm_f64x2_mul(v4, w));
        q0 = wasm_f64x2_add(q0, wasm_f64x2_mul(v0, x));
        q1 = wasm_f64x2_add(q1, wasm_f64x2_mul(v1, x));
        q2 = wasm_f64x2_add(q2, wasm_f64x2_mul(v2, x));
        q3 = wasm_f64x2_add(q3, wasm_f64x2_mul(v3, x));
        q4 = wasm_f64x2_add(q4, wasm_f64x2_mul(v4, x));
        t = (t + j) & mask;
        u = (u + j + 1) & mask;
      }
      f64 *re = m + 2 * j * n + fc, *im = re + n;
      re[0] += wasm_f64x2_extract_lane(p0, 0);
      re[1] += wasm_f64x2_extract_lane(p1, 0);
      re[2] += wasm_f64x2_extract_lane(p2, 0);
      re[3] += wasm_f64x2_extract_lane(p3, 0);
      im[0] += wasm_f64x2_extract_lane(p0, 1);
      im[1] += wasm_f64x2_extract_lane(p1, 1);
      im[2] += wasm_f64x2_extract_lane(p2, 1);
      im[3] += wasm_f64x2_extract_lane(p3, 1);
      a[2 * j] += wasm_f64x2_extract_lane(p4, 0);
      a[2 * j + 1] += wasm_f64x2_extract_lane(p4, 1);
      re += 2 * n;
      im += 2 * n;
      re[0] += wasm_f64x2_extract_lane(q0, 0);
      re[1] += wasm_f64x2_extract_lane(q1, 0);
      re[2] += wasm_f64x2_extract_lane(q2, 0);
      re[3] += wasm_f64x2_extract_lane(q3, 0);
      im[0] += wasm_f64x2_extract_lane(q0, 1);
      im[1] += wasm_f64x2_extract_lane(q1, 1);
      im[2] += wasm_f64x2_extract_lane(q2, 1);
      im[3] += wasm_f64x2_extract_lane(q3, 1);
      a[2 * j + 2] += wasm_f64x2_extract_lane(q4, 0);
      a[2 * j + 3] += wasm_f64x2_extract_lane(q4, 1);
    }
    for (; j < irb; j++) {
      v128_t p0 = wasm_f64x2_const(0, 0), p1 = p0, p2 = p0, p3 = p0, p4 = p0;
      int t = (j * start) & mask;
      for (int km = start; km < end; km++) {
        const v128_t w = wasm_v128_load(cs + 2 * t);
        const f64 *o = g + 5 * km;
        p0 = wasm_f64x2_add(p0, wasm_f64x2_mul(wasm_v128_load64_splat(o), w));
        p1 = wasm_f64x2_add(p1, wasm_f64x2_mul(wasm_v128_load64_splat(o + 1), w));
        p2 = wasm_f64x2_add(p2, wasm_f64x2_mul(wasm_v128_load64_splat(o + 2), w));
        p3 = wasm_f64x2_add(p3, wasm_f64x2_mul(wasm_v128_load64_splat(o + 3), w));
        p4 = wasm_f64x2_add(p4, wasm_f64x2_mul(wasm_v128_load64_splat(o + 4), w));
        t = (t + j) & mask;
      }
      f64 *re = m + 2 * j * n + fc, *im = re + n;
      re[0] += wasm_f64x2_extract_lane(p0, 0);
      re[1] += wasm_f64x2_extract_lane(p1, 0);
      re[2] += wasm_f64x2_extract_lane(p2, 0);
      re[3] += wasm_f64x2_extract_lane(p3, 0);
      im[0] += wasm_f64x2_extract_lane(p0, 1);
      im[1] += wasm_f64x2_extract_lane(p1, 1);
      im[2] += wasm_f64x2_extract_lane(p2, 1);
      im[3] += wasm_f64x2_extract_lane(p3, 1);
      a[2 * j] += wasm_f64x2_extract_lane(p4, 0);
      a[2 * j + 1] += wasm_f64x2_extract_lane(p4, 1);
    }
    start = end;
  }
}

/*
 * Householder QR (linalg.ts, qrDecompose) of the row-major m x n matrix w, in place, with the
 * column sums of each step accumulated row by row (every column's sum keeps its own order, so the
 * result equals the column-by-column loops). On return w holds the Householder vectors on and below
 * the diagonal and R strictly above it (row-major), rdiag the diagonal of R. s: n doubles of scratch.
 */
__attribute__((export_name("qr_rowmajor"))) void qr_rowmajor(f64 *w, int m, int n, f64 *rdiag, f64 *s) {
  for (int k = 0; k < n; k++) {
    f64 nrm = 0;
    for (int i = k; i < m; i++) {
      const f64 v = w[i * n + k];
      nrm += v * v;
    }
    nrm = __builtin_sqrt(nrm);
    if (nrm != 0) {
      if (w[k * n + k] < 0) nrm = -nrm;
      {
        /* two divisions per instruction (each lane divides its own element) */
        const v128_t dv = wasm_f64x2_splat(nrm);
        int i = k;
        for (; i + 1 < m; i += 2) {
          const v128_t q = wasm_f64x2_div(wasm_f64x2_make(w[i * n + k], w[(i + 1) * n + k]), dv);
          w[i * n + k] = wasm_f64x2_extract_lane(q, 0);
          w[(i + 1) * n + k] = wasm_f64x2_extract_lane(q, 1);
        }
        if (i < m) w[i * n + k] /= nrm;
      }
      w[k * n + k] += 1;
      const f64 vkk = w[k * n + k];
      const int j0 = k + 1;
      for (int j = j0; j < n; j++) s[j] = 0;
      for (int i = k; i < m; i++) {
        const f64 *row = w + i * n;
        const v128_t v = wasm_f64x2_splat(row[k]);
        int j = j0;
        for (; j + 1 < n; j += 2)
          wasm_v128_store(s + j, wasm_f64x2_add(wasm_v128_load(s + j), wasm_f64x2_mul(v, wasm_v128_load(row + j))));
        if (j < n) s[j] += row[k] * row[j];
      }
      for (int j = j0; j < n; j++) s[j] = -s[j] / vkk;
      for (int i = k; i < m; i++) {
        f64 *row = w + i * n;
        const v128_t v = wasm_f64x2_splat(row[k]);
        int j = j0;
        for (; j + 1 < n; j += 2)
          wasm_v128_store(row + j, wasm_f64x2_add(wasm_v128_load(row + j), wasm_f64x2_mul(wasm_v128_load(s + j), v)));
        if (j < n) row[j] += s[j] * row[k];
      }
    }
    rdiag[k] = -nrm;
  }
}

/* Bit-reversal permutation of 0 .. nc-1 (nc a power of two) for rfft_half. */
__attribute__((export_name("fft_bitrev"))) void fft_bitrev(int nc, int *rev) {
  int bits = 0;
  while ((1 << bits) < nc) bits++;
  for (int i = 0; i < nc; i++) {
    int r = 0;
    for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
}

static inline v128_t cmul(v128_t a, v128_t w) {
  /* (a.re*w.re - a.im*w.im, a.re*w.im + a.im*w.re) */
  const v128_t wr = wasm_i64x2_shuffle(w, w, 0, 0);
  const v128_t wi = wasm_i64x2_shuffle(w, w, 1, 1);
  const v128_t as = wasm_i64x2_shuffle(a, a, 1, 0);
  const v128_t t = wasm_f64x2_mul(as, wi);
  return wasm_f64x2_add(wasm_f64x2_mul(a, wr), wasm_f64x2_mul(t, wasm_f64x2_const(-1.0, 1.0)));
}

/*
 * Forward DFT X_j = sum_m x_m exp(-2*pi*i*j*m/nfft) of npts real values zero-padded to nfft, for
 * j < keep (keep <= nfft/2), written interleaved (Re, Im) to out. The real sequence is packed into
 * nc = nfft/2 complex values (even + i*odd), transformed by a radix-2 decimation-in-frequency FFT
 * (stages whose second half is still all zero reduce to a twiddle multiplication) and unpacked.
 * cs: (cos, -sin) of 2*pi*t/nfft, t < nfft; rev: fft_bitrev(nc); z: 2*nc doubles of scratch.
 */
__attribute__((export_name("rfft_half"))) void rfft_half(const f64 *x, int npts, int nfft, const f64 *cs,
                                                          const int *rev, f64 *z, f64 *out, int keep) {
  const int nc = nfft >> 1;
  int nz = (npts + 1) >> 1; /* complex values that can be non-zero */
  for (int m = 0; m < npts >> 1; m++) {
    z[2 * m] = x[2 * m];
    z[2 * m + 1] = x[2 * m + 1];
  }
  if (npts & 1) {
    z[npts - 1] = x[npts - 1];
    z[npts] = 0;
  }
  for (int m = 2 * nz; m < 2 * nc; m++) z[m] = 0;
  /* twiddle of block length len, index k: exp(-2*pi*i*k/len) = cs[2 * k * (nfft/len)] */
  for (int len = nc; len >= 2; len >>= 1) {
    const int half = len >> 1;
    const int stride = 2 * (nfft / len);
    if (nz <= half) {
      /* b = 0 in every block: a stays, a*w goes to the second half */
      for (int s = 0; s < nc; s += len) {
        for (int k = 0; k < nz; k++) {
          const v128_t a = wasm_v128_load(z + 2 * (s + k));
          wasm_v128_store(z + 2 * (s + k + half), cmul(a, wasm_v128_load(cs + k * stride)));
        }
      }
      continue;
    }
    nz = half;
    if (len == 2) {
      for (int s = 0; s < nc; s += 2) {
        const v128_t a = wasm_v128_load(z + 2 * s);
        const v128_t b = wasm_v128_load(z + 2 * s + 2);
        wasm_v128_store(z + 2 * s, wasm_f64x2_add(a, b));
        wasm_v128_store(z + 2 * s + 2, wasm_f64x2_sub(a, b));
      }
      continue;
    }
    for (int s = 0; s < nc; s += len) {
      f64 *p = z + 2 * s, *q = p + 2 * half;
      {
        const v128_t a = wasm_v128_load(p);
        const v128_t b = wasm_v128_load(q);
        wasm_v128_store(p, wasm_f64x2_add(a, b));
        wasm_v128_store(q, wasm_f64x2_sub(a, b));
      }
      for (int k = 1; k < half; k++) {
        const v128_t a = wasm_v128_load(p + 2 * k);
        const v128_t b = wasm_v128_load(q + 2 * k);
        wasm_v128_store(p + 2 * k, wasm_f64x2_add(a, b));
        wasm_v128_store(q + 2 * k, cmul(wasm_f64x2_sub(a, b), wasm_v128_load(cs + k * stride)));
      }
    }
  }
  /* unpack: X_j = E_j + W^j O_j, E = (Z_j + conj Z_{nc-j})/2, O = (Z_j - conj Z_{nc-j})/(2i) */
  for (int j = 0; j < keep; j++) {
    const int i1 = 2 * rev[j];
    const int i2 = 2 * rev[(nc - j) & (nc - 1)];
    const f64 zr = z[i1], zi = z[i1 + 1], cr = z[i2], ci = -z[i2 + 1];
    const f64 er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
    const f64 or_ = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);
    const f64 wr = cs[2 * j], wi = cs[2 * j + 1];
    out[2 * j] = er + (wr * or_ - wi * oi);
    out[2 * j + 1] = ei + (wr * oi + wi * or_);
  }
}

/*
 * Not-a-knot cubic interpolating spline (cubic-spline.ts, notAKnotSpline): slopes s at the n points
 * (x, y). Returns 0, or i + 1 when x does not increase at index i + 1. work: 5 * n doubles.
 */
__attribute__((export_name("spline_nak"))) int spline_nak(const f64 *x, const f64 *y, int n, f64 *s, f64 *work) {
  f64 *dx = work, *slope = work + n, *d = work + 2 * n, *du = work + 3 * n, *dl = work + 4 * n;
  for (int i = 0; i < n - 1; i++) {
    dx[i] = x[i + 1] - x[i];
    if (!(dx[i] > 0)) return i + 1;
    slope[i] = (y[i + 1] - y[i]) / dx[i];
  }
  if (n == 2) {
    s[0] = s[1] = slope[0];
    return 0;
  }
  if (n == 3) {
    const f64 a = (slope[1] - slope[0]) / (x[2] - x[0]);
    s[0] = slope[0] - a * dx[0];
    s[1] = slope[0] + a * dx[0];
    s[2] = slope[1] + a * dx[1];
    return 0;
  }
  f64 *b = s;
  for (int i = 1; i < n - 1; i++) {
    dl[i - 1] = dx[i];
    d[i] = 2 * (dx[i - 1] + dx[i]);
    du[i] = dx[i - 1];
    b[i] = 3 * (dx[i] * slope[i - 1] + dx[i - 1] * slope[i]);
  }
  const f64 w0 = x[2] - x[0];
  d[0] = dx[1];
  du[0] = w0;
  b[0] = ((dx[0] + 2 * w0) * dx[1] * slope[0] + dx[0] * dx[0] * slope[1]) / w0;
  const f64 w1 = x[n - 1] - x[n - 3];
  d[n - 1] = dx[n - 3];
  dl[n - 2] = w1;
  b[n - 1] = (dx[n - 2] * dx[n - 2] * slope[n - 3] + (2 * w1 + dx[n - 2]) * dx[n - 3] * slope[n - 2]) / w1;
  /* tridiagonal solve with partial pivoting (solveTridiagonal); du2 reuses dx */
  f64 *du2 = dx;
  for (int i = 0; i < n - 1; i++) {
    const f64 adi = d[i] < 0 ? -d[i] : d[i];
    const f64 adl = dl[i] < 0 ? -dl[i] : dl[i];
    if (adi >= adl) {
      const f64 fact = dl[i] / d[i];
      d[i + 1] -= fact * du[i];
      b[i + 1] -= fact * b[i];
      if (i < n - 2) du2[i] = 0;
    } else {
      const f64 fact = d[i] / dl[i];
      d[i] = dl[i];
      const f64 temp = d[i + 1];
      d[i + 1] = du[i] - fact * temp;
      if (i < n - 2) {
        du2[i] = du[i + 1];
        du[i + 1] = -fact * du2[i];
      }
      du[i] = temp;
      const f64 tb = b[i];
      b[i] = b[i + 1];
      b[i + 1] = tb - fact * b[i + 1];
    }
  }
  b[n - 1] /= d[n - 1];
  if (n > 1) b[n - 2] = (b[n - 2] - du[n - 2] * b[n - 1]) / d[n - 2];
  for (int i = n - 3; i >= 0; i--) b[i] = (b[i] - du[i] * b[i + 1] - du2[i] * b[i + 2]) / d[i];
  return 0;
}

static int piece_index(const f64 *x, int n, f64 xv) {
  const int last = n - 2;
  if (xv <= x[0]) return 0;
  if (xv >= x[last]) return last;
  int lo = 0, hi = last;
  while (hi - lo > 1) {
    const int mid = (lo + hi) >> 1;
    if (x[mid] <= xv)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

/* The piece of the spline for xv, starting from the piece i of the previous (smaller) point. */
static inline int next_piece(const f64 *x, int n, int i, f64 xv) {
  const int last = n - 2;
  if (i <= last && (i == 0 ? 1 : xv >= x[i]) && (i == last || xv < x[i + 1])) return i;
  /* increasing xs: a few steps forward usually reach the piece (the same one the search finds) */
  int k = i, steps = 0;
  while (k < last && xv >= x[k + 1] && steps < 8) {
    k++;
    steps++;
  }
  if ((k == 0 || xv >= x[k]) && (k == last || xv < x[k + 1])) return k;
  return piece_index(x, n, xv);
}

#define V2(a, b) wasm_f64x2_make(a, b)

/*
 * The spline (x, y, s) of spline_nak at the nxs points xs (cubic-spline.ts, evalSplineAt). Two points
 * at a time in the two SIMD lanes (each lane performs the scalar operations of its point).
 */
__attribute__((export_name("spline_eval"))) void spline_eval(const f64 *x, const f64 *y, const f64 *s, int n,
                                                              const f64 *xs, int nxs, f64 *out) {
  int i = 0;
  int j = 0;
  const v128_t three = wasm_f64x2_splat(3), two = wasm_f64x2_splat(2);
  for (; j + 1 < nxs; j += 2) {
    const int a = next_piece(x, n, i, xs[j]);
    const int b = next_piece(x, n, a, xs[j + 1]);
    i = b;
    const v128_t xv = wasm_v128_load(xs + j);
    const v128_t x0 = V2(x[a], x[b]);
    const v128_t h = wasm_f64x2_sub(V2(x[a + 1], x[b + 1]), x0);
    const v128_t y0 = V2(y[a], y[b]);
    const v128_t s0 = V2(s[a], s[b]);
    const v128_t s1 = V2(s[a + 1], s[b + 1]);
    const v128_t slope = wasm_f64x2_div(wasm_f64x2_sub(V2(y[a + 1], y[b + 1]), y0), h);
    const v128_t c2 = wasm_f64x2_div(
        wasm_f64x2_sub(wasm_f64x2_sub(wasm_f64x2_mul(three, slope), wasm_f64x2_mul(two, s0)), s1), h);
    const v128_t c3 =
        wasm_f64x2_div(wasm_f64x2_sub(wasm_f64x2_add(s0, s1), wasm_f64x2_mul(two, slope)), wasm_f64x2_mul(h, h));
    const v128_t t = wasm_f64x2_sub(xv, x0);
    const v128_t r = wasm_f64x2_add(
        y0, wasm_f64x2_mul(t, wasm_f64x2_add(s0, wasm_f64x2_mul(t, wasm_f64x2_add(c2, wasm_f64x2_mul(t, c3))))));
    wasm_v128_store(out + j, r);
  }
  for (; j < nxs; j++) {
    const f64 xv = xs[j];
    i = next_piece(x, n, i, xv);
    const f64 x0 = x[i];
    const f64 h = x[i + 1] - x0;
    const f64 y0 = y[i];
    const f64 s0 = s[i];
    const f64 s1 = s[i + 1];
    const f64 slope = (y[i + 1] - y0) / h;
    const f64 c2 = (3 * slope - 2 * s0 - s1) / h;
    const f64 c3 = (s0 + s1 - 2 * slope) / (h * h);
    const f64 t = xv - x0;
    out[j] = y0 + t * (s0 + t * (c2 + t * c3));
  }
}

static int knot_interval(const f64 *t, int ncoef, f64 x) {
  int lo = 3, hi = ncoef - 1;
  if (x < t[lo + 1]) return lo;
  if (x >= t[hi]) return hi;
  while (hi - lo > 1) {
    const int mid = (lo + hi) >> 1;
    if (t[mid] <= x)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

/* splev's interval for xv, starting from the interval l of the previous (smaller) point. */
static inline int next_interval(const f64 *t, int ncoef, int l, f64 xv) {
  if (l < ncoef - 1 && xv >= t[l] && xv < t[l + 1]) return l;
  return knot_interval(t, ncoef, xv);
}

/*
 * Cubic B-spline design (bspline.ts, cubicDesign): for each x, the first coefficient index and the
 * four non-zero basis values of the knot vector t (nt knots, ncoef = nt - 4). Two points at a time in
 * the two SIMD lanes (each lane performs the scalar operations of its point).
 */
__attribute__((export_name("bspline_cubic"))) void bspline_cubic(const f64 *t, int nt, const f64 *x, int npts,
                                                                  int *first, f64 *values) {
  const int ncoef = nt - 4;
  int l = 3;
  int i = 0;
  const v128_t one = wasm_f64x2_splat(1);
  for (; i + 1 < npts; i += 2) {
    const int la = next_interval(t, ncoef, l, x[i]);
    const int lb = next_interval(t, ncoef, la, x[i + 1]);
    l = lb;
    const v128_t xv = wasm_v128_load(x + i);
    const v128_t l1 = V2(t[la - 2], t[lb - 2]), l2 = V2(t[la - 1], t[lb - 1]), l3 = V2(t[la], t[lb]);
    const v128_t r1 = V2(t[la + 1], t[lb + 1]), r2 = V2(t[la + 2], t[lb + 2]), r3 = V2(t[la + 3], t[lb + 3]);
    const v128_t dl1 = wasm_f64x2_sub(xv, l3), dl2 = wasm_f64x2_sub(xv, l2), dl3 = wasm_f64x2_sub(xv, l1);
    const v128_t dr1 = wasm_f64x2_sub(r1, xv), dr2 = wasm_f64x2_sub(r2, xv), dr3 = wasm_f64x2_sub(r3, xv);
    v128_t tmp = wasm_f64x2_div(one, wasm_f64x2_add(dr1, dl1));
    v128_t b0 = wasm_f64x2_mul(dr1, tmp);
    v128_t b1 = wasm_f64x2_mul(dl1, tmp);
    tmp = wasm_f64x2_div(b0, wasm_f64x2_add(dr1, dl2));
    const v128_t c0 = wasm_f64x2_mul(dr1, tmp);
    v128_t saved = wasm_f64x2_mul(dl2, tmp);
    tmp = wasm_f64x2_div(b1, wasm_f64x2_add(dr2, dl1));
    const v128_t c1 = wasm_f64x2_add(saved, wasm_f64x2_mul(dr2, tmp));
    const v128_t c2 = wasm_f64x2_mul(dl1, tmp);
    tmp = wasm_f64x2_div(c0, wasm_f64x2_add(dr1, dl3));
    b0 = wasm_f64x2_mul(dr1, tmp);
    saved = wasm_f64x2_mul(dl3, tmp);
    tmp = wasm_f64x2_div(c1, wasm_f64x2_add(dr2, dl2));
    b1 = wasm_f64x2_add(saved, wasm_f64x2_mul(dr2, tmp));
    saved = wasm_f64x2_mul(dl2, tmp);
    tmp = wasm_f64x2_div(c2, wasm_f64x2_add(dr3, dl1));
    const v128_t b2 = wasm_f64x2_add(saved, wasm_f64x2_mul(dr3, tmp));
    const v128_t b3 = wasm_f64x2_mul(dl1, tmp);
    f64 *o = values + 4 * i;
    o[0] = wasm_f64x2_extract_lane(b0, 0);
    o[1] = wasm_f64x2_extract_lane(b1, 0);
    o[2] = wasm_f64x2_extract_lane(b2, 0);
    o[3] = wasm_f64x2_extract_lane(b3, 0);
    o[4] = wasm_f64x2_extract_lane(b0, 1);
    o[5] = wasm_f64x2_extract_lane(b1, 1);
    o[6] = wasm_f64x2_extract_lane(b2, 1);
    o[7] = wasm_f64x2_extract_lane(b3, 1);
    first[i] = la - 3;
    first[i + 1] = lb - 3;
  }
  for (; i < npts; i++) {
    const f64 xv = x[i];
    l = next_interval(t, ncoef, l, xv);
    const f64 l1 = t[l - 2], l2 = t[l - 1], l3 = t[l];
    const f64 r1 = t[l + 1], r2 = t[l + 2], r3 = t[l + 3];
    const f64 dl1 = xv - l3, dl2 = xv - l2, dl3 = xv - l1;
    const f64 dr1 = r1 - xv, dr2 = r2 - xv, dr3 = r3 - xv;
    f64 tmp = 1 / (dr1 + dl1);
    f64 b0 = dr1 * tmp;
    f64 b1 = dl1 * tmp;
    tmp = b0 / (dr1 + dl2);
    const f64 c0 = dr1 * tmp;
    f64 saved = dl2 * tmp;
    tmp = b1 / (dr2 + dl1);
    const f64 c1 = saved + dr2 * tmp;
    const f64 c2 = dl1 * tmp;
    tmp = c0 / (dr1 + dl3);
    b0 = dr1 * tmp;
    saved = dl3 * tmp;
    tmp = c1 / (dr2 + dl2);
    b1 = saved + dr2 * tmp;
    saved = dl2 * tmp;
    tmp = c2 / (dr3 + dl1);
    f64 *o = values + 4 * i;
    o[0] = b0;
    o[1] = b1;
    o[2] = saved + dr3 * tmp;
    o[3] = dl1 * tmp;
    first[i] = l - 3;
  }
}

/* atan(k/8), k = 0..8, correctly rounded (mpmath, 40 digits) */
static const f64 ATAN_EIGHTHS[9] = {0.0,
                                    0.12435499454676144,
                                    0.24497866312686414,
                                    0.35877067027057225,
                                    0.4636476090008061,
                                    0.5585993153435624,
                                    0.6435011087932844,
                                    0.7188299996216245,
                                    0.7853981633974483};
/* pi and pi/2 as sums of two doubles */
#define PI_HI 3.141592653589793
#define PI_LO 1.2246467991473532e-16
#define PI_2_HI 1.5707963267948966
#define PI_2_LO 6.123233995736766e-17

/*
 * atan(t) for 0 <= t <= 1: t is moved next to the nearest k/8 by atan(t) = atan(c) + atan(u),
 * u = (t - c)/(1 + t c), |u| < 1/16, and atan(u) summed from its Taylor series up to u^15 (the first
 * term left out is below 1e-20 of the result). Error within about 1.5 units in the last place.
 */
static f64 atan_unit(f64 t) {
  const int k = (int)(t * 8 + 0.5);
  const f64 c = k * 0.125;
  const f64 u = k ? (t - c) / (1 + t * c) : t;
  const f64 u2 = u * u;
  f64 p = -1.0 / 15;
  p = p * u2 + 1.0 / 13;
  p = p * u2 - 1.0 / 11;
  p = p * u2 + 1.0 / 9;
  p = p * u2 - 1.0 / 7;
  p = p * u2 + 1.0 / 5;
  p = p * u2 - 1.0 / 3;
  return ATAN_EIGHTHS[k] + (u + u * u2 * p);
}

/* atan2 with the special values of ECMAScript's Math.atan2 (zeros, infinities, NaN). */
static f64 atan2_(f64 y, f64 x) {
  if (y != y || x != x) return y + x;
  const f64 ax = __builtin_fabs(x), ay = __builtin_fabs(y);
  const f64 inf = __builtin_inf();
  const int xneg = x < 0 || (x == 0 && __builtin_signbit(x));
  f64 r;
  if (ay <= ax) {
    const f64 t = ax == 0 ? 0 : (ax == inf ? (ay == inf ? 1 : 0) : ay / ax);
    const f64 a = atan_unit(t);
    r = xneg ? (PI_HI - a) + PI_LO : a;
  } else {
    const f64 t = ay == inf ? 0 : ax / ay;
    const f64 a = atan_unit(t);
    r = xneg ? (PI_2_HI + a) + PI_2_LO : (PI_2_HI - a) + PI_2_LO;
  }
  return __builtin_signbit(y) ? -r : r;
}

static f64 round_half_even(f64 x) {
  const f64 r = __builtin_floor(x);
  const f64 d = x - r;
  if (d > 0.5) return r + 1;
  if (d < 0.5) return r;
  return r - 2 * __builtin_floor(r * 0.5) == 0 ? r : r + 1;
}

static f64 sign_(f64 x) { return x > 0 ? 1 : (x < 0 ? -1 : x); }

/*
 * xftf after the FFT (xft.ts): chi(R) = f * X_j for j < keep from rfft_half's output spec, its
 * magnitude, and the phase with jumps of pi*round(|delta|/pi) removed (Larch's complex_phase).
 */
__attribute__((export_name("xftf_finish"))) void xftf_finish(const f64 *spec, int keep, f64 f, f64 *re, f64 *im,
                                                              f64 *mag, f64 *pha) {
  f64 prev = 0, cum = 0;
  for (int i = 0; i < keep; i++) {
    const f64 a = f * spec[2 * i];
    const f64 b = f * spec[2 * i + 1];
    re[i] = a;
    im[i] = b;
    mag[i] = __builtin_sqrt(a * a + b * b);
    const f64 ph = atan2_(b, a);
    if (i == 0) {
      pha[0] = ph;
    } else {
      const f64 d = (ph - prev) / PI_HI;
      cum += round_half_even(__builtin_fabs(d)) * sign_(d);
      pha[i] = ph - PI_HI * cum;
    }
    prev = ph;
  }
}

/* atan2_ on n pairs (tests compare it with Math.atan2). */
__attribute__((export_name("atan2_many"))) void atan2_many(const f64 *y, const f64 *x, int n, f64 *out) {
  for (int i = 0; i < n; i++) out[i] = atan2_(y[i], x[i]);
}
