/**
 * Neural-network speed benchmark against PyTorch 1.13 (Debian python3-torch) in the same run, same
 * thread counts: training samples/s (forward + backward + Adam step) and inference samples/s for
 *  - the NN-EXAFS MLP: 240 → 4 × Dense(1000, ReLU) → heads 300 + 180 (MSE), train batch 256,
 *    inference batch 1024;
 *  - the 1D ResNet of ts-stack.md on 256-point spectra (stem conv 1→32 k7, residual blocks k5 with
 *    BatchNorm 32-32, 32-64/s2, 64-64, 64-128/s2, 128-128, GAP, Dense 64, heads 8 + 1 (MSE)),
 *    train batch 64, inference batch 256.
 * xasflow runs on the native OpenBLAS addon at 1 and 2 threads and on the WebAssembly fallback
 * (single-threaded, compared with PyTorch at 1 thread). PyTorch runs as a server
 * (tools/nn/torch-bench.py) so the two programs alternate figure by figure, `--reps` times each;
 * the best rate of each program is kept, because the machine is shared with other jobs.
 * Usage: npm run bench:nn [-- --seconds 1.5 --reps 3]
 * Last line: one JSON object with every figure and the ratios xasflow / PyTorch.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { Rng } from '../src/core/rng.js';
import { type BackendName, useBackend } from '../src/nn/backend/index.js';
import { Network } from '../src/nn/network.js';
import { Adam } from '../src/nn/optim.js';
import { benchResnetSpec, nnExafsSpec } from '../src/nn/presets.js';
import type { ModelSpec } from '../src/nn/spec.js';

const FIGURES = ['mlpTrain', 'mlpInfer', 'cnnTrain', 'cnnInfer'] as const;
type Figure = (typeof FIGURES)[number];
type Figures = Record<Figure, number>;

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const SECONDS = arg('seconds', 1.5);
const REPS = arg('reps', 3);

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

interface Steps {
  train: () => void;
  infer: () => void;
  trainBatch: number;
  inferBatch: number;
}

function makeSteps(spec: ModelSpec, trainBatch: number, inferBatch: number, lr: number): Steps {
  const net = new Network(spec);
  net.initialize(1);
  const rng = new Rng(2);
  const inSize = net.inputSize;
  const x = new Float32Array(inferBatch * inSize).map(() => rng.normal());
  const targets = spec.heads.map((h) => new Float32Array(trainBatch * h.units).map(() => rng.normal()));
  const opt = new Adam(net.store.values.length, { lr });
  const xt = x.subarray(0, trainBatch * inSize);
  return {
    train: () => {
      net.lossAndGradients(xt, targets, trainBatch, rng);
      opt.step(net.store.values, net.store.grads);
    },
    infer: () => {
      net.forward(x, inferBatch, false, rng);
    },
    trainBatch,
    inferBatch,
  };
}

const mlp = makeSteps(nnExafsSpec(), 256, 1024, 1e-4);
const cnn = makeSteps(
  benchResnetSpec(256, [
    { name: 'y', units: 8, loss: 'mse' },
    { name: 'z', units: 1, loss: 'mse' },
  ]),
  64,
  256,
  1e-3,
);

function ours(backend: BackendName, fig: Figure, threads: number): number {
  const k = useBackend(backend);
  k.setThreads(threads);
  const s = fig.startsWith('mlp') ? mlp : cnn;
  const r = fig.endsWith('Train') ? rate(s.train, s.trainBatch) : rate(s.infer, s.inferBatch);
  k.setThreads(1);
  return r;
}

/** The PyTorch server: ask(figure, threads) → samples/s, or null when torch is not installed. */
async function startTorch(): Promise<{
  ask: (fig: Figure, threads: number) => Promise<number>;
  close: () => void;
  info: string;
} | null> {
  const child = spawn('/usr/bin/python3', ['tools/nn/torch-bench.py', '2'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout });
  const queue: { resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  lines.on('line', (l) => queue.shift()?.resolve(l));
  const fail = (err: Error) => {
    for (const q of queue.splice(0)) q.reject(err);
  };
  child.on('exit', () => fail(new Error(stderr.trim().split('\n').pop() || 'torch-bench exited')));
  child.on('error', fail);
  const next = () => new Promise<string>((resolve, reject) => queue.push({ resolve, reject }));
  try {
    const ready = JSON.parse(await next()) as { torch: string; mkldnn: boolean };
    return {
      info: `torch ${ready.torch}${ready.mkldnn ? ' (oneDNN)' : ''}`,
      ask: async (fig, threads) => {
        child.stdin.write(`${fig} ${threads} ${SECONDS}\n`);
        return (JSON.parse(await next()) as { rate: number }).rate;
      },
      close: () => child.stdin.end(),
    };
  } catch (err) {
    console.log(`PyTorch unavailable: ${(err as Error).message}`);
    return null;
  }
}

const loadBefore = loadavg();
console.log(
  `nn bench: ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, load average ${loadBefore} (shared machine)`,
);
console.log(`${SECONDS} s per measurement, best of ${REPS} alternating measurements per program; samples/s`);
let hasNative = true;
try {
  useBackend('native');
} catch (err) {
  hasNative = false;
  console.log(`native backend unavailable: ${(err as Error).message}`);
}
const torch = await startTorch();
if (torch) console.log(torch.info);

const empty = (): Figures => ({ mlpTrain: 0, mlpInfer: 0, cnnTrain: 0, cnnInfer: 0 });
const results = { native1: empty(), native2: empty(), wasm1: empty(), torch1: empty(), torch2: empty() };
for (const threads of [1, 2] as const) {
  for (const fig of FIGURES) {
    for (let rep = 0; rep < REPS; rep++) {
      const nk = threads === 1 ? 'native1' : 'native2';
      const tk = threads === 1 ? 'torch1' : 'torch2';
      if (hasNative) results[nk][fig] = Math.max(results[nk][fig], ours('native', fig, threads));
      if (torch) results[tk][fig] = Math.max(results[tk][fig], await torch.ask(fig, threads));
      if (threads === 1 && rep === 0) {
        results.wasm1[fig] = ours('wasm', fig, 1);
        if (torch) results.torch1[fig] = Math.max(results.torch1[fig], await torch.ask(fig, 1));
      }
    }
  }
}
torch?.close();
const loadAfter = loadavg();

const ratio = (a: Figures, b: Figures): Figures | null => {
  if (FIGURES.some((f) => !(a[f] > 0 && b[f] > 0))) return null;
  const out = empty();
  for (const f of FIGURES) out[f] = a[f] / b[f];
  return out;
};
const ratios = {
  native1: ratio(results.native1, results.torch1),
  native2: ratio(results.native2, results.torch2),
  wasm1: ratio(results.wasm1, results.torch1),
};
const fmt = (v: number) => (v > 0 ? v.toFixed(0) : '-').padStart(9);
console.log(`${'run'.padEnd(22)}${FIGURES.map((f) => f.padStart(9)).join('')}`);
for (const [name, key] of [
  ['xasflow native 1T', 'native1'],
  ['PyTorch 1T', 'torch1'],
  ['xasflow native 2T', 'native2'],
  ['PyTorch 2T', 'torch2'],
  ['xasflow wasm 1T', 'wasm1'],
] as const) {
  console.log(`${name.padEnd(22)}${FIGURES.map((f) => fmt(results[key][f])).join('')}`);
}
for (const [name, r] of Object.entries(ratios)) {
  if (r) console.log(`ratio ${name.padEnd(16)}${FIGURES.map((f) => r[f].toFixed(2).padStart(9)).join('')}`);
}
console.log(`load average after: ${loadAfter}`);
console.log(
  JSON.stringify({
    bench: 'nn',
    loadavgBefore: loadBefore,
    loadavgAfter: loadAfter,
    cores: cpus().length,
    torch: torch?.info ?? null,
    secondsPerMeasurement: SECONDS,
    reps: REPS,
    units: 'samples/s',
    trainBatch: { mlp: 256, cnn: 64 },
    inferBatch: { mlp: 1024, cnn: 256 },
    results,
    ratios,
  }),
);
