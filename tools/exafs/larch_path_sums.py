#!/usr/bin/python3
"""Fixture for test/exafs/path-equation.test.ts: Larch 0.9.58 feffpath + ff2chi sums of the shipped
FEFF path sets in data/xafs/feff/, with default and non-default path parameters.

Run from the repository root:  /usr/bin/python3 tools/exafs/larch_path_sums.py
Writes test/fixtures/exafs/larch_path_sums.json
"""
import glob
import json
import os

import numpy as np
from larch.xafs import feffpath, ff2chi

SETS = ['larch_Cu', 'parseq_Cu', 'parseq_Co', 'parseq_Fe']


def case_params(name, reff, deg, i):
    if name == 'defaults':
        return {}
    if name == 'shifted':
        return dict(s02=0.87, e0=4.3, deltar=0.004 * reff, sigma2=0.0021 * reff, third=0.0003,
                    fourth=2.0e-5, ei=0.8, degen=deg * (0.5 if i % 3 == 1 else 1.0))
    if name == 'negative':
        return dict(s02=0.93, e0=-3.7, deltar=-0.02, sigma2=0.006, third=-0.0002)
    raise ValueError(name)


def main():
    out = {'generator': 'larch %s feffpath/ff2chi' % __import__('larch').__version__, 'sets': []}
    for s in SETS:
        files = sorted(glob.glob(os.path.join('data/xafs/feff', s, 'feff[0-9][0-9][0-9][0-9].dat')))
        entry = {'dir': 'data/xafs/feff/' + s, 'files': [os.path.basename(f) for f in files], 'cases': []}
        for name in ('defaults', 'shifted', 'negative'):
            paths, plist = [], []
            for i, f in enumerate(files):
                p0 = feffpath(f)
                pars = case_params(name, p0._feffdat.reff, p0._feffdat.degen, i)
                paths.append(feffpath(f, **pars))
                plist.append(pars)
            kws = {}
            if name == 'negative':
                kws['k'] = np.arange(1.5, 17.2, 0.037)
            g = ff2chi(paths, **kws)
            entry['cases'].append({'name': name, 'params': plist,
                                   'k': [float('%.12g' % v) for v in g.k],
                                   'chi': [float('%.12e' % v) for v in g.chi]})
        out['sets'].append(entry)
    with open('test/fixtures/exafs/larch_path_sums.json', 'w') as fh:
        json.dump(out, fh)


if __name__ == '__main__':
    main()
