/**
 * Side-by-side speed of the embedded EAM engine and Debian LAMMPS (serial) on the same run:
 * 4000-atom fcc Ni (10×10×10 cells), Nosé–Hoover NVT at 300 K (τ = 0.1 ps, chain 3), Δt = 2 fs,
 * neighbour skin 1.0 Å checked every step, the same potential file. Timed: the MD loop only
 * (LAMMPS "Loop time"; embedded engine after 50 warm-up steps). Reports µs per atom-step and the
 * ratio embedded/LAMMPS. Also runs Ni_u3.eam (r_c 4.8 Å) when Debian lammps-data is installed.
 * Usage: npm run bench:md [-- --steps 1000]. The last line is one JSON object.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Rng } from '../src/core/rng.js';
import { MdEngine } from '../src/md/engine/md-engine.js';
import { NoseHooverChain } from '../src/md/engine/thermostats.js';
import { findLammps, lammpsInfo, runLammps } from '../src/md/lammps/lammps-exec.js';
import { readEamFile } from '../src/md/potential/eam-file.js';
import { buildEamModel } from '../src/md/potential/eam-model.js';
import { buildLattice } from '../src/structure/lattice.js';

const args = process.argv.slice(2);
const steps = Number(args[args.indexOf('--steps') + 1] || 1000) || 1000;
const CELLS = 10;
const SKIN = 1.0;
const DT = 0.002;

interface Case {
  name: string;
  file: string;
  style: 'eam' | 'eam/alloy';
}

const cases: Case[] = [
  {
    name: 'Zhou2004 (setfl, rc 6.0 Å)',
    file: resolve('potentials/Ni_Zhou2004.eam.alloy'),
    style: 'eam/alloy',
  },
];
const u3 = '/usr/share/lammps/potentials/Ni_u3.eam';
if (existsSync(u3)) cases.push({ name: 'FBD u3 (funcfl, rc 4.8 Å)', file: u3, style: 'eam' });

function loadavg(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

function embedded(c: Case): { usPerAtomStep: number; temperatureK: number } {
  const model = buildEamModel(readEamFile(c.file, c.style === 'eam' ? 'funcfl' : 'setfl'));
  const atoms = buildLattice({
    structure: 'fcc',
    aAngstrom: 3.52,
    cells: [CELLS, CELLS, CELLS],
    element: 'Ni',
  });
  const e = new MdEngine(atoms, model, { timestepPs: DT, skinAngstrom: SKIN });
  e.initVelocities(600, new Rng(12345));
  e.thermostat = new NoseHooverChain(300, 0.1, 3);
  e.run(50);
  const t0 = performance.now();
  e.run(steps);
  const s = (performance.now() - t0) / 1000;
  return { usPerAtomStep: (s * 1e6) / (e.n * steps), temperatureK: e.temperatureK() };
}

async function lammps(c: Case): Promise<{ usPerAtomStep: number; temperatureK: number } | null> {
  if (!findLammps()) return null;
  const dir = mkdtempSync(join(tmpdir(), 'xasflow-bench-md-'));
  const coeff = c.style === 'eam' ? `pair_coeff 1 1 ${c.file}` : `pair_coeff * * ${c.file} Ni`;
  const deck = `units metal
atom_style atomic
boundary p p p
lattice fcc 3.52
region box block 0 ${CELLS} 0 ${CELLS} 0 ${CELLS}
create_box 1 box
create_atoms 1 box
mass 1 58.6934
pair_style ${c.style}
${coeff}
neighbor ${SKIN} bin
neigh_modify every 1 delay 0 check yes
velocity all create 600 12345 dist gaussian mom yes rot no
fix 1 all nvt temp 300 300 0.1 tchain 3
timestep ${DT}
thermo ${steps}
run 50
run ${steps}
`;
  const r = await runLammps(deck, dir);
  const loops = [...r.log.matchAll(/Loop time of (\S+) on (\d+) procs for (\d+) steps with (\d+) atoms/g)];
  const last = loops[loops.length - 1];
  if (last?.[2] !== '1')
    throw new Error('could not read the LAMMPS loop time (or it ran on more than 1 process)');
  const temps = [...r.log.matchAll(/^\s+\d+\s+(\S+)\s+/gm)].map((m) => Number(m[1]));
  return {
    usPerAtomStep: (Number(last[1]) * 1e6) / (Number(last[4]) * Number(last[3])),
    temperatureK: temps[temps.length - 1],
  };
}

async function main(): Promise<void> {
  const version = findLammps() ? lammpsInfo().version : null;
  const load0 = loadavg();
  const results = [];
  for (const c of cases) {
    const l = await lammps(c);
    const e = embedded(c);
    const ratio = l ? e.usPerAtomStep / l.usPerAtomStep : null;
    results.push({ potential: c.name, embedded: e, lammps: l, ratio });
    console.log(
      `${c.name}: embedded ${e.usPerAtomStep.toFixed(3)} µs/atom-step` +
        (l
          ? `, LAMMPS ${l.usPerAtomStep.toFixed(3)} µs/atom-step, ratio ${ratio?.toFixed(2)}`
          : ', LAMMPS not installed'),
    );
  }
  const load1 = loadavg();
  console.log(`load average before/after: ${load0} / ${load1} (shared machine; figures are wall-clock)`);
  const main = results[0];
  console.log(
    JSON.stringify({
      bench: 'md',
      atoms: 4 * CELLS ** 3,
      steps,
      timestepPs: DT,
      skinAngstrom: SKIN,
      ensemble: 'NVT Nose-Hoover 300 K',
      lammpsVersion: version,
      embeddedUsPerAtomStep: Number(main.embedded.usPerAtomStep.toFixed(4)),
      lammpsUsPerAtomStep: main.lammps ? Number(main.lammps.usPerAtomStep.toFixed(4)) : null,
      ratio: main.ratio === null ? null : Number(main.ratio.toFixed(3)),
      cases: results.map((r) => ({
        potential: r.potential,
        embeddedUsPerAtomStep: Number(r.embedded.usPerAtomStep.toFixed(4)),
        lammpsUsPerAtomStep: r.lammps ? Number(r.lammps.usPerAtomStep.toFixed(4)) : null,
        ratio: r.ratio === null ? null : Number(r.ratio.toFixed(3)),
      })),
      loadavgBefore: load0,
      loadavgAfter: load1,
    }),
  );
}

await main();
