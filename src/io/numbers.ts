/**
 * Fast tokenising of numeric data rows: one pass over the characters of a line, each token
 * checked against the decimal-number grammar (C strtod's decimal form, plus Fortran 'D'
 * exponents) and converted with Number(); no regular expression per token.
 */

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const D0 = 48;
const D9 = 57;
/** Exact powers of ten 1e0 .. 1e22. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Result of checking a token. */
export const NUMBER = 0;
/** 'nan', 'inf', 'infinity' (any case, signed): numbers to Python, never valid data to us. */
export const NAN_LIKE = 1;
export const NOT_NUMBER = 2;

/**
 * Parses s[start, end) as a decimal number. Returns NaN when the token is not one.
 * Accepted: [+-] digits [. digits] | [+-] . digits, optionally followed by an exponent
 * [eEdD] [+-] digits.
 */
export function parseDecimal(s: string, start = 0, end = s.length): number {
  let i = start;
  let c = s.charCodeAt(i);
  let negative = false;
  if (c === PLUS || c === MINUS) {
    negative = c === MINUS;
    c = s.charCodeAt(++i);
  }
  // Accumulate up to 15 significant digits exactly; with a decimal exponent of at most 22
  // in magnitude, one multiplication or division by an exact power of ten is correctly
  // rounded (Clinger's fast path), so the result equals Number(text). Otherwise fall back.
  let mantissa = 0;
  let sig = 0;
  let digits = 0;
  let scale = 0;
  let inexact = false;
  while (c >= D0 && c <= D9) {
    digits++;
    if (sig < 15) {
      mantissa = mantissa * 10 + (c - D0);
      if (mantissa > 0) sig++;
    } else {
      scale++;
      if (c !== D0) inexact = true;
    }
    c = s.charCodeAt(++i);
  }
  if (c === DOT) {
    c = s.charCodeAt(++i);
    while (c >= D0 && c <= D9) {
      digits++;
      if (sig < 15) {
        mantissa = mantissa * 10 + (c - D0);
        if (mantissa > 0) sig++;
        scale--;
      } else if (c !== D0) inexact = true;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return Number.NaN;
  let fortran = false;
  let exponent = 0;
  if (i < end && (c === 101 || c === 69 || c === 100 || c === 68)) {
    fortran = c === 100 || c === 68;
    c = s.charCodeAt(++i);
    let expNegative = false;
    if (c === PLUS || c === MINUS) {
      expNegative = c === MINUS;
      c = s.charCodeAt(++i);
    }
    let expDigits = 0;
    while (c >= D0 && c <= D9) {
      expDigits++;
      if (exponent < 100000) exponent = exponent * 10 + (c - D0);
      c = s.charCodeAt(++i);
    }
    if (expDigits === 0) return Number.NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== end) return Number.NaN;
  const e10 = scale + exponent;
  if (!inexact) {
    if (e10 === 0) return negative ? -mantissa : mantissa;
    if (e10 > 0 && e10 <= 22) return negative ? -(mantissa * POW10[e10]) : mantissa * POW10[e10];
    if (e10 < 0 && e10 >= -22) return negative ? -(mantissa / POW10[-e10]) : mantissa / POW10[-e10];
  }
  let text = s.slice(start, end);
  if (fortran) text = text.replace(/[dD]/, 'e');
  return Number(text);
}

/** Classifies a token: NUMBER, NAN_LIKE or NOT_NUMBER. */
export function tokenKind(token: string): number {
  if (!Number.isNaN(parseDecimal(token))) return NUMBER;
  const t = token.toLowerCase().replace(/^[+-]/, '');
  return t === 'nan' || t === 'inf' || t === 'infinity' ? NAN_LIKE : NOT_NUMBER;
}

function isSeparator(c: number, commas: boolean): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11 || (commas && c === 44);
}

/**
 * Splits a line into whitespace-separated tokens (optionally commas too) and parses each.
 * Reused across lines to avoid allocation; after scan(): count tokens, values[0..count),
 * firstBad = index of the first token that is not a finite decimal number (or -1),
 * badKind = NAN_LIKE or NOT_NUMBER for that token.
 */
export class RowScanner {
  values: number[] = [];
  starts: number[] = [];
  ends: number[] = [];
  count = 0;
  firstBad = -1;
  badKind = NUMBER;
  nNotNumber = 0;
  private line = '';

  constructor(private readonly commas: boolean) {}

  scan(line: string): number {
    this.line = line;
    this.count = 0;
    this.firstBad = -1;
    this.badKind = NUMBER;
    this.nNotNumber = 0;
    const n = line.length;
    let i = 0;
    while (i < n) {
      while (i < n && isSeparator(line.charCodeAt(i), this.commas)) i++;
      if (i >= n) break;
      const start = i;
      while (i < n && !isSeparator(line.charCodeAt(i), this.commas)) i++;
      const v = parseDecimal(line, start, i);
      const k = this.count++;
      this.values[k] = v;
      this.starts[k] = start;
      this.ends[k] = i;
      if (Number.isNaN(v)) {
        const kind = tokenKind(line.slice(start, i));
        if (kind === NOT_NUMBER) this.nNotNumber++;
        if (this.firstBad < 0) {
          this.firstBad = k;
          this.badKind = kind;
        }
      } else if (!Number.isFinite(v) && this.firstBad < 0) {
        // overflow such as 1e999
        this.firstBad = k;
        this.badKind = NAN_LIKE;
      }
    }
    return this.count;
  }

  /** Text of token k of the last scanned line. */
  token(k: number): string {
    return this.line.slice(this.starts[k], this.ends[k]);
  }

  /** True when every token is a number or NaN-like (Python's float() would accept it). */
  isNumericRow(): boolean {
    return this.count > 0 && this.nNotNumber === 0;
  }
}
