/**
 * Training data: checked conversion of user arrays into row-major Float32 tables (zero-copy for
 * Float32Array input), per-head target tables, standardisation statistics (z-scores per feature or
 * per channel, as sklearn's StandardScaler with the population standard deviation) and mini-batch
 * gathering that normalises on the fly, so a large dataset is never copied or normalised as a whole.
 */
import { XasInputError } from '../core/errors.js';
import { inputShape, type ModelSpec } from './spec.js';

/** A matrix of samples: flat row-major values or an array of rows. */
export type Matrix = Float32Array | Float64Array | readonly ArrayLike<number>[];

/** Targets by head name. */
export type Targets = Record<string, Matrix>;

export interface Table {
  data: Float32Array;
  rows: number;
  cols: number;
}

export function toTable(m: Matrix, cols: number, what: string): Table {
  let data: Float32Array;
  if (m instanceof Float32Array) data = m;
  else if (m instanceof Float64Array) data = Float32Array.from(m);
  else if (Array.isArray(m)) {
    data = new Float32Array(m.length * cols);
    m.forEach((row: ArrayLike<number>, r: number) => {
      if (!row || row.length !== cols) {
        throw new XasInputError(`sample ${r} has ${row?.length ?? 0} values`, {
          field: what,
          expected: `${cols} values per sample`,
        });
      }
      for (let j = 0; j < cols; j++) data[r * cols + j] = row[j];
    });
  } else
    throw new XasInputError('not an array', {
      field: what,
      expected: 'a Float32Array, Float64Array or array of rows',
    });
  if (data.length % cols !== 0 || data.length === 0) {
    throw new XasInputError(
      `has ${data.length} values, not a positive multiple of ${cols} values per sample`,
      {
        field: what,
        expected: `${cols} values per sample`,
      },
    );
  }
  const rows = data.length / cols;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      throw new XasInputError(`sample ${Math.floor(i / cols)}, value ${i % cols} is ${v}`, {
        field: what,
        expected: 'finite numbers (remove or repair NaN/Infinity before training)',
      });
    }
  }
  return { data, rows, cols };
}

export interface Dataset {
  x: Table;
  /** Target tables in the order of spec.heads. */
  y: Table[];
  n: number;
}

export function inputSize(spec: ModelSpec): number {
  const s = inputShape(spec);
  return s.length * s.channels;
}

export function makeInputs(spec: ModelSpec, x: Matrix): Table {
  return toTable(x, inputSize(spec), 'x');
}

export function makeDataset(spec: ModelSpec, x: Matrix, y: Targets): Dataset {
  const xt = makeInputs(spec, x);
  if (typeof y !== 'object' || y === null)
    throw new XasInputError('targets missing', { field: 'y', expected: 'an object keyed by head name' });
  const names = spec.heads.map((h) => h.name);
  for (const key of Object.keys(y)) {
    if (!names.includes(key))
      throw new XasInputError(`no head named '${key}'`, {
        field: `y.${key}`,
        expected: `one of ${names.join(', ')}`,
      });
  }
  const tables = spec.heads.map((h) => {
    if (!(h.name in y))
      throw new XasInputError(`targets for head '${h.name}' missing`, { field: `y.${h.name}` });
    const t = toTable(y[h.name], h.units, `y.${h.name}`);
    if (t.rows !== xt.rows) {
      throw new XasInputError(`has ${t.rows} samples but x has ${xt.rows}`, {
        field: `y.${h.name}`,
        expected: 'one target row per sample',
      });
    }
    if (h.loss === 'dirichlet_nll') checkFractions(t, `y.${h.name}`);
    return t;
  });
  return { x: xt, y: tables, n: xt.rows };
}

function checkFractions(t: Table, what: string): void {
  for (let r = 0; r < t.rows; r++) {
    let s = 0;
    for (let j = 0; j < t.cols; j++) {
      const v = t.data[r * t.cols + j];
      if (v < 0)
        throw new XasInputError(`sample ${r} has a negative fraction ${v}`, {
          field: what,
          expected: 'fractions >= 0',
        });
      s += v;
    }
    if (Math.abs(s - 1) > 1e-3) {
      throw new XasInputError(`fractions of sample ${r} sum to ${s.toPrecision(6)}`, {
        field: what,
        expected: 'fractions summing to 1',
      });
    }
  }
}

/** z = (v − mean)·invStd per column; identity when the scaler is null. */
export interface Scaler {
  mean: Float32Array;
  std: Float32Array;
}

export type InputNormalization = 'feature' | 'channel' | 'none';
export type TargetNormalization = 'feature' | 'none';

export interface Normalization {
  input: Scaler | null;
  inputMode: InputNormalization;
  /** Per head (spec order); null for Dirichlet heads and when targets are not normalised. */
  targets: (Scaler | null)[];
  targetMode: TargetNormalization;
}

/** Mean and population standard deviation of columns over the given rows (std 0 → 1). */
function columnStats(t: Table, rows: ArrayLike<number>, groups: number): Scaler {
  // groups = number of column groups sharing statistics (channels for 'channel' mode), else cols
  const cols = t.cols;
  const sum = new Float64Array(groups);
  const sq = new Float64Array(groups);
  const per = cols / groups;
  for (let i = 0; i < rows.length; i++) {
    const o = rows[i] * cols;
    for (let j = 0; j < cols; j++) sum[groups === cols ? j : j % groups] += t.data[o + j];
  }
  const count = rows.length * per;
  const mean = sum.map((s) => s / count);
  for (let i = 0; i < rows.length; i++) {
    const o = rows[i] * cols;
    for (let j = 0; j < cols; j++) {
      const g = groups === cols ? j : j % groups;
      const d = t.data[o + j] - mean[g];
      sq[g] += d * d;
    }
  }
  const out: Scaler = { mean: new Float32Array(cols), std: new Float32Array(cols) };
  for (let j = 0; j < cols; j++) {
    const g = groups === cols ? j : j % groups;
    const sd = Math.sqrt(sq[g] / count);
    out.mean[j] = mean[g];
    out.std[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[g])) ? sd : 1;
  }
  return out;
}

export function fitNormalization(
  spec: ModelSpec,
  ds: Dataset,
  rows: ArrayLike<number>,
  inputMode: InputNormalization = 'feature',
  targetMode: TargetNormalization = 'feature',
): Normalization {
  const shape = inputShape(spec);
  const input =
    inputMode === 'none'
      ? null
      : columnStats(ds.x, rows, inputMode === 'channel' ? shape.channels : ds.x.cols);
  const targets = spec.heads.map((h, i) =>
    targetMode === 'none' || h.loss === 'dirichlet_nll' ? null : columnStats(ds.y[i], rows, ds.y[i].cols),
  );
  return { input, inputMode, targets, targetMode };
}

/** Copies rows idx[start..start+count) of t into out, normalised. */
export function gatherRows(
  t: Table,
  idx: ArrayLike<number>,
  start: number,
  count: number,
  scaler: Scaler | null,
  out: Float32Array,
): void {
  const cols = t.cols;
  for (let r = 0; r < count; r++) {
    const src = idx[start + r] * cols;
    const dst = r * cols;
    if (!scaler) out.set(t.data.subarray(src, src + cols), dst);
    else {
      const { mean, std } = scaler;
      for (let j = 0; j < cols; j++) out[dst + j] = (t.data[src + j] - mean[j]) / std[j];
    }
  }
}
