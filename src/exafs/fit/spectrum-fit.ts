/**
 * First-shell fit of a measured spectrum file end to end: read (src/io), reduce to χ(k) with
 * Larch's pre_edge and autobk defaults (src/process), pick the path — a feffNNNN.dat, or the
 * single-scattering path of the kernel tables at the reference's first-shell distance — and fit
 * (./first-shell.ts). Optionally converts N·S0² to S0² (known N) or to N (known S0²).
 */
import { XasInputError } from '../../core/errors.js';
import { readSpectrumSync } from '../../io/index.js';
import { type AutobkOptions, type PreEdgeOptions, processSpectrum } from '../../process/index.js';
import { type FeffPathData, readFeffDat } from '../feff/dat.js';
import { loadShippedKernels, readKernelSet } from '../kernels/load.js';
import { pathFromKernels } from '../kernels/path-from-table.js';
import {
  type FirstShellFitOptions,
  type FirstShellFitResult,
  type FitValue,
  fitFirstShell,
} from './first-shell.js';

export interface SpectrumFitOptions extends FirstShellFitOptions {
  /** feffNNNN.dat of the first shell; default: from kernel tables. */
  pathFile?: string;
  /** Kernel tables (.xkt); default: the shipped ones for the spectrum's element. */
  kernelsFile?: string;
  /** Absorber element when the file does not name it. */
  element?: string;
  /** Scatterer element for a kernel path (default: the absorber's). */
  scatterer?: string;
  /** Distance of the kernel path (default: the kernel reference's first shell). */
  pathR?: number;
  preEdge?: PreEdgeOptions;
  autobk?: Omit<AutobkOptions, 'pre_edge_kws'>;
  /** Known coordination number: report S0² = N·S0²/N. */
  coordination?: number;
  /** Known S0² (± uncertainty): report N = N·S0²/S0². */
  s02?: FitValue;
}

export interface SpectrumFitResult {
  file: string;
  element: string;
  e0Ev: number;
  edgeStep: number;
  path: { source: string; reffAngstrom: number };
  fit: FirstShellFitResult;
  s02?: FitValue;
  coordination?: FitValue;
}

export function fitSpectrumFile(file: string, opts: SpectrumFitOptions = {}): SpectrumFitResult {
  const sp = readSpectrumSync(file);
  const element = opts.element ?? sp.meta.element;
  const proc = processSpectrum(sp.energyEv, sp.mu, { pre_edge: opts.preEdge, autobk: opts.autobk });
  let path: FeffPathData;
  if (opts.pathFile) path = readFeffDat(opts.pathFile);
  else {
    if (!element && !opts.kernelsFile) {
      throw new XasInputError('the file does not name the absorbing element', {
        file,
        expected: 'an Element.symbol header, --element, --path or --kernels',
      });
    }
    const kernels = opts.kernelsFile ? readKernelSet(opts.kernelsFile) : loadShippedKernels(element!);
    const shells = (kernels.provenance.reference as { shellsAngstrom?: number[] }).shellsAngstrom;
    const r = opts.pathR ?? shells?.[0];
    if (r === undefined)
      throw new XasInputError('kernel tables without a reference first shell', {
        file: kernels.source,
        expected: '--path-r',
      });
    path = pathFromKernels(kernels, opts.scatterer ?? kernels.absorber, r);
  }
  const fit = fitFirstShell(
    { k: proc.autobk.k, chi: proc.autobk.chi, deltaChi: proc.autobk.deltaChi },
    path,
    opts,
  );
  const out: SpectrumFitResult = {
    file,
    element: element ?? '',
    e0Ev: proc.e0,
    edgeStep: proc.edgeStep,
    path: { source: path.source, reffAngstrom: path.reffAngstrom },
    fit,
  };
  const a = fit.nS02;
  if (opts.coordination !== undefined) {
    if (!(opts.coordination > 0))
      throw new XasInputError(`coordination ${opts.coordination}`, {
        field: 'coordination',
        expected: 'N > 0',
      });
    out.s02 = { value: a.value / opts.coordination, stderr: a.stderr / opts.coordination };
  }
  if (opts.s02 !== undefined) {
    const s = opts.s02;
    if (!(s.value > 0)) throw new XasInputError(`S0² ${s.value}`, { field: 's02', expected: 'S0² > 0' });
    const n = a.value / s.value;
    out.coordination = { value: n, stderr: n * Math.hypot(a.stderr / a.value, s.stderr / s.value) };
  }
  return out;
}

/** Plain-text report in the spirit of Larch's feffit_report. */
export function formatFitReport(r: SpectrumFitResult): string {
  const f = r.fit;
  const v = (x: FitValue, d = 5) => `${x.value.toPrecision(d)} ± ${x.stderr.toPrecision(2)}`;
  const t = f.transform;
  const lines = [
    `first-shell fit of ${r.file} (${r.element}, E0 = ${r.e0Ev.toFixed(2)} eV, edge step ${r.edgeStep.toPrecision(4)})`,
    `  path          ${r.path.source}, reff = ${r.path.reffAngstrom.toFixed(4)} Å`,
    `  fit space     ${t.fitspace}; k ${t.kmin}–${t.kmax} Å⁻¹, k-weight ${t.kweight}, window ${t.window} dk ${t.dk}; R ${t.rmin}–${t.rmax} Å`,
    `  n_idp ${f.nIdp.toFixed(3)}, n_varys ${f.nVarys}, chi-square ${f.chiSquare.toPrecision(5)}, reduced ${f.chi2Reduced.toPrecision(5)}, R-factor ${f.rFactor.toPrecision(4)}, epsilon_k ${f.epsilonKMean.toPrecision(3)}`,
    `  N·S0²         ${v(f.nS02)}`,
    `  ΔE0 (eV)      ${v(f.e0Ev)}`,
    `  R1 (Å)        ${v(f.r1)}   (ΔR ${v(f.deltaR, 4)})`,
    `  σ² (Å²)       ${v(f.sigma2, 4)}`,
  ];
  if (f.c3) lines.push(`  C3 (Å³)       ${v(f.c3, 4)}`);
  if (r.s02) lines.push(`  S0² (N given) ${v(r.s02, 4)}`);
  if (r.coordination) lines.push(`  N (S0² given) ${v(r.coordination, 4)}`);
  return lines.join('\n');
}
