/**
 * Backend selection. The fastest available kernel set is chosen once per thread: the OpenBLAS
 * addon ('native'), else the WebAssembly SIMD GEMM ('wasm'), else pure TypeScript ('js').
 * XASFLOW_NN_BACKEND=native|wasm|js forces one (an unavailable forced backend is an error).
 * The native backend starts with one BLAS thread (one per worker, as ensembles train in parallel).
 */
import { XasInputError } from '../../core/errors.js';
import { jsKernels } from './js-kernels.js';
import type { Kernels } from './kernels.js';
import { loadNativeKernels } from './native.js';
import { loadWasmKernels } from './wasm.js';

export type BackendName = Kernels['name'];

let current: Kernels | null = null;
const unavailable: Partial<Record<BackendName, string>> = {};

function tryLoad(name: BackendName): Kernels | null {
  if (name === 'js') return jsKernels;
  const r = name === 'native' ? loadNativeKernels() : loadWasmKernels();
  if ('kernels' in r) return r.kernels;
  unavailable[name] = r.reason;
  return null;
}

/** Loads a backend by name; throws XasInputError naming the reason if it cannot be used. */
export function useBackend(name: BackendName | 'auto'): Kernels {
  if (name === 'auto') {
    current = tryLoad('native') ?? tryLoad('wasm') ?? jsKernels;
  } else {
    if (name !== 'native' && name !== 'wasm' && name !== 'js') {
      throw new XasInputError(`unknown neural-network backend '${name}'`, {
        field: 'XASFLOW_NN_BACKEND',
        expected: 'native, wasm, js or auto',
      });
    }
    const k = tryLoad(name);
    if (!k) throw new XasInputError(`backend '${name}' is not available: ${unavailable[name]}`);
    current = k;
  }
  if (current.name === 'native') current.setThreads(1);
  return current;
}

/** The active kernels (selected on first use from XASFLOW_NN_BACKEND, default auto). */
export function kernels(): Kernels {
  if (current) return current;
  return useBackend((process.env.XASFLOW_NN_BACKEND as BackendName | 'auto' | undefined) || 'auto');
}

/** Why backends that were tried could not be used (for `xasflow nn backend` and error messages). */
export function backendDiagnostics(): {
  active: BackendName;
  unavailable: Partial<Record<BackendName, string>>;
} {
  const active = kernels().name;
  if (active !== 'native' && !unavailable.native) tryLoad('native');
  return { active, unavailable: { ...unavailable } };
}
