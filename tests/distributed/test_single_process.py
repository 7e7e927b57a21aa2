"""Parts of dynet.distributed that need no MPI: imports, argument checks,
the split arithmetic, and the optimizer/evaluator wrappers driven by a
stand-in communicator."""
import subprocess
import sys
import warnings

import numpy
import pytest

import dynet
import dynet.distributed as dd
import dynet.links as L
from dynet.distributed import _topology
from dynet.distributed import global_except_hook
from dynet.distributed import multi_node_evaluator
from dynet.distributed import scatter


def run_python(code):
    return subprocess.run([sys.executable, '-c', code], capture_output=True,
                          text=True, timeout=120)


def test_importing_dynet_does_not_load_mpi4py():
    result = run_python(
        'import sys, dynet, dynet.distributed\n'
        'print("mpi4py" in sys.modules)')
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == 'False'


def test_missing_mpi4py_gives_install_hints():
    result = run_python(
        'import sys\n'
        'sys.modules["mpi4py"] = None   # makes "import mpi4py" fail\n'
        'import dynet.distributed as dd\n'
        'try:\n'
        '    dd.create_communicator("flat")\n'
        'except ImportError as e:\n'
        '    print(e)\n')
    assert result.returncode == 0, result.stderr
    assert 'pip install mpi4py' in result.stdout
    assert 'MPI implementation' in result.stdout


@pytest.mark.parametrize('args,kwargs,error,words', [
    (('bogus',), {}, ValueError, ['unknown communicator_name', 'flat']),
    ((3,), {}, ValueError, ['communicator_name']),
    (('flat',), {'allreduce_grad_dtype': numpy.float16}, ValueError,
     ['allreduce_grad_dtype', 'pure_nccl']),
    (('flat',), {'colour': 1}, TypeError, ['unexpected', 'colour']),
])
def test_create_communicator_bad_arguments(args, kwargs, error, words):
    with pytest.raises(error) as info:
        dd.create_communicator(*args, **kwargs)
    assert 'create_communicator' in str(info.value)
    for word in words:
        assert word in str(info.value)


def test_topology_from_hostnames():
    hosts = ['a', 'b', 'a', 'c', 'b', 'a']
    topologies = [_topology.topology_from_hostnames(hosts, r)
                  for r in range(len(hosts))]
    assert [t.inter_rank for t in topologies] == [0, 1, 0, 2, 1, 0]
    assert [t.intra_rank for t in topologies] == [0, 0, 1, 0, 1, 2]
    assert [t.intra_size for t in topologies] == [3, 2, 3, 1, 2, 3]
    assert {t.inter_size for t in topologies} == {3}


@pytest.mark.parametrize('n', [0, 1, 5, 9, 10, 11, 100])
@pytest.mark.parametrize('size', [1, 2, 3, 4, 7])
def test_index_ranges(n, size):
    equal = scatter._index_ranges(n, size, True)
    assert len(equal) == size
    covered = set()
    for begin, end in equal:
        assert end - begin == -(-n // size)
        assert 0 <= begin and end <= n
        covered.update(range(begin, end))
    assert covered == set(range(n))
    disjoint = scatter._index_ranges(n, size, False)
    flat = [i for begin, end in disjoint for i in range(begin, end)]
    assert flat == list(range(n))
    lengths = [end - begin for begin, end in disjoint]
    assert max(lengths) - min(lengths) <= 1


def test_compact_stacks_uniform_numpy_examples_only():
    pairs = [(numpy.full(2, i, numpy.float32), numpy.int32(i))
             for i in range(3)]
    packed = scatter._compact(pairs)
    assert isinstance(packed, dynet.datasets.TupleDataset)
    for i in range(3):
        x, t = packed[i]
        numpy.testing.assert_array_equal(x, pairs[i][0])
        assert t == i and type(t) is numpy.int32
    rows = [numpy.arange(3) + i for i in range(2)]
    assert isinstance(scatter._compact(rows), numpy.ndarray)
    # Python numbers and ragged arrays keep their exact form.
    assert scatter._compact([(1, 2), (3, 4)]) == [(1, 2), (3, 4)]
    ragged = [numpy.zeros(1), numpy.zeros(2)]
    assert scatter._compact(ragged) is ragged


def test_create_empty_dataset():
    assert dd.create_empty_dataset(numpy.zeros((4, 2))) == [()] * 4


# ----------------------------------------------------------------------
# The optimizer and evaluator wrappers, with a one-process stand-in


class FakeCommunicator(dd.CommunicatorBase):
    """Records calls; 'averages' by multiplying gradients by ``factor``
    (so that the test sees that the mean was used)."""

    rank, size = 0, 1

    def __init__(self, factor=0.5):
        self.factor = factor
        self.calls = []

    def bcast_data(self, model):
        self.calls.append('bcast_data')

    def multi_node_mean_grad(self, model, zero_fill=False):
        self.calls.append(('mean', zero_fill))
        for param in model.params():
            if param.grad is not None:
                param.grad *= self.factor

    def _start_mean_grad(self, model, zero_fill):
        self.calls.append('start')
        copies = [(p, p.grad.copy()) for p in model.params()]
        factor = self.factor

        class Pending:
            def finish(self):
                for param, grad in copies:
                    param.grad = grad * factor
        return Pending()


def linear_problem():
    numpy.random.seed(0)
    model = L.Linear(None, 2)   # lazily shaped
    x = numpy.ones((1, 3), numpy.float32)

    def loss():
        return dynet.functions.sum(model(x))
    return model, loss


def test_multi_node_optimizer_broadcasts_first_then_averages():
    comm = FakeCommunicator()
    model, loss = linear_problem()
    optimizer = dd.create_multi_node_optimizer(
        dynet.optimizers.SGD(lr=1.0), comm, zero_fill=False)
    assert optimizer.setup(model) is optimizer
    optimizer.update(loss)        # initializes W lazily: broadcast only
    assert comm.calls == ['bcast_data'] and optimizer.t == 0
    before = model.W.array.copy()
    optimizer.update(loss)
    assert comm.calls[1:] == [('mean', False)] and optimizer.t == 1
    # d(sum(Wx + b))/dW = 1 for every element; halved by the 'mean'.
    numpy.testing.assert_allclose(model.W.array, before - 0.5)


def test_multi_node_optimizer_forwards_attributes():
    optimizer = dd.create_multi_node_optimizer(dynet.optimizers.SGD(lr=0.1),
                                               FakeCommunicator())
    model, _ = linear_problem()
    optimizer.setup(model)
    assert optimizer.lr == 0.1
    optimizer.lr = 0.25
    assert optimizer.actual_optimizer.lr == 0.25
    assert optimizer.target is model
    assert optimizer.zero_fill is True


def test_needs_broadcast_false_skips_the_broadcast():
    comm = FakeCommunicator()
    model, loss = linear_problem()
    model(numpy.ones((1, 3), numpy.float32))   # initialize
    optimizer = dd.create_multi_node_optimizer(dynet.optimizers.SGD(),
                                               comm).setup(model)
    assert optimizer.needs_broadcast
    optimizer.needs_broadcast = False   # as checkpointer.maybe_load does
    assert not optimizer.needs_broadcast
    optimizer.update(loss)
    assert comm.calls == [('mean', True)] and optimizer.t == 1


def test_double_buffering_updates_with_the_previous_gradients():
    comm = FakeCommunicator(factor=1.0)
    model, _ = linear_problem()
    x = numpy.ones((1, 3), numpy.float32)
    optimizer = dd.create_multi_node_optimizer(
        dynet.optimizers.SGD(lr=1.0), comm, double_buffering=True)
    optimizer.setup(model)
    scale = [1.0]

    def loss():
        return dynet.functions.sum(model(x)) * scale[0]
    optimizer.update(loss)                  # broadcast
    optimizer.update(loss)                  # starts averaging, no update
    assert optimizer.t == 0
    start = model.b.array.copy()
    scale[0] = 10.0
    optimizer.update(loss)   # uses the previous gradient (scale 1)
    assert optimizer.t == 1
    numpy.testing.assert_allclose(model.b.array, start - 1.0)
    assert comm.calls == ['bcast_data', 'start', 'start']


@pytest.mark.parametrize('args,error,words', [
    ((dynet.optimizers.SGD(), object()), TypeError, ['communicator']),
    ((object(), FakeCommunicator()), TypeError, ['actual_optimizer']),
])
def test_create_multi_node_optimizer_bad_arguments(args, error, words):
    with pytest.raises(error) as info:
        dd.create_multi_node_optimizer(*args)
    assert 'create_multi_node_optimizer' in str(info.value)
    for word in words:
        assert word in str(info.value)


def test_double_buffering_needs_support_from_the_communicator():
    class NoBackgroundAverage(dd.CommunicatorBase):
        pass
    with pytest.raises(ValueError, match='double buffering'):
        dd.create_multi_node_optimizer(dynet.optimizers.SGD(),
                                       NoBackgroundAverage(),
                                       double_buffering=True)


class SummingCommunicator(FakeCommunicator):
    """Pretends to be rank 0 of 2 whose partner reports the same
    values."""

    size = 2

    def allgather_obj(self, obj):
        return [obj, obj]

    def allreduce(self, x):
        return x * 2


def test_mean_over_ranks_keeps_float_dtypes():
    result = multi_node_evaluator.mean_over_ranks(
        {'a': numpy.float32(1.5), 'b': 3, 'c': numpy.array(2.0)},
        SummingCommunicator())
    assert result == {'a': 1.5, 'b': 3.0, 'c': 2.0}
    assert type(result['a']) is numpy.float32
    assert type(result['b']) is numpy.float64


def test_mean_over_ranks_rejects_non_scalars():
    with pytest.raises(ValueError, match="'a' must be a real scalar"):
        multi_node_evaluator.mean_over_ranks({'a': numpy.zeros(2)},
                                             SummingCommunicator())


def test_create_multi_node_evaluator_bad_arguments():
    with pytest.raises(TypeError, match='communicator must be'):
        dd.create_multi_node_evaluator(object(), object())
    with pytest.raises(TypeError, match='evaluate'):
        dd.create_multi_node_evaluator(object(), FakeCommunicator())


def test_global_except_hook_add_and_remove():
    original = sys.excepthook
    try:
        global_except_hook.add_hook()
        assert sys.excepthook is global_except_hook._abort_hook
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            global_except_hook.add_hook()
        assert any('already' in str(w.message) for w in caught)
        global_except_hook.remove_hook()
        assert sys.excepthook is original
    finally:
        sys.excepthook = original
