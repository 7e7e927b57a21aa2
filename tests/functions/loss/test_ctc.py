"""Tests of F.connectionist_temporal_classification."""
import itertools
import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _brute_force_nll(logits, labels, blank):
    """-log p(labels | logits) by enumerating every alignment.

    ``logits`` is a list of per-step score vectors. An alignment emits one
    symbol per step; merging repeats and then dropping blanks must give
    ``labels``.
    """
    steps = len(logits)
    probs = []
    for scores in logits:
        scores = [float(s) for s in scores]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        probs.append([e / total for e in exps])
    vocabulary = len(probs[0]) if steps else 0
    likelihood = 0.0
    for path in itertools.product(range(vocabulary), repeat=steps):
        collapsed = []
        previous = None
        for symbol in path:
            if symbol != previous and symbol != blank:
                collapsed.append(symbol)
            previous = symbol
        if collapsed == list(labels):
            p = 1.0
            for step, symbol in enumerate(path):
                p *= probs[step][symbol]
            likelihood += p
    return -math.log(likelihood) if likelihood > 0 else math.inf


def _reference(xs, t, blank, input_length, label_length, reduce):
    batch = t.shape[0]
    loss = numpy.zeros(batch)
    for b in range(batch):
        logits = [x[b] for x in xs[:input_length[b]]]
        loss[b] = _brute_force_nll(logits, t[b, :label_length[b]], blank)
    if reduce == 'mean':
        return numpy.asarray(loss.mean())
    return loss


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
        test.check_backward_options = {'atol': 1e-2, 'rtol': 1e-2}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
        test.check_backward_options = {'atol': 1e-4, 'rtol': 1e-4}
    else:
        test.check_forward_options = {'atol': 1e-10, 'rtol': 1e-10}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-7}


# (T, B, V, labels, input_length or None, label_length or None).
_CASES = [
    (4, 2, 3, [[1, 2], [2, 2]], None, None),
    (5, 3, 3, [[1, 1, 2], [2, 0, 0], [1, 2, 0]], [5, 3, 4], [3, 1, 2]),
    (3, 2, 4, [[3], [1]], [3, 1], None),
    (2, 2, 3, [[1, 2], [1, 1]], None, [0, 1]),
    (4, 1, 3, [[2, 1]], [2], None),
]


@testing.parameterize(*testing.product({
    'case': _CASES,
    'blank': [0, 'last'],
    'reduce': ['mean', 'no'],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
@testing.fix_random()
class TestCTC(testing.FunctionTestCase):

    skip_double_backward_test = True

    def setUp(self):
        _tolerances(self, self.dtype)
        (self.steps, self.batch, self.vocabulary, labels, input_length,
         label_length) = self.case
        self.blank_symbol = 0 if self.blank == 0 else self.vocabulary - 1
        labels = numpy.array(labels, numpy.int32)
        if self.blank == 'last':
            # Keep the labels off the blank: shift them down by one.
            labels = numpy.where(labels == 0, 0, labels - 1).astype(
                numpy.int32)
        self.t = labels
        self.input_length = None if input_length is None else \
            numpy.array(input_length, numpy.int32)
        self.label_length = None if label_length is None else \
            numpy.array(label_length, numpy.int32)

    def generate_inputs(self):
        return tuple(numpy.random.uniform(
            -2, 2, (self.batch, self.vocabulary)).astype(self.dtype)
            for _ in range(self.steps))

    def forward(self, inputs, device):
        send = device.send_array
        lengths = {}
        if self.input_length is not None:
            lengths['input_length'] = send(self.input_length)
        if self.label_length is not None:
            lengths['label_length'] = send(self.label_length)
        return F.connectionist_temporal_classification(
            list(inputs), send(self.t), self.blank_symbol,
            reduce=self.reduce, **lengths),

    def forward_expected(self, inputs):
        input_length = self.input_length if self.input_length is not None \
            else [self.steps] * self.batch
        label_length = self.label_length if self.label_length is not None \
            else [self.t.shape[1]] * self.batch
        return _reference(inputs, self.t, self.blank_symbol, input_length,
                          label_length, self.reduce).astype(self.dtype),


def test_ctc_gradient_is_zero_beyond_input_length():
    xs = [Variable(numpy.random.randn(2, 3)) for _ in range(4)]
    t = numpy.array([[1], [2]], numpy.int32)
    loss = F.connectionist_temporal_classification(
        xs, t, 0, input_length=numpy.array([4, 2], numpy.int32))
    loss.backward()
    for x in xs[2:]:
        numpy.testing.assert_array_equal(x.grad[1], numpy.zeros(3))
    for x in xs:
        # Softmax minus a posterior: each row sums to zero.
        numpy.testing.assert_allclose(x.grad.sum(axis=1), 0, atol=1e-12)


@pytest.mark.parametrize('dtype', _FLOATS)
def test_ctc_large_logits(dtype):
    big = 1e4
    # Step scores make the path (1, blank, 2) overwhelmingly likely.
    xs = [numpy.array([[0, big, 0]], dtype),
          numpy.array([[big, 0, 0]], dtype),
          numpy.array([[0, 0, big]], dtype)]
    xs = [Variable(x) for x in xs]
    t = numpy.array([[1, 2]], numpy.int32)
    loss = F.connectionist_temporal_classification(xs, t, 0)
    assert loss.dtype == dtype
    assert abs(float(loss.array)) < 1e-3
    loss.backward()
    for x in xs:
        assert numpy.isfinite(x.grad).all()
        numpy.testing.assert_allclose(x.grad.astype(numpy.float64), 0,
                                      atol=1e-3)
    # A wrong label is nearly impossible: a loss of about 1e4.
    t = numpy.array([[2, 1]], numpy.int32)
    loss = F.connectionist_temporal_classification(xs, t, 0)
    assert 0.9 * big < float(loss.array) < 3.1 * big


def test_ctc_infeasible_label_has_infinite_loss_and_zero_gradient():
    xs = [Variable(numpy.random.randn(2, 3)) for _ in range(2)]
    # A repeated label needs a blank between: 3 steps at least.
    t = numpy.array([[1, 1], [1, 2]], numpy.int32)
    loss = F.connectionist_temporal_classification(xs, t, 0, reduce='no')
    assert numpy.isinf(loss.array[0]) and numpy.isfinite(loss.array[1])
    loss[1].backward()
    for x in xs:
        numpy.testing.assert_array_equal(x.grad[0], numpy.zeros(3))
        assert numpy.isfinite(x.grad).all()


def test_ctc_double_backprop_raises():
    xs = [Variable(numpy.random.randn(1, 3)) for _ in range(3)]
    t = numpy.array([[1]], numpy.int32)
    grads = dynet.grad(
        [F.connectionist_temporal_classification(xs, t, 0)], xs,
        enable_double_backprop=True)
    with pytest.raises(RuntimeError, match='higher-order'):
        dynet.grad([F.sum(grads[0] * grads[0])], xs[:1])


def test_ctc_invalid_arguments():
    xs = [numpy.zeros((2, 3), numpy.float32)] * 3
    t = numpy.zeros((2, 1), numpy.int32)
    ctc = F.connectionist_temporal_classification
    with pytest.raises(TypeError, match='list'):
        ctc(numpy.zeros((3, 2, 3), numpy.float32), t, 0)
    with pytest.raises(TypeError, match='blank_symbol'):
        ctc(xs, t, 0.0)
    with pytest.raises(TypeError, match='blank_symbol'):
        ctc(xs, t, -1)
    with pytest.raises(ValueError, match='blank_symbol'):
        ctc(xs, t, 3)
    with pytest.raises(ValueError) as info:
        ctc(xs, t, 0, reduce='sum')
    assert "'mean'" in str(info.value) and "'no'" in str(info.value)


@pytest.mark.parametrize('change,expect', [
    ({'t': numpy.zeros((3, 1), numpy.int32)}, 't.shape[0]'),
    ({'t': numpy.zeros((2, 1), numpy.float32)}, 't.dtype'),
    ({'xs': [numpy.zeros((2, 3), numpy.float32),
             numpy.zeros((2, 3), numpy.float64)]}, 'dtype'),
    ({'xs': [numpy.zeros((2, 3), numpy.float32),
             numpy.zeros((2, 4), numpy.float32)]}, 'shape'),
    ({'xs': [numpy.zeros((2, 3), numpy.int32)]}, 'x[0].dtype'),
    ({'input_length': numpy.array([1], numpy.int32)}, 'input_length.shape'),
])
def test_ctc_bad_inputs(change, expect):
    args = {'xs': [numpy.zeros((2, 3), numpy.float32)] * 2,
            't': numpy.zeros((2, 1), numpy.int32)}
    args.update(change)
    kwargs = {}
    if 'input_length' in args:
        kwargs['input_length'] = args['input_length']
    with pytest.raises(type_check.InvalidType) as info:
        F.connectionist_temporal_classification(args['xs'], args['t'], 0,
                                                **kwargs)
    message = str(info.value)
    assert 'ConnectionistTemporalClassification' in message
    assert expect in message
    assert 'Expect' in message and 'Actual' in message


@pytest.mark.parametrize('t,lengths,expect', [
    ([[1, 3]], {}, 't[0, 1] == 3'),
    ([[1, 5]], {'label_length': [1]}, None),
    ([[1, 2]], {'label_length': [3]}, 'label_length[0] == 3'),
    ([[1, 2]], {'input_length': [4]}, 'input_length[0] == 4'),
])
def test_ctc_values_out_of_range(t, lengths, expect):
    xs = [numpy.zeros((1, 3), numpy.float32)] * 3
    t = numpy.array(t, numpy.int32)
    lengths = {k: numpy.array(v, numpy.int32) for k, v in lengths.items()}
    ctc = F.connectionist_temporal_classification
    if expect is None:
        # Labels beyond label_length are padding and are not checked.
        assert numpy.isfinite(ctc(xs, t, 0, **lengths).array)
        return
    with pytest.raises(ValueError) as info:
        ctc(xs, t, 0, **lengths)
    message = str(info.value)
    assert 'ConnectionistTemporalClassification' in message
    assert expect in message
