/**
 * Spec builders for the architectures xasflow trains: a multilayer perceptron (the NN-EXAFS
 * network of Timoshenko et al.: χ(k) → 4 × Dense(1000, ReLU) → g(r) and bond-angle heads), a 1D
 * ResNet (He et al. 2016 basic blocks: conv-BN-ReLU-conv-BN + identity or 1-wide projection
 * shortcut, ReLU) and a 1D DenseNet-BC (Huang et al. 2017: dense blocks with bottlenecks, transition
 * layers BN-ReLU-1×1 conv (compression)-average pool). They return plain ModelSpec JSON.
 */
import type { ActivationName, HeadSpec, LayerSpec, ModelSpec } from './spec.js';

export function mlpSpec(o: {
  features: number;
  hidden: number[];
  activation?: ActivationName;
  dropout?: number;
  batchnorm?: boolean;
  heads: HeadSpec[];
}): ModelSpec {
  const layers: LayerSpec[] = [];
  for (const units of o.hidden) {
    if (o.batchnorm) {
      layers.push(
        { type: 'dense', units, bias: false },
        { type: 'batchnorm' },
        { type: o.activation === 'gelu' ? 'gelu' : 'relu' },
      );
    } else layers.push({ type: 'dense', units, activation: o.activation ?? 'relu' });
    if (o.dropout) layers.push({ type: 'dropout', rate: o.dropout });
  }
  return { input: { features: o.features }, layers, heads: o.heads };
}

/** The NN-EXAFS dense network: χ(k) (240 points) → 4 × Dense(1000, ReLU) → g(r) and BAD heads (MSE). */
export function nnExafsSpec(
  o: { inputs?: number; hidden?: number[]; grPoints?: number; badPoints?: number } = {},
): ModelSpec {
  return mlpSpec({
    features: o.inputs ?? 240,
    hidden: o.hidden ?? [1000, 1000, 1000, 1000],
    heads: [
      { name: 'gr', units: o.grPoints ?? 300, loss: 'mse' },
      { name: 'bad', units: o.badPoints ?? 180, loss: 'mse' },
    ],
  });
}

export function resBlock1d(
  filters: number,
  o: { inChannels: number; kernelSize?: number; stride?: number },
): LayerSpec {
  const k = o.kernelSize ?? 5;
  const stride = o.stride ?? 1;
  const pad = Math.floor(k / 2);
  const body: LayerSpec[] = [
    { type: 'conv1d', filters, kernelSize: k, stride, padding: pad, bias: false },
    { type: 'batchnorm' },
    { type: 'relu' },
    { type: 'conv1d', filters, kernelSize: k, padding: pad, bias: false },
    { type: 'batchnorm' },
  ];
  const project = stride !== 1 || o.inChannels !== filters;
  return {
    type: 'residual',
    body,
    ...(project
      ? {
          shortcut: [
            { type: 'conv1d', filters, kernelSize: 1, stride, bias: false } as LayerSpec,
            { type: 'batchnorm' } as LayerSpec,
          ],
        }
      : {}),
  };
}

export function resnet1dSpec(o: {
  length: number;
  channels?: number;
  stem?: { filters: number; kernelSize: number };
  blocks: { filters: number; stride?: number }[];
  kernelSize?: number;
  dense?: number[];
  dropout?: number;
  heads: HeadSpec[];
}): ModelSpec {
  const stem = o.stem ?? { filters: 32, kernelSize: 7 };
  const layers: LayerSpec[] = [
    {
      type: 'conv1d',
      filters: stem.filters,
      kernelSize: stem.kernelSize,
      padding: Math.floor(stem.kernelSize / 2),
      bias: false,
    },
    { type: 'batchnorm' },
    { type: 'relu' },
  ];
  let ch = stem.filters;
  for (const b of o.blocks) {
    layers.push(resBlock1d(b.filters, { inChannels: ch, kernelSize: o.kernelSize, stride: b.stride }));
    ch = b.filters;
  }
  layers.push({ type: 'gap' });
  for (const units of o.dense ?? [64]) {
    layers.push({ type: 'dense', units, activation: 'relu' });
    if (o.dropout) layers.push({ type: 'dropout', rate: o.dropout });
  }
  return { input: { length: o.length, channels: o.channels ?? 1 }, layers, heads: o.heads };
}

/** The 1D CNN of the benchmarks (ts-stack.md): stem 1→32 k7, blocks 32-32, 32-64/s2, 64-64, 64-128/s2, 128-128. */
export function benchResnetSpec(length: number, heads: HeadSpec[]): ModelSpec {
  return resnet1dSpec({
    length,
    blocks: [
      { filters: 32 },
      { filters: 64, stride: 2 },
      { filters: 64 },
      { filters: 128, stride: 2 },
      { filters: 128 },
    ],
    dense: [64],
    heads,
  });
}

export function densenet1dSpec(o: {
  length: number;
  channels?: number;
  stem?: { filters: number; kernelSize: number };
  blocks: number[];
  growthRate?: number;
  kernelSize?: number;
  bottleneck?: number;
  /** Channel compression of the transition layers (DenseNet-C θ, default 0.5). */
  compression?: number;
  dense?: number[];
  heads: HeadSpec[];
}): ModelSpec {
  const stem = o.stem ?? { filters: 32, kernelSize: 7 };
  const g = o.growthRate ?? 12;
  const layers: LayerSpec[] = [
    { type: 'conv1d', filters: stem.filters, kernelSize: stem.kernelSize, padding: 'same', bias: false },
  ];
  let ch = stem.filters;
  o.blocks.forEach((n, i) => {
    layers.push({
      type: 'denseblock',
      layers: n,
      growthRate: g,
      kernelSize: o.kernelSize ?? 3,
      bottleneck: o.bottleneck ?? 4,
    });
    ch += n * g;
    if (i < o.blocks.length - 1) {
      ch = Math.max(1, Math.floor(ch * (o.compression ?? 0.5)));
      layers.push(
        { type: 'batchnorm' },
        { type: 'relu' },
        { type: 'conv1d', filters: ch, kernelSize: 1, bias: false },
        { type: 'avgpool', size: 2 },
      );
    }
  });
  layers.push({ type: 'batchnorm' }, { type: 'relu' }, { type: 'gap' });
  for (const units of o.dense ?? []) layers.push({ type: 'dense', units, activation: 'relu' });
  return { input: { length: o.length, channels: o.channels ?? 1 }, layers, heads: o.heads };
}
