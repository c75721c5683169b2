/**
 * Model files (.xnn): the container of container.ts with kind 'model'. The JSON header holds the
 * architecture (ModelSpec), the input/target standardisation modes, the training metadata (seed,
 * backend, thread count, split sizes, per-member histories), and the parameter layout (names and
 * shapes in PyTorch-like order: dense weight [out, in], conv1d weight [out, kernel, in]); tensors are
 * `member<i>.params` and `member<i>.buffers` (flat, in layout order) and `norm.input.*` /
 * `norm.<head>.*` standardisation vectors. Loading checks the format version, the checksum, the
 * spec and every tensor size, and names the file in any error. Documented in docs/nn.md.
 */
import { XasInputError } from '../core/errors.js';
import { decodeContainer, encodeContainer, readContainer, writeContainer } from './container.js';
import type { Normalization, Scaler } from './data.js';
import { Network } from './network.js';
import { type ModelSpec, validateSpec } from './spec.js';

export interface ModelParts {
  spec: ModelSpec;
  normalization: Normalization;
  training: unknown;
  members: Network[];
}

function partsToContainer(p: ModelParts): {
  meta: Record<string, unknown>;
  tensors: { name: string; shape: number[]; data: Float32Array }[];
} {
  const layout = p.members[0].store;
  const meta = {
    spec: p.spec,
    normalization: {
      input: p.normalization.inputMode,
      targets: p.normalization.targetMode,
      heads: p.spec.heads.map((h, i) => ({ name: h.name, normalized: p.normalization.targets[i] !== null })),
    },
    training: p.training,
    layout: {
      params: layout.params.map((t) => ({ name: t.name, shape: t.shape })),
      buffers: layout.buffers.map((t) => ({ name: t.name, shape: t.shape })),
    },
    members: p.members.length,
  };
  const tensors: { name: string; shape: number[]; data: Float32Array }[] = [];
  p.members.forEach((m, i) => {
    tensors.push({ name: `member${i}.params`, shape: [m.store.values.length], data: m.store.values });
    tensors.push({
      name: `member${i}.buffers`,
      shape: [m.store.bufferValues.length],
      data: m.store.bufferValues,
    });
  });
  const addScaler = (prefix: string, s: Scaler | null) => {
    if (!s) return;
    tensors.push({ name: `${prefix}.mean`, shape: [s.mean.length], data: s.mean });
    tensors.push({ name: `${prefix}.std`, shape: [s.std.length], data: s.std });
  };
  addScaler('norm.input', p.normalization.input);
  p.spec.heads.forEach((h, i) => {
    addScaler(`norm.${h.name}`, p.normalization.targets[i]);
  });
  return { meta, tensors };
}

export function encodeModel(p: ModelParts): Uint8Array {
  const { meta, tensors } = partsToContainer(p);
  return encodeContainer('model', meta, tensors);
}

export function saveModelFile(path: string, p: ModelParts): void {
  const { meta, tensors } = partsToContainer(p);
  writeContainer(path, 'model', meta, tensors);
}

interface ModelHeader {
  spec: unknown;
  normalization: {
    input: Normalization['inputMode'];
    targets: Normalization['targetMode'];
    heads: { name: string; normalized: boolean }[];
  };
  training: unknown;
  members: number;
}

function partsFromContainer(c: ReturnType<typeof decodeContainer>, file: string): ModelParts {
  const h = c.header as unknown as ModelHeader;
  let spec: ModelSpec;
  try {
    spec = validateSpec(h.spec, 'spec');
  } catch (err) {
    throw new XasInputError(`model architecture is invalid: ${(err as Error).message}`, { file });
  }
  if (!Number.isInteger(h.members) || h.members < 1 || !h.normalization) {
    throw new XasInputError('model header lacks members or normalization', {
      file,
      expected: 'a model saved by xasflow',
    });
  }
  const members: Network[] = [];
  for (let i = 0; i < h.members; i++) {
    const net = new Network(spec);
    const params = c.tensor(`member${i}.params`);
    const buffers = c.tensor(`member${i}.buffers`);
    if (params.length !== net.store.values.length || buffers.length !== net.store.bufferValues.length) {
      throw new XasInputError(
        `member ${i} has ${params.length} parameters but the architecture needs ${net.store.values.length}`,
        { file },
      );
    }
    net.store.values.set(params);
    net.store.bufferValues.set(buffers);
    members.push(net);
  }
  const scaler = (prefix: string): Scaler | null =>
    c.has(`${prefix}.mean`) ? { mean: c.tensor(`${prefix}.mean`), std: c.tensor(`${prefix}.std`) } : null;
  const normalization: Normalization = {
    inputMode: h.normalization.input,
    input: scaler('norm.input'),
    targetMode: h.normalization.targets,
    targets: spec.heads.map((hd) => scaler(`norm.${hd.name}`)),
  };
  return { spec, normalization, training: h.training, members };
}

export function decodeModel(bytes: Uint8Array, file = '<memory>'): ModelParts {
  return partsFromContainer(decodeContainer(bytes, file, 'model'), file);
}

export function loadModelFile(path: string): ModelParts {
  return partsFromContainer(readContainer(path, 'model'), path);
}
