/**
 * Command-line inputs of the XANES tools: a spectrum argument is FILE or FILE::RECORD (a record name
 * or 1-based index of a multi-record file: Athena project, multi-column table, NeXus); a reference
 * list is such arguments (each file contributing all its records unless one is named) or a saved
 * library file; an optional manifest (JSON) gives names' chemical metadata.
 */
import { readFileSync } from 'node:fs';
import { XasInputError } from '../core/errors.js';
import type { Spectrum } from '../core/spectrum.js';
import { readSpectra } from '../io/index.js';
import { type BuildLibraryOptions, buildLibrary, type LibraryInput, type XanesLibrary } from './library.js';
import { isLibraryFile, loadLibrary } from './library-file.js';
import type { ReferenceMeta } from './reference-meta.js';

export function splitRecord(arg: string): { path: string; record?: string } {
  const i = arg.lastIndexOf('::');
  if (i <= 0) return { path: arg };
  return { path: arg.slice(0, i), record: arg.slice(i + 2) };
}

/** Every spectrum an argument names. */
export async function readArgument(arg: string): Promise<Spectrum[]> {
  const { path, record } = splitRecord(arg);
  const recordOpt = record === undefined ? undefined : /^\d+$/.test(record) ? Number(record) : record;
  return readSpectra(path, recordOpt === undefined ? {} : { record: recordOpt });
}

/** Exactly one spectrum (the first record when a file holds several and none is named, with a note). */
export async function readOneSpectrum(arg: string, notes: string[]): Promise<Spectrum> {
  const all = await readArgument(arg);
  if (all.length > 1)
    notes.push(`'${arg}' holds ${all.length} spectra; using the first (name one with FILE::RECORD)`);
  return all[0];
}

export function readManifest(path: string | undefined): Record<string, ReferenceMeta> {
  if (!path) return {};
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not an object');
    return doc as Record<string, ReferenceMeta>;
  } catch (err) {
    throw new XasInputError(`cannot read the metadata manifest: ${(err as Error).message}`, {
      file: path,
      expected: 'JSON {"<reference name>": {"species": ..., "oxidationState": ..., "phase": ...}}',
    });
  }
}

/** A library from reference arguments (or the one library file given). */
export async function libraryFromArguments(
  args: string[],
  opts: BuildLibraryOptions & { manifest?: Record<string, ReferenceMeta> } = {},
): Promise<XanesLibrary> {
  if (args.length === 0)
    throw new XasInputError('no references given', {
      field: 'refs',
      expected: 'reference files or a library file',
    });
  if (args.length === 1 && isLibraryFile(splitRecord(args[0]).path)) return loadLibrary(args[0]);
  const inputs: LibraryInput[] = [];
  for (const a of args) {
    const { path, record } = splitRecord(a);
    if (isLibraryFile(path))
      throw new XasInputError('a library file cannot be mixed with other references', { file: path });
    const spectra = await readArgument(a);
    const base = path.split(/[\\/]/).pop() as string;
    for (const sp of spectra) {
      const name = spectra.length === 1 && record === undefined ? base : (sp.meta.record ?? record ?? base);
      inputs.push({ spectrum: sp, name, meta: opts.manifest?.[name] });
    }
  }
  return buildLibrary(inputs, opts);
}
