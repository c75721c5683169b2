import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { XasInputError } from '../../src/core/errors.js';
import { parseFuncfl, parseSetfl, readEamFile } from '../../src/md/potential/eam-file.js';
import { buildEamModel } from '../../src/md/potential/eam-model.js';
import { equilibriumLattice, evaluateEam } from '../../src/md/potential/evaluate.js';
import { resolvePotentialFile } from '../../src/md/potential/installed.js';
import type { Atoms } from '../../src/structure/atoms.js';

// Reference numbers: Debian LAMMPS (29 Sep 2021) through tools/md/force-fixture.ts.
const fixture = JSON.parse(readFileSync('test/fixtures/md/eam-lammps.json', 'utf8'));

interface LammpsCase {
  pairStyle: string;
  potentialFile: string;
  committed: boolean;
  energyEv: number;
  pressureBar: number;
  forcesEvPerAngstrom: number[];
  fccLatticeAngstrom: number;
  fccCohesiveEnergyEv: number;
}

function fixtureAtoms(): Atoms {
  const pos = Float64Array.from(fixture.positionsAngstrom as number[]);
  return {
    positions: pos,
    species: new Array(pos.length / 3).fill('Ni'),
    boxAngstrom: fixture.boxAngstrom,
    pbc: [true, true, true],
    info: {},
  };
}

/** The potential file where it is installed, or why not (the resolver's message names the package). */
function locate(c: LammpsCase): { path?: string; why?: string } {
  try {
    return { path: resolvePotentialFile(c.potentialFile, process.cwd()) };
  } catch (err) {
    if (c.committed) throw err;
    return { why: `not checked here: ${(err as Error).message}` };
  }
}

for (const [name, c] of Object.entries(fixture.cases as Record<string, LammpsCase>)) {
  const where = locate(c);
  test(`${name}: energy, forces and pressure equal LAMMPS pair_style ${c.pairStyle}`, (t) => {
    if (!where.path) {
      t.skip(where.why);
      return;
    }
    const model = buildEamModel(readEamFile(where.path, c.pairStyle === 'eam' ? 'funcfl' : 'setfl'));
    const atoms = fixtureAtoms();
    const ev = evaluateEam(model, atoms);
    assert.ok(
      Math.abs(ev.energyEv - c.energyEv) <= 1e-6 * Math.abs(c.energyEv),
      `energy ${ev.energyEv} vs ${c.energyEv}`,
    );
    let fmax = 0;
    for (const f of c.forcesEvPerAngstrom) fmax = Math.max(fmax, Math.abs(f));
    for (let i = 0; i < ev.forces.length; i++) {
      const ref = c.forcesEvPerAngstrom[i];
      assert.ok(
        Math.abs(ev.forces[i] - ref) <= 1e-6 * Math.max(Math.abs(ref), 1e-3 * fmax),
        `force ${i}: ${ev.forces[i]} vs ${ref}`,
      );
    }
    // LAMMPS pressure at run 0 with no velocities is the virial part alone.
    assert.ok(Math.abs(ev.virialPressureBar - c.pressureBar) <= 1e-6 * Math.abs(c.pressureBar));
  });
  test(`${name}: fcc lattice constant and cohesive energy equal LAMMPS box/relax`, (t) => {
    if (!where.path) {
      t.skip(where.why);
      return;
    }
    const model = buildEamModel(readEamFile(where.path, c.pairStyle === 'eam' ? 'funcfl' : 'setfl'));
    const min = equilibriumLattice(model, 'fcc', 'Ni', [
      0.9 * c.fccLatticeAngstrom,
      1.1 * c.fccLatticeAngstrom,
    ]);
    assert.ok(
      Math.abs(min.aAngstrom - c.fccLatticeAngstrom) < 1e-5,
      `a ${min.aAngstrom} vs ${c.fccLatticeAngstrom}`,
    );
    assert.ok(
      Math.abs(min.cohesiveEnergyEv - c.fccCohesiveEnergyEv) < 1e-8 * c.fccCohesiveEnergyEv,
      `Ec ${min.cohesiveEnergyEv} vs ${c.fccCohesiveEnergyEv}`,
    );
  });
}

test('shipped Zhou 2004 Ni table gives the published a0 = 3.52 Å and Ec = 4.45 eV', () => {
  const model = buildEamModel(readEamFile('potentials/Ni_Zhou2004.eam.alloy'));
  const min = equilibriumLattice(model, 'fcc', 'Ni', [3.3, 3.7]);
  assert.ok(Math.abs(min.aAngstrom - 3.52) < 0.001, `a0 ${min.aAngstrom}`);
  assert.ok(Math.abs(min.cohesiveEnergyEv - 4.45) < 0.001, `Ec ${min.cohesiveEnergyEv}`);
});

test('malformed EAM files give errors naming file and line', () => {
  const good = readFileSync('test/fixtures/md/funcfl-format-test.eam', 'utf8').split('\n');
  const bad = [...good];
  bad[10] = bad[10].replace(/\S+/, 'abc');
  assert.throws(
    () => parseFuncfl(bad.join('\n'), 'bad.eam'),
    (e: Error) => {
      assert.ok(e instanceof XasInputError);
      assert.match(e.message, /bad\.eam:11.*'abc'.*not a number/);
      return true;
    },
  );
  assert.throws(
    () => parseFuncfl(good.slice(0, 50).join('\n'), 'short.eam'),
    /short\.eam.*file ends after .* values of Z\(r\)|short\.eam.*ends/,
  );
  const grid = [...good];
  grid[2] = '700 0.12 abc';
  assert.throws(() => parseFuncfl(grid.join('\n'), 'grid.eam'), /grid\.eam:3: bad grid line/);
  const setfl = readFileSync('potentials/Ni_Zhou2004.eam.alloy', 'utf8').split('\n');
  const s2 = [...setfl];
  s2[3] = '2 Ni';
  assert.throws(() => parseSetfl(s2.join('\n'), 'x.eam.alloy'), /x\.eam\.alloy:4: bad element line/);
  assert.throws(() => readEamFile('does/not/exist.eam'), /does\/not\/exist\.eam: cannot read EAM potential/);
});
