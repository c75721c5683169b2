/**
 * A safe parser for the Perl literal syntax that Athena/Demeter project files use
 * (Data::Dumper output: `$old_group = 'abc';`, `@args = ('k', 1, ...);`, `@x = (...);`,
 * `%plot_features = (...);`, `$xdi = bless( {...}, 'Xray::XDI' );`, `[record]`, `1;`).
 * Nothing is ever evaluated: only quoted strings, numbers, undef, lists, array and hash
 * references and bless() wrappers are accepted; anything else is an error with a line number.
 */
import { XasInputError } from '../core/errors.js';

export type PerlValue = string | number | null | PerlValue[] | { [key: string]: PerlValue };

export interface PerlStatement {
  /** '$', '@' or '%' for assignments, '[' for a bracketed marker like [record], '' for a bare value ('1;'). */
  sigil: string;
  name: string;
  value: PerlValue;
  /** 1-based line where the statement starts. */
  line: number;
}

const WS = new Set([32, 9, 10, 13, 12]);

class PerlParser {
  private pos = 0;
  private line = 1;

  constructor(
    private readonly s: string,
    private readonly file: string,
  ) {}

  fail(message: string, line = this.line): never {
    throw new XasInputError(message, {
      file: this.file,
      line,
      expected: 'an Athena project file (Perl data)',
    });
  }

  /** Skips white space and '#' comments, counting lines. */
  private skip(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 10) {
        this.line++;
        this.pos++;
      } else if (WS.has(c)) this.pos++;
      else if (c === 35) {
        while (this.pos < s.length && s.charCodeAt(this.pos) !== 10) this.pos++;
      } else break;
    }
  }

  private peek(): string {
    this.skip();
    return this.s[this.pos] ?? '';
  }

  private expect(ch: string, what: string): void {
    if (this.peek() !== ch) this.fail(`expected '${ch}' ${what}, found ${this.describe()}`);
    this.pos++;
  }

  private describe(): string {
    if (this.pos >= this.s.length) return 'the end of the file (the file looks truncated)';
    return `'${this.s.slice(this.pos, this.pos + 20).split('\n')[0]}'`;
  }

  statements(): PerlStatement[] {
    const out: PerlStatement[] = [];
    for (;;) {
      const c = this.peek();
      if (c === '') return out;
      const line = this.line;
      if (c === '$' || c === '@' || c === '%') {
        this.pos++;
        const name = this.ident();
        if (name === '') this.fail(`expected a variable name after '${c}'`);
        this.expect('=', `after ${c}${name}`);
        const value = this.value();
        this.expect(';', `to end the assignment to ${c}${name} begun on line ${line}`);
        out.push({ sigil: c, name, value, line });
      } else if (c === '[') {
        this.pos++;
        const name = this.ident();
        this.expect(']', `to close [${name}`);
        if (this.peek() === ';') this.pos++;
        out.push({ sigil: '[', name, value: null, line });
      } else if (/[0-9]/.test(c)) {
        const value = this.number();
        this.expect(';', 'after a bare number');
        out.push({ sigil: '', name: '', value, line });
      } else {
        this.fail(
          `unexpected ${this.describe()} (expected $name = ..., @name = (...), %name = (...) or [record])`,
        );
      }
    }
  }

  private ident(): string {
    this.skip();
    const m = /^[A-Za-z_][A-Za-z0-9_:]*/.exec(this.s.slice(this.pos, this.pos + 200));
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }

  value(): PerlValue {
    const c = this.peek();
    if (c === "'") return this.singleQuoted();
    if (c === '"') return this.doubleQuoted();
    if (c === '(') return this.sequence('(', ')');
    if (c === '[') return this.sequence('[', ']');
    if (c === '{') return this.hash();
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) return this.number();
    const word = this.ident();
    if (word === 'undef') return null;
    if (word === 'bless') {
      this.expect('(', 'after bless');
      const inner = this.value();
      if (this.peek() === ',') {
        this.pos++;
        this.value();
      }
      this.expect(')', 'to close bless(');
      return inner;
    }
    if (word !== '' && this.peek() === '=' && this.s[this.pos + 1] === '>') return word; // bareword hash key
    return this.fail(
      `unexpected ${word ? `'${word}'` : this.describe()} (expected a quoted string, number, undef, list or hash)`,
    );
  }

  private number(): number {
    this.skip();
    const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(this.s.slice(this.pos, this.pos + 64));
    if (!m) this.fail(`expected a number, found ${this.describe()}`);
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private singleQuoted(): string {
    const start = this.line;
    const s = this.s;
    let out = '';
    let i = this.pos + 1;
    let from = i;
    for (;;) {
      if (i >= s.length) this.fail('unterminated quoted string (the file looks truncated)', start);
      const c = s.charCodeAt(i);
      if (c === 92 && (s[i + 1] === "'" || s[i + 1] === '\\')) {
        out += s.slice(from, i) + s[i + 1];
        i += 2;
        from = i;
      } else if (c === 39) break;
      else {
        if (c === 10) this.line++;
        i++;
      }
    }
    out += s.slice(from, i);
    this.pos = i + 1;
    return out;
  }

  private doubleQuoted(): string {
    const start = this.line;
    const s = this.s;
    let out = '';
    let i = this.pos + 1;
    for (;;) {
      if (i >= s.length) this.fail('unterminated quoted string (the file looks truncated)', start);
      const ch = s[i];
      if (ch === '"') break;
      if (ch === '\n') this.line++;
      if (ch !== '\\') {
        out += ch;
        i++;
        continue;
      }
      const e = s[i + 1];
      i += 2;
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'r') out += '\r';
      else if (e === 'x') {
        const m =
          s[i] === '{'
            ? /^\{([0-9a-fA-F]+)\}/.exec(s.slice(i, i + 12))
            : /^([0-9a-fA-F]{1,2})/.exec(s.slice(i, i + 2));
        if (!m) this.fail('bad \\x escape in a quoted string');
        out += String.fromCodePoint(Number.parseInt(m[1], 16));
        i += m[0].length;
      } else out += e ?? '';
    }
    this.pos = i + 1;
    return out;
  }

  private sequence(open: string, close: string): PerlValue[] {
    const start = this.line;
    this.expect(open, '');
    const out: PerlValue[] = [];
    for (;;) {
      const c = this.peek();
      if (c === close) {
        this.pos++;
        return out;
      }
      if (c === '') this.fail(`list opened with '${open}' is not closed (the file looks truncated)`, start);
      out.push(this.value());
      this.separator(close, start);
    }
  }

  /** Accepts ',' or '=>' between items, or the closing bracket. */
  private separator(close: string, start: number): void {
    const c = this.peek();
    if (c === ',') this.pos++;
    else if (c === '=' && this.s[this.pos + 1] === '>') this.pos += 2;
    else if (c !== close)
      this.fail(`expected ',' or '${close}' in a list begun on line ${start}, found ${this.describe()}`);
  }

  private hash(): { [key: string]: PerlValue } {
    const start = this.line;
    this.expect('{', '');
    const out: { [key: string]: PerlValue } = Object.create(null);
    for (;;) {
      const c = this.peek();
      if (c === '}') {
        this.pos++;
        return out;
      }
      if (c === '') this.fail("hash opened with '{' is not closed (the file looks truncated)", start);
      const key = this.value();
      this.separator('}', start);
      const val = this.peek() === '}' ? null : this.value();
      out[String(key)] = val;
      if (this.peek() !== '}') this.separator('}', start);
    }
  }
}

/** Parses Perl data statements; throws XasInputError (file and line) on anything else. */
export function parsePerlStatements(text: string, file: string): PerlStatement[] {
  return new PerlParser(text, file).statements();
}

/** A Perl list of alternating keys and values (Athena's @args) as an object. */
export function pairsToObject(list: PerlValue): { [key: string]: PerlValue } {
  const out: { [key: string]: PerlValue } = Object.create(null);
  if (Array.isArray(list)) for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = list[i + 1];
  else if (list && typeof list === 'object') Object.assign(out, list);
  return out;
}
