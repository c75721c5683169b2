/**
 * The memory side of the WebAssembly kernels: a bump arena in the module's memory, reset by every
 * call, above a fixed region that keeps the FFT tables (twiddles, bit reversal) per size; results
 * are copied out into the caller's allocation scope (arena.ts), so no returned array aliases the
 * module's memory.
 */
import { outF64, tmpF64 } from './arena.js';
import { trigTable } from './trig-table.js';
import type { ProcessWasmExports, Ptr } from './wasm-kernel-types.js';

const PAGE = 65536;

export const EMPTY = new Float64Array(0);

export class WasmMemory {
  protected f64 = new Float64Array(0);
  protected i32 = new Int32Array(0);
  /** Tables (twiddles, bit reversal) live below `fixedTop`; per-call operands above it. */
  private fixedTop: number;
  private top: number;
  private readonly tables = new Map<number, { cs: Ptr; rev: Ptr }>();
  /** Memory size in bytes (reading memory.buffer is slow, so it is tracked here). */
  private size: number;
  /** Calls so far (a call's operands are valid until the next call). */
  protected calls = 0;

  constructor(protected readonly ex: ProcessWasmExports) {
    this.size = ex.memory.buffer.byteLength;
    this.fixedTop = ((ex.__heap_base.value as number) + 15) & ~15;
    this.top = this.fixedTop;
    this.views();
  }

  /** Views on the memory; renewed after it grows (the module itself never grows it). */
  protected views(): void {
    if (this.f64.byteLength !== this.size) {
      const buffer = this.ex.memory.buffer;
      this.f64 = new Float64Array(buffer);
      this.i32 = new Int32Array(buffer);
    }
  }

  protected alloc(bytes: number): Ptr {
    const p = this.top;
    this.top = (p + bytes + 15) & ~15;
    if (this.top > this.size) {
      this.ex.memory.grow(Math.ceil((this.top - this.size) / PAGE));
      this.size = this.ex.memory.buffer.byteLength;
    }
    return p;
  }

  protected reset(): void {
    this.top = this.fixedTop;
    this.calls++;
  }

  /** (cos, −sin) of 2π·t/nfft interleaved, and the bit reversal of nfft/2 indices. */
  protected table(nfft: number): { cs: Ptr; rev: Ptr } {
    let t = this.tables.get(nfft);
    if (!t) {
      this.reset();
      const cs = this.alloc(16 * nfft);
      const rev = this.alloc(4 * Math.max(1, nfft >> 1));
      this.views();
      const { cos, sin } = trigTable(nfft);
      const o = cs >> 3;
      for (let i = 0; i < nfft; i++) {
        this.f64[o + 2 * i] = cos[i];
        this.f64[o + 2 * i + 1] = -sin[i];
      }
      this.ex.fft_bitrev(nfft >> 1, rev);
      this.fixedTop = this.top;
      t = { cs, rev };
      this.tables.set(nfft, t);
    }
    return t;
  }
}

/** count values of memory from index `at` into a result array of the current scope. */
export function resultCopy(memory: Float64Array, at: number, count: number): Float64Array {
  const out = outF64(count);
  out.set(memory.subarray(at, at + count));
  return out;
}

/** count values of memory from index `at` into a temporary. */
export function copyOut(memory: Float64Array, at: number, count: number): Float64Array {
  const out = tmpF64(count);
  out.set(memory.subarray(at, at + count));
  return out;
}
