/**
 * Scattering-path geometries of the GNXAS-style n-body expansion up to four legs (Filipponi,
 * Di Cicco & Natoli, PRB 52, 15122 (1995)): two-body paths of a pair (single scattering 0→j→0 and
 * the double return 0→j→0→j→0) and the four path types of a triangle (absorber 0, atoms j and l):
 * D  0→j→l→0 (weight 2, its time reverse is equal),   T1 0→j→0→l→0 (weight 2),
 * T2 0→j→l→j→0 (weight 1),                             T3 0→l→j→l→0 (weight 1).
 * A triangle is parametrised by role: 'V' (absorber at the vertex: r1 = d0j, r2 = d0l, φ at 0) or
 * 'E' (absorber at the end of the chain 0–j–l: r1 = d0j, r2 = djl, φ at j).
 */
export type PairPathType = 'SS' | 'DR';
export type TrianglePathType = 'D' | 'T1' | 'T2' | 'T3';
export type TriangleRole = 'V' | 'E';

export const PAIR_PATH_TYPES: readonly PairPathType[] = ['SS', 'DR'];
export const TRIANGLE_PATH_TYPES: readonly TrianglePathType[] = ['D', 'T1', 'T2', 'T3'];
/** Number of equal-χ paths (a path and its time reverse) each triangle path type stands for. */
export const TRIANGLE_PATH_WEIGHT: Readonly<Record<TrianglePathType, number>> = { D: 2, T1: 2, T2: 1, T3: 1 };

export interface TriangleSides {
  /** Absorber–j distance (Å). */
  d0j: number;
  /** Absorber–l distance (Å). */
  d0l: number;
  /** j–l distance (Å). */
  djl: number;
}

const DEG = Math.PI / 180;

/** Side lengths of a triangle given in its role parametrisation (φ in degrees). */
export function triangleSides(role: TriangleRole, r1: number, r2: number, phiDeg: number): TriangleSides {
  const c = Math.cos(phiDeg * DEG);
  const third = Math.sqrt(Math.max(0, r1 * r1 + r2 * r2 - 2 * r1 * r2 * c));
  return role === 'V' ? { d0j: r1, d0l: r2, djl: third } : { d0j: r1, d0l: third, djl: r2 };
}

/** Half path length of a triangle path type. */
export function trianglePathReff(type: TrianglePathType, s: TriangleSides): number {
  switch (type) {
    case 'D':
      return 0.5 * (s.d0j + s.djl + s.d0l);
    case 'T1':
      return s.d0j + s.d0l;
    case 'T2':
      return s.d0j + s.djl;
    case 'T3':
      return s.d0l + s.djl;
  }
}

export interface PathPoint {
  x: number;
  y: number;
  z: number;
  /** 0 for the absorber (also when it is an intermediate scatterer), otherwise the scatterer's potential. */
  ipot: number;
}

/** Cartesian positions (absorber at the origin) of j and l for a triangle in role parametrisation. */
export function triangleCoordinates(
  role: TriangleRole,
  r1: number,
  r2: number,
  phiDeg: number,
): { j: [number, number, number]; l: [number, number, number] } {
  const c = Math.cos(phiDeg * DEG);
  const s = Math.sin(phiDeg * DEG);
  const j: [number, number, number] = [r1, 0, 0];
  // V: l at angle φ from j seen from the absorber; E: l at angle φ from the absorber seen from j.
  const l: [number, number, number] = role === 'V' ? [r2 * c, r2 * s, 0] : [r1 - r2 * c, r2 * s, 0];
  return { j, l };
}

/** Scatterers of a path in order (the final return to the absorber is implicit). */
export function trianglePathPoints(
  role: TriangleRole,
  type: TrianglePathType,
  r1: number,
  r2: number,
  phiDeg: number,
  ipotJ: number,
  ipotL: number,
): PathPoint[] {
  const { j, l } = triangleCoordinates(role, r1, r2, phiDeg);
  const J = { x: j[0], y: j[1], z: j[2], ipot: ipotJ };
  const L = { x: l[0], y: l[1], z: l[2], ipot: ipotL };
  const O = { x: 0, y: 0, z: 0, ipot: 0 };
  switch (type) {
    case 'D':
      return [J, L];
    case 'T1':
      return [J, O, L];
    case 'T2':
      return [J, L, J];
    case 'T3':
      return [L, J, L];
  }
}

export function pairPathPoints(type: PairPathType, r: number, ipotJ: number): PathPoint[] {
  const J = { x: 0, y: 0, z: r, ipot: ipotJ };
  return type === 'SS' ? [J] : [J, { x: 0, y: 0, z: 0, ipot: 0 }, J];
}

export function pairPathReff(type: PairPathType, r: number): number {
  return type === 'SS' ? r : 2 * r;
}
