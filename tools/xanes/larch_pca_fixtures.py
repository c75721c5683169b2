#!/usr/bin/python3
"""PCA fixtures for xasflow, made by Larch 0.9.58 pca_train / pca_fit (python3-xraylarch).

Run from the repository root:  /usr/bin/python3 tools/xanes/larch_pca_fixtures.py
Writes test/fixtures/xanes/pca_larch.json: for the 16 ParSeq Cu references (cu-ref-mix.res, the
second foil left out as in ParSeq's own test) and for the Au L3 set, the eigenvalues, variances,
IND list, nsig, mean and components of pca_train, and pca_fit of the unknowns (mix1, mix2, the Au
unknown) and of the references themselves (target transformation) for several component counts.
Component signs are arbitrary (LAPACK eigenvectors), so the test compares them up to sign.
"""
import json
import os

import numpy as np
import larch
from larch import Group
from larch.math.pca import pca_train, pca_fit


def model_summary(m):
    return dict(labels=list(m.labels), x=[float(v) for v in m.x], mean=[float(v) for v in m.mean],
                eigenvalues=[float(v) for v in m.eigenvalues], variances=[float(v) for v in m.variances],
                ind=[float(v) for v in m.ind], nsig=int(m.nsig),
                components=[[float(v) for v in c] for c in m.components[:6]])


def fits(groups, model, ncomps_list):
    out = []
    for g in groups:
        for n in ncomps_list:
            for rescale in (True, False):
                pca_fit(g, model, ncomps=n, rescale=rescale)
                r = g.pca_result
                out.append(dict(label=g.filename, ncomps=n, rescale=rescale, chi_square=float(r.chi_square),
                                scale=float(r.data_scale), weights=[float(v) for v in r.weights]))
    return out


def main():
    path = 'data/xanes_refs/parseq_cu/cu-ref-mix.res'
    with open(path) as f:
        names = f.readline().split()
    data = np.loadtxt(path, skiprows=1)
    e = data[:, 0]
    groups = {n: Group(energy=e, norm=data[:, i], filename=n) for i, n in enumerate(names) if i > 0}
    refnames = [n for n in names[1:-2] if n != 'cu-foil_ave5']
    xmin, xmax = 8960.0, 9100.0
    cu = pca_train([groups[n] for n in refnames], arrayname='norm', xmin=xmin, xmax=xmax)
    cu_fits = fits([groups['mix1'], groups['mix2'], groups['cu2o_ave2'], groups['cu-foil_ave5']], cu, [3, 5, 8])

    d = 'data/xafs/lcf_au_l3'
    au = {}
    for name in ['s1', 's2', 's3', 's4', 's5', 's6', 'unknown']:
        arr = np.loadtxt(os.path.join(d, name + '.dat'))
        au[name] = Group(energy=arr[:, 0], norm=arr[:, 1], filename=name + '.dat')
    au_model = pca_train([au['s%d' % i] for i in range(1, 7)], arrayname='norm', xmin=11870.0, xmax=12030.0)
    au_fits = fits([au['unknown']], au_model, [2, 3, 4])

    out = dict(meta=dict(generator='tools/xanes/larch_pca_fixtures.py', larch=larch.__version__, numpy=np.__version__),
               cu=dict(file=path, references=refnames, xmin=xmin, xmax=xmax, model=model_summary(cu), fits=cu_fits),
               au=dict(refs=['data/xafs/lcf_au_l3/s%d.dat' % i for i in range(1, 7)], unknown='data/xafs/lcf_au_l3/unknown.dat',
                       xmin=11870.0, xmax=12030.0, model=model_summary(au_model), fits=au_fits))
    with open('test/fixtures/xanes/pca_larch.json', 'w') as f:
        json.dump(out, f, indent=1)


if __name__ == '__main__':
    main()
