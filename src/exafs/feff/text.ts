/** Small helpers shared by the FEFF text-file readers: file loading and located number parsing. */
import { readFileSync } from 'node:fs';
import { XasInputError } from '../../core/errors.js';

export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new XasInputError(`cannot read ${what}: ${(err as Error).message}`, { file: path });
  }
}

/** Parses a Fortran-style number (E or D exponent); throws naming file, line and field. */
export function fortranNumber(text: string, file: string, line: number, field: string): number {
  const v = Number(text.replace(/[Dd]/, 'E'));
  if (text === '' || !Number.isFinite(v)) {
    throw new XasInputError(`cannot read '${text}' as a number`, { file, line, field, expected: 'a number' });
  }
  return v;
}

export function fortranInteger(text: string, file: string, line: number, field: string): number {
  const v = fortranNumber(text, file, line, field);
  if (!Number.isInteger(v))
    throw new XasInputError(`'${text}' is not an integer`, { file, line, field, expected: 'an integer' });
  return v;
}
