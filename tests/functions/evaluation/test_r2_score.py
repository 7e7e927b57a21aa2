"""Tests of F.r2_score."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _reference(pred, true, multioutput):
    pred = pred.astype(numpy.float64).reshape(pred.shape[0], -1)
    true = true.astype(numpy.float64).reshape(true.shape[0], -1)
    n, outputs = true.shape
    scores = numpy.zeros(outputs)
    for j in range(outputs):
        mean = sum(true[i, j] for i in range(n)) / n
        residual = sum((pred[i, j] - true[i, j]) ** 2 for i in range(n))
        total = sum((true[i, j] - mean) ** 2 for i in range(n))
        scores[j] = 0.0 if total == 0 else 1 - residual / total
    if multioutput == 'uniform_average':
        return numpy.asarray(scores.mean())
    return scores


@testing.parameterize(*testing.product({
    'shape': [(6,), (5, 3), (4, 2, 2)],
    'multioutput': ['uniform_average', 'raw_values'],
    'constant_column': [False, True],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
@testing.fix_random()
class TestR2Score(testing.FunctionTestCase):

    skip_backward_test = True
    skip_double_backward_test = True

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
        else:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}

    def generate_inputs(self):
        true = numpy.random.uniform(-1, 1, self.shape)
        pred = true + numpy.random.uniform(-0.5, 0.5, self.shape)
        if self.constant_column:
            true[...] = true[:1]
            if true.ndim > 1:
                true[:, 0] = 0.25
        return pred.astype(self.dtype), true.astype(self.dtype)

    def forward(self, inputs, device):
        return F.r2_score(*inputs, multioutput=self.multioutput),

    def forward_expected(self, inputs):
        score = _reference(*inputs, self.multioutput)
        return score.reshape(self.shape[1:] if self.multioutput ==
                             'raw_values' else ()).astype(self.dtype),


def test_r2_score_value():
    pred = numpy.array([2.5, 0.0, 2.0, 8.0])
    true = numpy.array([3.0, -0.5, 2.0, 7.0])
    assert float(F.r2_score(pred, true).array) == pytest.approx(
        0.9486081370449679)


def test_r2_score_invalid_arguments():
    x = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(NotImplementedError, match='sample_weight'):
        F.r2_score(x, x, sample_weight=numpy.ones(3))
    with pytest.raises(ValueError, match='multioutput'):
        F.r2_score(x, x, multioutput='variance_weighted')


@pytest.mark.parametrize('pred,true,expect', [
    (numpy.zeros((3, 2), numpy.float32), numpy.zeros((3, 3), numpy.float32),
     'shape'),
    (numpy.zeros(3, numpy.int32), numpy.zeros(3, numpy.float32),
     'pred.dtype'),
    (numpy.zeros(3, numpy.float32), numpy.zeros(3, numpy.int32),
     'true.dtype'),
])
def test_r2_score_bad_inputs(pred, true, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.r2_score(pred, true)
    message = str(info.value)
    assert 'R2Score' in message and expect in message
    assert 'Expect' in message and 'Actual' in message
