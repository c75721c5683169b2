/**
 * Turns a validated ModelSpec into the layer graph, registering parameters (named by their path in
 * the spec, e.g. "layers.3.body.0.weight") in a ParamStore. Shape problems (a length shrinking to
 * zero, a residual whose branches disagree) are reported with the spec path of the layer.
 */
import { XasInputError } from '../core/errors.js';
import { ACT_GELU, ACT_NONE, ACT_RELU, type ActCode } from './backend/kernels.js';
import { ActivationLayer, DropoutLayer } from './layers/activation.js';
import { BatchNormLayer } from './layers/batchnorm.js';
import { ConcatLayer, ResidualLayer, SequentialLayer } from './layers/containers.js';
import { Conv1dLayer, convOutputLength } from './layers/conv1d.js';
import type { ParamStore } from './layers/params.js';
import { FlattenLayer, GlobalAvgPoolLayer, PoolLayer } from './layers/pooling.js';
import type { Layer, Shape } from './layers/types.js';
import type { ActivationName, HeadSpec, LayerSpec } from './spec.js';

export function actCode(a: ActivationName | undefined): ActCode {
  return a === 'relu' ? ACT_RELU : a === 'gelu' ? ACT_GELU : ACT_NONE;
}

function shapeError(path: string, message: string): never {
  throw new XasInputError(message, { field: path });
}

export function buildSequential(
  specs: LayerSpec[],
  inShape: Shape,
  store: ParamStore,
  path: string,
): SequentialLayer {
  const layers: Layer[] = [];
  let shape = inShape;
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i];
    let l: Layer;
    if (s.type === 'batchnorm' && specs[i + 1]?.type === 'relu') {
      // BatchNorm → ReLU runs as one fused layer; the ReLU has no parameters, so names are unchanged.
      l = new BatchNormLayer(shape, s.momentum ?? 0.1, s.eps ?? 1e-5, store, `${path}.${i}`, true);
      i++;
    } else l = buildLayer(s, shape, store, `${path}.${i}`);
    layers.push(l);
    shape = l.outShape;
  }
  return new SequentialLayer(inShape, layers);
}

function buildLayer(s: LayerSpec, inShape: Shape, store: ParamStore, path: string): Layer {
  switch (s.type) {
    case 'dense':
      return new Conv1dLayer(
        'dense',
        inShape,
        {
          kernelSize: 1,
          stride: 1,
          padLeft: 0,
          padRight: 0,
          dilation: 1,
          outChannels: s.units,
          bias: s.bias ?? true,
          act: actCode(s.activation),
        },
        store,
        path,
      );
    case 'conv1d': {
      const dilation = s.dilation ?? 1;
      const stride = s.stride ?? 1;
      let padLeft = 0;
      let padRight = 0;
      if (s.padding === 'same') {
        const total = dilation * (s.kernelSize - 1);
        padLeft = Math.floor(total / 2);
        padRight = total - padLeft;
      } else if (typeof s.padding === 'number') padLeft = padRight = s.padding;
      const geo = { kernelSize: s.kernelSize, stride, padLeft, padRight, dilation };
      const lout = convOutputLength(inShape.length, geo);
      if (lout < 1) {
        shapeError(
          path,
          `convolution leaves no output: input length ${inShape.length} is shorter than the dilated kernel`,
        );
      }
      return new Conv1dLayer(
        'conv1d',
        inShape,
        { ...geo, outChannels: s.filters, bias: s.bias ?? true, act: actCode(s.activation) },
        store,
        path,
      );
    }
    case 'batchnorm':
      return new BatchNormLayer(inShape, s.momentum ?? 0.1, s.eps ?? 1e-5, store, path);
    case 'relu':
    case 'gelu':
      return new ActivationLayer(s.type, inShape);
    case 'dropout':
      return new DropoutLayer(inShape, s.rate);
    case 'gap':
      return new GlobalAvgPoolLayer(inShape);
    case 'flatten':
      return new FlattenLayer(inShape);
    case 'avgpool':
    case 'maxpool': {
      if (s.size > inShape.length)
        shapeError(path, `pool size ${s.size} exceeds the input length ${inShape.length}`);
      return new PoolLayer(s.type, inShape, s.size, s.stride ?? s.size);
    }
    case 'residual': {
      const body = buildSequential(s.body, inShape, store, `${path}.body`);
      const shortcut = buildSequential(s.shortcut ?? [], inShape, store, `${path}.shortcut`);
      const a = body.outShape;
      const b = shortcut.outShape;
      if (a.length !== b.length || a.channels !== b.channels) {
        shapeError(
          path,
          `residual body gives length ${a.length} × ${a.channels} channels but the shortcut gives ` +
            `${b.length} × ${b.channels}; add a projection shortcut (e.g. a 1-wide conv1d with the same stride)`,
        );
      }
      return new ResidualLayer(inShape, body, shortcut, actCode(s.activation ?? 'relu'));
    }
    case 'concat': {
      const branches = s.branches.map((b, i) => buildSequential(b, inShape, store, `${path}.branches.${i}`));
      const len = branches[0].outShape.length;
      branches.forEach((b, i) => {
        if (b.outShape.length !== len) {
          shapeError(
            `${path}.branches.${i}`,
            `branch output length ${b.outShape.length} differs from branch 0 (${len})`,
          );
        }
      });
      return new ConcatLayer(inShape, branches);
    }
    case 'denseblock':
      return buildSequential(expandDenseBlock(s), inShape, store, path);
  }
}

/**
 * A DenseNet block as concat units: each unit keeps its input (identity branch) and appends
 * growthRate new channels from BN → ReLU → [1×1 conv (bottleneck·growthRate) → BN → ReLU] →
 * conv (kernelSize, 'same') → [dropout].
 */
export function expandDenseBlock(s: Extract<LayerSpec, { type: 'denseblock' }>): LayerSpec[] {
  const units: LayerSpec[] = [];
  for (let i = 0; i < s.layers; i++) {
    const branch: LayerSpec[] = [{ type: 'batchnorm' }, { type: 'relu' }];
    if (s.bottleneck) {
      branch.push(
        { type: 'conv1d', filters: s.bottleneck * s.growthRate, kernelSize: 1, bias: false },
        { type: 'batchnorm' },
        { type: 'relu' },
      );
    }
    branch.push({
      type: 'conv1d',
      filters: s.growthRate,
      kernelSize: s.kernelSize ?? 3,
      padding: 'same',
      bias: false,
    });
    if (s.dropout) branch.push({ type: 'dropout', rate: s.dropout });
    units.push({ type: 'concat', branches: [[], branch] });
  }
  return units;
}

/** Output units of a head's final dense layer for its loss. */
export function headOutputUnits(h: HeadSpec): number {
  return h.loss === 'gaussian_nll' ? 2 * h.units : h.units;
}

export function buildHead(h: HeadSpec, inShape: Shape, store: ParamStore): SequentialLayer {
  const path = `heads.${h.name}`;
  const hidden = buildSequential(h.layers ?? [], inShape, store, `${path}.layers`);
  if (hidden.outShape.length !== 1) {
    shapeError(
      path,
      `head '${h.name}' receives a sequence of length ${hidden.outShape.length}; ` +
        "reduce it first with a { type: 'gap' } or { type: 'flatten' } layer",
    );
  }
  const out = new Conv1dLayer(
    'dense',
    hidden.outShape,
    {
      kernelSize: 1,
      stride: 1,
      padLeft: 0,
      padRight: 0,
      dilation: 1,
      outChannels: headOutputUnits(h),
      bias: true,
      act: ACT_NONE,
    },
    store,
    `${path}.out`,
  );
  return new SequentialLayer(inShape, [...hidden.layers, out]);
}
