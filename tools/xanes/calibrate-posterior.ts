/**
 * Fits the recalibration of the posterior's credible intervals (src/xanes/posterior-calibration.ts)
 * for a shipped network and stores it in its meta.json (field posteriorCalibration). The
 * calibration spectra are drawn from the network's training distribution with a seed of their own
 * (not the training, network-calibration, validation or evaluation seeds); the posterior runs with
 * the default setting of `xanes predict` (flat prior, candidates screened by the network).
 *
 *   node --import tsx tools/xanes/calibrate-posterior.ts [--model DIR] [--spectra 300] [--seed 2027]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toJson, writeFileAtomic } from '../../src/core/atomic-write.js';
import { XanesCnn } from '../../src/xanes/cnn.js';
import { loadLibrary } from '../../src/xanes/library-file.js';
import { POSTERIOR_DEFAULTS } from '../../src/xanes/posterior.js';
import {
  fitPosteriorCalibration,
  type PosteriorCalibrationSample,
  type PosteriorCalibrationSetting,
} from '../../src/xanes/posterior-calibration.js';
import { predictComposition } from '../../src/xanes/predict.js';
import { SyntheticGenerator } from '../../src/xanes/synthetic.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/xanes-cu-k' },
    spectra: { type: 'string', default: '300' },
    seed: { type: 'string', default: '2027' },
  },
});
const dir = values.model as string;
const n = Number(values.spectra);
const seed = Number(values.seed);
const cnn = XanesCnn.load(dir);
const lib = loadLibrary(join(dir, 'library.json'));
const setting: PosteriorCalibrationSetting = {
  steps: POSTERIOR_DEFAULTS.steps,
  burnIn: POSTERIOR_DEFAULTS.burnIn,
  shiftPriorSdEv: 1,
  maxCandidates: 6,
};
const set = new SyntheticGenerator(lib, cnn.meta.training.config).generate(n, seed);
const L = set.energyEv.length;
const K = set.labels.length;
const samples: PosteriorCalibrationSample[] = [];
let present = 0;
let missed = 0;
const t0 = Date.now();
for (let r = 0; r < n; r++) {
  const p = predictComposition(
    cnn,
    lib,
    set.energyEv,
    Float64Array.from(set.x.subarray(r * L, (r + 1) * L)),
    {
      seed: seed * 1000 + r,
      steps: setting.steps,
      burnIn: setting.burnIn,
      shiftPriorSdEv: setting.shiftPriorSdEv,
      maxCandidates: setting.maxCandidates,
    },
  );
  const post = p.posterior;
  if (!post) throw new Error('no posterior');
  for (let j = 0; j < K; j++) {
    const truth = set.y[r * K + j];
    const q = post.labels.indexOf(set.labels[j]);
    if (truth > 0) {
      present++;
      if (q < 0) missed++;
    }
    if (q < 0) continue;
    const f = post.fractions[q];
    samples.push({ mean: f.mean, median: f.median, intervals: f.intervals, truth });
  }
  if ((r + 1) % 25 === 0 || r + 1 === n)
    console.error(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${r + 1}/${n} spectra`);
}
const cal = fitPosteriorCalibration(samples, setting, {
  generator: 'tools/xanes/calibrate-posterior.ts',
  config: 'the network training distribution (meta.training.config)',
  spectra: n,
  seed,
  mcmcSeeds: `${seed * 1000} + spectrum index`,
  candidateFractions: samples.length,
  presentComponents: present,
  presentMissedByScreening: missed,
  seconds: (Date.now() - t0) / 1000,
});
const metaPath = join(dir, 'meta.json');
const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
meta.posteriorCalibration = cal;
writeFileAtomic(metaPath, `${toJson(meta, 1)}\n`);
console.log(
  `posterior calibration: ${samples.length} candidate fractions of ${n} spectra (${missed} of ${present} present components not screened)`,
);
cal.factors.forEach((f, b) => {
  console.log(
    `  mean in [${cal.binEdges[b]}, ${cal.binEdges[b + 1]}): ${cal.counts[b]} values, factors ${f.map((v) => v.toFixed(3)).join(' / ')}`,
  );
});
