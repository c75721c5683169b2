/**
 * ONNX export (opset 13, IR version 8) of one trained network with its standardisation, for
 * inference in onnxruntime and other ONNX tools. Input 'x' is [N, inputSize] raw (unnormalised)
 * values, as given to NnModel.predict. Internally the graph keeps xasflow's channels-last
 * [N, L, C] tensors: dense layers are MatMul + Add on the last axis, convolutions and pooling are
 * wrapped in Transposes to ONNX's [N, C, L], BatchNorm (evaluation mode) is folded into a
 * per-channel scale and shift, GELU is the erf form 0.5·x·(1 + erf(x/√2)). Outputs per head:
 * '<head>' (value, mean or expected fractions, in target units), '<head>_var' (gaussian_nll) and
 * '<head>_alpha' (dirichlet_nll concentrations).
 */
import { XasInputError } from '../../core/errors.js';
import { SOFTWARE } from '../../core/spectrum.js';
import { ACT_GELU, ACT_RELU, type ActCode } from '../backend/kernels.js';
import type { Normalization } from '../data.js';
import { ActivationLayer, DropoutLayer } from '../layers/activation.js';
import { BatchNormLayer } from '../layers/batchnorm.js';
import { ConcatLayer, ResidualLayer, SequentialLayer } from '../layers/containers.js';
import { Conv1dLayer } from '../layers/conv1d.js';
import { FlattenLayer, GlobalAvgPoolLayer, PoolLayer } from '../layers/pooling.js';
import type { Layer } from '../layers/types.js';
import { DIRICHLET_LOGIT_CLAMP, GAUSSIAN_VAR_EPS } from '../losses.js';
import type { Network } from '../network.js';
import { OnnxGraph } from './graph.js';

const NLC_TO_NCL = [0, 2, 1];

function activation(g: OnnxGraph, h: string, act: ActCode): string {
  if (act === ACT_RELU) return g.node('Relu', [h]);
  if (act === ACT_GELU) {
    const scaled = g.node('Div', [h, g.floats('sqrt2', [], [Math.SQRT2])]);
    const e = g.node('Add', [g.node('Erf', [scaled]), g.floats('one', [], [1])]);
    return g.node('Mul', [g.node('Mul', [h, e]), g.floats('half', [], [0.5])]);
  }
  return h;
}

function transposed(rows: number, cols: number, w: Float32Array): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
  return out;
}

function emit(g: OnnxGraph, layer: Layer, h: string): string {
  if (layer instanceof SequentialLayer) {
    for (const l of layer.layers) h = emit(g, l, h);
    return h;
  }
  if (layer instanceof Conv1dLayer) {
    const { opts, inShape } = layer;
    const cin = inShape.channels;
    const cout = opts.outChannels;
    let y: string;
    if (layer.kind === 'dense') {
      y = g.node('MatMul', [h, g.floats('W', [cin, cout], transposed(cout, cin, layer.weight.value))]);
      if (layer.bias) y = g.node('Add', [y, g.floats('b', [cout], layer.bias.value)]);
    } else {
      // ours [Cout, K, Cin] → ONNX [Cout, Cin, K]
      const k = opts.kernelSize;
      const w = new Float32Array(cout * cin * k);
      for (let o = 0; o < cout; o++)
        for (let kk = 0; kk < k; kk++)
          for (let c = 0; c < cin; c++)
            w[(o * cin + c) * k + kk] = layer.weight.value[(o * k + kk) * cin + c];
      const inputs = [g.node('Transpose', [h], { perm: NLC_TO_NCL }), g.floats('W', [cout, cin, k], w)];
      if (layer.bias) inputs.push(g.floats('b', [cout], layer.bias.value));
      const conv = g.node('Conv', inputs, {
        kernel_shape: [k],
        strides: [opts.stride],
        pads: [opts.padLeft, opts.padRight],
        dilations: [opts.dilation],
      });
      y = g.node('Transpose', [conv], { perm: NLC_TO_NCL });
    }
    return activation(g, y, opts.act);
  }
  if (layer instanceof BatchNormLayer) {
    const c = layer.inShape.channels;
    const scale = new Float32Array(c);
    const shift = new Float32Array(c);
    for (let j = 0; j < c; j++) {
      const s = layer.gamma.value[j] / Math.sqrt(layer.runVar.value[j] + layer.eps);
      scale[j] = s;
      shift[j] = layer.beta.value[j] - layer.runMean.value[j] * s;
    }
    const y = g.node('Add', [
      g.node('Mul', [h, g.floats('bn_scale', [c], scale)]),
      g.floats('bn_shift', [c], shift),
    ]);
    return layer.relu ? g.node('Relu', [y]) : y;
  }
  if (layer instanceof ActivationLayer) return activation(g, h, layer.kind === 'relu' ? ACT_RELU : ACT_GELU);
  if (layer instanceof DropoutLayer) return h;
  if (layer instanceof GlobalAvgPoolLayer) return g.node('ReduceMean', [h], { axes: [1], keepdims: 1 });
  if (layer instanceof FlattenLayer)
    return g.node('Reshape', [h, g.ints('shape', [-1, 1, layer.outShape.channels])]);
  if (layer instanceof PoolLayer) {
    const op = layer.kind === 'avgpool' ? 'AveragePool' : 'MaxPool';
    const p = g.node(op, [g.node('Transpose', [h], { perm: NLC_TO_NCL })], {
      kernel_shape: [layer.size],
      strides: [layer.stride],
    });
    return g.node('Transpose', [p], { perm: NLC_TO_NCL });
  }
  if (layer instanceof ResidualLayer) {
    const sum = g.node('Add', [emit(g, layer.body, h), emit(g, layer.shortcut, h)]);
    return activation(g, sum, layer.act);
  }
  if (layer instanceof ConcatLayer)
    return g.node(
      'Concat',
      layer.branches.map((b) => emit(g, b, h)),
      { axis: 2 },
    );
  throw new XasInputError(`layer kind '${layer.kind}' cannot be exported to ONNX`);
}

/** ONNX ModelProto bytes for one network (ensemble member) with its normalisation. */
export function exportOnnx(
  net: Network,
  norm: Normalization,
  meta: { member?: number; doc?: string } = {},
): Uint8Array {
  const g = new OnnxGraph();
  const inSize = net.inputSize;
  let h = g.input('x', ['N', inSize]);
  if (norm.input) {
    h = g.node('Sub', [h, g.floats('in_mean', [inSize], norm.input.mean)]);
    h = g.node('Div', [h, g.floats('in_std', [inSize], norm.input.std)]);
  }
  h = g.node('Reshape', [h, g.ints('shape', [-1, net.inShape.length, net.inShape.channels])]);
  const trunk = emit(g, net.trunk, h);
  net.spec.heads.forEach((spec, i) => {
    const units = net.outputUnits(i);
    const z = g.node('Reshape', [emit(g, net.heads[i], trunk), g.ints('shape', [-1, units])]);
    const sc = norm.targets[i];
    const denorm = (v: string) =>
      sc
        ? g.node('Add', [
            g.node('Mul', [v, g.floats('t_std', [spec.units], sc.std)]),
            g.floats('t_mean', [spec.units], sc.mean),
          ])
        : v;
    if (spec.loss === 'mse') {
      g.node('Identity', [denorm(z)], {}, spec.name);
      g.output(spec.name, ['N', spec.units]);
    } else if (spec.loss === 'gaussian_nll') {
      const axes = g.ints('axes', [1]);
      const mu = g.node('Slice', [z, g.ints('start', [0]), g.ints('end', [spec.units]), axes]);
      const raw = g.node('Slice', [z, g.ints('start', [spec.units]), g.ints('end', [2 * spec.units]), axes]);
      let v = g.node('Max', [g.node('Softplus', [raw]), g.floats('var_eps', [], [GAUSSIAN_VAR_EPS])]);
      if (sc)
        v = g.node('Mul', [
          v,
          g.floats(
            't_var',
            [spec.units],
            Array.from(sc.std, (s) => s * s),
          ),
        ]);
      g.node('Identity', [denorm(mu)], {}, spec.name);
      g.node('Identity', [v], {}, `${spec.name}_var`);
      g.output(spec.name, ['N', spec.units]);
      g.output(`${spec.name}_var`, ['N', spec.units]);
    } else {
      const clipped = g.node('Clip', [
        z,
        g.floats('lo', [], [-DIRICHLET_LOGIT_CLAMP]),
        g.floats('hi', [], [DIRICHLET_LOGIT_CLAMP]),
      ]);
      const alpha = g.node('Exp', [clipped], {}, `${spec.name}_alpha`);
      const total = g.node('ReduceSum', [alpha, g.ints('axes', [1])], { keepdims: 1 });
      g.node('Div', [alpha, total], {}, spec.name);
      g.output(spec.name, ['N', spec.units]);
      g.output(`${spec.name}_alpha`, ['N', spec.units]);
    }
  });
  return g.encode({
    graphName: 'xasflow_nn',
    producer: 'xasflow',
    version: SOFTWARE.split(' ')[1],
    doc: meta.doc ?? 'xasflow neural network (input x: raw values [N, inputSize])',
    props: { member: String(meta.member ?? 0), spec: JSON.stringify(net.spec) },
  });
}
