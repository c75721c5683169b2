#!/usr/bin/python3
"""Reference gradients for xasflow's neural-network core, computed with PyTorch 1.13 (Debian
python3-torch) in float64. For each case the script interprets an xasflow model spec (the same JSON
the TypeScript builder reads) as torch modules on channels-last [N, L, C] tensors, initialises it
with torch's default initialisation, and records in xasflow's flat parameter order and layouts
(Linear weight [out, in], Conv1d weight [Cout, K, Cin]): the inputs, initial parameters, head
outputs, head losses, parameter and input gradients, BatchNorm running statistics, the parameters
after 1 and 3 optimizer steps (Adam/AdamW, optional clip_grad_norm_) and the evaluation-mode outputs
afterwards. Also records learning-rate schedule sequences (StepLR, CosineAnnealingLR,
ReduceLROnPlateau). Run: /usr/bin/python3 tools/nn/make-torch-fixtures.py
Output: test/fixtures/nn/torch-cases.json (floats as base64 little-endian arrays).
"""
import base64
import json
import math
import os

import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
warnings.filterwarnings('ignore', message="Using padding='same'")
OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'fixtures', 'nn',
                                   'torch-cases.json'))


def b64(a, dtype):
    return base64.b64encode(np.ascontiguousarray(np.asarray(a, dtype=dtype)).tobytes()).decode()


class Registry:
    """Collects parameters and buffers in xasflow's registration order and layouts."""

    def __init__(self):
        self.params = []  # (name, tensor, to_ours)
        self.buffers = []

    def param(self, name, t, to_ours=lambda x: x):
        self.params.append((name, t, to_ours))

    def buffer(self, name, module, attr):
        self.buffers.append((name, module, attr))


def act(name):
    return {'relu': F.relu, 'gelu': F.gelu}.get(name, lambda x: x)


class Dense(nn.Module):
    def __init__(self, reg, path, cin, s):
        super().__init__()
        self.lin = nn.Linear(cin, s['units'], bias=s.get('bias', True))
        reg.param(path + '.weight', self.lin.weight)
        if self.lin.bias is not None:
            reg.param(path + '.bias', self.lin.bias)
        self.act = act(s.get('activation'))

    def forward(self, x):
        return self.act(self.lin(x))


class Conv(nn.Module):
    def __init__(self, reg, path, cin, s):
        super().__init__()
        k, d, st = s['kernelSize'], s.get('dilation', 1), s.get('stride', 1)
        pad = s.get('padding', 0)
        if pad == 'valid':
            pad = 0
        self.conv = nn.Conv1d(cin, s['filters'], k, stride=st, padding=pad, dilation=d, bias=s.get('bias', True))
        reg.param(path + '.weight', self.conv.weight, lambda w: w.permute(0, 2, 1))
        if self.conv.bias is not None:
            reg.param(path + '.bias', self.conv.bias)
        self.act = act(s.get('activation'))

    def forward(self, x):
        return self.act(self.conv(x.transpose(1, 2)).transpose(1, 2))


class BN(nn.Module):
    def __init__(self, reg, path, c, s):
        super().__init__()
        self.bn = nn.BatchNorm1d(c, momentum=s.get('momentum', 0.1), eps=s.get('eps', 1e-5))
        reg.param(path + '.weight', self.bn.weight)
        reg.param(path + '.bias', self.bn.bias)
        reg.buffer(path + '.running_mean', self.bn, 'running_mean')
        reg.buffer(path + '.running_var', self.bn, 'running_var')

    def forward(self, x):
        return self.bn(x.transpose(1, 2)).transpose(1, 2)


class Fn(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, x):
        return self.f(x)


class Seq(nn.Module):
    def __init__(self, mods):
        super().__init__()
        self.mods = nn.ModuleList(mods)

    def forward(self, x):
        for m in self.mods:
            x = m(x)
        return x


class Residual(nn.Module):
    def __init__(self, body, shortcut, a):
        super().__init__()
        self.body, self.shortcut, self.a = body, shortcut, act(a)

    def forward(self, x):
        return self.a(self.body(x) + self.shortcut(x))


class Concat(nn.Module):
    def __init__(self, branches):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([b(x) for b in self.branches], dim=2)


def expand_denseblock(s):
    units = []
    for _ in range(s['layers']):
        br = [{'type': 'batchnorm'}, {'type': 'relu'}]
        if s.get('bottleneck'):
            br += [{'type': 'conv1d', 'filters': s['bottleneck'] * s['growthRate'], 'kernelSize': 1, 'bias': False},
                   {'type': 'batchnorm'}, {'type': 'relu'}]
        br.append({'type': 'conv1d', 'filters': s['growthRate'], 'kernelSize': s.get('kernelSize', 3),
                   'padding': 'same', 'bias': False})
        units.append({'type': 'concat', 'branches': [[], br]})
    return units


def build_seq(reg, specs, shape, path):
    mods = []
    for i, s in enumerate(specs):
        m, shape = build_layer(reg, s, shape, f'{path}.{i}')
        mods.append(m)
    return Seq(mods), shape


def build_layer(reg, s, shape, path):
    L, C = shape
    t = s['type']
    if t == 'dense':
        return Dense(reg, path, C, s), (L, s['units'])
    if t == 'conv1d':
        m = Conv(reg, path, C, s)
        with torch.no_grad():
            lout = m(torch.zeros(1, L, C)).shape[1]
        return m, (lout, s['filters'])
    if t == 'batchnorm':
        return BN(reg, path, C, s), shape
    if t in ('relu', 'gelu'):
        return Fn(act(t)), shape
    if t == 'gap':
        return Fn(lambda x: x.mean(dim=1, keepdim=True)), (1, C)
    if t == 'flatten':
        return Fn(lambda x: x.reshape(x.shape[0], 1, -1)), (1, L * C)
    if t in ('avgpool', 'maxpool'):
        size, stride = s['size'], s.get('stride', s['size'])
        f = F.avg_pool1d if t == 'avgpool' else F.max_pool1d
        return Fn(lambda x: f(x.transpose(1, 2), size, stride).transpose(1, 2)), ((L - size) // stride + 1, C)
    if t == 'residual':
        body, bs = build_seq(reg, s['body'], shape, path + '.body')
        sc, _ = build_seq(reg, s.get('shortcut', []), shape, path + '.shortcut')
        return Residual(body, sc, s.get('activation', 'relu')), bs
    if t == 'concat':
        brs, ch = [], 0
        for i, b in enumerate(s['branches']):
            m, bs = build_seq(reg, b, shape, f'{path}.branches.{i}')
            brs.append(m)
            ch += bs[1]
            lout = bs[0]
        return Concat(brs), (lout, ch)
    if t == 'denseblock':
        return build_seq(reg, expand_denseblock(s), shape, path)
    raise ValueError(t)


class Model(nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.reg = Registry()
        inp = spec['input']
        shape = (1, inp['features']) if 'features' in inp else (inp['length'], inp.get('channels', 1))
        self.in_shape = shape
        self.trunk, tshape = build_seq(self.reg, spec['layers'], shape, 'layers')
        heads = []
        for h in spec['heads']:
            hid, hs = build_seq(self.reg, h.get('layers', []), tshape, f"heads.{h['name']}.layers")
            units = 2 * h['units'] if h['loss'] == 'gaussian_nll' else h['units']
            out = Dense(self.reg, f"heads.{h['name']}.out", hs[1], {'units': units})
            heads.append(Seq([hid, out]))
        self.heads = nn.ModuleList(heads)
        self.spec = spec

    def forward(self, x):
        h = self.trunk(x)
        return [hd(h).reshape(x.shape[0], -1) for hd in self.heads]


def head_loss(h, z, t):
    if h['loss'] == 'mse':
        return F.mse_loss(z, t)
    u = h['units']
    if h['loss'] == 'gaussian_nll':
        return F.gaussian_nll_loss(z[:, :u], t, F.softplus(z[:, u:]), eps=1e-6)
    alpha = torch.exp(torch.clamp(z, -15, 15))
    ts = (t + 1e-6) / (1 + u * 1e-6)
    return -torch.distributions.Dirichlet(alpha).log_prob(ts).mean()


def flat_params(model):
    return np.concatenate([f(p.detach()).reshape(-1).numpy() for _, p, f in model.reg.params])


def flat_grads(model):
    return np.concatenate([f(p.grad.detach()).reshape(-1).numpy() for _, p, f in model.reg.params])


def flat_buffers(model):
    if not model.reg.buffers:
        return np.zeros(0)
    return np.concatenate([getattr(m, a).detach().reshape(-1).numpy() for _, m, a in model.reg.buffers])


def make_case(name, spec, batch, opt, seed):
    torch.manual_seed(seed)
    rs = np.random.RandomState(seed)
    model = Model(spec)
    L, C = model.in_shape
    x32 = rs.standard_normal((batch, L, C)).astype(np.float32)
    # Round the torch-initialised parameters to float32, the precision xasflow stores them in.
    with torch.no_grad():
        for _, p, _ in model.reg.params:
            p.copy_(p.float().double())
    targets = []
    for h in spec['heads']:
        if h['loss'] == 'dirichlet_nll':
            t = rs.dirichlet(np.full(h['units'], 2.0), size=batch)
        else:
            t = rs.standard_normal((batch, h['units']))
        targets.append(t.astype(np.float32))
    params0 = flat_params(model).astype(np.float32)

    x = torch.tensor(x32.astype(np.float64), requires_grad=True)
    ts = [torch.tensor(t.astype(np.float64)) for t in targets]
    model.train()
    outs = model(x)
    losses = [head_loss(h, z, t) for h, z, t in zip(spec['heads'], outs, ts)]
    total = sum(h.get('weight', 1.0) * l for h, l in zip(spec['heads'], losses))
    total.backward()
    grads = flat_grads(model)
    input_grad = x.grad.numpy().copy()
    buffers1 = flat_buffers(model)

    params = [p for _, p, _ in model.reg.params]
    kind = opt.get('type', 'adam')
    kw = dict(lr=opt['lr'], betas=tuple(opt.get('betas', (0.9, 0.999))), eps=opt.get('eps', 1e-8),
              weight_decay=opt.get('weightDecay', 0.01 if kind == 'adamw' else 0.0))
    optim = (torch.optim.AdamW if kind == 'adamw' else torch.optim.Adam)(params, **kw)
    norms = []

    def do_step():
        if 'clipNorm' in opt:
            norms.append(float(torch.nn.utils.clip_grad_norm_(params, opt['clipNorm'])))
        optim.step()

    do_step()
    after1 = flat_params(model)
    for _ in range(2):
        optim.zero_grad()
        outs2 = model(x)
        tot2 = sum(h.get('weight', 1.0) * head_loss(h, z, t) for h, z, t in zip(spec['heads'], outs2, ts))
        tot2.backward()
        do_step()
    after3 = flat_params(model)
    buffers3 = flat_buffers(model)
    model.eval()
    with torch.no_grad():
        eval_outs = model(x)
    return {
        'name': name,
        'spec': spec,
        'batch': batch,
        'optimizer': opt,
        'x': b64(x32, '<f4'),
        'targets': [b64(t, '<f4') for t in targets],
        'paramNames': [n for n, _, _ in model.reg.params],
        'bufferNames': [n for n, _, _ in model.reg.buffers],
        'params0': b64(params0, '<f4'),
        'outputs': [b64(o.detach().numpy(), '<f8') for o in outs],
        'losses': [float(l) for l in losses],
        'total': float(total),
        'grads': b64(grads, '<f8'),
        'inputGrad': b64(input_grad, '<f8'),
        'buffersAfter1': b64(buffers1, '<f8'),
        'gradNorms': norms,
        'paramsAfter1': b64(after1, '<f8'),
        'paramsAfter3': b64(after3, '<f8'),
        'buffersAfter3': b64(buffers3, '<f8'),
        'evalOutputs': [b64(o.numpy(), '<f8') for o in eval_outs],
    }


CASES = [
    ('mlp_relu_gelu_mse', {
        'input': {'features': 6},
        'layers': [{'type': 'dense', 'units': 8, 'activation': 'relu'},
                   {'type': 'dense', 'units': 7, 'activation': 'gelu'},
                   {'type': 'dense', 'units': 5}, {'type': 'gelu'}],
        'heads': [{'name': 'y', 'units': 3, 'loss': 'mse'}]}, 5, {'lr': 1e-2}),
    ('mlp_bn_two_heads_adamw_clip', {
        'input': {'features': 5},
        'layers': [{'type': 'dense', 'units': 6, 'activation': 'relu'}, {'type': 'batchnorm', 'momentum': 0.3},
                   {'type': 'relu'}],
        'heads': [{'name': 'a', 'units': 2, 'loss': 'mse', 'weight': 0.7},
                  {'name': 'b', 'units': 3, 'loss': 'gaussian_nll',
                   'layers': [{'type': 'dense', 'units': 4, 'activation': 'gelu'}]}]},
     7, {'type': 'adamw', 'lr': 3e-3, 'weightDecay': 0.05, 'clipNorm': 0.5}),
    ('conv_stride_pad_dilation_pool', {
        'input': {'length': 19, 'channels': 2},
        'layers': [{'type': 'conv1d', 'filters': 4, 'kernelSize': 3, 'stride': 2, 'padding': 1, 'activation': 'relu'},
                   {'type': 'conv1d', 'filters': 3, 'kernelSize': 3, 'dilation': 2, 'padding': 'same',
                    'activation': 'gelu'},
                   {'type': 'conv1d', 'filters': 5, 'kernelSize': 4, 'padding': 'same', 'bias': False},
                   {'type': 'batchnorm'}, {'type': 'relu'},
                   {'type': 'conv1d', 'filters': 4, 'kernelSize': 2, 'stride': 1, 'dilation': 3, 'padding': 2},
                   {'type': 'maxpool', 'size': 2},
                   {'type': 'avgpool', 'size': 3, 'stride': 1}, {'type': 'flatten'}],
        'heads': [{'name': 'y', 'units': 2, 'loss': 'mse'}]}, 4, {'lr': 1e-3, 'betas': [0.8, 0.99], 'eps': 1e-6}),
    ('resnet_dirichlet_gaussian', {
        'input': {'length': 16, 'channels': 1},
        'layers': [{'type': 'conv1d', 'filters': 4, 'kernelSize': 5, 'padding': 'same', 'bias': False},
                   {'type': 'batchnorm'},
                   {'type': 'relu'},
                   {'type': 'residual', 'body': [
                       {'type': 'conv1d', 'filters': 4, 'kernelSize': 3, 'padding': 1, 'bias': False},
                       {'type': 'batchnorm'}, {'type': 'relu'},
                       {'type': 'conv1d', 'filters': 4, 'kernelSize': 3, 'padding': 1, 'bias': False},
                       {'type': 'batchnorm'}]},
                   {'type': 'residual', 'body': [
                       {'type': 'conv1d', 'filters': 6, 'kernelSize': 3, 'stride': 2, 'padding': 1, 'bias': False},
                       {'type': 'batchnorm'}, {'type': 'relu'},
                       {'type': 'conv1d', 'filters': 6, 'kernelSize': 3, 'padding': 1, 'bias': False},
                       {'type': 'batchnorm'}],
                    'shortcut': [{'type': 'conv1d', 'filters': 6, 'kernelSize': 1, 'stride': 2, 'bias': False},
                                 {'type': 'batchnorm'}]},
                   {'type': 'gap'}, {'type': 'dense', 'units': 5, 'activation': 'relu'}],
        'heads': [{'name': 'frac', 'units': 3, 'loss': 'dirichlet_nll'},
                  {'name': 'v', 'units': 2, 'loss': 'gaussian_nll', 'weight': 0.5}]}, 6, {'lr': 2e-3}),
    ('densenet_block', {
        'input': {'length': 12, 'channels': 2},
        'layers': [{'type': 'conv1d', 'filters': 4, 'kernelSize': 3, 'padding': 'same', 'bias': False},
                   {'type': 'denseblock', 'layers': 2, 'growthRate': 3, 'bottleneck': 2, 'kernelSize': 3},
                   {'type': 'batchnorm'}, {'type': 'relu'},
                   {'type': 'conv1d', 'filters': 5, 'kernelSize': 1, 'bias': False},
                   {'type': 'avgpool', 'size': 2}, {'type': 'gap'}],
        'heads': [{'name': 'y', 'units': 2, 'loss': 'mse'}]}, 5, {'type': 'adamw', 'lr': 1e-3}),
]


def schedules():
    out = []
    metrics = [1.0, 0.9, 0.95, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99, 0.45, 0.46, 0.47, 0.48]
    confs = [
        ({'type': 'step', 'stepSize': 3, 'gamma': 0.5},
         lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
        ({'type': 'cosine', 'tMax': 7, 'etaMin': 1e-4},
         lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=1e-4)),
        ({'type': 'plateau', 'factor': 0.5, 'patience': 2, 'cooldown': 1, 'minLr': 2e-4},
         lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=2, cooldown=1, min_lr=2e-4)),
    ]
    for spec, make in confs:
        p = torch.zeros(1, requires_grad=True)
        o = torch.optim.Adam([p], lr=1e-2)
        s = make(o)
        lrs = []
        for m in metrics:
            o.step()
            if isinstance(s, torch.optim.lr_scheduler.ReduceLROnPlateau):
                s.step(m)
            else:
                s.step()
            lrs.append(o.param_groups[0]['lr'])
        out.append({'spec': spec, 'baseLr': 1e-2, 'metrics': metrics, 'lrs': lrs})
    return out


def main():
    cases = [make_case(n, s, b, o, 1000 + i) for i, (n, s, b, o) in enumerate(CASES)]
    doc = {'generator': 'tools/nn/make-torch-fixtures.py', 'torch': torch.__version__, 'cases': cases,
           'schedules': schedules()}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
    print(f'wrote {OUT}: {len(cases)} cases, {os.path.getsize(OUT)} bytes')


if __name__ == '__main__':
    main()
