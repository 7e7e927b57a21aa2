"""Tests of F.classification_summary, F.precision, F.recall,
F.fbeta_score and F.f1_score."""
import warnings

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _reference(y, t, label_num, beta, ignore_label):
    if label_num is None:
        label_num = int(t.max()) + 1
    tp = numpy.zeros(label_num)
    predicted = numpy.zeros(label_num)
    support = numpy.zeros(label_num, numpy.int64)
    for index in numpy.ndindex(*t.shape):
        label = int(t[index])
        if label == ignore_label:
            continue
        scores = list(y[(index[0], slice(None)) + index[1:]].ravel())
        guess = scores.index(max(scores))
        if 0 <= label < label_num:
            support[label] += 1
            if guess == label:
                tp[label] += 1
        if guess < label_num:
            predicted[guess] += 1
    with numpy.errstate(invalid='ignore', divide='ignore'):
        precision = tp / predicted
        recall = tp / support
        fbeta = (1 + beta ** 2) * precision * recall / (
            beta ** 2 * precision + recall)
    return precision, recall, fbeta, support


@testing.parameterize(*testing.product({
    'shapes': [((8, 3), (8,)), ((4, 3, 2), (4, 2)), ((6, 4, 1), (6,))],
    'label_num': [None, 3, 5],
    'beta_ignore_label': [(1.0, -1), (0.5, 0)],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
@testing.fix_random()
class TestClassificationSummary(testing.FunctionTestCase):

    skip_backward_test = True
    skip_double_backward_test = True

    def setUp(self):
        self.beta, self.ignore_label = self.beta_ignore_label

    def generate_inputs(self):
        y_shape, t_shape = self.shapes
        y = numpy.random.permutation(numpy.prod(y_shape)).reshape(y_shape)
        t = numpy.random.randint(-1, 3, t_shape)
        return y.astype(self.dtype), t.astype(numpy.int32)

    def forward(self, inputs, device):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', RuntimeWarning)
            return F.classification_summary(
                *inputs, label_num=self.label_num, beta=self.beta,
                ignore_label=self.ignore_label)

    def forward_expected(self, inputs):
        return _reference(*inputs, self.label_num, self.beta,
                          self.ignore_label)


def test_classification_summary_values_and_dtypes():
    y = numpy.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7],
                     [0.1, 0.9]], numpy.float32)
    t = numpy.array([0, 1, 1, 1, -1], numpy.int32)
    precision, recall, fbeta, support = F.classification_summary(
        y, t, beta=2.0)
    assert precision.dtype == recall.dtype == fbeta.dtype == numpy.float64
    assert support.dtype == numpy.int64
    numpy.testing.assert_allclose(precision.array, [0.5, 1.0])
    numpy.testing.assert_allclose(recall.array, [1.0, 2 / 3])
    f2 = [5 * 0.5 * 1 / (4 * 0.5 + 1), 5 * 1 * (2 / 3) / (4 + 2 / 3)]
    numpy.testing.assert_allclose(fbeta.array, f2)
    numpy.testing.assert_array_equal(support.array, [1, 3])


def test_precision_recall_f1_return_score_and_support():
    y = numpy.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], numpy.float32)
    t = numpy.array([0, 1, 1], numpy.int32)
    summary = F.classification_summary(y, t)
    for function, index in ((F.precision, 0), (F.recall, 1),
                            (F.f1_score, 2)):
        score, support = function(y, t)
        numpy.testing.assert_array_equal(score.array, summary[index].array)
        numpy.testing.assert_array_equal(support.array, summary[3].array)
    score, support = F.fbeta_score(y, t, beta=3.0)
    expected = F.classification_summary(y, t, beta=3.0)[2]
    numpy.testing.assert_array_equal(score.array, expected.array)


def test_classification_summary_undefined_scores_are_nan():
    y = numpy.array([[1.0, 0.0, 0.0]], numpy.float32)
    t = numpy.array([2], numpy.int32)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        precision, recall, fbeta, support = F.classification_summary(y, t)
    numpy.testing.assert_array_equal(precision.array,
                                     [0, numpy.nan, numpy.nan])
    numpy.testing.assert_array_equal(recall.array,
                                     [numpy.nan, numpy.nan, 0])
    numpy.testing.assert_array_equal(support.array, [0, 0, 1])


@pytest.mark.parametrize('y,t,expect', [
    (numpy.zeros((3, 2), numpy.float32), numpy.zeros(2, numpy.int32),
     'y.shape[0] == t.shape[0]'),
    (numpy.zeros((3, 2), numpy.float32), numpy.zeros(3, numpy.float32),
     't.dtype'),
    (numpy.zeros((3, 2), numpy.int32), numpy.zeros(3, numpy.int32),
     'y.dtype'),
])
def test_classification_summary_bad_inputs(y, t, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.classification_summary(y, t)
    message = str(info.value)
    assert 'ClassificationSummary' in message and expect in message
    assert 'Expect' in message and 'Actual' in message
