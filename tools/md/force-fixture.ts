/**
 * Fixture generator: energies, forces and pressures from Debian LAMMPS (`pair_style eam/alloy` and
 * `pair_style eam`) for one random displaced Ni configuration, and the fcc lattice constant and
 * cohesive energy from `fix box/relax` + `minimize`. Writes test/fixtures/md/eam-lammps.json.
 *
 * Potentials:
 *  - potentials/Ni_Zhou2004.eam.alloy (shipped; setfl);
 *  - test/fixtures/md/funcfl-format-test.eam, written here: a funcfl-format table (Zhou 2004 Ni density
 *    and embedding, effective charge from the repulsive Zhou term). It is NOT a physical model, only a
 *    file that exercises the funcfl reader, LAMMPS's funcfl resampling and Z_i·Z_j pair rule in CI;
 *  - /usr/share/lammps/potentials/Ni_u3.eam (Foiles–Baskes–Daw 1986) when lammps-data is installed
 *    (GPL-2 data, so not committed: its test runs only where the file exists).
 * Run: node --import tsx tools/md/force-fixture.ts
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toJson, writeFileAtomic } from '../../src/core/atomic-write.js';
import { Rng } from '../../src/core/rng.js';
import { lammpsInfo, runLammps } from '../../src/md/lammps/lammps-exec.js';
import { type EamTables, FUNCFL_ZZ_TO_EV_ANGSTROM, formatFuncfl } from '../../src/md/potential/eam-file.js';
import { ZHOU2004_NI, zhouDensity, zhouEmbedding } from '../../src/md/potential/zhou2004.js';
import { formatLammpsData } from '../../src/structure/lammps-data.js';
import { readLammpsDump } from '../../src/structure/lammps-dump.js';
import { buildLattice, randomDisplace } from '../../src/structure/lattice.js';

const out = 'test/fixtures/md/eam-lammps.json';
const funcflPath = 'test/fixtures/md/funcfl-format-test.eam';
const u3 = '/usr/share/lammps/potentials/Ni_u3.eam';

function funcflTestTables(): EamTables {
  const p = ZHOU2004_NI;
  const nrho = 700;
  const drho = 0.12;
  const nr = 700;
  const dr = 0.0086;
  const embedding = new Float64Array(nrho);
  const density = new Float64Array(nr);
  const z = new Float64Array(nr);
  for (let m = 0; m < nrho; m++) embedding[m] = zhouEmbedding(p, m * drho);
  for (let m = 0; m < nr; m++) {
    const r = m * dr;
    const x = r / p.re;
    density[m] = zhouDensity(p, r);
    const rep = (p.A * Math.exp(-p.alpha * (x - 1))) / (1 + (x - p.kappa) ** 20);
    z[m] = Math.sqrt((r * rep) / FUNCFL_ZZ_TO_EV_ANGSTROM);
  }
  return {
    format: 'funcfl',
    source: funcflPath,
    comment:
      'FORMAT TEST ONLY (not a physical potential): Zhou-2004 Ni F and rho, Z(r) from the repulsive Zhou term',
    elements: ['Ni'],
    atomicNumbers: [28],
    masses: [58.6934],
    latticeAngstrom: [3.52],
    latticeName: ['FCC'],
    nrho,
    drho,
    nr,
    drAngstrom: dr,
    cutoffAngstrom: 5.95,
    embedding: [embedding],
    density: [density],
    rphi: [],
    effectiveCharge: [z],
  };
}

interface Case {
  name: string;
  style: string;
  coeff: string;
  file: string;
  committed: boolean;
}

async function main(): Promise<void> {
  writeFileAtomic(funcflPath, formatFuncfl(funcflTestTables()));
  const info = lammpsInfo();
  const rng = new Rng(20240605);
  const atoms = buildLattice({ structure: 'fcc', aAngstrom: 3.52, cells: [4, 4, 4], element: 'Ni' });
  randomDisplace(atoms, 0.12, rng);
  const cases: Case[] = [
    {
      name: 'zhou2004-setfl',
      style: 'eam/alloy',
      coeff: '* *',
      file: 'potentials/Ni_Zhou2004.eam.alloy',
      committed: true,
    },
    { name: 'funcfl-format-test', style: 'eam', coeff: '1 1', file: funcflPath, committed: true },
  ];
  if (existsSync(u3))
    cases.push({ name: 'u3-funcfl', style: 'eam', coeff: '1 1', file: u3, committed: false });
  const results: Record<string, unknown> = {};
  for (const c of cases) {
    const dir = mkdtempSync(join(tmpdir(), `xasflow-fix-${c.name}-`));
    writeFileAtomic(join(dir, 'config.data'), formatLammpsData(atoms, ['Ni'], { Ni: 58.6934 }));
    const element = c.style === 'eam/alloy' ? ' Ni' : '';
    const deck = `units metal
atom_style atomic
boundary p p p
atom_modify map array
read_data config.data
pair_style ${c.style}
pair_coeff ${c.coeff} ${resolve(c.file)}${element}
neighbor 1.0 bin
thermo_style custom step pe press
dump f all custom 1 forces.dump id type x y z fx fy fz
dump_modify f sort id format float %.17g
run 0
print "XASFLOW pe=$(pe:%.17g) press=$(press:%.17g)"
clear
units metal
atom_style atomic
boundary p p p
lattice fcc 3.52
region box block 0 4 0 4 0 4
create_box 1 box
create_atoms 1 box
mass 1 58.6934
pair_style ${c.style}
pair_coeff ${c.coeff} ${resolve(c.file)}${element}
fix br all box/relax iso 0.0
min_style cg
min_modify line quadratic
minimize 0 1e-14 20000 200000
print "XASFLOW a=$(lx/4:%.17g) ec=$(-pe/atoms:%.17g)"
`;
    const run = await runLammps(deck, dir);
    const m1 = /XASFLOW pe=(\S+) press=(\S+)/.exec(run.log);
    const m2 = /XASFLOW a=(\S+) ec=(\S+)/.exec(run.log);
    if (!m1 || !m2) throw new Error(`no results in ${run.logPath}`);
    const frame = readLammpsDump(join(dir, 'forces.dump'))[0];
    const forces = new Float64Array(3 * frame.ids.length);
    for (let i = 0; i < frame.ids.length; i++) {
      forces[3 * i] = frame.columns.fx[i];
      forces[3 * i + 1] = frame.columns.fy[i];
      forces[3 * i + 2] = frame.columns.fz[i];
    }
    results[c.name] = {
      pairStyle: c.style,
      potentialFile: c.file,
      committed: c.committed,
      energyEv: Number(m1[1]),
      pressureBar: Number(m1[2]),
      forcesEvPerAngstrom: forces,
      fccLatticeAngstrom: Number(m2[1]),
      fccCohesiveEnergyEv: Number(m2[2]),
    };
    console.log(c.name, m1[1], m2[1], m2[2]);
  }
  writeFileAtomic(
    out,
    toJson(
      {
        generator: 'tools/md/force-fixture.ts',
        lammps: info.version,
        seed: 20240605,
        displacementSigmaAngstrom: 0.12,
        boxAngstrom: atoms.boxAngstrom,
        positionsAngstrom: atoms.positions,
        cases: results,
      },
      1,
    ),
  );
  console.log(`wrote ${out}`);
}

await main();
