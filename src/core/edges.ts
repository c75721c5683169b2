/**
 * Element and absorption-edge lookups: symbol <-> Z, edge energies, fluorescence yields,
 * jump ratios and core-hole widths, from the published tables in ./edges-data.ts
 * (Elam, Ravel & Sieber 2002; Krause & Oliver 1979; Keski-Rahkonen & Krause 1974).
 * `guessEdge` follows xraydb's guess_edge (used by Larch) rule for rule.
 */
import { EDGE_ROWS, EDGE_TABLE_SOURCE, ELEMENT_SYMBOLS } from './edges-data.js';
import { XasInputError } from './errors.js';

export { EDGE_TABLE_SOURCE };

/** IUPAC edge names in order of decreasing binding energy. */
export const EDGE_NAMES: readonly string[] = [
  'K',
  'L1',
  'L2',
  'L3',
  'M1',
  'M2',
  'M3',
  'M4',
  'M5',
  'N1',
  'N2',
  'N3',
  'N4',
  'N5',
  'N6',
  'N7',
  'O1',
  'O2',
  'O3',
  'O4',
  'O5',
  'P1',
  'P2',
  'P3',
];

export interface EdgeInfo {
  element: string;
  atomicNumber: number;
  edge: string;
  energyEv: number;
  fluorescenceYield: number;
  jumpRatio: number;
  /** Core-hole (level) width in eV; undefined where the tables give none. */
  coreHoleWidthEv?: number;
}

const bySymbolLower = new Map<string, number>();
for (let z = 1; z < ELEMENT_SYMBOLS.length; z++) bySymbolLower.set(ELEMENT_SYMBOLS[z].toLowerCase(), z);

const edgeMap = new Map<string, EdgeInfo>();
const edgesByZ: EdgeInfo[][] = ELEMENT_SYMBOLS.map(() => []);
let maxZWithEdges = 0;
for (const [z, edge, energyEv, fluorescenceYield, jumpRatio, width] of EDGE_ROWS) {
  const info: EdgeInfo = {
    element: ELEMENT_SYMBOLS[z],
    atomicNumber: z,
    edge,
    energyEv,
    fluorescenceYield,
    jumpRatio,
  };
  if (width !== null) info.coreHoleWidthEv = width;
  edgeMap.set(`${z}:${edge}`, info);
  edgesByZ[z].push(info);
  if (z > maxZWithEdges) maxZWithEdges = z;
}

/** Number of elements with a symbol (1..118). */
export const MAX_ATOMIC_NUMBER = ELEMENT_SYMBOLS.length - 1;

/** True when `symbol` is an element symbol (case-insensitive, 'ni' and 'Ni' both count). */
export function isElementSymbol(symbol: string): boolean {
  return bySymbolLower.has(symbol.trim().toLowerCase());
}

/** Atomic number of an element given by symbol (case-insensitive) or by Z. */
export function atomicNumber(element: string | number): number {
  if (typeof element === 'number') {
    if (Number.isInteger(element) && element >= 1 && element <= MAX_ATOMIC_NUMBER) return element;
    throw new XasInputError(`no element with atomic number ${element}`, {
      expected: `an integer 1..${MAX_ATOMIC_NUMBER}`,
    });
  }
  const z = bySymbolLower.get(element.trim().toLowerCase());
  if (z === undefined) {
    throw new XasInputError(`'${element}' is not an element symbol`, { expected: "a symbol such as 'Ni'" });
  }
  return z;
}

/** Element symbol with standard capitalisation ('Ni') for a Z or a symbol in any case. */
export function atomicSymbol(element: string | number): string {
  return ELEMENT_SYMBOLS[atomicNumber(element)];
}

/** Edge name in IUPAC form ('K', 'L3'), or undefined if `edge` is not an edge name. */
export function normalizeEdgeName(edge: string): string | undefined {
  const e = edge.trim().toUpperCase();
  return EDGE_NAMES.includes(e) ? e : undefined;
}

/** All tabulated edges of an element, deepest first. */
export function edgesOf(element: string | number): EdgeInfo[] {
  return edgesByZ[atomicNumber(element)].slice();
}

/** Full table entry for an element and edge; throws XasInputError when the tables have none. */
export function edgeInfo(element: string | number, edge: string): EdgeInfo {
  const z = atomicNumber(element);
  const name = normalizeEdgeName(edge);
  if (name === undefined) {
    throw new XasInputError(`'${edge}' is not an absorption edge name`, {
      expected: `one of ${EDGE_NAMES.join(', ')}`,
    });
  }
  const info = edgeMap.get(`${z}:${name}`);
  if (!info) {
    const have = edgesByZ[z].map((e) => e.edge).join(', ') || 'none';
    throw new XasInputError(`no ${name} edge tabulated for ${ELEMENT_SYMBOLS[z]}`, {
      expected: `one of: ${have}`,
    });
  }
  return info;
}

/** Absorption-edge energy in eV, e.g. edgeEnergy('Ni', 'K') = 8333. */
export function edgeEnergy(element: string | number, edge: string): number {
  return edgeInfo(element, edge).energyEv;
}

/** Core-hole width in eV, or undefined where the tables give none. */
export function coreHoleWidth(element: string | number, edge: string): number | undefined {
  return edgeInfo(element, edge).coreHoleWidthEv;
}

const CACHED_EDGES = new Set(['K', 'L1', 'L2', 'L3', 'M5']);

export interface EdgeGuess {
  element: string;
  edge: string;
}

/**
 * Guess the element and edge from an edge energy in eV, as xraydb's guess_edge does:
 * for each candidate edge take the element whose edge is nearest; the mismatch counts
 * double when the energy lies below the tabulated edge, doubles again for Z < 10 or Z > 92,
 * is quartered for K and doubled for L1 and M5; the first candidate (in the order given)
 * whose score is within 2 of the best wins. Like xraydb the search covers Z = 1..97.
 * (xraydb's built-in cache has Mg L3 = 49.2 eV where its database has 49.21 eV; we use the
 * database value.)
 */
export function guessEdge(
  energyEv: number,
  edges: readonly string[] = ['K', 'L3', 'L2', 'L1', 'M5'],
): EdgeGuess | undefined {
  if (!Number.isFinite(energyEv)) return undefined;
  const scored: { edge: string; z: number; diff: number }[] = [];
  let minDiff = 1e9;
  const zEnd = maxZWithEdges; // xraydb slices its per-edge array to [0, maxz)
  for (const edge of edges) {
    const name = normalizeEdgeName(edge);
    if (name === undefined) continue;
    // nearest tabulated edge, first index on ties; missing entries are -1 eV in xraydb's
    // built-in arrays (K, L1-L3, M5) and -1000 eV in arrays it builds from its database
    const missing = CACHED_EDGES.has(name) ? -1 : -1000;
    let best = 0;
    let bestDist = Math.abs(missing - energyEv);
    for (let z = 1; z < zEnd; z++) {
      const info = edgeMap.get(`${z}:${name}`);
      const dist = Math.abs((info ? info.energyEv : missing) - energyEv);
      if (dist < bestDist) {
        bestDist = dist;
        best = z;
      }
    }
    const info = edgeMap.get(`${best}:${name}`);
    let diff = energyEv - (info ? info.energyEv : missing);
    if (diff < 0) diff = -2 * diff;
    if (best < 10 || best > 92) diff *= 2;
    if (edge === 'K') diff *= 0.25;
    else if (edge === 'L1' || edge === 'M5') diff *= 2;
    if (diff < minDiff) minDiff = diff;
    scored.push({ edge, z: best, diff });
  }
  for (const s of scored) {
    if (Math.abs(s.diff - minDiff) < 2) {
      return s.z >= 1 ? { element: ELEMENT_SYMBOLS[s.z], edge: s.edge } : undefined;
    }
  }
  return undefined;
}
