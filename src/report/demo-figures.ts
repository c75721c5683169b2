/**
 * Figures that combine several results of the end-to-end demo: first-shell fits in R space,
 * a temperature series, MD-based χ(k) against the measured spectrum, g(r) and bond angles.
 * Inputs are the JSON documents the CLI commands write, so the figures can be redrawn later.
 */
import { xftf } from '../process/index.js';
import type { LineChart } from './line-chart.js';

type Num = ArrayLike<number>;

/** |χ(R)| of measured and fitted χ(k) with the fit's own transform (window, k-weight, ranges). */
export function fitRChart(
  title: string,
  fit: {
    k: Num;
    chiData: Num;
    chiModel: Num;
    transform: {
      kmin: number;
      kmax: number;
      kweight: number;
      dk: number;
      window: string;
      rmin: number;
      rmax: number;
    };
  },
): LineChart {
  const t = fit.transform;
  const ft = { kmin: t.kmin, kmax: t.kmax, kweight: t.kweight, dk: t.dk, window: t.window };
  const data = xftf(Float64Array.from(fit.k), Float64Array.from(fit.chiData), ft);
  const model = xftf(Float64Array.from(fit.k), Float64Array.from(fit.chiModel), ft);
  return {
    title,
    xTitle: 'R (Å)',
    yTitle: `|χ(R)|`,
    xDomain: [0, 6],
    series: [
      { name: 'data |χ(R)|', x: data.r, y: data.chirMag },
      { name: 'fit |χ(R)|', x: model.r, y: model.chirMag, dashed: true },
      { name: 'data Re χ(R)', x: data.r, y: data.chirRe },
      { name: 'fit Re χ(R)', x: model.r, y: model.chirRe, dashed: true },
    ],
    markers: [
      { x: t.rmin, label: 'rmin' },
      { x: t.rmax, label: 'rmax' },
    ],
  };
}

/** |χ(R)| of several processed spectra (e.g. a temperature series) on one plot. */
export function overlayChirChart(title: string, items: { name: string; r: Num; chirMag: Num }[]): LineChart {
  return {
    title,
    xTitle: 'R (Å)',
    yTitle: '|χ(R)|',
    xDomain: [0, 6],
    series: items.map((it) => ({ name: it.name, x: it.r, y: it.chirMag })),
  };
}

/** k²·χ(k) of a configuration-averaged calculation against a measured spectrum. */
export function modelVsMeasuredChart(
  title: string,
  measured: { name: string; k: Num; chi: Num },
  model: { name: string; k: Num; chi: Num },
  kRange: [number, number],
): LineChart {
  const weight = (k: Num, chi: Num) => Float64Array.from(chi, (c, i) => k[i] * k[i] * c);
  return {
    title,
    xTitle: 'k (Å⁻¹)',
    yTitle: 'k²·χ(k) (Å⁻²)',
    xDomain: kRange,
    series: [
      { name: measured.name, x: measured.k, y: weight(measured.k, measured.chi) },
      { name: model.name, x: model.k, y: weight(model.k, model.chi), dashed: true },
    ],
  };
}

export function rdfChart(title: string, rAngstrom: Num, g: Num, rmin?: number): LineChart {
  return {
    title,
    xTitle: 'r (Å)',
    yTitle: 'g(r)',
    series: [{ name: 'g(r)', x: rAngstrom, y: g }],
    ...(rmin !== undefined ? { markers: [{ x: rmin, label: 'first minimum' }] } : {}),
  };
}

export function badChart(title: string, thetaDeg: Num, density: Num, cutoffAngstrom: number): LineChart {
  return {
    title: `${title} (neighbours within ${cutoffAngstrom.toFixed(2)} Å)`,
    xTitle: 'bond angle (°)',
    yTitle: 'probability density (1/°)',
    series: [{ name: 'bond-angle distribution', x: thetaDeg, y: density }],
  };
}
