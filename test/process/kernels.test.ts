/**
 * The WebAssembly kernels of the processing stage against their TypeScript twins: the AUTOBK route
 * (spline, basis, design, QR, Levenberg–Marquardt search, uncertainties) must give bit-identical
 * results, the real FFT must agree with fft.js to rounding; plus kernel selection, the committed
 * module, and the allocation scopes (results of one call never change when later calls run).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { solveAutobkLarch } from '../../src/process/autobk-larch-fit.js';
import { autobkProblem, larchStartCoefs } from '../../src/process/autobk-prepare.js';
import { realFftHalf } from '../../src/process/fft.js';
import { larchNamedOutput, preEdge, processSpectrum, xftf } from '../../src/process/index.js';
import { PROCESS_WASM_BASE64 } from '../../src/process/wasm-binary.js';
import { processKernelsName, processWasm, useProcessKernels } from '../../src/process/wasm-kernels.js';
import { type Fx, loadLarchFixture, maxAbs, maxAbsDiff } from './larch-fixture.js';

const fx = loadLarchFixture();
const byId = new Map<string, Fx>(fx.spectra.map((s: Fx) => [s.id, s]));
const cases: { id: string; energy: Float64Array; mu: Float64Array; params: Fx; xftf: Fx }[] = [
  ...fx.spectra.map((s: Fx) => ({
    id: s.id,
    energy: s.energy,
    mu: s.mu,
    params: s.params,
    xftf: s.xftf.params,
  })),
  ...fx.variants.map((v: Fx) => {
    const s = byId.get(v.spectrum);
    return { id: v.id, energy: s.energy, mu: s.mu, params: v.params, xftf: v.xftf.params };
  }),
];

const wasmAvailable = (() => {
  try {
    return useProcessKernels('wasm') === 'wasm';
  } catch {
    return false;
  }
})();
after(() => useProcessKernels('auto'));

/** Every number of a chain result as a flat record, for comparisons. */
function flatten(r: ReturnType<typeof processSpectrum>): Record<string, ArrayLike<number>> {
  const out: Record<string, ArrayLike<number>> = {};
  for (const [k, v] of Object.entries(larchNamedOutput(r))) {
    if (v instanceof Float64Array) out[k] = new Float64Array(v);
    else if (typeof v === 'number') out[k] = [v];
  }
  out.d2mude = new Float64Array(r.preEdge.d2mude);
  out.knotsY = new Float64Array(r.autobk.details.knotsY);
  out.details = [r.autobk.details.chisqr, r.autobk.details.iterations, r.autobk.details.ndata];
  return out;
}

function run(kernels: 'wasm' | 'js', c: (typeof cases)[number], reuse: boolean) {
  useProcessKernels(kernels);
  return processSpectrum(c.energy, c.mu, {
    pre_edge: c.params.pre_edge,
    autobk: { ...(c.params.autobk ?? {}), reuse_design: reuse },
    xftf: c.xftf,
  });
}

const XFTF_KEYS = new Set(['chir_mag', 'chir_re', 'chir_im', 'chir_pha']);

describe('WebAssembly kernels against the TypeScript twins', { skip: !wasmAvailable }, () => {
  it('the embedded module is the committed src/process/wasm/kernels.wasm', () => {
    assert.deepEqual(
      Buffer.from(PROCESS_WASM_BASE64, 'base64'),
      readFileSync('src/process/wasm/kernels.wasm'),
    );
  });

  for (const reuse of [false, true]) {
    it(`the whole chain on every fixture case (reuse_design ${reuse}): bit-identical up to the FFT`, () => {
      for (const c of cases) {
        const a = flatten(run('wasm', c, reuse));
        const b = flatten(run('js', c, reuse));
        for (const key of Object.keys(b)) {
          assert.equal(a[key].length, b[key].length, `${c.id} ${key}`);
          if (XFTF_KEYS.has(key)) {
            const tol = key === 'chir_pha' ? 1e-12 : 1e-13 * maxAbs(b.chir_mag);
            assert.ok(maxAbsDiff(a[key], b[key]) <= tol, `${c.id} ${key}`);
          } else {
            for (let i = 0; i < b[key].length; i++)
              assert.ok(
                Object.is(a[key][i], b[key][i]),
                `${c.id} ${key}[${i}]: ${a[key][i]} vs ${b[key][i]}`,
              );
          }
        }
      }
    });
  }

  it('pre_edge with every option that takes the WebAssembly route is bit-identical', () => {
    const optionSets = [
      {},
      { nnorm: 0 },
      { nnorm: 1, make_flat: false },
      { nnorm: 3, pre1: -150, pre2: -40 },
      { step: 0.75, norm1: 80, norm2: 400 },
      { e0: undefined, nvict: 0 },
    ];
    for (const c of cases.slice(0, 10)) {
      for (const o of [...optionSets, { e0: c.energy[Math.floor(c.energy.length / 3)] }]) {
        const run = (k: 'wasm' | 'js') => {
          useProcessKernels(k);
          const r = preEdge(c.energy, c.mu, o);
          return [r.energyEv, r.dmude, r.d2mude, r.preEdge, r.postEdge, r.norm, r.flat, r.normCoefs].map(
            (v) => new Float64Array(v),
          );
        };
        const a = run('wasm');
        const b = run('js');
        for (let i = 0; i < a.length; i++) assert.deepEqual(a[i], b[i], `${c.id} ${JSON.stringify(o)} #${i}`);
      }
    }
  });

  it("Larch's Levenberg–Marquardt search on its own (solveAutobkLarch) is bit-identical", () => {
    for (const c of cases.slice(0, 8)) {
      useProcessKernels('js');
      const pe = preEdge(c.energy, c.mu);
      const p = autobkProblem(c.energy, c.mu, { e0: pe.e0, edge_step: pe.edgeStep, reuse_design: false });
      const c0 = larchStartCoefs(p.pr);
      const solve = (k: 'wasm' | 'js') => {
        useProcessKernels(k);
        const s = solveAutobkLarch(p.design, p.a, p.clamps, c0);
        return { ...s, coefs: new Float64Array(s.coefs), covariance: new Float64Array(s.covariance) };
      };
      const a = solve('wasm');
      const b = solve('js');
      assert.equal(a.iterations, b.iterations, c.id);
      assert.ok(Object.is(a.chisqr, b.chisqr), c.id);
      assert.deepEqual(a.coefs, b.coefs, c.id);
      assert.deepEqual(a.covariance, b.covariance, c.id);
    }
  });

  it('the real FFT agrees with fft.js for every length, zero padding and kept range', () => {
    for (const nfft of [4, 8, 64, 512, 2048, 4096]) {
      for (const npts of [1, 2, 3, nfft >> 2, (nfft >> 1) + 1, nfft - 1, nfft]) {
        if (npts > nfft) continue;
        const x = new Float64Array(npts);
        for (let i = 0; i < npts; i++) x[i] = Math.sin(0.37 * i) * Math.exp(-i / 300) + 0.1 * Math.cos(i * i);
        for (const keep of [1, nfft >> 3, nfft >> 1]) {
          if (keep < 1) continue;
          useProcessKernels('wasm');
          const a = new Float64Array(realFftHalf(x, nfft, keep));
          useProcessKernels('js');
          const b = new Float64Array(realFftHalf(x, nfft, keep));
          assert.equal(a.length, 2 * keep);
          assert.ok(
            maxAbsDiff(a, b) <= 1e-14 * Math.max(1, maxAbs(b)),
            `nfft ${nfft} npts ${npts} keep ${keep}`,
          );
        }
      }
    }
  });

  it("the module's atan2 is within 2 units in the last place of Math.atan2, special values exact", () => {
    useProcessKernels('wasm');
    const wasm = processWasm();
    assert.ok(wasm);
    const specials = [
      0,
      -0,
      1,
      -1,
      1e-300,
      -2.5,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ];
    const ys: number[] = [];
    const xs: number[] = [];
    for (const a of specials) {
      for (const b of specials) {
        ys.push(a);
        xs.push(b);
      }
    }
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 20000; i++) {
      ys.push((rand() < 0.5 ? -1 : 1) * rand() * 10 ** (12 * rand() - 6));
      xs.push((rand() < 0.5 ? -1 : 1) * rand() * 10 ** (12 * rand() - 6));
    }
    const got = wasm.atan2(ys, xs);
    const ulp = (v: number) => {
      const a = new Float64Array([Math.abs(v)]);
      const u = new BigInt64Array(a.buffer);
      u[0] += 1n;
      return a[0] - Math.abs(v);
    };
    for (let i = 0; i < ys.length; i++) {
      const ref = Math.atan2(ys[i], xs[i]);
      const special = [ys[i], xs[i]].some((v) => v === 0 || !Number.isFinite(v));
      if (special) assert.ok(Object.is(got[i], ref), `atan2(${ys[i]}, ${xs[i]}): ${got[i]} vs ${ref}`);
      else
        assert.ok(Math.abs(got[i] - ref) <= 2 * ulp(ref), `atan2(${ys[i]}, ${xs[i]}): ${got[i]} vs ${ref}`);
    }
  });

  it('xftf of real data agrees between the kernels', () => {
    const s = fx.spectra[0];
    useProcessKernels('js');
    const r = processSpectrum(s.energy, s.mu, { xftf: s.xftf.params });
    const k = new Float64Array(r.autobk.k);
    const chi = new Float64Array(r.autobk.chi);
    for (const params of [s.xftf.params, { kweight: 3, window: 'kaiser', dk: 4, rmax_out: 30, nfft: 4096 }]) {
      useProcessKernels('wasm');
      const a = xftf(k, chi, params);
      useProcessKernels('js');
      const b = xftf(k, chi, params);
      assert.ok(maxAbsDiff(a.chirRe, b.chirRe) <= 1e-13 * maxAbs(b.chirMag));
      assert.ok(maxAbsDiff(a.chirIm, b.chirIm) <= 1e-13 * maxAbs(b.chirMag));
    }
  });
});

describe('allocation scopes', () => {
  for (const kernels of ['wasm', 'js'] as const) {
    it(`results stay unchanged while later spectra are processed (${kernels})`, {
      skip: kernels === 'wasm' && !wasmAvailable,
    }, () => {
      useProcessKernels(kernels);
      const first = cases.slice(0, 4).map((c) => run(kernels, c, false));
      const snapshot = first.map((r) => flatten(r));
      for (const c of cases.slice(4, 12)) run(kernels, c, true);
      preEdge(cases[5].energy, cases[5].mu);
      first.forEach((r, i) => {
        const now = flatten(r);
        for (const key of Object.keys(now))
          assert.deepEqual(now[key], snapshot[i][key], `${cases[i].id} ${key}`);
      });
    });
  }
});

describe('kernel selection', () => {
  it('XASFLOW_PROCESS_KERNELS selects the kernels; an unknown name is an error', () => {
    const script =
      "import { processKernelsName } from './src/process/wasm-kernels.ts'; console.log('kernels=' + processKernelsName());";
    for (const [env, expected] of [
      ['js', /kernels=js/],
      ['auto', wasmAvailable ? /kernels=wasm/ : /kernels=js/],
      ['gpu', /unknown processing kernels 'gpu'.*wasm, js or auto/s],
    ] as const) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, XASFLOW_PROCESS_KERNELS: env },
      });
      assert.match(`${r.stdout}${r.stderr}`, expected);
    }
  });
  it('useProcessKernels switches at run time', () => {
    assert.equal(useProcessKernels('js'), 'js');
    assert.equal(processKernelsName(), 'js');
    assert.equal(useProcessKernels('auto'), wasmAvailable ? 'wasm' : 'js');
  });
});
