/**
 * Locating and running the LAMMPS executable (`lmp` as installed by Debian's `lammps` package, or the
 * binary named by $XASFLOW_LMP / $LAMMPS_BIN). Decks are written to a working directory and run with
 * `-in deck -log log.lammps -screen none`; failures report the ERROR line of the log.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { XasInputError, XasNumericalError } from '../../core/errors.js';

export const LAMMPS_INSTALL_HINT =
  'install it with `apt-get install lammps lammps-data openkim-models` (Debian/Ubuntu), ' +
  "set $XASFLOW_LMP to the LAMMPS binary, or use engine 'embedded'";

/** Path of the LAMMPS binary, or null when none is found. */
export function findLammps(): string | null {
  for (const env of ['XASFLOW_LMP', 'LAMMPS_BIN']) {
    const v = process.env[env];
    if (v && existsSync(v)) return v;
  }
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['lmp', 'lmp_serial', 'lmp_mpi']) {
    for (const d of dirs) {
      const p = join(d, name);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

/** The LAMMPS binary, or a clear error saying how to get one. */
export function requireLammps(): string {
  const lmp = findLammps();
  if (!lmp) throw new XasInputError(`LAMMPS is not installed (no 'lmp' on PATH): ${LAMMPS_INSTALL_HINT}`);
  return lmp;
}

export interface LammpsInfo {
  binary: string;
  version: string;
  packages: string[];
  pairStyles: string[];
}

/** Version, installed packages and pair styles as reported by `lmp -h`. */
export function lammpsInfo(binary = requireLammps()): LammpsInfo {
  const r = spawnSync(binary, ['-h'], { encoding: 'utf8', maxBuffer: 32 << 20 });
  const text = `${r.stdout ?? ''}`;
  const version =
    /Large-scale Atomic\/Molecular Massively Parallel Simulator - ([^\n]+)/.exec(text)?.[1]?.trim() ?? '';
  const section = (title: string): string[] => {
    const i = text.indexOf(title);
    if (i < 0) return [];
    const rest = text.slice(i + title.length);
    const end = rest.search(/\n\s*\n\s*\*|\n\n[A-Z]/);
    return (end > 0 ? rest.slice(0, end) : rest).split(/\s+/).filter((t) => /^[\w/.-]+$/.test(t));
  };
  return { binary, version, packages: section('Installed packages:'), pairStyles: section('* Pair styles:') };
}

export interface LammpsRunResult {
  logPath: string;
  log: string;
  wallSeconds: number;
}

/**
 * Runs `deck` in `dir` (which must exist). `onLine` receives log lines as they are printed (progress).
 * Throws XasNumericalError with LAMMPS's ERROR message when the run fails.
 */
export function runLammps(
  deck: string,
  dir: string,
  opts: { binary?: string; deckName?: string; onLine?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<LammpsRunResult> {
  const binary = opts.binary ?? requireLammps();
  const deckName = opts.deckName ?? 'in.lammps';
  writeFileSync(join(dir, deckName), deck);
  const logPath = join(dir, 'log.lammps');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-in', deckName, '-log', 'log.lammps', '-echo', 'none'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1' },
      signal: opts.signal,
    });
    let buf = '';
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const s = chunk.toString();
      tail = (tail + s).slice(-4000);
      if (!opts.onLine) return;
      buf += s;
      let k = buf.indexOf('\n');
      while (k >= 0) {
        opts.onLine(buf.slice(0, k));
        buf = buf.slice(k + 1);
        k = buf.indexOf('\n');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    });
    child.on('error', (err) => reject(new XasInputError(`cannot run LAMMPS (${binary}): ${err.message}`)));
    child.on('close', (code) => {
      const log = existsSync(logPath) ? readFileSync(logPath, 'utf8') : tail;
      if (code !== 0 || /^ERROR/m.test(log)) {
        const err =
          /^ERROR[^\n]*/m.exec(log)?.[0] ??
          /ERROR[^\n]*/.exec(tail)?.[0] ??
          tail.trim().split('\n').slice(-3).join(' | ');
        reject(new XasNumericalError(`LAMMPS failed in ${dir} (exit ${code}): ${err}`));
        return;
      }
      resolve({ logPath, log, wallSeconds: (performance.now() - t0) / 1000 });
    });
  });
}
