/**
 * `xasflow xanes …`: reference libraries (refs), linear combination fitting as Larch does it (lcf),
 * PCA with target transformation (pca), training the composition network on synthetic spectra
 * (train) and the composition of a measured spectrum by the network and the Bayesian posterior
 * (predict). JSON outputs are written atomically; plots as PNG + SVG.
 */
import type { Command } from 'commander';
import { toJson, writeFileAtomic } from '../../core/atomic-write.js';
import { XasInputError } from '../../core/errors.js';
import { SOFTWARE } from '../../core/spectrum.js';
import { renderLineChart } from '../../report/line-chart.js';
import { XanesCnn } from '../../xanes/cnn.js';
import { libraryFromArguments, readManifest, readOneSpectrum } from '../../xanes/inputs.js';
import { type E0ShiftMode, lincomboFit } from '../../xanes/lcf.js';
import { lincomboFitAll } from '../../xanes/lcf-fitall.js';
import { ARRAY_NAMES, type ArrayName, type XanesLibrary } from '../../xanes/library.js';
import { loadLibrary, saveLibrary } from '../../xanes/library-file.js';
import { mcrAls } from '../../xanes/mcr-als.js';
import { pcaTrain, targetTransform } from '../../xanes/pca.js';
import { type Chart, lcfCharts, predictCharts } from '../../xanes/plots.js';
import { parseExpectedComposition, predictComposition } from '../../xanes/predict.js';
import { lcfText, libraryText, pcaText, predictText } from '../../xanes/report-text.js';
import { fitAllJson, lcfJson, mcrJson, pcaJson, predictJson } from '../../xanes/result-json.js';
import { curveOf, prepareSpectrum, resolveFitRange } from '../../xanes/spectrum-input.js';
import { syntheticConfigFromFile } from '../../xanes/synthetic-config.js';
import { trainXanesCnn } from '../../xanes/train-pipeline.js';

function num(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v))
    throw new XasInputError(`--${name} '${text}'`, { field: name, expected: 'a number' });
  return v;
}

function int(text: string | undefined, name: string, min: number): number | undefined {
  const v = num(text, name);
  if (v !== undefined && !(Number.isInteger(v) && v >= min))
    throw new XasInputError(`--${name} '${text}'`, { field: name, expected: `an integer >= ${min}` });
  return v;
}

function arrayName(text: string): ArrayName {
  if (!(ARRAY_NAMES as readonly string[]).includes(text))
    throw new XasInputError(`--array '${text}'`, { field: 'array', expected: ARRAY_NAMES.join(', ') });
  return text as ArrayName;
}

async function writePlots(prefix: string, charts: Record<string, Chart>): Promise<string[]> {
  const out: string[] = [];
  for (const [name, chart] of Object.entries(charts)) {
    const { svg, png } = await renderLineChart(chart);
    writeFileAtomic(`${prefix}-${name}.svg`, svg);
    writeFileAtomic(`${prefix}-${name}.png`, png);
    out.push(`${prefix}-${name}.png`);
  }
  return out;
}

/** Line writers through the command's configured output (commander's configureOutput). */
function writers(cmd: Command): {
  say: (text: string) => void;
  warn: (text: string) => void;
  log: (text: string) => void;
} {
  const cfg = cmd.configureOutput() as { writeOut?: (s: string) => void; writeErr?: (s: string) => void };
  const out = cfg.writeOut ?? ((t: string) => process.stdout.write(t));
  const err = cfg.writeErr ?? ((t: string) => process.stderr.write(t));
  return { say: (t) => out(`${t}\n`), warn: (t) => err(`warning: ${t}\n`), log: (t) => err(`${t}\n`) };
}

function registerRefs(xanes: Command): void {
  xanes
    .command('refs')
    .description(
      'build a reference library: read, normalise consistently, align, attach metadata, save as one file',
    )
    .argument('<files...>', 'reference spectra (FILE or FILE::RECORD)')
    .requiredOption('--out <file>', 'library file to write (JSON)')
    .option('--normalized', 'the files hold normalised μ(E) already')
    .option('--meta <file>', 'JSON manifest of metadata by reference name (species, oxidationState, phase)')
    .option('--align <mode>', "alignment: 'none' or 'reference-channel'", 'none')
    .option('--align-to <name>', 'reference whose reference channel the others are aligned to')
    .option('--pre1 <eV>', 'pre-edge range start (relative to E0)')
    .option('--pre2 <eV>', 'pre-edge range end')
    .option('--norm1 <eV>', 'post-edge range start')
    .option('--norm2 <eV>', 'post-edge range end')
    .option('--nnorm <n>', 'post-edge polynomial degree')
    .action(async (files: string[], o, cmd: Command) => {
      const { say, warn } = writers(cmd);
      if (o.align !== 'none' && o.align !== 'reference-channel')
        throw new XasInputError(`--align '${o.align}'`, {
          field: 'align',
          expected: "'none' or 'reference-channel'",
        });
      const lib = await libraryFromArguments(files, {
        normalized: o.normalized,
        align: o.align,
        alignTo: o.alignTo,
        manifest: readManifest(o.meta),
        normalization: {
          pre1: num(o.pre1, 'pre1'),
          pre2: num(o.pre2, 'pre2'),
          norm1: num(o.norm1, 'norm1'),
          norm2: num(o.norm2, 'norm2'),
          nnorm: int(o.nnorm, 'nnorm', 0),
        },
      });
      saveLibrary(o.out, lib);
      for (const line of libraryText(lib, o.out)) say(line);
      for (const w of lib.warnings) warn(w);
    });
}

function registerLcf(xanes: Command): void {
  xanes
    .command('lcf')
    .description(
      'linear combination fit of a spectrum (Larch lincombo_fit definitions; bounded fits reach the exact optimum)',
    )
    .argument('<unknown>', 'spectrum to fit (FILE or FILE::RECORD)')
    .requiredOption('--refs <files...>', 'reference spectra, or one library file')
    .option('--xmin <eV>', 'fit range start (absolute energy, or relative to E0 with --relative)')
    .option('--xmax <eV>', 'fit range end')
    .option('--relative', 'xmin/xmax are relative to the unknown E0 (default: detected)')
    .option('--absolute', 'xmin/xmax are absolute energies (default: detected)')
    .option('--sum-to-one', 'force the weights to sum to 1')
    .option('--bounded', 'weights between 0 and 1')
    .option('--array <name>', 'norm, flat or dmude', 'norm')
    .option(
      '--e0-shift <mode>',
      'energy shift: none, data (Larch vary_e0) or references (one per reference)',
      'none',
    )
    .option('--max-shift <eV>', 'largest energy shift', '5')
    .option('--normalized', 'the unknown holds normalised μ(E) already')
    .option('--fitall <n>', 'also fit every combination of 2 to n references, ranked by reduced χ²')
    .option('--json <file>', 'write the result as JSON')
    .option('--plot <prefix>', 'write fit and residual plots (PNG + SVG)')
    .action(async (unknownArg: string, o, cmd: Command) => {
      const { say, warn } = writers(cmd);
      const notes: string[] = [];
      const lib = await libraryFromArguments(o.refs, { normalized: o.normalized });
      const sp = prepareSpectrum(
        await readOneSpectrum(unknownArg, notes),
        unknownArg.split(/[\\/]/).pop() as string,
        {
          normalized: o.normalized,
          normalization: lib.normalization ?? undefined,
        },
      );
      const mode = o.relative ? 'relative' : o.absolute ? 'absolute' : 'auto';
      const range = resolveFitRange(num(o.xmin, 'xmin'), num(o.xmax, 'xmax'), sp, mode);
      const array = arrayName(o.array);
      const e0Shift = o.e0Shift as E0ShiftMode;
      if (!['none', 'data', 'references'].includes(e0Shift))
        throw new XasInputError(`--e0-shift '${o.e0Shift}'`, {
          field: 'e0-shift',
          expected: 'none, data or references',
        });
      const refs = lib.references.map((r) => curveOf(r, array));
      const opts = {
        xmin: range.xmin,
        xmax: range.xmax,
        sumToOne: !!o.sumToOne,
        bounded: !!o.bounded,
        e0Shift,
        maxShiftEv: num(o.maxShift, 'max-shift'),
      };
      const r = lincomboFit(curveOf(sp, array), refs, opts);
      const fitall = o.fitall
        ? lincomboFitAll(curveOf(sp, array), refs, { ...opts, maxComponents: int(o.fitall, 'fitall', 2) })
        : null;
      for (const line of lcfText(r, sp.label)) say(line);
      for (const w of [...notes, ...lib.warnings, ...r.warnings]) warn(w);
      if (o.json) {
        const doc = {
          software: SOFTWARE,
          command: 'xanes lcf',
          unknown: { argument: unknownArg, e0: sp.e0, normalized: sp.normalized },
          references: lib.references.map((x) => ({
            name: x.name,
            file: x.file,
            e0: x.e0,
            species: x.meta.species,
            oxidationState: x.meta.oxidationState,
          })),
          array,
          fitRange: range,
          ...lcfJson(r),
          warnings: [...notes, ...lib.warnings, ...r.warnings],
          fitall: fitall ? fitAllJson(fitall.slice(0, 50)) : undefined,
        };
        writeFileAtomic(o.json, `${toJson(doc, 1)}\n`);
      }
      if (o.plot) await writePlots(o.plot, lcfCharts(r, sp.label));
    });
}

function registerPca(xanes: Command): void {
  xanes
    .command('pca')
    .description(
      'principal component analysis (Larch pca_train), IND and F tests, target transformation of candidates',
    )
    .argument('<files...>', 'spectra to analyse (FILE or FILE::RECORD, or one library file)')
    .option('--xmin <eV>', 'range start (absolute energy)')
    .option('--xmax <eV>', 'range end')
    .option('--targets <files...>', 'candidate references for target transformation')
    .option('--ncomps <n>', 'components used for target transformation (default: IND minimum)')
    .option('--normalized', 'the files hold normalised μ(E) already')
    .option('--mcr <n>', 'also resolve the series into n components by MCR-ALS (closure, non-negativity)')
    .option('--json <file>', 'write the result as JSON')
    .option('--plot <prefix>', 'write component and target plots (PNG + SVG)')
    .action(async (files: string[], o, cmd: Command) => {
      const { say, warn } = writers(cmd);
      const lib = await libraryFromArguments(files, { normalized: o.normalized });
      const model = pcaTrain(
        lib.references.map((r) => curveOf(r, 'norm')),
        { xmin: num(o.xmin, 'xmin'), xmax: num(o.xmax, 'xmax') },
      );
      const ncomps = int(o.ncomps, 'ncomps', 1) ?? Math.max(1, model.nsig);
      const targets = o.targets ? await libraryFromArguments(o.targets, { normalized: o.normalized }) : null;
      const tt = targets
        ? targetTransform(
            targets.references.map((r) => curveOf(r, 'norm')),
            model,
            ncomps,
          )
        : [];
      const nmcr = int(o.mcr, 'mcr', 1);
      const mcr = nmcr ? mcrAls(model.ydat, { components: nmcr }) : null;
      for (const line of pcaText(model, tt, mcr)) say(line);
      for (const w of lib.warnings) warn(w);
      if (o.json) {
        writeFileAtomic(
          o.json,
          `${toJson({ ...pcaJson(model, tt), mcr: mcr ? mcrJson(mcr, model.labels) : null }, 1)}\n`,
        );
      }
      if (o.plot) {
        const comps: Chart = {
          title: 'PCA components',
          xTitle: 'Energy (eV)',
          yTitle: 'component',
          series: [
            { name: 'mean', x: model.x, y: model.mean },
            ...model.components
              .slice(0, ncomps)
              .map((c, k) => ({ name: `component ${k + 1}`, x: model.x, y: c })),
          ],
        };
        const charts: Record<string, Chart> = { components: comps };
        tt.forEach((t, i) => {
          charts[`target${i + 1}`] = {
            title: `target transformation: ${t.label}`,
            xTitle: 'Energy (eV)',
            yTitle: 'normalised μ(E)',
            series: [
              { name: t.label, x: t.x, y: t.ydat },
              { name: `${ncomps} components`, x: t.x, y: t.yfit, dashed: true },
            ],
          };
        });
        await writePlots(o.plot, charts);
      }
    });
}

function registerTrain(xanes: Command): void {
  xanes
    .command('train')
    .description(
      'train the composition network (deep ensemble) on synthetic spectra from a reference library',
    )
    .requiredOption('--library <file>', 'reference library (xanes refs)')
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--config <file>', 'synthetic-data settings (JSON, any SyntheticConfig fields)')
    .option('--spectra <n>', 'training spectra', '20000')
    .option('--calibration <n>', 'calibration spectra', '2000')
    .option('--validation <n>', 'validation spectra', '2000')
    .option('--members <n>', 'ensemble members', '5')
    .option('--epochs <n>', 'epochs', '30')
    .option(
      '--head <kind>',
      "'mse+dirichlet' (means by squared error, variances by a Dirichlet head) or 'dirichlet'",
      'mse+dirichlet',
    )
    .option('--width <n>', 'channels of the first block', '16')
    .option('--seed <n>', 'seed', '1')
    .option('--workers <n>', 'worker threads')
    .option('--checkpoints <dir>', 'checkpoint directory (rerun to resume)')
    .action(async (o, cmd: Command) => {
      const { say, log } = writers(cmd);
      const lib = loadLibrary(o.library);
      const ctrl = new AbortController();
      const stop = () => ctrl.abort();
      process.once('SIGINT', stop);
      try {
        const { cnn, validation } = await trainXanesCnn(lib, {
          config: syntheticConfigFromFile(o.config),
          trainSpectra: int(o.spectra, 'spectra', 10) as number,
          calibrationSpectra: int(o.calibration, 'calibration', 10) as number,
          validationSpectra: int(o.validation, 'validation', 10) as number,
          seed: int(o.seed, 'seed', 0) as number,
          members: int(o.members, 'members', 1) as number,
          epochs: int(o.epochs, 'epochs', 1) as number,
          head: o.head === 'dirichlet' ? 'dirichlet' : 'mse+dirichlet',
          width: int(o.width, 'width', 2),
          workers: int(o.workers, 'workers', 1),
          checkpointDir: o.checkpoints,
          signal: ctrl.signal,
          libraryName: o.library,
          onStage: (t) => log(t),
          onEpoch: (p) =>
            log(
              `member ${p.member} epoch ${p.epoch} train ${p.trainLoss.toPrecision(4)} val ${p.valLoss?.toPrecision(4) ?? '-'}`,
            ),
        });
        cnn.save(o.out);
        const m = validation.metrics;
        say(
          `validation (${m.spectra} spectra): MAE ${m.maeAll.toFixed(4)} (all fractions), ${m.maePresent.toFixed(4)} (present components)`,
        );
        if (validation.coverage)
          say(
            `coverage of 68/90/95 % intervals: ${validation.coverage.all.map((c) => (100 * c).toFixed(1)).join(' / ')} %`,
          );
        say(`model → ${o.out}`);
      } finally {
        process.off('SIGINT', stop);
      }
    });
}

function registerPredict(xanes: Command): void {
  xanes
    .command('predict')
    .description(
      'composition of a spectrum: network fractions with calibrated intervals, prior combination, MCMC posterior',
    )
    .argument('<spectrum>', 'spectrum (FILE or FILE::RECORD)')
    .requiredOption('--model <dir>', 'network directory (xanes train)')
    .requiredOption('--library <file>', 'the reference library the network was trained on')
    .option(
      '--prior <list>',
      'expected composition NAME:FRACTION,... (restricts the posterior to those references)',
    )
    .option('--prior-strength <a0>', 'Dirichlet concentration of the expected composition', '4')
    .option('--candidates <names...>', 'references of the posterior (default: found by the network)')
    .option('--no-posterior', 'skip the MCMC posterior')
    .option('--steps <n>', 'MCMC steps per walker', '5000')
    .option('--burn-in <n>', 'MCMC burn-in steps', '1000')
    .option('--walkers <n>', 'MCMC walkers')
    .option('--seed <n>', 'seed', '1')
    .option('--normalized', 'the spectrum holds normalised μ(E) already')
    .option('--json <file>', 'write the result as JSON')
    .option('--plot <prefix>', 'write fit, residual and interval plots (PNG + SVG)')
    .action(async (arg: string, o, cmd: Command) => {
      const { say, warn } = writers(cmd);
      const notes: string[] = [];
      const cnn = XanesCnn.load(o.model);
      const lib: XanesLibrary = loadLibrary(o.library);
      const sp = prepareSpectrum(await readOneSpectrum(arg, notes), arg.split(/[\\/]/).pop() as string, {
        normalized: o.normalized,
        normalization: lib.normalization ?? undefined,
      });
      const seed = int(o.seed, 'seed', 0) as number;
      const p = predictComposition(cnn, lib, sp.energyEv, sp.norm, {
        prior: parseExpectedComposition(o.prior, num(o.priorStrength, 'prior-strength') as number),
        candidates: o.candidates,
        posterior: o.posterior,
        steps: int(o.steps, 'steps', 10),
        burnIn: int(o.burnIn, 'burn-in', 0),
        walkers: int(o.walkers, 'walkers', 4),
        seed,
      });
      for (const line of predictText(p, sp.label)) say(line);
      for (const w of [...notes, ...p.warnings]) warn(w);
      if (o.json) {
        writeFileAtomic(
          o.json,
          `${toJson({ software: SOFTWARE, command: 'xanes predict', spectrum: arg, model: o.model, library: o.library, seed, ...predictJson(p), warnings: [...notes, ...p.warnings] }, 1)}\n`,
        );
      }
      if (o.plot) {
        const grid = cnn.energyEv;
        await writePlots(
          o.plot,
          predictCharts(p, lib.references, sp.label, [grid[0], grid[grid.length - 1]]),
        );
      }
    });
}

export function registerXanesCommands(program: Command): void {
  const xanes = program
    .command('xanes')
    .description('XANES composition: reference libraries, LCF, PCA, neural network, Bayesian posterior');
  registerRefs(xanes);
  registerLcf(xanes);
  registerPca(xanes);
  registerTrain(xanes);
  registerPredict(xanes);
}
