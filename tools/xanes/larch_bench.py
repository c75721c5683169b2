#!/usr/bin/python3
"""Larch 0.9.58 side of `npm run bench:xanes`: lincombo_fit on the spectra the bench wrote.

Usage: /usr/bin/python3 tools/xanes/larch_bench.py INPUT.json OUTPUT.json
INPUT: {"energy": [...], "refs": {name: [...]}, "spectra": [[...], ...], "xmin": E, "xmax": E}
OUTPUT: per mode (unbounded / bounded, both sum-to-one) the weights and the wall time of the fits.
"""
import json
import sys
import time

import numpy as np
from larch import Group
from larch.math.lincombo_fitting import lincombo_fit


def main():
    with open(sys.argv[1]) as f:
        d = json.load(f)
    e = np.array(d['energy'])
    names = list(d['refs'].keys())
    refs = [Group(energy=e, norm=np.array(d['refs'][n]), filename=n) for n in names]
    out = {}
    for mode, kws in (('unbounded', {}), ('bounded', dict(minvals=[0] * len(refs), maxvals=[1] * len(refs)))):
        weights = []
        t0 = time.perf_counter()
        for y in d['spectra']:
            g = Group(energy=e, norm=np.array(y), filename='spectrum')
            r = lincombo_fit(g, refs, xmin=d['xmin'], xmax=d['xmax'], sum_to_one=True, **kws)
            weights.append([float(r.weights[n]) for n in names])
        out[mode] = dict(seconds=time.perf_counter() - t0, weights=weights)
    with open(sys.argv[2], 'w') as f:
        json.dump(dict(names=names, **out), f)


if __name__ == '__main__':
    main()
