/**
 * Edge table and lookups against xraydb (fixture from tools/io/make-reader-fixtures.py):
 * energies, fluorescence yields, jump ratios, core-hole widths, symbol <-> Z and
 * guess_edge for 175 energies from 30 eV to 120 keV.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  atomicNumber,
  atomicSymbol,
  coreHoleWidth,
  EDGE_TABLE_SOURCE,
  edgeEnergy,
  edgeInfo,
  edgesOf,
  guessEdge,
} from '../../src/core/edges.js';
import { XasInputError } from '../../src/core/errors.js';

interface EdgeFixture {
  edges: Record<string, Record<string, { energy?: number; fyield?: number; jump?: number; width?: number }>>;
  guess_edge: [number, string | null, string | null][];
  atomic_number: Record<string, number>;
}
const fx: EdgeFixture = JSON.parse(readFileSync('test/fixtures/io/larch-readers.json', 'utf8')).edges;

describe('edge table', () => {
  it('names its sources', () => {
    assert.match(EDGE_TABLE_SOURCE, /Elam, Ravel & Sieber/);
    assert.match(EDGE_TABLE_SOURCE, /Krause & Oliver/);
    assert.match(EDGE_TABLE_SOURCE, /Keski-Rahkonen & Krause/);
  });
  it('matches xraydb energies, yields, jump ratios and core-hole widths', () => {
    for (const [elem, edges] of Object.entries(fx.edges)) {
      const ours = new Map(edgesOf(elem).map((e) => [e.edge, e]));
      for (const [edge, v] of Object.entries(edges)) {
        if (v.energy === undefined) continue;
        const e = ours.get(edge);
        assert.ok(e, `${elem} ${edge}`);
        assert.equal(e.energyEv, v.energy, `${elem} ${edge} energy`);
        assert.equal(e.fluorescenceYield, v.fyield);
        assert.equal(e.jumpRatio, v.jump);
        if (v.width !== undefined) assert.equal(coreHoleWidth(elem, edge), v.width, `${elem} ${edge} width`);
      }
      assert.equal(ours.size, Object.values(edges).filter((v) => v.energy !== undefined).length);
    }
  });
  it('edgeEnergy and symbol <-> Z', () => {
    assert.equal(edgeEnergy('Ni', 'K'), fx.edges.Ni.K.energy);
    assert.equal(edgeEnergy('pt', 'l3'), fx.edges.Pt.L3.energy);
    assert.equal(edgeInfo(29, 'K').element, 'Cu');
    for (const [sym, z] of Object.entries(fx.atomic_number)) {
      assert.equal(atomicNumber(sym), z);
      assert.equal(atomicSymbol(z), sym);
    }
    assert.equal(atomicSymbol(118), 'Og');
    assert.throws(() => atomicNumber('Xx'), XasInputError);
    assert.throws(() => edgeEnergy('H', 'L3'), /no L3 edge tabulated for H/);
    assert.throws(() => edgeEnergy('Fe', 'Q9'), /not an absorption edge name/);
  });
  it(`guessEdge agrees with xraydb.guess_edge at ${fx.guess_edge.length} energies`, () => {
    for (const [e, elem, edge] of fx.guess_edge) {
      const g = guessEdge(e);
      assert.deepEqual(g ? [g.element, g.edge] : [null, null], [elem, edge], `E = ${e} eV`);
    }
  });
});
