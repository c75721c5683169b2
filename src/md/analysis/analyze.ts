/**
 * Structure analysis of a set of snapshots (what `xasflow md analyze` prints): g(r) with its first
 * peak, first minimum and coordination number, first-shell ⟨R⟩/σ²/C₃, the nearest-neighbour
 * bond-angle distribution (cutoff stated: the first g(r) minimum unless given) with its peaks, and
 * a-CNA fractions, averaged and per frame. Reads extended XYZ and LAMMPS dump files or folders of them.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { XasInputError } from '../../core/errors.js';
import { type Atoms, numberDensity } from '../../structure/atoms.js';
import { readLammpsDump } from '../../structure/lammps-dump.js';
import { readExtendedXyz } from '../../structure/xyz.js';
import { bondAngleDistribution, findPeaks } from './bad.js';
import { STRUCTURE_LABELS, type StructureFractions, structureFractions } from './cna.js';
import { firstShell, radialDistribution } from './rdf.js';
import { shellStatistics } from './shell.js';

export interface AnalyzeOptions {
  rMaxAngstrom?: number;
  binWidthAngstrom?: number;
  /** First-shell / BAD cutoff (Å); default: the first minimum of the averaged g(r). */
  rCutAngstrom?: number;
  badBinDeg?: number;
  /** Symbol for LAMMPS dump types without an element column (type 1 = first). */
  typeSymbols?: string[];
}

export interface FrameAnalysis {
  file: string;
  frame: number;
  atoms: number;
  densityPerA3: number;
  meanR1Angstrom: number;
  sigma2Angstrom2: number;
  coordination: number;
  badPeaksDeg: number[];
  cna: Partial<StructureFractions>;
}

export interface SnapshotAnalysis {
  files: string[];
  frames: number;
  densityPerA3: number;
  rdf: { rAngstrom: number[]; g: number[]; binWidthAngstrom: number };
  firstShell: { peakAngstrom: number; peakHeight: number; minimumAngstrom: number; coordination: number };
  shell: {
    rCutAngstrom: number;
    meanAngstrom: number;
    meanStdErr: number;
    sigma2Angstrom2: number;
    sigma2StdErr: number;
    c3Angstrom3: number;
    coordination: number;
    coordinationStdErr: number;
  };
  bad: {
    cutoffAngstrom: number;
    binWidthDeg: number;
    thetaDeg: number[];
    density: number[];
    peaksDeg: number[];
    anglesPerAtom: number;
  };
  cna: StructureFractions;
  perFrame: FrameAnalysis[];
}

/** Expands folders into the snapshot files they hold (.xyz/.extxyz, else .dump/.lammpstrj). */
export function expandSnapshotPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      throw new XasInputError('no such file or folder', {
        file: p,
        expected: 'snapshot files (.xyz, .dump) or folders',
      });
    }
    if (st.isDirectory()) {
      const names = readdirSync(p).sort();
      let pick = names.filter((n) => /\.(ext)?xyz$/i.test(n));
      if (pick.length === 0) pick = names.filter((n) => /\.(dump|lammpstrj)$/i.test(n));
      if (pick.length === 0) throw new XasInputError('folder holds no .xyz or .dump snapshots', { file: p });
      out.push(...pick.map((n) => join(p, n)));
    } else out.push(p);
  }
  return out;
}

export function readSnapshots(files: string[], typeSymbols?: string[]): { file: string; atoms: Atoms }[] {
  const frames: { file: string; atoms: Atoms }[] = [];
  for (const f of files) {
    const ext = extname(f).toLowerCase();
    if (ext === '.dump' || ext === '.lammpstrj' || /dump/i.test(f)) {
      for (const d of readLammpsDump(f, { typeSymbols })) frames.push({ file: f, atoms: d.atoms });
    } else for (const a of readExtendedXyz(f)) frames.push({ file: f, atoms: a });
  }
  return frames;
}

export function analyzeSnapshots(paths: string[], opts: AnalyzeOptions = {}): SnapshotAnalysis {
  const files = expandSnapshotPaths(paths);
  const frames = readSnapshots(files, opts.typeSymbols);
  const atomsList = frames.map((f) => f.atoms);
  const rdf = radialDistribution(atomsList, {
    rMaxAngstrom: opts.rMaxAngstrom,
    binWidthAngstrom: opts.binWidthAngstrom,
  });
  const fs = firstShell(rdf, opts.rCutAngstrom);
  const rcut = fs.minimumAngstrom;
  const sh = shellStatistics(atomsList, rcut);
  const bad = bondAngleDistribution(atomsList, { cutoffAngstrom: rcut, binWidthDeg: opts.badBinDeg ?? 1 });
  const cnaMean = Object.fromEntries(STRUCTURE_LABELS.map((l) => [l, 0])) as StructureFractions;
  const perFrame: FrameAnalysis[] = [];
  const counter = new Map<string, number>();
  frames.forEach((fr, k) => {
    const cna = structureFractions(fr.atoms);
    for (const l of STRUCTURE_LABELS) cnaMean[l] += cna[l] / frames.length;
    const b = bondAngleDistribution(fr.atoms, { cutoffAngstrom: rcut, binWidthDeg: 2 });
    const idx = (counter.get(fr.file) ?? 0) + 1;
    counter.set(fr.file, idx);
    const compact: Partial<StructureFractions> = {};
    for (const l of STRUCTURE_LABELS) if (cna[l] > 0) compact[l] = Number(cna[l].toFixed(4));
    perFrame.push({
      file: fr.file,
      frame: idx,
      atoms: fr.atoms.species.length,
      densityPerA3: numberDensity(fr.atoms),
      meanR1Angstrom: sh.perFrame[k].meanAngstrom,
      sigma2Angstrom2: sh.perFrame[k].sigma2Angstrom2,
      coordination: sh.perFrame[k].coordination,
      badPeaksDeg: findPeaks(b.thetaDeg, b.density, 2, 0.2)
        .slice(0, 6)
        .sort((x, y) => x - y),
      cna: compact,
    });
  });
  return {
    files,
    frames: frames.length,
    densityPerA3: rdf.densityPerA3,
    rdf: {
      rAngstrom: Array.from(rdf.rAngstrom),
      g: Array.from(rdf.g),
      binWidthAngstrom: rdf.binWidthAngstrom,
    },
    firstShell: fs,
    shell: {
      rCutAngstrom: rcut,
      meanAngstrom: sh.meanAngstrom,
      meanStdErr: sh.meanStdErr,
      sigma2Angstrom2: sh.sigma2Angstrom2,
      sigma2StdErr: sh.sigma2StdErr,
      c3Angstrom3: sh.c3Angstrom3,
      coordination: sh.coordination,
      coordinationStdErr: sh.coordinationStdErr,
    },
    bad: {
      cutoffAngstrom: rcut,
      binWidthDeg: bad.binWidthDeg,
      thetaDeg: Array.from(bad.thetaDeg),
      density: Array.from(bad.density),
      peaksDeg: findPeaks(bad.thetaDeg, bad.density, 2, 0.1)
        .slice(0, 8)
        .sort((x, y) => x - y),
      anglesPerAtom: bad.anglesPerAtom,
    },
    cna: cnaMean,
    perFrame,
  };
}
