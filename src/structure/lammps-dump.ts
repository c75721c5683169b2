/**
 * LAMMPS text dump files (`dump custom` / `dump atom`): ITEM: TIMESTEP, NUMBER OF ATOMS, BOX BOUNDS
 * (orthogonal boxes only), ATOMS with named columns. Atoms are returned sorted by id. Positions may be
 * x y z, xu yu zu (unwrapped) or xs ys zs (scaled); species come from an `element` column or from a
 * type → symbol map.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import { XasInputError } from '../core/errors.js';
import { type Atoms, validateAtoms } from './atoms.js';

export interface DumpFrame {
  /** Timestep number from ITEM: TIMESTEP. */
  step: number;
  atoms: Atoms;
  /** LAMMPS atom ids, sorted ascending (atoms are in this order). */
  ids: Int32Array;
  /** LAMMPS atom types in the same order. */
  types: Int32Array;
  /** Every numeric per-atom column by its LAMMPS name (fx, fy, fz, c_pe, …), in atom order. */
  columns: Record<string, Float64Array>;
}

export interface DumpReadOptions {
  /** Chemical symbol of each LAMMPS type (index 0 = type 1); used when there is no element column. */
  typeSymbols?: string[];
}

function fail(msg: string, source: string, line: number, expected?: string): never {
  throw new XasInputError(msg, { file: source, line, expected });
}

/** Parses every frame of a LAMMPS text dump. */
export function parseLammpsDump(text: string, source = 'dump', opts: DumpReadOptions = {}): DumpFrame[] {
  const lines = text.split(/\r?\n/);
  const frames: DumpFrame[] = [];
  let li = 0;
  const next = (what: string): string => {
    if (li >= lines.length) fail(`file ends while reading ${what}`, source, li + 1, what);
    return lines[li++];
  };
  while (li < lines.length) {
    if (lines[li].trim() === '') {
      li++;
      continue;
    }
    if (!lines[li].startsWith('ITEM: TIMESTEP')) {
      fail(`unexpected line '${lines[li].slice(0, 40)}'`, source, li + 1, "'ITEM: TIMESTEP'");
    }
    li++;
    const stepLine = li + 1;
    const step = Number(next('timestep').trim());
    if (!Number.isInteger(step)) fail('timestep is not an integer', source, stepLine);
    if (!next('ITEM: NUMBER OF ATOMS').startsWith('ITEM: NUMBER OF ATOMS')) {
      fail('missing ITEM: NUMBER OF ATOMS', source, li, "'ITEM: NUMBER OF ATOMS'");
    }
    const nLine = li + 1;
    const n = Number(next('atom count').trim());
    if (!Number.isInteger(n) || n < 0) fail('atom count is not a non-negative integer', source, nLine);
    const boundsHeader = next('ITEM: BOX BOUNDS');
    if (!boundsHeader.startsWith('ITEM: BOX BOUNDS'))
      fail('missing ITEM: BOX BOUNDS', source, li, "'ITEM: BOX BOUNDS'");
    if (/\bxy\b/.test(boundsHeader))
      fail('triclinic boxes are not supported', source, li, 'an orthogonal box');
    const flags = boundsHeader.replace('ITEM: BOX BOUNDS', '').trim().split(/\s+/);
    const pbc: [boolean, boolean, boolean] = [0, 1, 2].map((d) => (flags[d] ?? 'pp') === 'pp') as [
      boolean,
      boolean,
      boolean,
    ];
    const lo: number[] = [];
    const box: [number, number, number] = [0, 0, 0];
    for (let d = 0; d < 3; d++) {
      const bl = li + 1;
      const t = next('box bounds').trim().split(/\s+/).map(Number);
      if (t.length < 2 || !Number.isFinite(t[0]) || !Number.isFinite(t[1]) || !(t[1] > t[0])) {
        fail('bad box bounds', source, bl, 'two numbers lo < hi');
      }
      lo.push(t[0]);
      box[d] = t[1] - t[0];
    }
    const atomsHeader = next('ITEM: ATOMS');
    if (!atomsHeader.startsWith('ITEM: ATOMS'))
      fail('missing ITEM: ATOMS', source, li, "'ITEM: ATOMS id type x y z …'");
    const names = atomsHeader.replace('ITEM: ATOMS', '').trim().split(/\s+/);
    const col = (nm: string) => names.indexOf(nm);
    const idCol = col('id');
    const typeCol = col('type');
    const elCol = col('element');
    let posCols = ['x', 'y', 'z'].map(col);
    let scaled = false;
    if (posCols.some((c) => c < 0)) posCols = ['xu', 'yu', 'zu'].map(col);
    if (posCols.some((c) => c < 0)) {
      posCols = ['xs', 'ys', 'zs'].map(col);
      scaled = true;
    }
    if (posCols.some((c) => c < 0)) fail('no position columns', source, li, 'x y z, xu yu zu or xs ys zs');
    const numericNames = names.filter((nm, k) => k !== elCol && nm !== 'id' && nm !== 'type');
    const raw: { id: number; type: number; el: string; vals: number[] }[] = [];
    for (let a = 0; a < n; a++) {
      const lineNo = li + 1;
      const row = next('atom rows').trim();
      if (row === '')
        fail(`frame declares ${n} atoms but only ${a} rows follow`, source, lineNo, `${n} atom rows`);
      const tok = row.split(/\s+/);
      if (tok.length < names.length)
        fail(`atom row has ${tok.length} columns`, source, lineNo, `${names.length} columns`);
      const vals: number[] = [];
      for (let k = 0; k < names.length; k++) {
        if (k === elCol) continue;
        const v = Number(tok[k]);
        if (!Number.isFinite(v)) fail(`'${tok[k]}' in column ${names[k]} is not a number`, source, lineNo);
        if (names[k] !== 'id' && names[k] !== 'type') vals.push(v);
      }
      raw.push({
        id: idCol >= 0 ? Number(tok[idCol]) : a + 1,
        type: typeCol >= 0 ? Number(tok[typeCol]) : 1,
        el: elCol >= 0 ? tok[elCol] : '',
        vals,
      });
    }
    raw.sort((p, q) => p.id - q.id);
    const positions = new Float64Array(3 * n);
    const ids = new Int32Array(n);
    const types = new Int32Array(n);
    const species: string[] = new Array(n);
    const columns: Record<string, Float64Array> = {};
    for (const nm of numericNames) columns[nm] = new Float64Array(n);
    const posIdx = posCols.map((c) => numericNames.indexOf(names[c]));
    for (let a = 0; a < n; a++) {
      const r = raw[a];
      ids[a] = r.id;
      types[a] = r.type;
      species[a] = r.el || opts.typeSymbols?.[r.type - 1] || `type${r.type}`;
      for (let k = 0; k < numericNames.length; k++) columns[numericNames[k]][a] = r.vals[k];
      for (let d = 0; d < 3; d++) {
        const v = r.vals[posIdx[d]];
        positions[3 * a + d] = scaled ? v * box[d] : v - lo[d];
      }
    }
    const atoms: Atoms = { positions, species, boxAngstrom: box, pbc, info: { step } };
    if (columns.vx && columns.vy && columns.vz) {
      const v = new Float64Array(3 * n);
      for (let a = 0; a < n; a++) {
        v[3 * a] = columns.vx[a];
        v[3 * a + 1] = columns.vy[a];
        v[3 * a + 2] = columns.vz[a];
      }
      atoms.velocities = v;
    }
    validateAtoms(atoms, `${source} (timestep ${step})`);
    frames.push({ step, atoms, ids, types, columns });
  }
  if (frames.length === 0)
    fail('no frames found', source, 1, "LAMMPS dump frames starting with 'ITEM: TIMESTEP'");
  return frames;
}

export function readLammpsDump(path: string, opts: DumpReadOptions = {}): DumpFrame[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new XasInputError(`cannot read: ${(err as Error).message}`, { file: path });
  }
  return parseLammpsDump(text, path, opts);
}

/** Formats one frame as `dump custom` with columns id type element x y z [vx vy vz]. */
export function formatLammpsDump(atoms: Atoms, step: number, typeSymbols?: string[]): string {
  const symbols = typeSymbols ?? [...new Set(atoms.species)];
  const n = atoms.species.length;
  const flags = atoms.pbc.map((b) => (b ? 'pp' : 'ff')).join(' ');
  const [lx, ly, lz] = atoms.boxAngstrom;
  const vel = atoms.velocities;
  const rows = [
    'ITEM: TIMESTEP',
    String(step),
    'ITEM: NUMBER OF ATOMS',
    String(n),
    `ITEM: BOX BOUNDS ${flags}`,
    `0 ${lx}`,
    `0 ${ly}`,
    `0 ${lz}`,
    `ITEM: ATOMS id type element x y z${vel ? ' vx vy vz' : ''}`,
  ];
  const p = atoms.positions;
  for (let i = 0; i < n; i++) {
    const t = symbols.indexOf(atoms.species[i]) + 1;
    let row = `${i + 1} ${t} ${atoms.species[i]} ${p[3 * i].toFixed(8)} ${p[3 * i + 1].toFixed(8)} ${p[3 * i + 2].toFixed(8)}`;
    if (vel) row += ` ${vel[3 * i].toFixed(8)} ${vel[3 * i + 1].toFixed(8)} ${vel[3 * i + 2].toFixed(8)}`;
    rows.push(row);
  }
  return `${rows.join('\n')}\n`;
}

export function writeLammpsDump(
  path: string,
  frames: { atoms: Atoms; step: number }[],
  typeSymbols?: string[],
): void {
  writeFileAtomic(path, frames.map((f) => formatLammpsDump(f.atoms, f.step, typeSymbols)).join(''));
}
