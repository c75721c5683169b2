/**
 * Exact-gradient checks against PyTorch 1.13 (fixtures from tools/nn/make-torch-fixtures.py, float64
 * reference): head outputs, losses, parameter and input gradients, BatchNorm running statistics,
 * parameters after 1 and 3 Adam/AdamW steps (with clipping) and evaluation-mode outputs, for every
 * layer type and loss, on every available backend. Tolerance: 1e-5 relative to each tensor's scale.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { useBackend } from '../../src/nn/backend/index.js';
import { Network } from '../../src/nn/network.js';
import { Adam, type OptimizerSpec } from '../../src/nn/optim.js';
import { LrSchedule, type ScheduleSpec } from '../../src/nn/schedule.js';
import type { ModelSpec } from '../../src/nn/spec.js';
import { assertClose, availableBackends, f32, f64, readJson } from './helpers.js';

interface Case {
  name: string;
  spec: ModelSpec;
  batch: number;
  optimizer: OptimizerSpec;
  x: string;
  targets: string[];
  paramNames: string[];
  bufferNames: string[];
  params0: string;
  outputs: string[];
  losses: number[];
  total: number;
  grads: string;
  inputGrad: string;
  buffersAfter1: string;
  gradNorms: number[];
  paramsAfter1: string;
  paramsAfter3: string;
  buffersAfter3: string;
  evalOutputs: string[];
}

const doc = readJson<{
  cases: Case[];
  schedules: { spec: ScheduleSpec; baseLr: number; metrics: number[]; lrs: number[] }[];
}>('test/fixtures/nn/torch-cases.json');
const TOL = 1e-5;

/**
 * Compares flat vectors tensor by tensor so each is judged against its own scale. The scale is
 * floored at 1e-2 of the whole vector's scale: gradients that vanish analytically (a convolution
 * bias followed by BatchNorm) are pure rounding noise in both programs.
 */
function comparePerTensor(net: Network, ours: Float32Array, ref: Float64Array, what: string): void {
  let off = 0;
  const globalScale = ref.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  for (const p of net.store.params) {
    const a = ours.subarray(off, off + p.size);
    const b = ref.subarray(off, off + p.size);
    let diff = 0;
    let scale = 1e-2 * globalScale;
    for (let i = 0; i < b.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    assert.ok(
      diff <= TOL * scale,
      `${what} ${p.name}: error ${(diff / scale).toExponential(2)} relative to scale`,
    );
    off += p.size;
  }
  assert.equal(off, ref.length);
}

for (const backend of availableBackends()) {
  for (const c of doc.cases) {
    test(`${c.name} matches PyTorch (${backend})`, () => {
      useBackend(backend);
      const net = new Network(c.spec);
      assert.deepEqual(
        net.store.params.map((p) => p.name),
        c.paramNames,
      );
      assert.deepEqual(
        net.store.buffers.map((p) => p.name),
        c.bufferNames,
      );
      net.store.values.set(f32(c.params0));
      net.store.bufferValues.set(new Float32Array(net.store.bufferValues.length));
      for (const b of net.store.buffers) if (b.name.endsWith('running_var')) b.value.fill(1);
      const x = f32(c.x);
      const targets = c.targets.map(f32);
      const rng = new Rng(1);
      const outs = net.forward(x, c.batch, true, rng);
      outs.forEach((o, i) => {
        assertClose(o, f64(c.outputs[i]), TOL, `output of head ${i}`);
      });
      // forward() above already updated the running statistics once; reset them for the step.
      net.store.bufferValues.fill(0);
      for (const b of net.store.buffers) if (b.name.endsWith('running_var')) b.value.fill(1);
      const res = net.lossAndGradients(x, targets, c.batch, rng, { inputGrad: true });
      c.spec.heads.forEach((h, i) => {
        assertClose([res.heads[h.name]], [c.losses[i]], TOL, `loss of head ${h.name}`);
      });
      assertClose([res.total], [c.total], TOL, 'total loss');
      comparePerTensor(net, net.store.grads, f64(c.grads), 'gradient');
      assertClose(res.inputGrad as Float32Array, f64(c.inputGrad), TOL, 'input gradient');
      if (c.bufferNames.length > 0)
        assertClose(net.store.bufferValues, f64(c.buffersAfter1), TOL, 'running stats');
      const opt = new Adam(net.store.values.length, c.optimizer);
      const norm0 = opt.step(net.store.values, net.store.grads);
      if (c.gradNorms.length > 0) assertClose([norm0], [c.gradNorms[0]], TOL, 'gradient norm');
      comparePerTensor(net, net.store.values, f64(c.paramsAfter1), 'after 1 step');
      for (let s = 1; s < 3; s++) {
        net.lossAndGradients(x, targets, c.batch, rng);
        const norm = opt.step(net.store.values, net.store.grads);
        if (c.gradNorms.length > 0)
          assertClose([norm], [c.gradNorms[s]], 1e-4, `gradient norm at step ${s + 1}`);
      }
      comparePerTensor(net, net.store.values, f64(c.paramsAfter3), 'after 3 steps');
      if (c.bufferNames.length > 0)
        assertClose(net.store.bufferValues, f64(c.buffersAfter3), TOL, 'running stats after 3');
      const evalOuts = net.forward(x, c.batch, false, rng);
      evalOuts.forEach((o, i) => {
        assertClose(o, f64(c.evalOutputs[i]), TOL, `eval output of head ${i}`);
      });
    });
  }
}

test('learning-rate schedules follow torch.optim.lr_scheduler', () => {
  for (const s of doc.schedules) {
    const sched = new LrSchedule(s.spec, s.baseLr);
    const lrs = s.metrics.map((m) => sched.step(m));
    assertClose(lrs, s.lrs, 1e-12, `${s.spec.type} schedule`);
  }
});
