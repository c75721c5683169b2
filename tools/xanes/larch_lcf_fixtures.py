#!/usr/bin/python3
"""Fixtures for xasflow's linear combination fitting, made by Larch 0.9.58 (python3-xraylarch).

Run from the repository root:  /usr/bin/python3 tools/xanes/larch_lcf_fixtures.py
Writes test/fixtures/xanes/lcf_au_l3.json and test/fixtures/xanes/lcf_cu_mix.json.

Every case records Larch's lincombo_fit / lincombo_fitall output (weights, standard errors,
lstsq weights, chisqr, redchi, R-factor, e0 shift). For bounded fits it also records the exact
constrained optimum from scipy (SLSQP on the same quadratic, tight tolerances), because Larch
0.9.58 starts its bounded lmfit search at the clipped unconstrained solution, where the bounded
parameters have zero gradient, and stops there.
"""
import json
import os
import time

import numpy as np
import scipy
from scipy.optimize import minimize
import larch
from larch import Group
from larch.math.lincombo_fitting import lincombo_fit, lincombo_fitall, groups2matrix

OUT = 'test/fixtures/xanes'


def summarize(r, labels):
    out = dict(
        weights={k: float(r.weights[k]) for k in labels},
        stderr={k: (None if r.params[k].stderr is None else float(r.params[k].stderr)) for k in labels},
        weights_lstsq={k: float(r.weights_lstsq[k]) for k in labels},
        chisqr=float(r.chisqr), redchi=float(r.redchi), rfactor=float(r.result.rfactor),
        nvarys=int(r.result.nvarys), ndata=int(r.result.ndata),
        xfirst=float(r.xdata[0]), xlast=float(r.xdata[-1]),
        e0_shift=float(r.params['e0_shift'].value),
        e0_shift_stderr=(None if r.params['e0_shift'].stderr is None else float(r.params['e0_shift'].stderr)),
    )
    return out


def true_bounded(group, comps, xmin, xmax, lo, hi, sum_to_one, arrayname='norm'):
    xdat, yall = groups2matrix([group] + list(comps), yname=arrayname, xmin=xmin, xmax=xmax)
    y = yall[0]
    a = yall[1:].T
    n = a.shape[1]
    f = lambda w: float(((a @ w - y) ** 2).sum())
    g = lambda w: 2 * a.T @ (a @ w - y)
    cons = [dict(type='eq', fun=lambda w: w.sum() - 1.0, jac=lambda w: np.ones(n))] if sum_to_one else []
    w0 = np.clip(np.linalg.lstsq(a, y, rcond=-1)[0], lo, hi)
    if sum_to_one:
        w0 = np.full(n, 1.0 / n)
    res = minimize(f, w0, jac=g, bounds=[(lo, hi)] * n, constraints=cons, method='SLSQP',
                   options=dict(ftol=1e-16, maxiter=2000))
    return dict(weights=[float(v) for v in res.x], chisqr=float(res.fun), success=bool(res.success))


def fitall_summary(results, top=10):
    out = []
    for r in results[:top]:
        labels = list(r.weights.keys())
        out.append(dict(labels=labels, weights=[float(r.weights[k]) for k in labels],
                        stderr=[(None if r.params[k].stderr is None else float(r.params[k].stderr)) for k in labels],
                        chisqr=float(r.chisqr), redchi=float(r.redchi), rfactor=float(r.result.rfactor)))
    return out


def au_set():
    d = 'data/xafs/lcf_au_l3'
    groups = {}
    for name in ['s1', 's2', 's3', 's4', 's5', 's6', 'unknown']:
        arr = np.loadtxt(os.path.join(d, name + '.dat'))
        g = Group(energy=arr[:, 0], norm=arr[:, 1], filename=name + '.dat')
        g.dmude = np.gradient(g.norm) / np.gradient(g.energy)
        groups[name] = g
    refs = [groups['s%d' % i] for i in range(1, 7)]
    labels = [g.filename for g in refs]
    unk = groups['unknown']
    xmin, xmax = 11870.0, 12030.0
    cases = []
    for name, kws in [
        ('unbounded', dict(sum_to_one=False)),
        ('unbounded_sum1', dict(sum_to_one=True)),
        ('bounded', dict(sum_to_one=False, minvals=[0] * 6, maxvals=[1] * 6)),
        ('bounded_sum1', dict(sum_to_one=True, minvals=[0] * 6, maxvals=[1] * 6)),
        ('vary_e0_sum1', dict(sum_to_one=True, vary_e0=True)),
        ('dmude_sum1', dict(sum_to_one=True, arrayname='dmude')),
    ]:
        t0 = time.time()
        r = lincombo_fit(unk, refs, xmin=xmin, xmax=xmax, **kws)
        case = dict(name=name, options=dict(xmin=xmin, xmax=xmax, **{k: v for k, v in kws.items()}),
                    larch=summarize(r, labels), larch_seconds=time.time() - t0)
        if 'minvals' in kws:
            case['true_optimum'] = true_bounded(unk, refs, xmin, xmax, 0.0, 1.0, kws['sum_to_one'])
        cases.append(case)
    fitall = []
    for name, kws in [('fitall3_sum1', dict(sum_to_one=True, max_ncomps=3)),
                      ('fitall4_bounded_sum1', dict(sum_to_one=True, max_ncomps=4, minvals=[0] * 6, maxvals=[1] * 6))]:
        res = lincombo_fitall(unk, refs, xmin=xmin, xmax=xmax, **kws)
        fitall.append(dict(name=name, options=dict(xmin=xmin, xmax=xmax, **kws), count=len(res), top=fitall_summary(res)))
    return dict(files=dict(unknown='data/xafs/lcf_au_l3/unknown.dat',
                           refs=['data/xafs/lcf_au_l3/%s' % l for l in labels]),
                cases=cases, fitall=fitall)


def cu_set():
    path = 'data/xanes_refs/parseq_cu/cu-ref-mix.res'
    with open(path) as f:
        names = f.readline().split()
    data = np.loadtxt(path, skiprows=1)
    e = data[:, 0]
    groups = {n: Group(energy=e, norm=data[:, i], filename=n) for i, n in enumerate(names) if i > 0}
    # ParSeq's own LCF test uses every column but the second foil (cu-foil_ave5)
    refnames = [n for n in names[1:-2] if n != 'cu-foil_ave5']
    basis = dict(mix1=(['cufe2o4_ave4', 'cus_ave2', 'cucl_w_ave2'], 8850.0, 9100.0),
                 mix2=(['cuoh2_ave4', 'cucl2_ave2', 'cuco36h2o_ave3', 'cuo_ave2'], 8900.0, 9100.0))
    mixes = {}
    for mix, (bnames, xmin, xmax) in basis.items():
        refs = [groups[n] for n in bnames]
        nb = len(refs)
        cases = []
        for name, kws in [
            ('unbounded', dict(sum_to_one=False)),
            ('unbounded_sum1', dict(sum_to_one=True)),
            ('bounded_sum1', dict(sum_to_one=True, minvals=[0] * nb, maxvals=[1] * nb)),
            ('vary_e0_sum1', dict(sum_to_one=True, vary_e0=True)),
        ]:
            r = lincombo_fit(groups[mix], refs, xmin=xmin, xmax=xmax, **kws)
            case = dict(name=name, options=dict(xmin=xmin, xmax=xmax, **kws), larch=summarize(r, bnames))
            if 'minvals' in kws:
                case['true_optimum'] = true_bounded(groups[mix], refs, xmin, xmax, 0.0, 1.0, True)
            cases.append(case)
        allrefs = [groups[n] for n in refnames]
        t0 = time.time()
        res = lincombo_fitall(groups[mix], allrefs, xmin=xmin, xmax=xmax, sum_to_one=True, max_ncomps=3,
                              minvals=[0] * len(allrefs), maxvals=[1] * len(allrefs))
        fa = dict(name='fitall3_bounded_sum1', options=dict(xmin=xmin, xmax=xmax, sum_to_one=True, max_ncomps=3,
                                                              bounded=True),
                  count=len(res), seconds=time.time() - t0, top=fitall_summary(res))
        mixes[mix] = dict(basis=bnames, cases=cases, fitall=[fa])
    return dict(file=path, columns=names, references=refnames, mixes=mixes)


def main():
    meta = dict(generator='tools/xanes/larch_lcf_fixtures.py', larch=larch.__version__,
                numpy=np.__version__, scipy=scipy.__version__)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'lcf_au_l3.json'), 'w') as f:
        json.dump(dict(meta=meta, **au_set()), f, indent=1)
    with open(os.path.join(OUT, 'lcf_cu_mix.json'), 'w') as f:
        json.dump(dict(meta=meta, **cu_set()), f, indent=1)


if __name__ == '__main__':
    main()
