import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, serializers, training
from dynet.training import extensions


class Net(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(2, 3)
            self.l2 = L.Linear(3, 1)

    def forward(self, x, t):
        loss = F.sum((self.l2(self.l1(x)) - t) ** 2) / len(x)
        dynet.report({'loss': loss}, self)
        return loss


class Model(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.predictor = Net()

    def forward(self, x, t):
        return self.predictor(x, t)


def _trainer(out, model, stop=(2, 'iteration')):
    rng = numpy.random.RandomState(0)
    x = rng.randn(8, 2).astype(numpy.float32)
    t = x @ numpy.array([[2.0], [1.5]], numpy.float32) + 0.5
    optimizer = optimizers.SGD(0.01).setup(model)
    it = iterators.SerialIterator(list(zip(x, t)), 4, shuffle=False)
    updater = training.StandardUpdater(it, optimizer)
    return training.Trainer(updater, stop, out=str(out))


class Grab(training.Extension):
    priority = training.PRIORITY_READER

    def __init__(self):
        self.observations = []

    def __call__(self, trainer):
        self.observations.append(dict(trainer.observation))


def test_default_keys_and_values(tmp_path):
    model = Model()
    trainer = _trainer(tmp_path, model, stop=(1, 'iteration'))
    stats = extensions.ParameterStatistics(model.predictor,
                                           trigger=(1, 'iteration'))
    assert stats.default_name == 'parameter_statistics'
    assert stats.priority == training.PRIORITY_WRITER
    grab = Grab()
    trainer.extend(stats)
    trainer.extend(grab)
    trainer.run()
    observation = grab.observations[0]
    keys = {k for k in observation if not k.startswith('main/')}
    expected = set()
    for param in ('l1/W', 'l1/b', 'l2/W', 'l2/b'):
        for attr in ('data', 'grad'):
            base = 'predictor/{}/{}/'.format(param, attr)
            expected |= {base + s for s in
                         ('mean', 'std', 'min', 'max', 'zeros')}
            expected |= {base + 'percentile/{}'.format(i)
                         for i in range(7)}
    assert keys == expected
    W = model.predictor.l1.W
    numpy.testing.assert_allclose(
        observation['predictor/l1/W/data/mean'], W.array.mean(), rtol=1e-6)
    numpy.testing.assert_allclose(
        observation['predictor/l1/W/grad/std'], W.grad.std(), rtol=1e-6)
    numpy.testing.assert_allclose(
        observation['predictor/l1/W/data/max'], W.array.max())
    numpy.testing.assert_allclose(
        [observation['predictor/l1/W/data/percentile/{}'.format(i)]
         for i in range(7)],
        numpy.percentile(W.array.ravel(),
                         (0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87)),
        rtol=1e-6)
    b = model.predictor.l1.b.array
    assert observation['predictor/l1/b/data/zeros'] == \
        numpy.count_nonzero(b == 0)


def test_root_link_prefix_and_custom_statistics(tmp_path):
    model = Model()
    trainer = _trainer(tmp_path, model, stop=(4, 'iteration'))
    stats = extensions.ParameterStatistics(
        model, statistics={'norm': lambda x: numpy.linalg.norm(x)},
        report_grads=False, prefix='stats', trigger=(2, 'iteration'))
    stats.register_statistics('first2', lambda x: x[:2])
    grab = Grab()
    trainer.extend(stats)
    trainer.extend(grab)
    trainer.run()
    reported = [sorted(k for k in o if k.startswith('stats/'))
                for o in grab.observations]
    assert reported[0] == [] and reported[2] == []
    # a root link has no name: Chainer writes 'None'
    expected = ['stats/None/predictor/{}/data/{}'.format(p, s)
                for p in ('l1/W', 'l1/b', 'l2/W')
                for s in ('norm', 'first2/0', 'first2/1')]
    # a statistic giving one value (l2/b has one element) keeps its key
    expected += ['stats/None/predictor/l2/b/data/norm',
                 'stats/None/predictor/l2/b/data/first2']
    assert reported[1] == sorted(expected)
    assert reported[3] == reported[1]


def test_mean_over_the_interval(tmp_path):
    model = Model()
    trainer = _trainer(tmp_path, model, stop=(3, 'iteration'))
    means = []
    trainer.extend(lambda t: means.append(
        float(model.predictor.l2.b.array[0])), name='rec',
        priority=training.PRIORITY_WRITER + 1)
    stats = extensions.ParameterStatistics(
        model.predictor.l2, statistics={'v': lambda x: x[0]},
        report_grads=False, trigger=(3, 'iteration'))
    grab = Grab()
    trainer.extend(stats)
    trainer.extend(grab)
    trainer.run()
    assert grab.observations[2]['l2/b/data/v'] == \
        pytest.approx(numpy.mean(means))


def test_skip_nan_params_and_uninitialized(tmp_path):
    model = Model()
    model.predictor.l1.W.array[0, 0] = numpy.nan
    lazy = L.Linear(None, 2)
    stats = extensions.ParameterStatistics(
        [model.predictor.l1, lazy], report_grads=False,
        skip_nan_params=True, trigger=(1, 'iteration'))

    class T:
        observation = {}

        class updater:
            iteration = 1
            epoch = 0
            epoch_detail = 0.5
            previous_epoch_detail = 0.0
            is_new_epoch = False

    reporter = dynet.Reporter()
    observation = {}
    with reporter.scope(observation):
        stats(T)
    assert numpy.isnan(observation['l1/W/data/mean'])
    assert all(numpy.isnan(observation['l1/W/data/percentile/{}'.format(i)])
               for i in range(7))
    assert observation['l1/b/data/zeros'] == 3
    # the uninitialized parameter has nothing to report
    assert not any(k.startswith('None/W/') for k in observation)
    assert observation['None/b/data/mean'] == 0


def test_serialize_round_trip():
    model = Model()
    stats = extensions.ParameterStatistics(model.predictor.l2,
                                           trigger=(5, 'iteration'))
    stats._summary.add({'l2/W/data/mean': 2.0})
    saver = serializers.DictionarySerializer()
    saver.save(stats)
    fresh = extensions.ParameterStatistics(model.predictor.l2,
                                           trigger=(5, 'iteration'))
    serializers.NpzDeserializer(saver.target).load(fresh)
    assert fresh._summary.compute_mean() == {'l2/W/data/mean': 2.0}
    # a snapshot without the entries (e.g. from Chainer) is accepted
    serializers.NpzDeserializer({}).load(
        extensions.ParameterStatistics(model))
