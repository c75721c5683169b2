/**
 * The reference library as one JSON file ('xasflow-xanes-library', version 1): metadata and every
 * reference's arrays as plain number lists, written atomically; loading checks the format, the
 * version and each array (finite numbers, one value per energy, increasing energies) and names the
 * offending reference and field.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { toJson, writeFileAtomic } from '../core/atomic-write.js';
import { XasInputError } from '../core/errors.js';
import type { XanesLibrary, XanesReference } from './library.js';

export function saveLibrary(path: string, lib: XanesLibrary): void {
  writeFileAtomic(path, `${toJson(lib, 1)}\n`);
}

type Obj = Record<string, unknown>;

function arr(o: Obj, key: string, file: string, ref: string, n?: number): Float64Array {
  const v = o[key];
  if (
    !Array.isArray(v) ||
    v.some((x) => typeof x !== 'number' || !Number.isFinite(x)) ||
    (n !== undefined && v.length !== n)
  ) {
    throw new XasInputError(`reference '${ref}': '${key}' is not a list of ${n ?? ''} finite numbers`, {
      file,
      field: `references.${ref}.${key}`,
      expected: 'an array of numbers, one per energy',
    });
  }
  return Float64Array.from(v as number[]);
}

export function parseLibrary(text: string, file = '<library>'): XanesLibrary {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new XasInputError(`not JSON: ${(err as Error).message}`, {
      file,
      expected: 'a library written by xasflow xanes refs',
    });
  }
  const o = doc as Obj;
  if (!o || typeof o !== 'object' || o.format !== 'xasflow-xanes-library') {
    throw new XasInputError('not a xasflow XANES reference library', {
      file,
      field: 'format',
      expected: "'xasflow-xanes-library'",
    });
  }
  if (o.version !== 1)
    throw new XasInputError(`unsupported library version ${String(o.version)}`, {
      file,
      field: 'version',
      expected: '1',
    });
  if (!Array.isArray(o.references) || o.references.length === 0) {
    throw new XasInputError('the library holds no references', {
      file,
      field: 'references',
      expected: 'a non-empty list',
    });
  }
  const references = (o.references as Obj[]).map((r, i): XanesReference => {
    const name = typeof r.name === 'string' ? r.name : `#${i}`;
    const energyEv = arr(r, 'energyEv', file, name);
    for (let k = 1; k < energyEv.length; k++) {
      if (!(energyEv[k] > energyEv[k - 1])) {
        throw new XasInputError(`reference '${name}': energies not increasing at point ${k}`, {
          file,
          field: `references.${name}.energyEv`,
        });
      }
    }
    const n = energyEv.length;
    const num = (key: string) => {
      if (typeof r[key] !== 'number' || !Number.isFinite(r[key] as number)) {
        throw new XasInputError(`reference '${name}': '${key}' is not a number`, {
          file,
          field: `references.${name}.${key}`,
        });
      }
      return r[key] as number;
    };
    return {
      name,
      file: typeof r.file === 'string' ? r.file : undefined,
      record: typeof r.record === 'string' ? r.record : undefined,
      meta: (r.meta as XanesReference['meta']) ?? {},
      element: typeof r.element === 'string' ? r.element : undefined,
      edge: typeof r.edge === 'string' ? r.edge : undefined,
      energyEv,
      norm: arr(r, 'norm', file, name, n),
      flat: arr(r, 'flat', file, name, n),
      dmude: arr(r, 'dmude', file, name, n),
      e0: num('e0'),
      edgeStep: num('edgeStep'),
      energyShiftEv: num('energyShiftEv'),
      preEdge: (r.preEdge as XanesReference['preEdge']) ?? null,
    };
  });
  return {
    format: 'xasflow-xanes-library',
    version: 1,
    element: typeof o.element === 'string' ? o.element : undefined,
    edge: typeof o.edge === 'string' ? o.edge : undefined,
    edgeEnergyEv: typeof o.edgeEnergyEv === 'number' ? o.edgeEnergyEv : undefined,
    normalization: (o.normalization as XanesLibrary['normalization']) ?? null,
    alignment: (o.alignment as XanesLibrary['alignment']) ?? { mode: 'none' },
    references,
    warnings: Array.isArray(o.warnings) ? (o.warnings as string[]) : [],
    software: String(o.software ?? ''),
    created: String(o.created ?? ''),
  };
}

export function loadLibrary(path: string): XanesLibrary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new XasInputError(`cannot read the library: ${(err as Error).message}`, { file: path });
  }
  return parseLibrary(text, path);
}

/** True if the file looks like a library (cheap check on the first bytes). */
export function isLibraryFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, 256, 0);
    return buf.subarray(0, n).toString('utf8').includes('xasflow-xanes-library');
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
