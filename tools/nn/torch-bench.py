#!/usr/bin/python3
"""PyTorch 1.13 side of bench/nn.ts: trains and runs the same two networks as xasflow's benchmark
(the NN-EXAFS MLP 240 -> 4x1000 ReLU -> 300 + 180, and the 1D ResNet of ts-stack.md on 256-point
spectra) in torch's native layout, and prints one JSON object with samples/s.
Usage: /usr/bin/python3 tools/nn/torch-bench.py THREADS SECONDS
"""
import json
import os
import sys
import time

THREADS = int(sys.argv[1])
SECONDS = float(sys.argv[2])
for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
    os.environ[var] = str(THREADS)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

torch.set_num_threads(THREADS)
torch.manual_seed(0)


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


def rate(step, batch):
    for _ in range(2):
        step()
    n, t0 = 0, time.perf_counter()
    while True:
        step()
        n += 1
        dt = time.perf_counter() - t0
        if n >= 3 and dt >= SECONDS:
            return n * batch / dt


def bench(model, x, targets, lr, train_batch, infer_batch):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    xb = x[:train_batch]
    tb = [t[:train_batch] for t in targets]
    mse = nn.MSELoss()

    def train_step():
        opt.zero_grad(set_to_none=True)
        outs = model(xb)
        loss = sum(mse(o, t) for o, t in zip(outs, tb))
        loss.backward()
        opt.step()

    model.train()
    train = rate(train_step, train_batch)
    model.eval()
    xi = x[:infer_batch]

    def infer_step():
        with torch.no_grad():
            model(xi)

    infer = rate(infer_step, infer_batch)
    return train, infer


def main():
    mlp_train, mlp_infer = bench(Mlp(), torch.randn(1024, 240), [torch.randn(1024, 300), torch.randn(1024, 180)],
                                 1e-4, 256, 1024)
    cnn_train, cnn_infer = bench(Cnn(), torch.randn(256, 1, 256), [torch.randn(256, 8), torch.randn(256, 1)],
                                 1e-3, 64, 256)
    print(json.dumps({'threads': THREADS, 'torch': torch.__version__, 'mkldnn': torch.backends.mkldnn.is_available(),
                      'mlpTrain': mlp_train, 'mlpInfer': mlp_infer, 'cnnTrain': cnn_train, 'cnnInfer': cnn_infer}))


if __name__ == '__main__':
    main()
