/**
 * Amount of the absorbing element from the edge jump: the Cu K jump from the tabulated
 * cross-sections, and a real foil: NSLS X11A Cu foil (cu_metal_10K.xdi), stated "rolled ~12 micron",
 * whose measured edge step gives its thickness through ρ·d = Δμd/Δ(μ/ρ).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSpectrum } from '../../src/io/index.js';
import { preEdge } from '../../src/process/pre-edge.js';
import { sortXafs } from '../../src/process/sort.js';
import { amountFromEdgeJump, edgeJumpData } from '../../src/xanes/edge-jump.js';

test('Cu foil thickness from its edge step agrees with the stated ~12 µm', async () => {
  const s = await readSpectrum('data/xafs/xasdatalib/cu_metal_10K.xdi');
  assert.match(s.meta.fields['Sample.prep'], /12 micron/);
  const t = sortXafs(s.energyEv, s.mu);
  const step = preEdge(t.energyEv, t.mu).edgeStep;
  const a = amountFromEdgeJump({ element: 'Cu', edge: 'K', edgeStep: step, beamAreaCm2: 0.01 });
  const densityCu = 8.96; // g/cm³
  const microns = (a.arealDensityGPerCm2 / densityCu) * 1e4;
  assert.ok(microns > 9 && microns < 14, `thickness ${microns} µm`);
  assert.ok(Math.abs(a.molesPerCm2 - a.arealDensityGPerCm2 / 63.546) < 1e-15);
  assert.ok(Math.abs((a.massG as number) - a.arealDensityGPerCm2 * 0.01) < 1e-15);
  const d = edgeJumpData('Cu', 'K');
  assert.equal(d.edgeEnergyEv, 8979);
  // the tabulated jump ratio is close to the one xraydb lists for Cu K (7.56, total cross-section)
  assert.ok(Math.abs(d.jumpRatio - 7.56) < 0.2, `jump ratio ${d.jumpRatio}`);
});

test('edge-jump input errors', () => {
  assert.throws(() => edgeJumpData('Xx', 'K'), /no tabulated edge jump for Xx K/);
  assert.throws(() => amountFromEdgeJump({ element: 'Cu', edge: 'K', edgeStep: -1 }), /edge step/);
  assert.throws(
    () => amountFromEdgeJump({ element: 'Cu', edge: 'K', edgeStep: 1, mode: 'fluorescence' }),
    /calibration factor/,
  );
  const f = amountFromEdgeJump({
    element: 'Fe',
    edge: 'K',
    edgeStep: 2,
    mode: 'fluorescence',
    calibrationStepPerGPerCm2: 1000,
  });
  assert.equal(f.arealDensityGPerCm2, 0.002);
});
