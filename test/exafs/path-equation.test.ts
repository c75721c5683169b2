import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFeffDat } from '../../src/exafs/feff/dat.js';
import {
  defaultPathKGrid,
  type PathParameters,
  preparePath,
  sumPaths,
} from '../../src/exafs/path-equation.js';

interface LarchCase {
  name: string;
  params: Record<string, number>[];
  k: number[];
  chi: number[];
}
const fixture = JSON.parse(readFileSync('test/fixtures/exafs/larch_path_sums.json', 'utf8')) as {
  sets: { dir: string; files: string[]; cases: LarchCase[] }[];
};

function toParams(p: Record<string, number>): PathParameters {
  return {
    degen: p.degen,
    s02: p.s02,
    e0Ev: p.e0,
    eiEv: p.ei,
    deltaR: p.deltar,
    sigma2: p.sigma2,
    c3: p.third,
    c4: p.fourth,
  };
}

for (const set of fixture.sets) {
  test(`path sums equal Larch ff2chi for ${set.dir}`, () => {
    const paths = set.files.map((f) => preparePath(readFeffDat(join(set.dir, f))));
    for (const c of set.cases) {
      const k = c.name === 'negative' ? Float64Array.from(c.k) : defaultPathKGrid(paths[0].data);
      assert.equal(k.length, c.k.length, `${c.name}: k grid length`);
      const chi = sumPaths(paths, k, c.params.map(toParams));
      let maxAbs = 0;
      let maxDiff = 0;
      for (let i = 0; i < k.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(c.chi[i]));
        maxDiff = Math.max(maxDiff, Math.abs(chi[i] - c.chi[i]));
      }
      assert.ok(maxDiff <= 1e-4 * maxAbs, `${set.dir} ${c.name}: max|Δχ| = ${maxDiff} vs max|χ| = ${maxAbs}`);
    }
  });
}
