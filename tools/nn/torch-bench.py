#!/usr/bin/python3
"""PyTorch 1.13 side of bench/nn.ts: the same two networks as xasflow's benchmark (the NN-EXAFS
MLP 240 -> 4x1000 ReLU -> 300 + 180, and the 1D ResNet of ts-stack.md on 256-point spectra) in
torch's native layout. It runs as a small server so the benchmark can alternate xasflow and
PyTorch figure by figure on a shared machine: each stdin line "FIGURE THREADS SECONDS" (FIGURE one
of mlpTrain, mlpInfer, cnnTrain, cnnInfer) is answered with one JSON line {"rate": samples per second, "cpuRate": samples per CPU second}.
Usage: /usr/bin/python3 tools/nn/torch-bench.py MAX_THREADS
"""
import json
import os
import sys
import time

MAX_THREADS = int(sys.argv[1])
for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
    os.environ[var] = str(MAX_THREADS)

import ctypes  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def openblas_handle():
    """The OpenBLAS torch calls for dense layers (Debian: libblas.so.3 forwards to it). Its pthread
    pool ignores torch.set_num_threads, so the thread count is also set here; None if not found."""
    for name in ('libopenblas.so.0', 'libopenblas.so'):
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        if hasattr(lib, 'openblas_set_num_threads'):
            return lib
    return None


OPENBLAS = openblas_handle()



class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        layers, cin = [], 240
        for _ in range(4):
            layers += [nn.Linear(cin, 1000), nn.ReLU()]
            cin = 1000
        self.trunk = nn.Sequential(*layers)
        self.gr = nn.Linear(1000, 300)
        self.bad = nn.Linear(1000, 180)

    def forward(self, x):
        h = self.trunk(x)
        return self.gr(h), self.bad(h)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(cin, cout, 5, stride=stride, padding=2, bias=False), nn.BatchNorm1d(cout), nn.ReLU(),
            nn.Conv1d(cout, cout, 5, padding=2, bias=False), nn.BatchNorm1d(cout))
        self.short = (nn.Sequential(nn.Conv1d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm1d(cout))
                      if stride != 1 or cin != cout else nn.Identity())

    def forward(self, x):
        return torch.relu(self.body(x) + self.short(x))


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(1, 32, 7, padding=3, bias=False), nn.BatchNorm1d(32), nn.ReLU())
        self.blocks = nn.Sequential(Block(32, 32, 1), Block(32, 64, 2), Block(64, 64, 1), Block(64, 128, 2),
                                    Block(128, 128, 1))
        self.fc = nn.Sequential(nn.Linear(128, 64), nn.ReLU())
        self.y = nn.Linear(64, 8)
        self.z = nn.Linear(64, 1)

    def forward(self, x):
        h = self.blocks(self.stem(x)).mean(dim=2)
        h = self.fc(h)
        return self.y(h), self.z(h)


def rate(step, batch, seconds):
    """(samples per wall-clock second, samples per CPU second of this process)."""
    for _ in range(2):
        step()
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while True:
        step()
        n += 1
        dt = time.perf_counter() - t0
        if n >= 3 and dt >= seconds:
            return n * batch / dt, n * batch / max(time.process_time() - c0, 1e-9)


def steps(model, x, targets, lr, train_batch, infer_batch):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    xb = x[:train_batch]
    tb = [t[:train_batch] for t in targets]
    xi = x[:infer_batch]
    mse = nn.MSELoss()

    def train_step():
        model.train()
        opt.zero_grad(set_to_none=True)
        outs = model(xb)
        loss = sum(mse(o, t) for o, t in zip(outs, tb))
        loss.backward()
        opt.step()

    def infer_step():
        model.eval()
        with torch.no_grad():
            model(xi)

    return (train_step, train_batch), (infer_step, infer_batch)


def main():
    torch.manual_seed(0)
    mlp_train, mlp_infer = steps(Mlp(), torch.randn(1024, 240), [torch.randn(1024, 300), torch.randn(1024, 180)],
                                 1e-4, 256, 1024)
    cnn_train, cnn_infer = steps(Cnn(), torch.randn(256, 1, 256), [torch.randn(256, 8), torch.randn(256, 1)],
                                 1e-3, 64, 256)
    figures = {'mlpTrain': mlp_train, 'mlpInfer': mlp_infer, 'cnnTrain': cnn_train, 'cnnInfer': cnn_infer}
    print(json.dumps({'ready': True, 'torch': torch.__version__, 'mkldnn': torch.backends.mkldnn.is_available(),
                      'openblasThreadsSet': OPENBLAS is not None}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        fig, threads, seconds = parts[0], int(parts[1]), float(parts[2])
        torch.set_num_threads(threads)
        if OPENBLAS is not None:
            OPENBLAS.openblas_set_num_threads(threads)
        step, batch = figures[fig]
        wall, cpu = rate(step, batch, seconds)
        print(json.dumps({'rate': wall, 'cpuRate': cpu}), flush=True)


if __name__ == '__main__':
    main()
