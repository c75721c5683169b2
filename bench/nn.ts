/**
 * Neural-network speed benchmark against PyTorch 1.13 (Debian python3-torch) in the same run, same
 * thread counts: training samples/s (forward + backward + Adam) and inference samples/s for
 *  - the NN-EXAFS MLP: 240 → 4 × Dense(1000, ReLU) → heads 300 + 180 (MSE), train batch 256,
 *    inference batch 1024;
 *  - the 1D ResNet of ts-stack.md on 256-point spectra (stem conv 1→32 k7, residual blocks k5 with
 *    BatchNorm 32-32, 32-64/s2, 64-64, 64-128/s2, 128-128, GAP, Dense 64, heads 8 + 1),
 *    train batch 64, inference batch 256.
 * xasflow runs on the native OpenBLAS addon at 1 and 2 threads and on the WebAssembly fallback
 * (single-threaded); PyTorch runs tools/nn/torch-bench.py at 1 and 2 threads. Rounds alternate
 * between the two programs and the best of the rounds is kept for each, since the machine is shared.
 * Usage: npm run bench:nn [-- --seconds 3 --rounds 2]
 * Last line: one JSON object with every figure and the ratios xasflow / PyTorch.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Rng } from '../src/core/rng.js';
import { type BackendName, useBackend } from '../src/nn/backend/index.js';
import { Network } from '../src/nn/network.js';
import { Adam } from '../src/nn/optim.js';
import { benchResnetSpec, nnExafsSpec } from '../src/nn/presets.js';
import type { ModelSpec } from '../src/nn/spec.js';

interface Figures {
  mlpTrain: number;
  mlpInfer: number;
  cnnTrain: number;
  cnnInfer: number;
}
const KEYS: (keyof Figures)[] = ['mlpTrain', 'mlpInfer', 'cnnTrain', 'cnnInfer'];

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const SECONDS = arg('seconds', 3);
const ROUNDS = arg('rounds', 2);

function loadavg(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

function rate(step: () => void, batch: number): number {
  step();
  step();
  let n = 0;
  const t0 = performance.now();
  for (;;) {
    step();
    n++;
    const dt = (performance.now() - t0) / 1000;
    if (n >= 3 && dt >= SECONDS) return (n * batch) / dt;
  }
}

function measure(spec: ModelSpec, trainBatch: number, inferBatch: number, lr: number): [number, number] {
  const net = new Network(spec);
  net.initialize(1);
  const rng = new Rng(2);
  const inSize = net.inputSize;
  const x = new Float32Array(inferBatch * inSize).map(() => rng.normal());
  const targets = spec.heads.map((h) => new Float32Array(trainBatch * h.units).map(() => rng.normal()));
  const opt = new Adam(net.store.values.length, { lr });
  const xt = x.subarray(0, trainBatch * inSize);
  const train = rate(() => {
    net.lossAndGradients(xt, targets, trainBatch, rng);
    opt.step(net.store.values, net.store.grads);
  }, trainBatch);
  const infer = rate(() => {
    net.forward(x, inferBatch, false, rng);
  }, inferBatch);
  return [train, infer];
}

const MLP = nnExafsSpec();
const CNN = benchResnetSpec(256, [
  { name: 'y', units: 8, loss: 'mse' },
  { name: 'z', units: 1, loss: 'mse' },
]);

function ours(backend: BackendName, threads: number): Figures {
  const k = useBackend(backend);
  k.setThreads(threads);
  const [mlpTrain, mlpInfer] = measure(MLP, 256, 1024, 1e-4);
  const [cnnTrain, cnnInfer] = measure(CNN, 64, 256, 1e-3);
  k.setThreads(1);
  return { mlpTrain, mlpInfer, cnnTrain, cnnInfer };
}

function torch(threads: number): Figures | null {
  const r = spawnSync('/usr/bin/python3', ['tools/nn/torch-bench.py', String(threads), String(SECONDS)], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) {
    console.log(`PyTorch run failed (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Figures;
}

function best(a: Figures | null, b: Figures | null): Figures | null {
  if (!a) return b;
  if (!b) return a;
  const out = { ...a };
  for (const k of KEYS) out[k] = Math.max(a[k], b[k]);
  return out;
}

function ratios(a: Figures | null, b: Figures | null): Figures | null {
  if (!a || !b) return null;
  const out = { ...a };
  for (const k of KEYS) out[k] = a[k] / b[k];
  return out;
}

const fmt = (v: number) => v.toFixed(0).padStart(8);
const loadBefore = loadavg();
console.log(
  `nn bench: ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, load average ${loadBefore} (shared machine)`,
);
console.log(`${SECONDS} s per figure, best of ${ROUNDS} alternating rounds; samples/s`);

let hasNative = true;
try {
  useBackend('native');
} catch (err) {
  hasNative = false;
  console.log(`native backend unavailable: ${(err as Error).message}`);
}
const results: Record<string, Record<string, Figures | null>> = { native: {}, torch: {}, wasm: {} };
for (const threads of [1, 2]) {
  for (let round = 0; round < ROUNDS; round++) {
    if (hasNative) results.native[threads] = best(results.native[threads] ?? null, ours('native', threads));
    results.torch[threads] = best(results.torch[threads] ?? null, torch(threads));
  }
}
results.wasm[1] = ours('wasm', 1);
const loadAfter = loadavg();

const table: [string, Figures | null][] = [
  ['xasflow native 1T', results.native[1]],
  ['PyTorch 1T', results.torch[1]],
  ['xasflow native 2T', results.native[2]],
  ['PyTorch 2T', results.torch[2]],
  ['xasflow wasm 1T', results.wasm[1]],
];
console.log(`${'run'.padEnd(20)}${KEYS.map((k) => k.padStart(9)).join('')}`);
for (const [name, f] of table)
  console.log(`${name.padEnd(20)}${f ? KEYS.map((k) => ` ${fmt(f[k])}`).join('') : '   (not run)'}`);
const ratio = {
  native1: ratios(results.native[1], results.torch[1]),
  native2: ratios(results.native[2], results.torch[2]),
  wasm1: ratios(results.wasm[1], results.torch[1]),
};
for (const [name, r] of Object.entries(ratio)) {
  if (r)
    console.log(`ratio ${name.padEnd(14)}${KEYS.map((k) => ` ${r[k].toFixed(2).padStart(8)}`).join('')}`);
}
console.log(`load average after: ${loadAfter}`);
console.log(
  JSON.stringify({
    bench: 'nn',
    loadavgBefore: loadBefore,
    loadavgAfter: loadAfter,
    cores: cpus().length,
    secondsPerFigure: SECONDS,
    rounds: ROUNDS,
    units: 'samples/s',
    trainBatch: { mlp: 256, cnn: 64 },
    inferBatch: { mlp: 1024, cnn: 256 },
    results,
    ratios: ratio,
  }),
);
