/*
 * Single-precision GEMM for WebAssembly SIMD128, the fallback when the OpenBLAS addon cannot be
 * built. Row-major cblas_sgemm semantics (both transposes) with the packed, blocked loop order of
 * Goto & van de Geijn ("Anatomy of high-performance matrix multiplication", ACM TOMS 34, 2008):
 * op(B) is packed into KC×NR panels, op(A) into MC×KC blocks of MR-row panels, and a 6×8
 * register-blocked micro-kernel accumulates in f32x4 vectors. All pointers are byte offsets into
 * this module's linear memory; the JavaScript side copies operands in and the result out.
 * Rebuild: node tools/nn/build-wasm.mjs (clang-15 + wasm-ld-15).
 */
#include <wasm_simd128.h>

#define MR 6
#define NR 8
#define KC 256
#define MC 72
#define NC 1024

static inline float op_a(const float *a, int lda, int ta, int i, int p) { return ta ? a[p * lda + i] : a[i * lda + p]; }
static inline float op_b(const float *b, int ldb, int tb, int p, int j) { return tb ? b[j * ldb + p] : b[p * ldb + j]; }

/* Packs op(A)[i0:i0+mc, p0:p0+kc] as MR-row panels, k-major inside a panel, zero-padded. */
static void pack_a(const float *a, int lda, int ta, int i0, int mc, int p0, int kc, float *dst) {
  for (int ir = 0; ir < mc; ir += MR) {
    int rows = mc - ir < MR ? mc - ir : MR;
    for (int p = 0; p < kc; p++) {
      for (int r = 0; r < rows; r++) dst[r] = op_a(a, lda, ta, i0 + ir + r, p0 + p);
      for (int r = rows; r < MR; r++) dst[r] = 0.0f;
      dst += MR;
    }
  }
}

/* Packs op(B)[p0:p0+kc, j0:j0+nc] as NR-column panels, k-major inside a panel, zero-padded. */
static void pack_b(const float *b, int ldb, int tb, int p0, int kc, int j0, int nc, float *dst) {
  for (int jr = 0; jr < nc; jr += NR) {
    int cols = nc - jr < NR ? nc - jr : NR;
    if (!tb && cols == NR) {
      for (int p = 0; p < kc; p++) {
        const float *src = b + (p0 + p) * ldb + j0 + jr;
        wasm_v128_store(dst, wasm_v128_load(src));
        wasm_v128_store(dst + 4, wasm_v128_load(src + 4));
        dst += NR;
      }
    } else {
      for (int p = 0; p < kc; p++) {
        for (int c = 0; c < cols; c++) dst[c] = op_b(b, ldb, tb, p0 + p, j0 + jr + c);
        for (int c = cols; c < NR; c++) dst[c] = 0.0f;
        dst += NR;
      }
    }
  }
}

/* C[0:rows, 0:cols] += alpha · (packed A panel) · (packed B panel). */
static void micro(int kc, const float *pa, const float *pb, float alpha, float *c, int ldc, int rows, int cols) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  v128_t c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int p = 0; p < kc; p++) {
    v128_t b0 = wasm_v128_load(pb), b1 = wasm_v128_load(pb + 4);
    v128_t a;
    a = wasm_v128_load32_splat(pa + 0);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(pa + 1);
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(pa + 2);
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(pa + 3);
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(pa + 4);
    c40 = wasm_f32x4_add(c40, wasm_f32x4_mul(a, b0));
    c41 = wasm_f32x4_add(c41, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(pa + 5);
    c50 = wasm_f32x4_add(c50, wasm_f32x4_mul(a, b0));
    c51 = wasm_f32x4_add(c51, wasm_f32x4_mul(a, b1));
    pa += MR;
    pb += NR;
  }
  v128_t al = wasm_f32x4_splat(alpha);
  if (rows == MR && cols == NR) {
    v128_t acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
    for (int r = 0; r < MR; r++) {
      float *cr = c + r * ldc;
      wasm_v128_store(cr, wasm_f32x4_add(wasm_v128_load(cr), wasm_f32x4_mul(al, acc[r][0])));
      wasm_v128_store(cr + 4, wasm_f32x4_add(wasm_v128_load(cr + 4), wasm_f32x4_mul(al, acc[r][1])));
    }
  } else {
    float tmp[MR * NR];
    v128_t acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
    for (int r = 0; r < MR; r++) {
      wasm_v128_store(tmp + r * NR, acc[r][0]);
      wasm_v128_store(tmp + r * NR + 4, acc[r][1]);
    }
    for (int r = 0; r < rows; r++)
      for (int q = 0; q < cols; q++) c[r * ldc + q] += alpha * tmp[r * NR + q];
  }
}

/* Bytes of scratch the caller must reserve at `pack` for gemm(). */
__attribute__((export_name("packBytes"))) int pack_bytes(void) { return (MC * KC + KC * NC) * 4; }

__attribute__((export_name("gemm"))) void gemm(int ta, int tb, int m, int n, int k, float alpha, const float *a,
                                                int lda, const float *b, int ldb, float beta, float *c, int ldc,
                                                float *pack) {
  for (int i = 0; i < m; i++) {
    float *cr = c + i * ldc;
    if (beta == 0.0f)
      for (int j = 0; j < n; j++) cr[j] = 0.0f;
    else if (beta != 1.0f)
      for (int j = 0; j < n; j++) cr[j] *= beta;
  }
  if (k == 0 || alpha == 0.0f) return;
  float *pa = pack, *pb = pack + MC * KC;
  for (int jc = 0; jc < n; jc += NC) {
    int nc = n - jc < NC ? n - jc : NC;
    for (int pc = 0; pc < k; pc += KC) {
      int kc = k - pc < KC ? k - pc : KC;
      pack_b(b, ldb, tb, pc, kc, jc, nc, pb);
      for (int ic = 0; ic < m; ic += MC) {
        int mc = m - ic < MC ? m - ic : MC;
        pack_a(a, lda, ta, ic, mc, pc, kc, pa);
        for (int jr = 0; jr < nc; jr += NR) {
          int cols = nc - jr < NR ? nc - jr : NR;
          for (int ir = 0; ir < mc; ir += MR) {
            int rows = mc - ir < MR ? mc - ir : MR;
            micro(kc, pa + ir * kc, pb + jr * kc, alpha, c + (ic + ir) * ldc + jc + jr, ldc, rows, cols);
          }
        }
      }
    }
  }
}
