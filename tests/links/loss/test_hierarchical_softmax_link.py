"""Tests of the BinaryHierarchicalSoftmax link."""
import numpy
import pytest

from dynet import testing
from dynet.links.loss import BinaryHierarchicalSoftmax
from dynet.utils import type_check

_TREE = ((0, 1), ((2, 3), 4))
# Internal nodes in pre-order: 0 = root, 1 = (0, 1), 2 = ((2, 3), 4),
# 3 = (2, 3). Path of each word: (node, +1 left / -1 right).
_PATHS = {0: [(0, 1), (1, 1)], 1: [(0, 1), (1, -1)],
          2: [(0, -1), (2, 1), (3, 1)], 3: [(0, -1), (2, 1), (3, -1)],
          4: [(0, -1), (2, -1)]}


def _reference(x, t, W, paths=_PATHS):
    x, W = x.astype(numpy.float64), W.astype(numpy.float64)
    total = 0.0
    for i, word in enumerate(t):
        for node, code in paths[int(word)]:
            total += numpy.logaddexp(0, -code * W[node].dot(x[i]))
    return total


@testing.parameterize(*testing.product({
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
class TestBinaryHierarchicalSoftmax(testing.LinkTestCase):

    param_names = ('W',)

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-2, 'rtol': 1e-2}
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2}
        else:
            self.check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
            self.check_backward_options = {'atol': 1e-4, 'rtol': 1e-4}

    def generate_params(self):
        return None,

    def create_link(self, initializers):
        return BinaryHierarchicalSoftmax(3, _TREE, dtype=self.dtype)

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (4, 3)).astype(self.dtype)
        t = numpy.array([0, 2, 3, 4], numpy.int32)
        return x, t

    def forward_expected(self, link, inputs):
        x, t = inputs
        return numpy.asarray(_reference(x, t, link.W.array), self.dtype),


def test_parameter_shape_and_init():
    numpy.random.seed(0)
    link = BinaryHierarchicalSoftmax(3, _TREE)
    assert link.W.shape == (4, 3) and link.W.dtype == numpy.float32
    assert link.tree == _TREE
    assert numpy.abs(link.W.array).max() <= 1
    assert link.W.array.std() > 0.1
    assert [name for name, _ in link.namedparams()] == ['/W']


def test_gradient_values():
    link = BinaryHierarchicalSoftmax(2, (0, 1))
    link.W.array[...] = 0
    x = numpy.array([[1.0, 2.0]], numpy.float32)
    loss = link(x, numpy.array([1], numpy.int32))
    numpy.testing.assert_allclose(float(loss.array), numpy.log(2))
    loss.backward()
    # d/dw softplus(w.x) at 0 = sigmoid(0) x.
    numpy.testing.assert_allclose(link.W.grad, [[0.5, 1.0]])


def test_huffman_tree():
    make = BinaryHierarchicalSoftmax.create_huffman_tree
    assert make({0: 8, 1: 5, 2: 6, 3: 4}) == ((3, 1), (2, 0))
    # Equal counts: the earlier entry comes first.
    assert make({'a': 1, 'b': 1, 'c': 1}) == ('c', ('a', 'b'))
    assert make({7: 3}) == 7
    with pytest.raises(ValueError, match='empty vocabulary'):
        make({})


def test_huffman_tree_in_the_link():
    tree = BinaryHierarchicalSoftmax.create_huffman_tree(
        {0: 8, 1: 5, 2: 6, 3: 4, 4: 10, 5: 1, 6: 32, 7: 21})
    link = BinaryHierarchicalSoftmax(3, tree)
    assert link.W.shape == (7, 3)
    loss = link(numpy.ones((8, 3), numpy.float32),
                numpy.arange(8, dtype=numpy.int32))
    assert loss.shape == () and numpy.isfinite(loss.array)


def test_words_missing_from_tree_cost_nothing():
    link = BinaryHierarchicalSoftmax(2, (0, 3))
    x = numpy.ones((2, 2), numpy.float32)
    assert float(link(x, numpy.array([1, 2], numpy.int32)).array) == 0
    link = BinaryHierarchicalSoftmax(2, 0)
    assert link.W.shape == (0, 2)
    assert float(link(x, numpy.array([0, 0], numpy.int32)).array) == 0


@pytest.mark.parametrize('tree,match', [
    ((0, 1, 2), 'pairs'),
    ((0, 'a'), 'non-negative int'),
    ((0, -1), 'non-negative int'),
    ((0, (1, 0)), 'appears twice'),
])
def test_bad_trees(tree, match):
    with pytest.raises(ValueError, match=match):
        BinaryHierarchicalSoftmax(2, tree)


def test_deep_tree_has_no_recursion_limit():
    tree = 0
    for word in range(1, 1500):
        tree = (tree, word)
    link = BinaryHierarchicalSoftmax(2, tree)
    assert link.W.shape == (1499, 2)


def test_bad_inputs():
    link = BinaryHierarchicalSoftmax(3, _TREE)
    x = numpy.zeros((2, 3), numpy.float32)
    t = numpy.zeros(2, numpy.int32)
    with pytest.raises(type_check.InvalidType, match='x.dtype == W.dtype'):
        link(x.astype(numpy.float64), t)
    with pytest.raises(type_check.InvalidType, match='x.shape.1. == in_size'):
        link(x[:, :2], t)
    with pytest.raises(type_check.InvalidType, match='t.shape.0. == x.shape'):
        link(x, t[:1])
    with pytest.raises(type_check.InvalidType, match='t.dtype'):
        link(x, t.astype(numpy.float32))
    with pytest.raises(ValueError, match=r'0 <= t < 5'):
        link(x, numpy.array([0, 5], numpy.int32))


def test_sample():
    link = BinaryHierarchicalSoftmax(2, _TREE)
    x = numpy.ones((6, 2), numpy.float32)
    numpy.random.seed(0)
    words = link.sample(x)
    assert words.shape == (6,) and words.dtype == numpy.int32
    assert set(words.tolist()) <= {0, 1, 2, 3, 4}
    # Large scores make every step certain: always right, right -> 4.
    link.W.array[...] = -50
    numpy.testing.assert_array_equal(link.sample(x), 4)
    link.W.array[...] = 50    # always left -> 0
    numpy.testing.assert_array_equal(link.sample(x), 0)
    assert BinaryHierarchicalSoftmax(2, 3).sample(x).tolist() == [3] * 6


@testing.fix_random()
def test_sample_frequencies():
    link = BinaryHierarchicalSoftmax(1, (0, 1))
    link.W.array[...] = 1.0          # P(left = word 0) = sigmoid(x)
    x = numpy.full((4000, 1), numpy.log(3), numpy.float32)   # 3/4
    freq = (link.sample(x) == 0).mean()
    assert abs(freq - 0.75) < 0.03


def test_serialization_and_device():
    src = BinaryHierarchicalSoftmax(3, _TREE)
    dst = BinaryHierarchicalSoftmax(3, _TREE)
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)
    assert dst.to_cpu() is dst and dst.to_device('@numpy') is dst
    x = numpy.ones((1, 3), numpy.float32)
    assert numpy.isfinite(dst(x, numpy.array([4], numpy.int32)).array)


@testing.attr.gpu
def test_to_gpu():
    link = BinaryHierarchicalSoftmax(3, _TREE).to_gpu()
    x = link.xp.ones((2, 3), numpy.float32)
    t = link.xp.array([0, 4], numpy.int32)
    loss = link(x, t)
    numpy.testing.assert_allclose(
        float(loss.array), _reference(numpy.ones((2, 3)), [0, 4],
                                      link.W.array.get()), rtol=1e-5)
    assert link.sample(x).shape == (2,)
