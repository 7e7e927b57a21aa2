"""Every link moves between devices with its parameters, persistents and
state, and computes the same on each (GPU cases run where CuPy and a GPU
exist and are skipped elsewhere)."""
import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet.backend import _cupy


def _x(*shape, dtype=numpy.float32):
    return numpy.random.RandomState(0).uniform(-1, 1, shape).astype(dtype)


CASES = {
    'Linear': (lambda: L.Linear(3, 2), lambda: (_x(4, 3),)),
    'StatefulPeepholeLSTM': (lambda: L.StatefulPeepholeLSTM(3, 2),
                             lambda: (_x(2, 3),)),
    'StatefulMGU': (lambda: L.StatefulMGU(3, 2), lambda: (_x(2, 3),)),
    'DeformableConvolution2D': (
        lambda: L.DeformableConvolution2D(2, 3, 2, deform_initialW=1.0),
        lambda: (_x(1, 2, 4, 4),)),
    'Convolution2D': (lambda: L.Convolution2D(2, 3, 3, pad=1),
                      lambda: (_x(2, 2, 5, 5),)),
    'Deconvolution2D': (lambda: L.Deconvolution2D(2, 3, 2, stride=2),
                        lambda: (_x(1, 2, 3, 3),)),
    'DepthwiseConvolution2D': (lambda: L.DepthwiseConvolution2D(2, 2, 3),
                               lambda: (_x(1, 2, 5, 5),)),
    'Bilinear': (lambda: L.Bilinear(2, 3, 4),
                 lambda: (_x(5, 2), _x(5, 3))),
    'EmbedID': (lambda: L.EmbedID(5, 3),
                lambda: (numpy.array([0, 4, 2], numpy.int32),)),
    'Highway': (lambda: L.Highway(3), lambda: (_x(2, 3),)),
    'Maxout': (lambda: L.Maxout(3, 2, 2), lambda: (_x(2, 3),)),
    'PReLU': (lambda: L.PReLU(), lambda: (_x(2, 3),)),
    'BatchNormalization': (lambda: L.BatchNormalization(3),
                           lambda: (_x(4, 3),)),
    'LayerNormalization': (lambda: L.LayerNormalization(3),
                           lambda: (_x(4, 3),)),
    'GroupNormalization': (lambda: L.GroupNormalization(2, 4),
                           lambda: (_x(2, 4, 3),)),
    'LSTM': (lambda: L.LSTM(3, 2), lambda: (_x(2, 3),)),
    'StatefulGRU': (lambda: L.StatefulGRU(3, 2), lambda: (_x(2, 3),)),
}


def _outputs_and_grads(link, inputs):
    y = link(*inputs)
    link.cleargrads()
    F.sum(y * y).backward()
    return (backend_numpy(y.array),
            {name: backend_numpy(p.grad) for name, p in link.namedparams()
             if p.grad is not None})


def backend_numpy(array):
    return dynet.backend.CpuDevice().send(array)


@pytest.mark.parametrize('name', sorted(CASES))
def test_cpu_round_trip_keeps_results(name):
    make, inputs = CASES[name]
    numpy.random.seed(1)
    link = make()
    expected = _outputs_and_grads(link, inputs())
    if hasattr(link, 'reset_state'):
        link.reset_state()
    assert link.to_device('@numpy') is link and link.to_cpu() is link
    assert link.device == dynet.get_device('@numpy')
    for _, param in link.namedparams():
        assert isinstance(param.array, numpy.ndarray)
    got = _outputs_and_grads(link, inputs())
    numpy.testing.assert_allclose(got[0], expected[0], rtol=1e-6)


def test_recurrent_state_moves_with_a_parent_chain(monkeypatch):
    chain = dynet.Chain()
    with chain.init_scope():
        chain.rnn = L.LSTM(3, 2)
    chain.rnn(_x(2, 3))
    moved = []
    original = dynet.Variable.to_device

    def spy(self, device):
        moved.append(self)
        return original(self, device)

    monkeypatch.setattr(dynet.Variable, 'to_device', spy)
    chain.to_device('@numpy')
    assert any(v is chain.rnn.h for v in moved)
    assert any(v is chain.rnn.c for v in moved)


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(CASES))
def test_gpu_matches_cpu(name):
    if _cupy.cupy_or_none() is None:
        pytest.skip('CuPy and a GPU are not available')
    make, inputs = CASES[name]
    numpy.random.seed(1)
    link = make()
    expected = _outputs_and_grads(link, inputs())
    if hasattr(link, 'reset_state'):
        link.reset_state()
    link.to_device('@cupy:0')
    gpu_inputs = [dynet.get_device('@cupy:0').send(x) for x in inputs()]
    got = _outputs_and_grads(link, gpu_inputs)
    numpy.testing.assert_allclose(got[0], expected[0], rtol=1e-4,
                                  atol=1e-5)
    for key, grad in expected[1].items():
        numpy.testing.assert_allclose(got[1][key], grad, rtol=1e-4,
                                      atol=1e-5)
    link.to_cpu()
    for _, param in link.namedparams():
        assert isinstance(param.array, numpy.ndarray)
