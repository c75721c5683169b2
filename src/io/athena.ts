/**
 * Athena project records as Spectra (reader entry point for .prj files).
 *
 * μ is the stored `y` array, which Athena writes already reduced from its columns
 * (numerator/denominator with the `ln` flag); when `y` is missing it is rebuilt from the
 * stored `i0` and `signal` arrays the way Athena defines them: ln(i0/signal) when `ln` is
 * set, signal/i0 otherwise. The stored energy shift `bkg_eshift` is added to the energy, as
 * Athena (and Larch since 0.9.7x) apply it before any processing; Larch 0.9.58's
 * read_athena ignores it (docs/io.md). Records that hold χ(k) (is_chi) get k and chi.
 */
import { atomicSymbol, edgeEnergy, guessEdge, isElementSymbol, normalizeEdgeName } from '../core/edges.js';
import { XasInputError } from '../core/errors.js';
import { emptyMeta, type Spectrum } from '../core/spectrum.js';
import {
  type AthenaProject,
  type AthenaRecord,
  flag,
  larchGroupName,
  num,
  parseAthenaProject,
  storedParamsOf,
  str,
  toArray,
} from './athena-project.js';

/** Converts one parsed record into a Spectrum. */
export function recordToSpectrum(rec: AthenaRecord, project: AthenaProject, path: string): Spectrum {
  const { args } = rec;
  const label = str(args, 'label') ?? rec.id;
  const warnings: string[] = [];
  const x = toArray(rec.arrays.x, '@x', rec, path);
  if (!x || x.length === 0) {
    throw new XasInputError(`record '${label}' has no energy array (@x)`, {
      file: path,
      line: rec.line,
      expected: 'x and y arrays',
    });
  }
  let y = toArray(rec.arrays.y, '@y', rec, path);
  const aux: Record<string, Float64Array> = {};
  for (const name of ['i0', 'signal', 'stddev']) {
    let a: Float64Array | undefined;
    try {
      a = toArray(rec.arrays[name], `@${name}`, rec, path);
    } catch (err) {
      // auxiliary arrays are not needed for μ; keep the record, say why the array was dropped
      warnings.push(`stored array ${name} ignored: ${(err as Error).message.replace(/^[^:]*: /, '')}`);
      continue;
    }
    if (!a || a.length === 0) continue;
    if (a.length !== x.length) {
      warnings.push(`stored array ${name} has ${a.length} points, not ${x.length}; ignored`);
      continue;
    }
    aux[name] = a;
  }
  const ln = flag(args, 'ln');
  let muSource = 'Athena record y (stored μ)';
  if (!y || y.length === 0) {
    if (!aux.i0 || !aux.signal) {
      throw new XasInputError(`record '${label}' has neither μ (@y) nor i0 and signal arrays`, {
        file: path,
        line: rec.line,
        expected: 'y, or i0 and signal',
      });
    }
    y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const r = ln ? aux.i0[i] / aux.signal[i] : aux.signal[i] / aux.i0[i];
      y[i] = ln ? Math.log(r) : r;
      if (!Number.isFinite(y[i])) {
        throw new XasInputError(
          `record '${label}': cannot rebuild μ at point ${i} from i0 = ${aux.i0[i]}, signal = ${aux.signal[i]}`,
          {
            file: path,
            line: rec.line,
          },
        );
      }
    }
    muSource = ln ? 'ln(i0/signal) (Athena record arrays)' : 'signal/i0 (Athena record arrays)';
  } else if (y.length !== x.length) {
    throw new XasInputError(`record '${label}': @x has ${x.length} points but @y has ${y.length}`, {
      file: path,
      line: rec.line,
      expected: 'arrays of equal length',
    });
  }
  const isChi = flag(args, 'is_chi');
  const eshift = num(args, 'bkg_eshift') ?? 0;
  const meta = emptyMeta();
  meta.format = 'athena';
  meta.sourceFile = path;
  meta.record = label;
  meta.sample = label;
  meta.comments = Array.isArray(args.titles)
    ? args.titles.map((t) => String(t ?? '')).filter((t) => t !== 'titles')
    : [];
  meta.storedParams = storedParamsOf(args);
  meta.datatype = isChi ? 'chi' : flag(args, 'is_nor') ? 'norm' : 'xmu';
  meta.muSource = isChi ? 'Athena record y (stored χ(k))' : muSource;
  meta.extra = {
    athenaId: rec.id,
    larchGroup: larchGroupName(label),
    projectFormat: project.format,
    projectHeader: project.header,
    args,
  };
  for (const [k, v] of Object.entries(args)) {
    if (v !== null && typeof v !== 'object') meta.fields[`Athena.${k}`] = String(v);
  }
  // element and edge: bkg_z and fft_edge, checked against E0 (stale bkg_z values occur)
  const e0 = meta.storedParams.preEdge?.e0;
  const z = str(args, 'bkg_z');
  const edge = normalizeEdgeName(str(args, 'fft_edge') ?? '') ?? 'K';
  if (z && isElementSymbol(z)) {
    let consistent = true;
    try {
      consistent = e0 === undefined || Math.abs(edgeEnergy(z, edge) - e0) < 0.05 * e0;
    } catch {
      consistent = false;
    }
    if (consistent) {
      meta.element = atomicSymbol(z);
      meta.edge = edge;
    }
  }
  if (meta.element === undefined && e0 !== undefined && !isChi) {
    const g = guessEdge(e0);
    if (g) {
      meta.element = g.element;
      meta.edge = g.edge;
      warnings.push(
        `element and edge guessed from the stored E0 (${e0} eV): ${g.element} ${g.edge}${z ? ` (stored bkg_z '${z}' does not match)` : ''}`,
      );
    }
  }
  if (flag(args, 'is_kev')) warnings.push('record is flagged is_kev; energies are used as stored');
  const channels: Record<string, Float64Array> = { ...aux };
  if (aux.signal && ln) channels.itrans = aux.signal;
  if (!isChi && ln && aux.i0 && aux.signal && rec.arrays.y) {
    // the stored μ should be the reduction of the stored channels; say so when it is not
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const r = Math.log(aux.i0[i] / aux.signal[i]);
      worst = Math.max(worst, Math.abs(r - y[i]) / (Math.abs(y[i]) + 1e-12));
    }
    if (!(worst < 1e-6)) {
      warnings.push(
        `stored μ differs from ln(i0/signal) (max relative difference ${worst.toExponential(2)}); the stored μ is used`,
      );
    }
  }
  if (warnings.length > 0) meta.warnings = warnings;
  if (isChi) {
    return {
      energyEv: new Float64Array(0),
      mu: new Float64Array(0),
      k: x,
      chi: y,
      channels,
      meta,
      history: [],
    };
  }
  const energyEv = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) energyEv[i] = x[i] + eshift;
  if (eshift !== 0) {
    meta.energyShiftEv = eshift;
    channels.energy_stored = x;
  }
  if (ln) meta.mode = 'transmission';
  return { energyEv, mu: y, channels, meta, history: [] };
}

/** Reads every record of an Athena project. */
export function readAthena(path: string): Spectrum[] {
  const project = parseAthenaProject(path);
  if (project.records.length === 0) {
    throw new XasInputError('Athena project holds no records', {
      file: path,
      expected: 'at least one data group',
    });
  }
  return project.records.map((r) => recordToSpectrum(r, project, path));
}

export { larchGroupName, parseAthenaProject };
