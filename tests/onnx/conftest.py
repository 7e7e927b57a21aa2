"""Shared helpers of the ONNX tests: the round trip export -> checker ->
onnxruntime -> load -> backward."""
import numpy
import pytest

import dynet
from dynet import functions as F


class FunctionNet(dynet.Chain):
    """A Chain whose forward is ``fn(self, *xs)``; links given as
    keywords become its children."""

    def __init__(self, fn, **links):
        super().__init__()
        self.fn = fn
        with self.init_scope():
            for name, link in links.items():
                setattr(self, name, link)

    def forward(self, *xs):
        return self.fn(self, *xs)


def _as_tuple(y):
    return tuple(y) if isinstance(y, (tuple, list)) else (y,)


def _run_onnxruntime(proto, feeds):
    import onnxruntime
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        proto.SerializeToString(), options,
        providers=['CPUExecutionProvider'])
    return session.run(None, feeds)


def round_trip(model, args, atol=1e-5, rtol=1e-4, train=False,
               check_grad=True, expected=None, **export_kwargs):
    """Exports ``model`` on ``args`` (a tuple of arrays), checks the
    model, compares onnxruntime's and the loaded Chain's outputs with
    dynet's, and checks that gradients reach the loaded parameters.
    Returns ``(model_proto, loaded_chain)``."""
    import onnx
    import dynet.onnx
    args = tuple(args)
    with dynet.using_config('train', train):
        reference = [y.array.copy() for y in _as_tuple(
            model(*[dynet.Variable(a) for a in args]))]
    if expected is not None:
        reference = [numpy.asarray(e) for e in expected]
    proto = dynet.onnx.export(model, list(args), train=train,
                              **export_kwargs)
    onnx.checker.check_model(proto, full_check=True)
    feeds = {i.name: a for i, a in zip(proto.graph.input, args)}
    got = _run_onnxruntime(proto, feeds)
    assert len(got) == len(reference)
    for y, r in zip(got, reference):
        assert y.shape == r.shape
        numpy.testing.assert_allclose(y, r, atol=atol, rtol=rtol)

    loaded = dynet.onnx.load(proto)
    with dynet.using_config('train', False):
        outputs = _as_tuple(loaded(*args))
    assert len(outputs) == len(reference)
    for y, r in zip(outputs, reference):
        assert isinstance(y, dynet.Variable)
        assert y.shape == r.shape
        assert y.dtype == r.dtype
        numpy.testing.assert_allclose(y.array, r, atol=atol, rtol=rtol)

    params = list(loaded.params())
    if check_grad and params:
        loaded.cleargrads()
        with dynet.using_config('train', False):
            outputs = _as_tuple(loaded(*args))
        loss = sum(F.sum(y * y) for y in outputs
                   if y.dtype.kind == 'f' and y.size)
        loss.backward()
        for name, param in loaded.namedparams():
            assert param.grad is not None, name
        if not train:
            _compare_gradients(model, loaded, args, atol, rtol)
    return proto, loaded


def _compare_gradients(model, loaded, args, atol, rtol):
    """The loaded parameters get the gradients the original ones get."""
    model.cleargrads()
    with dynet.using_config('train', False):
        outputs = _as_tuple(model(*[dynet.Variable(a) for a in args]))
    loss = sum(F.sum(y * y) for y in outputs
               if y.dtype.kind == 'f' and y.size)
    loss.backward()
    original = dict(model.namedparams())
    for name, param in loaded.namedparams():
        if name in original and original[name].grad is not None:
            numpy.testing.assert_allclose(
                param.grad, original[name].grad, atol=atol * 10,
                rtol=rtol * 10, err_msg=name)


@pytest.fixture
def roundtrip():
    pytest.importorskip('onnx')
    pytest.importorskip('onnxruntime')
    return round_trip


@pytest.fixture
def net():
    return FunctionNet
