/**
 * Expansion of a protocol into jobs and state points. A crystal job is (structure, T): one NPT
 * equilibration, then one state point per lattice-parameter offset; a liquid job is one temperature:
 * melt, quench, NPT, then one state point. Ids are stable (they name folders and seed the random
 * streams), so reruns and parallel scheduling give the same results.
 */
import { XasInputError } from '../../core/errors.js';
import { type CrystalSpec, expandValues, type LiquidSpec, type Protocol } from './schema.js';

export interface CrystalJob {
  kind: 'crystal';
  id: string;
  spec: CrystalSpec;
  temperatureK: number;
  offsetsAngstrom: number[];
  stateIds: string[];
  seed: number;
}

export interface LiquidJob {
  kind: 'liquid';
  id: string;
  spec: LiquidSpec;
  temperatureK: number;
  stateIds: string[];
  seed: number;
}

export type Job = CrystalJob | LiquidJob;

/** 31-bit FNV-1a hash of a string: the per-job / per-state seed from the protocol seed. */
export function deriveSeed(seed: number, key: string): number {
  let h = 0x811c9dc5;
  const s = `${seed}:${key}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) % 2147483646 || 1;
}

function tLabel(t: number): string {
  const whole = Math.round(t);
  return Math.abs(t - whole) < 1e-9 ? String(whole).padStart(4, '0') : t.toFixed(2).padStart(7, '0');
}

export function offsetLabel(d: number): string {
  return `${d < 0 ? '-' : '+'}${Math.abs(d).toFixed(3)}`;
}

export function expandOffsets(spec: CrystalSpec): number[] {
  const o = spec.latticeOffsetsAngstrom;
  if (Array.isArray(o)) return o;
  const out: number[] = [];
  for (let k = -o.steps; k <= o.steps; k++) out.push(Number((k * o.stepAngstrom).toFixed(10)));
  return out;
}

export function expandJobs(p: Protocol): Job[] {
  const jobs: Job[] = [];
  const seen = new Set<string>();
  p.states.forEach((spec, si) => {
    for (const t of expandValues(spec.temperaturesK)) {
      if (!(t > 0)) {
        throw new XasInputError(`temperature ${t} K`, {
          field: `states[${si}].temperaturesK`,
          expected: 'positive kelvin',
        });
      }
      let id = spec.phase === 'crystal' ? `${spec.structure}-T${tLabel(t)}K` : `liquid-T${tLabel(t)}K`;
      if (seen.has(id)) id = `${id}-s${si}`;
      if (seen.has(id)) throw new XasInputError(`state ${id} appears twice`, { field: `states[${si}]` });
      seen.add(id);
      if (spec.phase === 'crystal') {
        const offsets = expandOffsets(spec);
        jobs.push({
          kind: 'crystal',
          id,
          spec,
          temperatureK: t,
          offsetsAngstrom: offsets,
          stateIds: offsets.map((d) => `${id}-da${offsetLabel(d)}`),
          seed: deriveSeed(p.seed, id),
        });
      } else {
        jobs.push({
          kind: 'liquid',
          id,
          spec,
          temperatureK: t,
          stateIds: [id],
          seed: deriveSeed(p.seed, id),
        });
      }
    }
  });
  return jobs;
}

/** Steps of a duration at a timestep (at least 0). */
export function stepsFor(ps: number, dtPs: number): number {
  return Math.max(0, Math.round(ps / dtPs));
}
