/**
 * `xasflow md …`: run MD protocols (embedded engine or LAMMPS) into snapshot folders, analyse
 * snapshots (g(r), coordination, first shell, bond angles, a-CNA), write protocol presets.
 */
import { existsSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { toJson, writeFileAtomic } from '../../core/atomic-write.js';
import { XasInputError, XasNumericalError } from '../../core/errors.js';
import { analyzeSnapshots } from '../../md/analysis/analyze.js';
import { requireLammps } from '../../md/lammps/lammps-exec.js';
import { runLammpsJob } from '../../md/lammps/lammps-job.js';
import {
  defaultPotentialSearch,
  locateInstalled,
  potentialFromOption,
} from '../../md/potential/installed.js';
import { jobSteps } from '../../md/protocol/embedded-job.js';
import { expandJobs } from '../../md/protocol/jobs.js';
import { PRESET_NAMES, type PresetName, protocolPreset } from '../../md/protocol/presets.js';
import { runProtocol } from '../../md/protocol/run-protocol.js';
import { parseProtocol, readProtocol } from '../../md/protocol/schema.js';
import { isStateComplete } from '../../md/protocol/snapshots.js';

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new XasInputError(`'${v}' is not a number`, { field: name });
  return x;
}

async function runCommand(
  file: string,
  opts: { workers?: string; dryRun?: boolean; potential?: string },
): Promise<void> {
  const p = readProtocol(file, {
    potential: opts.potential === undefined ? undefined : potentialFromOption(opts.potential),
  });
  const jobs = expandJobs(p);
  const states = jobs.flatMap((j) => j.stateIds);
  const done = states.filter((s) => isStateComplete(p.outDir, s));
  process.stdout.write(
    `${p.name}: ${jobs.length} job(s), ${states.length} state point(s), ${done.length} already complete; engine ${p.engine}; output ${p.outDir}\n` +
      `potential: ${p.potential.style === 'kim' ? `kim ${p.potential.model}` : `${p.potential.style} ${p.potential.file}`}\n`,
  );
  if (opts.dryRun) {
    for (const j of jobs) {
      for (const s of j.stateIds) process.stdout.write(`  ${s}${done.includes(s) ? ' (complete)' : ''}\n`);
    }
    return;
  }
  if (p.engine === 'lammps') requireLammps();
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write('\ninterrupt: stopping; finished snapshots are kept, rerun to resume\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const perJob = new Map<string, number>();
  const totalSteps = jobs
    .filter((j) => !j.stateIds.every((id) => done.includes(id)))
    .reduce((t, j) => t + jobSteps(j, p), 0);
  const tty = process.stderr.isTTY === true;
  const bar = new SingleBar({
    format: 'md [{bar}] {percentage}% | {value}/{total} steps | {stage}',
    stream: process.stderr,
    noTTYOutput: false,
  });
  let started = false;
  let lastLine = 0;
  const summary = await runProtocol(p, {
    workers: num(opts.workers, 'workers'),
    signal: controller.signal,
    lammpsRunner: runLammpsJob,
    onProgress: (pr) => {
      perJob.set(pr.jobId, pr.doneSteps);
      let sum = 0;
      for (const v of perJob.values()) sum += v;
      if (tty) {
        if (!started) {
          bar.start(1, 0, { stage: '' });
          started = true;
        }
        bar.setTotal(Math.max(sum, totalSteps, 1));
        bar.update(sum, { stage: `${pr.jobId}: ${pr.stage}` });
      } else if (Date.now() - lastLine > 30000) {
        lastLine = Date.now();
        process.stderr.write(`md: ${pr.jobId} ${pr.stage} ${pr.doneSteps}/${pr.totalSteps} steps\n`);
      }
    },
    onJobEnd: (id, err) => {
      if (!tty) process.stderr.write(`md: job ${id} ${err ? `FAILED: ${err}` : 'done'}\n`);
    },
  });
  if (started) bar.stop();
  process.removeListener('SIGINT', onSigint);
  process.stdout.write(
    `${summary.written.length} state point(s) written, ${summary.skipped.length} skipped (complete), ` +
      `${summary.failed.length} job(s) failed, ${summary.wallSeconds.toFixed(1)} s\n`,
  );
  if (summary.failed.length > 0) {
    throw new XasNumericalError(
      summary.failed.map((f) => `${f.jobId}: ${f.message}`).join('; ') +
        ' (snapshots already written are kept; rerun to resume)',
    );
  }
}

function analyzeCommand(
  paths: string[],
  opts: { json?: string; rcut?: string; rmax?: string; bin?: string; badBin?: string; types?: string },
): void {
  const a = analyzeSnapshots(paths, {
    rCutAngstrom: num(opts.rcut, 'rcut'),
    rMaxAngstrom: num(opts.rmax, 'rmax'),
    binWidthAngstrom: num(opts.bin, 'bin'),
    badBinDeg: num(opts.badBin, 'bad-bin'),
    typeSymbols: opts.types?.split(','),
  });
  const f = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  const lines = [
    `${a.frames} frame(s) from ${a.files.length} file(s); density ${f(a.densityPerA3, 5)} Å⁻³`,
    `g(r): first peak ${f(a.firstShell.peakAngstrom, 3)} Å (g = ${f(a.firstShell.peakHeight, 2)}), first minimum ${f(a.firstShell.minimumAngstrom, 3)} Å, N = ${f(a.firstShell.coordination, 2)}`,
    `first shell (r < ${f(a.shell.rCutAngstrom, 3)} Å): <R> = ${f(a.shell.meanAngstrom, 5)} ± ${f(a.shell.meanStdErr, 5)} Å, σ² = ${f(a.shell.sigma2Angstrom2, 5)} ± ${f(a.shell.sigma2StdErr, 5)} Å², C3 = ${a.shell.c3Angstrom3.toExponential(2)} Å³, N = ${f(a.shell.coordination, 3)}`,
    `bond angles (cutoff ${f(a.bad.cutoffAngstrom, 3)} Å, ${f(a.bad.anglesPerAtom, 1)} per atom): maxima at ${a.bad.peaksDeg.map((x) => `${x.toFixed(1)}°`).join(', ')}`,
    `a-CNA: ${Object.entries(a.cna)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`)
      .join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (opts.json) {
    writeFileAtomic(opts.json, `${toJson(a, 1)}\n`);
    process.stdout.write(`wrote ${opts.json}\n`);
  }
}

function potentialsCommand(): void {
  const lines = [
    'well-known potentials (protocol: "potential": {"installed": NAME}; md run --potential NAME):',
  ];
  for (const { name, potential: q, path } of locateInstalled()) {
    const where = path ?? `not installed (apt-get install ${q.provider})`;
    lines.push(`  ${name}  ${q.style} ${q.file}`, `      ${q.reference}`, `      ${where}`);
    if (q.kimModel) lines.push(`      as an OpenKIM model (LAMMPS only): kim:${q.kimModel}`);
  }
  const s = defaultPotentialSearch();
  lines.push(
    `bare file names are also searched in: ${[...s.dirs, ...s.recursiveDirs.map((d) => `${d}/**`)].join(', ')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

function presetCommand(name: string, opts: { out: string; force?: boolean }): void {
  if (!(PRESET_NAMES as readonly string[]).includes(name)) {
    throw new XasInputError(`unknown preset '${name}'`, {
      field: 'preset',
      expected: PRESET_NAMES.join(', '),
    });
  }
  if (existsSync(opts.out) && !opts.force)
    throw new XasInputError('file exists (use --force)', { file: opts.out });
  const preset = protocolPreset(name as PresetName);
  parseProtocol(preset, `preset ${name}`);
  writeFileAtomic(opts.out, `${JSON.stringify(preset, null, 2)}\n`);
  process.stdout.write(`wrote ${opts.out}\n`);
}

export function registerMdCommands(program: Command): void {
  const md = program.command('md').description('molecular dynamics: run protocols, analyse snapshots');
  md.command('run')
    .description('run an MD protocol file (JSON) into snapshot folders; finished state points are skipped')
    .argument('<protocol>', 'protocol file (format: docs/md.md)')
    .option('--workers <n>', 'parallel state points (overrides the protocol)')
    .option('--dry-run', 'list the state points and stop')
    .option(
      '--potential <name|file>',
      'replace the protocol potential: a well-known name (md potentials), kim:<model>, or a .eam/.eam.alloy file',
    )
    .action(runCommand);
  md.command('analyze')
    .description('g(r), coordination, first-shell <R>/σ², bond-angle distribution and a-CNA of snapshots')
    .argument('<snapshots...>', 'extended XYZ / LAMMPS dump files, or folders of them')
    .option('--json <file>', 'write the full analysis (curves, per-frame values) as JSON')
    .option('--rcut <angstrom>', 'first-shell and bond-angle cutoff (default: first g(r) minimum)')
    .option('--rmax <angstrom>', 'g(r) range (default 8)')
    .option('--bin <angstrom>', 'g(r) bin width (default 0.02)')
    .option('--bad-bin <deg>', 'bond-angle bin width (default 1)')
    .option('--types <symbols>', 'element of each LAMMPS dump type, comma separated')
    .action(analyzeCommand);
  md.command('potentials')
    .description(
      'list the well-known potentials (shipped or installed by Debian packages) and where they are',
    )
    .action(potentialsCommand);
  md.command('preset')
    .description(`write a protocol preset (${PRESET_NAMES.join(', ')})`)
    .argument('<name>', 'preset name')
    .requiredOption('--out <file>', 'protocol file to write')
    .option('--force', 'overwrite an existing file')
    .action(presetCommand);
}
