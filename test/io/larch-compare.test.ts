/**
 * Our readers against Larch's (fixture from tools/io/make-reader-fixtures.py, Larch 0.9.58):
 * same rows, same columns, same energy and μ for every real data file in data/, and the
 * same Athena records and stored parameters.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Spectrum } from '../../src/core/spectrum.js';
import { initHdf5, readSpectraSync } from '../../src/io/index.js';

interface Stats {
  n: number;
  sum: number;
  first: number;
  last: number;
}
interface ColumnFixture {
  kind: 'ascii' | 'xdi';
  larch_labels: string[];
  nrows: number;
  columns: Stats[];
  energy: Stats;
  mu: Stats;
  mu_rule: string;
  records?: Stats[];
}
interface AthenaGroup {
  group: string;
  athena_id: string;
  label: string | null;
  energy?: Stats;
  mu?: Stats;
  k?: Stats;
  chi?: Stats;
  i0?: Stats;
  signal?: Stats;
  params: Record<string, number | string>;
}
interface Fixture {
  files: Record<
    string,
    | ColumnFixture
    | { kind: 'athena'; groups: AthenaGroup[] }
    | {
        kind: 'nexus';
        entries: { entry: string; energy: Stats; mu: Stats; element: string; edge: string; mode: string }[];
      }
  >;
}

const fixture: Fixture = JSON.parse(readFileSync('test/fixtures/io/larch-readers.json', 'utf8'));

function statsOf(a: ArrayLike<number>, offset = 0): Stats {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] - offset;
  return { n: a.length, sum, first: a[0] - offset, last: a[a.length - 1] - offset };
}

function assertStats(got: Stats, want: Stats, what: string): void {
  assert.equal(got.n, want.n, `${what}: length`);
  const tol = (x: number) => 1e-9 * Math.max(1, Math.abs(x));
  assert.ok(
    Math.abs(got.sum - want.sum) <= 1e-11 * want.n * Math.max(1, Math.abs(want.sum) / want.n) + tol(want.sum),
    `${what}: sum ${got.sum} vs Larch ${want.sum}`,
  );
  assert.ok(
    Math.abs(got.first - want.first) <= tol(want.first),
    `${what}: first ${got.first} vs Larch ${want.first}`,
  );
  assert.ok(
    Math.abs(got.last - want.last) <= tol(want.last),
    `${what}: last ${got.last} vs Larch ${want.last}`,
  );
}

/** Files whose column labels we deliberately derive differently from Larch (docs/io.md). */
function labelsDiffer(file: string, f: ColumnFixture): boolean {
  return (
    f.kind === 'xdi' ||
    file.endsWith('.fio') ||
    file.endsWith('.res') ||
    file.includes('/athena_extracted/') ||
    file.includes('/xasref_nsls/')
  );
}

describe('column and XDI files: same arrays as Larch read_ascii', () => {
  for (const [file, f] of Object.entries(fixture.files)) {
    if (f.kind !== 'ascii' && f.kind !== 'xdi') continue;
    it(file, () => {
      const spectra = readSpectraSync(file);
      // Larch's read_ascii stops at the first comment line going up, so for 2-D XDI files it
      // sees only the last block
      const sp: Spectrum = file.endsWith('nonxafs_2d.xdi') ? spectra[spectra.length - 1] : spectra[0];
      const labels = sp.meta.columnLabels ?? [];
      assert.equal(labels.length, f.columns.length, 'number of columns');
      if (!labelsDiffer(file, f)) assert.deepEqual(labels, f.larch_labels, 'column labels');
      f.columns.forEach((want, k) => {
        assertStats(statsOf(sp.channels[labels[k]]), want, `column ${k + 1} (${labels[k]})`);
      });
      assertStats(statsOf(sp.energyEv), f.energy, 'energy');
      assertStats(statsOf(sp.mu), f.mu, `mu (${f.mu_rule}; ours: ${sp.meta.muSource})`);
      if (f.records) {
        assert.equal(spectra.length, f.records.length, 'records of the multi-spectrum table');
        spectra.forEach((s, k) => {
          assertStats(statsOf(s.mu), f.records![k], `record ${k + 1}`);
        });
      }
    });
  }
});

describe('Athena projects: same records and parameters as Larch read_athena', () => {
  for (const [file, f] of Object.entries(fixture.files)) {
    if (f.kind !== 'athena') continue;
    it(file, () => {
      const spectra = readSpectraSync(file);
      for (const g of f.groups) {
        // Larch keys groups by name: with repeated labels the last record wins
        const matches = spectra.filter(
          (s) => (s.meta.extra as { larchGroup: string }).larchGroup === g.group,
        );
        assert.ok(matches.length > 0, `record for Larch group ${g.group}`);
        const sp = matches[matches.length - 1];
        assert.equal((sp.meta.extra as { athenaId: string }).athenaId, g.athena_id, `${g.group}: Athena id`);
        if (g.label !== null) assert.equal(sp.meta.record, g.label, `${g.group}: label`);
        const eshift = Number(g.params.bkg_eshift ?? 0);
        if (g.energy) {
          // Larch 0.9.58 does not apply bkg_eshift; we do (Athena does)
          assert.equal(sp.meta.energyShiftEv ?? 0, eshift, `${g.group}: energy shift`);
          assertStats(statsOf(sp.energyEv, eshift), g.energy, `${g.group}: energy - eshift`);
          assertStats(statsOf(sp.mu), g.mu!, `${g.group}: mu`);
          if (g.i0) assertStats(statsOf(sp.channels.i0), g.i0, `${g.group}: i0`);
          if (g.signal) assertStats(statsOf(sp.channels.signal), g.signal, `${g.group}: signal`);
        } else {
          assert.equal(sp.meta.datatype, 'chi');
          assertStats(statsOf(sp.k!), g.k!, `${g.group}: k`);
          assertStats(statsOf(sp.chi!), g.chi!, `${g.group}: chi`);
        }
        const p = sp.meta.storedParams!;
        const num = (k: string) => (typeof g.params[k] === 'number' ? (g.params[k] as number) : undefined);
        assert.equal(p.preEdge?.e0, num('bkg_e0'), `${g.group}: e0`);
        assert.equal(p.preEdge?.pre1, num('bkg_pre1'), `${g.group}: pre1`);
        assert.equal(p.preEdge?.pre2, num('bkg_pre2'), `${g.group}: pre2`);
        assert.equal(p.preEdge?.norm1, num('bkg_nor1'), `${g.group}: nor1`);
        assert.equal(p.preEdge?.norm2, num('bkg_nor2'), `${g.group}: nor2`);
        assert.equal(p.preEdge?.nnorm, num('bkg_nnorm'), `${g.group}: nnorm`);
        assert.equal(p.preEdge?.step, num('bkg_step'), `${g.group}: step`);
        assert.equal(p.autobk?.rbkg, num('bkg_rbkg'), `${g.group}: rbkg`);
        assert.equal(p.autobk?.kweight, num('bkg_kw'), `${g.group}: bkg kw`);
        assert.equal(p.autobk?.kmin, num('bkg_spl1'), `${g.group}: spl1`);
        assert.equal(p.autobk?.kmax, num('bkg_spl2'), `${g.group}: spl2`);
        assert.equal(p.xftf?.kmin, num('fft_kmin'), `${g.group}: fft kmin`);
        assert.equal(p.xftf?.kmax, num('fft_kmax'), `${g.group}: fft kmax`);
        assert.equal(p.xftf?.dk, num('fft_dk'), `${g.group}: fft dk`);
        const win = g.params.fft_kwindow;
        if (typeof win === 'string') assert.equal(p.xftf?.window, win === 'kaiser-bessel' ? 'kaiser' : win);
      }
    });
  }
});

describe('NeXus files: same arrays as h5py', () => {
  for (const [file, f] of Object.entries(fixture.files)) {
    if (f.kind !== 'nexus') continue;
    it(file, async () => {
      await initHdf5();
      const spectra = readSpectraSync(file);
      assert.equal(spectra.length, f.entries.length);
      f.entries.forEach((e, k) => {
        const sp = spectra[k];
        assert.equal(sp.meta.record, e.entry);
        assert.equal(sp.meta.element, e.element);
        assert.equal(sp.meta.edge, e.edge);
        assert.equal(sp.meta.mode, e.mode);
        assertStats(statsOf(sp.energyEv), e.energy, `${e.entry}: energy`);
        assertStats(statsOf(sp.mu), e.mu, `${e.entry}: mu`);
      });
    });
  }
});
