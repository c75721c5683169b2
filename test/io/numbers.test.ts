/**
 * The data-row number parser must give exactly what Number() gives for every decimal token
 * (its fast path computes the value itself), accept Fortran 'D' exponents, and reject
 * anything that is not a plain decimal number.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { NAN_LIKE, NOT_NUMBER, NUMBER, parseDecimal, RowScanner, tokenKind } from '../../src/io/numbers.js';

describe('parseDecimal', () => {
  it('equals Number() bit for bit on 80 000 random decimal tokens (seed 20241121)', () => {
    const rng = new Rng(20241121);
    let checked = 0;
    for (let k = 0; k < 20000; k++) {
      const x = (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 60 - 30);
      const forms = [
        String(x),
        x.toFixed(Math.floor(rng.uniform() * 14)),
        x.toExponential(Math.floor(rng.uniform() * 18)),
        x.toPrecision(1 + Math.floor(rng.uniform() * 21)),
      ];
      for (const t of forms) {
        if (!Number.isFinite(Number(t))) continue;
        assert.ok(Object.is(parseDecimal(t), Number(t)), t);
        checked++;
      }
    }
    assert.ok(checked > 70000);
  });
  it('edge cases', () => {
    for (const t of [
      '0',
      '-0',
      '1.',
      '.5',
      '+3.25e-7',
      '9007199254740993',
      '0.30000000000000004',
      '5e-324',
      '1e23',
      '00012.50',
    ]) {
      assert.ok(Object.is(parseDecimal(t), Number(t)), t);
    }
    assert.equal(parseDecimal('1.5D+03'), 1500);
    assert.equal(parseDecimal('-12.5d-2'), -0.125);
    for (const t of ['', '-', '.', 'e5', '1e', '1.2.3', '0x10', '1_000', 'nan', 'Infinity', '12a', ' 1']) {
      assert.ok(Number.isNaN(parseDecimal(t)), t);
    }
    assert.equal(tokenKind('-inf'), NAN_LIKE);
    assert.equal(tokenKind('NaN'), NAN_LIKE);
    assert.equal(tokenKind('abc'), NOT_NUMBER);
    assert.equal(tokenKind('1e-3'), NUMBER);
  });
  it('row scanner splits on blanks (and commas when asked) and flags the first bad token', () => {
    const s = new RowScanner(true);
    assert.equal(s.scan('  8979.0,\t1.5e3  x  nan'), 4);
    assert.deepEqual(s.values.slice(0, 2), [8979, 1500]);
    assert.equal(s.firstBad, 2);
    assert.equal(s.token(2), 'x');
    assert.equal(s.isNumericRow(), false);
    const w = new RowScanner(false);
    assert.equal(w.scan('1,2 3'), 2);
    assert.equal(w.firstBad, 0);
  });
});
