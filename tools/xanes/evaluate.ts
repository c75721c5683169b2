/**
 * The side-by-side table of docs/xanes.md: the shipped network vs linear combination fitting vs the
 * Bayesian posterior on seeded synthetic hold-out spectra from the 17 LISA Cu references, under each
 * distortion alone (with noise) and all together. Writes models/xanes-cu-k/evaluation.json and
 * prints the Markdown table.
 *
 *   node --import tsx tools/xanes/evaluate.ts [--spectra 300] [--posterior 60] [--model DIR]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { toJson, writeFileAtomic } from '../../src/core/atomic-write.js';
import { SOFTWARE } from '../../src/core/spectrum.js';
import { XanesCnn } from '../../src/xanes/cnn.js';
import { type ComparisonRow, compareMethods } from '../../src/xanes/compare.js';
import { loadLibrary } from '../../src/xanes/library-file.js';
import { SyntheticGenerator } from '../../src/xanes/synthetic.js';
import { distortionScenarios } from '../../src/xanes/synthetic-config.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/xanes-cu-k' },
    spectra: { type: 'string', default: '300' },
    posterior: { type: 'string', default: '60' },
    seed: { type: 'string', default: '7000' },
    out: { type: 'string', default: '' },
  },
});
const dir = values.model as string;
const cnn = XanesCnn.load(dir);
const lib = loadLibrary(`${dir}/library.json`);
const n = Number(values.spectra);
const np = Number(values.posterior);
const seed = Number(values.seed);
const rows: ComparisonRow[] = [];
const t0 = Date.now();
distortionScenarios(cnn.meta.training.config).forEach((sc, i) => {
  const set = new SyntheticGenerator(lib, sc.config).generate(n, seed + i);
  const row = compareMethods(cnn, lib, set, sc.name, {
    posteriorSpectra: np,
    seed: seed + 100 * i,
    onProgress: (m, d, tot) => {
      if (d === tot) console.error(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${sc.name}: ${m} done`);
    },
  });
  rows.push(row);
  const f = (v: number) => v.toFixed(3);
  console.error(
    `${sc.name}: MAE cnn ${f(row.cnn.metrics.maeAll)} lcf ${f(row.lcf.metrics.maeAll)} post ${row.posterior ? f(row.posterior.metrics.maeAll) : '-'}; 90 % coverage cnn ${f(row.cnn.coverage.all[1])} lcf ${f(row.lcf.coverage.all[1])} post ${row.posterior ? f(row.posterior.coverage.all[1]) : '-'} recalibrated ${row.posteriorCalibrated ? f(row.posteriorCalibrated.coverage.all[1]) : '-'}`,
  );
});
const doc = {
  software: SOFTWARE,
  generator: 'tools/xanes/evaluate.ts',
  model: dir,
  spectraPerScenario: n,
  posteriorSpectraPerScenario: np,
  seeds: rows.map((_, i) => seed + i),
  machine: { cpus: cpus().length, loadavg: loadavg() },
  seconds: (Date.now() - t0) / 1000,
  rows,
};
writeFileAtomic(values.out || `${dir}/evaluation.json`, `${toJson(doc, 1)}\n`);
const pct = (v: number) => `${(100 * v).toFixed(1)}`;
const f3 = (v: number) => v.toFixed(3);
const cov = (m: { coverage: { all: number[]; present: number[] } } | null, which: 'all' | 'present') =>
  m ? pct(m.coverage[which][1]) : '–';
console.log(
  '| distortion | MAE all: CNN / LCF / posterior | MAE present: CNN / LCF / posterior | 90 % coverage, all (%): CNN / LCF / posterior / recalibrated | 90 % coverage, present (%): CNN / LCF / posterior / recalibrated | recalibrated posterior coverage at 68 / 95 % (%) |',
);
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const p = r.posterior;
  const c = r.posteriorCalibrated;
  console.log(
    `| ${r.scenario} | ${f3(r.cnn.metrics.maeAll)} / ${f3(r.lcf.metrics.maeAll)} / ${p ? f3(p.metrics.maeAll) : '–'} | ${f3(r.cnn.metrics.maePresent)} / ${f3(r.lcf.metrics.maePresent)} / ${p ? f3(p.metrics.maePresent) : '–'} | ${cov(r.cnn, 'all')} / ${cov(r.lcf, 'all')} / ${cov(p, 'all')} / ${cov(c, 'all')} | ${cov(r.cnn, 'present')} / ${cov(r.lcf, 'present')} / ${cov(p, 'present')} / ${cov(c, 'present')} | ${c ? `${pct(c.coverage.all[0])} / ${pct(c.coverage.all[2])}` : '–'} |`,
  );
}
