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
 *    (GPL-2 data, so not committed: its test runs only where the file exists);
 *  - Ni99.eam.alloy (Mishin, Farkas, Mehl 1999; NIST setfl installed by Debian lammps-examples), found
 *    by name as protocols find it; not committed, its tests skip where it is missing. The same
 *    configuration is also evaluated with the OpenKIM model of that potential (`pair_style kim`,
 *    Debian openkim-models) as a cross-check of the table (`kimCrossChecks`; not a test of our code).
 * Run: node --import tsx tools/md/force-fixture.ts
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toJson, writeFileAtomic } from '../../src/core/atomic-write.js';
import { Rng } from '../../src/core/rng.js';
import { lammpsInfo, runLammps } from '../../src/md/lammps/lammps-exec.js';
import { type EamTables, FUNCFL_ZZ_TO_EV_ANGSTROM, formatFuncfl } from '../../src/md/potential/eam-file.js';
import { resolvePotentialFile } from '../../src/md/potential/installed.js';
import { ZHOU2004_NI, zhouDensity, zhouEmbedding } from '../../src/md/potential/zhou2004.js';
import { formatLammpsData } from '../../src/structure/lammps-data.js';
import { readLammpsDump } from '../../src/structure/lammps-dump.js';
import { buildLattice, randomDisplace } from '../../src/structure/lattice.js';

const out = 'test/fixtures/md/eam-lammps.json';
const funcflPath = 'test/fixtures/md/funcfl-format-test.eam';
const u3 = '/usr/share/lammps/potentials/Ni_u3.eam';
const MISHIN_KIM = 'EAM_Dynamo_MishinFarkasMehl_1999_Ni__MO_400591584784_005';

function findInstalled(name: string): string | undefined {
  try {
    return resolvePotentialFile(name, process.cwd());
  } catch {
    return undefined;
  }
}

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
  /** As recorded in the fixture (installed tables by their bare name, found as protocols find them). */
  file: string;
  /** Path given to LAMMPS. */
  path: string;
  committed: boolean;
}

interface CaseResult {
  energyEv: number;
  pressureBar: number;
  forcesEvPerAngstrom: Float64Array;
  fccLatticeAngstrom: number;
  fccCohesiveEnergyEv: number;
}

/** The KIM model of a potential against LAMMPS with its table: how far the two tabulations differ. */
function kimCrossChecks(
  tables: Record<string, unknown>,
  kim: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, k] of Object.entries(kim)) {
    const t = tables[name.replace(/-kim$/, '-setfl')] as CaseResult | undefined;
    if (!t) continue;
    const kr = k as unknown as CaseResult;
    let fmax = 0;
    let dmax = 0;
    for (let i = 0; i < t.forcesEvPerAngstrom.length; i++) {
      fmax = Math.max(fmax, Math.abs(t.forcesEvPerAngstrom[i]));
      dmax = Math.max(dmax, Math.abs(t.forcesEvPerAngstrom[i] - kr.forcesEvPerAngstrom[i]));
    }
    out[name] = {
      kimModel: k.potentialFile,
      table: name.replace(/-kim$/, '-setfl'),
      energyEv: kr.energyEv,
      energyRelDiff: Math.abs(kr.energyEv - t.energyEv) / Math.abs(t.energyEv),
      maxForceDiffOverMaxForce: dmax / fmax,
      pressureBar: kr.pressureBar,
      fccLatticeAngstrom: kr.fccLatticeAngstrom,
      fccCohesiveEnergyEv: kr.fccCohesiveEnergyEv,
    };
  }
  return out;
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
      path: resolve('potentials/Ni_Zhou2004.eam.alloy'),
      committed: true,
    },
    {
      name: 'funcfl-format-test',
      style: 'eam',
      coeff: '1 1',
      file: funcflPath,
      path: resolve(funcflPath),
      committed: true,
    },
  ];
  if (existsSync(u3))
    cases.push({ name: 'u3-funcfl', style: 'eam', coeff: '1 1', file: u3, path: u3, committed: false });
  const ni99 = findInstalled('Ni99.eam.alloy');
  if (ni99) {
    cases.push({
      name: 'mishin1999-setfl',
      style: 'eam/alloy',
      coeff: '* *',
      file: 'Ni99.eam.alloy',
      path: ni99,
      committed: false,
    });
  }
  if (ni99) {
    cases.push({
      name: 'mishin1999-kim',
      style: 'kim',
      coeff: '',
      file: MISHIN_KIM,
      path: MISHIN_KIM,
      committed: false,
    });
  }
  const results: Record<string, unknown> = {};
  const kimResults: Record<string, Record<string, unknown>> = {};
  for (const c of cases) {
    const dir = mkdtempSync(join(tmpdir(), `xasflow-fix-${c.name}-`));
    writeFileAtomic(join(dir, 'config.data'), formatLammpsData(atoms, ['Ni'], { Ni: 58.6934 }));
    const element = c.style === 'eam/alloy' ? ' Ni' : '';
    const pair =
      c.style === 'kim'
        ? { units: `kim init ${c.path} metal`, inter: 'kim interactions Ni' }
        : { units: 'units metal', inter: `pair_style ${c.style}\npair_coeff ${c.coeff} ${c.path}${element}` };
    const deck = `${pair.units}
atom_style atomic
boundary p p p
atom_modify map array
read_data config.data
${pair.inter}
neighbor 1.0 bin
thermo_style custom step pe press
dump f all custom 1 forces.dump id type x y z fx fy fz
dump_modify f sort id format float %.17g
run 0
print "XASFLOW pe=$(pe:%.17g) press=$(press:%.17g)"
clear
${pair.units}
atom_style atomic
boundary p p p
lattice fcc 3.52
region box block 0 4 0 4 0 4
create_box 1 box
create_atoms 1 box
mass 1 58.6934
${pair.inter}
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
    (c.style === 'kim' ? kimResults : results)[c.name] = {
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
        kimCrossChecks: kimCrossChecks(results, kimResults),
      },
      1,
    ),
  );
  console.log(`wrote ${out}`);
}

await main();
