/** processBatch: worker threads give the same numbers as the inline chain, report progress and errors, and can be cancelled. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BatchItem, ProcessPool, processBatch, processSpectrum } from '../../src/process/index.js';
import { type Fx, loadLarchFixture, maxAbsDiff } from './larch-fixture.js';

const fx = loadLarchFixture();
const main: Fx[] = fx.spectra.filter((s: Fx) => !s.stress);
const items: BatchItem[] = [...main, ...main].map((s: Fx, i: number) => ({
  id: `${s.id}#${i}`,
  energyEv: s.energy,
  mu: s.mu,
}));

describe('processBatch', () => {
  it('runs on two worker threads with the inline results, progress and per-item errors', async () => {
    const bad = new Float64Array(main[0].mu);
    bad[3] = Number.NaN;
    const withBad = [
      ...items.slice(0, 11),
      { id: 'broken', energyEv: main[0].energy, mu: bad },
      ...items.slice(11),
    ];
    const seen: number[] = [];
    const res = await processBatch(withBad, {
      workers: 2,
      params: { xftf: { kmin: 2, kmax: 12, kweight: 2 } },
      onProgress: (d) => seen.push(d),
    });
    assert.equal(res.workers, 2);
    assert.equal(res.completed, withBad.length);
    assert.equal(res.failed, 1);
    assert.equal(res.cancelled, false);
    assert.deepEqual(
      seen,
      Array.from({ length: withBad.length }, (_, i) => i + 1),
    );
    const broken = res.outcomes[11];
    assert.ok(broken && !broken.ok && broken.id === 'broken');
    assert.match(broken.error.message, /mu\[3\] is NaN/);
    for (const i of [0, 5, 20]) {
      const o = res.outcomes[i];
      assert.ok(o?.ok);
      const ref = processSpectrum(withBad[i].energyEv, withBad[i].mu, {
        xftf: { kmin: 2, kmax: 12, kweight: 2 },
      });
      assert.equal(maxAbsDiff(o.result.autobk.chi, ref.autobk.chi), 0);
      assert.equal(maxAbsDiff(o.result.xftf.chirMag, ref.xftf.chirMag), 0);
      assert.equal(o.result.params.autobk.rbkg, 1);
    }
  });

  it('keeps finished results when cancelled', async () => {
    const ac = new AbortController();
    const res = await processBatch(items, {
      workers: 2,
      chunkSize: 1,
      signal: ac.signal,
      onProgress: (d) => d === 6 && ac.abort(),
    });
    assert.ok(res.cancelled);
    assert.ok(res.completed >= 6 && res.completed < items.length, `${res.completed}`);
    const done = res.outcomes.filter((o) => o !== undefined);
    assert.equal(done.length, res.completed);
    for (const o of done) assert.ok(o.ok && o.result.autobk.chi.every(Number.isFinite));
  });

  it('runs small batches inline', async () => {
    const res = await processBatch(items.slice(0, 3));
    assert.equal(res.workers, 0);
    assert.equal(res.completed, 3);
  });
});

describe('ProcessPool', () => {
  it('keeps its workers across batches and rejects overlapping runs', async () => {
    const pool = new ProcessPool(2);
    try {
      const a = await pool.process(items.slice(0, 10));
      const running = pool.process(items.slice(10, 20));
      await assert.rejects(pool.process(items.slice(0, 2)), /already running a batch/);
      const b = await running;
      assert.equal(a.completed + b.completed, 20);
      assert.equal(a.failed + b.failed, 0);
      const ac = new AbortController();
      const c = await pool.process(items, {
        chunkSize: 1,
        signal: ac.signal,
        onProgress: (d) => d === 3 && ac.abort(),
      });
      assert.ok(c.cancelled);
      const d = await pool.process(items.slice(0, 8));
      assert.equal(d.completed, 8, 'the pool is usable after a cancelled run');
    } finally {
      await pool.close();
    }
  });
});
