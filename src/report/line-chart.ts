/**
 * Publication-style line charts for spectra: a small declarative description is turned into a
 * Vega-Lite spec, rendered to SVG by Vega (no browser) and to PNG by resvg.
 * Text needs system fonts (Debian fonts-dejavu-core); without them resvg drops text silently,
 * so renderPng reports when no font could be found.
 */
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Dashed stroke, e.g. for fitted lines and windows. */
  dashed?: boolean;
  /** Explicit colour (CSS); otherwise the palette order is used. */
  color?: string;
}

export interface VerticalMarker {
  x: number;
  label: string;
}

export interface LineChart {
  title: string;
  xTitle: string;
  yTitle: string;
  series: LineSeries[];
  markers?: VerticalMarker[];
  xDomain?: [number, number];
  yDomain?: [number, number];
  width?: number;
  height?: number;
}

const PALETTE = ['#1f4e9c', '#d1495b', '#2a9d8f', '#e9a03b', '#6a4c93', '#555555', '#8ab17d'];

/** Builds the Vega-Lite spec of a chart (exposed for the web viewer and for tests). */
export function lineChartSpec(chart: LineChart): TopLevelSpec {
  const values: { s: string; x: number; y: number }[] = [];
  const [xmin, xmax] = chart.xDomain ?? [-Infinity, Infinity];
  for (const s of chart.series) {
    const n = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < n; i++) {
      const x = s.x[i];
      const y = s.y[i];
      if (x < xmin || x > xmax || !Number.isFinite(x) || !Number.isFinite(y)) continue;
      values.push({ s: s.name, x, y });
    }
  }
  const names = chart.series.map((s) => s.name);
  const colors = chart.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]);
  const dashed = chart.series.filter((s) => s.dashed).map((s) => s.name);
  const layers: object[] = [
    {
      data: { values },
      mark: { type: 'line', strokeWidth: 1.6, clip: true },
      encoding: {
        x: {
          field: 'x',
          type: 'quantitative',
          title: chart.xTitle,
          scale: { zero: false, ...(chart.xDomain ? { domain: chart.xDomain } : {}) },
        },
        y: {
          field: 'y',
          type: 'quantitative',
          title: chart.yTitle,
          scale: { zero: false, ...(chart.yDomain ? { domain: chart.yDomain } : {}) },
        },
        color: { field: 's', type: 'nominal', title: null, scale: { domain: names, range: colors } },
        strokeDash: {
          condition: { test: { field: 's', oneOf: dashed.length > 0 ? dashed : ['\u0000'] }, value: [5, 3] },
          value: [1, 0],
        },
      },
    },
  ];
  if (chart.markers && chart.markers.length > 0) {
    const m = chart.markers.map((mk) => ({ x: mk.x, label: mk.label }));
    layers.push(
      {
        data: { values: m },
        mark: { type: 'rule', color: '#888', strokeDash: [2, 2] },
        encoding: { x: { field: 'x', type: 'quantitative' } },
      },
      {
        data: { values: m },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 3, color: '#444', fontSize: 11 },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
      },
    );
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: chart.width ?? 560,
    height: chart.height ?? 340,
    background: 'white',
    config: {
      font: 'DejaVu Sans',
      legend: { orient: 'right', labelLimit: 320 },
      axis: { grid: true, gridOpacity: 0.35 },
    },
    layer: layers,
  } as TopLevelSpec;
}

/** Renders any Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG string to PNG bytes at the given pixel width. */
export function renderPng(svg: string, widthPx = 1200): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: widthPx },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: 'white',
  });
  return resvg.render().asPng();
}

export async function renderLineChart(
  chart: LineChart,
  widthPx = 1200,
): Promise<{ svg: string; png: Uint8Array }> {
  const svg = await renderSvg(lineChartSpec(chart));
  return { svg, png: renderPng(svg, widthPx) };
}
