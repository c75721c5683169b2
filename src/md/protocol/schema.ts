/**
 * The MD protocol file (JSON): potential, engine, thermostat/barostat settings and the state points
 * to sample (crystals at T and lattice parameter a; liquids melted, quenched and equilibrated at T).
 * Validated with zod; every error names the file and the field path. The format is documented in
 * docs/md.md.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { XasInputError } from '../../core/errors.js';
import { INSTALLED_NAMES, INSTALLED_POTENTIALS, resolvePotentialFile } from '../potential/installed.js';

const positive = z.number().positive();

/** A list of values, or an inclusive range {from, to, step}. */
const valueList = z.union([
  z.array(z.number()).min(1),
  z.number(),
  z.strictObject({ from: z.number(), to: z.number(), step: positive }),
]);

/** `installed` records the well-known name a table came from (set when the protocol used one). */
const installedLabel = z.enum(INSTALLED_NAMES as [string, ...string[]]).optional();
const potentialByStyle = z.discriminatedUnion('style', [
  z.strictObject({ style: z.literal('eam'), file: z.string().min(1), installed: installedLabel }),
  z.strictObject({ style: z.literal('eam/alloy'), file: z.string().min(1), installed: installedLabel }),
  z.strictObject({ style: z.literal('kim'), model: z.string().min(1), massAmu: positive.optional() }),
]);

/**
 * A potential is given by style and file (or KIM model), or by a well-known name,
 * `{"installed": "Mishin1999-Ni"}`, which expands to that table's style and file name (found at run
 * time where its package installed it; see potential/installed.ts).
 */
const potential = z.preprocess((v, ctx) => {
  if (v === null || typeof v !== 'object' || !('installed' in v) || 'style' in v) return v;
  const { installed, ...rest } = v as { installed: unknown };
  const known = typeof installed === 'string' ? INSTALLED_POTENTIALS[installed] : undefined;
  if (!known || Object.keys(rest).length > 0) {
    ctx.addIssue({
      code: 'custom',
      input: v,
      message: known
        ? `give either {"installed": name} alone or {style, file}, not both (extra: ${Object.keys(rest).join(', ')})`
        : `unknown installed potential ${JSON.stringify(installed)}; known: ${INSTALLED_NAMES.join(', ')}`,
    });
    return z.NEVER;
  }
  return { style: known.style, file: known.file, installed };
}, potentialByStyle);

const thermostat = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('nose-hoover'),
    tauPs: positive.default(0.1),
    chain: z.number().int().min(1).max(10).default(3),
  }),
  z.strictObject({ kind: z.literal('langevin'), dampingPs: positive.default(0.5) }),
]);

const barostat = z.strictObject({
  pressureBar: z.number().default(0),
  tauPs: positive.default(1),
  bulkModulusBar: positive.default(1.8e6),
  coupling: z.enum(['iso', 'aniso']).default('iso'),
});

const sampling = {
  /** NVT equilibration at the production volume before sampling (ps). */
  equilibrationPs: z.number().min(0).default(5),
  productionPs: positive,
  snapshotEveryPs: positive,
  timestepPs: positive.max(0.01).optional(),
};

const crystal = z.strictObject({
  phase: z.literal('crystal'),
  structure: z.enum(['fcc', 'hcp', 'bcc', 'diamond']),
  cells: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
  temperaturesK: valueList,
  /** Starting (or fixed) lattice parameter in Å; hcp: in-plane a. */
  aAngstrom: positive,
  cOverA: positive.optional(),
  /** 'npt': Berendsen NPT first, then a(T) = ⟨box⟩; 'fixed': use aAngstrom as it is. */
  lattice: z.enum(['npt', 'fixed']).default('npt'),
  nptPs: z.number().min(0).default(10),
  /** Lattice-parameter offsets (Å) added to a(T): a list, or {steps, stepAngstrom} for −steps…+steps. */
  latticeOffsetsAngstrom: z
    .union([
      z.array(z.number()).min(1),
      z.strictObject({ steps: z.number().int().min(0), stepAngstrom: positive }),
    ])
    .default([0]),
  ...sampling,
});

const liquid = z.strictObject({
  phase: z.literal('liquid'),
  startStructure: z.enum(['fcc', 'hcp', 'bcc', 'diamond']).default('fcc'),
  cells: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
  aAngstrom: positive,
  temperaturesK: valueList,
  meltTemperatureK: positive.default(3000),
  meltPs: positive.default(15),
  /** Linear temperature ramp from the melt to the target (ps). */
  quenchPs: z.number().min(0).default(5),
  nptPs: z.number().min(0).default(20),
  ...sampling,
});

const classify = z.strictObject({
  /** What to do with a frame whose structure is not the intended phase. */
  onMismatch: z.enum(['drop', 'relabel', 'keep']).default('drop'),
  /** Crystal frames: least fraction of atoms with the intended a-CNA label. */
  minCrystalFraction: z.number().min(0).max(1).default(0.3),
  /** Liquid frames: largest fraction of fcc/hcp/bcc/diamond atoms. */
  maxLiquidCrystalFraction: z.number().min(0).max(1).default(0.25),
  /** Stop a state point after this many consecutive mismatched frames (it has transformed). */
  stopAfterMismatches: z.number().int().min(1).default(3),
});

export const protocolSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .regex(/^[\w.-]+$/, 'letters, digits, _ . - only'),
  engine: z.enum(['embedded', 'lammps']).default('embedded'),
  potential,
  element: z.string().min(1).max(3),
  outDir: z.string().min(1),
  seed: z.number().int(),
  timestepPs: positive.max(0.01).default(0.002),
  skinAngstrom: positive.default(1.0),
  thermostat: thermostat.default({ kind: 'nose-hoover', tauPs: 0.1, chain: 3 }),
  barostat: barostat.default({ pressureBar: 0, tauPs: 1, bulkModulusBar: 1.8e6, coupling: 'iso' }),
  formats: z
    .array(z.enum(['xyz', 'dump']))
    .min(1)
    .default(['xyz']),
  workers: z.number().int().min(1).max(64).default(1),
  classify: classify.default({
    onMismatch: 'drop',
    minCrystalFraction: 0.3,
    maxLiquidCrystalFraction: 0.25,
    stopAfterMismatches: 3,
  }),
  states: z.array(z.discriminatedUnion('phase', [crystal, liquid])).min(1),
});

export type Protocol = z.infer<typeof protocolSchema>;
export type CrystalSpec = z.infer<typeof crystal>;
export type LiquidSpec = z.infer<typeof liquid>;
export type StateSpec = CrystalSpec | LiquidSpec;
export type ThermostatSpec = z.infer<typeof thermostat>;
export type BarostatSpec = z.infer<typeof barostat>;
export type ClassifySpec = z.infer<typeof classify>;

/** Expands a value list or range into numbers (range end included when it falls on the grid). */
export function expandValues(v: z.infer<typeof valueList>): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v;
  const out: number[] = [];
  const n = Math.floor((v.to - v.from) / v.step + 1e-9);
  for (let k = 0; k <= n; k++) out.push(Number((v.from + k * v.step).toFixed(10)));
  return out;
}

/** Validates a parsed protocol object; `source` names the file in errors. */
export function parseProtocol(value: unknown, source = 'protocol'): Protocol {
  const r = protocolSchema.safeParse(value);
  if (r.success && r.data.engine === 'embedded' && r.data.potential.style === 'kim') {
    throw new XasInputError("potential style 'kim' runs only in LAMMPS", {
      file: source,
      field: 'engine',
      expected: "engine 'lammps', or an eam / eam/alloy table for the embedded engine",
    });
  }
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problem(s))` : '';
    throw new XasInputError(`${issue.message}${more}`, { file: source, field: path || '(root)' });
  }
  return r.data;
}

/**
 * Returns the protocol with its potential file resolved (potential/installed.ts: the protocol's
 * folder, the working directory, the xasflow package, then the LAMMPS potential folders for a bare
 * name). Throws XasInputError naming every place looked at, and the package, when it is missing.
 */
export function resolveProtocolPotential(
  p: Protocol,
  protocolDir = process.cwd(),
  source?: string,
): Protocol {
  if (p.potential.style === 'kim') return p;
  try {
    return { ...p, potential: { ...p.potential, file: resolvePotentialFile(p.potential.file, protocolDir) } };
  } catch (err) {
    if (err instanceof XasInputError && source) throw new XasInputError(err.message, { file: source });
    throw err;
  }
}

/**
 * Reads and validates a protocol file. outDir resolves against the protocol's folder; the potential
 * file as in resolveProtocolPotential. `potential` replaces the file's potential (command line).
 */
export function readProtocol(path: string, override: { potential?: unknown } = {}): Protocol {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new XasInputError(`cannot read protocol: ${(err as Error).message}`, {
      file: path,
      expected: 'a JSON file',
    });
  }
  if (override.potential !== undefined && value !== null && typeof value === 'object') {
    value = { ...value, potential: override.potential };
  }
  const p = parseProtocol(value, path);
  const base = dirname(resolve(path));
  p.outDir = isAbsolute(p.outDir) ? p.outDir : resolve(base, p.outDir);
  return resolveProtocolPotential(p, base, path);
}
