/**
 * Speed of the XANES composition engine, side by side with Larch 0.9.58 in one run:
 * - LCF, batch mode (lincomboFitBatch) vs Larch lincombo_fit one spectrum at a time, on the same
 *   synthetic spectra (4 measured Cu references, sum to one; unbounded and bounded), with the
 *   largest weight difference to Larch (unbounded; bounded fits are compared by χ²);
 * - network inference (the shipped 5-member ensemble), spectra per second in batches and singly;
 * - posterior sampling (network + MCMC, default settings), spectra per second.
 * Figures depend on the machine load, printed with them. The last line is one JSON object.
 *
 *   npm run bench:xanes [-- --spectra 200]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { XanesCnn } from '../src/xanes/cnn.js';
import { chiSquare } from '../src/xanes/constrained-lsq.js';
import { buildFitMatrix } from '../src/xanes/fit-matrix.js';
import { interpCubic } from '../src/xanes/interp.js';
import { lincomboFitBatch } from '../src/xanes/lcf-fitall.js';
import { loadLibrary } from '../src/xanes/library-file.js';
import { predictComposition } from '../src/xanes/predict.js';
import { SyntheticGenerator } from '../src/xanes/synthetic.js';
import { defaultSyntheticConfig } from '../src/xanes/synthetic-config.js';
import { buildCuLibrary } from '../tools/xanes/build-cu-library.js';

const { values } = parseArgs({
  options: {
    spectra: { type: 'string', default: '200' },
    posterior: { type: 'string', default: '4' },
    model: { type: 'string', default: 'models/xanes-cu-k' },
  },
});
const n = Number(values.spectra);
const load0 = loadavg()[0];
const lib = await buildCuLibrary();
const names = ['Cu_foil_111.xdi', 'Cu2O_111.xdi', 'CuO_111.xdi', 'Cu_OH_2_111.xdi'];
const sub = { ...lib, references: lib.references.filter((r) => names.includes(r.name)) };
const gen = new SyntheticGenerator(sub, defaultSyntheticConfig({ components: [2, 4] }));
const set = gen.generate(n, 99);
const L = set.energyEv.length;
const spectra = Array.from({ length: n }, (_, r) => ({
  label: `s${r}`,
  energyEv: set.energyEv,
  y: Float64Array.from(set.x.subarray(r * L, (r + 1) * L)),
}));
// references on the spectra's grid, so both programs interpolate nothing
const onGrid = sub.references.map((r) => ({
  label: r.name,
  energyEv: set.energyEv,
  y: interpCubic(r.energyEv, r.norm, set.energyEv),
}));
const xmin = set.energyEv[0];
const xmax = set.energyEv[L - 1];

function timeIt<T>(f: () => T, reps = 1): { value: T; seconds: number } {
  const t = performance.now();
  let v = f();
  for (let i = 1; i < reps; i++) v = f();
  return { value: v, seconds: (performance.now() - t) / 1000 / reps };
}

lincomboFitBatch(spectra.slice(0, 10), onGrid, { xmin, xmax, sumToOne: true }); // warm-up
const unb = timeIt(() => lincomboFitBatch(spectra, onGrid, { xmin, xmax, sumToOne: true }), 3);
const bnd = timeIt(() => lincomboFitBatch(spectra, onGrid, { xmin, xmax, sumToOne: true, bounded: true }), 3);

// Larch on the same spectra
const dir = mkdtempSync(join(tmpdir(), 'bench-xanes-'));
let larch: {
  unbounded: { seconds: number; weights: number[][] };
  bounded: { seconds: number; weights: number[][] };
} | null = null;
try {
  writeFileSync(
    join(dir, 'in.json'),
    JSON.stringify({
      energy: Array.from(set.energyEv),
      refs: Object.fromEntries(onGrid.map((r) => [r.label, Array.from(r.y)])),
      spectra: spectra.map((s) => Array.from(s.y)),
      xmin,
      xmax,
    }),
  );
  const r = spawnSync(
    '/usr/bin/python3',
    ['tools/xanes/larch_bench.py', join(dir, 'in.json'), join(dir, 'out.json')],
    { encoding: 'utf8' },
  );
  if (r.status === 0) larch = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
  else console.log(`Larch not run: ${r.stderr.trim().split('\n').pop()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
let maxDiff = Number.NaN;
const boundedChi = { ours: 0, larch: 0 };
if (larch) {
  maxDiff = 0;
  unb.value.forEach((res, s) => {
    res.weights.forEach((w, j) => {
      maxDiff = Math.max(maxDiff, Math.abs(w - (larch as NonNullable<typeof larch>).unbounded.weights[s][j]));
    });
  });
  const m = buildFitMatrix(spectra[0], onGrid, { xmin, xmax });
  bnd.value.forEach((res, s) => {
    boundedChi.ours += res.chisqr;
    const yy = spectra[s].y;
    boundedChi.larch += chiSquare(
      m.a,
      yy,
      m.npts,
      m.ncomps,
      (larch as NonNullable<typeof larch>).bounded.weights[s],
    );
  });
}

// network and posterior
let cnnBatch = Number.NaN;
let cnnSingle = Number.NaN;
let post = Number.NaN;
let postDetails = {};
if (existsSync(`${values.model}/meta.json`)) {
  const cnn = XanesCnn.load(values.model as string);
  const full = loadLibrary(`${values.model}/library.json`);
  const test = new SyntheticGenerator(full, cnn.meta.training.config).generate(Math.max(n, 256), 5);
  cnn.predict(test.x.subarray(0, 16 * L));
  cnnBatch = test.n / timeIt(() => cnn.predict(test.x)).seconds;
  cnnSingle =
    20 /
    timeIt(() => {
      for (let i = 0; i < 20; i++) cnn.predict(test.x.subarray(i * L, (i + 1) * L));
    }).seconds;
  const np = Number(values.posterior);
  const tp = timeIt(() => {
    const out = [];
    for (let i = 0; i < np; i++)
      out.push(
        predictComposition(cnn, full, test.energyEv, Float64Array.from(test.x.subarray(i * L, (i + 1) * L)), {
          seed: i,
        }),
      );
    return out;
  });
  post = np / tp.seconds;
  const d = tp.value[0].posterior?.diagnostics;
  postDetails = {
    walkers: d?.walkers,
    steps: d?.steps,
    burnIn: d?.burnIn,
    meanAcceptance: d?.meanAcceptance,
    maxAutocorrTime: Math.max(...(d?.autocorrTime ?? [0])),
  };
}
const larchRate = larch ? n / larch.unbounded.seconds : Number.NaN;
const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
console.log(
  `machine: ${cpus().length} cores, load ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)} (shared machine)`,
);
console.log(`LCF batch, ${n} spectra × 4 references × ${L} points, sum to one:`);
console.log(
  `  xasflow unbounded ${f(n / unb.seconds)} spectra/s, bounded (exact optimum) ${f(n / bnd.seconds)} spectra/s`,
);
console.log(
  `  Larch lincombo_fit unbounded ${f(larchRate)} spectra/s (${larch ? ((1000 * larch.unbounded.seconds) / n).toFixed(2) : 'n/a'} ms/fit), bounded ${larch ? f(n / larch.bounded.seconds) : 'n/a'} spectra/s`,
);
console.log(
  `  largest weight difference to Larch (unbounded): ${maxDiff.toExponential(2)}; bounded Σχ²: xasflow ${boundedChi.ours.toExponential(4)}, Larch ${boundedChi.larch.toExponential(4)}`,
);
console.log(
  `network inference: ${f(cnnBatch)} spectra/s batched, ${f(cnnSingle)} spectra/s one at a time; posterior (network + MCMC) ${post.toFixed(3)} spectra/s`,
);
console.log(
  JSON.stringify({
    bench: 'xanes',
    spectra: n,
    references: 4,
    points: L,
    lcfBatchSpectraPerS: n / unb.seconds,
    lcfBatchBoundedSpectraPerS: n / bnd.seconds,
    larchLincomboFitSpectraPerS: larchRate,
    larchLincomboFitBoundedSpectraPerS: larch ? n / larch.bounded.seconds : null,
    lcfSpeedupVsLarch: n / unb.seconds / larchRate,
    lcfBoundedSpeedupVsLarch: larch ? n / bnd.seconds / (n / larch.bounded.seconds) : null,
    maxWeightDiffVsLarch: maxDiff,
    boundedChiSquareSum: boundedChi,
    cnnSpectraPerS: cnnBatch,
    cnnSingleSpectraPerS: cnnSingle,
    posteriorSpectraPerS: post,
    posterior: postDetails,
    cpus: cpus().length,
    loadavgStart: load0,
    loadavgEnd: loadavg()[0],
  }),
);
