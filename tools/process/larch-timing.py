#!/usr/bin/python3
"""Times Larch 0.9.58's pre_edge + autobk + xftf on the fixture spectra (bench/process.ts runs this).

Usage: /usr/bin/python3 tools/process/larch-timing.py --reps 5 [--ids a,b,...]
Prints one JSON object: per-spectrum wall-clock and CPU times in ms (medians over repetitions of one
full chain).
Parameters are those of the fixture's main cases: pre_edge and autobk with Larch's defaults,
xftf with the stored parameters.
"""

import argparse
import json
import os
import statistics
import sys
import time
import warnings

warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from larch import Group  # noqa: E402
from larch.xafs import autobk, pre_edge, xftf  # noqa: E402

from larch_fixture_io import load  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--ids', default='')
    ap.add_argument('--fixture', default='test/fixtures/process/larch')
    args = ap.parse_args()
    fx = load(args.fixture + '.json', args.fixture + '.f64')
    wanted = set(filter(None, args.ids.split(',')))
    specs = [s for s in fx['spectra'] if (not wanted or s['id'] in wanted)]
    times = {s['id']: [] for s in specs}
    cpu = {s['id']: [] for s in specs}
    # one warm-up pass (imports, caches)
    for s in specs:
        g = Group(energy=s['energy'].copy(), mu=s['mu'].copy())
        pre_edge(g)
        autobk(g)
        xftf(g, **s['xftf']['params'])
    for _ in range(args.reps):
        for s in specs:
            g = Group(energy=s['energy'].copy(), mu=s['mu'].copy())
            t0 = time.perf_counter()
            c0 = time.process_time()
            pre_edge(g)
            autobk(g)
            xftf(g, **s['xftf']['params'])
            cpu[s['id']].append((time.process_time() - c0) * 1e3)
            times[s['id']].append((time.perf_counter() - t0) * 1e3)
    out = {sid: statistics.median(v) for sid, v in times.items()}
    out_cpu = {sid: statistics.median(v) for sid, v in cpu.items()}
    print(json.dumps({'larch_version': fx['larch_version'], 'reps': args.reps, 'ms': out, 'cpu_ms': out_cpu}))


if __name__ == '__main__':
    main()
