/**
 * Athena project (.prj) parsing for both generations of the format written by Athena and
 * Demeter (and by Larch): the Perl Data::Dumper text (gzipped or plain) and the JSON variant
 * (gzipped or plain). Every record becomes a Spectrum with Athena's stored arrays and its
 * stored processing parameters (translated to Larch's argument names). Conversion of a
 * record into a Spectrum is in ./athena.ts.
 */
import { XasInputError } from '../core/errors.js';
import type { StoredParams } from '../core/spectrum.js';
import { fixVarname } from './labels.js';
import { parseDecimal } from './numbers.js';
import { type PerlValue, pairsToObject, parsePerlStatements } from './perl-literal.js';
import { decodeText, gunzipFile, isGzip, readBytes } from './text.js';

/** One record of a project as stored, before conversion. */
export interface AthenaRecord {
  /** Athena's internal group id (5-letter hash). */
  id: string;
  args: { [key: string]: PerlValue };
  arrays: { [name: string]: PerlValue };
  /** File line where the record begins (Perl format). */
  line?: number;
}

export interface AthenaProject {
  header: string[];
  journal: string[];
  records: AthenaRecord[];
  format: 'perl' | 'json';
}

/** Clamp words Athena stores, as numbers (Demeter's clamp.demeter_conf defaults). */
const CLAMP_WORDS: Record<string, number> = {
  none: 0,
  slight: 3,
  weak: 6,
  medium: 12,
  strong: 24,
  rigid: 96,
};

function projectText(path: string): string {
  let bytes = readBytes(path);
  if (isGzip(bytes)) bytes = gunzipFile(bytes, path);
  return decodeText(bytes, path);
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function parseJsonProject(text: string, path: string): AthenaProject {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    throw new XasInputError(`JSON Athena project is not valid JSON (${(err as Error).message})`, {
      file: path,
      line: m ? lineOfOffset(text, Number(m[1])) : undefined,
      expected: 'a complete JSON document',
    });
  }
  const header: string[] = [];
  let journal: string[] = [];
  let order: string[] = [];
  for (const [k, v] of Object.entries(doc)) {
    if (k.startsWith('_____head')) header.push(String(v));
    else if (k.startsWith('_____journ')) journal = Array.isArray(v) ? v.map(String) : [String(v)];
    else if (k.startsWith('_____order')) order = Array.isArray(v) ? v.map(String) : [];
  }
  const records: AthenaRecord[] = [];
  for (const id of order) {
    const rec = doc[id] as Record<string, PerlValue> | undefined;
    if (!rec || typeof rec !== 'object') {
      throw new XasInputError(`record '${id}' listed in _____order is missing`, {
        file: path,
        expected: 'one entry per listed record',
      });
    }
    const { args, ...arrays } = rec;
    records.push({ id, args: pairsToObject(args ?? {}), arrays });
  }
  return { header, journal, records, format: 'json' };
}

function parsePerlProject(text: string, path: string): AthenaProject {
  const header: string[] = [];
  for (const line of text.split('\n', 20)) {
    if (!line.startsWith('#')) break;
    header.push(line);
  }
  const statements = parsePerlStatements(text, path);
  const records: AthenaRecord[] = [];
  let journal: string[] = [];
  let current: AthenaRecord | undefined;
  for (const st of statements) {
    if (st.sigil === '[' && st.name === 'record') {
      if (current) records.push(current);
      current = undefined;
      continue;
    }
    if (st.sigil === '@' && st.name === 'journal') {
      journal = Array.isArray(st.value) ? st.value.map((v) => String(v ?? '')) : [];
      continue;
    }
    if (st.sigil === '$' && st.name === 'old_group') {
      current = {
        id: String(st.value ?? ''),
        args: Object.create(null),
        arrays: Object.create(null),
        line: st.line,
      };
      continue;
    }
    if (!current) continue; // project-level data (plot_features, lcf_data, indicator)
    if (st.sigil === '@' && st.name === 'args') current.args = pairsToObject(st.value);
    else if (st.sigil === '@') current.arrays[st.name] = st.value;
    else if (st.sigil === '$' && st.name === 'xdi') current.arrays.xdi = st.value;
  }
  if (current) {
    throw new XasInputError(`record '${current.id}' is not closed by [record] (the file looks truncated)`, {
      file: path,
      line: current.line,
      expected: 'a complete Athena project',
    });
  }
  return { header, journal, records, format: 'perl' };
}

/** Parses a project file (any of the four variants) without converting records. */
export function parseAthenaProject(path: string): AthenaProject {
  const text = projectText(path);
  const start = text.trimStart();
  if (start.startsWith('{')) {
    if (!text.slice(0, 2000).includes('_____header')) {
      throw new XasInputError('JSON file is not an Athena project (no _____header entries)', { file: path });
    }
    return parseJsonProject(text, path);
  }
  if (!text.slice(0, 500).includes('Athena project file -- ')) {
    throw new XasInputError("not an Athena project file (no 'Athena project file -- ' header line)", {
      file: path,
      line: 1,
      expected: 'a .prj file written by Athena, Demeter or Larch',
    });
  }
  return parsePerlProject(text, path);
}

export function toArray(
  v: PerlValue | undefined,
  what: string,
  rec: AthenaRecord,
  path: string,
): Float64Array | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    throw new XasInputError(`record '${rec.id}': ${what} is not a list of numbers`, {
      file: path,
      line: rec.line,
    });
  }
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    const x = typeof e === 'number' ? e : typeof e === 'string' ? parseDecimal(e.trim()) : Number.NaN;
    if (!Number.isFinite(x)) {
      throw new XasInputError(
        `record '${rec.id}': ${what}[${i}] = ${JSON.stringify(e)} is not a finite number`,
        {
          file: path,
          line: rec.line,
          expected: 'numeric arrays',
        },
      );
    }
    out[i] = x;
  }
  return out;
}

export function num(args: AthenaRecord['args'], key: string): number | undefined {
  const v = args[key];
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') {
    const x = parseDecimal(v.trim());
    return Number.isFinite(x) ? x : undefined;
  }
  return undefined;
}

export function flag(args: AthenaRecord['args'], key: string): boolean {
  return (num(args, key) ?? 0) !== 0;
}

export function str(args: AthenaRecord['args'], key: string): string | undefined {
  const v = args[key];
  return v === null || v === undefined || Array.isArray(v) || typeof v === 'object' ? undefined : String(v);
}

function windowName(w: string | undefined): string | undefined {
  if (w === undefined || w === '') return undefined;
  const l = w.toLowerCase();
  return l === 'kaiser-bessel' ? 'kaiser' : l;
}

function clamp(args: AthenaRecord['args'], key: string): number | undefined {
  const n = num(args, key);
  if (n !== undefined) return n;
  const w = str(args, key)?.toLowerCase();
  return w !== undefined ? CLAMP_WORDS[w] : undefined;
}

/** Athena's stored bkg_/fft_/bft_ parameters under Larch's argument names. */
export function storedParamsOf(args: AthenaRecord['args']): StoredParams {
  const clean = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return {
    preEdge: clean({
      e0: num(args, 'bkg_e0'),
      pre1: num(args, 'bkg_pre1'),
      pre2: num(args, 'bkg_pre2'),
      norm1: num(args, 'bkg_nor1'),
      norm2: num(args, 'bkg_nor2'),
      nnorm: num(args, 'bkg_nnorm'),
      step: num(args, 'bkg_step'),
      fixStep: args.bkg_fixstep !== undefined ? flag(args, 'bkg_fixstep') : undefined,
      makeFlat: args.bkg_flatten !== undefined ? flag(args, 'bkg_flatten') : undefined,
    }),
    autobk: clean({
      rbkg: num(args, 'bkg_rbkg'),
      kweight: num(args, 'bkg_kw'),
      kmin: num(args, 'bkg_spl1'),
      kmax: num(args, 'bkg_spl2'),
      dk: num(args, 'bkg_dk'),
      win: windowName(str(args, 'bkg_kwindow')),
      nclamp: num(args, 'bkg_nclamp'),
      clampLo: clamp(args, 'bkg_clamp1'),
      clampHi: clamp(args, 'bkg_clamp2'),
    }),
    xftf: clean({
      kmin: num(args, 'fft_kmin'),
      kmax: num(args, 'fft_kmax'),
      dk: num(args, 'fft_dk'),
      kweight: num(args, 'fft_kw'),
      window: windowName(str(args, 'fft_kwindow')),
    }),
    xftr: clean({
      rmin: num(args, 'bft_rmin'),
      rmax: num(args, 'bft_rmax'),
      dr: num(args, 'bft_dr'),
      window: windowName(str(args, 'bft_rwindow')),
    }),
  };
}

/** Larch's group name for a record label (read_athena: fix_varname, 'd' before a leading '_'). */
export function larchGroupName(label: string): string {
  const name = fixVarname(label);
  return name.startsWith('_') ? `d${name}` : name;
}
