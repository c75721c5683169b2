/**
 * The XDI reference test set data/xafs/xdi_spec/baddata (BadFiles.txt says what is wrong with
 * each): every invalid file is rejected, each with a message that names its defect and line.
 * bad_00 is the valid template the others were made from (BadFiles.txt: "valid xdi file")
 * and must load. Files whose only defect is one the XDI reference library itself reads
 * with a warning (a recommendation, not a rule the data depend on) load by default with
 * the warning and are rejected in strict (validator) mode; all others are always rejected.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { XasInputError } from '../../src/core/errors.js';
import { readXdi } from '../../src/io/index.js';

const DIR = 'data/xafs/xdi_spec/baddata';

/** Defect (BadFiles.txt), the message we expect, the line it names, and whether only strict mode rejects. */
const CASES: [string, RegExp, number | undefined, 'always' | 'strict'][] = [
  ['01', /not an XDI version line/, 1, 'always'],
  ['02', /Element\.edge is missing/, undefined, 'always'],
  ['03', /Element\.symbol is missing/, undefined, 'always'],
  ['04', /Element\.edge 'Foo' is not valid/, 6, 'always'],
  ['05', /Element\.symbol 'Foo' is not valid/, 7, 'always'],
  ['06', /no header-end line \('#----'\)/, 29, 'always'],
  ['07', /no Column\.N fields/, undefined, 'always'],
  ['08', /only Column\.1 to Column\.3 are defined \(too few Column labels/, undefined, 'strict'],
  ['09', /Column\.5 is given but the data have only 4 columns \(too many Column labels\)/, 6, 'always'],
  [
    '10',
    /Column\.7 is given but Column\.4, Column\.5, Column\.6 are missing \(column numbers must be continuous/,
    5,
    'always',
  ],
  ['11', /unsupported comment character '!'/, 12, 'always'],
  ['12', /monochromator angle but Mono\.d_spacing is missing/, 2, 'always'],
  ['13', /row has 3 values but the data table has 4 columns/, 31, 'always'],
  ['14', /row has 6 values but the data table has 4 columns/, 36, 'always'],
  ['15', /'nan' is not a finite number/, 29, 'always'],
  ['16', /'STRING' is not a number/, 30, 'always'],
  ['17', /'1\.4\.9' is not a number/, 29, 'always'],
  ['18', /field 'Family\.key' has no value/, 8, 'always'],
  ['19', /no ':'/, 8, 'always'],
  ['20', /'Family:key' uses ':' where '\.' belongs/, 8, 'always'],
  ['21', /'Family key' contains white space and no '\.'/, 8, 'always'],
  ['22', /'Family\.key\.subkey' has more than one '\.'/, 8, 'always'],
  ['23', /tag '00key' begins with a digit/, undefined, 'strict'],
  ['24', /namespace '2000Family' begins with a digit/, 8, 'always'],
  ['25', /extension namespace GSE used but the version line names no application/, 1, 'strict'],
  ['26', /no field-end line \('# \/\/\/'\).*no user-comment section/, undefined, 'strict'],
  ['27', /field-end line \('# \/\/\/'\) present but no user comments/, undefined, 'strict'],
  ['28', /'2001-Jun-26 22:27:31' is not an ISO 8601 date and time/, 18, 'always'],
  ['29', /month 26 is out of range/, 18, 'always'],
  ['30', /Element\.edge 'Bar' is not valid.*Element\.symbol 'Foo' is not valid/, 6, 'always'],
  ['31', /Mono\.d_spacing 'three point one three five five three' is not a positive number/, 10, 'always'],
  [
    '32',
    /recommended field Facility\.name is missing.*recommended field Beamline\.name is missing/,
    undefined,
    'strict',
  ],
  ['33', /Sample\.temperature '300\.0a K': '300\.0a' is not a number/, 23, 'always'],
  ['34', /Facility\.energy '7\.00 missing units': 'missing units' is not a unit of GeV or MeV/, 16, 'always'],
  ['35', /Facility\.current '101x ma': '101x' is not a number/, 17, 'always'],
];

function rejection(file: string, strict: boolean): XasInputError | undefined {
  try {
    readXdi(file, { strict });
    return undefined;
  } catch (err) {
    assert.ok(err instanceof XasInputError, `expected XasInputError, got ${err}`);
    return err;
  }
}

describe('XDI bad-data set', () => {
  it('BadFiles.txt lists exactly the files tested here', () => {
    const listed = readFileSync(`${DIR}/BadFiles.txt`, 'utf8').match(/bad_\d\d\.xdi/g) ?? [];
    assert.deepEqual(
      listed,
      ['00', ...CASES.map((c) => c[0])].map((n) => `bad_${n}.xdi`),
    );
  });

  it('bad_00.xdi (the valid template) loads, even in strict mode', () => {
    const [sp] = readXdi(`${DIR}/bad_00.xdi`, { strict: true });
    assert.equal(sp.meta.element, 'Cu');
    assert.equal(sp.meta.edge, 'K');
    assert.equal(sp.energyEv.length, 12);
    assert.equal(sp.meta.warnings, undefined);
  });

  for (const [n, pattern, line, when] of CASES) {
    const file = `${DIR}/bad_${n}.xdi`;
    it(`bad_${n}.xdi is rejected${when === 'strict' ? ' in strict mode (loads with a warning otherwise)' : ''}`, () => {
      const strictErr = rejection(file, true);
      assert.ok(strictErr, 'strict mode must reject it');
      assert.match(strictErr.message, pattern);
      assert.ok(strictErr.message.startsWith(file), `message names the file: ${strictErr.message}`);
      if (line !== undefined) assert.equal(strictErr.line, line, `line of: ${strictErr.message}`);
      const defaultErr = rejection(file, false);
      if (when === 'always') {
        assert.ok(defaultErr, 'rejected by default');
        assert.match(defaultErr.message, pattern);
      } else {
        assert.equal(defaultErr, undefined, 'loads by default');
        const [sp] = readXdi(file);
        assert.match((sp.meta.warnings ?? []).join('; '), pattern, 'the defect is reported as a warning');
      }
    });
  }
});
