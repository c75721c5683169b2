/**
 * Model files: save/load round trip (identical predictions, metadata kept) and clear errors for a
 * damaged file (checksum), a truncated file, a file that is not a model, an incompatible format
 * version and an invalid architecture, each naming the file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { XasInputError } from '../../src/core/errors.js';
import { encodeContainer } from '../../src/nn/container.js';
import { NnModel } from '../../src/nn/index.js';
import { K_GRID, shellSpectra } from './exafs-shell.js';

const dir = mkdtempSync(join(tmpdir(), 'xasflow-nn-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'shell.xnn');
let model: NnModel;
const data = shellSpectra(300, 4, [2.45, 2.65], [0.003, 0.015]);

before(async () => {
  model = new NnModel({
    input: { length: K_GRID.length, channels: 1 },
    layers: [
      { type: 'conv1d', filters: 4, kernelSize: 5, stride: 2, bias: false },
      { type: 'batchnorm' },
      { type: 'relu' },
      { type: 'gap' },
    ],
    heads: [
      { name: 'r', units: 1, loss: 'gaussian_nll' },
      { name: 's2', units: 1, loss: 'mse', weight: 0.5 },
    ],
  });
  const r = new Float32Array(300);
  const s2 = new Float32Array(300);
  for (let i = 0; i < 300; i++) {
    r[i] = data.y[2 * i];
    s2[i] = data.y[2 * i + 1];
  }
  await model.fit(data.x, { r, s2 }, { seed: 2, members: 2, epochs: 2, workers: 1 });
  model.save(path);
});

test('save/load round trip keeps predictions and metadata', () => {
  const loaded = NnModel.load(path);
  assert.deepEqual(loaded.spec, model.spec);
  assert.equal(loaded.members.length, 2);
  assert.equal(loaded.training?.seed, 2);
  assert.equal(loaded.training?.members[1].history.length, 2);
  const a = model.predict(data.x);
  const b = loaded.predict(data.x);
  for (const h of ['r', 's2']) {
    assert.deepEqual(b[h].mean, a[h].mean);
    assert.deepEqual(b[h].std, a[h].std);
  }
  assert.ok(a.r.aleatoric, 'gaussian head reports aleatoric spread');
  assert.deepEqual(NnModel.fromBytes(model.toBytes()).predict(data.x).r.mean, a.r.mean);
});

function expectError(bytes: Uint8Array, pattern: RegExp): void {
  const bad = join(dir, 'bad.xnn');
  writeFileSync(bad, bytes);
  assert.throws(
    () => NnModel.load(bad),
    (err: Error) => err instanceof XasInputError && err.message.includes(bad) && pattern.test(err.message),
  );
}

test('a flipped byte is reported as a checksum mismatch', () => {
  const bytes = new Uint8Array(readFileSync(path));
  bytes[bytes.length - 100] ^= 0x40;
  expectError(bytes, /corrupt .*checksum mismatch/);
});

test('a truncated file is reported', () => {
  const bytes = new Uint8Array(readFileSync(path));
  expectError(bytes.subarray(0, 40), /corrupt .*(truncated|checksum)/);
  expectError(bytes.subarray(0, 10), /corrupt .*signature/);
});

test('a file that is not a model is reported', () => {
  expectError(new TextEncoder().encode('energy mu\n1 2\n3 4\n'.repeat(10)), /not a model file/);
});

test('an incompatible format version is reported', () => {
  const bytes = new Uint8Array(readFileSync(path));
  new DataView(bytes.buffer).setUint32(8, 2, true);
  new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
  expectError(bytes, /format version 2 is not supported .*reads version 1.*newer xasflow/);
});

test('an invalid architecture in the header is reported with its field', () => {
  const bytes = encodeContainer(
    'model',
    {
      spec: {
        input: { features: 3 },
        layers: [{ type: 'lstm', units: 3 }],
        heads: [{ name: 'y', units: 1, loss: 'mse' }],
      },
      normalization: { input: 'none', targets: 'none', heads: [] },
      members: 1,
    },
    [],
  );
  expectError(bytes, /architecture is invalid.*spec\.layers\[0\]\.type.*unknown layer type "lstm"/);
});

test('a checkpoint file is not accepted as a model', () => {
  expectError(encodeContainer('checkpoint', { state: {} }, []), /is a checkpoint file, not a model file/);
});
