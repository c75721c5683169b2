import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readFeffDat } from '../../src/exafs/feff/dat.js';
import { type FitValue, fitFirstShell } from '../../src/exafs/fit/first-shell.js';
import { fitSpectrumFile } from '../../src/exafs/fit/spectrum-fit.js';

interface LarchFit {
  params: Record<string, { value: number; stderr: number }>;
  chi_square: number;
  chi2_reduced: number;
  rfactor: number;
  n_idp: number;
  epsilon_k_mean: number;
}
const fx = JSON.parse(readFileSync('test/fixtures/exafs/larch_first_shell_fits.json', 'utf8')) as {
  transform: Record<string, number | string>;
  spectra: {
    name: string;
    file: string;
    path: string;
    e0: number;
    k: number[];
    chi: number[];
    delta_chi: number[];
    fits: Record<string, LarchFit>;
  }[];
};
const close = (a: number, b: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs Larch ${b}`);

test('feffit on Larch’s χ(k) reproduces Larch’s values, uncertainties and statistics (R and k space, with C3)', () => {
  for (const s of fx.spectra) {
    const path = readFeffDat(s.path);
    for (const [variant, larch] of Object.entries(s.fits)) {
      const r = fitFirstShell({ k: s.k, chi: s.chi, deltaChi: s.delta_chi }, path, {
        transform: { ...fx.transform, fitspace: variant === 'k' ? 'k' : 'r' },
        fitC3: variant === 'r_c3',
      });
      const ours: Record<string, FitValue | undefined> = {
        nss02: r.nS02,
        de0: r.e0Ev,
        dr: r.deltaR,
        ss2: r.sigma2,
        c3: r.c3,
      };
      for (const [name, p] of Object.entries(larch.params)) {
        const o = ours[name]!;
        assert.ok(
          Math.abs(o.value - p.value) <= 1e-3 * p.stderr,
          `${s.name}/${variant} ${name}: ${o.value} vs ${p.value}`,
        );
        close(o.stderr, p.stderr, 1e-4, `${s.name}/${variant} ${name} stderr`);
      }
      close(r.chiSquare, larch.chi_square, 1e-4, `${s.name}/${variant} chi-square`);
      close(r.chi2Reduced, larch.chi2_reduced, 1e-4, `${s.name}/${variant} reduced chi-square`);
      close(r.rFactor, larch.rfactor, 1e-3, `${s.name}/${variant} R-factor`);
      close(r.nIdp, larch.n_idp, 1e-12, 'n_idp');
      close(r.epsilonKMean, larch.epsilon_k_mean, 1e-6, 'epsilon_k');
    }
  }
});

test('measured Ni and Cu foils end to end (our reader, processing and kernel path): R1, σ², N', () => {
  const t = { ...fx.transform, fitspace: 'r' as const };
  const ni = ['data/xafs/lisa_esrf/Ni_foil_111.xdi', 'data/xafs/ni_metal_rt.xdi'].map((f) =>
    fitSpectrumFile(f, { transform: t }),
  );
  const cu = ['data/xafs/cu_metal_rt.xdi', 'data/xanes_refs/lisa_esrf_cu/Cu_foil_111.xdi'].map((f) =>
    fitSpectrumFile(f, { transform: t }),
  );
  for (const r of ni) {
    assert.ok(
      Math.abs(r.fit.r1.value - 2.49) <= 0.01 && r.fit.r1.stderr < 0.01,
      `Ni R1 ${r.fit.r1.value} ± ${r.fit.r1.stderr}`,
    );
    assert.ok(Math.abs(r.fit.sigma2.value - 0.006) < 0.0006, `Ni σ² ${r.fit.sigma2.value}`);
  }
  for (const r of cu) {
    assert.ok(
      Math.abs(r.fit.r1.value - 2.55) <= 0.01 && r.fit.r1.stderr < 0.01,
      `Cu R1 ${r.fit.r1.value} ± ${r.fit.r1.stderr}`,
    );
  }
  // S0² from one measurement of each metal (N = 12) transferred to the other: N = 12 within its uncertainty
  for (const pair of [ni, cu]) {
    for (const [ref, sample] of [
      [pair[0], pair[1]],
      [pair[1], pair[0]],
    ]) {
      const s02 = { value: ref.fit.nS02.value / 12, stderr: ref.fit.nS02.stderr / 12 };
      const n = sample.fit.nS02.value / s02.value;
      const dn = n * Math.hypot(sample.fit.nS02.stderr / sample.fit.nS02.value, s02.stderr / s02.value);
      assert.ok(Math.abs(n - 12) <= dn, `${sample.file}: N = ${n} ± ${dn}`);
    }
  }
  // side by side with Larch's feffit on the same data and window (FEFF path file vs kernel path)
  for (const [r, s] of [...ni, ...cu].map((r) => [r, fx.spectra.find((x) => x.file === r.file)!] as const)) {
    const l = s.fits.r.params;
    assert.ok(Math.abs(r.e0Ev - s.e0) < 1e-6);
    const larchR1 = readFeffDat(s.path).reffAngstrom + l.dr.value;
    assert.ok(
      Math.abs(r.fit.r1.value - larchR1) < 0.2 * l.dr.stderr,
      `${s.name} R1 ${r.fit.r1.value} vs Larch ${larchR1}`,
    );
    assert.ok(Math.abs(r.fit.nS02.value - l.nss02.value) < 0.05 * l.nss02.stderr, `${s.name} N·S0²`);
    assert.ok(Math.abs(r.fit.sigma2.value - l.ss2.value) < 0.05 * l.ss2.stderr, `${s.name} σ²`);
  }
});

test('fit input errors are clear', () => {
  const s = fx.spectra[1];
  const path = readFeffDat(s.path);
  assert.throws(
    () => fitFirstShell({ k: s.k, chi: s.chi }, path, { transform: { kmax: 25 } }),
    /data reaching kmax = 25/,
  );
  assert.throws(
    () =>
      fitFirstShell({ k: s.k, chi: s.chi }, path, { transform: { kmin: 3, kmax: 4, rmin: 2, rmax: 2.5 } }),
    /independent points for 4 variables/,
  );
  assert.throws(() => fitFirstShell({ k: s.k, chi: s.chi.slice(0, 10) }, path), /equal length/);
  assert.throws(
    () => fitSpectrumFile('data/xafs/ni_metal_rt.xdi', { pathFile: 'no/such/feff0001.dat' }),
    /cannot read FEFF path file/,
  );
});
