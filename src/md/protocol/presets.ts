/**
 * Protocol presets for the Ni dataset of the NN-EXAFS paper (Iesari, Setoyama, Okajima): crystals
 * (fcc, hcp, bcc, diamond; ~1000 atoms; 60–1500 K in 20 K steps; lattice parameter a(T) ± 10 steps
 * of 0.02 Å) and liquids (~4000 atoms; 1500–2000 K in 20 K steps; melted at 3000 K and quenched).
 * Starting lattice parameters are close to the Zhou 2004 / MEAM Ni equilibrium volumes; the NPT
 * stage finds a(T). bcc and diamond Ni are unstable for these potentials: their transformed frames
 * are dropped by the a-CNA check (see docs/md.md). The `-mishin` variants use the Mishin 1999 Ni EAM
 * (`{"installed": "Mishin1999-Ni"}`: the table Debian lammps-examples installs, found at run time),
 * whose fcc σ² and liquid density are closer to the paper's MEAM than the shipped Zhou 2004 table's.
 */
export const PRESET_NAMES = [
  'paper-crystals',
  'paper-liquids',
  'paper-crystals-mishin',
  'paper-liquids-mishin',
  'quick-check',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const base = (name: string) => ({
  name,
  engine: 'embedded',
  potential: { style: 'eam/alloy', file: 'potentials/Ni_Zhou2004.eam.alloy' },
  element: 'Ni',
  outDir: `md-${name}`,
  seed: 20210601,
  timestepPs: 0.002,
  thermostat: { kind: 'nose-hoover', tauPs: 0.1, chain: 3 },
  barostat: { pressureBar: 0, tauPs: 1, bulkModulusBar: 1.8e6, coupling: 'iso' },
  formats: ['xyz'],
  workers: 2,
});

const crystalSampling = {
  temperaturesK: { from: 60, to: 1500, step: 20 },
  lattice: 'npt',
  nptPs: 20,
  latticeOffsetsAngstrom: { steps: 10, stepAngstrom: 0.02 },
  equilibrationPs: 5,
  productionPs: 10,
  snapshotEveryPs: 1,
};

const MISHIN = { installed: 'Mishin1999-Ni' };

export function protocolPreset(name: PresetName): Record<string, unknown> {
  switch (name) {
    case 'paper-crystals-mishin':
      return { ...protocolPreset('paper-crystals'), name, outDir: `md-${name}`, potential: MISHIN };
    case 'paper-liquids-mishin':
      return { ...protocolPreset('paper-liquids'), name, outDir: `md-${name}`, potential: MISHIN };
    case 'paper-crystals':
      return {
        ...base(name),
        states: [
          { phase: 'crystal', structure: 'fcc', cells: [6, 6, 7], aAngstrom: 3.52, ...crystalSampling },
          {
            phase: 'crystal',
            structure: 'hcp',
            cells: [9, 5, 6],
            aAngstrom: 2.49,
            cOverA: 1.633,
            ...crystalSampling,
          },
          { phase: 'crystal', structure: 'bcc', cells: [8, 8, 8], aAngstrom: 2.8, ...crystalSampling },
          { phase: 'crystal', structure: 'diamond', cells: [5, 5, 5], aAngstrom: 5.3, ...crystalSampling },
        ],
      };
    case 'paper-liquids':
      return {
        ...base(name),
        states: [
          {
            phase: 'liquid',
            startStructure: 'fcc',
            cells: [10, 10, 10],
            aAngstrom: 3.52,
            temperaturesK: { from: 1500, to: 2000, step: 20 },
            meltTemperatureK: 3000,
            meltPs: 15,
            quenchPs: 5,
            nptPs: 20,
            equilibrationPs: 5,
            productionPs: 20,
            snapshotEveryPs: 1,
            timestepPs: 0.001,
          },
        ],
      };
    case 'quick-check':
      return {
        ...base(name),
        workers: 1,
        states: [
          {
            phase: 'crystal',
            structure: 'fcc',
            cells: [4, 4, 4],
            aAngstrom: 3.52,
            temperaturesK: [300],
            nptPs: 2,
            equilibrationPs: 1,
            productionPs: 2,
            snapshotEveryPs: 0.5,
          },
        ],
      };
  }
}
