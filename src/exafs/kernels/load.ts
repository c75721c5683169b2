/**
 * Kernel sets on disk: the shipped tables live in <package>/kernels/<element>-<edge>.xkt (Ni K and
 * Cu K; see kernels/README.md for how they were made). Loading decodes the file and refines the
 * triangle tables along φ (./refine.ts). Sets are cached per path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XasInputError } from '../../core/errors.js';
import { decodeKernelSet } from './format.js';
import { refineTriangleTablePhi } from './refine.js';
import type { KernelSet } from './table.js';

/** Directory of the shipped tables (works from src/ under tsx and from dist/). */
export function shippedKernelDir(): string {
  return fileURLToPath(new URL('../../../kernels/', import.meta.url));
}

export function shippedKernelPath(element: string, edge = 'K'): string {
  return `${shippedKernelDir()}${element.toLowerCase()}-${edge.toLowerCase()}.xkt`;
}

const cache = new Map<string, KernelSet>();

/** Reads a kernel-table file; `refine` (default true) halves the φ step as described above. */
export function readKernelSet(path: string, refine = true): KernelSet {
  let bytes: Buffer;
  let key: string;
  try {
    const st = statSync(path);
    key = `${path}|${refine}|${st.mtimeMs}|${st.size}`;
    const hit = cache.get(key);
    if (hit) return hit;
    bytes = readFileSync(path);
  } catch (err) {
    throw new XasInputError(`cannot read kernel tables: ${(err as Error).message}`, { file: path });
  }
  const set = decodeKernelSet(bytes, path);
  if (refine) set.triangles = set.triangles.map((t) => refineTriangleTablePhi(t, set.kNodes.length));
  cache.set(key, set);
  return set;
}

/** The shipped kernel set for an absorber element and edge; a clear error names what exists. */
export function loadShippedKernels(element: string, edge = 'K'): KernelSet {
  const path = shippedKernelPath(element, edge);
  if (!existsSync(path)) {
    const dir = shippedKernelDir();
    const have = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.xkt')) : [];
    throw new XasInputError(`no shipped EXAFS kernel tables for ${element} ${edge}`, {
      file: path,
      expected: `one of ${have.join(', ') || '(none)'}, or tables made with 'xasflow exafs kernels' passed via --kernels`,
    });
  }
  return readKernelSet(path);
}
