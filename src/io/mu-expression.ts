/**
 * A small arithmetic language over data columns, for choosing μ the way Athena's column
 * selector and Larch's GUI do: `ln(i0/itrans)`, `ifluor/i0`, `mutrans`,
 * `ln((ch1+ch2)/(ch3+ch4))`, `$2` (2nd column, 1-based). Supports + - * /, unary minus,
 * parentheses, numbers and ln/log (natural), log10, exp, abs, sqrt. Evaluated element-wise;
 * a logarithm of a non-positive value or a division by zero is an error naming the point.
 */
import { XasInputError } from '../core/errors.js';

type Node =
  | { kind: 'num'; value: number }
  | { kind: 'col'; index: number; name: string }
  | { kind: 'neg'; arg: Node }
  | { kind: 'bin'; op: string; left: Node; right: Node }
  | { kind: 'fn'; name: string; arg: Node };

const FUNCTIONS = new Set(['ln', 'log', 'log10', 'exp', 'abs', 'sqrt']);

/** Resolves a column reference (label, 'colN', '$N' or a bare 1-based number) to a 0-based index, or -1. */
export function resolveColumn(ref: string | number, labels: readonly string[]): number {
  if (typeof ref === 'number')
    return Number.isInteger(ref) && ref >= 1 && ref <= labels.length ? ref - 1 : -1;
  const r = ref.trim();
  const exact = labels.indexOf(r);
  if (exact >= 0) return exact;
  const lower = r.toLowerCase();
  const i = labels.findIndex((l) => l.toLowerCase() === lower);
  if (i >= 0) return i;
  const m = /^(?:\$|col)?(\d+)$/i.exec(r);
  if (m) {
    const n = Number(m[1]);
    return n >= 1 && n <= labels.length ? n - 1 : -1;
  }
  return -1;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly labels: readonly string[],
    private readonly file?: string,
  ) {}

  fail(msg: string): never {
    throw new XasInputError(`in μ expression '${this.text}': ${msg}`, {
      file: this.file,
      expected: `column labels (${this.labels.join(', ')}), $N, numbers, + - * / ( ) and ln/log/log10/exp/abs/sqrt`,
    });
  }

  private skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private peek(): string {
    this.skip();
    return this.text[this.pos] ?? '';
  }

  parse(): Node {
    const node = this.sum();
    if (this.peek() !== '') this.fail(`unexpected '${this.text.slice(this.pos)}'`);
    return node;
  }

  private sum(): Node {
    let left = this.product();
    for (let c = this.peek(); c === '+' || c === '-'; c = this.peek()) {
      this.pos++;
      left = { kind: 'bin', op: c, left, right: this.product() };
    }
    return left;
  }

  private product(): Node {
    let left = this.unary();
    for (let c = this.peek(); c === '*' || c === '/'; c = this.peek()) {
      this.pos++;
      left = { kind: 'bin', op: c, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    const c = this.peek();
    if (c === '-') {
      this.pos++;
      return { kind: 'neg', arg: this.unary() };
    }
    if (c === '+') {
      this.pos++;
      return this.unary();
    }
    return this.atom();
  }

  private atom(): Node {
    const c = this.peek();
    if (c === '(') {
      this.pos++;
      const inner = this.sum();
      if (this.peek() !== ')') this.fail("missing ')'");
      this.pos++;
      return inner;
    }
    const rest = this.text.slice(this.pos);
    const num = /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(rest);
    const ident = /^(\$\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (ident) {
      this.pos += ident[1].length;
      const name = ident[1];
      if (FUNCTIONS.has(name.toLowerCase()) && this.peek() === '(') {
        this.pos++;
        const arg = this.sum();
        if (this.peek() !== ')') this.fail(`missing ')' after ${name}(`);
        this.pos++;
        return { kind: 'fn', name: name.toLowerCase(), arg };
      }
      const index = resolveColumn(name, this.labels);
      if (index < 0) this.fail(`no column '${name}'`);
      return { kind: 'col', index, name };
    }
    if (num) {
      this.pos += num[1].length;
      return { kind: 'num', value: Number(num[1]) };
    }
    return this.fail(c === '' ? 'unexpected end' : `unexpected '${c}'`);
  }
}

/** Parsed expression, ready to evaluate against columns. */
export interface MuExpression {
  text: string;
  /** Column indices (0-based) the expression reads. */
  columns: number[];
  evaluate(columns: readonly Float64Array[], lines?: ArrayLike<number>): Float64Array;
}

function collect(node: Node, out: Set<number>): void {
  if (node.kind === 'col') out.add(node.index);
  else if (node.kind === 'neg' || node.kind === 'fn') collect(node.arg, out);
  else if (node.kind === 'bin') {
    collect(node.left, out);
    collect(node.right, out);
  }
}

/** Parses `text` against the given column labels; throws XasInputError on syntax or unknown columns. */
export function parseMuExpression(text: string, labels: readonly string[], file?: string): MuExpression {
  const root = new Parser(text, labels, file).parse();
  const used = new Set<number>();
  collect(root, used);
  return {
    text,
    columns: [...used].sort((a, b) => a - b),
    evaluate(columns, lines) {
      const n = columns[0]?.length ?? 0;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const fail = (msg: string): never => {
          throw new XasInputError(`μ expression '${text}' at point ${i}: ${msg}`, {
            file,
            line: lines ? lines[i] : undefined,
            expected: 'finite values (positive arguments to ln, non-zero divisors)',
          });
        };
        const v = evalAt(root, columns, i, fail);
        if (!Number.isFinite(v)) fail(`result is ${v}`);
        out[i] = v;
      }
      return out;
    },
  };
}

function evalAt(node: Node, cols: readonly Float64Array[], i: number, fail: (msg: string) => never): number {
  switch (node.kind) {
    case 'num':
      return node.value;
    case 'col':
      return cols[node.index][i];
    case 'neg':
      return -evalAt(node.arg, cols, i, fail);
    case 'bin': {
      const a = evalAt(node.left, cols, i, fail);
      const b = evalAt(node.right, cols, i, fail);
      if (node.op === '+') return a + b;
      if (node.op === '-') return a - b;
      if (node.op === '*') return a * b;
      if (b === 0) fail(`division by zero`);
      return a / b;
    }
    case 'fn': {
      const x = evalAt(node.arg, cols, i, fail);
      switch (node.name) {
        case 'ln':
        case 'log':
          if (!(x > 0)) fail(`ln of ${x}`);
          return Math.log(x);
        case 'log10':
          if (!(x > 0)) fail(`log10 of ${x}`);
          return Math.log10(x);
        case 'exp':
          return Math.exp(x);
        case 'abs':
          return Math.abs(x);
        default:
          if (x < 0) fail(`sqrt of ${x}`);
          return Math.sqrt(x);
      }
    }
  }
}
