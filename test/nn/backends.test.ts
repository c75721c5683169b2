/**
 * Backends: every kernel of the native addon and of the WebAssembly backend agrees with the
 * TypeScript reference (GEMM against a float64 product for all transposes and leading dimensions;
 * im2col/col2im are adjoint; BatchNorm, activations, Adam element-wise), selection through
 * XASFLOW_NN_BACKEND, the never-failing native build script, dropout semantics, and an end-to-end
 * fit on the fallback backends whose worker-thread and in-thread results are identical.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { useBackend } from '../../src/nn/backend/index.js';
import { jsKernels } from '../../src/nn/backend/js-kernels.js';
import { ACT_GELU, ACT_RELU, type ConvGeometry, type Kernels } from '../../src/nn/backend/kernels.js';
import { KERNELS_WASM_BASE64 } from '../../src/nn/backend/kernels-wasm-binary.js';
import { mlpSpec, NnModel } from '../../src/nn/index.js';
import { DropoutLayer } from '../../src/nn/layers/activation.js';
import { assertClose, availableBackends } from './helpers.js';

const rng = new Rng(7);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

function others(): Kernels[] {
  return availableBackends().map((b) => useBackend(b));
}

test('gemm matches a float64 product for all transposes, strides and odd shapes', () => {
  for (const k of others()) {
    for (const [m, n, kk] of [
      [1, 1, 1],
      [7, 13, 300],
      [65, 17, 513],
      [130, 9, 8],
    ]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const lda = (ta ? m : kk) + 3;
          const ldb = (tb ? kk : n) + 1;
          const ldc = n + 2;
          const a = rand((ta ? kk : m) * lda);
          const b = rand((tb ? n : kk) * ldb);
          const c0 = rand(m * ldc);
          const c = c0.slice();
          k.gemm(ta, tb, m, n, kk, 0.7, a, lda, b, ldb, 0.3, c, ldc);
          const ref = new Float64Array(m * ldc);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < ldc; j++) {
              if (j >= n) {
                ref[i * ldc + j] = c0[i * ldc + j];
                continue;
              }
              let s = 0;
              for (let p = 0; p < kk; p++)
                s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
              ref[i * ldc + j] = 0.7 * s + 0.3 * c0[i * ldc + j];
            }
          }
          assertClose(c, ref, 1e-5, `${k.name} gemm ${m}x${n}x${kk} ta=${ta} tb=${tb}`);
        }
      }
    }
    assert.throws(
      () =>
        k.gemm(
          false,
          false,
          4,
          4,
          4,
          1,
          new Float32Array(15),
          4,
          new Float32Array(16),
          4,
          0,
          new Float32Array(16),
          4,
        ),
      /too short/,
    );
  }
});

test('im2col and col2im are adjoint and agree across backends', () => {
  const g: ConvGeometry = {
    batch: 3,
    length: 17,
    channels: 4,
    kernelSize: 3,
    stride: 2,
    padLeft: 2,
    dilation: 2,
    lengthOut: 9,
  };
  const x = rand(g.batch * g.length * g.channels);
  const colLen = g.batch * g.lengthOut * g.kernelSize * g.channels;
  const d = rand(colLen);
  const refCol = new Float32Array(colLen);
  jsKernels.im2col(x, g, refCol);
  const refDx = new Float32Array(x.length);
  jsKernels.col2im(d, g, refDx);
  let lhs = 0;
  let rhs = 0;
  for (let i = 0; i < colLen; i++) lhs += refCol[i] * d[i];
  for (let i = 0; i < x.length; i++) rhs += x[i] * refDx[i];
  assert.ok(Math.abs(lhs - rhs) < 1e-4 * Math.abs(lhs), `<im2col x, d> = ${lhs} but <x, col2im d> = ${rhs}`);
  for (const k of others()) {
    const col = new Float32Array(colLen);
    k.im2col(x, g, col);
    assert.deepEqual(col, refCol, `${k.name} im2col`);
    const dx = new Float32Array(x.length).fill(9);
    k.col2im(d, g, dx);
    assertClose(dx, refDx, 1e-6, `${k.name} col2im`);
  }
});

test('element-wise, BatchNorm and Adam kernels agree with the TypeScript reference', () => {
  const rows = 300;
  const cols = 7;
  const x = rand(rows * cols);
  const bias = rand(cols);
  const gamma = rand(cols);
  const beta = rand(cols);
  const run = (k: Kernels) => {
    const out: Record<string, Float32Array> = {};
    for (const act of [ACT_RELU, ACT_GELU] as const) {
      const z = x.slice();
      const pre = new Float32Array(z.length);
      k.biasAct(z, bias, rows, cols, act, pre);
      const dy = x.slice().reverse();
      const db = new Float32Array(cols);
      k.actBackward(dy, act === ACT_RELU ? z : pre, rows, cols, act, db);
      Object.assign(out, { [`act${act}`]: z, [`dy${act}`]: dy, [`db${act}`]: db });
    }
    const rm = new Float32Array(cols);
    const rv = new Float32Array(cols).fill(1);
    const xhat = new Float32Array(x.length);
    const inv = new Float32Array(cols);
    const y = new Float32Array(x.length);
    k.bnForwardTrain(x, rows, cols, gamma, beta, 1e-5, 0.1, rm, rv, xhat, inv, y, false);
    const dg = new Float32Array(cols);
    const dbeta = new Float32Array(cols);
    const dx = new Float32Array(x.length);
    k.bnBackward(x.slice().reverse(), xhat, inv, gamma, rows, cols, dg, dbeta, dx, null);
    const yr = new Float32Array(x.length);
    k.bnForwardTrain(x, rows, cols, gamma, beta, 1e-5, 0.1, rm.slice(), rv.slice(), xhat, inv, yr, true);
    const dgr = new Float32Array(cols);
    const dxr = new Float32Array(x.length);
    k.bnBackward(x.slice().reverse(), xhat, inv, gamma, rows, cols, dgr, new Float32Array(cols), dxr, yr);
    const ye = new Float32Array(x.length);
    k.bnForwardEval(x, rows, cols, gamma, beta, 1e-5, rm, rv, ye, false);
    const yer = new Float32Array(x.length);
    k.bnForwardEval(x, rows, cols, gamma, beta, 1e-5, rm, rv, yer, true);
    const p = x.slice();
    const m = new Float32Array(x.length);
    const v = new Float32Array(x.length);
    for (let s = 1; s <= 3; s++)
      k.adam(p, bias.length ? x.slice().reverse() : x, m, v, 1e-2, 0.9, 0.999, 1e-8, 0.01, s === 2, s);
    const sum = new Float32Array(x.length);
    k.add(x, y, sum, false);
    const sumRelu = new Float32Array(x.length);
    k.add(x, y, sumRelu, true);
    const sq = new Float32Array([k.sumSquares(x)]);
    return { ...out, rm, rv, y, dg, dbeta, dx, yr, dgr, dxr, ye, yer, p, m, v, sum, sumRelu, sq };
  };
  const ref = run(jsKernels);
  for (const k of others()) {
    const got = run(k);
    for (const key of Object.keys(ref))
      assertClose(got[key as keyof typeof got], ref[key as keyof typeof ref], 2e-6, `${k.name} ${key}`);
  }
});

test('the embedded WebAssembly module is the committed native/wasm/kernels.wasm', () => {
  assert.deepEqual(Buffer.from(KERNELS_WASM_BASE64, 'base64'), readFileSync('native/wasm/kernels.wasm'));
});

test('XASFLOW_NN_BACKEND selects the backend; an unknown name is an error', () => {
  const script = "import { kernels } from './src/nn/backend/index.ts'; console.log(kernels().name);";
  for (const [env, expected] of [
    ['js', /^js$/m],
    ['wasm', /^wasm$/m],
    ['gpu', /unknown neural-network backend 'gpu'.*expected native, wasm, js or auto/],
  ] as const) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, XASFLOW_NN_BACKEND: env },
    });
    assert.match(`${r.stdout}${r.stderr}`, expected);
  }
});

test('the native build script never fails the install', () => {
  const r = spawnSync(process.execPath, ['scripts/build-native.mjs'], {
    encoding: 'utf8',
    env: { ...process.env, CC: 'no-such-compiler-xasflow' },
  });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /native NN addon not built: no C compiler .*WebAssembly\/TypeScript kernels/);
  assert.equal(r.stdout.trim().split('\n').length, 1);
});

test('dropout: seeded mask, survivors scaled by 1/(1 − p), identity in evaluation', () => {
  useBackend('js');
  const layer = new DropoutLayer({ length: 1, channels: 1000 }, 0.25);
  const x = { data: new Float32Array(4000).fill(2), n: 4, length: 1, channels: 1000 };
  const y1 = layer.forward(x, { training: true, rng: new Rng(3) }).data.slice();
  const zeros = y1.filter((v) => v === 0).length;
  assert.ok(Math.abs(zeros / 4000 - 0.25) < 0.03, `dropped fraction ${zeros / 4000}`);
  assert.ok(y1.every((v) => v === 0 || Math.abs(v - 2 / 0.75) < 1e-6));
  assert.deepEqual(layer.forward(x, { training: true, rng: new Rng(3) }).data, y1);
  const g = layer.backward({ ...x, data: new Float32Array(4000).fill(1) }, true)?.data as Float32Array;
  for (let i = 0; i < 4000; i++) assert.equal(g[i], y1[i] / 2);
  assert.equal(layer.forward(x, { training: false, rng: new Rng(3) }).data, x.data);
});

for (const backend of ['wasm', 'js'] as const) {
  test(`end-to-end fit on the ${backend} backend: worker threads give the same members as one thread`, async () => {
    useBackend(backend);
    const spec = mlpSpec({
      features: 6,
      hidden: [8],
      dropout: 0.1,
      heads: [{ name: 'y', units: 2, loss: 'gaussian_nll' }],
    });
    const x = Float32Array.from({ length: 6 * 120 }, (_, i) => Math.sin(0.37 * i));
    const y = Float32Array.from({ length: 2 * 120 }, (_, i) => Math.cos(0.11 * i));
    const a = new NnModel(spec);
    const b = new NnModel(spec);
    const opts = { seed: 4, folds: 2, epochs: 3, batchSize: 16 };
    await a.fit(x, { y }, { ...opts, workers: 1 });
    await b.fit(x, { y }, { ...opts, workers: 2 });
    assert.equal(b.training?.backend, backend);
    for (let i = 0; i < 2; i++) assert.deepEqual(b.members[i].store.values, a.members[i].store.values);
  });
}

test('training with two BLAS/kernel threads is reproducible run to run', async (t) => {
  if (!availableBackends().includes('native')) {
    t.skip('native backend not built');
    return;
  }
  useBackend('native');
  const spec = {
    // 147 kB of unfolded input per sample: a batch spans several cache-sized chunks, so both
    // threads of the native convolution kernels take part.
    input: { length: 512, channels: 8 },
    layers: [
      { type: 'conv1d', filters: 8, kernelSize: 9, padding: 4, bias: false },
      { type: 'batchnorm' },
      { type: 'relu' },
      { type: 'gap' },
    ],
    heads: [{ name: 'y', units: 1, loss: 'mse' }],
  } as const;
  const x = Float32Array.from({ length: 128 * 512 * 8 }, (_, i) => Math.sin(0.013 * i * (1 + (i % 7))));
  const y = Float32Array.from({ length: 128 }, (_, i) => Math.cos(0.1 * i));
  const fit = async () => {
    const m = new NnModel(structuredClone(spec) as never);
    await m.fit(x, { y }, { seed: 9, epochs: 2, batchSize: 64, workers: 1, threads: 2 });
    return m.members[0].store.values;
  };
  assert.deepEqual(await fit(), await fit());
});
