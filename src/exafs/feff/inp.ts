/**
 * FEFF input files (feff.inp, FEFF 6/8 card syntax): keyword cards, the POTENTIALS block
 * (ipot Z [tag …]) and the ATOMS block (x y z ipot [tag …], Å). Lines starting with '*' and text
 * after a '*' or '!' inside a line are comments. Also writes feff.inp for the kernel tool.
 */
import { XasInputError } from '../../core/errors.js';
import { fortranInteger, fortranNumber, readTextFile } from './text.js';

export interface FeffPotential {
  ipot: number;
  z: number;
  tag: string;
}

export interface FeffAtom {
  x: number;
  y: number;
  z: number;
  ipot: number;
  tag: string;
}

export interface FeffInput {
  titles: string[];
  /** Other cards by upper-case keyword: the whitespace-separated values after the keyword. */
  cards: Map<string, string[]>;
  potentials: FeffPotential[];
  atoms: FeffAtom[];
}

export function readFeffInp(path: string): FeffInput {
  return parseFeffInp(readTextFile(path, 'FEFF input'), path);
}

export function parseFeffInp(text: string, source = 'feff.inp'): FeffInput {
  const out: FeffInput = { titles: [], cards: new Map(), potentials: [], atoms: [] };
  let block: 'none' | 'potentials' | 'atoms' = 'none';
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    const raw = lines[li];
    if (/^\s*\*/.test(raw)) continue;
    const noComment = raw.replace(/[*!].*$/, '').trim();
    if (noComment === '') continue;
    const words = noComment.split(/\s+/);
    const key = words[0].toUpperCase();
    if (/^[A-Z]/.test(key)) {
      if (key === 'TITLE') {
        out.titles.push(raw.trim().slice(5).trim());
        block = 'none';
      } else if (key === 'POTENTIALS') block = 'potentials';
      else if (key === 'ATOMS') block = 'atoms';
      else if (key === 'END') break;
      else {
        out.cards.set(key, words.slice(1));
        block = 'none';
      }
      continue;
    }
    if (block === 'potentials') {
      if (words.length < 2) {
        throw new XasInputError('potential line needs ipot and Z', {
          file: source,
          line: lineNo,
          expected: 'ipot Z [tag]',
        });
      }
      out.potentials.push({
        ipot: fortranInteger(words[0], source, lineNo, 'ipot'),
        z: fortranInteger(words[1], source, lineNo, 'Z'),
        tag: words[2] ?? '',
      });
    } else if (block === 'atoms') {
      if (words.length < 4) {
        throw new XasInputError('atom line needs x y z ipot', {
          file: source,
          line: lineNo,
          expected: 'x y z ipot [tag]',
        });
      }
      out.atoms.push({
        x: fortranNumber(words[0], source, lineNo, 'x'),
        y: fortranNumber(words[1], source, lineNo, 'y'),
        z: fortranNumber(words[2], source, lineNo, 'z'),
        ipot: fortranInteger(words[3], source, lineNo, 'ipot'),
        tag: words[4] ?? '',
      });
    } else {
      throw new XasInputError(`unexpected line '${noComment}'`, {
        file: source,
        line: lineNo,
        expected: 'a card keyword or a line inside POTENTIALS/ATOMS',
      });
    }
  }
  const ipots = new Set(out.potentials.map((p) => p.ipot));
  out.atoms.forEach((a, i) => {
    if (out.potentials.length > 0 && !ipots.has(a.ipot)) {
      throw new XasInputError(`atom ${i + 1} uses ipot ${a.ipot}, which POTENTIALS does not define`, {
        file: source,
        field: 'ATOMS',
      });
    }
  });
  if (out.atoms.length > 0 && out.atoms.filter((a) => a.ipot === 0).length !== 1) {
    throw new XasInputError('ATOMS must contain exactly one absorber (ipot 0)', {
      file: source,
      field: 'ATOMS',
    });
  }
  return out;
}

/** Formats a feff.inp; card values are written in the order given. */
export function formatFeffInp(input: FeffInput): string {
  const out: string[] = [];
  for (const t of input.titles) out.push(`TITLE ${t}`);
  for (const [key, vals] of input.cards) out.push(`${key} ${vals.join(' ')}`.trim());
  out.push('', 'POTENTIALS', '*   ipot   Z   tag');
  for (const p of input.potentials) out.push(`    ${p.ipot}  ${p.z}  ${p.tag}`);
  out.push('', 'ATOMS', '*   x          y          z     ipot  tag');
  for (const a of input.atoms) {
    out.push(
      `${a.x.toFixed(6).padStart(12)} ${a.y.toFixed(6).padStart(12)} ${a.z.toFixed(6).padStart(12)}  ${a.ipot}  ${a.tag}`,
    );
  }
  out.push('END', '');
  return out.join('\n');
}
