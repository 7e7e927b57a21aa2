"""Tests of F.einsum."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _einsum_loops(terms, output, arrays):
    """Reference einsum for plain letters: loops over every assignment of
    values to the letters (float64)."""
    sizes = {}
    for term, x in zip(terms, arrays):
        for c, n in zip(term, x.shape):
            sizes[c] = n
    letters = sorted(sizes)
    y = numpy.zeros(tuple(sizes[c] for c in output))
    for values in numpy.ndindex(*[sizes[c] for c in letters]):
        value = dict(zip(letters, values))
        term_product = 1.0
        for term, x in zip(terms, arrays):
            term_product *= float(x[tuple(value[c] for c in term)])
        y[tuple(value[c] for c in output)] += term_product
    return y


# (subscripts for F.einsum, shapes, the same computation in plain letters
# with explicit output for the reference: (terms, output))
_CASES = [
    ('ij,jk->ik', [(2, 3), (3, 4)], (['ij', 'jk'], 'ik')),
    ('ij,jk', [(2, 3), (3, 4)], (['ij', 'jk'], 'ik')),           # implicit
    ('ij,kj', [(2, 3), (4, 3)], (['ij', 'kj'], 'ik')),
    ('ba,ca', [(2, 3), (4, 3)], (['ba', 'ca'], 'bc')),           # sorted
    ('ij->ji', [(2, 3)], (['ij'], 'ji')),
    ('ij->', [(2, 3)], (['ij'], '')),
    ('ijk->kj', [(2, 3, 4)], (['ijk'], 'kj')),
    ('i,i', [(4,), (4,)], (['i', 'i'], '')),                       # dot
    ('i,j->ij', [(2,), (3,)], (['i', 'j'], 'ij')),                 # outer
    ('ij,ij->ij', [(2, 3), (2, 3)], (['ij', 'ij'], 'ij')),
    ('ij,ik,jkl->il', [(3, 2), (3, 4), (2, 4, 2)],
     (['ij', 'ik', 'jkl'], 'il')),
    ('ii', [(3, 3)], (['ii'], '')),                               # trace
    ('ii->i', [(3, 3)], (['ii'], 'i')),                           # diagonal
    ('iij->ji', [(2, 2, 3)], (['iij'], 'ji')),
    ('ij,jj->i', [(2, 3), (3, 3)], (['ij', 'jj'], 'i')),
    ('iii->i', [(2, 2, 2)], (['iii'], 'i')),
    ('...ij,...jk->...ik', [(2, 2, 3), (2, 3, 2)],
     (['xij', 'xjk'], 'xik')),
    ('...j,...k,jkl', [(3, 2), (3, 4), (2, 4, 2)],
     (['xj', 'xk', 'jkl'], 'xl')),                                # implicit
    ('i...->...', [(3, 2, 2)], (['ixy'], 'xy')),
    ('...,...->...', [(2, 3), (2, 3)], (['xy', 'xy'], 'xy')),
    ('ij...,j->i...', [(2, 3), (3,)], (['ij', 'j'], 'i')),  # empty '...'
    ('i,->i', [(3,), ()], (['i', ''], 'i')),                        # scalar
    ('', [()], ([''], '')),
    ('ij->ij', [(0, 3)], (['ij'], 'ij')),
    ('ij,jk->ik', [(2, 0), (0, 3)], (['ij', 'jk'], 'ik')),
    (' A b , b C -> C A ', [(2, 3), (3, 2)], (['Ab', 'bC'], 'CA')),
]


@testing.parameterize(*testing.product({
    'case': _CASES,
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestEinsum(testing.FunctionTestCase):

    def setUp(self):
        self.subscripts, self.shapes, (self.terms, self.output) = self.case
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-2,
                                           'rtol': 1e-2}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-5,
                                           'rtol': 1e-4}
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-7}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return tuple(numpy.asarray(numpy.random.uniform(-1, 1, s),
                                   self.dtype) for s in self.shapes)

    def forward(self, inputs, device):
        return F.einsum(self.subscripts, *inputs),

    def forward_expected(self, inputs):
        return _einsum_loops(self.terms, self.output, inputs).astype(
            self.dtype),


@testing.parameterize(*testing.product({
    'dtype': [numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestEinsumSublistFormat(testing.FunctionTestCase):

    check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
    check_backward_options = {'eps': 1e-3, 'atol': 1e-5, 'rtol': 1e-4}
    check_double_backward_options = check_backward_options

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in [(3, 2), (3, 4), (2, 4, 2)])

    def forward(self, inputs, device):
        x1, x2, w = inputs
        y1 = F.einsum(x1, [0, 1], x2, [0, 2], w, [1, 2, 3], [0, 3])
        y2 = F.einsum(x1, [Ellipsis, 1], x2, [Ellipsis, 2], w, [1, 2, 3])
        return y1, y2

    def forward_expected(self, inputs):
        y = _einsum_loops(['ij', 'ik', 'jkl'], 'il', inputs).astype(
            self.dtype)
        return y, y


def test_matches_numpy_einsum():
    a = numpy.random.uniform(-1, 1, (2, 3, 4))
    b = numpy.random.uniform(-1, 1, (4, 3))
    for spec in ['ijk,kj->i', 'ijk,kl', 'ijk,kj->ij', '...k,kj->...j']:
        numpy.testing.assert_allclose(F.einsum(spec, a, b).array,
                                      numpy.einsum(spec, a, b), rtol=1e-12)


def test_trace_gradient_is_identity():
    a = Variable(numpy.random.uniform(-1, 1, (3, 3)))
    F.einsum('ii', a).backward()
    numpy.testing.assert_array_equal(a.grad, numpy.eye(3))


def test_gradient_of_letter_only_in_one_operand_is_broadcast():
    a = Variable(numpy.random.uniform(-1, 1, (2, 3)))
    b = Variable(numpy.random.uniform(-1, 1, (4,)))
    y = F.einsum('ij,k->i', a, b)
    y.grad = numpy.array([1., 2.])
    y.backward()
    numpy.testing.assert_allclose(
        a.grad, numpy.array([[1.], [2.]]) * b.array.sum() * numpy.ones(3))
    numpy.testing.assert_allclose(b.grad, numpy.full(4, a.array.sum(
        axis=1) @ [1., 2.]))


@pytest.mark.parametrize('args,match', [
    ((), 'no operands'),
    (('ij,jk', numpy.zeros((2, 2))), '1 operand.*2 subscript'),
    (('i1', numpy.zeros((2, 2))), "'1' is not a valid"),
    (('ij->i->j', numpy.zeros((2, 2))), "one '->'"),
    (('i.j', numpy.zeros((2, 2))), r"'\.' is only valid"),
    (('ij->k', numpy.zeros((2, 2))), "'k' does not appear"),
    (('ij->ii', numpy.zeros((2, 2))), "'i' appears more than once"),
    (('ij->...', numpy.zeros((2, 2))), "'...' does not appear"),
    (('......', numpy.zeros((2, 2))), 'one ellipsis'),
    (('...ij->ij', numpy.zeros((3, 2, 2))), "summing over the axes of"),
    (('...i,...i->...', numpy.zeros((2, 3)), numpy.zeros((3,))),
     'same number of axes'),
    (('ijk...', numpy.zeros((2, 2))), 'fewer than its subscripts'),
])
def test_bad_subscripts(args, match):
    with pytest.raises(ValueError, match='einsum: .*' + match):
        F.einsum(*args)


@pytest.mark.parametrize('args', [
    (numpy.zeros((2, 2)), [0, 'a']),
    (numpy.zeros((2, 2)), [0, 52]),
    (numpy.zeros((2, 2)), [0, 1], [1.5]),
])
def test_bad_sublists(args):
    with pytest.raises(TypeError, match='einsum: .*Ellipsis and ints'):
        F.einsum(*args)


def test_non_array_operand():
    with pytest.raises(TypeError, match='einsum: operand 0'):
        F.einsum('i', [1.0, 2.0])


@pytest.mark.parametrize('subscripts,shapes,expect', [
    ('ij,jk', [(2, 3), (2, 3)], "subscript 'j'"),
    ('ij', [(2,)], 'ndim == 2'),
    ('ii', [(2, 3)], "subscript 'i'"),
    ('...i,...i->...', [(2, 3), (4, 3)], 'one length for subscript'),
])
def test_shape_mismatch(subscripts, shapes, expect):
    arrays = [numpy.zeros(s, numpy.float32) for s in shapes]
    with pytest.raises(type_check.InvalidType) as info:
        F.einsum(subscripts, *arrays)
    message = str(info.value)
    assert 'EinSum' in message and expect in message
    assert str(shapes[-1]) in message


def test_dtype_mismatch_and_integers():
    with pytest.raises(type_check.InvalidType, match='float32.*float64|'
                       'float64.*float32'):
        F.einsum('i,i', numpy.zeros(2, numpy.float32), numpy.zeros(2))
    with pytest.raises(type_check.InvalidType, match='int64'):
        F.einsum('i', numpy.arange(3))
