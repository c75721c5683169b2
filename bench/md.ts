/**
 * Side-by-side speed of the embedded EAM engine and Debian LAMMPS (serial) on the same run:
 * 4000-atom fcc Ni (10×10×10 cells) from 600 K velocities, Nosé–Hoover NVT at 300 K (τ = 0.1 ps,
 * chain 3), Δt = 2 fs, the same potential file and neighbour skin (checked every step). Timed: the
 * MD loop only (LAMMPS "Loop time"; embedded engine after 50 warm-up steps). Skins 0.3 Å (lists
 * rebuilt every ~9 steps) and 1.0 Å (no rebuild in a 300 K crystal); LAMMPS both as pair_style
 * eam[/alloy] and with its OPT variant (eam/opt). The headline ratio is embedded / fastest LAMMPS
 * for the shipped Zhou 2004 table at skin 0.3 Å. Ni_u3.eam (r_c 4.8 Å) is added when Debian
 * lammps-data is installed. Usage: npm run bench:md [-- --steps 1000]. Last line: one JSON object.
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
const SKINS = [0.3, 1.0];
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

function embedded(c: Case, skin: number): { usPerAtomStep: number; temperatureK: number } {
  const model = buildEamModel(readEamFile(c.file, c.style === 'eam' ? 'funcfl' : 'setfl'));
  const atoms = buildLattice({
    structure: 'fcc',
    aAngstrom: 3.52,
    cells: [CELLS, CELLS, CELLS],
    element: 'Ni',
  });
  const e = new MdEngine(atoms, model, { timestepPs: DT, skinAngstrom: skin });
  e.initVelocities(600, new Rng(12345));
  e.thermostat = new NoseHooverChain(300, 0.1, 3);
  e.run(50);
  const t0 = performance.now();
  e.run(steps);
  const s = (performance.now() - t0) / 1000;
  return { usPerAtomStep: (s * 1e6) / (e.n * steps), temperatureK: e.temperatureK() };
}

async function lammps(
  c: Case,
  skin: number,
  opt: boolean,
): Promise<{ usPerAtomStep: number; temperatureK: number } | null> {
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
pair_style ${c.style}${opt ? '/opt' : ''}
${coeff}
neighbor ${skin} bin
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
    for (const skin of SKINS) {
      const plain = await lammps(c, skin, false);
      const opt = await lammps(c, skin, true);
      const e = embedded(c, skin);
      const best = plain && opt ? Math.min(plain.usPerAtomStep, opt.usPerAtomStep) : null;
      const ratio = best ? e.usPerAtomStep / best : null;
      results.push({ potential: c.name, skin, embedded: e, plain, opt, ratio });
      console.log(
        `${c.name}, skin ${skin} Å: embedded ${e.usPerAtomStep.toFixed(3)} µs/atom-step` +
          (plain && opt
            ? `, LAMMPS ${c.style} ${plain.usPerAtomStep.toFixed(3)}, ${c.style}/opt ${opt.usPerAtomStep.toFixed(3)}; ratio to the faster ${ratio?.toFixed(2)}`
            : ', LAMMPS not installed'),
      );
    }
  }
  const load1 = loadavg();
  console.log(`load average before/after: ${load0} / ${load1} (shared 2-core machine; wall-clock figures)`);
  const head = results[0];
  const r4 = (x: number | null | undefined) => (x === null || x === undefined ? null : Number(x.toFixed(4)));
  console.log(
    JSON.stringify({
      bench: 'md',
      atoms: 4 * CELLS ** 3,
      steps,
      timestepPs: DT,
      ensemble: 'NVT Nose-Hoover 300 K',
      lammpsVersion: version,
      headline: `${head.potential}, skin ${head.skin} A, embedded vs fastest LAMMPS serial`,
      embeddedUsPerAtomStep: r4(head.embedded.usPerAtomStep),
      lammpsUsPerAtomStep: r4(
        head.plain && head.opt ? Math.min(head.plain.usPerAtomStep, head.opt.usPerAtomStep) : null,
      ),
      ratio: r4(head.ratio),
      cases: results.map((r) => ({
        potential: r.potential,
        skinAngstrom: r.skin,
        embeddedUsPerAtomStep: r4(r.embedded.usPerAtomStep),
        lammpsUsPerAtomStep: r4(r.plain?.usPerAtomStep),
        lammpsOptUsPerAtomStep: r4(r.opt?.usPerAtomStep),
        ratioToFastestLammps: r4(r.ratio),
      })),
      loadavgBefore: load0,
      loadavgAfter: load1,
    }),
  );
}

await main();
