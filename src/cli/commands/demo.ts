/**
 * `xasflow demo [--out DIR]` (what `npm start` runs): the whole pipeline end to end on the
 * bundled real data, by running the regular commands in-process — reduce foils as Larch does
 * (process), fit their first shells (exafs fit), find the composition of Cu mixtures and of an
 * independent Cu compound (xanes lcf / predict), simulate Ni at 300 K (md run / analyze) and
 * compute its χ(k) from FEFF kernels (exafs chi) — then draw combined figures and write
 * DIR/index.html and DIR/summary.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { toJson, writeFileAtomic } from '../../core/atomic-write.js';
import {
  badChart,
  fitRChart,
  modelVsMeasuredChart,
  overlayChirChart,
  rdfChart,
} from '../../report/demo-figures.js';
import { type LineChart, renderLineChart } from '../../report/line-chart.js';
import { buildDemoReport, type DemoResults, demoSummary } from '../demo-report.js';

/** Package root: this file is src/cli/commands/demo.ts or dist/cli/commands/demo.js. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const data = (p: string) => join(ROOT, 'data', p);

export const DEMO_FT = ['--kweight', '2', '--kmin', '3', '--kmax', '14', '--dk', '1', '--window', 'hanning'];

export const DEMO_SPECTRA = [
  'xafs/lisa_esrf/Ni_foil_111.xdi',
  'xafs/cu_metal_rt.xdi',
  'xafs/fe.060',
  'xafs/lisa_esrf/Zn_foil_111.xdi',
  'xafs/lisa_esrf/Pt_foil_L3_311.xdi',
  'xafs/cu_10k.xmu',
  'xafs/cu_50k.xmu',
  'xafs/cu_150k.xmu',
  'xafs/xasref_nsls/Nifoil.prj',
];

const CU_MIX = 'xanes_refs/parseq_cu/cu-ref-mix.res';
/** The 16 references of the ParSeq table (its second Cu foil is left out, as ParSeq does). */
const CU_MIX_REFS = [
  'cu_foil_ave1',
  'cusio3h2o_08',
  'cuso45h2o_06',
  'cuoh2_ave4',
  'cufe2o4_ave4',
  'cucl2_ave2',
  'cucl_ave3',
  'cuco36h2o_ave3',
  'cu2s',
  'cus_ave2',
  'cu2o_ave2',
  'cuo_ave2',
  'cusio3xh2o_ave3',
  'cucl2x2h2o_ave1',
  'cu3o8p2_ave4',
  'cucl_w_ave2',
];

type ProgramFactory = () => Command;

async function step(make: ProgramFactory, label: string, args: string[]): Promise<void> {
  const shown = args.map((a) => (a.startsWith(ROOT) ? a.slice(ROOT.length) : a)).join(' ');
  process.stdout.write(
    `\n▶ ${label}\n  xasflow ${shown.length > 300 ? `${shown.slice(0, 300)} …` : shown}\n`,
  );
  const program = make();
  program.exitOverride();
  const before = process.exitCode;
  process.exitCode = undefined;
  let failed = false;
  try {
    await program.parseAsync(args, { from: 'user' });
    failed = process.exitCode !== undefined && process.exitCode !== 0;
  } finally {
    process.exitCode = before;
  }
  if (failed) throw new Error(`demo step failed: ${label}`);
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

async function figure(outDir: string, name: string, chart: LineChart): Promise<string> {
  const { svg, png } = await renderLineChart(chart);
  writeFileAtomic(join(outDir, `${name}.svg`), svg);
  writeFileAtomic(join(outDir, `${name}.png`), png);
  return `${name}.svg`;
}

export async function runDemo(make: ProgramFactory, outDirArg: string): Promise<DemoResults> {
  const t0 = performance.now();
  // absolute, since the MD protocol's relative outDir would resolve against the protocol's folder
  const outDir = resolve(outDirArg);
  const dir = (d: string) => {
    const p = join(outDir, d);
    mkdirSync(p, { recursive: true });
    return p;
  };
  const proc = dir('process');
  const exafs = dir('exafs');
  const xanes = dir('xanes');
  const md = dir('md');
  const figs = dir('figures');

  await step(make, 'Reduce foils, a temperature series and an Athena record as Larch does', [
    'process',
    ...DEMO_SPECTRA.map(data),
    '--out',
    proc,
    '--plot',
    '--xdi',
    ...DEMO_FT,
  ]);
  await step(make, 'First-shell fit of the Ni foil (FEFF kernel path, R space)', [
    'exafs',
    'fit',
    data('xafs/lisa_esrf/Ni_foil_111.xdi'),
    '--json',
    join(exafs, 'ni_foil_fit.json'),
  ]);
  await step(make, 'First-shell fit of the Cu foil', [
    'exafs',
    'fit',
    data('xafs/cu_metal_rt.xdi'),
    '--element',
    'Cu',
    '--json',
    join(exafs, 'cu_foil_fit.json'),
  ]);
  await step(make, 'Linear combination fit of the ParSeq Cu mixture mix1 (16 references, best triples)', [
    'xanes',
    'lcf',
    `${data(CU_MIX)}::mix1`,
    '--refs',
    ...CU_MIX_REFS.map((r) => `${data(CU_MIX)}::${r}`),
    '--normalized',
    '--xmin',
    '-20',
    '--xmax',
    '60',
    '--relative',
    '--sum-to-one',
    '--bounded',
    '--fitall',
    '3',
    '--json',
    join(xanes, 'mix1_lcf.json'),
    '--plot',
    join(xanes, 'mix1_lcf'),
  ]);
  await step(
    make,
    'Composition of Cu2S measured at SSRL (not in the training set): network + MCMC posterior',
    [
      'xanes',
      'predict',
      data('xanes_refs/xasdatalib_cu/Cu2S_13K_01.xdi'),
      '--model',
      join(ROOT, 'models/xanes-cu-k'),
      '--library',
      join(ROOT, 'models/xanes-cu-k/library.json'),
      '--json',
      join(xanes, 'cu2s_predict.json'),
      '--plot',
      join(xanes, 'cu2s_predict'),
    ],
  );

  const protocol = {
    name: 'demo-ni-300K',
    engine: 'embedded',
    potential: { style: 'eam/alloy', file: join(ROOT, 'potentials/Ni_Zhou2004.eam.alloy') },
    element: 'Ni',
    outDir: join(md, 'run'),
    seed: 20261121,
    timestepPs: 0.002,
    thermostat: { kind: 'nose-hoover', tauPs: 0.1, chain: 3 },
    barostat: { pressureBar: 0, tauPs: 1, bulkModulusBar: 1800000, coupling: 'iso' },
    formats: ['xyz'],
    workers: 1,
    states: [
      {
        phase: 'crystal',
        structure: 'fcc',
        cells: [4, 4, 4],
        aAngstrom: 3.52,
        temperaturesK: [300],
        nptPs: 2,
        equilibrationPs: 1,
        productionPs: 2,
        snapshotEveryPs: 0.5,
      },
    ],
  };
  const protocolFile = join(md, 'protocol.json');
  writeFileSync(protocolFile, `${JSON.stringify(protocol, null, 2)}\n`);
  await step(make, 'Molecular dynamics of fcc Ni at 300 K (embedded EAM engine, 256 atoms)', [
    'md',
    'run',
    protocolFile,
  ]);
  const stateDir = join(md, 'run', 'fcc-T0300K-da+0.000');
  const frames = [1, 2, 3, 4].map((i) => join(stateDir, `fcc-T0300K-da+0.000_000${i}.xyz`));
  await step(make, 'g(r), first shell, bond angles and a-CNA of the MD snapshots', [
    'md',
    'analyze',
    ...frames,
    '--json',
    join(md, 'analysis.json'),
  ]);
  const niFit = readJson(join(exafs, 'ni_foil_fit.json'));
  const s02 = niFit.fit.nS02.value / 12;
  const dE = niFit.fit.e0Ev.value;
  await step(
    make,
    'χ(k) of the MD snapshots from FEFF two- and three-body kernels (S0² and ΔE0 from the Ni fit)',
    [
      'exafs',
      'chi',
      frames[3],
      '--periodic',
      '--s02',
      s02.toFixed(4),
      '--delta-e',
      dE.toFixed(3),
      '--json',
      join(exafs, 'md_ni_chi.json'),
    ],
  );

  // combined figures
  const figures: Record<string, string> = {};
  const cuFit = readJson(join(exafs, 'cu_foil_fit.json'));
  figures.niFit = await figure(
    figs,
    'ni_foil_fit_r',
    fitRChart('Ni foil: first-shell fit in R space', niFit.fit),
  );
  figures.cuFit = await figure(
    figs,
    'cu_foil_fit_r',
    fitRChart('Cu foil: first-shell fit in R space', cuFit.fit),
  );
  const series = ['cu_10k', 'cu_50k', 'cu_150k'].map((n) => ({ n, j: readJson(join(proc, `${n}.json`)) }));
  figures.cuSeries = await figure(
    figs,
    'cu_temperature_series_chir',
    overlayChirChart(
      'Cu foil at 10, 50 and 150 K: |χ(R)| (k² weight, k 3–14 Å⁻¹)',
      series.map(({ n, j }) => ({ name: n.replace('cu_', '').toUpperCase(), r: j.r, chirMag: j.chir_mag })),
    ),
  );
  const niMeasured = readJson(join(proc, 'Ni_foil_111.json'));
  const mdChi = readJson(join(exafs, 'md_ni_chi.json'));
  figures.mdVsMeasured = await figure(
    figs,
    'ni_md_chi_vs_measured',
    modelVsMeasuredChart(
      'Ni at 300 K: measured foil vs MD + FEFF kernels',
      { name: 'measured Ni foil (ESRF BM08)', k: niMeasured.k, chi: niMeasured.chi },
      { name: 'MD (EAM, 300 K) + 2/3-body kernels', k: mdChi.k, chi: mdChi.chi },
      [2, 16],
    ),
  );
  const analysis = readJson(join(md, 'analysis.json'));
  figures.rdf = await figure(
    figs,
    'ni_md_rdf',
    rdfChart(
      'Ni MD at 300 K: g(r)',
      analysis.rdf.rAngstrom,
      analysis.rdf.g,
      analysis.firstShell.minimumAngstrom,
    ),
  );
  figures.bad = await figure(
    figs,
    'ni_md_bad',
    badChart(
      'Ni MD at 300 K: bond angles',
      analysis.bad.thetaDeg,
      analysis.bad.density,
      analysis.bad.cutoffAngstrom,
    ),
  );

  return {
    outDir,
    seconds: (performance.now() - t0) / 1000,
    spectra: DEMO_SPECTRA,
    processDir: relative(outDir, proc),
    figures: Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, join('figures', v)])),
    niFit,
    cuFit,
    mixLcf: readJson(join(xanes, 'mix1_lcf.json')),
    cu2sPredict: readJson(join(xanes, 'cu2s_predict.json')),
    mdAnalysis: analysis,
    mdChiInfo: { s02, deltaE0Ev: dE, frames: mdChi.frames, info: mdChi.info },
    protocolSeed: protocol.seed,
  };
}

export function registerDemoCommands(program: Command, make: ProgramFactory): void {
  program
    .command('demo')
    .description('run the whole pipeline end to end on the bundled real data and write an HTML report')
    .option('-o, --out <dir>', 'output folder', 'out')
    .action(async (opts: { out: string }) => {
      const results = await runDemo(make, opts.out);
      const report = buildDemoReport(results);
      writeFileAtomic(join(opts.out, 'index.html'), report);
      writeFileAtomic(join(opts.out, 'summary.json'), toJson(demoSummary(results), 2));
      process.stdout.write(
        `\ndemo finished in ${results.seconds.toFixed(1)} s → ${join(opts.out, 'index.html')}\n`,
      );
    });
}
