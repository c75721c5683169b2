/**
 * LAMMPS data files for `atom_style atomic` (read_data / write_data): header counts and orthogonal
 * box bounds, then Masses, Atoms (id type x y z [ix iy iz]) and optional Velocities sections.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import { XasInputError } from '../core/errors.js';
import { type Atoms, validateAtoms } from './atoms.js';

/** Formats a data file; `typeSymbols[k]` is LAMMPS type k+1, `masses` in amu per symbol. */
export function formatLammpsData(
  atoms: Atoms,
  typeSymbols: string[],
  masses: Record<string, number>,
): string {
  const n = atoms.species.length;
  const [lx, ly, lz] = atoms.boxAngstrom;
  const out: string[] = [
    `LAMMPS data file written by xasflow (${typeSymbols.join(' ')})`,
    '',
    `${n} atoms`,
    `${typeSymbols.length} atom types`,
    '',
    `0 ${lx} xlo xhi`,
    `0 ${ly} ylo yhi`,
    `0 ${lz} zlo zhi`,
    '',
    'Masses',
    '',
  ];
  typeSymbols.forEach((s, k) => {
    const m = masses[s];
    if (!(m > 0))
      throw new XasInputError(`no mass for ${s}`, { field: 'masses', expected: 'a mass in amu per species' });
    out.push(`${k + 1} ${m} # ${s}`);
  });
  out.push('', 'Atoms # atomic', '');
  const p = atoms.positions;
  for (let i = 0; i < n; i++) {
    const t = typeSymbols.indexOf(atoms.species[i]) + 1;
    if (t === 0)
      throw new XasInputError(`species ${atoms.species[i]} has no LAMMPS type`, { field: 'typeSymbols' });
    out.push(
      `${i + 1} ${t} ${p[3 * i].toPrecision(17)} ${p[3 * i + 1].toPrecision(17)} ${p[3 * i + 2].toPrecision(17)}`,
    );
  }
  if (atoms.velocities) {
    const v = atoms.velocities;
    out.push('', 'Velocities', '');
    for (let i = 0; i < n; i++) {
      out.push(
        `${i + 1} ${v[3 * i].toPrecision(17)} ${v[3 * i + 1].toPrecision(17)} ${v[3 * i + 2].toPrecision(17)}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

export function writeLammpsData(
  path: string,
  atoms: Atoms,
  typeSymbols: string[],
  masses: Record<string, number>,
): void {
  writeFileAtomic(path, formatLammpsData(atoms, typeSymbols, masses));
}

/** Parses an atomic-style data file. Type symbols come from `typeSymbols` or from "# Sym" comments in Masses. */
export function parseLammpsData(text: string, source = 'data', typeSymbols?: string[]): Atoms {
  const lines = text.split(/\r?\n/);
  let n = -1;
  const lo = [0, 0, 0];
  const box: [number, number, number] = [0, 0, 0];
  const seen = [false, false, false];
  const symbols: string[] = typeSymbols ? [...typeSymbols] : [];
  let li = 1;
  // Header: until the first section keyword.
  const sectionRe = /^(Masses|Atoms|Velocities|Pair Coeffs|PairIJ Coeffs)\b/;
  for (; li < lines.length; li++) {
    const line = lines[li].replace(/#.*/, '').trim();
    if (line === '') continue;
    if (sectionRe.test(line)) break;
    const t = line.split(/\s+/);
    if (t[1] === 'atoms') n = Number(t[0]);
    else if (t.length >= 4 && /^[xyz]lo$/.test(t[2]) && /^[xyz]hi$/.test(t[3])) {
      const d = 'xyz'.indexOf(t[2][0]);
      const a = Number(t[0]);
      const b = Number(t[1]);
      if (!(b > a))
        throw new XasInputError('bad box bounds', { file: source, line: li + 1, expected: 'lo < hi' });
      lo[d] = a;
      box[d] = b - a;
      seen[d] = true;
    } else if (t.length >= 6 && t[3] === 'xy' && t.slice(0, 3).some((x) => Number(x) !== 0)) {
      throw new XasInputError('triclinic box', { file: source, line: li + 1, expected: 'an orthogonal box' });
    }
  }
  if (!(Number.isInteger(n) && n >= 0))
    throw new XasInputError("no 'N atoms' line in header", { file: source });
  if (!seen.every(Boolean))
    throw new XasInputError('missing box bounds', { file: source, expected: 'xlo xhi, ylo yhi, zlo zhi' });
  const positions = new Float64Array(3 * n);
  const species: string[] = new Array(n).fill('');
  let velocities: Float64Array | undefined;
  const idToIndex = new Map<number, number>();
  let atomTypes: number[] = [];
  while (li < lines.length) {
    const head = lines[li].trim();
    li++;
    if (head === '') continue;
    const name = head.replace(/#.*/, '').trim();
    const style = head.includes('#') ? head.split('#')[1].trim() : '';
    // Section body: skip one blank line, then rows until a blank line followed by a keyword or EOF.
    const rows: { tok: string[]; line: number; comment: string }[] = [];
    while (li < lines.length && lines[li].trim() === '') li++;
    while (li < lines.length && lines[li].trim() !== '') {
      const [body, comment = ''] = lines[li].split('#');
      rows.push({ tok: body.trim().split(/\s+/), line: li + 1, comment: comment.trim() });
      li++;
    }
    if (name === 'Masses') {
      for (const r of rows)
        if (r.comment && !typeSymbols) symbols[Number(r.tok[0]) - 1] = r.comment.split(/\s+/)[0];
    } else if (name === 'Atoms') {
      if (style && style !== 'atomic') {
        throw new XasInputError(`atom style '${style}'`, { file: source, expected: 'atom_style atomic' });
      }
      if (rows.length !== n) {
        throw new XasInputError(`Atoms section has ${rows.length} rows for ${n} atoms`, { file: source });
      }
      const order = rows.map((r) => Number(r.tok[0]));
      const sorted = [...order].sort((a, b) => a - b);
      for (let k = 0; k < sorted.length; k++) idToIndex.set(sorted[k], k);
      atomTypes = new Array(n);
      for (const r of rows) {
        if (r.tok.length < 5)
          throw new XasInputError('atom row needs id type x y z', { file: source, line: r.line });
        const k = idToIndex.get(Number(r.tok[0])) as number;
        atomTypes[k] = Number(r.tok[1]);
        for (let d = 0; d < 3; d++) {
          const x = Number(r.tok[2 + d]);
          if (!Number.isFinite(x))
            throw new XasInputError(`'${r.tok[2 + d]}' is not a number`, { file: source, line: r.line });
          positions[3 * k + d] = x - lo[d];
        }
      }
    } else if (name === 'Velocities') {
      velocities = new Float64Array(3 * n);
      for (const r of rows) {
        const k = idToIndex.get(Number(r.tok[0]));
        if (k === undefined)
          throw new XasInputError(`velocity for unknown atom id ${r.tok[0]}`, { file: source, line: r.line });
        for (let d = 0; d < 3; d++) velocities[3 * k + d] = Number(r.tok[1 + d]);
      }
    }
  }
  for (let k = 0; k < n; k++) species[k] = symbols[atomTypes[k] - 1] ?? `type${atomTypes[k]}`;
  const atoms: Atoms = { positions, species, boxAngstrom: box, pbc: [true, true, true], info: {} };
  if (velocities) atoms.velocities = velocities;
  validateAtoms(atoms, source);
  return atoms;
}

export function readLammpsData(path: string, typeSymbols?: string[]): Atoms {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new XasInputError(`cannot read: ${(err as Error).message}`, { file: path });
  }
  return parseLammpsData(text, path, typeSymbols);
}
