import numpy

import dynet.functions as F
import dynet.links as L
from dynet import testing


def test_structure_and_default_bias():
    link = L.Highway(3)
    assert sorted(name for name, _ in link.namedparams()) == [
        '/plain/W', '/plain/b', '/transform/W', '/transform/b']
    numpy.testing.assert_array_equal(link.plain.b.array, 0)
    numpy.testing.assert_array_equal(link.transform.b.array, -1)
    assert [n for n, _ in L.Highway(3, nobias=True).namedparams()] == \
        ['/plain/W', '/transform/W']


def test_forward_against_formula_and_gradients():
    link = L.Highway(3, activate=F.tanh)
    x = numpy.random.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    y = link(x)
    h = numpy.tanh(x @ link.plain.W.array.T + link.plain.b.array)
    t = 1 / (1 + numpy.exp(-(x @ link.transform.W.array.T +
                             link.transform.b.array)))
    numpy.testing.assert_allclose(y.array, h * t + x * (1 - t), rtol=1e-5,
                                  atol=1e-6)
    F.sum(y).backward()
    for param in link.params():
        assert param.grad is not None and numpy.any(param.grad != 0)


def test_initializers_and_serialization():
    link = L.Highway(2, init_Wh=1.0, init_Wt=2.0, init_bh=3.0, init_bt=4.0)
    numpy.testing.assert_array_equal(link.plain.W.array, 1)
    numpy.testing.assert_array_equal(link.transform.W.array, 2)
    numpy.testing.assert_array_equal(link.plain.b.array, 3)
    numpy.testing.assert_array_equal(link.transform.b.array, 4)
    dst = L.Highway(2)
    testing.save_and_load_npz(link, dst)
    numpy.testing.assert_array_equal(dst.transform.b.array, 4)
