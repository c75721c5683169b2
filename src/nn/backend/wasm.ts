/**
 * WebAssembly SIMD128 GEMM backend: the packed/blocked kernel of native/wasm/gemm.c behind the
 * cblas_sgemm-style `gemm` of kernels.ts; every other kernel is the TypeScript one. Operands are
 * copied into the module's linear memory (cost O(mk + kn + mn), small next to the O(mnk) product).
 */
import { GEMM_WASM_BASE64 } from './gemm-wasm-binary.js';
import { makeJsKernels } from './js-kernels.js';
import type { Kernels } from './kernels.js';

interface GemmExports {
  memory: WebAssembly.Memory;
  packBytes(): number;
  gemm(
    ta: number,
    tb: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    pack: number,
  ): void;
}

const PAGE = 65536;
/** Our operands start above the module's own data and stack (its initial memory). */
const HEAP_START = 1 << 20;

function need2d(rows: number, cols: number, ld: number): number {
  return rows === 0 ? 0 : (rows - 1) * ld + cols;
}

function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}

export function loadWasmKernels(): { kernels: Kernels } | { reason: string } {
  let ex: GemmExports;
  try {
    const bytes = Buffer.from(GEMM_WASM_BASE64, 'base64');
    ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as GemmExports;
  } catch (err) {
    return { reason: `WebAssembly SIMD GEMM unavailable: ${(err as Error).message}` };
  }
  const packBytes = align16(ex.packBytes());
  let heap = new Float32Array(ex.memory.buffer);

  const ensure = (bytes: number) => {
    const have = ex.memory.buffer.byteLength;
    if (bytes > have) {
      ex.memory.grow(Math.ceil((bytes - have) / PAGE));
    }
    if (heap.buffer !== ex.memory.buffer) heap = new Float32Array(ex.memory.buffer);
  };

  const gemm: Kernels['gemm'] = (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
    if (m === 0 || n === 0) return;
    const nA = ta ? need2d(k, m, lda) : need2d(m, k, lda);
    const nB = tb ? need2d(n, k, ldb) : need2d(k, n, ldb);
    const nC = need2d(m, n, ldc);
    if (a.length < nA || b.length < nB || c.length < nC) {
      throw new RangeError('gemm: Float32Array argument too short for the given shape');
    }
    const pPack = HEAP_START;
    const pA = pPack + packBytes;
    const pB = pA + align16(nA * 4);
    const pC = pB + align16(nB * 4);
    ensure(pC + align16(nC * 4));
    heap.set(a.subarray(0, nA), pA >> 2);
    heap.set(b.subarray(0, nB), pB >> 2);
    if (beta !== 0) heap.set(c.subarray(0, nC), pC >> 2);
    ex.gemm(ta ? 1 : 0, tb ? 1 : 0, m, n, k, alpha, pA, lda, pB, ldb, beta, pC, ldc, pPack);
    if (ldc === n) c.set(heap.subarray(pC >> 2, (pC >> 2) + nC));
    else
      for (let i = 0; i < m; i++) c.set(heap.subarray((pC >> 2) + i * ldc, (pC >> 2) + i * ldc + n), i * ldc);
  };
  return { kernels: makeJsKernels('wasm', gemm) };
}
