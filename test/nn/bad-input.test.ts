/** Bad input gives clear XasInputErrors naming the field and what was expected. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XasInputError } from '../../src/core/errors.js';
import { type ModelSpec, NnModel } from '../../src/nn/index.js';

const spec: ModelSpec = {
  input: { features: 4 },
  layers: [{ type: 'dense', units: 8, activation: 'relu' }],
  heads: [
    { name: 'y', units: 2, loss: 'mse' },
    { name: 'f', units: 3, loss: 'dirichlet_nll' },
  ],
};
const x = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i));
const y = Float32Array.from({ length: 20 }, (_, i) => Math.cos(i));
const f = Float32Array.from({ length: 30 }, (_, i) => [0.2, 0.3, 0.5][i % 3]);

function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  return assert.rejects(p, (err: Error) => err instanceof XasInputError && pattern.test(err.message));
}

test('mismatched shapes are reported', async () => {
  const m = new NnModel(spec);
  await rejects(m.fit(x.subarray(0, 39), { y, f }), /field 'x': has 39 values, not a positive multiple of 4/);
  await rejects(m.fit(x, { y: y.subarray(0, 18), f }), /field 'y\.y': has 9 samples but x has 10/);
  await rejects(m.fit(x, { y, f: f.subarray(0, 29) }), /field 'y\.f'.*expected 3 values per sample/);
  await rejects(m.fit(x, { y }), /targets for head 'f' missing/);
  await rejects(m.fit(x, { y, f, z: y }), /field 'y\.z': no head named 'z'/);
  await rejects(
    m.fit(
      [
        [1, 2, 3, 4],
        [1, 2, 3],
      ],
      { y, f },
    ),
    /field 'x': sample 1 has 3 values/,
  );
});

test('NaN and infinite values are reported with their position', async () => {
  const m = new NnModel(spec);
  const xn = x.slice();
  xn[13] = Number.NaN;
  await rejects(m.fit(xn, { y, f }), /field 'x': sample 3, value 1 is NaN .*expected finite numbers/);
  const yn = y.slice();
  yn[5] = Number.POSITIVE_INFINITY;
  await rejects(m.fit(x, { y: yn, f }), /field 'y\.y': sample 2, value 1 is Infinity/);
});

test('fractions for a Dirichlet head must be a composition', async () => {
  const m = new NnModel(spec);
  const bad = f.slice();
  bad[4] = 0.9;
  await rejects(m.fit(x, { y, f: bad }), /field 'y\.f': fractions of sample 1 sum to 1\.60000/);
});

test('invalid specs are reported with the spec path', () => {
  const bad = (s: unknown, pattern: RegExp) =>
    assert.throws(
      () => new NnModel(s as ModelSpec),
      (err: Error) => err instanceof XasInputError && pattern.test(err.message),
    );
  bad(
    { ...spec, layers: [{ type: 'dense', units: 0 }] },
    /spec\.layers\[0\]\.units.*expected an integer >= 1/,
  );
  bad(
    { ...spec, layers: [{ type: 'conv1d', filters: 2, kernelSize: 3, stride: 2, padding: 'same' }] },
    /'same' padding requires stride 1/,
  );
  bad(
    { ...spec, layers: [{ type: 'dense', units: 3, activaton: 'relu' }] },
    /spec\.layers\[0\]\.activaton.*unknown option/,
  );
  bad({ ...spec, heads: [] }, /spec\.heads.*at least one output head/);
  bad(
    { input: { length: 8 }, layers: [{ type: 'conv1d', filters: 2, kernelSize: 9 }], heads: spec.heads },
    /layers\.0.*convolution leaves no output/,
  );
  bad(
    {
      input: { length: 8 },
      layers: [{ type: 'residual', body: [{ type: 'conv1d', filters: 3, kernelSize: 3, padding: 1 }] }],
      heads: spec.heads,
    },
    /layers\.0.*add a projection shortcut/,
  );
  bad(
    { input: { length: 8 }, layers: [{ type: 'conv1d', filters: 3, kernelSize: 3 }], heads: spec.heads },
    /receives a sequence of length 6.*gap/,
  );
});

test('training options are checked', async () => {
  const m = new NnModel(spec);
  await rejects(m.fit(x, { y, f }, { epochs: 0 }), /field 'epochs'/);
  await rejects(m.fit(x, { y, f }, { optimizer: { lr: -1 } }), /field 'optimizer\.lr'/);
  await rejects(m.fit(x, { y, f }, { folds: 3, members: 2 }), /either folds .* or members/);
  await rejects(m.fit(x, { y, f }, { folds: 8 }), /10 samples cannot be split into 8 folds/);
});

test('predicting before training or with the wrong width is reported', async () => {
  const m = new NnModel(spec);
  assert.throws(() => m.predict(x), /has not been trained/);
  await m.fit(x, { y, f }, { epochs: 1, workers: 1 });
  assert.throws(
    () => m.predict(new Float32Array(6)),
    /field 'x': has 6 values, not a positive multiple of 4/,
  );
});
