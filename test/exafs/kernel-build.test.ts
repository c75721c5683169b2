import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkFeffInstalled } from '../../src/exafs/feff/runner.js';
import { buildKernelSet } from '../../src/exafs/kernels/build.js';
import { decodeKernelSet, encodeKernelSet } from '../../src/exafs/kernels/format.js';
import { loadShippedKernels } from '../../src/exafs/kernels/load.js';

// Drives Debian feff85exafs: runs where it is installed (development machines), skipped in CI.
let feff = true;
try {
  checkFeffInstalled();
} catch {
  feff = false;
}
const dir = mkdtempSync(join(tmpdir(), 'xasflow-kernel-build-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a small kernel build with FEFF reproduces the shipped Ni nodes and resumes from its batches', {
  skip: !feff && 'feff85exafs not installed',
}, () => {
  const grid = {
    pairR: { start: 2.4, step: 0.05, count: 4 },
    triangleR: { start: 2.3, step: 0.2, count: 2 },
    phiVertex: { start: 170, step: 5, count: 3 },
    phiEnd: { start: 170, step: 5, count: 3 },
  };
  const opts = {
    workDir: join(dir, 'work'),
    reference: {
      kind: 'lattice' as const,
      element: 'Ni',
      structure: 'fcc' as const,
      aAngstrom: 3.524,
      radiusAngstrom: 7.5,
    },
    grid,
    batchSize: 20,
  };
  const stages: string[] = [];
  const first = buildKernelSet({
    ...opts,
    onProgress: (p) => stages.push(`${p.stage}:${p.done}/${p.total}`),
  });
  assert.ok(stages.includes('paths:20/92') && stages.at(-1) === 'done:92/92', stages.join(' '));
  assert.equal(readdirSync(opts.workDir).filter((f) => f.endsWith('.f64')).length, 5);
  const again = buildKernelSet(opts);
  assert.deepEqual(again.set.triangles[1].amplitudes[2], first.set.triangles[1].amplitudes[2]);
  // node r = 2.5 Å of the small build equals the shipped table's node (same FEFF reference)
  const shipped = loadShippedKernels('Ni').pairs[0];
  const nk = first.set.kNodes.length;
  const ours = decodeKernelSet(encodeKernelSet(first.set, 3), 'small').pairs[0].amplitudes[0].subarray(
    2 * nk * 2,
    3 * nk * 2,
  );
  const theirs = shipped.amplitudes[0].subarray(18 * nk * 2, 19 * nk * 2);
  let m = 0;
  for (let i = 0; i < 2 * nk; i++)
    m = Math.max(m, Math.abs(ours[i] - theirs[i]) / Math.max(...theirs.map(Math.abs)));
  assert.ok(m < 1e-4, `max relative difference ${m}`);
  assert.throws(
    () => buildKernelSet({ ...opts, batchSize: 10 }),
    /work directory holds a run with different settings/,
  );
});
