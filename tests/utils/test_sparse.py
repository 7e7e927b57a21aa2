"""Tests of dynet.utils.sparse (CooMatrix, to_coo, get_order)."""
import numpy
import pytest

from dynet import Variable
from dynet.utils.sparse import CooMatrix, get_order, to_coo


def test_to_coo_of_one_matrix():
    x = numpy.array([[0, 2, 0], [-1, 0, 0]], numpy.float32)
    coo = to_coo(x)
    assert isinstance(coo.data, Variable)
    assert not coo.data.requires_grad
    numpy.testing.assert_array_equal(coo.data.array, [2, -1])
    assert coo.data.dtype == numpy.float32
    numpy.testing.assert_array_equal(coo.row, [0, 1])
    numpy.testing.assert_array_equal(coo.col, [1, 0])
    assert coo.row.dtype == numpy.int32 and coo.col.dtype == numpy.int32
    assert coo.shape == (2, 3) and coo.order == 'C'
    numpy.testing.assert_array_equal(coo.to_dense(), x)


def test_to_coo_pads_to_ldnz():
    x = numpy.array([[0, 2], [3, 0]])
    coo = to_coo(x, ldnz=5, requires_grad=True)
    assert coo.data.requires_grad
    numpy.testing.assert_array_equal(coo.data.array, [2, 3, 0, 0, 0])
    numpy.testing.assert_array_equal(coo.row, [0, 1, -1, -1, -1])
    numpy.testing.assert_array_equal(coo.col, [1, 0, -1, -1, -1])
    numpy.testing.assert_array_equal(coo.to_dense(), x)
    # ldnz smaller than the number of non-zeros is ignored.
    assert to_coo(x, ldnz=1).data.shape == (2,)


def test_to_coo_of_a_batch():
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (3, 4, 5)) * (rng.uniform(size=(3, 4, 5)) > 0.6)
    x[1] = 0  # an empty matrix is all padding
    coo = to_coo(x)
    nnz = max(int((m != 0).sum()) for m in x)
    assert coo.data.shape == coo.row.shape == coo.col.shape == (3, nnz)
    assert coo.shape == (4, 5)
    assert numpy.all(coo.row[1] == -1)
    numpy.testing.assert_array_equal(coo.to_dense(), x)
    # Each matrix's entries: the non-zeros in row-major order.
    for i in range(3):
        rows, cols = numpy.nonzero(x[i])
        n = len(rows)
        numpy.testing.assert_array_equal(coo.row[i, :n], rows)
        numpy.testing.assert_array_equal(coo.col[i, :n], cols)
        numpy.testing.assert_array_equal(coo.data.array[i, :n],
                                         x[i][rows, cols])


def test_to_dense_adds_repeated_indices():
    coo = CooMatrix(numpy.array([1.0, 2.0, 5.0]), numpy.array([0, 0, 1]),
                    numpy.array([1, 1, 0]), (2, 2))
    numpy.testing.assert_array_equal(coo.to_dense(), [[0, 3], [5, 0]])


def test_order_detection():
    def order(row, col):
        return CooMatrix(numpy.ones(len(row)), numpy.array(row),
                         numpy.array(col), (3, 3)).order
    assert order([0, 0, 1, 2], [0, 2, 1, 0]) == 'C'
    assert order([0, 1, 0, 2], [0, 0, 1, 2]) == 'F'
    assert order([1, 0, 2], [1, 2, 0]) == 'other'
    assert order([0, 1, -1], [1, 2, -1]) == 'C'  # padding ignored
    given = CooMatrix(numpy.ones(2), numpy.array([1, 0]),
                      numpy.array([0, 1]), (2, 2), order='other')
    assert given.order == 'other'
    assert get_order(numpy.array([[0, 1], [1, 0]]),
                     numpy.array([[0, 0], [0, 0]])) == 'other'
    assert get_order(numpy.array([[0, 1], [0, 1]]),
                     numpy.array([[0, 0], [1, 1]])) == 'C'


@pytest.mark.parametrize('args, error, words', [
    ((numpy.ones((1, 1, 1)), numpy.zeros((1, 1, 1), int),
      numpy.zeros((1, 1, 1), int), (1, 1)), ValueError, 'ndim of data'),
    ((numpy.ones(2), numpy.zeros((1, 2), int), numpy.zeros(2, int), (2, 2)),
     ValueError, 'ndim of data, row and col'),
    ((numpy.ones(2), numpy.zeros(3, int), numpy.zeros(3, int), (2, 2)),
     ValueError, 'same shape'),
    ((numpy.ones(2), numpy.zeros(2, int), numpy.zeros(2, int), (2,)),
     ValueError, 'length of shape'),
    ((numpy.ones(2), numpy.zeros(2, int), numpy.zeros(2, int), (0, 2)),
     ValueError, 'greater than 0'),
    ((numpy.ones(2), numpy.zeros(2), numpy.zeros(2, int), (2, 2)),
     TypeError, 'integer arrays'),
    (([1.0, 2.0], numpy.zeros(2, int), numpy.zeros(2, int), (2, 2)),
     TypeError, 'data must be a numpy or cupy array'),
    ((numpy.ones(2), numpy.array([0, -1]), numpy.array([0, 1]), (2, 2)),
     ValueError, 'invalid index combination'),
    ((numpy.ones(2), numpy.array([0, 2]), numpy.array([0, 1]), (2, 2)),
     ValueError, 'out of range'),
])
def test_invalid_coo_matrix(args, error, words):
    with pytest.raises(error) as info:
        CooMatrix(*args)
    assert 'CooMatrix' in str(info.value) and words in str(info.value)


def test_invalid_order():
    with pytest.raises(ValueError, match="CooMatrix: order must be"):
        CooMatrix(numpy.ones(1), numpy.zeros(1, int), numpy.zeros(1, int),
                  (1, 1), order='K')


def test_invalid_to_coo_arguments():
    with pytest.raises(ValueError, match='to_coo: ndim of x must be 2 or 3'):
        to_coo(numpy.ones(3))
    with pytest.raises(TypeError, match='to_coo: x must be'):
        to_coo([[1.0]])
    with pytest.raises(ValueError, match='to_coo: ldnz'):
        to_coo(numpy.ones((2, 2)), ldnz=-1)
