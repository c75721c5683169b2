/**
 * The kernel-table file format (.xkt): Brotli-compressed
 *   8 bytes magic "XASKERN1" · uint32 LE header length H · H bytes of UTF-8 JSON header (padded to
 *   a multiple of 8 with spaces) · binary blocks, little endian, at the offsets the header lists.
 * Global float64 blocks: kNodes, realP, lambda. Per table and path type two blocks: 'scale'
 * (float32, one per geometry node) and 'data' (int32), the amplitude being value·scale
 * (quantisation ≤ 1.5e-5 of each node's largest component). 'data' holds, per node, the real then
 * the imaginary parts along the k nodes as second differences (v_n − 2v_{n−1} + v_{n−2}, v_{−1} =
 * v_{−2} = 0), stored as four byte planes (all lowest bytes first) — smooth amplitudes then compress
 * well.
 * Same-species vertex ('V') triangle tables store only nodes with r1 ≤ r2; the reader mirrors the
 * rest (T2 ↔ T3).
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { XasInputError } from '../../core/errors.js';
import type { PairPathType, TrianglePathType, TriangleRole } from './geometry.js';
import {
  type Axis,
  fillLowerFromMirror,
  type KernelProvenance,
  type KernelSet,
  type PairTable,
  type TriangleTable,
} from './table.js';

const MAGIC = 'XASKERN1';
export const KERNEL_FORMAT_VERSION = 1;

type Dtype = 'float64' | 'float32' | 'int32';
interface BlockRef {
  name: string;
  dtype: Dtype;
  offset: number;
  length: number;
}

interface TableHeader {
  kind: 'pair' | 'triangle';
  role?: TriangleRole;
  scatterers: string[];
  pathTypes: string[];
  axes: Axis[];
  /** 'upper': only nodes with i1 ≤ i2 are stored (same-species V tables). */
  stored: 'full' | 'upper';
}

interface FileHeader {
  format: 'xasflow-exafs-kernels';
  version: number;
  absorber: string;
  edge: string;
  nk: number;
  defaultTriangleCutoff: number;
  provenance: KernelProvenance;
  tables: TableHeader[];
  blocks: BlockRef[];
}

const BYTES: Record<Dtype, number> = { float64: 8, float32: 4, int32: 4 };

class BlockWriter {
  parts: Uint8Array[] = [];
  refs: BlockRef[] = [];
  offset = 0;
  add(name: string, dtype: Dtype, values: ArrayLike<number>): void {
    const n = values.length;
    const buf = new ArrayBuffer(Math.ceil((n * BYTES[dtype]) / 8) * 8);
    const view = new DataView(buf);
    for (let i = 0; i < n; i++) {
      if (dtype === 'float64') view.setFloat64(8 * i, values[i], true);
      else if (dtype === 'float32') view.setFloat32(4 * i, values[i], true);
      else {
        const v = values[i] >>> 0;
        for (let p = 0; p < 4; p++) view.setUint8(p * n + i, (v >>> (8 * p)) & 0xff);
      }
    }
    this.refs.push({ name, dtype, offset: this.offset, length: n });
    this.parts.push(new Uint8Array(buf));
    this.offset += buf.byteLength;
  }
}

/** Node indices stored for a table (all, or i1 ≤ i2 for 'upper'). */
function storedNodes(t: TableHeader): number[] {
  if (t.kind === 'pair') return Array.from({ length: t.axes[0].count }, (_, i) => i);
  const [a1, a2, a3] = t.axes;
  const out: number[] = [];
  for (let i1 = 0; i1 < a1.count; i1++) {
    for (let i2 = t.stored === 'upper' ? i1 : 0; i2 < a2.count; i2++) {
      for (let ip = 0; ip < a3.count; ip++) out.push((i1 * a2.count + i2) * a3.count + ip);
    }
  }
  return out;
}

function quantise(
  amps: Float32Array,
  nodes: number[],
  nk: number,
): { scale: Float32Array; data: Int32Array } {
  const scale = new Float32Array(nodes.length);
  const data = new Int32Array(nodes.length * nk * 2);
  nodes.forEach((node, s) => {
    const base = node * nk * 2;
    let m = 0;
    for (let i = 0; i < nk * 2; i++) m = Math.max(m, Math.abs(amps[base + i]));
    const sc = Math.fround(m > 0 ? m / 32767 : 1);
    scale[s] = sc;
    for (let c = 0; c < 2; c++) {
      let prev = 0;
      let prev2 = 0;
      for (let n = 0; n < nk; n++) {
        const v = Math.round(amps[base + 2 * n + c] / sc);
        data[s * nk * 2 + c * nk + n] = v - 2 * prev + prev2;
        prev2 = prev;
        prev = v;
      }
    }
  });
  return { scale, data };
}

/** Serialises a kernel set (tables in memory are full grids; V tables of one species store r1 ≤ r2). */
/** `quality`: Brotli level (11 for shipped files; lower is much faster). */
export function encodeKernelSet(set: KernelSet, quality = 11): Uint8Array {
  const nk = set.kNodes.length;
  const w = new BlockWriter();
  w.add('kNodes', 'float64', set.kNodes);
  w.add('realP', 'float64', set.realP);
  w.add('lambda', 'float64', set.lambda);
  const tables: TableHeader[] = [];
  const all: (PairTable | TriangleTable)[] = [...set.pairs, ...set.triangles];
  all.forEach((t, ti) => {
    const th: TableHeader =
      t.kind === 'pair'
        ? { kind: 'pair', scatterers: [t.scatterer], pathTypes: t.pathTypes, axes: [t.r], stored: 'full' }
        : {
            kind: 'triangle',
            role: t.role,
            scatterers: t.scatterers,
            pathTypes: t.pathTypes,
            axes: [t.r1, t.r2, t.phiDeg],
            stored:
              t.role === 'V' && t.scatterers[0] === t.scatterers[1] && sameAxis(t.r1, t.r2)
                ? 'upper'
                : 'full',
          };
    tables.push(th);
    const nodes = storedNodes(th);
    t.amplitudes.forEach((amps, pi) => {
      const q = quantise(amps, nodes, nk);
      w.add(`t${ti}.${th.pathTypes[pi]}.scale`, 'float32', q.scale);
      w.add(`t${ti}.${th.pathTypes[pi]}.data`, 'int32', q.data);
    });
  });
  const header: FileHeader = {
    format: 'xasflow-exafs-kernels',
    version: KERNEL_FORMAT_VERSION,
    absorber: set.absorber,
    edge: set.edge,
    nk,
    defaultTriangleCutoff: set.defaultTriangleCutoff,
    provenance: set.provenance,
    tables,
    blocks: w.refs,
  };
  let json = JSON.stringify(header);
  while (Buffer.byteLength(json) % 8 !== 0) json += ' ';
  const hbytes = Buffer.from(json, 'utf8');
  const head = Buffer.alloc(12);
  head.write(MAGIC, 0, 'ascii');
  head.writeUInt32LE(hbytes.length, 8);
  const raw = Buffer.concat([head, hbytes, ...w.parts]);
  return brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
}

function sameAxis(a: Axis, b: Axis): boolean {
  return a.start === b.start && a.step === b.step && a.count === b.count;
}

export function decodeKernelSet(bytes: Uint8Array, source: string): KernelSet {
  let raw: Buffer;
  try {
    raw = brotliDecompressSync(bytes);
  } catch (err) {
    throw new XasInputError(`not a compressed kernel-table file: ${(err as Error).message}`, {
      file: source,
    });
  }
  if (raw.length < 12 || raw.toString('ascii', 0, 8) !== MAGIC) {
    throw new XasInputError('not an xasflow kernel-table file', {
      file: source,
      expected: `magic '${MAGIC}'`,
    });
  }
  const hlen = raw.readUInt32LE(8);
  let header: FileHeader;
  try {
    header = JSON.parse(raw.toString('utf8', 12, 12 + hlen)) as FileHeader;
  } catch (err) {
    throw new XasInputError(`kernel-table header is not valid JSON: ${(err as Error).message}`, {
      file: source,
    });
  }
  if (header.format !== 'xasflow-exafs-kernels' || header.version !== KERNEL_FORMAT_VERSION) {
    throw new XasInputError(`kernel-table format ${header.format} v${header.version}`, {
      file: source,
      expected: `xasflow-exafs-kernels v${KERNEL_FORMAT_VERSION}`,
    });
  }
  const dataStart = 12 + hlen;
  const blocks = new Map(header.blocks.map((b) => [b.name, b]));
  const read = (name: string): Float64Array => {
    const b = blocks.get(name);
    if (!b) throw new XasInputError(`kernel-table block '${name}' is missing`, { file: source });
    const start = dataStart + b.offset;
    if (start + b.length * BYTES[b.dtype] > raw.length) {
      throw new XasInputError(`kernel-table block '${name}' is truncated`, { file: source });
    }
    const out = new Float64Array(b.length);
    for (let i = 0; i < b.length; i++) {
      if (b.dtype === 'int32') {
        const n = b.length;
        out[i] =
          raw[start + i] |
          (raw[start + n + i] << 8) |
          (raw[start + 2 * n + i] << 16) |
          (raw[start + 3 * n + i] << 24);
      } else {
        const at = start + i * BYTES[b.dtype];
        out[i] = b.dtype === 'float64' ? raw.readDoubleLE(at) : raw.readFloatLE(at);
      }
    }
    return out;
  };
  const nk = header.nk;
  const set: KernelSet = {
    absorber: header.absorber,
    edge: header.edge,
    kNodes: read('kNodes'),
    realP: read('realP'),
    lambda: read('lambda'),
    pairs: [],
    triangles: [],
    defaultTriangleCutoff: header.defaultTriangleCutoff,
    provenance: header.provenance,
    source,
  };
  header.tables.forEach((th, ti) => {
    const nodes = storedNodes(th);
    const nTotal = th.axes.reduce((p, a) => p * a.count, 1);
    const amps = th.pathTypes.map((pt) => {
      const scale = read(`t${ti}.${pt}.scale`);
      const data = read(`t${ti}.${pt}.data`);
      if (scale.length !== nodes.length || data.length !== nodes.length * nk * 2) {
        throw new XasInputError(`kernel table ${ti} (${pt}) has inconsistent block sizes`, { file: source });
      }
      const full = new Float32Array(nTotal * nk * 2);
      nodes.forEach((node, s) => {
        for (let c = 0; c < 2; c++) {
          let prev = 0;
          let prev2 = 0;
          for (let n = 0; n < nk; n++) {
            const v = data[s * nk * 2 + c * nk + n] + 2 * prev - prev2;
            full[(node * nk + n) * 2 + c] = v * scale[s];
            prev2 = prev;
            prev = v;
          }
        }
      });
      return full;
    });
    if (th.kind === 'pair') {
      set.pairs.push({
        kind: 'pair',
        scatterer: th.scatterers[0],
        pathTypes: th.pathTypes as PairPathType[],
        r: th.axes[0],
        amplitudes: amps,
      });
    } else {
      const t: TriangleTable = {
        kind: 'triangle',
        role: th.role!,
        scatterers: [th.scatterers[0], th.scatterers[1]],
        pathTypes: th.pathTypes as TrianglePathType[],
        r1: th.axes[0],
        r2: th.axes[1],
        phiDeg: th.axes[2],
        amplitudes: amps,
      };
      if (th.stored === 'upper') fillLowerFromMirror(t, nk);
      set.triangles.push(t);
    }
  });
  return set;
}
