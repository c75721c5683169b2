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
 * the best rate of each program is kept, because the machine is shared with other jobs. Rates are
 * reported per wall-clock second (the figure of merit) and per CPU second of the process (all its
 * threads), which is much less disturbed by other jobs time-sharing the cores.
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

interface Rate {
  /** Samples per wall-clock second. */
  wall: number;
  /** Samples per CPU second of the process (all threads): robust to time-sharing with other jobs. */
  cpu: number;
}

function rate(step: () => void, batch: number): Rate {
  step();
  step();
  let n = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (;;) {
    step();
    n++;
    const dt = (performance.now() - t0) / 1000;
    if (n >= 3 && dt >= SECONDS) {
      const c = process.cpuUsage(c0);
      return { wall: (n * batch) / dt, cpu: (n * batch) / Math.max((c.user + c.system) / 1e6, 1e-9) };
    }
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

function ours(backend: BackendName, fig: Figure, threads: number): Rate {
  const k = useBackend(backend);
  k.setThreads(threads);
  const s = fig.startsWith('mlp') ? mlp : cnn;
  const r = fig.endsWith('Train') ? rate(s.train, s.trainBatch) : rate(s.infer, s.inferBatch);
  k.setThreads(1);
  return r;
}

/** The PyTorch server: ask(figure, threads) → samples/s, or null when torch is not installed. */
async function startTorch(): Promise<{
  ask: (fig: Figure, threads: number) => Promise<Rate>;
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
        const r = JSON.parse(await next()) as { rate: number; cpuRate: number };
        return { wall: r.rate, cpu: r.cpuRate };
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
const runs = ['native1', 'native2', 'wasm1', 'torch1', 'torch2'] as const;
type Run = (typeof runs)[number];
const results = Object.fromEntries(runs.map((r) => [r, empty()])) as Record<Run, Figures>;
const cpuResults = Object.fromEntries(runs.map((r) => [r, empty()])) as Record<Run, Figures>;
const keep = (run: Run, fig: Figure, r: Rate) => {
  results[run][fig] = Math.max(results[run][fig], r.wall);
  cpuResults[run][fig] = Math.max(cpuResults[run][fig], r.cpu);
};
for (const threads of [1, 2] as const) {
  for (const fig of FIGURES) {
    for (let rep = 0; rep < REPS; rep++) {
      if (hasNative) keep(threads === 1 ? 'native1' : 'native2', fig, ours('native', fig, threads));
      if (torch) keep(threads === 1 ? 'torch1' : 'torch2', fig, await torch.ask(fig, threads));
      if (threads === 1 && rep === 0) {
        keep('wasm1', fig, ours('wasm', fig, 1));
        if (torch) keep('torch1', fig, await torch.ask(fig, 1));
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
const ratiosOf = (r: Record<Run, Figures>) => ({
  native1: ratio(r.native1, r.torch1),
  native2: ratio(r.native2, r.torch2),
  wasm1: ratio(r.wasm1, r.torch1),
});
const ratios = ratiosOf(results);
const cpuRatios = ratiosOf(cpuResults);
const fmt = (v: number) => (v > 0 ? v.toFixed(0) : '-').padStart(9);
const names: [string, Run][] = [
  ['xasflow native 1T', 'native1'],
  ['PyTorch 1T', 'torch1'],
  ['xasflow native 2T', 'native2'],
  ['PyTorch 2T', 'torch2'],
  ['xasflow wasm 1T', 'wasm1'],
];
for (const [title, table, rs] of [
  ['samples per second (wall clock)', results, ratios],
  ['samples per CPU second (all threads of the process)', cpuResults, cpuRatios],
] as const) {
  console.log(`\n${title}`);
  console.log(`${'run'.padEnd(22)}${FIGURES.map((f) => f.padStart(9)).join('')}`);
  for (const [name, key] of names)
    console.log(`${name.padEnd(22)}${FIGURES.map((f) => fmt(table[key][f])).join('')}`);
  for (const [name, r] of Object.entries(rs)) {
    if (r) console.log(`ratio ${name.padEnd(16)}${FIGURES.map((f) => r[f].toFixed(2).padStart(9)).join('')}`);
  }
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
    cpuRates: cpuResults,
    cpuRatios,
  }),
);
