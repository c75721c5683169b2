/**
 * Energy shifts in LCF on exactly constructed mixtures of the measured Au L3 references: one shift
 * per reference (ParSeq/Athena option) and Larch's single data shift are recovered with the weights.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Curve } from '../../src/xanes/fit-matrix.js';
import { interpCubic } from '../../src/xanes/interp.js';
import { lincomboFit } from '../../src/xanes/lcf.js';
import { auCurve, fixture } from './helpers.js';

test('per-reference and data energy shifts are recovered', async () => {
  const au = fixture('lcf_au_l3.json');
  const refs: Curve[] = await Promise.all(au.files.refs.slice(0, 3).map((p: string) => auCurve(p)));
  const e = refs[0].energyEv.filter((v) => v > 11850 && v < 12050);
  const shifts = [0.4, -0.3, 0.15];
  const w = [0.5, 0.3, 0.2];
  const y = new Float64Array(e.length);
  refs.forEach((r, j) => {
    const v = interpCubic(
      r.energyEv,
      r.y,
      e.map((x) => x - shifts[j]),
    );
    for (let i = 0; i < e.length; i++) y[i] += w[j] * v[i];
  });
  const r = lincomboFit({ label: 'mix', energyEv: e, y }, refs, {
    xmin: 11870,
    xmax: 12030,
    e0Shift: 'references',
    maxShiftEv: 2,
  });
  r.labels.forEach((_, j) => {
    assert.ok(Math.abs(r.weights[j] - w[j]) < 1e-4, `weight ${j}: ${r.weights[j]}`);
    assert.ok(
      Math.abs((r.shiftsEv as Float64Array)[j] - shifts[j]) < 5e-3,
      `shift ${j}: ${(r.shiftsEv as Float64Array)[j]}`,
    );
  });
  assert.ok(r.rfactor < 1e-8);
  // one shift of the data: Larch's vary_e0 convention (data re-read at E + δ)
  const y2 = new Float64Array(e.length);
  refs.forEach((ref, j) => {
    const v = interpCubic(
      ref.energyEv,
      ref.y,
      e.map((x) => x + 0.6),
    );
    for (let i = 0; i < e.length; i++) y2[i] += w[j] * v[i];
  });
  const d = lincomboFit({ label: 'shifted', energyEv: e, y: y2 }, refs, {
    xmin: 11870,
    xmax: 12030,
    e0Shift: 'data',
  });
  assert.ok(Math.abs((d.e0Shift as number) + 0.6) < 5e-3, `data shift ${d.e0Shift}`);
  d.weights.forEach((v, j) => {
    assert.ok(Math.abs(v - w[j]) < 2e-3);
  });
});
