/**
 * XDI 1.0 writer. The header carries the source file's fields (defined namespaces, and
 * extension namespaces together with the application versions that declare them, as the
 * XDI specification asks), the typed metadata, and the processing history under the
 * `xasflow` extension namespace: one `xasflow.step_N: name {json params} (software)` line
 * per step. Values are written with the shortest decimal form that reads back to the same
 * double, so write → read is exact. Files are written atomically.
 */
import { writeFileAtomic } from '../core/atomic-write.js';
import { XasInputError } from '../core/errors.js';
import { SOFTWARE, type Spectrum } from '../core/spectrum.js';

const DEFINED = new Set(['facility', 'beamline', 'mono', 'detector', 'sample', 'scan', 'element']);
const TAG_OK = /^[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

export interface XdiWriteOptions {
  /** Further arrays on the same energy grid to write as columns (e.g. norm, flat, bkg). */
  arrays?: Record<string, Float64Array>;
  /** Include the raw channels (i0, itrans ...) as columns (default true). */
  channels?: boolean;
}

/** Column label for μ following the XDI dictionary. */
function muLabel(sp: Spectrum): string {
  if (sp.meta.datatype === 'norm') return sp.meta.mode === 'fluorescence' ? 'normfluor' : 'normtrans';
  if (sp.meta.mode === 'fluorescence') return 'mufluor';
  if (sp.meta.mode === 'transmission') return 'mutrans';
  return 'mu';
}

function oneLine(v: string): string {
  return v.replace(/[\r\n]+/g, ' ').trim();
}

/** The columns to write: energy, μ, reference μ, channels, extra arrays. */
export function xdiColumns(
  sp: Spectrum,
  options: XdiWriteOptions = {},
): { label: string; data: Float64Array; units?: string }[] {
  const n = sp.energyEv.length;
  const cols: { label: string; data: Float64Array; units?: string }[] = [
    { label: 'energy', data: sp.energyEv, units: 'eV' },
    { label: muLabel(sp), data: sp.mu },
  ];
  if (sp.muRef) cols.push({ label: 'murefer', data: sp.muRef });
  const used = new Set(cols.map((c) => c.data));
  if (options.channels !== false) {
    for (const [k, v] of Object.entries(sp.channels)) {
      if (used.has(v) || v.length !== n || cols.some((c) => c.label === k)) continue;
      cols.push({ label: k, data: v });
      used.add(v);
    }
  }
  for (const [k, v] of Object.entries(options.arrays ?? {})) {
    if (v.length !== n) {
      throw new XasInputError(`array '${k}' has ${v.length} points but the energy grid has ${n}`, {
        field: k,
        expected: 'arrays on the same grid',
      });
    }
    cols.push({ label: k, data: v });
  }
  for (const c of cols) {
    if (!/^[A-Za-z0-9_()-]+$/.test(c.label)) c.label = c.label.replace(/[^A-Za-z0-9_()-]+/g, '_');
    for (let i = 0; i < c.data.length; i++) {
      if (!Number.isFinite(c.data[i])) {
        throw new XasInputError(`column '${c.label}' has ${c.data[i]} at point ${i}; refusing to write it`, {
          field: c.label,
          expected: 'finite values',
        });
      }
    }
  }
  return cols;
}

/** Formats a spectrum as XDI text. */
export function formatXdi(sp: Spectrum, options: XdiWriteOptions = {}): string {
  const cols = xdiColumns(sp, options);
  const meta = sp.meta;
  const appVersions: string[] = [SOFTWARE.replace(' ', '/')];
  const extraVersion = meta.fields['XDI.extra_version'];
  const declared = new Set<string>(['xasflow']);
  if (meta.format === 'xdi' && extraVersion) {
    for (const v of extraVersion.split(/\s+/)) {
      if (!appVersions.includes(v)) appVersions.unshift(v);
      declared.add(v.split('/')[0].toLowerCase());
    }
  }
  const fields = new Map<string, string>();
  const set = (name: string, value: string | number | undefined) => {
    if (value === undefined || value === '') return;
    if ([...fields.keys()].some((k) => k.toLowerCase() === name.toLowerCase())) return;
    fields.set(name, oneLine(String(value)));
  };
  cols.forEach((c, i) => {
    fields.set(`Column.${i + 1}`, c.units ? `${c.label} ${c.units}` : c.label);
  });
  set('Element.symbol', meta.element);
  set('Element.edge', meta.edge);
  for (const [k, v] of Object.entries(meta.fields)) {
    if (!TAG_OK.test(k) || k.toLowerCase().startsWith('column.') || k.toLowerCase().startsWith('xdi.'))
      continue;
    const ns = k.split('.')[0].toLowerCase();
    if (DEFINED.has(ns) || declared.has(ns) || ns === 'outer') set(k, v);
  }
  set('Mono.name', meta.monochromator);
  set('Mono.d_spacing', meta.dSpacingAngstrom);
  set('Beamline.name', meta.beamline);
  set('Facility.name', meta.facility);
  set('Sample.name', meta.sample);
  set(
    'Sample.temperature',
    meta.temperatureK !== undefined ? `${meta.temperatureK} K` : meta.temperatureText,
  );
  set('Scan.start_time', meta.scanStart);
  set('xasflow.source_file', meta.sourceFile);
  set('xasflow.source_format', meta.format);
  set('xasflow.record', meta.record);
  set('xasflow.mu_source', meta.muSource);
  set('xasflow.datatype', meta.datatype);
  set('xasflow.mode', meta.mode);
  set('xasflow.energy_shift', meta.energyShiftEv);
  if (meta.storedParams) set('xasflow.stored_params', JSON.stringify(meta.storedParams));
  sp.history.forEach((h, i) => {
    fields.set(`xasflow.step_${i + 1}`, oneLine(`${h.step} ${JSON.stringify(h.params)} (${h.software})`));
  });
  const lines = [`# XDI/1.0 ${appVersions.join(' ')}`];
  for (const [k, v] of fields) lines.push(`# ${k}: ${v}`);
  lines.push('# ///');
  // user comments are the user's: written back as they are (XDI asks to preserve them)
  for (const c of meta.comments) lines.push(c === '' ? '#' : `# ${c.replace(/[\r\n]+/g, ' ')}`);
  lines.push('#----');
  lines.push(`# ${cols.map((c) => c.label).join(' ')}`);
  const n = sp.energyEv.length;
  const row: string[] = new Array(cols.length);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < cols.length; c++) row[c] = String(cols[c].data[i]).padStart(c === 0 ? 14 : 24);
    lines.push(row.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes a spectrum as an XDI file (atomically). */
export function writeXdi(path: string, sp: Spectrum, options: XdiWriteOptions = {}): void {
  writeFileAtomic(path, formatXdi(sp, options));
}
