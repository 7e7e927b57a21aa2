"""Deterministic per-rank inputs, shared by the MPI scripts (which compute
with them) and the tests (which compute the expected results)."""
import numpy

import dynet
import dynet.links as L

RAGGED_DTYPES = (numpy.float32, numpy.int64, numpy.float16)


def array(rank):
    return numpy.arange(6, dtype=numpy.float32).reshape(2, 3) * (rank + 1) \
        + rank


def ragged(rank):
    """Shape and dtype differ from rank to rank."""
    dtype = RAGGED_DTYPES[rank % len(RAGGED_DTYPES)]
    return (numpy.arange(rank + 1) + 10 * rank).astype(dtype)


def message(rank):
    return (numpy.arange(3, dtype=numpy.float64) * rank,
            numpy.array([rank, -rank], dtype=numpy.int8),
            numpy.array([True, rank % 2 == 1]))


def alltoall_piece(source, dest):
    return numpy.full((dest + 1, source + 1), source * 10 + dest,
                      dtype=numpy.float32)


class TwoLayers(dynet.Chain):

    def __init__(self, dtype):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 2, initialW=0.5, initial_bias=0.0)
            self.l2 = L.Linear(2, 2, initialW=0.5, initial_bias=0.0)
            self.unused = L.Linear(2, 1, initialW=0.5, initial_bias=0.0)
        for param in self.params():
            param.array = param.array.astype(dtype)


def model_with_grads(rank, dtype=numpy.float32):
    """Gradients that depend on the rank; ``l2/b`` has none on rank 0 and
    ``unused`` has none anywhere (zero_fill counts them as zeros)."""
    model = TwoLayers(dtype)
    for index, (name, param) in enumerate(sorted(model.namedparams())):
        if name.startswith('/unused') or (name == '/l2/b' and rank == 0):
            param.grad = None
            continue
        values = numpy.arange(param.array.size).reshape(param.array.shape)
        param.grad = (values * (rank + 1) + index - rank * 0.25).astype(dtype)
    return model


def grads(model):
    return {name: None if param.grad is None else param.grad.copy()
            for name, param in model.namedparams()}


def expected_means(size, dtype=numpy.float32):
    """The mean over ``size`` ranks of ``model_with_grads``'s gradients
    (missing ones count as zero), in float64."""
    per_rank = [grads(model_with_grads(r, dtype)) for r in range(size)]
    shapes = {name: p.shape for name, p in
              model_with_grads(0, dtype).namedparams()}
    means = {}
    for name, shape in shapes.items():
        total = numpy.zeros(shape)
        for rank_grads in per_rank:
            if rank_grads[name] is not None:
                total = total + rank_grads[name].astype(numpy.float64)
        means[name] = total / size
    return means
