"""onnx is optional: dynet.onnx imports without it, and export/load say
how to install it."""
import os
import subprocess
import sys

import numpy
import pytest

import dynet
import dynet.onnx
from dynet import functions as F


@pytest.fixture
def without_onnx(monkeypatch):
    # A None entry in sys.modules makes ``import onnx`` raise ImportError.
    for name in list(sys.modules):
        if name == 'onnx' or name.startswith('onnx.'):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, 'onnx', None)


def test_export_without_onnx(without_onnx):
    with pytest.raises(ImportError, match='pip install onnx') as info:
        dynet.onnx.export(dynet.Sequential(F.relu),
                          numpy.zeros(2, numpy.float32))
    assert 'dynet.onnx.export' in str(info.value)


def test_load_without_onnx(without_onnx, tmp_path):
    with pytest.raises(ImportError, match='pip install onnx') as info:
        dynet.onnx.load(str(tmp_path / 'missing.onnx'))
    assert 'dynet.onnx.load' in str(info.value)


def test_import_without_onnx():
    code = (
        'import sys\n'
        'sys.modules["onnx"] = None\n'
        'sys.modules["onnxruntime"] = None\n'
        'import dynet, dynet.onnx\n'
        'assert callable(dynet.onnx.export) and callable(dynet.onnx.load)\n'
        'print("ok")\n')
    root = os.path.dirname(os.path.dirname(os.path.abspath(
        dynet.__file__)))
    result = subprocess.run([sys.executable, '-c', code], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == 'ok'
