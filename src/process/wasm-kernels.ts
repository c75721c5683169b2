/**
 * WebAssembly SIMD128 kernels of the processing stage (src/process/wasm/kernels.c, rebuilt by
 * tools/process/build-wasm.mjs): the AUTOBK design matrix (the direct low-R transform of the banded
 * B-spline basis) with its Householder QR, and the zero-padded real FFT of xftf. Each kernel has a
 * TypeScript twin that runs when WebAssembly is unavailable or XASFLOW_PROCESS_KERNELS=js: the design
 * and QR are bit-identical to autobk-design.ts and linalg.ts (same operations in the same order), the
 * FFT agrees with fft.js to rounding (≈1e-16 of the largest coefficient).
 * Operands are written into the module's memory (a bump arena reset by every call) and results copied
 * out into temporaries of the caller's allocation scope (arena.ts), so no returned array ever aliases
 * the module's memory.
 */
import { XasInputError } from '../core/errors.js';
import { PROCESS_WASM_BASE64 } from './wasm-binary.js';
import type { ProcessKernelsName, ProcessWasm, ProcessWasmExports } from './wasm-kernel-types.js';
import { WasmProcess } from './wasm-process.js';

export type {
  AutobkFitInput,
  AutobkFitOutput,
  AutobkLmResult,
  BandedRows,
  DesignWithQr,
  PreEdgeStageA,
  PreEdgeStageB,
  ProcessKernelsName,
  ProcessWasm,
} from './wasm-kernel-types.js';

let mode: 'auto' | ProcessKernelsName | undefined;
let active: WasmProcess | null | undefined;
let unavailable = '';

function load(): WasmProcess | null {
  try {
    const bytes = Buffer.from(PROCESS_WASM_BASE64, 'base64');
    const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), {})
      .exports as unknown as ProcessWasmExports;
    return new WasmProcess(ex);
  } catch (err) {
    unavailable = (err as Error).message;
    return null;
  }
}

/**
 * Selects the kernels: 'auto' (WebAssembly when the runtime supports SIMD128, else TypeScript),
 * 'wasm' (an error if unavailable) or 'js'. Returns the name now in use.
 */
export function useProcessKernels(name: string): ProcessKernelsName {
  if (name !== 'auto' && name !== 'wasm' && name !== 'js') {
    throw new XasInputError(`unknown processing kernels '${name}'`, {
      field: 'XASFLOW_PROCESS_KERNELS',
      expected: 'wasm, js or auto',
    });
  }
  mode = name;
  if (name === 'js') {
    active = null;
    return 'js';
  }
  active = load();
  if (!active && name === 'wasm')
    throw new XasInputError(`the WebAssembly processing kernels are not available: ${unavailable}`, {
      field: 'XASFLOW_PROCESS_KERNELS',
    });
  return active ? 'wasm' : 'js';
}

/** The WebAssembly kernels if selected and available, else null (use the TypeScript twins). */
export function processWasm(): ProcessWasm | null {
  if (active !== undefined) return active;
  useProcessKernels(process.env.XASFLOW_PROCESS_KERNELS || 'auto');
  return active ?? null;
}

/** Name of the kernels in use ('wasm' or 'js'). */
export function processKernelsName(): ProcessKernelsName {
  return processWasm() ? 'wasm' : 'js';
}

/** The selection mode last applied ('auto' by default). */
export function processKernelsMode(): 'auto' | ProcessKernelsName {
  processWasm();
  return mode ?? 'auto';
}
