import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';

test('same seed gives the same stream; state round-trips', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  for (let i = 0; i < 100; i++) assert.equal(a.uniform(), b.uniform());
  const st = a.state();
  const c = Rng.fromState(st);
  for (let i = 0; i < 10; i++) assert.equal(a.normal(), c.normal());
});

test('normal and dirichlet moments are right', () => {
  const r = new Rng(7);
  let s = 0;
  let s2 = 0;
  const n = 200000;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s += x;
    s2 += x * x;
  }
  assert.ok(Math.abs(s / n) < 0.01);
  assert.ok(Math.abs(s2 / n - 1) < 0.01);
  const alpha = [2, 3, 5];
  const mean = [0, 0, 0];
  for (let i = 0; i < 20000; i++) {
    const d = r.dirichlet(alpha);
    for (let j = 0; j < 3; j++) mean[j] += d[j] / 20000;
  }
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(mean[j] - alpha[j] / 10) < 0.01, `dirichlet mean ${j}`);
});
