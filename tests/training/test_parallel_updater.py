"""ParallelUpdater with two CPU "devices" in one process.

Reference: a StandardUpdater on the whole batch. As in Chainer, the
gradients of the models are summed, so with mean losses and two equal
shares the master's gradient is twice the whole-batch gradient; SGD with
lr / 2 (or Adam, whose step ignores that factor once eps is doubled)
then gives the StandardUpdater's parameters up to rounding.
"""
import json

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, serializers, training
from dynet.datasets import TupleDataset
from dynet.training import extensions
from dynet.training.updaters import ParallelUpdater, StandardUpdater

N = 48
BATCH = 12


class MLP(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, 7)   # lazily initialized
            self.l2 = L.Linear(7, 3)

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


def _dataset():
    rng = numpy.random.RandomState(3)
    x = rng.randn(N, 5).astype(numpy.float32)
    t = rng.randint(0, 3, N).astype(numpy.int32)
    return TupleDataset(x, t)


def _params(model):
    return {name: p.array.copy() for name, p in model.namedparams()}


def _run(kind, opt='sgd', steps=4, loss_scale=None, lr=0.1):
    numpy.random.seed(7)
    model = L.Classifier(MLP())
    if opt == 'sgd':
        optimizer = optimizers.SGD(lr=lr if kind == 'standard' else lr / 2)
    elif opt == 'momentum':
        optimizer = optimizers.MomentumSGD(
            lr=lr if kind == 'standard' else lr / 2)
    else:
        optimizer = optimizers.Adam()
        if kind != 'standard':
            optimizer.eps *= 2
    optimizer.setup(model)
    iterator = iterators.SerialIterator(_dataset(), BATCH, shuffle=False)
    if kind == 'standard':
        updater = StandardUpdater(iterator, optimizer, loss_scale=loss_scale)
    else:
        updater = ParallelUpdater(
            iterator, optimizer, devices={'main': '@numpy', 'second': -1},
            loss_scale=loss_scale)
    for _ in range(steps):
        updater.update()
    return model, updater


@pytest.mark.parametrize('opt', ['sgd', 'momentum', 'adam'])
def test_two_cpu_devices_match_standard_updater(opt):
    standard, _ = _run('standard', opt)
    parallel, updater = _run('parallel', opt)
    expected = _params(standard)
    for name, value in _params(parallel).items():
        numpy.testing.assert_allclose(value, expected[name], rtol=1e-5,
                                      atol=1e-6, err_msg=name)
    assert updater.iteration == 4


def test_gradients_are_summed_not_averaged():
    # One step; the gradients stay in the parameters after the update.
    standard, _ = _run('standard', steps=1)
    parallel, _ = _run('parallel', steps=1)
    expected = {name: p.grad for name, p in standard.namedparams()}
    for name, param in parallel.namedparams():
        numpy.testing.assert_allclose(param.grad, 2 * expected[name],
                                      rtol=1e-5, atol=1e-6, err_msg=name)


def test_other_model_is_a_synchronized_deep_copy():
    model, updater = _run('parallel', steps=2)
    other = updater._models['second']
    assert other is not model
    assert updater._models['main'] is model
    for (name, p), (_, q) in zip(model.namedparams(), other.namedparams()):
        assert p is not q and p.array is not q.array
        numpy.testing.assert_array_equal(p.array, q.array, err_msg=name)


def test_batch_is_dealt_out_round_robin():
    seen = {}

    class Recorder(dynet.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.w = dynet.Parameter(numpy.ones(1, numpy.float32))

        def forward(self, x):
            seen[id(self)] = x.copy()
            return F.sum(x * F.broadcast_to(self.w, x.shape))

    model = Recorder()
    optimizer = optimizers.SGD(0.0).setup(model)
    data = numpy.arange(5, dtype=numpy.float32)
    iterator = iterators.SerialIterator(data, 5, shuffle=False)
    updater = ParallelUpdater(iterator, optimizer,
                              devices={'main': -1, 'b': -1, 'c': -1})
    updater.update()
    by_name = {name: seen[id(m)] for name, m in updater._models.items()}
    numpy.testing.assert_array_equal(by_name['main'], [0, 3])
    numpy.testing.assert_array_equal(by_name['b'], [1, 4])
    numpy.testing.assert_array_equal(by_name['c'], [2])


def test_short_batch_leaves_a_device_out():
    numpy.random.seed(0)
    model = L.Classifier(MLP())
    optimizer = optimizers.SGD(0.1).setup(model)
    dataset = _dataset()[:13]
    iterator = iterators.SerialIterator(dataset, 12, repeat=False,
                                        shuffle=False)
    updater = ParallelUpdater(iterator, optimizer,
                              devices={'main': -1, 'second': -1})
    updater.update()
    updater.update()  # one example: only 'main' computes
    assert updater.iteration == 2


def test_explicit_models_and_inferred_devices():
    numpy.random.seed(0)
    model = L.Classifier(MLP())
    replica = L.Classifier(MLP())
    optimizer = optimizers.SGD(0.05).setup(model)
    iterator = iterators.SerialIterator(_dataset(), BATCH, shuffle=False)
    updater = ParallelUpdater(iterator, optimizer,
                              models={'main': model, 'rep': replica})
    assert all(isinstance(d, dynet.backend.CpuDevice)
               for d in updater._devices.values())
    updater.update()
    for (_, p), (_, q) in zip(model.namedparams(), replica.namedparams()):
        numpy.testing.assert_array_equal(p.array, q.array)


def test_loss_scale_gives_the_same_update():
    plain, _ = _run('parallel', steps=2)
    scaled, updater = _run('parallel', steps=2, loss_scale=128.)
    expected = _params(plain)
    for name, value in _params(scaled).items():
        numpy.testing.assert_allclose(value, expected[name], rtol=1e-5,
                                      atol=1e-6, err_msg=name)


def test_custom_loss_func_and_dict_examples():
    numpy.random.seed(0)
    model = MLP()
    optimizer = optimizers.SGD(0.1).setup(model)
    base = _dataset()
    data = [{'x': base[i][0], 't': base[i][1]} for i in range(N)]
    calls = []

    def loss_func(x, t):
        calls.append(len(x))
        return F.softmax_cross_entropy(model(x), t)

    iterator = iterators.SerialIterator(data, BATCH, shuffle=False)
    updater = ParallelUpdater(iterator, optimizer, loss_func=loss_func,
                              devices={'main': '@numpy', 'second': -1})
    updater.update()
    assert calls == [BATCH // 2, BATCH // 2]


def test_argument_errors():
    model = L.Classifier(MLP())
    optimizer = optimizers.SGD().setup(model)
    iterator = iterators.SerialIterator(_dataset(), BATCH)
    with pytest.raises(ValueError):
        ParallelUpdater(iterator, optimizer)
    with pytest.raises(KeyError):
        ParallelUpdater(iterator, optimizer, devices={'a': -1, 'b': -1})
    with pytest.raises(KeyError):
        ParallelUpdater(iterator, optimizer, models={'main': model},
                        devices={'other': -1})


def test_new_epoch_is_signalled():
    model = L.Classifier(MLP())
    optimizer = optimizers.SGD(0.1).setup(model)
    iterator = iterators.SerialIterator(_dataset(), 24, shuffle=False)
    updater = ParallelUpdater(iterator, optimizer,
                              devices={'main': -1, 'second': -1})
    updater.update()
    assert optimizer.epoch == 0
    updater.update()
    assert optimizer.epoch == 1


def _trainer(out, epochs):
    numpy.random.seed(11)
    model = L.Classifier(MLP())
    optimizer = optimizers.Adam().setup(model)
    iterator = iterators.SerialIterator(_dataset(), BATCH)
    updater = ParallelUpdater(iterator, optimizer,
                              devices={'main': -1, 'second': -1})
    trainer = training.Trainer(updater, (epochs, 'epoch'), out=str(out))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.snapshot(), trigger=(1, 'epoch'))
    return trainer, model, updater


def test_trainer_reports_each_model_and_resumes(tmp_path):
    trainer, model, _ = _trainer(tmp_path / 'a', 2)
    trainer.run()
    log = json.loads((tmp_path / 'a' / 'log').read_text())
    assert len(log) == 2
    assert 'main/loss' in log[0] and 'second/loss' in log[0]
    assert 'second/accuracy' in log[0]

    # Resume from the epoch-1 snapshot: same parameters at the end, and
    # the loaded values reach the second model at once.
    resumed, model2, updater2 = _trainer(tmp_path / 'b', 2)
    serializers.load_npz(str(tmp_path / 'a' / 'snapshot_iter_4'), resumed)
    other = updater2._models['second']
    for (_, p), (_, q) in zip(model2.namedparams(), other.namedparams()):
        numpy.testing.assert_array_equal(p.array, q.array)
    assert updater2.iteration == 4
    resumed.run()
    expected = _params(model)
    for name, value in _params(model2).items():
        numpy.testing.assert_allclose(value, expected[name], rtol=1e-6,
                                      atol=1e-7, err_msg=name)


def test_exported_like_chainer():
    assert training.ParallelUpdater is ParallelUpdater
    assert training.updaters.ParallelUpdater is ParallelUpdater
