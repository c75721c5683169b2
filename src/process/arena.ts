/**
 * Typed-array allocation for the reduction chain. V8 keeps the backing store of a typed array larger
 * than 64 bytes outside its heap: each such allocation costs about a microsecond, and a zero-filled
 * one of tens of kilobytes far more (page faults), which made allocation the largest single cost of
 * pre_edge + autobk + xftf. Inside a scope (one top-level call such as processSpectrum):
 *  - results (arrays handed to the caller) are views into a few blocks owned by that call, reserved
 *    per stage at their exact size and not zero-filled (outF64: the caller writes every element), so
 *    a result keeps its block alive and never changes afterwards;
 *  - temporaries (tmpF64) are views into one scratch buffer reused by every scope of the thread; their
 *    contents are unspecified and they must not outlive the scope (never return or cache them).
 * Outside a scope both fall back to ordinary fresh (zero-filled) arrays, so every function stays safe
 * to call alone.
 */

/** Smallest block allocated when a stage asks for more than it reserved. */
const GROWTH_BYTES = 1 << 14;

interface Scope {
  block: ArrayBuffer;
  offset: number;
}

let scope: Scope | null = null;
let depth = 0;
let scratch = new ArrayBuffer(1 << 18);
let scratchTop = 0;

/** An uninitialised block (no zero fill: every result element is written before it is read). */
function block(bytes: number): ArrayBuffer {
  const b = Buffer.allocUnsafeSlow(bytes);
  return b.buffer as ArrayBuffer;
}

/**
 * Runs fn inside an allocation scope (nested calls share the outermost scope). resultBytes: the bytes
 * of results the first stage needs (more blocks are added as stages reserve or need them).
 */
export function inScope<T>(resultBytes: number, fn: () => T): T {
  if (depth > 0) {
    depth++;
    try {
      return fn();
    } finally {
      depth--;
    }
  }
  const outer = scope;
  scope = { block: block(Math.max(64, (resultBytes + 7) & ~7)), offset: 0 };
  scratchTop = 0;
  depth = 1;
  try {
    return fn();
  } finally {
    depth = 0;
    scope = outer;
  }
}

/** Makes room for `doubles` result values in one block (a stage calls this once, with its total). */
export function reserveOut(doubles: number): void {
  const s = scope;
  if (!s || s.offset + 8 * doubles <= s.block.byteLength) return;
  s.block = block(8 * doubles);
  s.offset = 0;
}

/** Runs fn with plain allocations (for results that are cached beyond the current scope). */
export function outsideScope<T>(fn: () => T): T {
  const saved = scope;
  const savedDepth = depth;
  scope = null;
  depth = 0;
  try {
    return fn();
  } finally {
    scope = saved;
    depth = savedDepth;
  }
}

function carve(bytes: number): [ArrayBuffer, number] {
  const s = scope as Scope;
  if (s.offset + bytes > s.block.byteLength) {
    s.block = block(Math.max(GROWTH_BYTES, bytes));
    s.offset = 0;
  }
  const at = s.offset;
  s.offset += (bytes + 7) & ~7;
  return [s.block, at];
}

/** A Float64Array for a result; inside a scope its contents are unspecified until written. */
export function outF64(n: number): Float64Array {
  if (!scope) return new Float64Array(n);
  const [b, at] = carve(8 * n);
  return new Float64Array(b, at, n);
}

/** A copy of values for a result. */
export function outCopy(values: ArrayLike<number>): Float64Array {
  const out = outF64(values.length);
  out.set(values);
  return out;
}

function scratchAt(bytes: number): number {
  if (scratchTop + bytes > scratch.byteLength) {
    // views taken earlier keep the old buffer alive; later ones come from the new buffer
    scratch = new ArrayBuffer(Math.max(2 * scratch.byteLength, bytes));
    scratchTop = 0;
  }
  const at = scratchTop;
  scratchTop += (bytes + 7) & ~7;
  return at;
}

/** A Float64Array for a temporary: contents unspecified (zero-filled when zero is true). */
export function tmpF64(n: number, zero = false): Float64Array {
  if (!scope) return new Float64Array(n);
  const v = new Float64Array(scratch, scratchAt(8 * n), n);
  if (zero) v.fill(0);
  return v;
}

/** An Int32Array for a temporary: contents unspecified. */
export function tmpI32(n: number): Int32Array {
  if (!scope) return new Int32Array(n);
  return new Int32Array(scratch, scratchAt(4 * n), n);
}
