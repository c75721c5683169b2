/**
 * `xasflow process FILES… [--out DIR] [--json] [--plot] [--xdi] [Larch parameters]`: reduce every
 * spectrum (pre_edge + autobk + xftf with Larch's definitions and defaults) and write
 * `<name>.json` with Larch's array names, optionally figures and a processed XDI file.
 */
import type { Command } from 'commander';
import { toJson } from '../../core/atomic-write.js';
import { runProcessJob } from '../process-job.js';
import { addProcessingOptions, processParamsFromOptions } from '../process-params.js';
import { interruptSignal, progressBar } from '../progress.js';

export function registerProcessCommands(program: Command): void {
  const cmd = program
    .command('process')
    .description(
      'reduce spectra as Larch does (pre_edge, autobk, xftf) and write <name>.json with e0, edge_step, ' +
        'energy, mu, pre_edge, post_edge, norm, flat, bkg, k, chi, r, chir_mag, chir_re, chir_im',
    )
    .argument('<files...>', 'data files (XDI, column text, Athena .prj, NeXus .h5)')
    .option('-o, --out <dir>', 'output folder', 'xasflow-out')
    .option('--json', 'print a JSON summary of all inputs on stdout')
    .option('--plot', 'write PNG and SVG figures: mu, norm, chik, chir')
    .option('--xdi', 'write <name>.xdi with norm, flat, pre/post-edge and background columns and the history')
    .option('--record <r>', 'only this record of multi-record files (1-based index or name)')
    .option('--workers <n>', 'worker threads (default: 2, or the core count if smaller; 0 = none)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--workers '${v}' is not a non-negative integer`);
      return n;
    });
  addProcessingOptions(cmd);
  cmd.action(async (files: string[], opts: Record<string, unknown>) => {
    const params = processParamsFromOptions(opts);
    const bar = progressBar('processing');
    const stop = interruptSignal('the spectra');
    const t0 = performance.now();
    let entries: Awaited<ReturnType<typeof runProcessJob>>;
    try {
      entries = await runProcessJob(files, {
        outDir: opts.out as string,
        params,
        plot: opts.plot === true,
        xdi: opts.xdi === true,
        storedParams: opts.storedParams === true,
        record: opts.record as string | undefined,
        workers: opts.workers as number | undefined,
        signal: stop.signal,
        onProgress: (done, total) => bar.update(done, total),
      });
    } finally {
      bar.stop();
      stop.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;
    const ok = entries.filter((e) => e.ok);
    const bad = entries.filter((e) => !e.ok);
    if (opts.json) {
      process.stdout.write(
        `${toJson({ outDir: opts.out, seconds, processed: ok.length, failed: bad.length, entries }, 2)}\n`,
      );
    } else {
      for (const e of ok) {
        process.stdout.write(
          `${e.name}: e0 = ${e.e0?.toFixed(3)} eV, edge_step = ${e.edgeStep?.toPrecision(5)}\n`,
        );
      }
      process.stdout.write(
        `processed ${ok.length} spectra in ${seconds.toFixed(2)} s → ${opts.out}${bad.length ? `; ${bad.length} failed` : ''}\n`,
      );
    }
    for (const e of bad) process.stderr.write(`xasflow: ${e.error}\n`);
    if (bad.length > 0) process.exitCode = 1;
  });
}
