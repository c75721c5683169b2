/**
 * Reader for FEFF's per-path files feffNNNN.dat (FEFF 6 with '#' comments, FEFF 8.x and
 * feff85exafs). Column meanings follow FEFF's fdtarr: k, 2·Re(δc)+l0π, |F_eff|, phase of F_eff,
 * reduction factor exp(−2 Im δc), mean free path λ, Re p. Larch's amplitude is |F_eff|·red and its
 * phase 2·phc + phase[feff].
 */
import { XasInputError } from '../../core/errors.js';
import { fortranNumber as num, readTextFile } from './text.js';

export interface FeffPotentialInfo {
  ipot: number;
  z: number;
  rmtAngstrom: number;
  rnormanAngstrom: number;
}

export interface FeffPathAtom {
  x: number;
  y: number;
  z: number;
  ipot: number;
  atomicNumber: number;
  label: string;
}

export interface FeffPathData {
  source: string;
  title: string;
  version: string;
  potentials: FeffPotentialInfo[];
  gamChEv?: number;
  exchange?: string;
  muEv?: number;
  kfInvAngstrom?: number;
  vintEv?: number;
  rsInt?: number;
  nleg: number;
  degeneracy: number;
  reffAngstrom: number;
  rnormanBohr: number;
  edgeEv: number;
  /** Path atoms as listed in the file: the absorber first, then the scatterers in path order. */
  atoms: FeffPathAtom[];
  k: Float64Array;
  realPhc: Float64Array;
  magFeff: Float64Array;
  phaseFeff: Float64Array;
  redFactor: Float64Array;
  lambdaAngstrom: Float64Array;
  realP: Float64Array;
}

/** Larch's amplitude (|F_eff|·reduction factor) of a path. */
export function pathAmplitude(p: FeffPathData): Float64Array {
  const out = new Float64Array(p.k.length);
  for (let i = 0; i < out.length; i++) out[i] = p.magFeff[i] * p.redFactor[i];
  return out;
}

/** Larch's phase (2·phc + phase[feff]) of a path. */
export function pathPhase(p: FeffPathData): Float64Array {
  const out = new Float64Array(p.k.length);
  for (let i = 0; i < out.length; i++) out[i] = p.realPhc[i] + p.phaseFeff[i];
  return out;
}

const NUM = String.raw`([-+]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][-+]?\d+)?)`;

export function readFeffDat(path: string): FeffPathData {
  return parseFeffDat(readTextFile(path, 'FEFF path file'), path);
}

export function parseFeffDat(text: string, source = 'feffNNNN.dat'): FeffPathData {
  const lines = text.split(/\r?\n/);
  const clean = (s: string) => (s.startsWith('#') ? s.slice(1) : s).trim();
  const first = (lines[0] ?? '').startsWith('#') ? lines[0].slice(1) : lines[0];
  const out: Partial<FeffPathData> & { potentials: FeffPotentialInfo[]; atoms: FeffPathAtom[] } = {
    source,
    title: (first ?? '').slice(0, 64).trim(),
    version: (first ?? '').slice(64).trim(),
    potentials: [],
    atoms: [],
  };
  let mode: 'header' | 'pathline' | 'coltitle' | 'atoms' | 'arrays' = 'header';
  const rows: number[][] = [];
  const rowLines: number[] = [];
  let arraysLine = 0;
  for (let li = 1; li < lines.length; li++) {
    const lineNo = li + 1;
    const line = clean(lines[li]);
    if (line === '') continue;
    if (mode === 'arrays') {
      const w = line.split(/\s+/);
      if (w.length !== 7) {
        throw new XasInputError(`data row has ${w.length} columns`, {
          file: source,
          line: lineNo,
          expected: '7 columns (k, 2phc, |F|, phase, red factor, lambda, Re p)',
        });
      }
      rows.push(w.map((s, c) => num(s, source, lineNo, `column ${c + 1}`)));
      rowLines.push(lineNo);
      continue;
    }
    if (line.startsWith('k') && /real\[p\]/.test(line)) {
      if (mode !== 'atoms') {
        throw new XasInputError('column header of the data block comes before the path description', {
          file: source,
          line: lineNo,
          expected: "a '-----' line, the 'nleg, deg, reff' line and the path atoms first",
        });
      }
      mode = 'arrays';
      arraysLine = lineNo;
      continue;
    }
    if (mode === 'header') {
      if (/^-{10,}/.test(line)) {
        mode = 'pathline';
        continue;
      }
      let m: RegExpMatchArray | null;
      if (
        (m = line.match(
          new RegExp(`^(Abs|Pot\\s+(\\d+))\\s+Z=\\s*(\\d+)\\s+Rmt=\\s*${NUM}\\s+Rnm=\\s*${NUM}`),
        ))
      ) {
        out.potentials.push({
          ipot: m[2] === undefined ? 0 : Number(m[2]),
          z: Number(m[3]),
          rmtAngstrom: num(m[4], source, lineNo, 'Rmt'),
          rnormanAngstrom: num(m[5], source, lineNo, 'Rnm'),
        });
      } else if ((m = line.match(new RegExp(`^Gam_ch=\\s*${NUM}\\s*(.*)$`)))) {
        out.gamChEv = num(m[1], source, lineNo, 'Gam_ch');
        out.exchange = m[2].trim();
      } else if (
        (m = line.match(
          new RegExp(`^Mu=\\s*${NUM}\\s+kf=\\s*${NUM}\\s+Vint=\\s*${NUM}\\s+Rs_int=\\s*${NUM}`),
        ))
      ) {
        out.muEv = num(m[1], source, lineNo, 'Mu');
        out.kfInvAngstrom = num(m[2], source, lineNo, 'kf');
        out.vintEv = num(m[3], source, lineNo, 'Vint');
        out.rsInt = num(m[4], source, lineNo, 'Rs_int');
      }
      continue;
    }
    if (mode === 'pathline') {
      const w = line.split(/\s+/);
      if (w.length < 5) {
        throw new XasInputError('path line has fewer than 5 values', {
          file: source,
          line: lineNo,
          expected: 'nleg, deg, reff, rnrmav, edge',
        });
      }
      const nleg = num(w[0], source, lineNo, 'nleg');
      if (!Number.isInteger(nleg) || nleg < 2) {
        throw new XasInputError(`nleg = ${w[0]}`, {
          file: source,
          line: lineNo,
          field: 'nleg',
          expected: 'an integer ≥ 2',
        });
      }
      out.nleg = nleg;
      out.degeneracy = num(w[1], source, lineNo, 'deg');
      out.reffAngstrom = num(w[2], source, lineNo, 'reff');
      out.rnormanBohr = num(w[3], source, lineNo, 'rnrmav');
      out.edgeEv = num(w[4], source, lineNo, 'edge');
      mode = 'coltitle';
      continue;
    }
    if (mode === 'coltitle') {
      mode = 'atoms';
      continue;
    }
    // atoms
    const w = line.split(/\s+/);
    if (w.length < 5) {
      throw new XasInputError('path atom line has fewer than 5 fields', {
        file: source,
        line: lineNo,
        expected: 'x y z ipot Z [label]',
      });
    }
    out.atoms.push({
      x: num(w[0], source, lineNo, 'x'),
      y: num(w[1], source, lineNo, 'y'),
      z: num(w[2], source, lineNo, 'z'),
      ipot: num(w[3], source, lineNo, 'ipot'),
      atomicNumber: num(w[4], source, lineNo, 'Z'),
      label: w[5] ?? '',
    });
  }
  if (mode !== 'arrays') {
    throw new XasInputError('no data block found', {
      file: source,
      expected: "a '-----' line, the path description and a 'k real[2*phc] … real[p]@#' column header",
    });
  }
  if (out.atoms.length !== out.nleg) {
    throw new XasInputError(`${out.atoms.length} path atoms listed for nleg = ${out.nleg}`, {
      file: source,
      expected: 'one atom line per leg (the absorber and each scatterer)',
    });
  }
  if (!(out.reffAngstrom! > 0.05)) {
    throw new XasInputError(`reff = ${out.reffAngstrom} Å`, {
      file: source,
      field: 'reff',
      expected: 'reff > 0.05 Å',
    });
  }
  if (rows.length < 4) {
    throw new XasInputError(`${rows.length} data rows`, {
      file: source,
      line: arraysLine,
      expected: 'at least 4 rows',
    });
  }
  const col = (c: number) => Float64Array.from(rows, (r) => r[c]);
  const k = col(0);
  for (let i = 1; i < k.length; i++) {
    if (!(k[i] > k[i - 1])) {
      throw new XasInputError(`k = ${k[i]} does not increase from ${k[i - 1]}`, {
        file: source,
        line: rowLines[i],
        field: 'k',
        expected: 'strictly increasing k',
      });
    }
  }
  const lambda = col(5);
  for (let i = 0; i < lambda.length; i++) {
    if (!(lambda[i] > 0)) {
      throw new XasInputError(`lambda = ${lambda[i]}`, {
        file: source,
        line: rowLines[i],
        field: 'lambda',
        expected: 'a positive mean free path',
      });
    }
  }
  return {
    ...(out as FeffPathData),
    k,
    realPhc: col(1),
    magFeff: col(2),
    phaseFeff: col(3),
    redFactor: col(4),
    lambdaAngstrom: lambda,
    realP: col(6),
  };
}
