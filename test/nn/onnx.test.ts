/**
 * ONNX export verified by loading it back: for every architecture of the PyTorch fixtures (dense,
 * GELU, BatchNorm, conv1d with stride/padding/dilation, pooling, flatten, residual and dense
 * blocks, and mse / gaussian_nll / dirichlet_nll heads) a briefly trained model is exported and run
 * in onnxruntime-node; its outputs must match NnModel.predict within 1e-5 of the output scale.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../src/core/rng.js';
import { gatherRows } from '../../src/nn/data.js';
import { type ModelSpec, NnModel } from '../../src/nn/index.js';
import { decodeHead } from '../../src/nn/losses.js';
import { assertClose, readJson } from './helpers.js';

const cases = readJson<{ cases: { name: string; spec: ModelSpec }[] }>(
  'test/fixtures/nn/torch-cases.json',
).cases;

for (const c of cases) {
  test(`ONNX export of ${c.name} reproduces predict() in onnxruntime`, async () => {
    const model = new NnModel(c.spec);
    const inSize =
      'features' in c.spec.input ? c.spec.input.features : c.spec.input.length * (c.spec.input.channels ?? 1);
    const n = 48;
    const x = Float32Array.from({ length: n * inSize }, (_, i) => 3 + 2 * Math.sin(i * 0.7));
    const y: Record<string, Float32Array> = {};
    for (const h of c.spec.heads) {
      y[h.name] = Float32Array.from({ length: n * h.units }, (_, i) =>
        h.loss === 'dirichlet_nll'
          ? (1 + ((i + Math.floor(i / h.units)) % h.units)) / ((h.units * (h.units + 1)) / 2)
          : 10 + Math.cos(i),
      );
    }
    await model.fit(x, y, { epochs: 3, batchSize: 8, workers: 1, seed: 1, optimizer: { lr: 1e-2 } });
    const session = await ort.InferenceSession.create(model.toOnnx(0));
    const out = await session.run({ x: new ort.Tensor('float32', x, [n, inSize]) });
    const pred = model.predict(x);
    for (const h of c.spec.heads) {
      assertClose(out[h.name].data as Float32Array, pred[h.name].mean, 1e-5, `${h.name}`);
      if (h.loss === 'gaussian_nll') {
        const v = (pred[h.name].aleatoric as Float32Array).map((s) => s * s);
        assertClose(out[`${h.name}_var`].data as Float32Array, v, 1e-5, `${h.name}_var`);
      }
      if (h.loss === 'dirichlet_nll') {
        const net = model.members[0];
        const xn = new Float32Array(n * inSize);
        const idx = Int32Array.from({ length: n }, (_, i) => i);
        gatherRows({ data: x, rows: n, cols: inSize }, idx, 0, n, model.normalization?.input ?? null, xn);
        const hi = c.spec.heads.indexOf(h);
        const alpha = decodeHead('dirichlet_nll', net.forward(xn, n, false, new Rng(0))[hi], n, h.units)
          .alpha as Float32Array;
        assertClose(out[`${h.name}_alpha`].data as Float32Array, alpha, 1e-5, `${h.name}_alpha`);
      }
    }
    assert.deepEqual(Object.keys(out).sort(), session.outputNames.slice().sort());
  });
}
