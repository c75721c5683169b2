/**
 * Format-detecting entry points: readSpectra() returns every spectrum a file holds (all
 * records of an Athena project or NeXus file, all blocks of a 2-D XDI file, all columns of a
 * multi-spectrum table); readSpectrum() returns one, chosen with `record`.
 *
 * Detection is by content, never by file name: the HDF5 signature means NeXus; gzip is
 * unpacked first; 'Athena project file --' (Perl) or '_____header' (JSON) means an Athena
 * project; a first line '# XDI/' means XDI; anything else is read as a column file.
 */
import { XasInputError } from '../core/errors.js';
import type { Spectrum } from '../core/spectrum.js';
import { readAsciiLines } from './ascii.js';
import { readAthena } from './athena.js';
import type { ColumnChoice } from './choose-mu.js';
import { hasHdf5Signature, initHdf5, readNexusSync } from './nexus.js';
import { decodeText, gunzipFile, isGzip, readBytes, splitLines } from './text.js';
import { readXdiLines } from './xdi.js';

export type FileFormat = 'xdi' | 'ascii' | 'athena' | 'nexus';

export interface ReadOptions extends ColumnChoice {
  /** Skip detection and read as this format. */
  format?: FileFormat;
  /** XDI: treat warnings (recommendations, tolerated deviations) as errors. */
  strict?: boolean;
  /** Column files: labels to use instead of the file's. */
  labels?: string[];
  /**
   * Which record: a 1-based index, or a name (record label, Larch group name, Athena id,
   * column label of a multi-spectrum table). readSpectra() then returns only that record.
   */
  record?: string | number;
}

interface Sniffed {
  format: FileFormat;
  lines?: string[];
}

/** Extensions that promise a format; content that breaks the promise is refused. */
const PROMISED: Record<string, FileFormat> = {
  prj: 'athena',
  h5: 'nexus',
  hdf5: 'nexus',
  nxs: 'nexus',
  nx5: 'nexus',
};

function sniff(path: string, forced?: FileFormat): Sniffed {
  const s = sniffContent(path, forced);
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  const promised = PROMISED[ext];
  if (!forced && promised && s.format !== promised) {
    throw new XasInputError(
      promised === 'athena'
        ? "has the .prj extension but is not an Athena project (no 'Athena project file --' header, no JSON _____header)"
        : `has the .${ext} extension but is not an HDF5 file (no HDF5 signature)`,
      { file: path, expected: promised === 'athena' ? 'an Athena project file' : 'a NeXus/HDF5 file' },
    );
  }
  return s;
}

function sniffContent(path: string, forced?: FileFormat): Sniffed {
  const raw = readBytes(path);
  if (forced === 'nexus' || (!forced && hasHdf5Signature(raw))) return { format: 'nexus' };
  const bytes = isGzip(raw) ? gunzipFile(raw, path) : raw;
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  if (
    forced === 'athena' ||
    (!forced &&
      (head.includes('Athena project file -- ') ||
        (head.trimStart().startsWith('{') && head.includes('_____header'))))
  ) {
    return { format: 'athena' };
  }
  const lines = splitLines(decodeText(bytes, path));
  if (lines.every((l) => l.trim() === '')) {
    throw new XasInputError('file holds only blank lines', { file: path, expected: 'XAS data' });
  }
  if (forced) return { format: forced, lines };
  const first = lines.find((l) => l.trim() !== '') ?? '';
  return { format: /^#\s*XDI\//i.test(first.trim()) ? 'xdi' : 'ascii', lines };
}

/** The format of a file, by content. */
export function detectFormat(path: string): FileFormat {
  return sniff(path).format;
}

function readSniffed(path: string, s: Sniffed, options: ReadOptions): Spectrum[] {
  switch (s.format) {
    case 'nexus':
      return readNexusSync(path);
    case 'athena':
      return readAthena(path);
    case 'xdi':
      return readXdiLines(path, s.lines!, options);
    default:
      return readAsciiLines(path, s.lines!, options);
  }
}

function names(sp: Spectrum): string[] {
  const extra = (sp.meta.extra ?? {}) as Record<string, unknown>;
  return [sp.meta.record, extra.larchGroup, extra.athenaId].filter((v): v is string => typeof v === 'string');
}

/**
 * Picks one spectrum. Without a selector: the first that holds μ(E) (not a χ(k) record).
 * Names match exactly first, then ignoring case and surrounding blanks; when several records
 * share a name (Athena allows that) the last one wins, as in Larch's read_athena.
 */
export function selectRecord(
  spectra: Spectrum[],
  record: string | number | undefined,
  file: string,
): Spectrum {
  const list = spectra.map((s, i) => `${i + 1}: ${s.meta.record ?? '(unnamed)'}`).join(', ');
  if (record === undefined) {
    const sp = spectra.find((s) => s.meta.datatype !== 'chi');
    if (!sp) throw new XasInputError('the file holds no μ(E) record', { file, expected: `one of ${list}` });
    return sp;
  }
  if (typeof record === 'number' || /^\d+$/.test(record)) {
    const n = Number(record);
    if (n >= 1 && n <= spectra.length) return spectra[n - 1];
    if (typeof record === 'number') {
      throw new XasInputError(`no record ${record}`, {
        file,
        field: 'record',
        expected: `1..${spectra.length} (${list})`,
      });
    }
  }
  const wanted = String(record);
  const exact = spectra.filter((s) => names(s).includes(wanted));
  if (exact.length > 0) return exact[exact.length - 1];
  const norm = (v: string) => v.trim().toLowerCase();
  const loose = spectra.filter((s) => names(s).some((n) => norm(n) === norm(wanted)));
  if (loose.length > 0) return loose[loose.length - 1];
  throw new XasInputError(`no record named '${wanted}'`, {
    file,
    field: 'record',
    expected: `one of ${list}`,
  });
}

/** Reads every spectrum of a file (synchronously; NeXus needs `await initHdf5()` first). */
export function readSpectraSync(path: string, options: ReadOptions = {}): Spectrum[] {
  const spectra = readSniffed(path, sniff(path, options.format), options);
  return options.record === undefined ? spectra : [selectRecord(spectra, options.record, path)];
}

/** Reads every spectrum of a file. */
export async function readSpectra(path: string, options: ReadOptions = {}): Promise<Spectrum[]> {
  const s = sniff(path, options.format);
  if (s.format === 'nexus') await initHdf5();
  const spectra = readSniffed(path, s, options);
  return options.record === undefined ? spectra : [selectRecord(spectra, options.record, path)];
}

/** Reads one spectrum (the first μ(E) record, or the one named by `record`). */
export async function readSpectrum(path: string, options: ReadOptions = {}): Promise<Spectrum> {
  const { record, ...rest } = options;
  return selectRecord(await readSpectra(path, rest), record, path);
}

/** Synchronous readSpectrum (NeXus needs `await initHdf5()` first). */
export function readSpectrumSync(path: string, options: ReadOptions = {}): Spectrum {
  const { record, ...rest } = options;
  return selectRecord(readSpectraSync(path, rest), record, path);
}
