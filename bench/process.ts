/**
 * Speed of the reduction chain pre_edge + autobk + xftf against Larch 0.9.58, on the same real spectra
 * with the same parameters (default pre_edge and autobk, which computes delta_chi; xftf with the
 * fixture's parameters), in one run. The machine is shared, so Larch (a persistent
 * tools/process/larch-timing.py --serve process) and xasflow take turns within every round: one Larch
 * chain on a spectrum, then one xasflow pass over all spectra, and so on through the spectra, so both
 * programs are timed within the same tens of milliseconds and see the same load. Reported:
 *  - per spectrum, one core: median wall-clock and CPU time of one full chain for both programs and
 *    their ratios; xasflow rebuilds everything for every spectrum (reuse_design false: no design
 *    cache, and no result is reused between repetitions of a spectrum); its memos of pure parameter
 *    functions (fit/xftf windows per k range, Student-t quantiles per degrees of freedom) stay warm,
 *    as they would in any batch with common parameters;
 *  - the same with every memo cleared before each spectrum (cold), the worst case;
 *  - spectra sharing an energy grid (reuse_design true, design reused), separately;
 *  - batch throughput inline (one thread) and on a two-worker ProcessPool (start-up excluded).
 * Spectra come from the fixture arrays (test/fixtures/process), so the bench needs no reader.
 * Usage: npm run bench:process [-- --rounds 9 --passes 3 --kernels auto|wasm|js] (passes: of the cold and
 * shared-grid figures). The last line is one JSON object.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import {
  type BatchItem,
  clearProcessCaches,
  ProcessPool,
  processSpectrum,
  useProcessKernels,
} from '../src/process/index.js';
import { type Fx, loadLarchFixture } from '../test/process/larch-fixture.js';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : def;
};
const rounds = Math.max(1, Number(arg('--rounds', '9')) || 9);
const passes = Math.max(1, Number(arg('--passes', '3')) || 3);
const kernels = useProcessKernels(arg('--kernels', 'auto'));

const fx = loadLarchFixture();
const specs: Fx[] = fx.spectra.filter((s: Fx) => !s.stress);
const paramsOf = (s: Fx, reuse: boolean) => ({ autobk: { reuse_design: reuse }, xftf: s.xftf.params });

function median(v: number[]): number {
  const a = [...v].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : 0.5 * (a[m - 1] + a[m]);
}
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

type Samples = Map<string, number[]>;
const push = (m: Samples, id: string, v: number) => {
  const a = m.get(id);
  if (a) a.push(v);
  else m.set(id, [v]);
};

/** One xasflow pass: each spectrum once, wall-clock and CPU time (ms) of the full chain. */
function xasflowPass(wall: Samples, cpu: Samples, opts: { reuse?: boolean; cold?: boolean } = {}): void {
  for (const s of specs) {
    if (opts.cold) clearProcessCaches();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    processSpectrum(s.energy, s.mu, paramsOf(s, opts.reuse ?? false));
    const dt = performance.now() - t0;
    const c = process.cpuUsage(c0);
    push(wall, s.id, dt);
    push(cpu, s.id, (c.user + c.system) / 1000);
  }
}

/** The persistent Larch process: one timed pass per request. */
function startLarch(): { next(): Promise<string>; send(cmd: string): void; done: Promise<number> } {
  const child = spawn(
    '/usr/bin/python3',
    ['tools/process/larch-timing.py', '--serve', '--ids', specs.map((s) => s.id).join(',')],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else lines.push(l);
  });
  const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  done.then(() => {
    for (const w of waiting.splice(0)) w('');
  });
  return {
    next: () => {
      const l = lines.shift();
      return l !== undefined ? Promise.resolve(l) : new Promise((resolve) => waiting.push(resolve));
    },
    send: (cmd) => child.stdin.write(`${cmd}\n`),
    done,
  };
}

function parseLine<T>(line: string, what: string): T {
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(
      `bench:process: no ${what} from the Larch timing script (is python3-xraylarch installed?)`,
    );
  }
}

const load0 = loadavg()[0];
const larch = startLarch();
const ready = parseLine<{ ready: number; ids: string[]; larch_version: string }>(
  await larch.next(),
  'start-up line',
);

// JIT warm-up of xasflow (not timed)
for (let i = 0; i < 5; i++) xasflowPass(new Map(), new Map());

const oursWall: Samples = new Map();
const oursCpu: Samples = new Map();
const larchWall: Samples = new Map();
const larchCpu: Samples = new Map();
const loads: number[] = [];
for (let r = 0; r < rounds; r++) {
  loads.push(loadavg()[0]);
  for (let i = 0; i < specs.length; i++) {
    larch.send(`chain ${ready.ids.indexOf(specs[i].id)}`);
    const c = parseLine<{ ms: number; cpu_ms: number }>(await larch.next(), 'chain timing');
    push(larchWall, specs[i].id, c.ms);
    push(larchCpu, specs[i].id, c.cpu_ms);
    xasflowPass(oursWall, oursCpu);
  }
}
larch.send('quit');
await larch.done;
loads.push(loadavg()[0]);

// every memo cleared before each spectrum (cold), and spectra sharing a grid (design reused)
const coldWall: Samples = new Map();
const coldCpu: Samples = new Map();
for (let i = 0; i < passes; i++) xasflowPass(coldWall, coldCpu, { cold: true });
const sharedWall: Samples = new Map();
for (const s of specs) {
  clearProcessCaches();
  processSpectrum(s.energy, s.mu, paramsOf(s, true)); // builds and caches the design (not timed)
  for (let i = 0; i < 2 * passes + 1; i++) {
    const t0 = performance.now();
    processSpectrum(s.energy, s.mu, paramsOf(s, true));
    push(sharedWall, s.id, performance.now() - t0);
  }
}

console.log(
  `pre_edge + autobk + xftf per spectrum, one core (Larch ${ready.larch_version}; xasflow kernels: ${kernels}); ` +
    `${rounds} rounds of alternating turns, load ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`,
);
console.log(
  'spectrum              points   Larch ms   xasflow ms   ratio   CPU: Larch   xasflow   ratio   (cold ms, shared grid ms)',
);
const rows = specs.map((s) => {
  const lw = median(larchWall.get(s.id) ?? []);
  const ow = median(oursWall.get(s.id) ?? []);
  const lc = median(larchCpu.get(s.id) ?? []);
  const oc = median(oursCpu.get(s.id) ?? []);
  const cold = median(coldWall.get(s.id) ?? []);
  const coldC = median(coldCpu.get(s.id) ?? []);
  const sh = median(sharedWall.get(s.id) ?? []);
  console.log(
    `${s.id.padEnd(20)} ${String(s.energy.length).padStart(7)} ${lw.toFixed(2).padStart(10)} ${ow.toFixed(3).padStart(12)} ${(lw / ow).toFixed(0).padStart(7)}   ${lc.toFixed(2).padStart(10)} ${oc.toFixed(3).padStart(9)} ${(lc / oc).toFixed(0).padStart(7)}   (${cold.toFixed(3)}, ${sh.toFixed(3)})`,
  );
  return { lw, ow, lc, oc, cold, coldC, sh };
});
const larchMs = mean(rows.map((r) => r.lw));
const oursMs = mean(rows.map((r) => r.ow));
const larchCpuMs = mean(rows.map((r) => r.lc));
const oursCpuMs = mean(rows.map((r) => r.oc));
const coldMs = mean(rows.map((r) => r.cold));
const coldCpuMs = mean(rows.map((r) => r.coldC));
const sharedMs = mean(rows.map((r) => r.sh));
const ratios = rows.map((r) => r.lw / r.ow);
const cpuRatios = rows.map((r) => r.lc / r.oc);
console.log(
  `mean                         ${larchMs.toFixed(2).padStart(10)} ${oursMs.toFixed(3).padStart(12)} ${(larchMs / oursMs).toFixed(0).padStart(7)}   ${larchCpuMs.toFixed(2).padStart(10)} ${oursCpuMs.toFixed(3).padStart(9)} ${(larchCpuMs / oursCpuMs).toFixed(0).padStart(7)}   (${coldMs.toFixed(3)}, ${sharedMs.toFixed(3)})`,
);

// batch throughput: the same spectra many times, one thread inline vs two worker threads
const copies = 10;
const items: BatchItem[] = [];
for (let c = 0; c < copies; c++)
  for (const s of specs) items.push({ id: s.id, energyEv: s.energy, mu: s.mu, params: paramsOf(s, false) });
let inlineS = Number.POSITIVE_INFINITY;
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  for (const it of items) processSpectrum(it.energyEv, it.mu, it.params);
  inlineS = Math.min(inlineS, (performance.now() - t0) / 1000);
}
const pool = new ProcessPool(2);
await pool.process(items); // worker start-up and JIT warm-up, not timed
let batchS = Number.POSITIVE_INFINITY;
let batch = await pool.process(items);
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  batch = await pool.process(items);
  batchS = Math.min(batchS, (performance.now() - t0) / 1000);
}
await pool.close();
if (batch.failed > 0 || batch.completed !== items.length)
  throw new Error('bench:process: batch did not complete');
const load1 = loadavg()[0];
const r1 = (v: number) => Number(v.toFixed(1));
const summary = {
  bench: 'process',
  spectra: specs.length,
  larch_version: ready.larch_version,
  kernels,
  rounds,
  larch_chains_per_spectrum: rounds,
  xasflow_chains_per_spectrum: rounds * specs.length,
  larch_ms_per_spectrum: Number(larchMs.toFixed(3)),
  xasflow_ms_per_spectrum: Number(oursMs.toFixed(4)),
  ratio_mean_time: r1(larchMs / oursMs),
  ratio_median_per_spectrum: r1(median(ratios)),
  ratio_min_per_spectrum: r1(Math.min(...ratios)),
  larch_cpu_ms_per_spectrum: Number(larchCpuMs.toFixed(3)),
  xasflow_cpu_ms_per_spectrum: Number(oursCpuMs.toFixed(4)),
  ratio_cpu_time: r1(larchCpuMs / oursCpuMs),
  ratio_cpu_median_per_spectrum: r1(median(cpuRatios)),
  xasflow_cold_ms_per_spectrum: Number(coldMs.toFixed(4)),
  xasflow_cold_cpu_ms_per_spectrum: Number(coldCpuMs.toFixed(4)),
  ratio_cold_cpu_time: r1(larchCpuMs / coldCpuMs),
  xasflow_shared_grid_ms_per_spectrum: Number(sharedMs.toFixed(4)),
  ratio_shared_grid: r1(larchMs / sharedMs),
  batch_items: items.length,
  inline_spectra_per_s: Number((items.length / inlineS).toFixed(0)),
  batch_2workers_spectra_per_s: Number((items.length / batchS).toFixed(0)),
  batch_speedup_vs_inline: Number((inlineS / batchS).toFixed(2)),
  larch_spectra_per_s: r1(1000 / larchMs),
  loadavg_start: Number(load0.toFixed(2)),
  loadavg_min: Number(Math.min(...loads).toFixed(2)),
  loadavg_max: Number(Math.max(...loads).toFixed(2)),
  loadavg_end: Number(load1.toFixed(2)),
  note: 'shared 2-core machine; Larch and xasflow timed in alternating turns of one run; medians per spectrum, means over spectra',
};
console.log(
  `batch of ${items.length}: inline ${summary.inline_spectra_per_s}/s, 2 workers ${summary.batch_2workers_spectra_per_s}/s (×${summary.batch_speedup_vs_inline}); Larch ${summary.larch_spectra_per_s}/s`,
);
console.log(JSON.stringify(summary));
