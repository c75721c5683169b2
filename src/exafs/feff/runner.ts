/**
 * Runs the Debian feff85exafs command-line modules (feff8l_rdinp, _pot, _xsph, _pathfinder,
 * _genfmt, _ff2x) in a working directory. Each module reads and writes its JSON/PAD files there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { XasInputError, XasNumericalError } from '../../core/errors.js';

export type FeffModule = 'rdinp' | 'pot' | 'xsph' | 'pathfinder' | 'genfmt' | 'ff2x';

export interface FeffRunOptions {
  /** Directory holding the feff8l_* executables (default: search PATH). */
  binDir?: string;
}

export const FEFF_INSTALL_HINT =
  'install the Debian package feff85exafs (apt-get install feff85exafs), or pass the directory holding feff8l_genfmt with --feff-bin';

export function feffExecutable(module: FeffModule, opts: FeffRunOptions = {}): string {
  const name = `feff8l_${module}`;
  if (opts.binDir) return join(opts.binDir, name);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return name;
}

/** Throws a clear error when the FEFF modules cannot be found. */
export function checkFeffInstalled(opts: FeffRunOptions = {}): void {
  for (const m of ['rdinp', 'pot', 'xsph', 'genfmt', 'ff2x'] as FeffModule[]) {
    const exe = feffExecutable(m, opts);
    if (!existsSync(exe)) {
      throw new XasInputError(`FEFF is not installed: ${exe} was not found`, { expected: FEFF_INSTALL_HINT });
    }
  }
}

/** Runs one module in `cwd`; throws with the tail of its output when it fails. */
export function runFeffModule(module: FeffModule, cwd: string, opts: FeffRunOptions = {}): string {
  const exe = feffExecutable(module, opts);
  const r = spawnSync(exe, [], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new XasInputError(`FEFF is not installed: ${exe} was not found`, { expected: FEFF_INSTALL_HINT });
    }
    throw new XasNumericalError(`${exe} in ${cwd} could not run: ${r.error.message}`);
  }
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) {
    throw new XasNumericalError(
      `${exe} in ${cwd} failed (exit ${r.status ?? r.signal}): ${output.slice(-800)}`,
    );
  }
  return output;
}
