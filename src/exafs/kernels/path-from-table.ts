/**
 * A single-scattering FEFF path built from a kernel pair table, for fits without a feffNNNN.dat:
 * at distance r the table's reduced amplitude F(k) gives back Larch's amplitude |F| and phase
 * arg F + 2r(Re p − k) (unwrapped along k), with the set's Re p and λ — the same columns a FEFF
 * run of that pair would print (to the table's interpolation accuracy).
 */
import { XasInputError } from '../../core/errors.js';
import type { FeffPathData } from '../feff/dat.js';
import { interpolateAmplitude, newNodeWeights, pairWeights } from './interp.js';
import { axisEnd, findPairTable, type KernelSet } from './table.js';

export function pathFromKernels(
  set: KernelSet,
  scatterer: string,
  rAngstrom: number,
  degeneracy = 1,
): FeffPathData {
  const t = findPairTable(set, scatterer);
  if (!t)
    throw new XasInputError(`no kernel table for the pair ${set.absorber}–${scatterer}`, {
      file: set.source,
    });
  const w = newNodeWeights();
  if (!pairWeights(t, rAngstrom, w)) {
    throw new XasInputError(`distance ${rAngstrom} Å is outside the kernel table`, {
      file: set.source,
      expected: `${t.r.start}–${axisEnd(t.r)} Å`,
    });
  }
  const nk = set.kNodes.length;
  const f = interpolateAmplitude(t.amplitudes[0], w, nk, new Float64Array(2 * nk));
  const mag = new Float64Array(nk);
  const phase = new Float64Array(nk);
  let prev = 0;
  for (let n = 0; n < nk; n++) {
    mag[n] = Math.hypot(f[2 * n], f[2 * n + 1]);
    let ph = Math.atan2(f[2 * n + 1], f[2 * n]) + 2 * rAngstrom * (set.realP[n] - set.kNodes[n]);
    if (n > 0) ph += 2 * Math.PI * Math.round((prev - ph) / (2 * Math.PI));
    phase[n] = ph;
    prev = ph;
  }
  return {
    source: `${set.source} (${set.absorber}–${scatterer} single scattering at ${rAngstrom} Å)`,
    title: `kernel path ${set.absorber}-${scatterer}`,
    version: 'xasflow kernels',
    potentials: [],
    nleg: 2,
    degeneracy,
    reffAngstrom: rAngstrom,
    rnormanBohr: 0,
    edgeEv: 0,
    atoms: [
      { x: 0, y: 0, z: 0, ipot: 0, atomicNumber: 0, label: set.absorber },
      { x: 0, y: 0, z: rAngstrom, ipot: 1, atomicNumber: 0, label: scatterer },
    ],
    k: Float64Array.from(set.kNodes),
    realPhc: new Float64Array(nk),
    magFeff: mag,
    phaseFeff: phase,
    redFactor: new Float64Array(nk).fill(1),
    lambdaAngstrom: Float64Array.from(set.lambda),
    realP: Float64Array.from(set.realP),
  };
}
