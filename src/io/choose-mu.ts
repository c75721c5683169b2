/**
 * From a table of labelled columns to spectra: which column is the energy, and what μ is.
 * The rules (documented in docs/io.md, "μ reconstruction") in order:
 *   1. the caller's choice (`mu` expression / column, `mode`);
 *   2. a known beamline layout (DESY FIO EXAFS scans, ALBA-electrometer on-the-fly scans);
 *   3. the first column (in file order) that already holds μ ('mu', 'xmu', 'mutrans',
 *      'mufluor', 'log(i0/it)' ...);
 *   4. a column that holds normalized μ ('norm', 'munorm' ...), flagged datatype 'norm';
 *   5. ln(i0/itrans) when both channels exist, else ifluor/i0;
 *   6. a two-column file: the second column;
 *   7. no channel names at all: every column after the energy is its own spectrum
 *      (multi-spectrum tables such as Athena/ParSeq reference libraries);
 *   8. otherwise the second column, with a warning.
 * The reference channel is a 'murefer'-like column or ln(itrans/irefer).
 */
import { XasInputError } from '../core/errors.js';
import type { AcquisitionMode } from '../core/spectrum.js';
import { parseMuExpression, resolveColumn } from './mu-expression.js';
import {
  CHANNEL_ALIASES,
  findLabel,
  logRatio,
  MU_ALIASES,
  MUREF_ALIASES,
  NORM_ALIASES,
  ratio,
} from './mu-from-channels.js';

/** hc in eV·Å (CODATA 2018, as Larch's PLANCK_HC). */
export const PLANCK_HC_EV_ANGSTROM = 12398.419843320027;

export interface ColumnTable {
  /** Unique column labels (sanitised). */
  labels: string[];
  /** Column names as the file writes them (used to name records of multi-spectrum tables). */
  names?: string[];
  columns: Float64Array[];
  /** Units per column when the file states them. */
  units?: (string | undefined)[];
  /** 1-based file line of each row. */
  lines?: Int32Array;
}

/** Caller's choice of columns (all optional). Column references: label, 'colN', '$N' or 1-based number. */
export interface ColumnChoice {
  energy?: string | number;
  /** μ as a column reference or an expression such as 'ln(i0/it)'. */
  mu?: string | number;
  /** Reference-channel μ as a column or an expression. */
  muRef?: string | number;
  /** Force the μ rule: transmission ln(i0/it), fluorescence if/i0, reference ln(it/iref). */
  mode?: AcquisitionMode;
}

export interface ResolveContext {
  file: string;
  /** Source format, which enables beamline layouts ('fio'). */
  format?: string;
  /** Monochromator d-spacing (Å), to convert an angle abscissa to energy. */
  dSpacingAngstrom?: number;
  /** Datatype the file itself declares (e.g. Demeter 'normalized mu(E)' output). */
  datatypeHint?: 'xmu' | 'norm';
}

export interface ResolvedSpectrum {
  record?: string;
  energyEv: Float64Array;
  mu: Float64Array;
  muRef?: Float64Array;
  muSource: string;
  mode?: AcquisitionMode;
  datatype: 'xmu' | 'norm';
  energyLabel: string;
  warnings: string[];
}

const ENERGY_ALIASES = ['energy', 'e', 'ev', 'energy_ev', 'energyev', 'en', 'mono_energy', 'energy_kev'];

function energyIndex(table: ColumnTable, choice: ColumnChoice, file: string): number {
  if (choice.energy !== undefined) {
    const i = resolveColumn(choice.energy, table.labels);
    if (i < 0) {
      throw new XasInputError(`no column '${choice.energy}' for the energy`, {
        file,
        expected: `one of ${table.labels.join(', ')} or a 1-based column number`,
      });
    }
    return i;
  }
  const i = findLabel(table.labels, ENERGY_ALIASES);
  if (i >= 0) return i;
  const j = table.labels.findIndex((l) => l.toLowerCase().includes('energy'));
  return j >= 0 ? j : 0;
}

/** The abscissa in eV: keV scaled, monochromator angle converted with the d-spacing. */
function energyInEv(table: ColumnTable, index: number, ctx: ResolveContext): Float64Array {
  const col = table.columns[index];
  const label = table.labels[index].toLowerCase();
  const unit = (table.units?.[index] ?? '').toLowerCase();
  if (unit === 'kev' || label.endsWith('kev')) return col.map((v) => v * 1000);
  const isAngle = label === 'angle' || ['deg', 'degrees', 'degree', 'rad', 'radians'].includes(unit);
  if (!isAngle) return col;
  if (unit === 'steps') {
    throw new XasInputError('the abscissa is a monochromator angle in motor steps', {
      file: ctx.file,
      expected: 'an energy column or an angle in degrees/radians',
    });
  }
  const d = ctx.dSpacingAngstrom;
  if (!(d !== undefined && d > 0)) {
    throw new XasInputError('the abscissa is a monochromator angle but no d-spacing is given', {
      file: ctx.file,
      field: 'Mono.d_spacing',
      expected: 'a positive d-spacing in Å',
    });
  }
  const toRad = unit.startsWith('rad') ? 1 : Math.PI / 180;
  return col.map((a) => PLANCK_HC_EV_ANGSTROM / (2 * d * Math.sin(a * toRad)));
}

function channel(table: ColumnTable, name: keyof typeof CHANNEL_ALIASES): number {
  return findLabel(table.labels, CHANNEL_ALIASES[name]);
}

/**
 * Evaluates a μ expression; the plain forms ln(a/b) and a/b go through logRatio/ratio so
 * that a bad point is reported by channel name and file line.
 */
function expr(table: ColumnTable, text: string, file: string): Float64Array {
  const ctx = { file, lines: table.lines };
  const m = /^(?:ln\(([A-Za-z_]\w*)\/([A-Za-z_]\w*)\)|([A-Za-z_]\w*)\/([A-Za-z_]\w*))$/.exec(text);
  if (m) {
    const isLog = m[1] !== undefined;
    const a = resolveColumn(isLog ? m[1] : m[3], table.labels);
    const b = resolveColumn(isLog ? m[2] : m[4], table.labels);
    if (a >= 0 && b >= 0) {
      const names: [string, string] = [table.labels[a], table.labels[b]];
      return isLog
        ? logRatio(table.columns[a], table.columns[b], names, ctx)
        : ratio(table.columns[a], table.columns[b], names, ctx);
    }
  }
  return parseMuExpression(text, table.labels, file).evaluate(table.columns, table.lines);
}

function refOf(table: ColumnTable, file: string, choice: ColumnChoice): { muRef?: Float64Array } {
  if (choice.muRef !== undefined) return { muRef: expr(table, String(choice.muRef), file) };
  const r = findLabel(table.labels, MUREF_ALIASES);
  if (r >= 0) return { muRef: table.columns[r] };
  const it = channel(table, 'itrans');
  const ir = channel(table, 'irefer');
  if (it >= 0 && ir >= 0) return { muRef: expr(table, `ln(${table.labels[it]}/${table.labels[ir]})`, file) };
  return {};
}

/** Beamline layouts recognised by their column names. */
function profileExpression(
  table: ColumnTable,
  ctx: ResolveContext,
): { mu: string; ref?: string } | undefined {
  const lower = table.labels.map((l) => l.toLowerCase());
  if (ctx.format === 'fio' && lower.includes('c1') && lower.includes('c2')) {
    // DESY/HASYLAB EXAFS-Scan: counters C1 = I0, C2 = I1 (sample), C3 = I2 (after the
    // reference foil); the file's own unnamed column 2 and REF column are ln(C1/C2), ln(C2/C3).
    return { mu: 'ln(c1/c2)', ref: lower.includes('c3') ? 'ln(c2/c3)' : undefined };
  }
  // ALBA-type 4-channel electrometer (MAX IV on-the-fly scans as in ParSeq-XAS): ch1+ch2
  // read the I0 chamber, ch3+ch4 the I1 chamber.
  for (const l of lower) {
    const m = /^(.+)_ch1$/.exec(l);
    if (m && [2, 3, 4].every((k) => lower.includes(`${m[1]}_ch${k}`))) {
      const p = m[1];
      return { mu: `ln((${p}_ch1+${p}_ch2)/(${p}_ch3+${p}_ch4))` };
    }
  }
  return undefined;
}

/** Applies the μ rules to a table; may return several spectra for multi-spectrum tables. */
export function resolveSpectra(
  table: ColumnTable,
  choice: ColumnChoice,
  ctx: ResolveContext,
): ResolvedSpectrum[] {
  const { file } = ctx;
  if (table.columns.length < 2) {
    throw new XasInputError(`only ${table.columns.length} data column`, {
      file,
      expected: 'at least two columns (energy and μ or channels)',
    });
  }
  const rows = table.columns[0].length;
  if (rows < 2) {
    throw new XasInputError(`only ${rows} data row`, {
      file,
      line: table.lines?.[0],
      expected: 'a spectrum of at least 2 points',
    });
  }
  const ie = energyIndex(table, choice, file);
  const energyEv = energyInEv(table, ie, ctx);
  const base = { energyEv, energyLabel: table.labels[ie], warnings: [] as string[] };
  const one = (r: Omit<ResolvedSpectrum, 'energyEv' | 'energyLabel' | 'warnings'>, warn?: string) => [
    { ...base, ...r, warnings: warn ? [warn] : [] },
  ];
  const hint = ctx.datatypeHint ?? 'xmu';

  if (choice.mu !== undefined) {
    const text = String(choice.mu);
    return one({
      mu: expr(table, text, file),
      muSource: text,
      mode: choice.mode,
      datatype: hint,
      ...refOf(table, file, choice),
    });
  }
  if (choice.mode !== undefined && choice.mode !== 'unknown') {
    const i0 = channel(table, 'i0');
    const it = channel(table, 'itrans');
    const fl = channel(table, 'ifluor');
    const ir = channel(table, 'irefer');
    const need = (ok: boolean, what: string) => {
      if (!ok) {
        throw new XasInputError(`mode '${choice.mode}' needs channels ${what}`, {
          file,
          expected: `columns named like ${what} among: ${table.labels.join(', ')} (or give μ as an expression)`,
        });
      }
    };
    let text: string;
    if (choice.mode === 'transmission') {
      need(i0 >= 0 && it >= 0, 'i0 and itrans');
      text = `ln(${table.labels[i0]}/${table.labels[it]})`;
    } else if (choice.mode === 'reference') {
      need(it >= 0 && ir >= 0, 'itrans and irefer');
      text = `ln(${table.labels[it]}/${table.labels[ir]})`;
    } else {
      need(i0 >= 0 && fl >= 0, 'ifluor and i0');
      text = `${table.labels[fl]}/${table.labels[i0]}`;
    }
    return one({
      mu: expr(table, text, file),
      muSource: text,
      mode: choice.mode,
      datatype: 'xmu',
      ...refOf(table, file, choice),
    });
  }

  const profile = profileExpression(table, ctx);
  if (profile) {
    const muRef = profile.ref ? expr(table, profile.ref, file) : undefined;
    return one({
      mu: expr(table, profile.mu, file),
      muSource: profile.mu,
      mode: 'transmission',
      datatype: 'xmu',
      muRef,
    });
  }
  // the first column, in file order, whose label says it holds μ
  const muModes = new Map(MU_ALIASES.map(([a, m]) => [a, m]));
  const im = table.labels.findIndex((l, i) => i !== ie && muModes.has(l.toLowerCase()));
  if (im >= 0) {
    return one({
      mu: table.columns[im],
      muSource: `column ${table.labels[im]}`,
      mode: muModes.get(table.labels[im].toLowerCase()),
      datatype: hint,
      ...refOf(table, file, choice),
    });
  }
  const n = findLabel(table.labels, NORM_ALIASES);
  if (n >= 0 && n !== ie) {
    return one({
      mu: table.columns[n],
      muSource: `column ${table.labels[n]}`,
      datatype: 'norm',
      ...refOf(table, file, choice),
    });
  }
  const i0 = channel(table, 'i0');
  const it = channel(table, 'itrans');
  const fl = channel(table, 'ifluor');
  if (i0 >= 0 && it >= 0) {
    const text = `ln(${table.labels[i0]}/${table.labels[it]})`;
    return one({
      mu: expr(table, text, file),
      muSource: text,
      mode: 'transmission',
      datatype: 'xmu',
      ...refOf(table, file, choice),
    });
  }
  if (i0 >= 0 && fl >= 0) {
    const text = `${table.labels[fl]}/${table.labels[i0]}`;
    return one({
      mu: expr(table, text, file),
      muSource: text,
      mode: 'fluorescence',
      datatype: 'xmu',
      ...refOf(table, file, choice),
    });
  }
  const others = table.labels.map((_, i) => i).filter((i) => i !== ie);
  if (others.length === 1) {
    return one({
      mu: table.columns[others[0]],
      muSource: `column ${table.labels[others[0]]}`,
      datatype: hint,
    });
  }
  const anyChannel = (Object.keys(CHANNEL_ALIASES) as (keyof typeof CHANNEL_ALIASES)[]).some(
    (k) => channel(table, k) >= 0,
  );
  if (!anyChannel) {
    return others.map((i) => ({
      ...base,
      record: table.names?.[i] ?? table.labels[i],
      mu: table.columns[i],
      muSource: `column ${table.labels[i]}`,
      datatype: hint,
      warnings: [],
    }));
  }
  const k = others[0];
  return one(
    { mu: table.columns[k], muSource: `column ${table.labels[k]}`, datatype: hint },
    `no μ column and no i0/itrans or i0/ifluor pair among [${table.labels.join(', ')}]; using column ${table.labels[k]} as μ (choose with the mu option)`,
  );
}
