/**
 * The FEFF reference calculation behind a kernel set (design note §3.2): a bulk cluster around the
 * absorber with FEFF's defaults for EXAFS — non-self-consistent overlapped muffin-tin potentials
 * (AFOLP 1.15), Hedin–Lundqvist exchange (EXCHANGE 0), screened core hole — run through
 * feff8l_rdinp, _pot and _xsph once; every kernel path is then computed from its phase.pad.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { atomicNumber, atomicSymbol } from '../../core/edges.js';
import { XasInputError, XasNumericalError } from '../../core/errors.js';
import { buildLattice, type LatticeStructure, nearestNeighbourDistance } from '../../structure/lattice.js';
import { type FeffAtom, type FeffInput, formatFeffInp, parseFeffInp } from '../feff/inp.js';
import { type FeffRunOptions, runFeffModule } from '../feff/runner.js';

export type ReferenceSpec =
  | {
      kind: 'lattice';
      element: string;
      structure: LatticeStructure;
      aAngstrom: number;
      cOverA?: number;
      radiusAngstrom: number;
    }
  | { kind: 'feff-inp'; path: string };

/** Cards for EXAFS kernels: all modules, per-path output, no path filtering. */
export const KERNEL_FEFF_CARDS: ReadonlyArray<[string, string[]]> = [
  ['EDGE', ['K']],
  ['S02', ['1.0']],
  ['CONTROL', ['1', '1', '1', '1', '1', '1']],
  ['PRINT', ['1', '0', '0', '0', '0', '3']],
  ['EXCHANGE', ['0']],
  ['CRITERIA', ['0', '0']],
];

/** A spherical cluster of a perfect lattice around one atom, absorber first, sorted by distance. */
export function latticeCluster(spec: Extract<ReferenceSpec, { kind: 'lattice' }>): FeffAtom[] {
  const { structure, aAngstrom, radiusAngstrom, element } = spec;
  if (!(radiusAngstrom > 0))
    throw new XasInputError(`cluster radius ${radiusAngstrom}`, { expected: 'a positive radius in Å' });
  const n = Math.ceil((2 * radiusAngstrom) / aAngstrom) + 2;
  const atoms = buildLattice({ structure, aAngstrom, cOverA: spec.cOverA, cells: [n, n, n], element });
  const [lx, ly, lz] = atoms.boxAngstrom;
  const p = atoms.positions;
  let centre = 0;
  let best = Infinity;
  for (let i = 0; i < atoms.species.length; i++) {
    const d = Math.hypot(p[3 * i] - lx / 2, p[3 * i + 1] - ly / 2, p[3 * i + 2] - lz / 2);
    if (d < best) {
      best = d;
      centre = i;
    }
  }
  const out: (FeffAtom & { d: number })[] = [];
  for (let i = 0; i < atoms.species.length; i++) {
    const x = p[3 * i] - p[3 * centre];
    const y = p[3 * i + 1] - p[3 * centre + 1];
    const z = p[3 * i + 2] - p[3 * centre + 2];
    const d = Math.hypot(x, y, z);
    if (d <= radiusAngstrom + 1e-6) out.push({ x, y, z, ipot: i === centre ? 0 : 1, tag: element, d });
  }
  out.sort((a, b) => a.d - b.d);
  return out.map(({ d: _d, ...a }) => a);
}

export interface ReferenceSetup {
  input: FeffInput;
  absorber: string;
  /** Scatterer element → the ipot used for it in kernel paths. */
  scattererIpot: Map<string, number>;
  /** Distance from the absorber to its nearest and second-nearest shells (Å). */
  shells: number[];
}

export function referenceInput(spec: ReferenceSpec): ReferenceSetup {
  let input: FeffInput;
  if (spec.kind === 'lattice') {
    const z = atomicNumber(spec.element);
    input = {
      titles: [
        `xasflow kernel reference: ${spec.structure} ${spec.element} a=${spec.aAngstrom} R=${spec.radiusAngstrom}`,
      ],
      cards: new Map(),
      potentials: [
        { ipot: 0, z, tag: spec.element },
        { ipot: 1, z, tag: spec.element },
      ],
      atoms: latticeCluster(spec),
    };
  } else {
    input = parseFeffInp(readFileSync(spec.path, 'utf8'), spec.path);
    if (input.atoms.length === 0 || input.potentials.length < 2) {
      throw new XasInputError('reference feff.inp needs POTENTIALS (absorber and scatterers) and ATOMS', {
        file: spec.path,
      });
    }
  }
  for (const [k, v] of KERNEL_FEFF_CARDS) input.cards.set(k, v);
  input.cards.delete('RMAX');
  input.cards.set('NLEG', ['4']);
  const abs = input.potentials.find((p) => p.ipot === 0);
  if (!abs) throw new XasInputError('no absorber potential (ipot 0)', { field: 'POTENTIALS' });
  const scattererIpot = new Map<string, number>();
  for (const p of input.potentials) {
    if (p.ipot === 0) continue;
    const el = atomicSymbol(p.z);
    if (!scattererIpot.has(el)) scattererIpot.set(el, p.ipot);
  }
  const a0 = input.atoms.find((a) => a.ipot === 0)!;
  const dists = [
    ...new Set(
      input.atoms
        .filter((a) => a !== a0)
        .map((a) => Math.round(Math.hypot(a.x - a0.x, a.y - a0.y, a.z - a0.z) * 1e4) / 1e4),
    ),
  ].sort((x, y) => x - y);
  if (spec.kind === 'lattice') {
    const nn = nearestNeighbourDistance(spec.structure, spec.aAngstrom, spec.cOverA);
    if (Math.abs(dists[0] - nn) > 1e-3)
      throw new XasNumericalError(`cluster nearest neighbour ${dists[0]} ≠ ${nn}`);
  }
  return { input, absorber: atomicSymbol(abs.z), scattererIpot, shells: dists.slice(0, 2) };
}

/** Runs rdinp, pot and xsph in `dir` unless a finished run with the same input is there. */
export function runReference(dir: string, setup: ReferenceSetup, feff: FeffRunOptions): void {
  mkdirSync(dir, { recursive: true });
  const text = formatFeffInp(setup.input);
  const done = join(dir, 'reference.done');
  if (existsSync(done) && readFileSync(done, 'utf8') === text && existsSync(join(dir, 'phase.pad'))) return;
  writeFileAtomic(join(dir, 'feff.inp'), text);
  for (const m of ['rdinp', 'pot', 'xsph'] as const) runFeffModule(m, dir, feff);
  if (!existsSync(join(dir, 'phase.pad'))) {
    throw new XasNumericalError(`feff8l_xsph in ${dir} finished without writing phase.pad`);
  }
  writeFileAtomic(done, text);
}
