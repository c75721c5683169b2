import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { XasInputError } from '../../src/core/errors.js';
import { findLammps, requireLammps } from '../../src/md/lammps/lammps-exec.js';
import { lammpsDeck, runLammpsJob } from '../../src/md/lammps/lammps-job.js';
import { expandJobs } from '../../src/md/protocol/jobs.js';
import { protocolPreset } from '../../src/md/protocol/presets.js';
import { runProtocol } from '../../src/md/protocol/run-protocol.js';
import { parseProtocol, readProtocol } from '../../src/md/protocol/schema.js';
import { readLammpsDump } from '../../src/structure/lammps-dump.js';
import { readExtendedXyz } from '../../src/structure/xyz.js';

const potential = { style: 'eam/alloy', file: 'potentials/Ni_Zhou2004.eam.alloy' };
const tiny = {
  phase: 'crystal',
  structure: 'fcc',
  cells: [3, 3, 3],
  aAngstrom: 3.52,
  temperaturesK: [300],
  lattice: 'fixed',
  equilibrationPs: 0.1,
  productionPs: 0.4,
  snapshotEveryPs: 0.2,
};

test('protocol errors name the file and the field', () => {
  const good = { name: 'x', potential, element: 'Ni', outDir: 'o', seed: 1, states: [tiny] };
  assert.doesNotThrow(() => parseProtocol(good, 'p.json'));
  assert.throws(
    () => parseProtocol({ ...good, states: [{ ...tiny, temperaturesK: 'hot' }] }, 'p.json'),
    (e: Error) =>
      e instanceof XasInputError && /^p\.json, field 'states\[0\]\.temperaturesK'/.test(e.message),
  );
  assert.throws(() => parseProtocol({ ...good, seed: undefined }, 'p.json'), /field 'seed'/);
  assert.throws(() => parseProtocol({ ...good, extra: 1 }, 'p.json'), /p\.json, field '\(root\)'.*extra/);
  assert.throws(
    () => parseProtocol({ ...good, potential: { style: 'kim', model: 'M' } }, 'p.json'),
    /p\.json, field 'engine': potential style 'kim' runs only in LAMMPS/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'proto-'));
  writeFileSync(join(dir, 'bad.json'), '{ "name": ');
  assert.throws(() => readProtocol(join(dir, 'bad.json')), /bad\.json: cannot read protocol/);
});

test('the paper presets expand to the dataset grid', () => {
  const crystals = expandJobs(parseProtocol(protocolPreset('paper-crystals'), 'preset'));
  assert.equal(crystals.length, 4 * 73); // 4 structures × 60…1500 K in 20 K steps
  assert.equal(crystals[0].stateIds.length, 21); // a(T) ± 10 × 0.02 Å
  assert.equal(crystals[0].stateIds[0], 'fcc-T0060K-da-0.200');
  const liquids = expandJobs(parseProtocol(protocolPreset('paper-liquids'), 'preset'));
  assert.equal(liquids.length, 26);
  assert.equal(liquids[25].id, 'liquid-T2000K');
});

test('embedded run writes snapshots with metadata, resumes, and keeps finished work when a job blows up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-run-'));
  const p = parseProtocol(
    {
      name: 'resume',
      potential: { ...potential, file: join(process.cwd(), potential.file) },
      element: 'Ni',
      outDir: dir,
      seed: 7,
      workers: 2,
      states: [tiny, { ...tiny, temperaturesK: [2e6], timestepPs: 0.005 }],
    },
    'resume',
  );
  const s1 = await runProtocol(p);
  assert.deepEqual(s1.written, ['fcc-T0300K-da+0.000']);
  assert.equal(s1.failed.length, 1);
  assert.match(s1.failed[0].message, /integration unstable at step \d+ .*reduce timestepPs/);
  const stateDir = join(dir, 'fcc-T0300K-da+0.000');
  const files = readdirSync(stateDir).filter((f) => f.endsWith('.xyz'));
  assert.equal(files.length, 2);
  const frame = readExtendedXyz(join(stateDir, files[0]))[0];
  assert.equal(frame.info.T, 300);
  assert.equal(frame.info.phase, 'fcc');
  assert.equal(frame.info.a, 3.52);
  assert.equal(typeof frame.info.seed, 'number');
  assert.equal(frame.info.step, 100);
  assert.equal(frame.species.length, 108);
  // Second run: the finished state point is skipped, the failing one fails again.
  const s2 = await runProtocol(p);
  assert.deepEqual(s2.skipped, ['fcc-T0300K-da+0.000']);
  assert.deepEqual(s2.written, []);
  // A missing snapshot makes the state point incomplete: it is recomputed identically (seeded).
  const before = readFileSync(join(stateDir, files[1]), 'utf8');
  rmSync(join(stateDir, files[1]));
  const s3 = await runProtocol({ ...p, states: [p.states[0]] });
  assert.deepEqual(s3.written, ['fcc-T0300K-da+0.000']);
  assert.equal(readFileSync(join(stateDir, files[1]), 'utf8'), before);
});

test('a starting lattice with overlapping atoms is refused clearly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-overlap-'));
  const p = parseProtocol(
    {
      name: 'overlap',
      potential: { ...potential, file: join(process.cwd(), potential.file) },
      element: 'Ni',
      outDir: dir,
      seed: 1,
      states: [{ ...tiny, aAngstrom: 1.2, cells: [8, 8, 8] }],
    },
    'overlap',
  );
  const s = await runProtocol(p);
  assert.match(s.failed[0]?.message ?? '', /fcc-T0300K: atoms \d+ and \d+ overlap: 0\.8485 Å apart/);
});

test('LAMMPS deck: same stages as the embedded engine (NPT average, offsets, dumps; KIM for MEAM)', () => {
  const p = parseProtocol(
    {
      name: 'deck',
      engine: 'lammps',
      potential: { style: 'kim', model: 'MEAM_LAMMPS_Wagner_2007_Ni__MO_444394830472_000' },
      element: 'Ni',
      outDir: '/tmp/x',
      seed: 5,
      thermostat: { kind: 'langevin', dampingPs: 0.5 },
      states: [
        { ...tiny, lattice: 'npt', nptPs: 1, latticeOffsetsAngstrom: { steps: 1, stepAngstrom: 0.02 } },
      ],
    },
    'deck',
  );
  const job = expandJobs(p)[0];
  const d = lammpsDeck(job, p, 'start.data');
  const lines = d.deck.split('\n');
  assert.equal(
    lines.filter((l) => l === 'kim init MEAM_LAMMPS_Wagner_2007_Ni__MO_444394830472_000 metal').length,
    4,
  );
  assert.equal(lines.filter((l) => l === 'kim interactions Ni').length, 4);
  assert.ok(lines.includes('fix ba all press/berendsen iso 0 0 1 modulus 1800000'));
  assert.ok(lines.includes('fix avb all ave/time 1 250 500 v_bx v_by v_bz'));
  assert.ok(lines.some((l) => /^fix th all langevin 300 300 0\.5 \d+ zero yes$/.test(l)));
  assert.ok(
    lines.includes(
      'change_box all x scale $(1+-0.02/v_aT) y scale $(1+-0.02/v_aT) z scale $(1+-0.02/v_aT) remap',
    ),
  );
  assert.deepEqual(Object.values(d.dumps), ['frames-0.dump', 'frames-1.dump', 'frames-2.dump']);
  assert.ok(lines.includes('dump d all custom 100 frames-1.dump id type x y z vx vy vz'));
  assert.equal(d.totalSteps, 500 + 3 * (50 + 200));
});

test('LAMMPS driver runs Debian lmp and writes the same snapshots (runs only where LAMMPS is installed)', async (t) => {
  if (!findLammps()) {
    t.skip(
      'LAMMPS (lmp) not installed: the driver was not run here (its output is checked through committed fixtures)',
    );
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'md-lmp-'));
  const p = parseProtocol(
    {
      name: 'lmp',
      engine: 'lammps',
      potential: { ...potential, file: join(process.cwd(), potential.file) },
      element: 'Ni',
      outDir: dir,
      seed: 3,
      formats: ['xyz', 'dump'],
      states: [tiny],
    },
    'lmp',
  );
  const s = await runProtocol(p, { lammpsRunner: runLammpsJob });
  assert.deepEqual(s.failed, []);
  const stateDir = join(dir, 'fcc-T0300K-da+0.000');
  const xyz = readdirSync(stateDir)
    .filter((f) => f.endsWith('.xyz'))
    .sort();
  assert.equal(xyz.length, 2);
  const f = readExtendedXyz(join(stateDir, xyz[1]))[0];
  assert.equal(f.info.engine, 'lammps');
  assert.equal(f.info.step, 200);
  assert.ok(Math.abs(Number(f.info.T_inst) - 300) < 150);
  assert.ok(existsSync(join(stateDir, xyz[1].replace('.xyz', '.dump'))));
  assert.equal(readLammpsDump(join(stateDir, xyz[1].replace('.xyz', '.dump')))[0].atoms.species.length, 108);
  assert.ok(existsSync(join(dir, 'fcc-T0300K', 'lammps', 'log.lammps')));
});

test('without LAMMPS the driver says so and how to install it', () => {
  const saved = {
    PATH: process.env.PATH,
    XASFLOW_LMP: process.env.XASFLOW_LMP,
    LAMMPS_BIN: process.env.LAMMPS_BIN,
  };
  try {
    process.env.PATH = '/nonexistent';
    delete process.env.XASFLOW_LMP;
    delete process.env.LAMMPS_BIN;
    assert.equal(findLammps(), null);
    assert.throws(
      () => requireLammps(),
      /LAMMPS is not installed.*apt-get install lammps lammps-data openkim-models/,
    );
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
