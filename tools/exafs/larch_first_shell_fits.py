#!/usr/bin/python3
"""Fixture for test/exafs/fit.test.ts: Larch 0.9.58 first-shell feffit of measured Ni and Cu foils.

For each spectrum: read the XDI, pre_edge and autobk with Larch's defaults, then feffit one FEFF
path (the first-shell single scattering of our FEFF 8.5L reference cluster, degen 1) with
N*S0^2, deltaR, sigma^2 and dE0 free (variants: C3 free; k-space fit).
Run from the repository root:  /usr/bin/python3 tools/exafs/larch_first_shell_fits.py
Writes test/fixtures/exafs/larch_first_shell_fits.json
"""
import json

import numpy as np
import larch
from larch import Group
from larch.io import read_ascii
from larch.fitting import param, param_group
from larch.xafs import autobk, feffit, feffit_dataset, feffit_transform, feffpath, pre_edge

SPECTRA = [
    ('ni_foil_lisa', 'data/xafs/lisa_esrf/Ni_foil_111.xdi', 'test/fixtures/exafs/ni-paths/feff0001.dat'),
    ('ni_metal_rt', 'data/xafs/ni_metal_rt.xdi', 'test/fixtures/exafs/ni-paths/feff0001.dat'),
    ('cu_metal_rt', 'data/xafs/cu_metal_rt.xdi', 'test/fixtures/exafs/cu-paths/feff0001.dat'),
    ('cu_foil_lisa', 'data/xanes_refs/lisa_esrf_cu/Cu_foil_111.xdi', 'test/fixtures/exafs/cu-paths/feff0001.dat'),
]
TRANSFORM = dict(kmin=3.0, kmax=14.0, kweight=2, dk=1.0, window='hanning', rmin=1.5, rmax=3.0)
VARIANTS = {
    'r': dict(fitspace='r', c3=False),
    'r_c3': dict(fitspace='r', c3=True),
    'k': dict(fitspace='k', c3=False),
}


def round_list(a, digits=12):
    return [float('%.*g' % (digits, v)) for v in a]


def fit(group, pathfile, variant):
    pars = param_group(nss02=param(10.0, vary=True), de0=param(0.0, vary=True),
                       dr=param(0.0, vary=True), ss2=param(0.005, vary=True),
                       c3=param(0.0, vary=variant['c3']))
    path = feffpath(pathfile, degen=1, s02='nss02', e0='de0', deltar='dr', sigma2='ss2', third='c3')
    trans = feffit_transform(fitspace=variant['fitspace'], **TRANSFORM)
    dset = feffit_dataset(data=group, paths={'p1': path}, transform=trans)
    out = feffit(pars, dset)
    names = ['nss02', 'de0', 'dr', 'ss2'] + (['c3'] if variant['c3'] else [])
    res = {n: {'value': float(out.params[n].value), 'stderr': float(out.params[n].stderr)} for n in names}
    ds = out.datasets[0]
    return {
        'params': res,
        'reff': float(path._feffdat.reff),
        'chi_square': float(out.chi_square),
        'chi2_reduced': float(out.chi2_reduced),
        'rfactor': float(out.rfactor),
        'n_idp': float(out.n_independent),
        'nvarys': int(out.nvarys),
        'ndata': int(out.ndata),
        # with autobk's delta_chi, Larch uses eps_k = sqrt(delta_chi² + eps²) per point (mean here)
        'epsilon_k_mean': float(np.mean(ds.epsilon_k)),
        'epsilon_r': float(np.mean(ds.epsilon_r)),
    }


def main():
    out = {'generator': 'larch %s: read_ascii, pre_edge, autobk (defaults), feffit' % larch.__version__,
           'transform': TRANSFORM, 'spectra': []}
    for name, xdi, pathfile in SPECTRA:
        g = read_ascii(xdi)
        g.mu = g.mutrans
        pre_edge(g)
        autobk(g)
        entry = {'name': name, 'file': xdi, 'path': pathfile, 'e0': float(g.e0),
                 'edge_step': float(g.edge_step), 'k': round_list(g.k), 'chi': round_list(g.chi),
                 'delta_chi': round_list(g.delta_chi), 'fits': {}}
        for vname, v in VARIANTS.items():
            entry['fits'][vname] = fit(g, pathfile, v)
        out['spectra'].append(entry)
        r = entry['fits']['r']
        print(name, 'e0 %.2f' % g.e0, ' '.join('%s=%.5g+-%.2g' % (n, p['value'], p['stderr'])
                                              for n, p in r['params'].items()), 'R %.4f' % r['rfactor'])
    with open('test/fixtures/exafs/larch_first_shell_fits.json', 'w') as fh:
        json.dump(out, fh)


if __name__ == '__main__':
    main()
