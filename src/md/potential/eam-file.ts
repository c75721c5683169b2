/**
 * Reader and writer for DYNAMO EAM tables as used by LAMMPS: `funcfl` (pair_style eam, one element,
 * effective charge Z(r) with φ(r) = 27.2·0.529·Z_i(r)·Z_j(r)/r) and `setfl` (pair_style eam/alloy,
 * r·φ(r) tabulated directly). Layouts follow the LAMMPS pair_eam documentation; values are read as a
 * stream of numbers that may wrap across lines, each header on its own line.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { XasInputError } from '../../core/errors.js';
import { ELEMENT_BY_Z } from '../units.js';

export type EamFormat = 'funcfl' | 'setfl';

/** Raw tables exactly as stored in a funcfl or setfl file. */
export interface EamTables {
  format: EamFormat;
  /** Path or label of the file, for messages. */
  source: string;
  /** Header comment line(s). */
  comment: string;
  elements: string[];
  atomicNumbers: number[];
  /** Masses in amu per element. */
  masses: number[];
  /** Lattice constant (Å) and structure name from each element line, informational. */
  latticeAngstrom: number[];
  latticeName: string[];
  nrho: number;
  drho: number;
  nr: number;
  drAngstrom: number;
  cutoffAngstrom: number;
  /** F(ρ) per element, nrho values, eV. */
  embedding: Float64Array[];
  /** ρ(r) per element, nr values. */
  density: Float64Array[];
  /** setfl: r·φ(r) in eV·Å for pairs i ≥ j, index i(i+1)/2 + j. funcfl: empty. */
  rphi: Float64Array[];
  /** funcfl only: effective charge Z(r) per element, nr values. */
  effectiveCharge?: Float64Array[];
}

class LineReader {
  private li = 0;
  private readonly lines: string[];
  constructor(
    text: string,
    private readonly source: string,
  ) {
    this.lines = text.split(/\r?\n/);
  }
  get lineNo(): number {
    return this.li;
  }
  line(what: string): string {
    if (this.li >= this.lines.length) this.fail(`file ends before ${what}`, this.li);
    return this.lines[this.li++];
  }
  fail(msg: string, line: number, expected?: string): never {
    throw new XasInputError(msg, { file: this.source, line: line > 0 ? line : undefined, expected });
  }
  /** Reads `count` numbers spread over whole lines (a value row must not spill into the next header). */
  values(count: number, what: string): Float64Array {
    const out = new Float64Array(count);
    let k = 0;
    while (k < count) {
      if (this.li >= this.lines.length) {
        this.fail(`file ends after ${k} of ${count} values of ${what}`, this.li, `${count} numbers`);
      }
      const lineNo = this.li + 1;
      const raw = this.lines[this.li++].trim();
      if (raw === '') continue;
      const tok = raw.split(/\s+/);
      if (k + tok.length > count) {
        this.fail(`${k + tok.length - count} values too many in ${what}`, lineNo, `exactly ${count} numbers`);
      }
      for (const t of tok) {
        const v = Number(t.replace(/[dD]/, 'e'));
        if (!Number.isFinite(v)) this.fail(`'${t}' in ${what} is not a number`, lineNo, 'a finite number');
        out[k++] = v;
      }
    }
    return out;
  }
}

function parseGrid(r: LineReader, line: string, lineNo: number) {
  const t = line
    .trim()
    .split(/\s+/)
    .map((x) => Number(x.replace(/[dD]/, 'e')));
  const [nrho, drho, nr, dr, cut] = t;
  const ok =
    t.length >= 5 &&
    Number.isInteger(nrho) &&
    nrho >= 5 &&
    drho > 0 &&
    Number.isInteger(nr) &&
    nr >= 5 &&
    dr > 0 &&
    cut > 0 &&
    t.slice(0, 5).every(Number.isFinite);
  if (!ok)
    r.fail(
      `bad grid line '${line.trim()}'`,
      lineNo,
      'Nrho drho Nr dr cutoff (integers ≥ 5, positive spacings)',
    );
  return { nrho, drho, nr, dr, cut };
}

function parseElementLine(r: LineReader, line: string, lineNo: number) {
  const t = line.trim().split(/\s+/);
  const z = Number(t[0]);
  const mass = Number(t[1]);
  if (!Number.isInteger(z) || !(mass > 0)) {
    r.fail(
      `bad element line '${line.trim()}'`,
      lineNo,
      'atomic number, mass (amu), lattice constant, lattice type',
    );
  }
  return { z, mass, a0: Number(t[2] ?? Number.NaN), lattice: t[3] ?? '' };
}

/** Parses a funcfl (single-element `pair_style eam`) file. */
export function parseFuncfl(text: string, source = 'funcfl'): EamTables {
  const r = new LineReader(text, source);
  const comment = r.line('the comment line').trim();
  const el = parseElementLine(r, r.line('the element line'), 2);
  const g = parseGrid(r, r.line('the grid line'), 3);
  const embedding = r.values(g.nrho, 'F(rho)');
  const z = r.values(g.nr, 'Z(r)');
  const density = r.values(g.nr, 'rho(r)');
  return {
    format: 'funcfl',
    source,
    comment,
    elements: [ELEMENT_BY_Z[el.z] ?? `Z${el.z}`],
    atomicNumbers: [el.z],
    masses: [el.mass],
    latticeAngstrom: [el.a0],
    latticeName: [el.lattice],
    nrho: g.nrho,
    drho: g.drho,
    nr: g.nr,
    drAngstrom: g.dr,
    cutoffAngstrom: g.cut,
    embedding: [embedding],
    density: [density],
    rphi: [],
    effectiveCharge: [z],
  };
}

/** Parses a setfl (`pair_style eam/alloy`) file. */
export function parseSetfl(text: string, source = 'setfl'): EamTables {
  const r = new LineReader(text, source);
  const comment = [r.line('comment line 1'), r.line('comment line 2'), r.line('comment line 3')]
    .map((s) => s.trim())
    .join('\n');
  const elLine = r.line('the element-count line');
  const et = elLine.trim().split(/\s+/);
  const ne = Number(et[0]);
  if (!Number.isInteger(ne) || ne < 1 || et.length < ne + 1) {
    r.fail(`bad element line '${elLine.trim()}'`, 4, 'Nelements followed by that many element symbols');
  }
  const elements = et.slice(1, 1 + ne);
  const g = parseGrid(r, r.line('the grid line'), 5);
  const atomicNumbers: number[] = [];
  const masses: number[] = [];
  const latticeAngstrom: number[] = [];
  const latticeName: string[] = [];
  const embedding: Float64Array[] = [];
  const density: Float64Array[] = [];
  for (let i = 0; i < ne; i++) {
    const ln = r.lineNo + 1;
    const el = parseElementLine(r, r.line(`the header of element ${elements[i]}`), ln);
    atomicNumbers.push(el.z);
    masses.push(el.mass);
    latticeAngstrom.push(el.a0);
    latticeName.push(el.lattice);
    embedding.push(r.values(g.nrho, `F(rho) of ${elements[i]}`));
    density.push(r.values(g.nr, `rho(r) of ${elements[i]}`));
  }
  const rphi: Float64Array[] = [];
  for (let i = 0; i < ne; i++) {
    for (let j = 0; j <= i; j++) rphi.push(r.values(g.nr, `r*phi(r) of ${elements[i]}-${elements[j]}`));
  }
  return {
    format: 'setfl',
    source,
    comment,
    elements,
    atomicNumbers,
    masses,
    latticeAngstrom,
    latticeName,
    nrho: g.nrho,
    drho: g.drho,
    nr: g.nr,
    drAngstrom: g.dr,
    cutoffAngstrom: g.cut,
    embedding,
    density,
    rphi,
  };
}

/** Reads an EAM file; the format is taken from `format` or guessed from the name (.alloy/.setfl → setfl). */
export function readEamFile(path: string, format?: EamFormat): EamTables {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new XasInputError(`cannot read EAM potential: ${(err as Error).message}`, { file: path });
  }
  const f = format ?? (/\.(alloy|setfl)$/i.test(path) ? 'setfl' : 'funcfl');
  return f === 'setfl' ? parseSetfl(text, path) : parseFuncfl(text, path);
}

function fmtValues(v: Float64Array): string {
  const out: string[] = [];
  for (let i = 0; i < v.length; i += 5) {
    out.push(
      Array.from(v.subarray(i, i + 5))
        .map((x) => x.toExponential(16))
        .join(' '),
    );
  }
  return out.join('\n');
}

/** Formats setfl tables (funcfl inputs are converted with r·φ = 27.2·0.529·Z²). */
export function formatSetfl(t: EamTables): string {
  const rphi = t.format === 'setfl' ? t.rphi : funcflRphi(t);
  const comments = t.comment.split('\n');
  while (comments.length < 3) comments.push('');
  const parts = [
    ...comments.slice(0, 3),
    `${t.elements.length} ${t.elements.join(' ')}`,
    `${t.nrho} ${t.drho.toExponential(16)} ${t.nr} ${t.drAngstrom.toExponential(16)} ${t.cutoffAngstrom.toExponential(16)}`,
  ];
  t.elements.forEach((_, i) => {
    parts.push(`${t.atomicNumbers[i]} ${t.masses[i]} ${t.latticeAngstrom[i]} ${t.latticeName[i] || 'fcc'}`);
    parts.push(fmtValues(t.embedding[i]), fmtValues(t.density[i]));
  });
  for (const v of rphi) parts.push(fmtValues(v));
  return `${parts.join('\n')}\n`;
}

/** Formats a single-element funcfl file (requires effectiveCharge). */
export function formatFuncfl(t: EamTables): string {
  if (t.format !== 'funcfl' || !t.effectiveCharge || t.elements.length !== 1) {
    throw new XasInputError('funcfl output needs single-element tables with Z(r)', { field: 'format' });
  }
  return `${[
    t.comment.split('\n')[0],
    `${t.atomicNumbers[0]} ${t.masses[0]} ${t.latticeAngstrom[0]} ${t.latticeName[0] || 'fcc'}`,
    `${t.nrho} ${t.drho.toExponential(16)} ${t.nr} ${t.drAngstrom.toExponential(16)} ${t.cutoffAngstrom.toExponential(16)}`,
    fmtValues(t.embedding[0]),
    fmtValues(t.effectiveCharge[0]),
    fmtValues(t.density[0]),
  ].join('\n')}\n`;
}

export function writeEamFile(path: string, t: EamTables): void {
  writeFileAtomic(
    path,
    t.format === 'funcfl' && !/\.(alloy|setfl)$/i.test(path) ? formatFuncfl(t) : formatSetfl(t),
  );
}

/** Hartree·Bohr in eV·Å as LAMMPS writes it for funcfl pair terms. */
export const FUNCFL_ZZ_TO_EV_ANGSTROM = 27.2 * 0.529;

function funcflRphi(t: EamTables): Float64Array[] {
  const z = t.effectiveCharge?.[0];
  if (!z) throw new XasInputError('funcfl tables without Z(r)', { file: t.source });
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = FUNCFL_ZZ_TO_EV_ANGSTROM * z[i] * z[i];
  return [out];
}
