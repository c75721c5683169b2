/**
 * Speed of the reduction chain pre_edge + autobk + xftf (default parameters, autobk with its default
 * uncertainty estimate) against Larch 0.9.58 on the same real spectra with the same parameters, in one
 * run: xasflow per spectrum on one core (design matrix rebuilt for every spectrum, as Larch has no cache),
 * Larch through tools/process/larch-timing.py, then batch throughput on two worker threads and the
 * per-spectrum cost when spectra share an energy grid (design reused). Worker start-up is excluded from the
 * batch figure (a ProcessPool is warmed up first).
 * Spectra come from the fixture arrays (test/fixtures/process), so the bench needs no reader.
 * Usage: npm run bench:process [-- --reps 7 --larch-reps 5]. The last line is one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { type BatchItem, ProcessPool, processSpectrum } from '../src/process/index.js';
import { type Fx, loadLarchFixture } from '../test/process/larch-fixture.js';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) || def : def;
};
const reps = arg('--reps', 7);
const larchReps = arg('--larch-reps', 5);

const fx = loadLarchFixture();
const specs: Fx[] = fx.spectra.filter((s: Fx) => !s.stress);
const paramsOf = (s: Fx, reuse: boolean) => ({ autobk: { reuse_design: reuse }, xftf: s.xftf.params });

function median(v: number[]): number {
  const a = [...v].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : 0.5 * (a[m - 1] + a[m]);
}

/** Wall-clock and CPU time (ms) of one full chain per spectrum, appended per pass. */
function timeXasflow(
  passes: number,
  reuse: boolean,
  into: Map<string, number[]>,
  cpuInto?: Map<string, number[]>,
): void {
  for (let p = 0; p < passes; p++) {
    for (const s of specs) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      processSpectrum(s.energy, s.mu, paramsOf(s, reuse));
      const dt = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (!into.has(s.id)) into.set(s.id, []);
      into.get(s.id)?.push(dt);
      if (cpuInto) {
        if (!cpuInto.has(s.id)) cpuInto.set(s.id, []);
        cpuInto.get(s.id)?.push((c.user + c.system) / 1000);
      }
    }
  }
}

const load0 = loadavg()[0];
// warm-up: JIT compilation
timeXasflow(5, false, new Map());
const ours = new Map<string, number[]>();
const oursCpu = new Map<string, number[]>();
timeXasflow(reps, false, ours, oursCpu);

const larchRun = spawnSync(
  '/usr/bin/python3',
  ['tools/process/larch-timing.py', '--reps', String(larchReps)],
  {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  },
);
if (larchRun.status !== 0) {
  console.error(larchRun.stderr);
  throw new Error('bench:process: the Larch timing script failed (is python3-xraylarch installed?)');
}
const larch = JSON.parse(larchRun.stdout.trim().split('\n').pop() as string) as {
  larch_version: string;
  ms: Record<string, number>;
  cpu_ms: Record<string, number>;
};

timeXasflow(reps, false, ours, oursCpu); // second half after Larch, so load changes hit both sides

const shared = new Map<string, number[]>();
timeXasflow(reps, true, shared);

console.log(
  `pre_edge + autobk + xftf per spectrum, one core (Larch ${larch.larch_version}); load ${load0.toFixed(2)} at start`,
);
console.log('spectrum              points   Larch ms   xasflow ms   ratio   (shared grid ms)');
let sumLarch = 0;
let sumOurs = 0;
let sumShared = 0;
const ratios: number[] = [];
for (const s of specs) {
  const l = larch.ms[s.id];
  const o = median(ours.get(s.id) ?? []);
  const sh = median(shared.get(s.id) ?? []);
  sumLarch += l;
  sumOurs += o;
  sumShared += sh;
  ratios.push(l / o);
  console.log(
    `${s.id.padEnd(20)} ${String(s.energy.length).padStart(7)} ${l.toFixed(2).padStart(10)} ${o.toFixed(3).padStart(12)} ${(l / o).toFixed(0).padStart(7)}   ${sh.toFixed(3).padStart(8)}`,
  );
}
const n = specs.length;
const meanLarch = sumLarch / n;
const meanOurs = sumOurs / n;
const meanShared = sumShared / n;
let cpuLarch = 0;
let cpuOurs = 0;
for (const s of specs) {
  cpuLarch += larch.cpu_ms[s.id];
  cpuOurs += median(oursCpu.get(s.id) ?? []);
}
cpuLarch /= n;
cpuOurs /= n;
console.log(
  `mean                         ${meanLarch.toFixed(2).padStart(10)} ${meanOurs.toFixed(3).padStart(12)} ${(meanLarch / meanOurs).toFixed(0).padStart(7)}   ${meanShared.toFixed(3).padStart(8)}`,
);
console.log(
  `CPU time per spectrum: Larch ${cpuLarch.toFixed(2)} ms, xasflow ${cpuOurs.toFixed(3)} ms, ratio ${(cpuLarch / cpuOurs).toFixed(0)}`,
);

// batch throughput: the same spectra, many times, one thread inline vs two worker threads
const copies = 10;
const items: BatchItem[] = [];
for (let c = 0; c < copies; c++)
  for (const s of specs) items.push({ id: s.id, energyEv: s.energy, mu: s.mu, params: paramsOf(s, false) });
let inlineS = Number.POSITIVE_INFINITY;
let t0 = 0;
for (let run = 0; run < 3; run++) {
  t0 = performance.now();
  for (const it of items) processSpectrum(it.energyEv, it.mu, it.params);
  inlineS = Math.min(inlineS, (performance.now() - t0) / 1000);
}
const pool = new ProcessPool(2);
await pool.process(items); // worker start-up and JIT warm-up, not timed
let batchS = Number.POSITIVE_INFINITY;
let batch = await pool.process(items);
for (let run = 0; run < 3; run++) {
  t0 = performance.now();
  batch = await pool.process(items);
  batchS = Math.min(batchS, (performance.now() - t0) / 1000);
}
await pool.close();
if (batch.failed > 0 || batch.completed !== items.length)
  throw new Error('bench:process: batch did not complete');
const load1 = loadavg()[0];
const summary = {
  bench: 'process',
  spectra: n,
  larch_version: larch.larch_version,
  larch_ms_per_spectrum: Number(meanLarch.toFixed(3)),
  xasflow_ms_per_spectrum: Number(meanOurs.toFixed(4)),
  ratio_mean_time: Number((meanLarch / meanOurs).toFixed(1)),
  ratio_median_per_spectrum: Number(median(ratios).toFixed(1)),
  ratio_min_per_spectrum: Number(Math.min(...ratios).toFixed(1)),
  larch_cpu_ms_per_spectrum: Number(cpuLarch.toFixed(3)),
  xasflow_cpu_ms_per_spectrum: Number(cpuOurs.toFixed(4)),
  ratio_cpu_time: Number((cpuLarch / cpuOurs).toFixed(1)),
  xasflow_shared_grid_ms_per_spectrum: Number(meanShared.toFixed(4)),
  ratio_shared_grid: Number((meanLarch / meanShared).toFixed(1)),
  batch_items: items.length,
  inline_spectra_per_s: Number((items.length / inlineS).toFixed(0)),
  batch_2workers_spectra_per_s: Number((items.length / batchS).toFixed(0)),
  batch_speedup_vs_inline: Number((inlineS / batchS).toFixed(2)),
  larch_spectra_per_s: Number((1000 / meanLarch).toFixed(1)),
  loadavg_start: Number(load0.toFixed(2)),
  loadavg_end: Number(load1.toFixed(2)),
  note: 'shared machine; medians over repetitions; Larch run in the same bench invocation',
};
console.log(
  `batch of ${items.length}: inline ${summary.inline_spectra_per_s}/s, 2 workers ${summary.batch_2workers_spectra_per_s}/s (×${summary.batch_speedup_vs_inline}); Larch ${summary.larch_spectra_per_s}/s`,
);
console.log(JSON.stringify(summary));
