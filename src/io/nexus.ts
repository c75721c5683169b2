/**
 * NeXus/HDF5 reader for single XAS spectra (NXxas application definition: NXentry with
 * `energy`, an NXdata `signal`, NXdetector channels under `instrument`, `element/symbol`,
 * `edge/name`, `mode`), through h5wasm. Each NXentry is one record.
 *
 * μ: raw detector channels are preferred (ln(i0/itrans) in transmission, ifluor/i0 in
 * fluorescence) because NXxas files written by pynxxas/Larch store *normalized* μ as the
 * NXdata signal; the signal itself is kept as a channel and used only when the channels
 * cannot give μ.
 */
import fs from 'node:fs';
import type H5WasmModule from 'h5wasm/node';
import { atomicSymbol, isElementSymbol, normalizeEdgeName } from '../core/edges.js';
import { XasInputError } from '../core/errors.js';
import { emptyMeta, type Spectrum } from '../core/spectrum.js';
import { parseMode, parseTemperatureK } from './meta.js';
import { muFluorescence, muReference, muTransmission } from './mu-from-channels.js';
import { readBytes } from './text.js';

type H5Wasm = typeof H5WasmModule;
type H5Group = InstanceType<H5Wasm['Group']>;
type H5Dataset = InstanceType<H5Wasm['Dataset']>;
type H5Entity = ReturnType<H5Group['get']> | undefined;

// h5wasm instantiates its WebAssembly module when imported, so it is loaded on first use
// only: importing xasflow costs nothing for users who never read NeXus files.
let h5wasm: H5Wasm | undefined;

/** Loads the HDF5 WebAssembly module (once). */
export async function initHdf5(): Promise<void> {
  if (!h5wasm) {
    const mod = (await import('h5wasm/node')).default;
    await mod.ready;
    h5wasm = mod;
  }
}

/** True once initHdf5() has completed, so NeXus files can be read synchronously. */
export function hdf5Ready(): boolean {
  return h5wasm !== undefined;
}

function isGroup(e: H5Entity): e is H5Group {
  return e instanceof h5wasm!.Group;
}

function isDataset(e: H5Entity): e is H5Dataset {
  return e instanceof h5wasm!.Dataset;
}

function attrText(e: H5Group | H5Dataset, name: string): string | undefined {
  const a = e.attrs[name];
  if (!a) return undefined;
  const v = a.value;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return v === null || v === undefined ? undefined : String(v);
}

function text(g: H5Group, path: string): string | undefined {
  const e = g.get(path);
  if (!isDataset(e)) return undefined;
  const v = e.value;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v.join('\n');
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number>).length === 1)
    return String((v as unknown as ArrayLike<number>)[0]);
  return undefined;
}

function array(e: H5Entity, what: string, file: string): Float64Array | undefined {
  if (!isDataset(e)) return undefined;
  const v = e.value;
  if (!ArrayBuffer.isView(v) && !Array.isArray(v)) return undefined;
  const src = v as unknown as ArrayLike<number | bigint>;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const x = Number(src[i]);
    if (!Number.isFinite(x)) {
      throw new XasInputError(`${what}[${i}] = ${src[i]} is not a finite number`, {
        file,
        field: what,
        expected: 'finite values',
      });
    }
    out[i] = x;
  }
  return out;
}

/** Detector channels under entry/instrument (NXdetector groups with a `data` dataset). */
function detectorChannels(entry: H5Group, file: string, name: string): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  const inst = entry.get('instrument');
  if (!isGroup(inst)) return out;
  for (const key of inst.keys()) {
    const g = inst.get(key);
    if (!isGroup(g) || attrText(g, 'NX_class') !== 'NXdetector') continue;
    const d = array(g.get('data'), `${name}/instrument/${key}/data`, file);
    if (d) out[key.toLowerCase()] = d;
  }
  return out;
}

function entryToSpectrum(entry: H5Group, name: string, file: string): Spectrum {
  const nxdataName = attrText(entry, 'default');
  const nxdata = nxdataName ? entry.get(nxdataName) : undefined;
  const plot = isGroup(nxdata) ? nxdata : undefined;
  const axisName = plot ? (attrText(plot, 'axes') ?? 'energy') : 'energy';
  const signalName = plot ? (attrText(plot, 'signal') ?? 'intensity') : 'intensity';
  const energyEntity = entry.get(axisName) ?? plot?.get(axisName) ?? entry.get('energy');
  let energy = array(energyEntity, `${name}/${axisName}`, file);
  if (!energy) {
    throw new XasInputError(`NXentry '${name}' has no energy array`, {
      file,
      field: `${name}/energy`,
      expected: 'an NXxas entry',
    });
  }
  if (isDataset(energyEntity) && /^kev$/i.test(attrText(energyEntity, 'units') ?? ''))
    energy = energy.map((e) => e * 1000);
  const signalEntity = entry.get(signalName) ?? plot?.get(signalName);
  const signal = array(signalEntity, `${name}/${signalName}`, file);
  const signalLabel = isDataset(signalEntity)
    ? (attrText(signalEntity, 'long_name') ?? signalName)
    : signalName;
  const channels = detectorChannels(entry, file, name);
  for (const [k, v] of Object.entries(channels)) {
    if (v.length !== energy.length) {
      throw new XasInputError(`channel ${k} has ${v.length} points but energy has ${energy.length}`, {
        file,
        field: `${name}/instrument/${k}/data`,
      });
    }
  }
  const modeText = text(entry, 'mode') ?? '';
  const mode = parseMode(modeText);
  const ctx = { file };
  let mu: Float64Array | undefined;
  let muSource = '';
  let datatype: 'xmu' | 'norm' = 'xmu';
  if (channels.i0 && channels.itrans && mode !== 'fluorescence') {
    mu = muTransmission(channels.i0, channels.itrans, ctx);
    muSource = 'ln(i0/itrans) (NXdetector data)';
  } else if (channels.i0 && channels.ifluor) {
    mu = muFluorescence(channels.ifluor, channels.i0, ctx);
    muSource = 'ifluor/i0 (NXdetector data)';
  } else if (signal) {
    mu = signal;
    muSource = `NXdata signal '${signalName}' (${signalLabel})`;
    if (/normali[sz]ed/i.test(signalLabel)) datatype = 'norm';
  }
  if (!mu) {
    throw new XasInputError(`NXentry '${name}' has neither detector channels nor an NXdata signal`, {
      file,
      expected: 'i0 and itrans/ifluor, or a signal',
    });
  }
  if (signal) channels[/normali[sz]ed/i.test(signalLabel) ? 'norm' : signalName] = signal;
  if (mu.length !== energy.length) {
    throw new XasInputError(`μ has ${mu.length} points but energy has ${energy.length}`, {
      file,
      field: name,
    });
  }
  const muRef =
    channels.itrans && channels.irefer ? muReference(channels.itrans, channels.irefer, ctx) : undefined;
  const meta = emptyMeta();
  meta.format = 'nexus';
  meta.sourceFile = file;
  meta.record = name;
  meta.muSource = muSource;
  meta.datatype = datatype;
  if (mode) meta.mode = mode;
  const sym = text(entry, 'element/symbol');
  if (sym && isElementSymbol(sym.trim())) meta.element = atomicSymbol(sym.trim());
  const edge = text(entry, 'edge/name');
  if (edge) meta.edge = normalizeEdgeName(edge) ?? edge.trim();
  meta.sample = text(entry, 'sample/name');
  const temp = text(entry, 'sample/temperature');
  if (temp) {
    meta.temperatureText = temp;
    const k = parseTemperatureK(temp) ?? (Number.isFinite(Number(temp)) ? Number(temp) : undefined);
    if (k !== undefined) meta.temperatureK = k;
  }
  meta.beamline = text(entry, 'instrument/beamline/name') ?? text(entry, 'instrument/source/beamline');
  meta.facility = text(entry, 'instrument/source/name');
  const crystal = text(entry, 'instrument/monochromator/crystal/type');
  const refl = entry.get('instrument/monochromator/crystal/reflection');
  const hkl =
    isDataset(refl) && ArrayBuffer.isView(refl.value)
      ? Array.from(refl.value as unknown as ArrayLike<number>).join('')
      : '';
  if (crystal) meta.monochromator = `${crystal}${hkl ? ` ${hkl}` : ''}`;
  const d = Number(text(entry, 'instrument/monochromator/crystal/d_spacing'));
  if (d > 0) meta.dSpacingAngstrom = d;
  meta.scanStart = text(entry, 'scan/start_time');
  const comments = text(entry, 'scan/comments');
  if (comments)
    meta.comments = comments
      .split('\n')
      .map((c) => c.trim())
      .filter((c) => c.length > 0);
  const title = text(entry, 'title');
  if (title) meta.fields.title = title;
  const definition = text(entry, 'definition');
  if (definition) meta.fields.definition = definition;
  meta.columnLabels = ['energy', ...Object.keys(channels)];
  channels.energy = energy;
  const sp: Spectrum = { energyEv: energy, mu, channels, meta, history: [] };
  if (muRef) sp.muRef = muRef;
  return sp;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5 files start with an 8-byte signature at offset 0, 512, 1024, 2048 ... (after a user block). */
export function hasHdf5Signature(bytes: Uint8Array): boolean {
  for (let off = 0; off + 8 <= bytes.length; off = off === 0 ? 512 : off * 2) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[off + i] === b)) return true;
  }
  return false;
}

/**
 * Runs fn while capturing what the HDF5 library writes to stderr (its error stack goes
 * straight to file descriptor 2 through fs.writeSync), so that a failed read gives one clear
 * XasInputError instead of pages of HDF5-DIAG output; the captured text is returned too.
 */
function withHdf5Diagnostics<T>(fn: () => T): { value?: T; error?: unknown; diag: string } {
  const fsMutable = fs as unknown as { writeSync: (...args: unknown[]) => number };
  const original = fsMutable.writeSync;
  let diag = '';
  fsMutable.writeSync = (fd: unknown, data: unknown, ...rest: unknown[]) => {
    if (fd === 2) {
      if (typeof data === 'string') {
        diag += data;
        return Buffer.byteLength(data);
      }
      // (fd, buffer, offset, length): the buffer is the whole WebAssembly heap
      const buf = data as Uint8Array;
      const offset = (rest[0] as number | undefined) ?? 0;
      const length = (rest[1] as number | undefined) ?? buf.length - offset;
      if (diag.length < 65536) diag += Buffer.from(buf.buffer, buf.byteOffset + offset, length).toString();
      return length;
    }
    return original.call(fs, fd, data, ...rest);
  };
  try {
    return { value: fn(), diag };
  } catch (error) {
    return { error, diag };
  } finally {
    fsMutable.writeSync = original;
  }
}

/** The most specific line of an HDF5 error stack ('minor: ...'), if any. */
function hdf5Reason(diag: string): string {
  const minors = [...diag.matchAll(/minor: (.*)/g)].map((m) => m[1].trim());
  return minors.length > 0 ? minors[minors.length - 1] : '';
}

/** Reads every NXentry of a NeXus file (requires initHdf5() to have completed). */
export function readNexusSync(path: string): Spectrum[] {
  const r = withHdf5Diagnostics(() => readNexusUnchecked(path));
  if (r.error !== undefined) {
    if (r.error instanceof XasInputError) throw r.error;
    const why = hdf5Reason(r.diag) || (r.error as Error).message;
    throw new XasInputError(`HDF5 read failed (${why})`, {
      file: path,
      expected: 'a complete NeXus/HDF5 file',
    });
  }
  return r.value!;
}

function readNexusUnchecked(path: string): Spectrum[] {
  if (!h5wasm) {
    throw new XasInputError(
      'the HDF5 module is not loaded; use the async readSpectra() or await initHdf5() first',
      { file: path },
    );
  }
  const bytes = readBytes(path); // existence, emptiness
  if (!hasHdf5Signature(bytes)) {
    throw new XasInputError('not an HDF5 file (no HDF5 signature)', { file: path, expected: 'NeXus/HDF5' });
  }
  let f: InstanceType<H5Wasm['File']>;
  try {
    f = new h5wasm!.File(path, 'r');
  } catch (err) {
    throw new XasInputError(`not a readable HDF5 file (${(err as Error).message})`, {
      file: path,
      expected: 'NeXus/HDF5',
    });
  }
  if (typeof f.file_id === 'bigint' ? f.file_id < 0n : Number(f.file_id) < 0) {
    throw new Error('cannot open the file');
  }
  try {
    const out: Spectrum[] = [];
    for (const key of f.keys()) {
      const g = f.get(key);
      if (!isGroup(g) || attrText(g, 'NX_class') !== 'NXentry') continue;
      out.push(entryToSpectrum(g, key, path));
    }
    if (out.length === 0) {
      throw new XasInputError('no NXentry groups with XAS data', {
        file: path,
        expected: 'NeXus NXxas entries',
      });
    }
    return out;
  } finally {
    f.close();
  }
}

/** Reads every NXentry of a NeXus file. */
export async function readNexus(path: string): Promise<Spectrum[]> {
  await initHdf5();
  return readNexusSync(path);
}
