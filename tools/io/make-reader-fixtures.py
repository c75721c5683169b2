#!/usr/bin/python3
"""Reference values for the xasflow readers, computed with Larch's own readers.

Run from the repository root with the system interpreter (Debian python3-xraylarch 0.9.58):

    /usr/bin/python3 tools/io/make-reader-fixtures.py

Writes test/fixtures/io/larch-readers.json with, per file:
  * column files and XDI files: larch.io.read_ascii -- array labels, number of rows, and
    sum/first/last of every column (XDI files too: Debian's larch lacks the libxdifile C
    library that read_xdi needs, and read_ascii parses the same data table);
  * the energy and the mu Larch users would take for the file (the rule written out below,
    applied to Larch's arrays; where Larch's labels are unusable, the column is named
    explicitly from the file's own header);
  * Athena projects: larch.io.read_athena (AthenaProject.read without processing) -- every
    group name with its energy/mu statistics and the stored bkg_/fft_ parameters;
  * NeXus files: h5py -- energy, detector channels and the mu from them;
  * edges: xraydb edge energies, core-hole widths and guess_edge results.
"""
import glob
import json
import math
import os
import re
import sys
import warnings

import numpy as np

warnings.filterwarnings('ignore')
from larch.io import read_ascii  # noqa: E402
from larch.io.athena_project import AthenaProject  # noqa: E402
import h5py  # noqa: E402
import xraydb  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'io', 'larch-readers.json')

MU = ['mu', 'xmu', 'mutrans', 'mu_trans', 'xmu_trans', 'log_i0_it', 'ln_i0_it', 'mu_t', 'mufluor',
      'mufluo', 'mu_fluor', 'mu_fluo', 'xmu_fluor', 'mu_f', 'mu_e', 'absorption']
NORM = ['norm', 'munorm', 'mu_norm', 'normtrans', 'normfluor', 'norm_mu', 'nmu', 'xmu_norm', 'flat']
I0 = ['i0', 'io', 'izero', 'i_0', 'imon', 'mon', 'monitor']
IT = ['itrans', 'it', 'i1', 'i_t', 'itr', 'trans', 'i_trans']
IF = ['ifluor', 'if', 'ifl', 'ifluo', 'fluo', 'fluor', 'i_f', 'fl', 'ff', 'ifluo_sum']
ENERGY = ['energy', 'e', 'ev', 'energy_ev', 'energyev', 'en', 'mono_energy', 'energy_kev']


def stats(a):
    a = np.asarray(a, dtype=float)
    return {'n': int(len(a)), 'sum': math.fsum(a.tolist()), 'first': float(a[0]), 'last': float(a[-1])}


def find(labels, names):
    low = [l.lower() for l in labels]
    for n in names:
        if n in low:
            return low.index(n)
    return -1


def energy_index(labels):
    i = find(labels, ENERGY)
    if i >= 0:
        return i
    for j, l in enumerate(labels):
        if 'energy' in l.lower():
            return j
    return 0


def mu_by_rule(labels, cols, ie):
    """The documented mu rule (docs/io.md) applied to labelled columns; returns (mu, how)."""
    low = [l.lower() for l in labels]
    for p in {l.rsplit('_ch1', 1)[0] for l in low if l.endswith('_ch1')}:
        if all('%s_ch%d' % (p, k) in low for k in (2, 3, 4)):
            c = [cols[low.index('%s_ch%d' % (p, k))] for k in (1, 2, 3, 4)]
            return np.log((c[0] + c[1]) / (c[2] + c[3])), 'ln((ch1+ch2)/(ch3+ch4))'
    for j, name in enumerate(low):
        if name in MU and j != ie:
            return cols[j], 'column ' + name
    i = find(labels, NORM)
    if i >= 0 and i != ie:
        return cols[i], 'column ' + labels[i]
    i0, it, fl = find(labels, I0), find(labels, IT), find(labels, IF)
    if i0 >= 0 and it >= 0:
        return np.log(cols[i0] / cols[it]), 'ln(%s/%s)' % (labels[i0], labels[it])
    if i0 >= 0 and fl >= 0:
        return cols[fl] / cols[i0], '%s/%s' % (labels[fl], labels[i0])
    others = [k for k in range(len(labels)) if k != ie]
    return cols[others[0]], 'column ' + labels[others[0]]


def fio_counter_columns(path):
    """DESY FIO: column numbers of the counters C1 (I0) and C2 (I1) from the 'Col N NAME' lines."""
    idx = {}
    with open(path) as fh:
        for line in fh:
            m = re.match(r'\s*Col\s+(\d+)\s+(\S+)', line)
            if m:
                name = m.group(2).upper()
                for c in ('C1', 'C2'):
                    if name.endswith('_' + c):
                        idx[c] = int(m.group(1)) - 1
    return idx['C1'], idx['C2']


def xdi_column_labels(path):
    """Column.N labels of an XDI file (first word of the value)."""
    cols = {}
    with open(path) as fh:
        for line in fh:
            m = re.match(r'#\s*column\.(\d+)\s*:\s*(\S+)', line, re.I)
            if m:
                cols[int(m.group(1))] = m.group(2)
            if line.startswith('#') and re.match(r'#\s*-{3,}', line):
                break
    return [cols[k] for k in sorted(cols)]


def column_file(path, kind):
    g = read_ascii(path)
    labels = list(g.array_labels)
    data = np.asarray(g.data, dtype=float)
    cols = [data[i] for i in range(data.shape[0])]
    rec = {'kind': kind, 'larch_labels': labels, 'nrows': int(data.shape[1]),
           'columns': [stats(c) for c in cols]}
    name = os.path.basename(path)
    ie = energy_index(labels)
    if path.endswith('.fio'):
        ie = 0
        c1, c2 = fio_counter_columns(path)
        mu, how = np.log(cols[c1] / cols[c2]), 'ln(C1/C2) by FIO column names'
    elif '/athena_extracted/' in path:
        # header '# columns: energy_eV mu' -- Larch names the columns 'columns', 'energy_ev'
        ie = 0
        mu, how = cols[1], 'column 2 (the file header names it mu)'
    elif path.endswith('.res'):
        rec['records'] = [stats(c) for c in cols[1:]]
        mu, how = cols[1], 'column 2 (first record)'
    elif kind == 'xdi':
        xl = xdi_column_labels(path)
        if len(xl) == len(labels):
            labels = [l.lower() for l in xl]
        ie = energy_index(labels)
        mu, how = mu_by_rule(labels, cols, ie)
    else:
        mu, how = mu_by_rule(labels, cols, ie)
    rec['energy'] = stats(cols[ie])
    rec['mu'] = stats(mu)
    rec['mu_rule'] = how
    return rec


def athena_file(path):
    p = AthenaProject()
    p.read(path, do_preedge=False, do_bkg=False, do_fft=False)
    groups = []
    for name, g in p.groups.items():
        b, f = g.bkg_params, g.fft_params
        entry = {'group': name, 'athena_id': getattr(g, 'athena_id', ''),
                 'label': getattr(g, 'label', None)}
        if hasattr(g, 'energy'):
            entry['energy'] = stats(g.energy)
            entry['mu'] = stats(g.mu)
        else:
            entry['k'] = stats(g.k)
            entry['chi'] = stats(g.chi)
        for attr in ('i0', 'signal'):
            if hasattr(g, attr) and len(getattr(g, attr)) == entry.get('energy', {}).get('n', -1):
                entry[attr] = stats(getattr(g, attr))
        params = {}
        for key in ('e0', 'pre1', 'pre2', 'nor1', 'nor2', 'nnorm', 'step', 'rbkg', 'kw', 'spl1', 'spl2',
                    'dk', 'eshift', 'kwindow', 'clamp1', 'clamp2', 'flatten', 'fixstep'):
            if hasattr(b, key):
                params['bkg_' + key] = getattr(b, key)
        for key in ('kmin', 'kmax', 'dk', 'kw', 'kwindow'):
            if hasattr(f, key):
                params['fft_' + key] = getattr(f, key)
        entry['params'] = params
        groups.append(entry)
    return {'kind': 'athena', 'groups': groups}


def nexus_file(path):
    out = []
    with h5py.File(path, 'r') as fh:
        for key in fh:
            e = fh[key]
            energy = e['energy'][()]
            inst = e['instrument']
            ch = {k: inst[k]['data'][()] for k in inst if 'data' in inst[k]}
            mode = e['mode'][()].decode() if 'mode' in e else ''
            if 'i0' in ch and 'itrans' in ch and 'fluo' not in mode:
                mu = np.log(ch['i0'] / ch['itrans'])
            else:
                mu = ch['ifluor'] / ch['i0']
            out.append({'entry': key, 'energy': stats(energy), 'mu': stats(mu),
                        'channels': sorted(ch), 'element': e['element/symbol'][()].decode(),
                        'edge': e['edge/name'][()].decode(), 'mode': mode})
    return {'kind': 'nexus', 'entries': out}


def edges():
    db = xraydb.XrayDB()
    sample = {}
    for elem in ('H', 'C', 'O', 'Ti', 'Fe', 'Ni', 'Cu', 'Zn', 'Se', 'Ag', 'Ce', 'Pt', 'Au', 'Pb', 'U', 'Cf'):
        ed = db.xray_edges(elem)
        sample[elem] = {k: {'energy': v[0], 'fyield': v[1], 'jump': v[2]} for k, v in ed.items()}
        widths = db.corehole_width(elem)
        if isinstance(widths, float):
            widths = [('K', widths)]
        for edge, w in widths:
            sample[elem].setdefault(edge, {})['width'] = w
    energies = sorted(set([round(float(x), 3) for x in np.geomspace(30, 120000, 160)] +
                          [7112.0, 8333.0, 8979.0, 11564.0, 11919.0, 4966.0, 5723.0, 25514.0,
                           9659.0, 6539.0, 7709.0, 12658.0, 11103.0, 5989.0, 13035.0]))
    guesses = [[e, *xraydb.guess_edge(e)] for e in energies]
    z = {s: db.atomic_number(s) for s in ('H', 'Fe', 'Ni', 'Cu', 'Pt', 'U', 'Cf')}
    return {'xraydb_version': xraydb.__version__, 'edges': sample, 'guess_edge': guesses, 'atomic_number': z}


def main():
    files = {}
    d = lambda p: sorted(glob.glob(os.path.join(ROOT, p)))  # noqa: E731
    ascii_files = (d('data/xafs/*.xmu') + d('data/xafs/*.dat') + d('data/xafs/*.060') + d('data/xafs/*.001') +
                   d('data/xafs/parseq_hasylab/*.fio') + d('data/xanes_refs/parseq_cu/*.fio') +
                   d('data/xafs/parseq_maxiv/*.dat') + d('data/xafs/xasref_nsls/*.dat') +
                   d('data/xafs/athena_extracted/*.dat') + d('data/xafs/lcf_au_l3/*.dat') +
                   d('data/xanes_refs/parseq_cu/cu-ref-mix.res'))
    xdi_files = []
    for p in d('data/**/*.xdi') + d('data/*/*/*.xdi') + d('data/*/*/*/*.xdi') + d('data/maps/*/*.nor'):
        if '/baddata/' in p or p in xdi_files:
            continue
        with open(p) as fh:
            if re.match(r'#\s*XDI/', fh.readline(), re.I):
                xdi_files.append(p)
    prj_files = (d('data/xafs/larch_prj/*.prj') + d('data/xafs/athena_prj/*.prj') +
                 d('data/xafs/xasref_nsls/*.prj') + d('data/xanes_refs/larch_prj/*.prj'))
    for p in ascii_files:
        files[os.path.relpath(p, ROOT)] = column_file(p, 'ascii')
    for p in sorted(xdi_files):
        files[os.path.relpath(p, ROOT)] = column_file(p, 'xdi')
    for p in prj_files:
        files[os.path.relpath(p, ROOT)] = athena_file(p)
    for p in d('data/xafs/nexus_hdf5/*.h5'):
        files[os.path.relpath(p, ROOT)] = nexus_file(p)
    import larch
    out = {'generator': 'tools/io/make-reader-fixtures.py',
           'larch_version': larch.__version__, 'python': sys.version.split()[0],
           'files': files, 'edges': edges()}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as fh:
        json.dump(out, fh, indent=1, sort_keys=True)
    print('wrote %s (%d files)' % (os.path.relpath(OUT, ROOT), len(files)))


if __name__ == '__main__':
    main()
