import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, training


class Regressor(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l = L.Linear(2, 1, initialW=numpy.zeros((1, 2), 'f'))

    def forward(self, x, t):
        loss = F.sum((self.l(x) - t) ** 2) / len(x)
        dynet.report({'loss': loss}, self)
        return loss


def _trainer(tmp_path, stop=(3, 'epoch'), batch=4, n=8):
    rng = numpy.random.RandomState(0)
    x = rng.randn(n, 2).astype(numpy.float32)
    t = (x @ numpy.array([[2.0], [1.5]], numpy.float32) + 0.5)
    model = Regressor()
    optimizer = optimizers.SGD(0.1).setup(model)
    iterator = iterators.SerialIterator(list(zip(x, t)), batch,
                                        shuffle=False)
    updater = training.StandardUpdater(iterator, optimizer)
    return training.Trainer(updater, stop, out=str(tmp_path / 'out')), model


def test_run_calls_in_documented_order(tmp_path):
    trainer, _ = _trainer(tmp_path, stop=(2, 'iteration'))
    calls = []

    class Recorder(training.Extension):
        def __init__(self, tag, priority):
            self.tag = tag
            self.priority = priority

        def initialize(self, trainer):
            calls.append(('init', self.tag))

        def __call__(self, trainer):
            calls.append(('call', self.tag, trainer.updater.iteration))

        def finalize(self):
            calls.append(('finalize', self.tag))

    trainer.extend(Recorder('reader', training.PRIORITY_READER), name='r')
    trainer.extend(Recorder('writer', training.PRIORITY_WRITER), name='w')
    trainer.run()
    assert calls == [
        ('init', 'writer'), ('init', 'reader'),
        ('call', 'writer', 1), ('call', 'reader', 1),
        ('call', 'writer', 2), ('call', 'reader', 2),
        ('finalize', 'writer'), ('finalize', 'reader')]
    assert (tmp_path / 'out').is_dir()
    with pytest.raises(RuntimeError, match='runs once'):
        trainer.run()


def test_observation_is_reported_by_link_name(tmp_path):
    trainer, _ = _trainer(tmp_path, stop=(1, 'iteration'))
    seen = []
    trainer.extend(lambda t: seen.append(sorted(t.observation)),
                   name='look')
    trainer.run()
    assert seen == [['main/loss']]


def test_training_converges_and_counts_epochs(tmp_path):
    trainer, model = _trainer(tmp_path, stop=(60, 'epoch'))
    trainer.run()
    numpy.testing.assert_allclose(model.l.W.array, [[2.0, 1.5]], atol=1e-2)
    updater = trainer.updater
    assert updater.iteration == 120 and updater.epoch == 60
    assert updater.get_optimizer('main').epoch == 60
    assert trainer.elapsed_time > 0


def test_error_calls_on_error_then_finalize_and_reraises(tmp_path):
    trainer, _ = _trainer(tmp_path, stop=(5, 'iteration'))
    calls = []

    class Failing(training.Extension):
        def __call__(self, trainer):
            if trainer.updater.iteration == 2:
                raise ValueError('boom')

        def on_error(self, trainer, exc, tb):
            calls.append(('on_error', str(exc)))

        def finalize(self):
            calls.append('finalize')

    trainer.extend(Failing())
    with pytest.raises(ValueError, match='boom'):
        trainer.run(show_loop_exception_msg=False)
    assert calls == [('on_error', 'boom'), 'finalize']


def test_extend_names_triggers_and_priorities(tmp_path):
    trainer, _ = _trainer(tmp_path, stop=(4, 'iteration'))
    counts = {'a': 0}

    @training.make_extension(trigger=(2, 'iteration'), default_name='ext')
    def every_two(trainer):
        counts['a'] += 1

    trainer.extend(every_two)
    trainer.extend(every_two)
    assert trainer.get_extension('ext') is every_two
    assert trainer.get_extension('ext_1') is every_two
    with pytest.raises(ValueError, match='not found'):
        trainer.get_extension('missing')
    with pytest.raises(TypeError, match='unexpected arguments'):
        trainer.extend(every_two, invalid=1)
    trainer.run()
    assert counts['a'] == 4  # two registrations x iterations 2 and 4


def test_call_before_training(tmp_path):
    trainer, _ = _trainer(tmp_path, stop=(1, 'iteration'))
    iterations = []
    trainer.extend(lambda t: iterations.append(t.updater.iteration),
                   name='x', call_before_training=True)
    trainer.run()
    assert iterations == [0, 1]


def test_serialize_round_trip_with_dict_serializer(tmp_path):
    store = {}

    class Writer:
        def __init__(self, prefix=''):
            self.prefix = prefix

        def __getitem__(self, key):
            return type(self)(self.prefix + key + '/')

        def __call__(self, key, value):
            store[self.prefix + key] = value.copy() if hasattr(
                value, 'copy') else value
            return value

    class Reader(Writer):
        def __call__(self, key, value):
            stored = store[self.prefix + key]
            if isinstance(value, numpy.ndarray):
                value[...] = stored
                return value
            return stored

    trainer, model = _trainer(tmp_path, stop=(3, 'iteration'))
    trainer.run()
    trainer.serialize(Writer())
    assert store['updater/iteration'] == 3
    assert 'updater/model:main/l/W' in store
    resumed, resumed_model = _trainer(tmp_path, stop=(3, 'iteration'))
    resumed.serialize(Reader())
    assert resumed.updater.iteration == 3
    numpy.testing.assert_array_equal(resumed_model.l.W.array,
                                     model.l.W.array)


def test_interval_trigger_and_get_trigger():
    class FakeUpdater:
        iteration = 0
        epoch_detail = 0.0
        previous_epoch_detail = None

    class FakeTrainer:
        updater = FakeUpdater()

    trigger = training.get_trigger((3, 'iteration'))
    fired = []
    for i in range(1, 8):
        FakeTrainer.updater.iteration = i
        fired.append(trigger(FakeTrainer))
    assert fired == [False, False, True, False, False, True, False]
    epoch = training.get_trigger((1, 'epoch'))
    FakeTrainer.updater.previous_epoch_detail = 0.75
    FakeTrainer.updater.epoch_detail = 1.25
    assert epoch(FakeTrainer)
    FakeTrainer.updater.previous_epoch_detail = 1.25
    FakeTrainer.updater.epoch_detail = 1.75
    assert not epoch(FakeTrainer)
    assert training.get_trigger(None)(FakeTrainer) is False
    with pytest.raises(ValueError, match="'iteration' or 'epoch'"):
        training.get_trigger((1, 'second'))
    with pytest.raises(TypeError, match='period, unit'):
        training.get_trigger(5)
