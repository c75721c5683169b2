/**
 * Pure TypeScript single-precision GEMM with cblas_sgemm semantics (row-major, both transposes).
 * It is the reference implementation and the last-resort fallback: correct for every shape,
 * cache-friendly (rows of op(B) streamed with four rows of C at a time), but scalar.
 */

/** C = alpha·op(A)·op(B) + beta·C, row-major. */
export function jsGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
): void {
  const need = (rows: number, cols: number, ld: number) => (rows === 0 ? 0 : (rows - 1) * ld + cols);
  if (
    a.length < (transA ? need(k, m, lda) : need(m, k, lda)) ||
    b.length < (transB ? need(n, k, ldb) : need(k, n, ldb)) ||
    c.length < need(m, n, ldc)
  ) {
    throw new RangeError('gemm: Float32Array argument too short for the given shape');
  }
  for (let i = 0; i < m; i++) {
    const row = i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else if (beta !== 1) for (let j = 0; j < n; j++) c[row + j] *= beta;
  }
  if (k === 0 || alpha === 0) return;
  // op(B) as a contiguous k×n panel, so the inner loop is a unit-stride axpy.
  let bp: Float32Array;
  if (!transB && ldb === n) bp = b;
  else {
    bp = new Float32Array(k * n);
    for (let p = 0; p < k; p++)
      for (let j = 0; j < n; j++) bp[p * n + j] = transB ? b[j * ldb + p] : b[p * ldb + j];
  }
  const acc = new Float64Array(4 * n);
  for (let i0 = 0; i0 < m; i0 += 4) {
    const rows = Math.min(4, m - i0);
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const boff = p * n;
      for (let r = 0; r < rows; r++) {
        const i = i0 + r;
        const aip = transA ? a[p * lda + i] : a[i * lda + p];
        if (aip === 0) continue;
        const off = r * n;
        for (let j = 0; j < n; j++) acc[off + j] += aip * bp[boff + j];
      }
    }
    for (let r = 0; r < rows; r++) {
      const row = (i0 + r) * ldc;
      const off = r * n;
      for (let j = 0; j < n; j++) c[row + j] += alpha * acc[off + j];
    }
  }
}
