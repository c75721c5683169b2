import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XasInputError, XasNumericalError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { MdEngine } from '../../src/md/engine/md-engine.js';
import { NeighborList } from '../../src/md/engine/neighbor-list.js';
import { LangevinBaoab, NoseHooverChain } from '../../src/md/engine/thermostats.js';
import { readEamFile } from '../../src/md/potential/eam-file.js';
import { buildEamModel } from '../../src/md/potential/eam-model.js';
import { buildLattice, randomDisplace } from '../../src/structure/lattice.js';

const model = buildEamModel(readEamFile('potentials/Ni_Zhou2004.eam.alloy'));

function fccNi(cells: number, a = 3.52) {
  return buildLattice({ structure: 'fcc', aAngstrom: a, cells: [cells, cells, cells], element: 'Ni' });
}

test('half neighbour list equals brute force over all images, also in boxes smaller than 2(rc+skin)', () => {
  const rng = new Rng(5);
  for (const [cells, cut] of [
    [[2, 2, 2], 4.0],
    [[1, 2, 3], 3.0],
    [[4, 3, 3], 5.0],
  ] as const) {
    const atoms = buildLattice({ structure: 'fcc', aAngstrom: 3.52, cells: [...cells], element: 'Ni' });
    randomDisplace(atoms, 0.2, rng);
    const nl = new NeighborList(cut, 0.5);
    const pos = atoms.positions;
    nl.build(pos, atoms.boxAngstrom, atoms.pbc);
    const rl = cut + 0.5;
    const found: string[] = [];
    const n = pos.length / 3;
    for (let i = 0; i < n; i++) {
      for (let k = nl.start[i]; k < nl.start[i + 1]; k++) {
        const j = nl.codes[k] >> 8;
        const s = (nl.codes[k] & 255) * 3;
        const d = [0, 1, 2].map((a) => pos[3 * j + a] + nl.shiftVec[s + a] - pos[3 * i + a]);
        const key =
          i <= j
            ? `${i},${j},${d.map((x) => x.toFixed(6)).join(',')}`
            : `${j},${i},${d.map((x) => (-x).toFixed(6)).join(',')}`;
        found.push(key);
      }
    }
    const brute: string[] = [];
    const L = atoms.boxAngstrom;
    const m = L.map((l) => Math.ceil(rl / l));
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        for (let sx = -m[0]; sx <= m[0]; sx++) {
          for (let sy = -m[1]; sy <= m[1]; sy++) {
            for (let sz = -m[2]; sz <= m[2]; sz++) {
              const sv = [sx, sy, sz];
              if (i === j && !(sx > 0 || (sx === 0 && (sy > 0 || (sy === 0 && sz > 0))))) continue;
              const d = [0, 1, 2].map((a) => pos[3 * j + a] + sv[a] * L[a] - pos[3 * i + a]);
              if (Math.hypot(...d) < rl) brute.push(`${i},${j},${d.map((x) => x.toFixed(6)).join(',')}`);
            }
          }
        }
      }
    }
    assert.equal(found.length, brute.length, `pair count for cells ${cells}`);
    assert.deepEqual(found.sort(), brute.sort());
  }
});

test('NVE at 300 K: energy drift below 1e-4 eV/atom/ps, with neighbour-list rebuilds', () => {
  const atoms = fccNi(4);
  const e = new MdEngine(atoms, model, { timestepPs: 0.002, skinAngstrom: 0.3 });
  e.initVelocities(600, new Rng(11)); // equipartition brings it to ≈300 K
  const ts: number[] = [];
  const es: number[] = [];
  e.run(2500, (en) => {
    if (en.step % 25 === 0) {
      ts.push(en.timePs);
      es.push(en.conservedEnergyEv() / en.n);
    }
    return true;
  });
  const mt = ts.reduce((a, b) => a + b) / ts.length;
  const me = es.reduce((a, b) => a + b) / es.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < ts.length; i++) {
    sxy += (ts[i] - mt) * (es[i] - me);
    sxx += (ts[i] - mt) ** 2;
  }
  const drift = Math.abs(sxy / sxx);
  const t = e.temperatureK();
  assert.ok(t > 200 && t < 400, `T = ${t}`);
  assert.ok(e.nl.builds > 1, 'the list was rebuilt during the run');
  assert.ok(drift < 1e-4, `drift ${drift} eV/atom/ps`);
});

test('Nosé–Hoover chain and BAOAB Langevin hold the target temperature; NHC conserves its extended energy', () => {
  for (const kind of ['nh', 'langevin'] as const) {
    const atoms = fccNi(3);
    const e = new MdEngine(atoms, model, { timestepPs: 0.002 });
    e.initVelocities(300, new Rng(3));
    e.thermostat = kind === 'nh' ? new NoseHooverChain(500, 0.1, 3) : new LangevinBaoab(500, 0.2, new Rng(4));
    e.run(1000);
    const h0 = e.conservedEnergyEv();
    let sum = 0;
    let count = 0;
    let hmax = 0;
    e.run(3000, (en) => {
      sum += en.temperatureK();
      count++;
      if (kind === 'nh') hmax = Math.max(hmax, Math.abs(en.conservedEnergyEv() - h0) / en.n);
      return true;
    });
    const mean = sum / count;
    // 108 atoms: instantaneous T fluctuates by T·sqrt(2/N_f) ≈ 68 K; 6 ps hold many correlation times.
    assert.ok(Math.abs(mean - 500) < 30, `${kind}: mean T ${mean}`);
    if (kind === 'nh') assert.ok(hmax < 2e-4, `NHC conserved energy wanders by ${hmax} eV/atom`);
  }
});

test('Berendsen barostat reaches zero pressure at the equilibrium lattice parameter', () => {
  const atoms = fccNi(4, 3.45);
  const e = new MdEngine(atoms, model, { timestepPs: 0.002 });
  e.initVelocities(20, new Rng(8));
  e.thermostat = new NoseHooverChain(10, 0.1);
  e.barostat = { pressureBar: 0, tauPs: 0.5, bulkModulusBar: 1.8e6, coupling: 'iso' };
  e.run(1500);
  let a = 0;
  let p = 0;
  e.run(500, (en) => {
    a += en.box[0] / 4 / 500;
    p += en.pressureBar() / 500;
    return true;
  });
  // 10 K classical thermal expansion of Ni is < 1e-3 Å.
  assert.ok(Math.abs(a - 3.5196) < 2e-3, `a = ${a}`);
  assert.ok(Math.abs(p) < 500, `P = ${p} bar`);
});

test('overlapping atoms and unstable integration give clear errors', () => {
  const atoms = fccNi(3);
  atoms.positions[3] = atoms.positions[0] + 0.3;
  atoms.positions[4] = atoms.positions[1];
  atoms.positions[5] = atoms.positions[2];
  assert.throws(
    () => new MdEngine(atoms, model, { timestepPs: 0.002, source: 'start.xyz' }),
    (err: Error) =>
      err instanceof XasInputError && /start\.xyz: atoms 1 and 2 overlap: 0\.3000 Å apart/.test(err.message),
  );
  const hot = new MdEngine(fccNi(3), model, { timestepPs: 0.01 });
  hot.initVelocities(60000, new Rng(1));
  assert.throws(
    () => hot.run(2000),
    (err: Error) =>
      err instanceof XasNumericalError &&
      /integration unstable at step \d+.*reduce timestepPs/.test(err.message),
  );
});
