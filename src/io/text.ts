/**
 * Turning file bytes into text lines for the line-oriented readers, with the checks that
 * let us refuse empty, binary and truncated-gzip input with a clear message instead of
 * producing garbage arrays later.
 */
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { XasInputError } from '../core/errors.js';

/** Reads a file into memory, refusing directories, missing and empty files. */
export function readBytes(path: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new XasInputError('is a directory', { file: path, expected: 'a data file' });
    size = st.size;
  } catch (err) {
    if (err instanceof XasInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new XasInputError(code === 'ENOENT' ? 'file not found' : `cannot open file (${code ?? err})`, {
      file: path,
    });
  }
  if (size === 0) throw new XasInputError('file is empty', { file: path, expected: 'XAS data' });
  return readFileSync(path);
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips, turning zlib's terse errors into a message about the file. */
export function gunzipFile(bytes: Uint8Array, path: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (err) {
    const why = (err as Error).message;
    throw new XasInputError(`gzip data is truncated or corrupt (${why})`, {
      file: path,
      expected: 'a complete gzip-compressed file',
    });
  }
}

/**
 * Decodes bytes as UTF-8 text after checking they are text: NUL bytes or many control
 * characters in the first 64 KiB mean binary or garbled data.
 */
export function decodeText(bytes: Uint8Array, path: string): string {
  const n = Math.min(bytes.length, 65536);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) {
      throw new XasInputError(`binary data (a NUL byte at offset ${i})`, {
        file: path,
        expected: 'a text file',
      });
    }
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  if (control > 0.01 * n + 2) {
    throw new XasInputError(
      `binary or garbled data (${control} control characters in the first ${n} bytes)`,
      {
        file: path,
        expected: 'a text file',
      },
    );
  }
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\uFFFD') && countReplacement(text) > 0.01 * text.length + 2) {
    throw new XasInputError('garbled text (invalid UTF-8 byte sequences)', {
      file: path,
      expected: 'a text file',
    });
  }
  return text;
}

function countReplacement(text: string): number {
  let c = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) c++;
  return c;
}

/** Splits text into lines on LF, CRLF or CR (the XDI end-of-line tokens). */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Reads a text file (gunzipping when compressed) into lines. */
export function readTextLines(path: string): string[] {
  let bytes = readBytes(path);
  if (isGzip(bytes)) bytes = gunzipFile(bytes, path);
  const lines = splitLines(decodeText(bytes, path));
  if (lines.every((l) => l.trim() === '')) {
    throw new XasInputError('file holds only blank lines', { file: path, expected: 'XAS data' });
  }
  return lines;
}
