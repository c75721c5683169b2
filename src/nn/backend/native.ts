/**
 * Loader for the optional OpenBLAS N-API addon (native/xasflow_nn.c, built by
 * scripts/build-native.mjs). Returns null with the reason when the addon is absent or unloadable,
 * so the backend selector can fall back to WebAssembly/TypeScript kernels.
 */
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ConvGeometry, Kernels } from './kernels.js';

const ADDON_ABI = 4;

interface Addon {
  abi(): number;
  sgemm: Kernels['gemm'];
  im2col(x: Float32Array, ...rest: (number | Float32Array)[]): void;
  col2im(dcol: Float32Array, ...rest: (number | Float32Array)[]): void;
  convForward(x: Float32Array, ...rest: (number | Float32Array | null)[]): void;
  convBackward(x: Float32Array, ...rest: (number | Float32Array | null)[]): void;
  biasAct: Kernels['biasAct'];
  actBackward: Kernels['actBackward'];
  colSum: Kernels['colSum'];
  bnForwardTrain: Kernels['bnForwardTrain'];
  bnForwardEval: Kernels['bnForwardEval'];
  bnBackward: Kernels['bnBackward'];
  adam: Kernels['adam'];
  sumSquares: Kernels['sumSquares'];
  scale: Kernels['scale'];
  add: Kernels['add'];
  setThreads(n: number): void;
  getThreads(): number;
}

/** Path of the compiled addon (same relative place from src/nn/backend and dist/nn/backend). */
export function nativeAddonPath(): string {
  return fileURLToPath(new URL('../../../native/build/Release/xasflow_nn.node', import.meta.url));
}

export function loadNativeKernels(): { kernels: Kernels } | { reason: string } {
  const path = nativeAddonPath();
  if (!existsSync(path))
    return { reason: `native addon not built (${path} missing; run node scripts/build-native.mjs)` };
  // Worker threads of OpenBLAS and of the kernels' OpenMP team should sleep, not spin, between
  // calls: the machine is usually shared (other jobs, other ensemble members), where spinning
  // threads steal the cores they wait for. Both libraries read these when the addon is loaded.
  process.env.OPENBLAS_THREAD_TIMEOUT ??= '4';
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  let addon: Addon;
  try {
    // RTLD_NOW: every symbol is resolved at load, so a broken build falls back instead of crashing later.
    const mod = { exports: {} as Addon };
    process.dlopen(mod, path, constants.dlopen.RTLD_NOW);
    addon = mod.exports;
  } catch (err) {
    return { reason: `native addon failed to load: ${(err as Error).message.split('\n')[0]}` };
  }
  if (typeof addon.abi !== 'function' || addon.abi() !== ADDON_ABI) {
    return {
      reason: `native addon at ${path} is from another xasflow version; rebuild it (node scripts/build-native.mjs)`,
    };
  }
  const geo = (g: ConvGeometry) =>
    [g.batch, g.length, g.channels, g.kernelSize, g.stride, g.padLeft, g.dilation, g.lengthOut] as const;
  const kernels: Kernels = {
    name: 'native',
    setThreads: (n) => addon.setThreads(n),
    getThreads: () => addon.getThreads(),
    gemm: addon.sgemm,
    im2col: (x, g, col) => addon.im2col(x, ...geo(g), col),
    col2im: (dcol, g, dx) => addon.col2im(dcol, ...geo(g), dx),
    convForward: (x, g, w, cout, bias, act, y, pre) =>
      addon.convForward(x, ...geo(g), w, cout, bias, act, y, pre),
    convBackward: (x, g, w, cout, dz, dw, dx) => addon.convBackward(x, ...geo(g), w, cout, dz, dw, dx),
    biasAct: addon.biasAct,
    actBackward: addon.actBackward,
    colSum: addon.colSum,
    bnForwardTrain: addon.bnForwardTrain,
    bnForwardEval: addon.bnForwardEval,
    bnBackward: addon.bnBackward,
    adam: addon.adam,
    sumSquares: addon.sumSquares,
    scale: addon.scale,
    add: addon.add,
  };
  return { kernels };
}
