/**
 * Model specification: the JSON architecture description stored in model files and accepted by
 * buildNetwork. A model is an input shape, a trunk of layers and one or more named output heads,
 * each with its own loss (multi-task learning with a weighted sum of head losses). Sequences are
 * channels-last ({ length, channels }); a flat feature vector is { features }.
 * validateSpec turns any JSON value into a checked ModelSpec or throws XasInputError naming the
 * offending field path.
 */
import { XasInputError } from '../core/errors.js';

export type ActivationName = 'relu' | 'gelu' | 'linear';

export type LayerSpec =
  | { type: 'dense'; units: number; activation?: ActivationName; bias?: boolean }
  | {
      type: 'conv1d';
      filters: number;
      kernelSize: number;
      stride?: number;
      /** Zero padding on both sides, or 'same' (stride 1; output length = input length), or 'valid' (0). */
      padding?: number | 'same' | 'valid';
      dilation?: number;
      activation?: ActivationName;
      bias?: boolean;
    }
  | { type: 'batchnorm'; momentum?: number; eps?: number }
  | { type: 'relu' }
  | { type: 'gelu' }
  | { type: 'dropout'; rate: number }
  | { type: 'residual'; body: LayerSpec[]; shortcut?: LayerSpec[]; activation?: ActivationName }
  | { type: 'concat'; branches: LayerSpec[][] }
  | {
      type: 'denseblock';
      layers: number;
      growthRate: number;
      kernelSize?: number;
      /** Width of the 1×1 bottleneck as a multiple of growthRate (DenseNet-B uses 4); 0 = none. */
      bottleneck?: number;
      dropout?: number;
    }
  | { type: 'gap' }
  | { type: 'flatten' }
  | { type: 'avgpool'; size: number; stride?: number }
  | { type: 'maxpool'; size: number; stride?: number };

export type LossName = 'mse' | 'gaussian_nll' | 'dirichlet_nll';

export interface HeadSpec {
  /** Name of the predicted quantity (key of targets and predictions). */
  name: string;
  /** Number of predicted values per sample (for dirichlet_nll: number of fractions). */
  units: number;
  /**
   * mse: point prediction. gaussian_nll: mean and variance (softplus) per value, trained with
   * torch.nn.GaussianNLLLoss. dirichlet_nll: Dirichlet concentrations (softplus) for fractions that
   * sum to one, trained with the negative Dirichlet log-likelihood.
   */
  loss: LossName;
  /** Weight of this head's loss in the total loss (default 1). */
  weight?: number;
  /** Hidden layers of the head before its output layer. */
  layers?: LayerSpec[];
}

export type InputSpec = { features: number } | { length: number; channels?: number };

export interface ModelSpec {
  input: InputSpec;
  layers: LayerSpec[];
  heads: HeadSpec[];
}

const ACTIVATIONS = ['relu', 'gelu', 'linear'];
const LOSSES = ['mse', 'gaussian_nll', 'dirichlet_nll'];
const LAYER_KEYS: Record<string, string[]> = {
  dense: ['units', 'activation', 'bias'],
  conv1d: ['filters', 'kernelSize', 'stride', 'padding', 'dilation', 'activation', 'bias'],
  batchnorm: ['momentum', 'eps'],
  relu: [],
  gelu: [],
  dropout: ['rate'],
  residual: ['body', 'shortcut', 'activation'],
  concat: ['branches'],
  denseblock: ['layers', 'growthRate', 'kernelSize', 'bottleneck', 'dropout'],
  gap: [],
  flatten: [],
  avgpool: ['size', 'stride'],
  maxpool: ['size', 'stride'],
};

type Obj = Record<string, unknown>;

function fail(path: string, message: string, expected?: string): never {
  throw new XasInputError(message, { field: path, expected });
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(o: Obj, key: string, path: string, min: number, optional = false): void {
  const v = o[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    fail(`${path}.${key}`, `invalid value ${JSON.stringify(v)}`, `an integer >= ${min}`);
  }
}

function real(o: Obj, key: string, path: string, lo: number, hi: number, optional = false): void {
  const v = o[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    fail(`${path}.${key}`, `invalid value ${JSON.stringify(v)}`, `a number in [${lo}, ${hi}]`);
  }
}

function oneOf(o: Obj, key: string, path: string, allowed: string[], optional = true): void {
  const v = o[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'string' || !allowed.includes(v)) {
    fail(`${path}.${key}`, `invalid value ${JSON.stringify(v)}`, `one of ${allowed.join(', ')}`);
  }
}

function validateLayers(v: unknown, path: string): void {
  if (!Array.isArray(v)) fail(path, 'not an array of layers', 'an array of layer objects');
  v.forEach((l, i) => {
    validateLayer(l, `${path}[${i}]`);
  });
}

function validateLayer(l: unknown, path: string): void {
  if (!isObj(l)) fail(path, 'not a layer object', 'an object with a "type" field');
  const type = l.type;
  if (typeof type !== 'string' || !(type in LAYER_KEYS)) {
    fail(
      `${path}.type`,
      `unknown layer type ${JSON.stringify(type)}`,
      `one of ${Object.keys(LAYER_KEYS).join(', ')}`,
    );
  }
  for (const key of Object.keys(l)) {
    if (key !== 'type' && !LAYER_KEYS[type].includes(key)) {
      fail(
        `${path}.${key}`,
        `unknown option for a ${type} layer`,
        `one of ${LAYER_KEYS[type].join(', ') || '(none)'}`,
      );
    }
  }
  switch (type) {
    case 'dense':
      int(l, 'units', path, 1);
      oneOf(l, 'activation', path, ACTIVATIONS);
      break;
    case 'conv1d':
      int(l, 'filters', path, 1);
      int(l, 'kernelSize', path, 1);
      int(l, 'stride', path, 1, true);
      int(l, 'dilation', path, 1, true);
      oneOf(l, 'activation', path, ACTIVATIONS);
      if (l.padding !== undefined && l.padding !== 'same' && l.padding !== 'valid')
        int(l, 'padding', path, 0);
      if (l.padding === 'same' && (l.stride ?? 1) !== 1)
        fail(`${path}.padding`, "'same' padding requires stride 1");
      break;
    case 'batchnorm':
      real(l, 'momentum', path, 0, 1, true);
      real(l, 'eps', path, 0, 1, true);
      break;
    case 'dropout':
      real(l, 'rate', path, 0, 0.999999);
      break;
    case 'residual':
      validateLayers(l.body, `${path}.body`);
      if (l.shortcut !== undefined) validateLayers(l.shortcut, `${path}.shortcut`);
      oneOf(l, 'activation', path, ['relu', 'linear']);
      break;
    case 'concat':
      if (!Array.isArray(l.branches) || l.branches.length === 0) {
        fail(`${path}.branches`, 'missing or empty', 'an array of layer arrays ([] is the identity)');
      }
      l.branches.forEach((b, i) => {
        validateLayers(b, `${path}.branches[${i}]`);
      });
      break;
    case 'denseblock':
      int(l, 'layers', path, 1);
      int(l, 'growthRate', path, 1);
      int(l, 'kernelSize', path, 1, true);
      int(l, 'bottleneck', path, 0, true);
      real(l, 'dropout', path, 0, 0.999999, true);
      break;
    case 'avgpool':
    case 'maxpool':
      int(l, 'size', path, 1);
      int(l, 'stride', path, 1, true);
      break;
  }
}

/** Checks a parsed JSON value and returns it typed as a ModelSpec (throws XasInputError). */
export function validateSpec(spec: unknown, where = 'spec'): ModelSpec {
  if (!isObj(spec)) fail(where, 'model spec is not an object', 'an object with input, layers and heads');
  const input = spec.input;
  if (!isObj(input)) fail(`${where}.input`, 'missing', '{ features } or { length, channels }');
  if ('features' in input) int(input, 'features', `${where}.input`, 1);
  else {
    int(input, 'length', `${where}.input`, 1);
    int(input, 'channels', `${where}.input`, 1, true);
  }
  validateLayers(spec.layers ?? [], `${where}.layers`);
  if (!Array.isArray(spec.heads) || spec.heads.length === 0) {
    fail(`${where}.heads`, 'missing or empty', 'at least one output head');
  }
  const names = new Set<string>();
  spec.heads.forEach((h, i) => {
    const p = `${where}.heads[${i}]`;
    if (!isObj(h)) fail(p, 'not an object', '{ name, units, loss }');
    if (typeof h.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(h.name)) {
      fail(`${p}.name`, `invalid head name ${JSON.stringify(h.name)}`, 'an identifier');
    }
    if (names.has(h.name)) fail(`${p}.name`, `duplicate head name '${h.name}'`);
    names.add(h.name);
    int(h, 'units', p, h.loss === 'dirichlet_nll' ? 2 : 1);
    oneOf(h, 'loss', p, LOSSES, false);
    real(h, 'weight', p, 0, Number.MAX_VALUE, true);
    if (h.layers !== undefined) validateLayers(h.layers, `${p}.layers`);
  });
  return { ...spec, layers: spec.layers ?? [] } as unknown as ModelSpec;
}

/** Flat size of one input sample. */
export function inputShape(spec: ModelSpec): { length: number; channels: number } {
  const i = spec.input;
  return 'features' in i
    ? { length: 1, channels: i.features }
    : { length: i.length, channels: i.channels ?? 1 };
}
