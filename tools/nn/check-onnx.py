#!/usr/bin/python3
"""Validates ONNX files written by `xasflow nn export-onnx` with the reference checker of the
python3-onnx package (structure, opset, full shape inference).
Usage: /usr/bin/python3 tools/nn/check-onnx.py FILE.onnx [...]
"""
import sys

import onnx

for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    outs = ', '.join(o.name for o in model.graph.output)
    print(f'{path}: ok (opset {model.opset_import[0].version}, outputs {outs})')
