/**
 * Amount of the absorbing element from the edge jump. In transmission the edge step of μ(E)·d =
 * ln(I0/I) is Δμd = ρ_A·Δ(μ/ρ), with ρ_A the areal mass density of the element (g/cm²) and Δ(μ/ρ) the
 * jump of its mass photoabsorption coefficient across the edge (tabulated, edge-jump-data.ts). Hence
 * ρ_A = Δμd/Δ(μ/ρ), moles per cm² = ρ_A/M, atoms per cm² = moles·N_A, and with a beam (or pixel) area
 * the mass in the beam. Fluorescence edge steps are in detector units: they need a calibration
 * factor (edge step per g/cm², from a standard of known loading) to become an amount.
 */
import { XasInputError } from '../core/errors.js';
import { EDGE_JUMP_ROWS, EDGE_JUMP_SOURCE } from './edge-jump-data.js';

export { EDGE_JUMP_SOURCE };

export const AVOGADRO = 6.02214076e23;

export interface EdgeJumpData {
  element: string;
  edge: string;
  z: number;
  edgeEnergyEv: number;
  /** μ/ρ just below and above the edge (cm²/g) and their difference. */
  muRhoBelow: number;
  muRhoAbove: number;
  jumpCm2PerG: number;
  /** Jump ratio (μ/ρ above)/(μ/ρ below). */
  jumpRatio: number;
  atomicMass: number;
}

export function edgeJumpData(element: string, edge: string): EdgeJumpData {
  const el = element.trim();
  const ed = edge.trim().toUpperCase();
  const row = EDGE_JUMP_ROWS.find((r) => r[1].toLowerCase() === el.toLowerCase() && r[2] === ed);
  if (!row) {
    throw new XasInputError(`no tabulated edge jump for ${element} ${edge}`, {
      field: 'element/edge',
      expected: 'a K, L1, L2 or L3 edge between 1 and 120 keV of Na to U',
    });
  }
  const [z, sym, e, edgeEnergyEv, below, above, mass] = row;
  return {
    element: sym,
    edge: e,
    z,
    edgeEnergyEv,
    muRhoBelow: below,
    muRhoAbove: above,
    jumpCm2PerG: above - below,
    jumpRatio: above / below,
    atomicMass: mass,
  };
}

export interface AmountOptions {
  element: string;
  edge: string;
  /** Edge step of μ(E): absorbance units in transmission, detector units in fluorescence. */
  edgeStep: number;
  mode?: 'transmission' | 'fluorescence';
  /** Fluorescence: edge step per g/cm² of the element (from a standard). */
  calibrationStepPerGPerCm2?: number;
  /** Beam or pixel area (cm²) for the mass in the beam. */
  beamAreaCm2?: number;
}

export interface AmountResult {
  element: string;
  edge: string;
  arealDensityGPerCm2: number;
  molesPerCm2: number;
  atomsPerCm2: number;
  /** Mass in the beam (g), when a beam area is given. */
  massG: number | null;
  jumpCm2PerG: number;
  source: string;
  warnings: string[];
}

export function amountFromEdgeJump(o: AmountOptions): AmountResult {
  const d = edgeJumpData(o.element, o.edge);
  if (!(Number.isFinite(o.edgeStep) && o.edgeStep > 0)) {
    throw new XasInputError(`edge step ${o.edgeStep}`, {
      field: 'edgeStep',
      expected: 'a positive edge step',
    });
  }
  const warnings: string[] = [];
  let areal: number;
  if ((o.mode ?? 'transmission') === 'fluorescence') {
    if (!(o.calibrationStepPerGPerCm2 && o.calibrationStepPerGPerCm2 > 0)) {
      throw new XasInputError('a fluorescence edge step needs a calibration factor to give an amount', {
        field: 'calibrationStepPerGPerCm2',
        expected: 'edge step per g/cm² measured on a standard of known loading',
      });
    }
    areal = o.edgeStep / o.calibrationStepPerGPerCm2;
  } else {
    areal = o.edgeStep / d.jumpCm2PerG;
    if (o.edgeStep > 3)
      warnings.push(
        `edge step ${o.edgeStep.toFixed(2)} is large: thickness effects make transmission steps above ~3 unreliable`,
      );
  }
  const moles = areal / d.atomicMass;
  return {
    element: d.element,
    edge: d.edge,
    arealDensityGPerCm2: areal,
    molesPerCm2: moles,
    atomsPerCm2: moles * AVOGADRO,
    massG: o.beamAreaCm2 !== undefined ? areal * o.beamAreaCm2 : null,
    jumpCm2PerG: d.jumpCm2PerG,
    source: EDGE_JUMP_SOURCE,
    warnings,
  };
}
