/**
 * μ(E) from measured channels and the rules for choosing which column is μ.
 *
 * Definitions (as Larch, Athena and the XDI dictionary use them):
 *   transmission  μ = ln(I0 / It)
 *   fluorescence  μ = If / I0
 *   reference     μ_ref = ln(It / Iref)
 * A logarithm of a non-positive ratio or a division by zero is refused with an error that
 * names the channel, the point and (when known) the file line, instead of yielding NaN.
 */
import { XasInputError } from '../core/errors.js';
import type { AcquisitionMode } from '../core/spectrum.js';

/** Where an array came from, for error messages. */
export interface ChannelContext {
  file?: string;
  /** File line of each point (1-based), when the arrays came from a text table. */
  lines?: ArrayLike<number>;
}

function where(ctx: ChannelContext, i: number): { file?: string; line?: number } {
  return { file: ctx.file, line: ctx.lines ? ctx.lines[i] : undefined };
}

function checkLengths(a: Float64Array, b: Float64Array, na: string, nb: string, ctx: ChannelContext): void {
  if (a.length !== b.length) {
    throw new XasInputError(
      `channels ${na} (${a.length} points) and ${nb} (${b.length} points) differ in length`,
      {
        file: ctx.file,
        expected: 'channels of equal length',
      },
    );
  }
}

/** ln(num/den) point by point; both must be positive (ratios of counts or currents). */
export function logRatio(
  num: Float64Array,
  den: Float64Array,
  names: [string, string],
  ctx: ChannelContext = {},
): Float64Array {
  checkLengths(num, den, names[0], names[1], ctx);
  const out = new Float64Array(num.length);
  for (let i = 0; i < num.length; i++) {
    const a = num[i];
    const b = den[i];
    if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
      const bad = !(a > 0) || !Number.isFinite(a) ? names[0] : names[1];
      const val = bad === names[0] ? a : b;
      throw new XasInputError(
        `cannot compute ln(${names[0]}/${names[1]}): ${bad}[${i}] = ${val} is not a positive number`,
        { ...where(ctx, i), field: bad, expected: 'positive intensities' },
      );
    }
    out[i] = Math.log(a / b);
  }
  return out;
}

/** Transmission μ = ln(I0/It). */
export function muTransmission(
  i0: Float64Array,
  itrans: Float64Array,
  ctx: ChannelContext = {},
): Float64Array {
  return logRatio(i0, itrans, ['i0', 'itrans'], ctx);
}

/** Reference-channel μ = ln(It/Iref). */
export function muReference(
  itrans: Float64Array,
  irefer: Float64Array,
  ctx: ChannelContext = {},
): Float64Array {
  return logRatio(itrans, irefer, ['itrans', 'irefer'], ctx);
}

/** num/den point by point; den must be non-zero. */
export function ratio(
  num: Float64Array,
  den: Float64Array,
  names: [string, string],
  ctx: ChannelContext = {},
): Float64Array {
  checkLengths(num, den, names[0], names[1], ctx);
  const out = new Float64Array(num.length);
  for (let i = 0; i < num.length; i++) {
    const f = num[i];
    const m = den[i];
    if (m === 0 || !Number.isFinite(m) || !Number.isFinite(f)) {
      const bad = !Number.isFinite(f) ? names[0] : names[1];
      throw new XasInputError(
        `cannot compute ${names[0]}/${names[1]}: ${bad}[${i}] = ${bad === names[1] ? m : f}${m === 0 ? ' (division by zero)' : ''}`,
        { ...where(ctx, i), field: bad, expected: `a finite, non-zero ${names[1]}` },
      );
    }
    out[i] = f / m;
  }
  return out;
}

/** Fluorescence μ = If/I0 (I0 must be non-zero and finite). */
export function muFluorescence(
  ifluor: Float64Array,
  i0: Float64Array,
  ctx: ChannelContext = {},
): Float64Array {
  return ratio(ifluor, i0, ['ifluor', 'i0'], ctx);
}

/** Sum of several channels (e.g. two electrometer channels making one ion chamber). */
export function sumChannels(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts[0].length);
  for (const p of parts) for (let i = 0; i < out.length; i++) out[i] += p[i];
  return out;
}

/** Label aliases (after Larch-style sanitising, lower case) of the standard channels. */
export const CHANNEL_ALIASES: Record<'i0' | 'itrans' | 'ifluor' | 'irefer', readonly string[]> = {
  i0: ['i0', 'io', 'izero', 'i_0', 'imon', 'mon', 'monitor'],
  itrans: ['itrans', 'it', 'i1', 'i_t', 'itr', 'trans', 'i_trans'],
  ifluor: ['ifluor', 'if', 'ifl', 'ifluo', 'fluo', 'fluor', 'i_f', 'fl', 'ff', 'ifluo_sum'],
  irefer: ['irefer', 'iref', 'ir', 'i2', 'i_r', 'i_ref'],
};

/** Labels of columns that already hold μ(E), in order of preference, with the mode they imply. */
export const MU_ALIASES: readonly (readonly [string, AcquisitionMode | undefined])[] = [
  ['mu', undefined],
  ['xmu', undefined],
  ['mutrans', 'transmission'],
  ['mu_trans', 'transmission'],
  ['xmu_trans', 'transmission'],
  ['log_i0_it', 'transmission'],
  ['ln_i0_it', 'transmission'],
  ['mu_t', 'transmission'],
  ['mufluor', 'fluorescence'],
  ['mufluo', 'fluorescence'],
  ['mu_fluor', 'fluorescence'],
  ['mu_fluo', 'fluorescence'],
  ['xmu_fluor', 'fluorescence'],
  ['mu_f', 'fluorescence'],
  ['mu_e', undefined],
  ['absorption', undefined],
];

/** Labels of columns holding normalized μ(E). */
export const NORM_ALIASES: readonly string[] = [
  'norm',
  'munorm',
  'mu_norm',
  'normtrans',
  'normfluor',
  'norm_mu',
  'nmu',
  'xmu_norm',
  'flat',
];

/** Labels of columns holding reference-channel μ. */
export const MUREF_ALIASES: readonly string[] = [
  'murefer',
  'muref',
  'mu_ref',
  'mu_refer',
  'log_it_ir',
  'ln_it_ir',
];

/** Index of the first label in `labels` that is one of `aliases` (case-insensitive), or -1. */
export function findLabel(labels: readonly string[], aliases: readonly string[]): number {
  const lower = labels.map((l) => l.toLowerCase());
  for (const a of aliases) {
    const i = lower.indexOf(a);
    if (i >= 0) return i;
  }
  return -1;
}
