"""Reading and writing the Larch reference fixtures of src/process (JSON manifest + float64 blob).

Arrays are stored little-endian float64 in one binary file; the JSON holds {"$f64": [offset, length]}
references (offset in values, not bytes) so the fixture stays small and exact to the last bit.
Shared by make-larch-fixtures.py (writer) and larch-timing.py (reader).
"""

import json
import math

import numpy as np


class Store:
    """Collects float64 arrays into one blob and hands back JSON references to them."""

    def __init__(self):
        self.chunks = []
        self.count = 0

    def arr(self, values):
        a = np.ascontiguousarray(np.asarray(values, dtype='<f8').ravel())
        ref = {'$f64': [self.count, int(a.size)]}
        self.chunks.append(a)
        self.count += a.size
        return ref

    def write(self, json_path, bin_path, doc):
        blob = np.concatenate(self.chunks) if self.chunks else np.zeros(0)
        blob.astype('<f8').tofile(bin_path)
        with open(json_path, 'w') as fh:
            json.dump(clean(doc), fh, separators=(',', ':'), allow_nan=False)


def clean(obj):
    """Converts numpy scalars to plain JSON values; non-finite floats become strings."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return f if math.isfinite(f) else repr(f)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.ndarray):
        raise TypeError('store arrays with Store.arr')
    return obj


def load(json_path, bin_path):
    """Reads a fixture back, resolving array references to numpy arrays."""
    blob = np.fromfile(bin_path, dtype='<f8')
    with open(json_path) as fh:
        doc = json.load(fh)

    def resolve(o):
        if isinstance(o, dict):
            if '$f64' in o:
                off, n = o['$f64']
                return blob[off:off + n].copy()
            return {k: resolve(v) for k, v in o.items()}
        if isinstance(o, list):
            return [resolve(v) for v in o]
        return o

    return resolve(doc)
