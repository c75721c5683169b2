/**
 * Fourier-transform windows of XAFS analysis, defined exactly as Larch 0.9.58's ftwindow
 * (larch/xafs/xafsft.py): the window rises over [xmin − dx/2, xmin + dx/2] and falls over
 * [xmax − dx2/2, xmax + dx2/2], snapped to grid points, with the taper shape named by `window`.
 */
import { XasInputError } from '../core/errors.js';

/** Window shapes; Larch recognises a name by its first three letters. */
export const WINDOW_NAMES = [
  'hanning',
  'fhanning',
  'gaussian',
  'kaiser',
  'parzen',
  'welch',
  'sine',
  'bessel',
] as const;
export type WindowName = (typeof WINDOW_NAMES)[number];
const PREFIXES = ['han', 'fha', 'gau', 'kai', 'par', 'wel', 'sin', 'bes'] as const;
type Prefix = (typeof PREFIXES)[number];

/**
 * Resolves a window name the way Larch does (trimmed, lower-cased, first three letters):
 * 'Hanning', 'kaiser-bessel' and 'kai' are all valid.
 */
export function windowPrefix(window: string, field = 'window'): Prefix {
  const nam = String(window ?? 'hanning')
    .trim()
    .toLowerCase()
    .slice(0, 3);
  if (!(PREFIXES as readonly string[]).includes(nam)) {
    throw new XasInputError(`unknown window '${window}'`, {
      field,
      expected: `one of ${WINDOW_NAMES.join(', ')}`,
    });
  }
  return nam as Prefix;
}

/** Full canonical name of a window (e.g. 'Kaiser-Bessel' → 'kaiser'). */
export function canonicalWindow(window: string, field = 'window'): WindowName {
  return WINDOW_NAMES[PREFIXES.indexOf(windowPrefix(window, field))];
}

/** Modified Bessel function I0 by its power series (all terms positive: accurate to rounding). */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 2000; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

export interface FtWindowOptions {
  /** Start of the window plateau region (default min(x)). */
  xmin?: number;
  /** End of the window plateau region (default max(x)). */
  xmax?: number;
  /** Taper width at xmin (for kaiser/bessel: the Bessel parameter; for gaussian: the width). Default 1. */
  dx?: number;
  /** Taper width at xmax (default dx). */
  dx2?: number;
  /** Window shape (default 'hanning'). */
  window?: string;
}

/** Python slice bounds [start:stop] on an array of length n (negative indices count from the end). */
function pySlice(start: number, stop: number, n: number): [number, number] {
  return [pyIndex(start, n), pyIndex(stop, n)];
}

function pyIndex(i: number, n: number): number {
  return i < 0 ? Math.max(0, n + i) : Math.min(n, i);
}

/** Larch's ftwindow on a uniform grid x starting at 0 (k or R grids). */
export function ftwindow(x: ArrayLike<number>, opts: FtWindowOptions = {}): Float64Array {
  const n = x.length;
  if (n < 2) throw new XasInputError(`ftwindow: grid has ${n} points`, { expected: 'at least 2 points' });
  const nam = windowPrefix(opts.window ?? 'hanning');
  let xminData = Number.POSITIVE_INFINITY;
  let xmaxData = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    xminData = Math.min(xminData, x[i]);
    xmaxData = Math.max(xmaxData, x[i]);
  }
  let dx1 = opts.dx ?? 1;
  let dx2 = opts.dx2 ?? dx1;
  const xmin = opts.xmin ?? xminData;
  const xmax = opts.xmax ?? xmaxData;
  for (const [name, v] of [
    ['xmin', xmin],
    ['xmax', xmax],
    ['dx', dx1],
    ['dx2', dx2],
  ] as const) {
    if (!Number.isFinite(v))
      throw new XasInputError(`ftwindow: ${name} is ${v}`, { field: name, expected: 'a finite number' });
  }

  const xstep = (x[n - 1] - x[0]) / (n - 1);
  const xeps = 1e-4 * xstep;
  let x1 = Math.max(xminData, xmin - dx1 / 2);
  let x2 = xmin + dx1 / 2 + xeps;
  let x3 = xmax - dx2 / 2 - xeps;
  let x4 = Math.min(xmaxData, xmax + dx2 / 2);
  if (nam === 'fha') {
    if (dx1 < 0) dx1 = 0;
    if (dx2 > 1) dx2 = 1;
    x2 = x1 + xeps + (dx1 * (xmax - xmin)) / 2;
    x3 = x4 - xeps - (dx2 * (xmax - xmin)) / 2;
  } else if (nam === 'gau') {
    dx1 = Math.max(dx1, xeps);
  }
  // (no local closures: this runs per spectrum and tsx wraps named closures in a costly __name call)
  let i1 = Math.max(0, Math.trunc((x1 + xeps) / xstep));
  const i2 = Math.max(0, Math.trunc((x2 + xeps) / xstep));
  let i3 = Math.min(n - 1, Math.trunc((x3 + xeps) / xstep));
  const i4 = Math.min(n - 1, Math.trunc((x4 + xeps) / xstep));
  if (i2 === i1) i1 = Math.max(0, i2 - 1);
  if (i4 === i3) i3 = Math.max(i2, i4 - 1);
  x1 = x[i1 < 0 ? n + i1 : i1];
  x2 = x[i2 < 0 ? n + i2 : i2];
  x3 = x[i3 < 0 ? n + i3 : i3];
  x4 = x[i4 < 0 ? n + i4 : i4];
  if (x1 === x2) x2 = x2 + xeps;
  if (x3 === x4) x4 = x4 + xeps;

  const fwin = new Float64Array(n);
  if (i3 > i2) {
    const [a, b] = pySlice(i2, i3, n);
    for (let i = a; i < b; i++) fwin[i] = 1;
  }
  // the rising and the falling taper
  const [ra, rb] = pySlice(i1, i2 + 1, n);
  const [fa, fb] = pySlice(i3, i4 + 1, n);
  const halfPi = Math.PI / 2;
  switch (nam) {
    case 'han':
    case 'fha':
      for (let i = ra; i < rb; i++) fwin[i] = Math.sin((halfPi * (x[i] - x1)) / (x2 - x1)) ** 2;
      for (let i = fa; i < fb; i++) fwin[i] = Math.cos((halfPi * (x[i] - x3)) / (x4 - x3)) ** 2;
      break;
    case 'par':
      for (let i = ra; i < rb; i++) fwin[i] = (x[i] - x1) / (x2 - x1);
      for (let i = fa; i < fb; i++) fwin[i] = 1 - (x[i] - x3) / (x4 - x3);
      break;
    case 'wel':
      for (let i = ra; i < rb; i++) fwin[i] = 1 - ((x[i] - x2) / (x2 - x1)) ** 2;
      for (let i = fa; i < fb; i++) fwin[i] = 1 - ((x[i] - x3) / (x4 - x3)) ** 2;
      break;
    case 'kai':
    case 'bes': {
      const cen = (x4 + x1) / 2;
      const wid = (x4 - x1) / 2;
      const i0dx = besselI0(dx1);
      const scale = Math.max(1e-10, i0dx - 1);
      for (let i = 0; i < n; i++) {
        let arg = 1 - (x[i] - cen) ** 2 / (wid * wid);
        if (arg < 0) arg = 0;
        const bi = besselI0(dx1 * Math.sqrt(arg));
        if (nam === 'bes') fwin[i] = x[i] <= x1 || x[i] >= x4 ? 0 : bi / i0dx;
        else fwin[i] = (bi - 1) / scale;
      }
      break;
    }
    case 'sin': {
      const [a, b] = pySlice(i1, i4 + 1, n);
      for (let i = a; i < b; i++) fwin[i] = Math.sin((Math.PI * (x4 - x[i])) / (x4 - x1));
      break;
    }
    case 'gau': {
      const cen = (x4 + x1) / 2;
      for (let i = 0; i < n; i++) fwin[i] = Math.exp(-((x[i] - cen) ** 2) / (2 * dx1 * dx1));
      break;
    }
  }
  return fwin;
}
