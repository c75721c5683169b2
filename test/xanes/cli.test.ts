/**
 * The `xasflow xanes` commands: the interface checks rely on (lcf with --refs FILES, --xmin/--xmax,
 * --sum-to-one, --bounded and --json: weights keyed by reference file name, uncertainties,
 * R-factor; equal to Larch), refs (library file), pca (JSON), and clear errors on bad input.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { registerXanesCommands } from '../../src/cli/commands/xanes.js';
import { fixture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xasflow-xanes-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<string> {
  // output goes through commander's configureOutput, so the test reporter's stdout is untouched
  let out = '';
  const program = new Command().exitOverride().configureOutput({
    writeOut: (s) => {
      out += s;
    },
    writeErr: () => {},
  });
  registerXanesCommands(program);
  await program.parseAsync(['node', 'xasflow', ...args]);
  return out;
}

const AU = 'data/xafs/lcf_au_l3';
const refs = [1, 2, 3, 4, 5, 6].map((i) => `${AU}/s${i}.dat`);

test('xanes lcf writes Larch-equal weights keyed by file name, uncertainties and R-factor', async () => {
  const au = fixture('lcf_au_l3.json');
  const out = join(dir, 'lcf.json');
  await run([
    'xanes',
    'lcf',
    `${AU}/unknown.dat`,
    '--refs',
    ...refs,
    '--xmin',
    '11870',
    '--xmax',
    '12030',
    '--sum-to-one',
    '--json',
    out,
  ]);
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  const larch = au.cases.find((c: { name: string }) => c.name === 'unbounded_sum1').larch;
  assert.deepEqual(Object.keys(doc.weights), ['s1.dat', 's2.dat', 's3.dat', 's4.dat', 's5.dat', 's6.dat']);
  for (const k of Object.keys(doc.weights)) {
    assert.ok(Math.abs(doc.weights[k] - larch.weights[k]) < 1e-3);
    assert.ok(Math.abs(doc.uncertainties[k] - larch.stderr[k]) < 1e-3 * larch.stderr[k]);
  }
  assert.ok(Math.abs(doc.rfactor - larch.rfactor) < 1e-6 * larch.rfactor);
  assert.equal(doc.fitRange.mode, 'absolute');
  // bounded: the exact optimum, weights in [0, 1] summing to one
  const outB = join(dir, 'lcfb.json');
  await run([
    'xanes',
    'lcf',
    `${AU}/unknown.dat`,
    '--refs',
    ...refs,
    '--xmin',
    '11870',
    '--xmax',
    '12030',
    '--sum-to-one',
    '--bounded',
    '--json',
    outB,
    '--plot',
    join(dir, 'lcf'),
  ]);
  const b = JSON.parse(readFileSync(outB, 'utf8'));
  const opt = au.cases.find((c: { name: string }) => c.name === 'bounded_sum1').true_optimum;
  Object.values<number>(b.weights).forEach((w, j) => {
    assert.ok(Math.abs(w - opt.weights[j]) < 1e-6);
  });
  assert.equal(b.atBound['s4.dat'], 'min');
  assert.ok(existsSync(join(dir, 'lcf-fit.png')) && existsSync(join(dir, 'lcf-residual.svg')));
  // the same range given relative to E0 is recognised as such
  const outR = join(dir, 'lcfr.json');
  await run([
    'xanes',
    'lcf',
    `${AU}/unknown.dat`,
    '--refs',
    ...refs,
    '--xmin',
    '-40',
    '--xmax',
    '100',
    '--json',
    outR,
  ]);
  assert.equal(JSON.parse(readFileSync(outR, 'utf8')).fitRange.mode, 'relative');
});

test('xanes lcf on records of a multi-column file; refs → library file; pca JSON', async () => {
  const res = 'data/xanes_refs/parseq_cu/cu-ref-mix.res';
  const out = join(dir, 'mix1.json');
  // the reader sanitises column labels (cu-foil_ave1 → cu_foil_ave1); records are named by them
  await run([
    'xanes',
    'lcf',
    `${res}::mix1`,
    '--refs',
    `${res}::cufe2o4_ave4`,
    `${res}::cus_ave2`,
    `${res}::cucl_w_ave2`,
    '--xmin',
    '8850',
    '--xmax',
    '9100',
    '--sum-to-one',
    '--bounded',
    '--normalized',
    '--json',
    out,
  ]);
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  const larch = fixture('lcf_cu_mix.json').mixes.mix1.cases.find(
    (c: { name: string }) => c.name === 'bounded_sum1',
  ).true_optimum;
  assert.deepEqual(Object.keys(doc.weights), ['cufe2o4_ave4', 'cus_ave2', 'cucl_w_ave2']);
  Object.values<number>(doc.weights).forEach((w, j) => {
    assert.ok(Math.abs(w - larch.weights[j]) < 1e-6);
  });
  const lib = join(dir, 'au-lib.json');
  const text = await run(['xanes', 'refs', ...refs, '--out', lib]);
  assert.match(text, /6 references, Au L3 edge/);
  const outL = join(dir, 'lcf-lib.json');
  await run([
    'xanes',
    'lcf',
    `${AU}/unknown.dat`,
    '--refs',
    lib,
    '--xmin',
    '11870',
    '--xmax',
    '12030',
    '--json',
    outL,
  ]);
  assert.ok(Math.abs(JSON.parse(readFileSync(outL, 'utf8')).weights['s2.dat'] - 0.4972) < 1e-3);
  const pca = join(dir, 'pca.json');
  await run([
    'xanes',
    'pca',
    ...refs,
    '--xmin',
    '11870',
    '--xmax',
    '12030',
    '--targets',
    `${AU}/unknown.dat`,
    '--ncomps',
    '3',
    '--json',
    pca,
  ]);
  const p = JSON.parse(readFileSync(pca, 'utf8'));
  assert.equal(p.nsigInd, fixture('pca_larch.json').au.model.nsig);
  assert.equal(p.fits.length, 1);
});

test('bad input gives clear errors', async () => {
  await assert.rejects(
    run(['xanes', 'lcf', `${AU}/unknown.dat`, '--refs', ...refs, '--xmin', '20000', '--xmax', '21000']),
    /fits neither the spectrum's energies/,
  );
  await assert.rejects(
    run(['xanes', 'lcf', `${AU}/unknown.dat`, '--refs', refs[0], refs[0]]),
    /two references are named 's1.dat'/,
  );
  await assert.rejects(
    run(['xanes', 'lcf', `${AU}/unknown.dat`, '--refs', refs[0], 'data/xanes_refs/lisa_esrf_cu/CuO_111.xdi']),
    /edge at .* eV from the others|different edges/,
  );
  await assert.rejects(
    run(['xanes', 'lcf', `${AU}/unknown.dat`, '--refs', ...refs, '--array', 'chi']),
    /--array 'chi'/,
  );
  await assert.rejects(run(['xanes', 'lcf', `${AU}/nothere.dat`, '--refs', ...refs]), /nothere/);
});

test('xanes train (tiny) and xanes predict (shipped network): JSON and plots', async () => {
  const lib = join(dir, 'cu3.json');
  const lisa = 'data/xanes_refs/lisa_esrf_cu';
  await run([
    'xanes',
    'refs',
    `${lisa}/CuO_111.xdi`,
    `${lisa}/Cu2O_111.xdi`,
    `${lisa}/Cu_foil_111.xdi`,
    '--out',
    lib,
  ]);
  const model = join(dir, 'tiny-model');
  const config = join(dir, 'synth.json');
  writeFileSync(config, JSON.stringify({ components: [1, 3], shiftEv: [-0.5, 0.5] }));
  const text = await run([
    'xanes',
    'train',
    '--library',
    lib,
    '--out',
    model,
    '--config',
    config,
    '--spectra',
    '300',
    '--calibration',
    '100',
    '--validation',
    '100',
    '--members',
    '1',
    '--epochs',
    '2',
    '--width',
    '4',
    '--workers',
    '1',
  ]);
  assert.match(text, /validation \(100 spectra\): MAE/);
  assert.ok(existsSync(join(model, 'model.xnn')) && existsSync(join(model, 'meta.json')));
  const out = join(dir, 'pred.json');
  const spectrum = 'data/xanes_refs/xasdatalib_cu/CuO_tenorite_13K_01.xdi';
  await run([
    'xanes',
    'predict',
    spectrum,
    '--model',
    'models/xanes-cu-k',
    '--library',
    'models/xanes-cu-k/library.json',
    '--steps',
    '600',
    '--burn-in',
    '200',
    '--seed',
    '4',
    '--json',
    out,
    '--plot',
    join(dir, 'pred'),
  ]);
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(doc.seed, 4);
  assert.ok(doc.cnn['CuO_111.xdi'].mean > 0.8);
  assert.ok(doc.posterior.fractions['CuO_111.xdi'].mean > 0.8);
  assert.equal(doc.posterior.diagnostics.steps, 600);
  for (const k of ['fit', 'residual', 'fractions'])
    assert.ok(existsSync(join(dir, `pred-${k}.png`)) && existsSync(join(dir, `pred-${k}.svg`)));
  await assert.rejects(
    run(['xanes', 'predict', spectrum, '--model', 'models/xanes-cu-k', '--library', lib, '--no-posterior']),
    /library lacks the network's references/,
  );
  await assert.rejects(
    run([
      'xanes',
      'predict',
      spectrum,
      '--model',
      'models/xanes-cu-k',
      '--library',
      'models/xanes-cu-k/library.json',
      '--prior',
      'CuO_111.xdi',
    ]),
    /NAME:FRACTION/,
  );
});
