import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineChartSpec, renderLineChart } from '../../src/report/line-chart.js';

test('line chart renders SVG with title, axis titles and marker label, and a PNG', async () => {
  const x = Float64Array.from({ length: 200 }, (_, i) => 8300 + i);
  const y = x.map((e) => 1 / (1 + Math.exp(-(e - 8333) / 3)));
  const chart = {
    title: 'Ni foil',
    xTitle: 'Energy (eV)',
    yTitle: 'μ(E)',
    series: [
      { name: 'mu', x, y },
      { name: 'post-edge', x, y: y.map((v) => v + 0.1), dashed: true },
    ],
    markers: [{ x: 8333, label: 'E0' }],
  };
  const { svg, png } = await renderLineChart(chart, 600);
  assert.match(svg, /^<svg/);
  for (const text of ['Ni foil', 'Energy (eV)', 'μ(E)', 'E0', 'post-edge'])
    assert.ok(svg.includes(text), text);
  // PNG signature and a plausible size for a 600 px wide figure with text
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.ok(png.length > 10000, `png is only ${png.length} bytes`);
});

test('points outside the x domain and non-finite values are left out of the data', () => {
  const spec = lineChartSpec({
    title: 't',
    xTitle: 'x',
    yTitle: 'y',
    xDomain: [1, 3],
    series: [{ name: 's', x: [0, 1, 2, 3, 4], y: [0, 1, Number.NaN, 3, 4] }],
  }) as unknown as { layer: { data: { values: unknown[] } }[] };
  assert.equal(spec.layer[0].data.values.length, 2);
});
