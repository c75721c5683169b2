/**
 * Synthetic but physical training data for the learning tests: single-scattering EXAFS of the
 * first Cu–Cu shell, k²χ(k) = k²·N·S0²·|f(k)|/(kR²)·sin(2kR + Φ(k))·e^(−2σ²k²)·e^(−2R/λ(k)), with the
 * amplitude, phase and mean free path of FEFF's path file for Cu metal
 * (data/xafs/feff/larch_Cu/feff0001.dat, N = 12, S0² = 0.9), on k = 2…14 Å⁻¹ (241 points), plus
 * Gaussian noise. The network learns k²χ(k) → (R, σ²).
 */
import { readFileSync } from 'node:fs';
import { Rng } from '../../src/core/rng.js';

interface FeffPath {
  k: number[];
  phc: number[];
  mag: number[];
  phase: number[];
  red: number[];
  lambda: number[];
}

function readFeffPath(path: string): FeffPath {
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/).map(Number));
  const col = (i: number) => rows.map((r) => r[i]);
  return { k: col(0), phc: col(1), mag: col(2), phase: col(3), red: col(4), lambda: col(5) };
}

function interp(xs: number[], ys: number[], x: number): number {
  let i = 1;
  while (i < xs.length - 1 && xs[i] < x) i++;
  const t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
  return ys[i - 1] + t * (ys[i] - ys[i - 1]);
}

export const K_GRID = Array.from({ length: 241 }, (_, i) => 2 + 0.05 * i);
const feff = readFeffPath('data/xafs/feff/larch_Cu/feff0001.dat');
const AMP = K_GRID.map((k) => interp(feff.k, feff.mag, k) * interp(feff.k, feff.red, k));
const PHASE = K_GRID.map((k) => interp(feff.k, feff.phc, k) + interp(feff.k, feff.phase, k));
const LAMBDA = K_GRID.map((k) => interp(feff.k, feff.lambda, k));

/** n spectra with R and σ² uniform in the given ranges; y = [R, σ²] per sample. */
export function shellSpectra(
  n: number,
  seed: number,
  rRange: [number, number],
  s2Range: [number, number],
  noise = 0.02,
): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(seed);
  const m = K_GRID.length;
  const x = new Float32Array(n * m);
  const y = new Float32Array(n * 2);
  for (let j = 0; j < n; j++) {
    const r = rng.range(rRange[0], rRange[1]);
    const s2 = rng.range(s2Range[0], s2Range[1]);
    for (let i = 0; i < m; i++) {
      const k = K_GRID[i];
      const chi =
        ((12 * 0.9 * AMP[i]) / (k * r * r)) *
        Math.sin(2 * k * r + PHASE[i]) *
        Math.exp(-2 * s2 * k * k) *
        Math.exp((-2 * r) / LAMBDA[i]);
      x[j * m + i] = k * k * chi + noise * rng.normal();
    }
    y[2 * j] = r;
    y[2 * j + 1] = s2;
  }
  return { x, y };
}
