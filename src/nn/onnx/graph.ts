/**
 * In-memory ONNX graph (onnx.proto: ModelProto / GraphProto / NodeProto / TensorProto /
 * ValueInfoProto) serialised with the ProtoWriter. Float tensors are stored as little-endian
 * raw_data; the batch dimension of inputs and outputs is the symbolic 'N'.
 */
import { ProtoWriter } from './protobuf.js';

const FLOAT = 1;
const INT64 = 7;
type Attr = number | number[] | string;

interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
  name: string;
}

interface Init {
  name: string;
  dims: number[];
  type: typeof FLOAT | typeof INT64;
  data: Float32Array | number[];
}

export class OnnxGraph {
  private nodes: Node[] = [];
  private inits: Init[] = [];
  private inputs: { name: string; dims: (number | 'N')[] }[] = [];
  private outputs: { name: string; dims: (number | 'N')[] }[] = [];
  private counter = 0;

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, dims: (number | 'N')[]): string {
    this.inputs.push({ name, dims });
    return name;
  }

  output(name: string, dims: (number | 'N')[]): void {
    this.outputs.push({ name, dims });
  }

  floats(name: string, dims: number[], data: ArrayLike<number>): string {
    const n = this.fresh(name);
    this.inits.push({ name: n, dims, type: FLOAT, data: Float32Array.from(data) });
    return n;
  }

  ints(name: string, data: number[]): string {
    const n = this.fresh(name);
    this.inits.push({ name: n, dims: [data.length], type: INT64, data });
    return n;
  }

  /** Adds a node; returns its (first) output name, or `out` if given. */
  node(op: string, inputs: string[], attrs: Record<string, Attr> = {}, out?: string): string {
    const o = out ?? this.fresh(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [o], attrs, name: this.fresh(`n_${op}`) });
    return o;
  }

  private valueInfo(v: { name: string; dims: (number | 'N')[] }): ProtoWriter {
    const shape = new ProtoWriter();
    for (const d of v.dims) {
      const dim = new ProtoWriter();
      if (d === 'N') dim.string(2, 'N');
      else dim.int(1, d);
      shape.message(1, dim);
    }
    const tensor = new ProtoWriter().int(1, FLOAT).message(2, shape);
    return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensor));
  }

  private attr(name: string, v: Attr): ProtoWriter {
    const a = new ProtoWriter().string(1, name);
    if (typeof v === 'string') return a.bytes(4, new TextEncoder().encode(v)).int(20, 3);
    if (Array.isArray(v)) return a.packedInts(8, v).int(20, 7);
    if (Number.isInteger(v)) return a.int(3, v).int(20, 2);
    return a.float(2, v).int(20, 1);
  }

  encode(meta: {
    graphName: string;
    producer: string;
    version: string;
    doc: string;
    props: Record<string, string>;
  }): Uint8Array {
    const g = new ProtoWriter();
    for (const n of this.nodes) {
      const w = new ProtoWriter();
      for (const i of n.inputs) w.string(1, i);
      for (const o of n.outputs) w.string(2, o);
      w.string(3, n.name).string(4, n.op);
      for (const [k, v] of Object.entries(n.attrs)) w.message(5, this.attr(k, v));
      g.message(1, w);
    }
    g.string(2, meta.graphName);
    for (const t of this.inits) {
      const w = new ProtoWriter().packedInts(1, t.dims).int(2, t.type).string(8, t.name);
      if (t.type === FLOAT) {
        const f = t.data as Float32Array;
        const raw = new Uint8Array(f.length * 4);
        const dv = new DataView(raw.buffer);
        for (let i = 0; i < f.length; i++) dv.setFloat32(i * 4, f[i], true);
        w.bytes(9, raw);
      } else {
        const raw = new Uint8Array(t.data.length * 8);
        const dv = new DataView(raw.buffer);
        (t.data as number[]).forEach((v, i) => {
          dv.setBigInt64(i * 8, BigInt(v), true);
        });
        w.bytes(9, raw);
      }
      g.message(5, w);
    }
    g.string(10, meta.doc);
    for (const i of this.inputs) g.message(11, this.valueInfo(i));
    for (const o of this.outputs) g.message(12, this.valueInfo(o));
    const m = new ProtoWriter()
      .int(1, 8)
      .string(2, meta.producer)
      .string(3, meta.version)
      .message(7, g)
      .message(8, new ProtoWriter().string(1, '').int(2, 13));
    for (const [k, v] of Object.entries(meta.props))
      m.message(14, new ProtoWriter().string(1, k).string(2, v));
    return m.finish();
  }
}
