"""Tests of F.identity."""
import numpy

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


@testing.parameterize(*testing.product({
    'shapes': [((3, 2),), ((), (2,), (0, 3)), ((2, 1, 2), (3,))],
    'dtype': _FLOATS,
}))
@testing.fix_random()
@backend.inject_backend_tests(None, _BACKENDS)
class TestIdentity(function_link.FunctionTestCase):

    def setUp(self):
        self.check_backward_options = {'eps': 1e-3, 'atol': 1e-3,
                                       'rtol': 1e-3}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in self.shapes)

    def forward(self, inputs, device):
        outputs = F.identity(*inputs)
        return outputs if isinstance(outputs, tuple) else (outputs,)

    def forward_expected(self, inputs):
        return tuple(x.copy() for x in inputs)


def test_one_input_gives_a_variable_and_several_a_tuple():
    a = numpy.ones(2, numpy.float32)
    y = F.identity(a)
    assert isinstance(y, Variable) and y.array is a
    ys = F.identity(a, a * 2)
    assert isinstance(ys, tuple) and len(ys) == 2
    numpy.testing.assert_array_equal(ys[1].array, [2, 2])


def test_gradients_pass_through_and_unused_outputs_give_none():
    x1 = Variable(numpy.array([1.0, 2.0]))
    x2 = Variable(numpy.array([3.0]))
    y1, y2 = F.identity(x1, x2)
    assert y1.creator is not None and y1.creator.label == 'Identity'
    g1, g2 = dynet.grad([F.sum(y1 * 3)], [x1, x2])
    numpy.testing.assert_array_equal(g1.array, [3, 3])
    assert g2 is None


def test_non_float_inputs_are_accepted():
    y = F.identity(numpy.arange(3))
    numpy.testing.assert_array_equal(y.array, [0, 1, 2])
