/**
 * The four standard figures of a reduced spectrum, as Athena/Larch users look at them:
 * μ(E) with the pre-edge line, post-edge curve and E0; normalised and flattened μ(E);
 * k²·χ(k) with the Fourier-transform window; |χ(R)| (with Re χ(R)).
 */
import type { ProcessResult } from '../process/index.js';
import { type LineChart, renderLineChart } from './line-chart.js';

export type FigureName = 'mu' | 'norm' | 'chik' | 'chir';

export interface Figure {
  name: FigureName;
  svg: string;
  png: Uint8Array;
}

/** Display k-weight of the χ(k) figure (independent of the transform's kweight). */
const PLOT_KWEIGHT = 2;

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
  '.': '·',
};
const sup = (n: number) => [...String(n)].map((c) => SUPERSCRIPT[c] ?? c).join('');

export function processCharts(r: ProcessResult, title: string): Record<FigureName, LineChart> {
  const e = r.energyEv;
  const e0 = r.e0;
  const e0Label = `E0 = ${e0.toFixed(2)} eV`;
  const k = r.autobk.k;
  const kchi = new Float64Array(k.length);
  let maxAbs = 0;
  for (let i = 0; i < k.length; i++) {
    kchi[i] = k[i] ** PLOT_KWEIGHT * r.autobk.chi[i];
    if (Math.abs(kchi[i]) > maxAbs && k[i] >= r.params.xftf.kmin && k[i] <= r.params.xftf.kmax)
      maxAbs = Math.abs(kchi[i]);
  }
  const win = r.xftf.kwin.map((w) => w * 1.05 * maxAbs);
  const rmaxPlot = Math.min(8, r.xftf.r[r.xftf.r.length - 1]);
  const ftKw = r.params.xftf.kweight;
  return {
    mu: {
      title: `${title}: μ(E)`,
      xTitle: 'Energy (eV)',
      yTitle: 'μ(E)',
      series: [
        { name: 'μ(E)', x: e, y: r.mu },
        { name: 'pre-edge line', x: e, y: r.preEdge.preEdge, dashed: true },
        { name: 'post-edge curve', x: e, y: r.preEdge.postEdge, dashed: true },
        { name: 'background μ0(E)', x: e, y: r.autobk.bkg },
      ],
      markers: [{ x: e0, label: e0Label }],
    },
    norm: {
      title: `${title}: normalised μ(E)  (edge step ${r.edgeStep.toPrecision(4)})`,
      xTitle: 'Energy (eV)',
      yTitle: 'normalised μ(E)',
      series: [
        { name: 'norm', x: e, y: r.preEdge.norm },
        { name: 'flat', x: e, y: r.preEdge.flat },
      ],
      markers: [{ x: e0, label: e0Label }],
    },
    chik: {
      title: `${title}: k²·χ(k)`,
      xTitle: 'k (Å⁻¹)',
      yTitle: 'k²·χ(k) (Å⁻²)',
      series: [
        { name: 'k²·χ(k)', x: k, y: kchi },
        { name: `window (${r.params.xftf.window})`, x: k, y: win, dashed: true },
      ],
    },
    chir: {
      title: `${title}: |χ(R)|  (k-weight ${ftKw}, k ${r.params.xftf.kmin}–${r.params.xftf.kmax} Å⁻¹)`,
      xTitle: 'R (Å)',
      yTitle: `|χ(R)| (Å${sup(-(ftKw + 1))})`,
      xDomain: [0, rmaxPlot],
      series: [
        { name: '|χ(R)|', x: r.xftf.r, y: r.xftf.chirMag },
        { name: 'Re χ(R)', x: r.xftf.r, y: r.xftf.chirRe, dashed: true },
      ],
    },
  };
}

export async function processFigures(r: ProcessResult, title: string, widthPx = 1200): Promise<Figure[]> {
  const charts = processCharts(r, title);
  const out: Figure[] = [];
  for (const name of Object.keys(charts) as FigureName[]) {
    const { svg, png } = await renderLineChart(charts[name], widthPx);
    out.push({ name, svg, png });
  }
  return out;
}
