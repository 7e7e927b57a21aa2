"""Splitting a dataset between the ranks: ``scatter_dataset``,
``scatter_index`` and ``create_empty_dataset``."""
import numbers

import numpy

from dynet.datasets.sub_dataset import SubDataset
from dynet.datasets.tuple_dataset import TupleDataset
from dynet.distributed import _messages
from dynet.distributed import _mpi
from dynet.distributed.communicator_base import CommunicatorBase

# The tag of scatter_dataset's messages (any fixed tag works: messages
# between two ranks with one tag arrive in order).
_SCATTER_TAG = 7301


def _as_communicator(comm, function):
    if isinstance(comm, CommunicatorBase):
        return comm
    if _mpi.is_mpi_comm(comm):
        from dynet.distributed.naive_communicator import NaiveCommunicator
        return NaiveCommunicator(comm)
    raise TypeError('{}: comm must be a dynet.distributed communicator or '
                    'an mpi4py communicator, got {}'.format(
                        function, type(comm).__name__))


def _check_root(function, root, comm):
    if not isinstance(root, numbers.Integral) or isinstance(root, bool) or \
            not 0 <= root < comm.size:
        raise ValueError('{}: root must be a rank in [0, {}), got {!r}'
                         .format(function, comm.size, root))
    return int(root)


def _index_ranges(n_total_samples, size, force_equal_length):
    """``[(begin, end)]`` of each rank.

    Equal lengths: every rank gets ``ceil(n / size)`` consecutive examples;
    the ranges overlap slightly (a few examples are used by two ranks)
    when ``n`` is not a multiple of ``size``. Otherwise the ranges are
    disjoint and the first ``n % size`` ranks get one example more.
    """
    if force_equal_length:
        length = -(-n_total_samples // size)
        ranges = []
        for rank in range(size):
            begin = n_total_samples * rank // size
            ranges.append((begin, begin + length))
        return ranges
    ranges, begin = [], 0
    for rank in range(size):
        length = n_total_samples // size + (rank < n_total_samples % size)
        ranges.append((begin, begin + length))
        begin += length
    return ranges


def scatter_index(n_total_samples, comm, root=0, *, force_equal_length=True):
    """Collective: this rank's share ``(begin, end)`` of ``n_total_samples``
    indexes, as decided by rank ``root`` (``end`` is exclusive).

    With ``force_equal_length`` every rank gets the same number of indexes
    (``ceil(n / size)``; neighbouring ranks then share a few), which
    data-parallel training needs (every rank must make the same number of
    steps); without it the shares are disjoint, for exact evaluation.
    """
    comm = _as_communicator(comm, 'scatter_index')
    root = _check_root('scatter_index', root, comm)
    ranges = None
    if comm.rank == root:
        if not isinstance(n_total_samples, numbers.Integral) or \
                n_total_samples < 0:
            ranges = ValueError(
                'scatter_index: n_total_samples must be a non-negative int, '
                'got {!r}'.format(n_total_samples))
        else:
            ranges = _index_ranges(int(n_total_samples), comm.size,
                                   force_equal_length)
    ranges = comm.bcast_obj(ranges, root=root)
    if isinstance(ranges, Exception):
        raise ranges
    return ranges[comm.rank]


def scatter_dataset(dataset, comm, root=0, shuffle=False, seed=None,
                    max_buf_len=256 * 1024 * 1024, *,
                    force_equal_length=True):
    """Collective: splits rank ``root``'s dataset between the ranks.

    Rank ``root`` cuts its dataset into ``size`` consecutive parts (of equal
    length by default; see :func:`scatter_index`) and sends each rank only
    its part; the ``dataset`` argument of the other ranks is ignored (it may
    be None).

    Args:
        dataset: the dataset on rank ``root`` (anything with ``len`` and
            integer indexing: a list, an array, a ``TupleDataset`` ...).
        comm: a dynet.distributed communicator (or an mpi4py one).
        root (int): the rank that holds the dataset.
        shuffle (bool): permute the examples before splitting, with
            ``numpy.random.RandomState(seed).permutation`` (a given seed
            always gives every rank the same examples).
        seed (int): the seed of that permutation (None: random).
        max_buf_len (int): largest piece of one transfer, in bytes.
        force_equal_length (bool): equal parts (True; needed for training)
            or disjoint parts (False; for exact evaluation).

    Returns:
        ``SubDataset``: this rank's examples, in order. Parts whose examples
        are tuples of NumPy arrays (or NumPy arrays) of one shape per field
        travel as stacked arrays, and the SubDataset wraps a
        ``TupleDataset`` of them (or the stacked array); other parts travel
        as lists of examples.
    """
    comm = _as_communicator(comm, 'scatter_dataset')
    root = _check_root('scatter_dataset', root, comm)
    if not isinstance(max_buf_len, numbers.Integral) or \
            not 0 < max_buf_len < 2 ** 31:
        raise ValueError('scatter_dataset: max_buf_len must be an int in '
                         '[1, 2**31 - 1], got {!r}'.format(max_buf_len))
    if comm.rank != root:
        failure = comm.bcast_obj(None, root=root)
        if failure is not None:
            raise failure
        mine = comm._recv_pickle(root, _SCATTER_TAG)
        return SubDataset(mine, 0, len(mine))

    try:
        parts = _split(dataset, comm.size, shuffle, seed, force_equal_length)
    except Exception as error:   # e.g. an example that cannot be read
        comm.bcast_obj(error, root=root)   # every rank raises it
        raise
    comm.bcast_obj(None, root=root)
    others = [rank for rank in range(comm.size) if rank != root]
    for index, rank in enumerate(others):
        try:
            comm._send_pickle(parts[rank], rank, _SCATTER_TAG,
                              int(max_buf_len))
        except TypeError as error:
            for later in others[index + 1:]:   # they must not wait
                comm.send_obj(_messages.Failure(error, root), later,
                              tag=_SCATTER_TAG)
            raise
        parts[rank] = None   # sent: free it
    return SubDataset(parts[root], 0, len(parts[root]))


def _split(dataset, size, shuffle, seed, force_equal_length):
    if dataset is None or not hasattr(dataset, '__len__'):
        raise TypeError('scatter_dataset: the dataset on the root rank must '
                        'have a length and integer indexing, got {}'.format(
                            type(dataset).__name__))
    n = len(dataset)
    order = numpy.random.RandomState(seed).permutation(n) if shuffle \
        else None
    parts = []
    for begin, end in _index_ranges(n, size, force_equal_length):
        indexes = range(begin, end) if order is None else order[begin:end]
        parts.append(_compact([dataset[int(i)] for i in indexes]))
    return parts


def _compact(examples):
    """Stacked arrays for a list of uniform NumPy examples, else the
    list."""
    if not examples:
        return examples
    first = examples[0]
    if isinstance(first, tuple):
        width = len(first)
        if all(isinstance(e, tuple) and len(e) == width for e in examples):
            columns = [[e[k] for e in examples] for k in range(width)]
            if all(_uniform_numpy(column) for column in columns):
                return TupleDataset(*[numpy.stack(column)
                                      for column in columns])
        return examples
    if _uniform_numpy(examples):
        return numpy.stack(examples)
    return examples


def _uniform_numpy(values):
    """Whether ``values`` are NumPy arrays (or NumPy scalars) of one type,
    shape and dtype (stacking them loses nothing)."""
    first = values[0]
    if not isinstance(first, (numpy.ndarray, numpy.generic)) or \
            first.dtype.hasobject:
        return False
    kind = type(first)
    return all(type(v) is kind and v.shape == first.shape and
               v.dtype == first.dtype for v in values)


def create_empty_dataset(dataset):
    """A dataset of the same length as ``dataset`` whose examples are empty
    tuples (for ranks that need the iteration count but not the data,
    e.g. in model parallelism)."""
    return [()] * len(dataset)
