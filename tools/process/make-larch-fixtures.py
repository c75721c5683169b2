#!/usr/bin/python3
"""Reference values for src/process from Larch 0.9.58 (Debian python3-xraylarch).

Run from the repository root with Debian's interpreter (it has larch):
    /usr/bin/python3 tools/process/make-larch-fixtures.py
Writes test/fixtures/process/larch.json + larch.f64 (see larch_fixture_io.py).

Every case stores the exact input arrays Larch was given (energy, mu as read by Larch's own readers
and combined into mu with numpy), so the TypeScript tests do not depend on xasflow's readers.
"""

import os
import sys
import warnings

import numpy as np

warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from larch import Group, Interpreter  # noqa: E402
from larch.io import merge_groups, read_ascii, read_athena  # noqa: E402
from larch.math import index_of, interp, remove_dups  # noqa: E402
from larch.math.deglitch import remove_spikes_pandas, remove_spikes_silx  # noqa: E402
from larch.xafs import autobk, estimate_noise, find_e0, pre_edge, xftf, xftr  # noqa: E402
from larch.xafs.rebin_xafs import rebin_xafs, sort_xafs  # noqa: E402
from larch.xafs.xafsft import ftwindow  # noqa: E402
from larch.xafs.xafsutils import ETOK, KTOE  # noqa: E402
from lmfit import Parameters, minimize  # noqa: E402
from scipy.stats import t as student_t  # noqa: E402
from silx.math.medianfilter import medfilt1d  # noqa: E402

from larch_fixture_io import Store  # noqa: E402

import larch  # noqa: E402

OUT_DIR = 'test/fixtures/process'

# Spectra kept as stress cases: their AUTOBK fit is so ill-scaled that Larch's Levenberg-Marquardt
# wanders for thousands of evaluations and its end point depends on rounding (see docs/conventions.md).
STRESS = {
    'fenis_ni_athena': 'raw fluorescence counts (edge step ~1e5): the clamp weight 1 + 100*mean(out^2) is'
                       ' ~1e8 and the fit takes >6000 evaluations through an ill-conditioned valley',
}
D = 'data/xafs/'
store = Store()
A = store.arr
_larch = Interpreter()


def cols(path, labels=None):
    g = read_ascii(path, labels=labels)
    return g


def athena(path, name):
    p = read_athena(path)
    return getattr(p, name)


def ln(a, b):
    return np.log(a / b)


# (id, element, edge, mode, source description, loader returning (energy, mu))
def spectra():
    out = []

    def add(sid, el, edge, mode, src, fn):
        out.append((sid, el, edge, mode, src, fn))

    add('cu_10k', 'Cu', 'K', 'transmission', 'cu_10k.xmu: energy, mu (temperature series 10 K)',
        lambda: (lambda g: (g.energy, g.mu))(cols(D + 'cu_10k.xmu', 'energy mu')))
    add('cu_50k', 'Cu', 'K', 'transmission', 'cu_50k.xmu: energy, mu (temperature series 50 K)',
        lambda: (lambda g: (g.energy, g.mu))(cols(D + 'cu_50k.xmu', 'energy mu')))
    add('cu_150k', 'Cu', 'K', 'transmission', 'cu_150k.xmu: energy, mu (temperature series 150 K)',
        lambda: (lambda g: (g.energy, g.mu))(cols(D + 'cu_150k.xmu', 'energy mu')))
    add('cu_rt01', 'Cu', 'K', 'transmission', 'cu_rt01.xmu: energy, mu',
        lambda: (lambda g: (g.energy, g.mu))(cols(D + 'cu_rt01.xmu', 'energy mu i0')))
    add('cu_romanglass_fluo', 'Cu', 'K', 'fluorescence', 'cu_romanglass.xdi: ifluor/i0',
        lambda: (lambda g: (g.energy, g.ifluor / g.i0))(cols(D + 'cu_romanglass.xdi')))
    add('cu2s_13k', 'Cu', 'K', 'transmission', 'cu2s_13k_ifeffit.xmu: energy, log(i0/it)',
        lambda: (lambda g: (g.col1, g.col2))(cols(D + 'cu2s_13k_ifeffit.xmu', 'col1 col2 col3 col4')))
    add('cu_qas', 'Cu', 'K', 'transmission', 'xasref_nsls/Cu_foil_K.dat: energy, mu',
        lambda: (lambda g: (g.energy, g.mu))(cols(D + 'xasref_nsls/Cu_foil_K.dat', 'energy mu dmude')))
    add('fe_060_raw', 'Fe', 'K', 'transmission', 'fe.060: ln(col2/col3) from raw I0, It',
        lambda: (lambda g: (g.col1, ln(g.col2, g.col3)))(cols(D + 'fe.060', 'col1 col2 col3')))
    add('fe_foil_raw', 'Fe', 'K', 'transmission', 'xasdatalib/Fe_Foil_rt_2016Foils.xdi: ln(i0/itrans)',
        lambda: (lambda g: (g.energy, ln(g.i0, g.itrans)))(cols(D + 'xasdatalib/Fe_Foil_rt_2016Foils.xdi')))
    add('fe2o3', 'Fe', 'K', 'transmission', 'fe2o3_rt1.xmu: energy, mu',
        lambda: (lambda g: (g.energy, g.mu))(cols(D + 'fe2o3_rt1.xmu', 'energy mu i0')))
    add('feo', 'Fe', 'K', 'transmission', 'feo_rt1.xdi: mutrans',
        lambda: (lambda g: (g.energy, g.mutrans))(cols(D + 'feo_rt1.xdi')))
    add('ni_metal_raw', 'Ni', 'K', 'transmission', 'xasdatalib/Ni_metal_rt_01.xdi: ln(i0/itrans)',
        lambda: (lambda g: (g.energy, ln(g.i0, g.itrans)))(cols(D + 'xasdatalib/Ni_metal_rt_01.xdi')))
    add('ni_metal', 'Ni', 'K', 'transmission', 'ni_metal_rt.xdi: mutrans',
        lambda: (lambda g: (g.energy, g.mutrans))(cols(D + 'ni_metal_rt.xdi')))
    add('nis_raw', 'Ni', 'K', 'transmission', 'xasdatalib/NiS_rt_01.xdi: ln(i0/itrans)',
        lambda: (lambda g: (g.energy, ln(g.i0, g.itrans)))(cols(D + 'xasdatalib/NiS_rt_01.xdi')))
    add('ni_athena', 'Ni', 'K', 'transmission', 'xasref_nsls/Nifoil.prj record Ni_foil_x18b (read_athena)',
        lambda: (lambda g: (g.energy, g.mu))(athena(D + 'xasref_nsls/Nifoil.prj', 'Ni_foil_x18b')))
    add('fenis_ni_athena', 'Ni', 'K', 'fluorescence',
        'athena_prj/Ni_FeNiS20_RT.prj record fenis_ni_rt_xafs_003 (read_athena)',
        lambda: (lambda g: (g.energy, g.mu))(
            athena(D + 'athena_prj/Ni_FeNiS20_RT.prj', 'fenis_ni_rt_xafs_003')))
    add('zn_raw', 'Zn', 'K', 'transmission', 'znse_zn_xafs.001: ln(I0/I1) (Epics scan columns D1, D2)',
        lambda: (lambda g: (g.col1, ln(g.col3, g.col4)))(cols(D + 'znse_zn_xafs.001', 'col1 col2 col3 col4')))
    add('zn_foil_raw', 'Zn', 'K', 'transmission', 'xasdatalib/Zn_foil.xdi: ln(i0/itrans)',
        lambda: (lambda g: (g.energy, ln(g.i0, g.itrans)))(cols(D + 'xasdatalib/Zn_foil.xdi')))
    add('pt_metal_raw', 'Pt', 'L3', 'transmission', 'pt_metal_rt.xdi: ln(i0/itrans)',
        lambda: (lambda g: (g.energy, ln(g.i0, g.itrans)))(cols(D + 'pt_metal_rt.xdi')))
    add('pt_foil_lisa', 'Pt', 'L3', 'transmission', 'lisa_esrf/Pt_foil_L3_311.xdi: mutrans',
        lambda: (lambda g: (g.energy, g.mutrans))(cols(D + 'lisa_esrf/Pt_foil_L3_311.xdi')))
    add('pt_athena_20k', 'Pt', 'L3', 'transmission', 'larch_prj/PtData.prj record d_10wt__20K (read_athena)',
        lambda: (lambda g: (g.energy, g.mu))(athena(D + 'larch_prj/PtData.prj', 'd_10wt__20K')))
    return out


def arrays_of(grp, names):
    return {n: A(getattr(grp, n)) for n in names}


def ft_defaults(k):
    # the chain's xftf parameters for the main cases: a common EXAFS choice
    return dict(kmin=2.0, kmax=float(np.floor(k.max()) - 1.0), kweight=2, dk=1.0, window='hanning')


def run_chain(energy, mu, pre_kws, bkg_kws, ft_kws, store_pre=True):
    g = Group(energy=np.array(energy), mu=np.array(mu))
    pre_edge(g, **pre_kws)
    det = g.pre_edge_details
    pre = dict(e0=g.e0, edge_step=g.edge_step, pre1=det.pre1, pre2=det.pre2, norm1=det.norm1,
               norm2=det.norm2, nnorm=det.nnorm, nvict=det.nvict, pre_slope=det.pre_slope,
               pre_offset=det.pre_offset,
               norm_coefs=[getattr(det, 'norm_c%i' % i) for i in range(det.nnorm + 1)])
    if store_pre:
        pre.update(arrays_of(g, ['norm', 'flat', 'pre_edge', 'post_edge', 'dmude']))
    autobk(g, **bkg_kws)
    fk = dict(ft_kws) if ft_kws is not None else ft_defaults(g.k)
    xftf(g, with_phase=True, **fk)
    ad = g.autobk_details
    bkg = dict(e0=g.e0, kmin=ad.kmin, kmax=ad.kmax, irbkg=ad.irbkg, nspl=ad.nspl,
               knots_k=A(ad.knots_k), knots_y=A(ad.knots_y), chisqr=ad.chisqr, redchi=ad.redchi,
               nfev=ad.nfev)
    bkg.update(arrays_of(g, ['k', 'chi', 'bkg']))
    if hasattr(g, 'delta_chi'):
        bkg.update(arrays_of(g, ['delta_chi', 'delta_bkg']))
    ft = dict(params=fk)
    ft.update(arrays_of(g, ['chir_mag', 'chir_re', 'chir_im', 'chir_pha', 'kwin']))
    ft['nr'] = len(g.r)
    return g, dict(pre_edge=pre, autobk=bkg, xftf=ft)


def main():
    doc = dict(larch_version=larch.__version__, ktoe=KTOE, etok=ETOK, spectra=[], variants=[])
    groups = {}
    raw = {}
    for sid, el, edge, mode, src, fn in spectra():
        energy, mu = fn()
        energy = np.asarray(energy, dtype='f8')
        mu = np.asarray(mu, dtype='f8')
        raw[sid] = (energy, mu)
        g, res = run_chain(energy, mu, {}, {}, None)
        groups[sid] = g
        if sid in STRESS:
            res['stress'] = STRESS[sid]
        rec = dict(id=sid, element=el, edge=edge, mode=mode, source=src, energy=A(energy), mu=A(mu),
                   find_e0=find_e0(energy, mu), params=dict(pre_edge={}, autobk={}), **res)
        doc['spectra'].append(rec)
        print('%-18s n=%4d e0=%.3f step=%.4f nspl=%d nfev=%d' % (
            sid, len(energy), g.e0, g.edge_step, g.autobk_details.nspl, g.autobk_details.nfev))

    # non-default parameter sets
    variants = [
        ('cu_10k', 'rbkg13_kw2', {}, dict(rbkg=1.3, kweight=2), dict(kmin=3, kmax=15, kweight=3, dk=2,
                                                                      window='kaiser')),
        ('ni_metal_raw', 'rbkg08_kw3', {}, dict(rbkg=0.8, kweight=3, dk=1.0, win='kaiser'), None),
        ('fe_060_raw', 'explicit_ranges_nnorm3', dict(pre1=-150, pre2=-40, norm1=100, norm2=600, nnorm=3),
         {}, None),
        ('zn_foil_raw', 'clamps', {}, dict(clamp_lo=2, clamp_hi=20, nclamp=5, kweight=2), None),
        ('pt_metal_raw', 'kmin_kmax_nknots', {}, dict(kmin=1.0, kmax=12.0, nknots=12, kweight=2), None),
        ('cu_romanglass_fluo', 'nnorm0_nvict1', dict(nnorm=0, nvict=1), {}, None),
        ('ni_athena', 'nnorm1_noclamp', dict(nnorm=1), dict(nclamp=0, kweight=2), None),
        ('fe_foil_raw', 'win_parzen_dk05', {}, dict(win='parzen', dk=0.5, kweight=2), None),
        ('zn_raw', 'win_welch', {}, dict(win='welch', dk=1.0), dict(kmin=2, kmax=11, kweight=1, dk=3,
                                                                    window='welch')),
        ('cu_qas', 'rbkg11_kw2_gauss', {}, dict(rbkg=1.1, kweight=2), dict(kmin=2, kmax=14, kweight=2, dk=1,
                                                                           window='gaussian')),
        ('nis_raw', 'norm_negative_norm2', dict(norm1=80, norm2=-50, nnorm=2), dict(kweight=2), None),
        ('fe2o3', 'pre2_only', dict(pre2=-50), dict(rbkg=1.0, kweight=2, kmax=13), None),
        ('pt_foil_lisa', 'sine_window', {}, dict(kweight=2), dict(kmin=3, kmax=13, kweight=2, dk=1,
                                                                  window='sine')),
        ('fenis_ni_athena', 'fha_window', {}, dict(kweight=2), dict(kmin=2, kmax=10, kweight=2, dk=0.2,
                                                                    dk2=0.3, window='fhanning')),
        ('cu_150k', 'no_uncertainties', {}, dict(calc_uncertainties=False, rbkg=0.9), None),
        ('pt_athena_20k', 'err_sigma2', {}, dict(err_sigma=2, kweight=2), None),
    ]
    # E0 given explicitly off the energy grid, and edge_step given
    e_ni, mu_ni = raw['ni_metal']
    variants.append(('ni_metal', 'explicit_e0_step', dict(e0=8333.3, step=0.9), dict(e0=8333.3), None))
    variants.append(('cu_50k', 'autobk_e0_offgrid', {}, dict(e0=8980.25, kweight=2), None))
    for base, name, pk, bk, fk in variants:
        energy, mu = raw[base]
        g, res = run_chain(energy, mu, pk, bk, fk, store_pre=bool(pk))
        if base in STRESS:
            res['stress'] = STRESS[base]
        doc['variants'].append(dict(id=base + ':' + name, spectrum=base, params=dict(pre_edge=pk, autobk=bk),
                                    **res))
        print('variant %-40s e0=%.3f step=%.4f nspl=%d nfev=%d' % (
            base + ':' + name, g.e0, g.edge_step, g.autobk_details.nspl, g.autobk_details.nfev))

    # repeated energy points (a scan that re-measured a few points, same reading) in the EXAFS region
    e_src, mu_src = raw['ni_metal_raw']
    reps = [200, 201, 260, 300, 350, 417]
    e_dup = np.insert(e_src, reps, e_src[reps])
    mu_dup = np.insert(mu_src, reps, mu_src[reps])
    ndup = int((np.diff(e_dup) == 0).sum())
    g, res = run_chain(e_dup, mu_dup, {}, dict(kweight=2), None)
    e_round = np.round(e_src)
    doc['duplicates'] = dict(id='ni_metal_raw_repeated_points', energy=A(e_dup), mu=A(mu_dup), ndup=ndup,
                             energy_dedup=A(remove_dups(e_dup)), energy_rounded=A(e_round),
                             energy_rounded_dedup=A(remove_dups(e_round)), **res)
    print('duplicates: %d repeated energies, e0=%.3f' % (ndup, g.e0))

    doc['autobk_direct'] = make_autobk_direct(raw, groups)
    doc['ftwindow'] = make_windows()
    doc['xft'] = make_xft(groups['cu_10k'])
    doc['estimate_noise'] = make_noise(groups)
    doc['rebin'] = make_rebin()
    doc['merge'] = make_merge()
    doc['align'] = make_align(raw)
    doc['deglitch'] = make_deglitch(raw)
    doc['sort'] = make_sort(raw)
    doc['remove_dups'] = make_remove_dups()
    doc['interp'] = make_interp(raw)
    doc['student_t'] = [dict(p=p, df=df, ppf=float(student_t.ppf(p, df)))
                        for p in (0.5, 0.6, 0.8413447460685429, 0.9, 0.97724986805182, 0.99865)
                        for df in (1, 2, 3, 5, 10, 37, 100, 350, 2000)]

    os.makedirs(OUT_DIR, exist_ok=True)
    store.write(os.path.join(OUT_DIR, 'larch.json'), os.path.join(OUT_DIR, 'larch.f64'), doc)
    print('wrote %s/larch.json, larch.f64 (%d values)' % (OUT_DIR, store.count))


def make_autobk_direct(raw, groups):
    """autobk called on its own: running pre_edge itself (with pre_edge_kws), and with a standard chi(k)."""
    out = []
    cases = [
        ('ni_athena', 'runs_pre_edge', dict(pre_edge_kws=dict(nnorm=1, pre2=-40), kweight=2)),
        ('cu_50k', 'chi_std_from_cu_10k', dict(k_std=groups['cu_10k'].k, chi_std=groups['cu_10k'].chi, kweight=2)),
        ('fe_060_raw', 'kmax_beyond_data', dict(kmax=40.0, kweight=1)),
    ]
    for sid, name, kws in cases:
        energy, mu = raw[sid]
        g = Group()
        autobk(np.array(energy), np.array(mu), group=g, **kws)
        params = {k: (A(v) if isinstance(v, np.ndarray) else v) for k, v in kws.items()}
        out.append(dict(id=sid + ':' + name, spectrum=sid, params=params, e0=g.e0, edge_step=g.edge_step,
                        nfev=g.autobk_details.nfev, **arrays_of(g, ['k', 'chi', 'bkg', 'delta_chi'])))
    return out


def make_windows():
    x = 0.05 * np.arange(401)
    out = []
    names = ['hanning', 'fhanning', 'gaussian', 'kaiser', 'bessel', 'parzen', 'welch', 'sine']
    for nam in names:
        for (xmin, xmax, dx, dx2) in ((2, 14, 1, None), (3, 12, 2, 0.5), (0, 20, 1, None),
                                      (1.02, 9.97, 3, 3), (4.5, 5.5, 0.2, None)):
            if nam == 'fhanning':
                dx, dx2 = min(dx, 1) * 0.3, (0.2 if dx2 is not None else None)
            w = ftwindow(x, xmin=xmin, xmax=xmax, dx=dx, dx2=dx2, window=nam)
            out.append(dict(window=nam, xmin=xmin, xmax=xmax, dx=dx, dx2=dx2, win=A(w)))
    return dict(x=A(x), cases=out)


def make_xft(g):
    k, chi = g.k, g.chi
    out = dict(k=A(k), chi=A(chi), xftf=[], xftr=[])
    sets = []
    for w in ('hanning', 'fhanning', 'gaussian', 'kaiser', 'bessel', 'parzen', 'welch', 'sine'):
        dk = 0.25 if w == 'fhanning' else 2
        sets.append(dict(kmin=2.5, kmax=14.5, kweight=2, dk=dk, window=w))
    sets += [
        dict(),  # Larch's own xftf defaults: kmin 0, kmax 20, kweight 0, dk 1, kaiser, rmax_out 10
        dict(kmin=3, kmax=12, kweight=1, dk=1, dk2=3, window='hanning', rmax_out=6),
        dict(kmin=2, kmax=15, kweight=3, dk=1, window='kaiser', nfft=1024),
        dict(kmin=2, kmax=15, kweight=2, dk=1, window='hanning', nfft=4096, rmax_out=25),
        dict(kmin=2, kmax=15, kweight=2, dk=1, window='hanning', kstep=0.025),
        dict(kmin=2, kmax=15, kweight=0.5, dk=4, window='kaiser', rmax_out=40),
    ]
    for p in sets:
        h = Group()
        xftf(k, chi, group=h, with_phase=True, **p)
        out['xftf'].append(dict(params=p, **arrays_of(h, ['r', 'chir_mag', 'chir_re', 'chir_im', 'chir_pha',
                                                           'kwin'])))
        if len(out['xftr']) < 4 and p.get('window') in (None, 'hanning', 'kaiser', 'welch'):
            for rp in (dict(), dict(rmin=1, rmax=3, dr=0.5, window='hanning', rw=1),
                       dict(rmin=1.2, rmax=2.9, dr=0.2, dr2=0.6, window='parzen', qmax_out=15, with_phase=True)):
                q = Group()
                xftr(h.r, h.chir, group=q, **rp)
                rec = dict(params=rp, forward=p, **arrays_of(q, ['q', 'chiq_mag', 'chiq_re', 'chiq_im', 'rwin']))
                if rp.get('with_phase'):
                    rec['chiq_pha'] = A(q.chiq_pha)
                out['xftr'].append(rec)
    # xftr of a real array (scale 1, not 0.5)
    h = Group()
    xftf(k, chi, group=h, kmin=2, kmax=15, kweight=2, dk=1, window='hanning')
    q = Group()
    xftr(h.r, h.chir_re, group=q, rmin=1, rmax=3, dr=0.5, window='hanning')
    out['xftr_real'] = dict(r=A(h.r), chir_re=A(h.chir_re), params=dict(rmin=1, rmax=3, dr=0.5, window='hanning'),
                            **arrays_of(q, ['q', 'chiq_mag', 'chiq_re', 'chiq_im', 'rwin']))
    return out


def make_noise(groups):
    out = []
    for sid, kws in (('cu_10k', {}), ('ni_metal_raw', {}), ('cu_romanglass_fluo', {}), ('zn_raw', {}),
                     ('fenis_ni_athena', {}), ('pt_metal_raw', dict(kweight=2, kmin=2, kmax=14, dk=1)),
                     ('fe_060_raw', dict(rmin=12, rmax=25, kweight=3, kmin=1, kmax=15))):
        g = groups[sid]
        h = Group()
        estimate_noise(g.k, g.chi, group=h, _larch=_larch, **kws)
        out.append(dict(spectrum=sid, params=kws, k=A(g.k), chi=A(g.chi), epsilon_k=h.epsilon_k,
                        epsilon_r=h.epsilon_r, kmax_suggest=h.kmax_suggest))
    return out


def make_rebin():
    g = read_ascii(D + 'parseq_maxiv/Cu-foil_EXAFS_23068.dat',
                   labels='pt energy ti ch1 ch2 ch3 ch4 dt')
    e_cu, mu_cu = np.array(g.energy), np.log(g.ch1 / g.ch3)
    p = read_athena(D + 'larch_prj/FeFoil_QXAFS_Compare.prj')
    gfe = p.Fe_foil_500msec_qxafs_PinDiode_001
    e_fe, mu_fe = np.array(gfe.energy), np.array(gfe.mu)
    inputs = {'cu_maxiv_qexafs': (e_cu, mu_cu), 'fe_qxafs_pindiode': (e_fe, mu_fe)}
    out = dict(inputs={k: dict(energy=A(e), mu=A(m)) for k, (e, m) in inputs.items()}, cases=[])
    for sid, kws in (('cu_maxiv_qexafs', {}),
                     ('cu_maxiv_qexafs', dict(method='boxcar')),
                     ('cu_maxiv_qexafs', dict(pre_step=5, xanes_step=0.5, exafs_kstep=0.07, exafs1=30, pre2=-20)),
                     ('fe_qxafs_pindiode', {})):
        e, mu = inputs[sid]
        h = Group(energy=e, mu=mu)
        pre_edge(h)
        rebin_xafs(h, **kws)
        r = h.rebinned
        out['cases'].append(dict(spectrum=sid, params=kws, e0=h.e0, out_energy=A(r.energy), out_mu=A(r.mu),
                                 out_delta_mu=A(r.delta_mu)))
    return out


def make_merge():
    p = read_athena(D + 'athena_prj/Ni_FeNiS20_RT.prj')
    names = ['fenis_ni_rt_xafs_%03d' % i for i in range(3, 11)]
    grps = [getattr(p, n) for n in names]
    scans = [dict(name=n, energy=A(gr.energy), mu=A(gr.mu)) for n, gr in zip(names, grps)]
    out = dict(scans=scans, cases=[])
    # second set: two scans on different grids (step scan vs quick scan of the same Fe foil)
    q = read_athena(D + 'larch_prj/FeFoil_QXAFS_Compare.prj')
    fe = [q.Fe_foil_500msec_stepscan_001, q.Fe_foil_250msec_qxafs_001, q.Fe_foil_250msec_qxafs_002]
    out['fe_scans'] = [dict(energy=A(gr.energy), mu=A(gr.mu)) for gr in fe]
    for which, gl, kws in (('ni', grps, {}), ('ni', grps, dict(kind='linear')), ('ni', grps[:3], dict(trim=False)),
                           ('fe', fe, {}), ('fe', fe, dict(kind='linear', trim=False))):
        m = merge_groups(gl, **kws)
        out['cases'].append(dict(scans=which, n=len(gl), params=kws, energy=A(m.energy), mu=A(m.mu),
                                 mu_std=A(m.mu_std)))
    return out


def gui_align(ref_e, ref_mu, dat_e, dat_mu):
    """Larch 0.9.58's energy alignment as done by XAS Viewer (wxxas/xas_dialogs.py, on_align):
    least-squares match of the shifted, scaled derivative of the data to the reference derivative
    over [ref.e0-15, ref.e0+35]."""
    ref = Group(energy=ref_e, mu=ref_mu)
    dat = Group(energy=dat_e, mu=dat_mu)
    pre_edge(ref)
    pre_edge(dat)
    ref.xdat, dat.xdat = ref.energy, dat.energy
    i1 = index_of(ref.energy, ref.e0 - 15)
    i2 = index_of(ref.energy, ref.e0 + 35)

    def resid(pars, ref, dat, i1, i2):
        newx = dat.xdat + pars['eshift'].value
        scale = pars['scale'].value
        y = interp(newx, dat.dmude, ref.xdat, kind='cubic')
        return (y * scale - ref.dmude)[i1:i2]

    params = Parameters()
    params.add('eshift', value=ref.e0 - dat.e0, min=-50, max=50)
    params.add('scale', value=1, min=0, max=50)
    result = minimize(resid, params, args=(ref, dat, i1, i2))
    return dict(eshift=result.params['eshift'].value, scale=result.params['scale'].value,
                ref_e0=ref.e0, dat_e0=dat.e0, chisqr=result.chisqr, i1=int(i1), i2=int(i2))


def make_align(raw):
    out = []
    p = read_athena(D + 'athena_prj/Ni_FeNiS20_RT.prj')
    s3, s7 = p.fenis_ni_rt_xafs_003, p.fenis_ni_rt_xafs_007
    e1, m1 = raw['ni_metal_raw']
    g2 = read_ascii(D + 'xasdatalib/Ni_metal_rt_02.xdi')
    e2, m2 = np.array(g2.energy), np.log(g2.i0 / g2.itrans)
    gs = read_ascii(D + 'xasdatalib/NiS_rt_01.xdi')
    es, ms = np.array(gs.energy), np.log(gs.itrans / gs.irefer)
    for name, re_, rm, de, dm in (('fenis_scan7_to_scan3', s3.energy, s3.mu, s7.energy, s7.mu),
                                  ('ni_metal_02_shifted_to_01', e1, m1, e2 + 1.7, m2),
                                  ('nis_reference_channel_to_ni_metal', e1, m1, es, ms),
                                  ('ni_metal_02_shifted_minus_to_01', e1, m1, e2 - 3.2, m2 * 1.3)):
        res = gui_align(np.array(re_), np.array(rm), np.array(de), np.array(dm))
        out.append(dict(name=name, ref_energy=A(re_), ref_mu=A(rm), energy=A(de), mu=A(dm), **res))
        print('align %-38s eshift=%.4f scale=%.4f' % (name, res['eshift'], res['scale']))
    return out


def make_deglitch(raw):
    rng = np.random.default_rng(20240611)
    out = dict(cases=[], medfilt=[])
    for sid in ('cu_10k', 'ni_metal_raw', 'cu_romanglass_fluo'):
        e, mu = raw[sid]
        spiky = np.array(mu)
        idx = rng.choice(np.arange(5, len(mu) - 5), size=4, replace=False)
        spiky[idx] *= np.array([1.35, 0.6, 1.8, 1.25])
        for kws in (dict(), dict(kernel_size=5, threshold=0.05)):
            outv = remove_spikes_silx(spiky, **kws)
            out['cases'].append(dict(spectrum=sid, method='medfilt', params=kws, spiky=A(spiky),
                                     spike_index=[int(i) for i in idx], out=A(outv)))
        for kws in (dict(), dict(window=5, threshold=1)):
            # a 1-D array makes 0.9.58's pandas variant broadcast into an n x n array; a column
            # vector gives the intended per-point result
            outv = remove_spikes_pandas(spiky.reshape(-1, 1), **kws).ravel()
            out['cases'].append(dict(spectrum=sid, method='pandas', params=kws, spiky=A(spiky),
                                     spike_index=[int(i) for i in idx], out=A(outv)))
    for ks in (3, 5, 7):
        y = np.round(rng.normal(size=60) * 3)  # integers: many ties
        for cond in (True, False):
            out['medfilt'].append(dict(kernel_size=ks, conditional=cond, y=A(y),
                                       out=A(medfilt1d(y, kernel_size=ks, conditional=cond, mode='nearest',
                                                       cval=0))))
    return out


def make_sort(raw):
    rng = np.random.default_rng(7)
    e, mu = raw['cu_10k']
    perm = rng.permutation(len(e))
    g = Group(energy=e[perm], mu=mu[perm])
    sort_xafs(g)
    return dict(energy=A(e[perm]), mu=A(mu[perm]), out_energy=A(g.energy), out_mu=A(g.mu))


def make_remove_dups():
    cases = [
        [0, 1.1, 2.2, 2.2, 3.3],
        [1.0, 1.0, 1.0, 2.0, 3.0, 3.0],
        [5.0, 6.0, 7.0, 7.0],
        [8000.0, 8000.0, 8000.5, 8000.5, 8000.5, 8001.0, 8001.0 + 5e-8, 8002.0],
        [1.0, 2.0, 1.5, 3.0],
    ]
    return [dict(x=A(c), out=A(remove_dups(np.array(c, dtype='f8')))) for c in cases]


def make_interp(raw):
    e, mu = raw['ni_metal_raw']
    x = np.array(e[::3])
    y = np.array(mu[::3])
    xnew = np.concatenate((np.linspace(x[0] - 20, x[0], 7), np.array(e), np.linspace(x[-1], x[-1] + 30, 9)))
    return [dict(kind=kind, x=A(x), y=A(y), xnew=A(xnew), out=A(interp(x, y, xnew, kind=kind)))
            for kind in ('linear', 'cubic')]


if __name__ == '__main__':
    main()
