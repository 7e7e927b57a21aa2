"""The MNIST-sized MLP and random data of the data-parallel test, shared by
the MPI script and the single-process reference in the test."""
import numpy

import dynet
import dynet.functions as F
import dynet.links as L

N_IN, N_HIDDEN, N_OUT = 784, 32, 10


class MLP(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            # Lazily shaped first layer: the multi-node optimizer must
            # broadcast once it is initialized.
            self.l1 = L.Linear(None, N_HIDDEN)
            self.l2 = L.Linear(N_HIDDEN, N_HIDDEN)
            self.l3 = L.Linear(N_HIDDEN, N_OUT)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


def make_model(seed):
    """A classifier whose weights come from ``numpy.random.seed(seed)``
    (drawn at construction and at the first forward pass)."""
    numpy.random.seed(seed)
    return L.Classifier(MLP())


def data(n_examples):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (n_examples, N_IN)).astype(numpy.float32)
    t = rng.randint(0, N_OUT, n_examples).astype(numpy.int32)
    return x, t


def global_batch(x, t, iteration, batch_per_rank, size):
    """The examples of one step over all ranks (the concatenation of the
    ranks' batches)."""
    start = iteration * batch_per_rank * size
    stop = start + batch_per_rank * size
    return x[start:stop], t[start:stop]


def rank_batch(x, t, iteration, batch_per_rank, size, rank):
    gx, gt = global_batch(x, t, iteration, batch_per_rank, size)
    part = slice(rank * batch_per_rank, (rank + 1) * batch_per_rank)
    return gx[part], gt[part]


def make_optimizer():
    return dynet.optimizers.MomentumSGD(lr=0.1, momentum=0.9)


def params(model):
    return {name: param.array.copy() for name, param in model.namedparams()}
