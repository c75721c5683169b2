/**
 * Extended XYZ (the ASE / QUIP convention): line 1 atom count, line 2 key=value pairs with
 * Lattice="ax ay az bx by bz cx cy cz", Properties=name:type:ncols:…, pbc="T T T", then one row per
 * atom. Only orthorhombic lattices are accepted (off-diagonal terms must vanish). Plain XYZ (no
 * Lattice) is read as a non-periodic cluster.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import { XasInputError } from '../core/errors.js';
import { type Atoms, validateAtoms } from './atoms.js';

type InfoValue = string | number | boolean;

/** Splits the comment line into key=value pairs; values may be "double quoted" or {braced}. */
export function parseKeyValues(line: string, source: string, lineNo: number): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i])) i++;
    if (i >= n) break;
    let key = '';
    while (i < n && line[i] !== '=' && !/\s/.test(line[i])) key += line[i++];
    if (i < n && line[i] === '=') {
      i++;
      let value = '';
      const open = line[i];
      if (open === '"' || open === '{') {
        const close = open === '"' ? '"' : '}';
        const end = line.indexOf(close, i + 1);
        if (end < 0) {
          throw new XasInputError(`unterminated ${open} in value of '${key}'`, {
            file: source,
            line: lineNo,
          });
        }
        value = line.slice(i + 1, end);
        i = end + 1;
      } else {
        while (i < n && !/\s/.test(line[i])) value += line[i++];
      }
      out.set(key, value);
    } else {
      out.set(key, 'T');
    }
  }
  return out;
}

function parseInfoValue(v: string): InfoValue {
  if (v === 'T' || v === 'True' || v === 'true') return true;
  if (v === 'F' || v === 'False' || v === 'false') return false;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return Number(v);
  return v;
}

interface PropertyColumn {
  name: string;
  type: string;
  count: number;
  start: number;
}

function parseProperties(spec: string, source: string, lineNo: number): PropertyColumn[] {
  const parts = spec.split(':');
  if (parts.length % 3 !== 0) {
    throw new XasInputError(`Properties='${spec}'`, {
      file: source,
      line: lineNo,
      field: 'Properties',
      expected: 'name:type:ncols triples',
    });
  }
  const cols: PropertyColumn[] = [];
  let start = 0;
  for (let k = 0; k < parts.length; k += 3) {
    const count = Number(parts[k + 2]);
    if (!Number.isInteger(count) || count < 1 || !/^[SRIL]$/.test(parts[k + 1])) {
      throw new XasInputError(`bad property '${parts.slice(k, k + 3).join(':')}'`, {
        file: source,
        line: lineNo,
        field: 'Properties',
        expected: 'type S, R, I or L and a positive column count',
      });
    }
    cols.push({ name: parts[k], type: parts[k + 1], count, start });
    start += count;
  }
  return cols;
}

function parseLattice(value: string, source: string, lineNo: number): [number, number, number] {
  const v = value.trim().split(/\s+/).map(Number);
  if (v.length !== 9 || v.some((x) => !Number.isFinite(x))) {
    throw new XasInputError(`Lattice="${value}"`, {
      file: source,
      line: lineNo,
      field: 'Lattice',
      expected: '9 numbers',
    });
  }
  const diag: [number, number, number] = [v[0], v[4], v[8]];
  const off = [v[1], v[2], v[3], v[5], v[6], v[7]];
  const scale = Math.max(...diag.map(Math.abs));
  if (off.some((x) => Math.abs(x) > 1e-8 * scale) || diag.some((x) => !(x > 0))) {
    throw new XasInputError(`non-orthorhombic or degenerate cell Lattice="${value}"`, {
      file: source,
      line: lineNo,
      field: 'Lattice',
      expected: 'an orthorhombic cell "Lx 0 0 0 Ly 0 0 0 Lz" with positive lengths',
    });
  }
  return diag;
}

/** Parses every frame of an (extended) XYZ text. `source` names the file in error messages. */
export function parseExtendedXyz(text: string, source = 'xyz'): Atoms[] {
  const lines = text.split(/\r?\n/);
  const frames: Atoms[] = [];
  let li = 0;
  while (li < lines.length) {
    if (lines[li].trim() === '') {
      li++;
      continue;
    }
    const countLine = li + 1;
    const n = Number(lines[li].trim());
    if (!Number.isInteger(n) || n < 0) {
      throw new XasInputError(`'${lines[li].trim().slice(0, 40)}' is not an atom count`, {
        file: source,
        line: countLine,
        expected: 'a non-negative integer on the first line of each frame',
      });
    }
    const available = lines.length - (lines[lines.length - 1] === '' ? 1 : 0);
    if (li + 2 + n > available) {
      throw new XasInputError(`frame declares ${n} atoms but the file ends early`, {
        file: source,
        line: countLine,
        expected: `${n} atom rows after the comment line`,
      });
    }
    const commentNo = li + 2;
    const kv = parseKeyValues(lines[li + 1] ?? '', source, commentNo);
    let cols: PropertyColumn[] = [
      { name: 'species', type: 'S', count: 1, start: 0 },
      { name: 'pos', type: 'R', count: 3, start: 1 },
    ];
    if (kv.has('Properties')) cols = parseProperties(kv.get('Properties') as string, source, commentNo);
    const spCol = cols.find((c) => c.name === 'species' || c.name === 'element');
    const posCol = cols.find((c) => c.name === 'pos' || c.name === 'positions');
    const velCol = cols.find(
      (c) => (c.name === 'vel' || c.name === 'velo' || c.name === 'velocities') && c.count === 3,
    );
    if (!spCol || !posCol || posCol.count !== 3) {
      throw new XasInputError('Properties lacks species:S:1 or pos:R:3', {
        file: source,
        line: commentNo,
        field: 'Properties',
      });
    }
    const ncol = cols.reduce((s, c) => s + c.count, 0);
    const positions = new Float64Array(3 * n);
    const velocities = velCol ? new Float64Array(3 * n) : undefined;
    const species: string[] = new Array(n);
    for (let a = 0; a < n; a++) {
      const lineNo = li + 3 + a;
      const tok = (lines[li + 2 + a] ?? '').trim().split(/\s+/);
      if (tok.length < ncol) {
        throw new XasInputError(`atom row has ${tok.length} columns`, {
          file: source,
          line: lineNo,
          expected: `${ncol} columns (${cols.map((c) => c.name).join(', ')})`,
        });
      }
      species[a] = tok[spCol.start];
      for (let d = 0; d < 3; d++) {
        const x = Number(tok[posCol.start + d]);
        if (!Number.isFinite(x)) {
          throw new XasInputError(`coordinate '${tok[posCol.start + d]}' is not a number`, {
            file: source,
            line: lineNo,
          });
        }
        positions[3 * a + d] = x;
        if (velCol && velocities) {
          const v = Number(tok[velCol.start + d]);
          if (!Number.isFinite(v)) {
            throw new XasInputError(`velocity '${tok[velCol.start + d]}' is not a number`, {
              file: source,
              line: lineNo,
            });
          }
          velocities[3 * a + d] = v;
        }
      }
    }
    const info: Record<string, InfoValue> = {};
    for (const [k, v] of kv)
      if (k !== 'Lattice' && k !== 'Properties' && k !== 'pbc') info[k] = parseInfoValue(v);
    let box: [number, number, number];
    let pbc: [boolean, boolean, boolean];
    if (kv.has('Lattice')) {
      box = parseLattice(kv.get('Lattice') as string, source, commentNo);
      const p = (kv.get('pbc') ?? 'T T T').trim().split(/\s+/);
      pbc = [0, 1, 2].map((d) => p[d] !== 'F' && p[d] !== 'False' && p[d] !== 'false' && p[d] !== '0') as [
        boolean,
        boolean,
        boolean,
      ];
      const origin = kv.get('Origin');
      if (origin) {
        const o = origin.trim().split(/\s+/).map(Number);
        for (let a = 0; a < n; a++) for (let d = 0; d < 3; d++) positions[3 * a + d] -= o[d] ?? 0;
      }
    } else {
      // Plain XYZ: a cluster; the box is the bounding box (only used for densities and plots).
      pbc = [false, false, false];
      box = [1, 1, 1];
      for (let d = 0; d < 3; d++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let a = 0; a < n; a++) {
          lo = Math.min(lo, positions[3 * a + d]);
          hi = Math.max(hi, positions[3 * a + d]);
        }
        box[d] = n > 0 ? Math.max(hi - lo, 1) : 1;
      }
    }
    const atoms: Atoms = { positions, species, boxAngstrom: box, pbc, info };
    if (velocities) atoms.velocities = velocities;
    validateAtoms(atoms, `${source} (frame ${frames.length + 1})`);
    frames.push(atoms);
    li += 2 + n;
  }
  if (frames.length === 0)
    throw new XasInputError('no frames found', { file: source, expected: 'extended XYZ frames' });
  return frames;
}

/** Reads every frame of an (extended) XYZ file. */
export function readExtendedXyz(path: string): Atoms[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new XasInputError(`cannot read: ${(err as Error).message}`, { file: path });
  }
  return parseExtendedXyz(text, path);
}

function formatInfoValue(v: InfoValue): string {
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'nan';
  return /[\s"=]/.test(v) || v === '' ? `"${v.replace(/"/g, "'")}"` : v;
}

/** Formats one frame. Positions and velocities are written with 8 decimals (1e-8 Å). */
export function formatExtendedXyz(atoms: Atoms): string {
  const n = atoms.species.length;
  const [lx, ly, lz] = atoms.boxAngstrom;
  const vel = atoms.velocities;
  const props = vel ? 'species:S:1:pos:R:3:vel:R:3' : 'species:S:1:pos:R:3';
  const pbc = atoms.pbc.map((b) => (b ? 'T' : 'F')).join(' ');
  let header = `Lattice="${lx} 0 0 0 ${ly} 0 0 0 ${lz}" Properties=${props} pbc="${pbc}"`;
  for (const [k, v] of Object.entries(atoms.info)) {
    if (k === 'Lattice' || k === 'Properties' || k === 'pbc' || !/^[A-Za-z_][\w.-]*$/.test(k)) continue;
    header += ` ${k}=${formatInfoValue(v)}`;
  }
  const rows: string[] = [String(n), header];
  const p = atoms.positions;
  for (let i = 0; i < n; i++) {
    let row = `${atoms.species[i]} ${p[3 * i].toFixed(8)} ${p[3 * i + 1].toFixed(8)} ${p[3 * i + 2].toFixed(8)}`;
    if (vel) row += ` ${vel[3 * i].toFixed(8)} ${vel[3 * i + 1].toFixed(8)} ${vel[3 * i + 2].toFixed(8)}`;
    rows.push(row);
  }
  return `${rows.join('\n')}\n`;
}

/** Writes one or more frames atomically (temporary file + rename). */
export function writeExtendedXyz(path: string, frames: Atoms | Atoms[]): void {
  const list = Array.isArray(frames) ? frames : [frames];
  writeFileAtomic(path, list.map(formatExtendedXyz).join(''));
}
