/**
 * Chart descriptions of XANES results (data, fit, weighted components, residual; fractions with
 * credible intervals), as plain objects in the shape the report area's line charts take, so the
 * command line can render them to PNG and SVG.
 */
import type { LcfResult } from './lcf.js';
import type { PredictResult } from './predict.js';

export interface ChartSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
  color?: string;
}

export interface Chart {
  title: string;
  xTitle: string;
  yTitle: string;
  series: ChartSeries[];
  markers?: { x: number; label: string }[];
  xDomain?: [number, number];
  yDomain?: [number, number];
}

export function lcfCharts(r: LcfResult, title: string): { fit: Chart; residual: Chart } {
  const series: ChartSeries[] = [
    { name: 'data', x: r.x, y: r.ydata, color: '#222222' },
    { name: 'fit', x: r.x, y: r.yfit, dashed: true, color: '#d1495b' },
    ...r.labels.map((l, j) => ({ name: `${l} (${r.weights[j].toFixed(3)})`, x: r.x, y: r.components[j] })),
  ];
  const resid = r.ydata.map((v, i) => v - r.yfit[i]);
  return {
    fit: {
      title: `${title}: linear combination fit (R = ${r.rfactor.toExponential(2)})`,
      xTitle: 'Energy (eV)',
      yTitle: 'normalised μ(E)',
      series,
    },
    residual: {
      title: `${title}: residual`,
      xTitle: 'Energy (eV)',
      yTitle: 'data − fit',
      series: [{ name: 'residual', x: r.x, y: resid }],
    },
  };
}

/** Model spectrum Σ fⱼ·refⱼ on the data energies (for the network's answer). */
function mixture(
  energy: Float64Array,
  refs: { energyEv: Float64Array; norm: Float64Array }[],
  f: number[],
): Float64Array {
  const out = new Float64Array(energy.length);
  refs.forEach((r, j) => {
    if (f[j] === 0) return;
    let k = 0;
    for (let i = 0; i < energy.length; i++) {
      while (k < r.energyEv.length - 2 && r.energyEv[k + 1] < energy[i]) k++;
      const w = Math.min(1, Math.max(0, (energy[i] - r.energyEv[k]) / (r.energyEv[k + 1] - r.energyEv[k])));
      out[i] += f[j] * (r.norm[k] * (1 - w) + r.norm[k + 1] * w);
    }
  });
  return out;
}

export function predictCharts(
  p: PredictResult,
  refs: { name: string; energyEv: Float64Array; norm: Float64Array }[],
  title: string,
  range: [number, number],
): { fit: Chart; residual: Chart; fractions: Chart } {
  const sel: number[] = [];
  for (let i = 0; i < p.energyEv.length; i++)
    if (p.energyEv[i] >= range[0] && p.energyEv[i] <= range[1]) sel.push(i);
  const e = Float64Array.from(sel, (i) => p.energyEv[i]);
  const d = Float64Array.from(sel, (i) => p.data[i]);
  const byName = new Map(refs.map((r) => [r.name, r]));
  const cnnFit = mixture(
    e,
    p.labels.map((l) => byName.get(l) as (typeof refs)[number]),
    p.cnn.map((c) => c.mean),
  );
  const series: ChartSeries[] = [
    { name: 'data', x: e, y: d, color: '#222222' },
    { name: 'network fractions', x: e, y: cnnFit, dashed: true, color: '#2a9d8f' },
  ];
  const resid: ChartSeries[] = [
    { name: 'data − network mixture', x: e, y: d.map((v, i) => v - cnnFit[i]), color: '#2a9d8f' },
  ];
  if (p.posterior) {
    const post = p.posterior;
    // the posterior's own energies are the data points within the network range
    const pe = new Float64Array(post.yfit.length);
    let k = 0;
    for (let i = 0; i < p.energyEv.length && k < pe.length; i++)
      if (p.energyEv[i] >= range[0] && p.energyEv[i] <= range[1]) pe[k++] = p.energyEv[i];
    series.push({ name: 'posterior mean model', x: pe, y: post.yfit, dashed: true, color: '#d1495b' });
    resid.push({
      name: 'data − posterior model',
      x: pe,
      y: Float64Array.from(pe, (_, i) => d[i] - post.yfit[i]),
      color: '#d1495b',
    });
  }
  const idx = p.labels.map((_, j) => j);
  const level = (
    est: { intervals: { level: number; lower: number; upper: number }[] },
    which: 'lower' | 'upper',
  ) => est.intervals.find((q) => q.level === 0.95)?.[which] ?? Number.NaN;
  const fr: ChartSeries[] = [
    { name: 'network mean', x: idx, y: p.cnn.map((c) => c.mean), color: '#2a9d8f' },
    {
      name: 'network 95 % lower',
      x: idx,
      y: p.cnn.map((c) => level(c, 'lower')),
      dashed: true,
      color: '#2a9d8f',
    },
    {
      name: 'network 95 % upper',
      x: idx,
      y: p.cnn.map((c) => level(c, 'upper')),
      dashed: true,
      color: '#2a9d8f',
    },
  ];
  if (p.posteriorCalibrated) {
    const pc = p.posteriorCalibrated;
    fr.push(
      { name: 'posterior mean', x: idx, y: pc.map((c) => c.mean), color: '#d1495b' },
      {
        name: 'posterior 95 % lower (recalibrated)',
        x: idx,
        y: pc.map((c) => level(c, 'lower')),
        dashed: true,
        color: '#d1495b',
      },
      {
        name: 'posterior 95 % upper (recalibrated)',
        x: idx,
        y: pc.map((c) => level(c, 'upper')),
        dashed: true,
        color: '#d1495b',
      },
    );
  } else if (p.posterior) {
    const post = p.posterior;
    const at = (name: string) => post.labels.indexOf(name);
    const val = (f: (s: (typeof post.fractions)[number]) => number) =>
      p.labels.map((l) => (at(l) >= 0 ? f(post.fractions[at(l)]) : 0));
    fr.push(
      { name: 'posterior mean', x: idx, y: val((s) => s.mean), color: '#d1495b' },
      {
        name: 'posterior 95 % lower',
        x: idx,
        y: val((s) => s.intervals[2].lower),
        dashed: true,
        color: '#d1495b',
      },
      {
        name: 'posterior 95 % upper',
        x: idx,
        y: val((s) => s.intervals[2].upper),
        dashed: true,
        color: '#d1495b',
      },
    );
  }
  return {
    fit: { title: `${title}: data and models`, xTitle: 'Energy (eV)', yTitle: 'normalised μ(E)', series },
    residual: { title: `${title}: residuals`, xTitle: 'Energy (eV)', yTitle: 'residual', series: resid },
    fractions: {
      title: `${title}: fractions with 95 % intervals (reference index, see JSON for names)`,
      xTitle: 'reference index',
      yTitle: 'fraction',
      series: fr,
      markers: p.labels
        .map((l, j) => ({ x: j, label: l.replace(/_111\.xdi$|\.xdi$|\.dat$/, '') }))
        .filter((_, j) => p.cnn[j].mean > 0.02),
    },
  };
}
