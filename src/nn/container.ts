/**
 * The binary container behind model files (.xnn) and training checkpoints: an 8-byte signature
 * (0x89 "XFNN" CR LF 0x1A, which exposes text-mode and truncation damage as PNG's does), the
 * format major version (uint32 LE), the JSON header length (uint32 LE), the UTF-8 JSON header,
 * zero padding to a multiple of 8 bytes, the float32 little-endian tensor blob, and a CRC-32 of
 * everything before it (uint32 LE). The header lists tensors as { name, shape, offset } with
 * offsets in floats from the start of the blob. See docs/nn.md.
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from '../core/atomic-write.js';
import { XasInputError } from '../core/errors.js';

export const SIGNATURE = Uint8Array.from([0x89, 0x58, 0x46, 0x4e, 0x4e, 0x0d, 0x0a, 0x1a]);
export const FORMAT_VERSION = 1;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

export interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset in float32 elements from the start of the blob. */
  offset: number;
}

export interface ContainerHeader {
  format: 'xasflow-nn';
  version: number;
  kind: 'model' | 'checkpoint';
  tensors: TensorEntry[];
  [key: string]: unknown;
}

/** Serialises a header (without `tensors`, `format`, `version`) and named tensors. */
export function encodeContainer(
  kind: ContainerHeader['kind'],
  meta: Record<string, unknown>,
  tensors: { name: string; shape: number[]; data: Float32Array }[],
): Uint8Array {
  let offset = 0;
  const entries: TensorEntry[] = tensors.map((t) => {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length)
      throw new Error(`tensor ${t.name}: shape ${t.shape} does not match ${t.data.length} values`);
    const e = { name: t.name, shape: t.shape, offset };
    offset += size;
    return e;
  });
  const header: ContainerHeader = {
    format: 'xasflow-nn',
    version: FORMAT_VERSION,
    kind,
    ...meta,
    tensors: entries,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headEnd = 16 + json.length;
  const blobStart = Math.ceil(headEnd / 8) * 8;
  const total = blobStart + offset * 4 + 4;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  dv.setUint32(8, FORMAT_VERSION, true);
  dv.setUint32(12, json.length, true);
  out.set(json, 16);
  for (const [i, t] of tensors.entries()) {
    const base = blobStart + entries[i].offset * 4;
    if (LITTLE_ENDIAN_HOST) new Float32Array(out.buffer, base, t.data.length).set(t.data);
    else for (let j = 0; j < t.data.length; j++) dv.setFloat32(base + j * 4, t.data[j], true);
  }
  dv.setUint32(total - 4, crc32(out.subarray(0, total - 4)), true);
  return out;
}

export interface DecodedContainer {
  header: ContainerHeader;
  tensor(name: string): Float32Array;
  has(name: string): boolean;
}

function corrupt(file: string, why: string): never {
  throw new XasInputError(`corrupt xasflow neural-network file: ${why}`, {
    file,
    expected: 'a file written by xasflow',
  });
}

export function decodeContainer(
  bytes: Uint8Array,
  file: string,
  kind: ContainerHeader['kind'],
): DecodedContainer {
  if (bytes.length < 20 || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    corrupt(file, 'missing the xasflow NN signature (not a model file, or damaged by a text-mode transfer)');
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== FORMAT_VERSION) {
    throw new XasInputError(
      `model file format version ${version} is not supported by this xasflow (it reads version ${FORMAT_VERSION})`,
      {
        file,
        expected:
          version > FORMAT_VERSION
            ? 'a newer xasflow to read it'
            : `a file re-saved in format ${FORMAT_VERSION}`,
      },
    );
  }
  const jsonLen = dv.getUint32(12, true);
  if (16 + jsonLen + 4 > bytes.length)
    corrupt(file, `truncated (header claims ${jsonLen} bytes, file has ${bytes.length})`);
  const stored = dv.getUint32(bytes.length - 4, true);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== stored)
    corrupt(file, 'checksum mismatch (truncated or modified)');
  let header: ContainerHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(16, 16 + jsonLen)).toString('utf8')) as ContainerHeader;
  } catch (err) {
    corrupt(file, `header is not valid JSON (${(err as Error).message})`);
  }
  if (header.format !== 'xasflow-nn' || !Array.isArray(header.tensors))
    corrupt(file, 'header lacks the xasflow-nn format tag');
  if (header.kind !== kind) {
    throw new XasInputError(`is a ${header.kind} file, not a ${kind} file`, { file });
  }
  const blobStart = Math.ceil((16 + jsonLen) / 8) * 8;
  const floats = (bytes.length - 4 - blobStart) / 4;
  const byName = new Map<string, TensorEntry>();
  for (const t of header.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (!(t.offset >= 0 && t.offset + size <= floats))
      corrupt(file, `tensor ${t.name} lies outside the data block`);
    byName.set(t.name, t);
  }
  return {
    header,
    has: (name) => byName.has(name),
    tensor(name: string): Float32Array {
      const t = byName.get(name);
      if (!t) corrupt(file, `tensor ${name} missing`);
      const size = t.shape.reduce((a, b) => a * b, 1);
      const base = blobStart + t.offset * 4;
      if (LITTLE_ENDIAN_HOST)
        return new Float32Array(
          bytes.buffer.slice(bytes.byteOffset + base, bytes.byteOffset + base + size * 4),
        );
      const out = new Float32Array(size);
      for (let j = 0; j < size; j++) out[j] = dv.getFloat32(base + j * 4, true);
      return out;
    },
  };
}

export function writeContainer(
  path: string,
  kind: ContainerHeader['kind'],
  meta: Record<string, unknown>,
  tensors: { name: string; shape: number[]; data: Float32Array }[],
): void {
  writeFileAtomic(path, encodeContainer(kind, meta, tensors));
}

export function readContainer(path: string, kind: ContainerHeader['kind']): DecodedContainer {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new XasInputError(`cannot read: ${(err as Error).message}`, { file: path });
  }
  return decodeContainer(bytes, path, kind);
}
