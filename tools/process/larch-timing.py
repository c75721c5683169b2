#!/usr/bin/python3
"""Times Larch 0.9.58's pre_edge + autobk + xftf on the fixture spectra (bench/process.ts runs this).

One-shot:  /usr/bin/python3 tools/process/larch-timing.py --reps 5 [--ids a,b,...]
  prints one JSON object: per-spectrum wall-clock and CPU times in ms (medians over repetitions of one
  full chain).
Serving:   /usr/bin/python3 tools/process/larch-timing.py --serve [--ids a,b,...]
  after a warm-up pass prints {"ready": ..., "ids": [...], "larch_version": ...}; then answers each line
  read on stdin with one JSON line: "chain I" times one full chain on spectrum I (index into ids),
  "pass" one pass over all spectra (wall-clock and CPU times in ms); "quit" ends. The bench alternates
  these requests with its own timings so that both programs run under the same machine load.
Parameters are those of the fixture's main cases: pre_edge and autobk with Larch's defaults (autobk
computes delta_chi by default), xftf with the stored parameters.
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


def chain(s):
    """One full chain on a fresh group (the copies are outside the timed region)."""
    g = Group(energy=s['energy'].copy(), mu=s['mu'].copy())
    t0 = time.perf_counter()
    c0 = time.process_time()
    pre_edge(g)
    autobk(g)
    xftf(g, **s['xftf']['params'])
    return (time.perf_counter() - t0) * 1e3, (time.process_time() - c0) * 1e3


def timed_pass(specs):
    ms, cpu = {}, {}
    for s in specs:
        ms[s['id']], cpu[s['id']] = chain(s)
    return ms, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--ids', default='')
    ap.add_argument('--serve', action='store_true')
    ap.add_argument('--fixture', default='test/fixtures/process/larch')
    args = ap.parse_args()
    fx = load(args.fixture + '.json', args.fixture + '.f64')
    wanted = set(filter(None, args.ids.split(',')))
    specs = [s for s in fx['spectra'] if (not wanted or s['id'] in wanted)]
    timed_pass(specs)  # warm-up (imports, caches)
    if args.serve:
        ids = [s['id'] for s in specs]
        print(json.dumps({'ready': len(specs), 'ids': ids, 'larch_version': fx['larch_version']}), flush=True)
        for line in sys.stdin:
            cmd = line.split()
            if not cmd or cmd[0] == 'quit':
                break
            if cmd[0] == 'pass':
                ms, cpu = timed_pass(specs)
                print(json.dumps({'ms': ms, 'cpu_ms': cpu}), flush=True)
            elif cmd[0] == 'chain':
                ms, cpu = chain(specs[int(cmd[1])])
                print(json.dumps({'ms': ms, 'cpu_ms': cpu}), flush=True)
            else:
                print(json.dumps({'error': 'unknown command ' + cmd[0]}), flush=True)
        return
    times = {s['id']: [] for s in specs}
    cpu = {s['id']: [] for s in specs}
    for _ in range(args.reps):
        ms, c = timed_pass(specs)
        for sid in ms:
            times[sid].append(ms[sid])
            cpu[sid].append(c[sid])
    out = {sid: statistics.median(v) for sid, v in times.items()}
    out_cpu = {sid: statistics.median(v) for sid, v in cpu.items()}
    print(json.dumps({'larch_version': fx['larch_version'], 'reps': args.reps, 'ms': out, 'cpu_ms': out_cpu}))


if __name__ == '__main__':
    main()
