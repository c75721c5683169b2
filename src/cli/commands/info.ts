/**
 * `xasflow info FILE... [--json] [--strict] [--record R]`: what a data file holds -- format,
 * records, metadata, how μ was obtained, columns with their lengths, the energy range, and
 * any warnings (with --strict, XDI recommendations are enforced and the file is rejected).
 */
import type { Command } from 'commander';
import { toJson } from '../../core/atomic-write.js';
import type { Spectrum } from '../../core/spectrum.js';
import { detectFormat, type FileFormat, readSpectra } from '../../io/index.js';

interface InfoOptions {
  json?: boolean;
  strict?: boolean;
  record?: string;
  format?: FileFormat;
}

/** Summary of one spectrum, without the arrays. */
export function describeSpectrum(sp: Spectrum): Record<string, unknown> {
  const e = sp.energyEv;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let decreasing = 0;
  let repeated = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] < min) min = e[i];
    if (e[i] > max) max = e[i];
    if (i > 0 && e[i] < e[i - 1]) decreasing++;
    if (i > 0 && e[i] === e[i - 1]) repeated++;
  }
  const columns = Object.entries(sp.channels).map(([label, a]) => ({
    label,
    length: a.length,
    units: sp.meta.columnUnits?.[label],
  }));
  const { fields, extra, ...meta } = sp.meta;
  const out: Record<string, unknown> = {
    record: meta.record,
    datatype: meta.datatype ?? 'xmu',
    points: sp.meta.datatype === 'chi' ? sp.k?.length : e.length,
    ...meta,
    columns,
    fieldCount: Object.keys(fields).length,
    fields,
  };
  if (e.length > 0) {
    out.energyRangeEv = [min, max];
    out.energyOrder = { decreasingSteps: decreasing, repeatedValues: repeated };
  }
  if (sp.k) out.kRange = [sp.k[0], sp.k[sp.k.length - 1]];
  if (extra) out.extra = Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'args'));
  return out;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) >= 100 ? 2 : 4);
}

function textReport(file: string, format: FileFormat, spectra: Spectrum[]): string {
  const lines = [`${file}`, `  format: ${format}   records: ${spectra.length}`];
  spectra.forEach((sp, i) => {
    const m = sp.meta;
    lines.push(`  [${i + 1}]${m.record !== undefined ? ` ${m.record}` : ''}`);
    const id = [m.element, m.edge].filter(Boolean).join(' ') || '?';
    lines.push(`    element/edge: ${id}   mode: ${m.mode ?? 'unknown'}   datatype: ${m.datatype ?? 'xmu'}`);
    const desc: string[] = [];
    if (m.sample) desc.push(`sample: ${m.sample}`);
    if (m.temperatureK !== undefined) desc.push(`T: ${m.temperatureK} K`);
    else if (m.temperatureText) desc.push(`T: ${m.temperatureText}`);
    if (m.facility) desc.push(`facility: ${m.facility}`);
    if (m.beamline) desc.push(`beamline: ${m.beamline}`);
    if (m.monochromator) desc.push(`mono: ${m.monochromator}`);
    if (m.dSpacingAngstrom) desc.push(`d: ${m.dSpacingAngstrom} Å`);
    if (m.scanStart) desc.push(`start: ${m.scanStart}`);
    if (desc.length > 0) lines.push(`    ${desc.join('   ')}`);
    if (m.datatype === 'chi' && sp.k) {
      lines.push(`    χ(k): ${sp.k.length} points, k ${fmt(sp.k[0])} .. ${fmt(sp.k[sp.k.length - 1])} Å⁻¹`);
    } else {
      const d = describeSpectrum(sp);
      const [lo, hi] = (d.energyRangeEv as number[] | undefined) ?? [Number.NaN, Number.NaN];
      const order = d.energyOrder as { decreasingSteps: number; repeatedValues: number } | undefined;
      const notes =
        order && (order.decreasingSteps || order.repeatedValues)
          ? ` (${order.decreasingSteps} decreasing steps, ${order.repeatedValues} repeated values; kept as read)`
          : '';
      lines.push(`    μ: ${m.muSource ?? '?'}`);
      lines.push(`    points: ${sp.energyEv.length}   energy: ${fmt(lo)} .. ${fmt(hi)} eV${notes}`);
      if (m.energyShiftEv) lines.push(`    energy shift applied: ${m.energyShiftEv} eV`);
    }
    const cols = Object.entries(sp.channels).map(
      ([k, a]) => `${k}${m.columnUnits?.[k] ? ` [${m.columnUnits[k]}]` : ''} (${a.length})`,
    );
    lines.push(`    columns: ${cols.join(', ')}`);
    const sp2 = m.storedParams;
    if (sp2) {
      for (const [group, params] of Object.entries(sp2)) {
        const kv = Object.entries(params ?? {}).map(([k, v]) => `${k}=${v}`);
        if (kv.length > 0) lines.push(`    stored ${group}: ${kv.join(' ')}`);
      }
    }
    if (m.comments.length > 0 && m.format === 'xdi') lines.push(`    comments: ${m.comments.join(' | ')}`);
    for (const w of m.warnings ?? []) lines.push(`    warning: ${w}`);
  });
  return lines.join('\n');
}

export function registerInfoCommands(program: Command): void {
  program
    .command('info')
    .description('show format, records, metadata and columns of XAS data files')
    .argument('<files...>', 'data files (XDI, column text, Athena .prj, NeXus/HDF5)')
    .option('--json', 'print JSON instead of text')
    .option('--strict', 'XDI: treat recommendations and tolerated deviations as errors')
    .option('--record <name>', 'only this record (1-based index or name)')
    .option('--format <format>', 'skip detection: xdi, ascii, athena or nexus')
    .action(async (files: string[], opts: InfoOptions) => {
      const reports: Record<string, unknown>[] = [];
      let failed = 0;
      for (const file of files) {
        try {
          const format = opts.format ?? detectFormat(file);
          const spectra = await readSpectra(file, { strict: opts.strict, record: opts.record, format });
          if (opts.json) reports.push({ file, format, records: spectra.map(describeSpectrum) });
          else process.stdout.write(`${textReport(file, format, spectra)}\n`);
        } catch (err) {
          if (files.length === 1) throw err;
          failed++;
          process.stderr.write(`xasflow: ${err instanceof Error ? err.message : String(err)}\n`);
          if (opts.json) reports.push({ file, error: err instanceof Error ? err.message : String(err) });
        }
      }
      if (opts.json) process.stdout.write(`${toJson(files.length === 1 ? reports[0] : reports, 1)}\n`);
      if (failed > 0) process.exitCode = 1;
    });
}
