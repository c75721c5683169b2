/**
 * Command-line processing parameters → ProcessParams, with Larch's names. pre_edge flags are
 * Larch's (--e0 --pre1 --pre2 --norm1 --norm2 --nnorm --nvict --step); autobk's own names are used
 * where they are unique (--rbkg --nknots --win --nclamp --clamp-lo --clamp-hi --err-sigma), and
 * the ones autobk shares with xftf carry Athena's `bkg-` prefix (--bkg-kmin --bkg-kmax
 * --bkg-kweight --bkg-dk); xftf keeps the plain names (--kmin --kmax --kweight --dk --dk2
 * --window --rmax-out --nfft --kstep). A --params JSON file {pre_edge, autobk, xftf} with Larch's
 * keys is read first; flags override it.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { XasInputError } from '../core/errors.js';
import type { StoredParams } from '../core/spectrum.js';
import type { ProcessParams } from '../process/index.js';

function num(flag: string) {
  return (v: string): number => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) {
      throw new XasInputError(`--${flag} '${v}' is not a number`, {
        field: flag,
        expected: 'a finite number',
      });
    }
    return x;
  };
}

const PRE_EDGE = ['e0', 'pre1', 'pre2', 'norm1', 'norm2', 'nnorm', 'nvict', 'step'] as const;
const AUTOBK_NUM: [string, string][] = [
  ['rbkg', 'rbkg'],
  ['nknots', 'nknots'],
  ['nclamp', 'nclamp'],
  ['clamp-lo', 'clamp_lo'],
  ['clamp-hi', 'clamp_hi'],
  ['err-sigma', 'err_sigma'],
  ['bkg-kmin', 'kmin'],
  ['bkg-kmax', 'kmax'],
  ['bkg-kweight', 'kweight'],
  ['bkg-dk', 'dk'],
];
const XFTF_NUM: [string, string][] = [
  ['kmin', 'kmin'],
  ['kmax', 'kmax'],
  ['kweight', 'kweight'],
  ['dk', 'dk'],
  ['dk2', 'dk2'],
  ['rmax-out', 'rmax_out'],
  ['nfft', 'nfft'],
  ['kstep', 'kstep'],
];

const camel = (flag: string) => flag.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Adds the processing flags to a command. */
export function addProcessingOptions(cmd: Command): Command {
  cmd.option('--params <file>', 'JSON file {pre_edge, autobk, xftf} with Larch parameter names');
  for (const p of PRE_EDGE) cmd.option(`--${p} <value>`, `pre_edge ${p}`, num(p));
  cmd.option('--no-make-flat', 'pre_edge: do not compute the flattened spectrum');
  for (const [flag, name] of AUTOBK_NUM) cmd.option(`--${flag} <value>`, `autobk ${name}`, num(flag));
  cmd.option('--win <name>', 'autobk window (hanning, kaiser, gaussian, sine, welch, parzen, ...)');
  cmd.option('--solver <name>', "autobk solver: 'larch' (follows Larch's fit, default) or 'exact'");
  cmd.option('--no-calc-uncertainties', 'autobk: skip delta_chi / delta_bkg');
  for (const [flag, name] of XFTF_NUM) cmd.option(`--${flag} <value>`, `xftf ${name}`, num(flag));
  cmd.option('--window <name>', 'xftf window (default kaiser, as Larch)');
  cmd.option(
    '--stored-params',
    'use the parameters stored in Athena project records (E0, ranges, rbkg, FT ranges)',
  );
  return cmd;
}

function readParamsFile(path: string): ProcessParams {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new XasInputError(`cannot read the parameter file: ${(err as Error).message}`, { file: path });
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new XasInputError(`not valid JSON: ${(err as Error).message}`, { file: path });
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new XasInputError('the parameter file is not a JSON object', {
      file: path,
      expected: '{"pre_edge": {...}, "autobk": {...}, "xftf": {...}}',
    });
  }
  const known = new Set(['pre_edge', 'autobk', 'xftf']);
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) {
      throw new XasInputError(`unknown section '${key}'`, {
        file: path,
        field: key,
        expected: 'pre_edge, autobk or xftf',
      });
    }
  }
  return obj as ProcessParams;
}

/** ProcessParams from parsed command-line options. */
export function processParamsFromOptions(opts: Record<string, unknown>): ProcessParams {
  const base = typeof opts.params === 'string' ? readParamsFile(opts.params) : {};
  const pre: Record<string, unknown> = { ...(base.pre_edge ?? {}) };
  const bkg: Record<string, unknown> = { ...(base.autobk ?? {}) };
  const ft: Record<string, unknown> = { ...(base.xftf ?? {}) };
  for (const p of PRE_EDGE) if (opts[p] !== undefined) pre[p] = opts[p];
  if (opts.makeFlat === false) pre.make_flat = false;
  for (const [flag, name] of AUTOBK_NUM) if (opts[camel(flag)] !== undefined) bkg[name] = opts[camel(flag)];
  if (opts.win !== undefined) bkg.win = opts.win;
  if (opts.solver !== undefined) bkg.solver = opts.solver;
  if (opts.calcUncertainties === false) bkg.calc_uncertainties = false;
  for (const [flag, name] of XFTF_NUM) if (opts[camel(flag)] !== undefined) ft[name] = opts[camel(flag)];
  if (opts.window !== undefined) ft.window = opts.window;
  return { pre_edge: pre, autobk: bkg, xftf: ft } as ProcessParams;
}

/** Parameters stored in an Athena record, under Larch's names; explicit parameters win. */
export function withStoredParams(params: ProcessParams, stored: StoredParams | undefined): ProcessParams {
  if (!stored) return params;
  const clean = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
  const pe = stored.preEdge ?? {};
  const bk = stored.autobk ?? {};
  const ft = stored.xftf ?? {};
  return {
    pre_edge: {
      ...clean({
        e0: pe.e0,
        pre1: pe.pre1,
        pre2: pe.pre2,
        norm1: pe.norm1,
        norm2: pe.norm2,
        nnorm: pe.nnorm,
      }),
      ...(pe.fixStep && pe.step !== undefined ? { step: pe.step } : {}),
      ...params.pre_edge,
    },
    autobk: {
      ...clean({
        rbkg: bk.rbkg,
        kweight: bk.kweight,
        kmin: bk.kmin,
        kmax: bk.kmax,
        dk: bk.dk,
        win: bk.win,
        nclamp: bk.nclamp,
        clamp_lo: bk.clampLo,
        clamp_hi: bk.clampHi,
      }),
      ...params.autobk,
    },
    xftf: {
      ...clean({ kmin: ft.kmin, kmax: ft.kmax, dk: ft.dk, kweight: ft.kweight, window: ft.window }),
      ...params.xftf,
    },
  } as ProcessParams;
}
