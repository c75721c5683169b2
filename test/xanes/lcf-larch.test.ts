/**
 * Linear combination fitting against Larch 0.9.58 (fixtures by tools/xanes/larch_lcf_fixtures.py):
 * the Au L3 set (6 references, one unknown) and ParSeq's Cu mixtures mix1/mix2. Unbounded fits must
 * reproduce Larch's weights within 1e-3 (they agree to ~1e-6), standard errors and statistics; for
 * bounded fits Larch 0.9.58 stops at its clipped start, so ours must instead equal the true
 * constrained optimum (scipy SLSQP in the fixture) and have a χ² no larger than Larch's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lincomboFit } from '../../src/xanes/lcf.js';
import { lincomboFitAll } from '../../src/xanes/lcf-fitall.js';
import { auCurve, cuMixCurves, type Fx, fixture } from './helpers.js';

const au = fixture('lcf_au_l3.json');
const cu = fixture('lcf_cu_mix.json');

function optionsOf(o: Fx) {
  return {
    xmin: o.xmin,
    xmax: o.xmax,
    sumToOne: o.sum_to_one,
    bounded: o.minvals !== undefined,
    e0Shift: o.vary_e0 ? ('data' as const) : ('none' as const),
  };
}

function checkCase(name: string, c: Fx, r: ReturnType<typeof lincomboFit>): void {
  const L = c.larch;
  assert.equal(r.npts, L.ndata, `${name}: points`);
  assert.equal(r.x[0], L.xfirst);
  assert.equal(r.x[r.npts - 1], L.xlast);
  assert.equal(r.nvarys, L.nvarys, `${name}: nvarys`);
  if (c.true_optimum) {
    r.labels.forEach((l, j) => {
      assert.ok(
        Math.abs(r.weights[j] - c.true_optimum.weights[j]) < 1e-6,
        `${name} ${l}: ${r.weights[j]} vs optimum ${c.true_optimum.weights[j]}`,
      );
    });
    assert.ok(
      Math.abs(r.chisqr - c.true_optimum.chisqr) <= 1e-9 * c.true_optimum.chisqr + 1e-15,
      `${name}: χ² ${r.chisqr} vs optimum ${c.true_optimum.chisqr}`,
    );
    assert.ok(
      r.chisqr <= L.chisqr * (1 + 1e-9),
      `${name}: χ² ${r.chisqr} must not exceed Larch's ${L.chisqr}`,
    );
    return;
  }
  r.labels.forEach((l, j) => {
    assert.ok(
      Math.abs(r.weights[j] - L.weights[l]) < 1e-5,
      `${name} ${l}: ${r.weights[j]} vs Larch ${L.weights[l]}`,
    );
    assert.ok(Math.abs(r.weightsLstsq[j] - L.weights_lstsq[l]) < 1e-8, `${name} ${l}: lstsq`);
    assert.ok(
      Math.abs(r.stderr[j] - L.stderr[l]) < 1e-4 * L.stderr[l],
      `${name} ${l}: stderr ${r.stderr[j]} vs ${L.stderr[l]}`,
    );
  });
  assert.ok(Math.abs(r.chisqr - L.chisqr) < 1e-7 * L.chisqr, `${name}: chisqr`);
  assert.ok(Math.abs(r.redchi - L.redchi) < 1e-7 * L.redchi, `${name}: redchi`);
  // with vary_e0 Larch's search stops within its tolerance of the optimum (δE to ~1e-5 eV)
  const rtol = c.options.vary_e0 ? 1e-4 : 1e-6;
  assert.ok(
    Math.abs(r.rfactor - L.rfactor) < rtol * L.rfactor,
    `${name}: rfactor ${r.rfactor} vs ${L.rfactor}`,
  );
  if (c.options.vary_e0) {
    assert.ok(
      Math.abs((r.e0Shift as number) - L.e0_shift) < 1e-4,
      `${name}: e0 shift ${r.e0Shift} vs ${L.e0_shift}`,
    );
    assert.ok(
      Math.abs((r.e0ShiftStderr as number) - L.e0_shift_stderr) < 1e-3 * L.e0_shift_stderr,
      `${name}: e0 stderr`,
    );
  }
}

test('Au L3: every lincombo_fit case matches Larch (bounded: the true optimum)', async () => {
  for (const c of au.cases) {
    const dm = c.options.arrayname === 'dmude';
    const unknown = await auCurve(au.files.unknown, dm);
    const refs = await Promise.all(au.files.refs.map((p: string) => auCurve(p, dm)));
    const r = lincomboFit(unknown, refs, optionsOf(c.options));
    checkCase(`au ${c.name}`, c, r);
    if (c.true_optimum) {
      // the bounded optimum really is better than where Larch stopped
      assert.ok(
        r.chisqr < 0.5 * c.larch.chisqr,
        `au ${c.name}: Larch's bounded fit stopped at χ² ${c.larch.chisqr}, optimum ${r.chisqr}`,
      );
      assert.ok(r.weights.every((w) => w >= 0 && w <= 1));
      if (c.options.sum_to_one) assert.ok(Math.abs(r.sum - 1) < 1e-12);
    }
  }
});

test('Cu mixtures mix1/mix2: lincombo_fit matches Larch', async () => {
  const curves = await cuMixCurves(cu.file, cu.columns.slice(1));
  for (const [mix, v] of Object.entries<Fx>(cu.mixes)) {
    const refs = v.basis.map((b: string) => curves.get(b));
    for (const c of v.cases)
      checkCase(`${mix} ${c.name}`, c, lincomboFit(curves.get(mix) as Fx, refs, optionsOf(c.options)));
  }
});

test('lincombo_fitall ranks combinations as Larch does', async () => {
  const unknown = await auCurve(au.files.unknown);
  const refs = await Promise.all(au.files.refs.map((p: string) => auCurve(p)));
  const fa = au.fitall[0];
  const res = lincomboFitAll(unknown, refs, {
    xmin: fa.options.xmin,
    xmax: fa.options.xmax,
    sumToOne: true,
    maxComponents: 3,
  });
  assert.equal(res.length, fa.count);
  fa.top.forEach((t: Fx, i: number) => {
    assert.deepEqual(res[i].labels, t.labels, `rank ${i}`);
    t.weights.forEach((w: number, j: number) => {
      assert.ok(Math.abs(res[i].weights[j] - w) < 1e-5);
    });
    assert.ok(Math.abs(res[i].redchi - t.redchi) < 1e-7 * t.redchi);
  });
  // Cu mix1 over the 16 ParSeq references (bounded, sum to one): the best triple is ParSeq's basis
  const curves = await cuMixCurves(cu.file, cu.columns.slice(1));
  const m1 = cu.mixes.mix1;
  const all = cu.references.map((n: string) => curves.get(n));
  const best = lincomboFitAll(curves.get('mix1') as Fx, all, {
    xmin: 8850,
    xmax: 9100,
    sumToOne: true,
    bounded: true,
    maxComponents: 3,
    keep: 5,
  });
  assert.equal(m1.fitall[0].count, 680);
  m1.fitall[0].top.slice(0, 5).forEach((t: Fx, i: number) => {
    assert.deepEqual(best[i].labels, t.labels);
    t.weights.forEach((w: number, j: number) => {
      assert.ok(Math.abs(best[i].weights[j] - w) < 1e-4, `mix1 rank ${i}: ${best[i].weights[j]} vs ${w}`);
    });
  });
  assert.deepEqual([...best[0].labels].sort(), [...m1.basis].sort());
});
