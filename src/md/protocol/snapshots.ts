/**
 * Snapshot output of a state point: classification of each frame against the intended phase
 * (a-CNA fractions), atomic writes of extended XYZ / LAMMPS dump files with the metadata in the
 * header, and the state manifest (state.json) whose presence with every listed file marks the state
 * point as finished (reruns skip it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJson, writeFileAtomic } from '../../core/atomic-write.js';
import { SOFTWARE } from '../../core/spectrum.js';
import type { Atoms } from '../../structure/atoms.js';
import { formatLammpsDump } from '../../structure/lammps-dump.js';
import { formatExtendedXyz } from '../../structure/xyz.js';
import {
  dominantStructure,
  STRUCTURE_LABELS,
  type StructureFractions,
  structureFractions,
} from '../analysis/cna.js';
import type { ClassifySpec, Protocol } from './schema.js';

export type ExpectedPhase = 'fcc' | 'hcp' | 'bcc' | 'diamond' | 'liquid';

export interface FrameClass {
  ok: boolean;
  /** Phase label written with the frame: the intended one, or what was detected. */
  detected: string;
  fractions: StructureFractions;
}

const CRYSTALLINE = ['fcc', 'hcp', 'bcc', 'cubic-diamond', 'hex-diamond'] as const;

export function classifyFrame(atoms: Atoms, expected: ExpectedPhase, spec: ClassifySpec): FrameClass {
  const f = structureFractions(atoms);
  const crystalline = CRYSTALLINE.reduce((s, l) => s + f[l], 0);
  if (expected === 'liquid') {
    const ok = crystalline <= spec.maxLiquidCrystalFraction;
    let best: (typeof CRYSTALLINE)[number] = 'fcc';
    for (const l of CRYSTALLINE) if (f[l] > f[best]) best = l;
    return { ok, detected: ok ? 'liquid' : `crystallized-${best}`, fractions: f };
  }
  const label = expected === 'diamond' ? 'cubic-diamond' : expected;
  let top: (typeof CRYSTALLINE)[number] = label;
  for (const l of CRYSTALLINE) if (f[l] > f[top]) top = l;
  const ok = f[label] >= spec.minCrystalFraction && top === label;
  const detected = ok
    ? expected
    : crystalline < spec.minCrystalFraction
      ? 'disordered'
      : dominantStructure(f);
  return { ok, detected, fractions: f };
}

export interface FrameRecord {
  file: string;
  step: number;
  timePs: number;
  phase: string;
  temperatureK: number;
  fractions: Partial<StructureFractions>;
}

export interface StateManifest {
  software: string;
  protocol: string;
  engine: 'embedded' | 'lammps';
  stateId: string;
  jobId: string;
  phase: 'crystal' | 'liquid';
  structure: string;
  temperatureK: number;
  /** Lattice parameter of the production run (crystals), Å. */
  aAngstrom?: number;
  /** a(T) from the NPT stage before the offset, Å (crystals). */
  aEquilibriumAngstrom?: number;
  offsetAngstrom?: number;
  densityPerA3: number;
  boxAngstrom: [number, number, number];
  atoms: number;
  seed: number;
  timestepPs: number;
  potential: string;
  /** 'complete': every requested frame written; 'transformed': stopped after repeated mismatches. */
  status: 'complete' | 'transformed';
  frames: FrameRecord[];
  dropped: { step: number; detected: string; fractions: Partial<StructureFractions> }[];
  wallSeconds: number;
}

export function statePath(outDir: string, stateId: string): string {
  return join(outDir, stateId);
}

/** True when the state point's manifest exists and every frame it lists is on disk. */
export function isStateComplete(outDir: string, stateId: string): boolean {
  const mf = join(statePath(outDir, stateId), 'state.json');
  if (!existsSync(mf)) return false;
  try {
    const m = JSON.parse(readFileSync(mf, 'utf8')) as StateManifest;
    if (m.status !== 'complete' && m.status !== 'transformed') return false;
    return m.frames.every((f) => existsSync(join(statePath(outDir, stateId), f.file)));
  } catch {
    return false;
  }
}

export function writeManifest(outDir: string, m: StateManifest): void {
  writeFileAtomic(join(statePath(outDir, m.stateId), 'state.json'), `${toJson(m, 1)}\n`);
}

function roundFractions(f: StructureFractions): Partial<StructureFractions> {
  const out: Partial<StructureFractions> = {};
  for (const l of STRUCTURE_LABELS) if (f[l] > 0) out[l] = Number(f[l].toFixed(4));
  return out;
}

export interface SnapshotMeta {
  protocol: Protocol;
  stateId: string;
  temperatureK: number;
  aAngstrom?: number;
  seed: number;
  step: number;
  timePs: number;
  instantaneousK: number;
}

/**
 * Classifies a frame and, unless it is dropped, writes it (atomically) in every requested format.
 * Returns the record for the manifest, or null when the frame was dropped.
 */
export function handleFrame(
  atoms: Atoms,
  expected: ExpectedPhase,
  meta: SnapshotMeta,
  index: number,
  cls: FrameClass,
): FrameRecord | null {
  const p = meta.protocol;
  if (!cls.ok && p.classify.onMismatch === 'drop') return null;
  const phase = cls.ok ? expected : p.classify.onMismatch === 'relabel' ? cls.detected : expected;
  const info: Atoms['info'] = {
    T: meta.temperatureK,
    T_inst: Number(meta.instantaneousK.toFixed(2)),
    ...(meta.aAngstrom !== undefined ? { a: Number(meta.aAngstrom.toFixed(6)) } : {}),
    phase,
    ...(cls.ok ? {} : { detected: cls.detected }),
    seed: meta.seed,
    step: meta.step,
    time_ps: Number(meta.timePs.toFixed(6)),
    state: meta.stateId,
    protocol: p.name,
    engine: p.engine,
    potential: p.potential.style === 'kim' ? p.potential.model : (p.potential.file.split('/').pop() ?? ''),
    software: SOFTWARE,
  };
  for (const l of STRUCTURE_LABELS) info[`cna_${l.replace('-', '_')}`] = Number(cls.fractions[l].toFixed(4));
  const frame: Atoms = { ...atoms, info };
  const base = `${meta.stateId}_${String(index).padStart(4, '0')}`;
  const dir = statePath(p.outDir, meta.stateId);
  let file = '';
  for (const fmt of p.formats) {
    const name = `${base}.${fmt === 'xyz' ? 'xyz' : 'dump'}`;
    writeFileAtomic(
      join(dir, name),
      fmt === 'xyz' ? formatExtendedXyz(frame) : formatLammpsDump(frame, meta.step),
    );
    if (!file) file = name;
  }
  return {
    file,
    step: meta.step,
    timePs: meta.timePs,
    phase,
    temperatureK: meta.instantaneousK,
    fractions: roundFractions(cls.fractions),
  };
}

export { roundFractions };
