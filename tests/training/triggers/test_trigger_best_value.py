"""BestValueTrigger, MinValueTrigger, MaxValueTrigger and
EarlyStoppingTrigger."""
import io

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, serializers, training
from dynet.training import extensions, triggers


class _Updater:
    def __init__(self):
        self.iteration = 0
        self.epoch = 0

    @property
    def epoch_detail(self):
        return self.iteration / 2  # two iterations an epoch

    @property
    def previous_epoch_detail(self):
        return (self.iteration - 1) / 2 if self.iteration else None


class _Trainer:
    def __init__(self):
        self.updater = _Updater()
        self.observation = {}


def _run(trigger, values, key='main/loss', trainer=None):
    """Feeds one value per iteration; returns the iterations that
    fired."""
    trainer = trainer or _Trainer()
    fired = []
    for value in values:
        trainer.updater.iteration += 1
        trainer.updater.epoch = int(trainer.updater.epoch_detail)
        trainer.observation = {} if value is None else {key: value}
        if trigger(trainer):
            fired.append(trainer.updater.iteration)
    return fired


def test_min_and_max_value_triggers_use_interval_means():
    # epoch means: 3, 2.5, 4, 1
    values = [2, 4, 3, 2, 5, 3, 0, 2]
    assert _run(triggers.MinValueTrigger('main/loss'), values) == [2, 4, 8]
    assert _run(triggers.MaxValueTrigger('main/loss'), values) == [2, 6]
    assert _run(triggers.MaxValueTrigger('main/loss', (1, 'iteration')),
                values) == [1, 2, 5]


def test_best_value_trigger_custom_compare_and_missing_key():
    trigger = triggers.BestValueTrigger(
        'main/loss', lambda best, new: abs(new) < abs(best),
        (1, 'iteration'))
    assert _run(trigger, [-5, 3, -4, 1]) == [1, 2, 4]
    assert trigger.best_value == 1
    with pytest.raises(KeyError, match='main/loss'):
        _run(triggers.MinValueTrigger('main/loss'), [None, None])


def test_best_value_serialize_round_trip():
    trigger = triggers.MinValueTrigger('main/loss')
    trainer = _Trainer()
    _run(trigger, [3, 1, 7], trainer=trainer)  # best 2, half an epoch in
    saver = serializers.DictionarySerializer()
    saver.save(trigger)
    fresh = triggers.MinValueTrigger('main/loss')
    serializers.NpzDeserializer(saver.target).load(fresh)
    assert fresh.best_value == 2.0
    # (7 + 0) / 2 = 3.5: not better; (1 + 0) / 2 after a fresh epoch is
    assert _run(fresh, [0, 1, 0], trainer=trainer) == [6]
    # a trigger that has never fired saves its empty best value too
    saver = serializers.DictionarySerializer()
    saver.save(triggers.MaxValueTrigger('x'))
    empty = triggers.MaxValueTrigger('x')
    empty._best_value = 5.0
    serializers.NpzDeserializer(saver.target).load(empty)
    assert empty.best_value is None


def test_early_stopping_patience_and_modes():
    # epoch means of the loss: 5, 4, 4.5, 4.2, 4.1, ...
    values = [5, 5, 4, 4, 4.5, 4.5, 4.2, 4.2, 4.1, 4.1, 3, 3]
    trigger = triggers.EarlyStoppingTrigger(patience=3)
    assert trigger.patience == 3 and trigger.mode == 'min'
    assert _run(trigger, values)[:1] == [10]
    trigger = triggers.EarlyStoppingTrigger(patients=2)
    assert _run(trigger, values)[:1] == [8]
    auto = triggers.EarlyStoppingTrigger(monitor='validation/main/accuracy')
    assert auto.mode == 'max'
    acc = [0.1, 0.1, 0.5, 0.5, 0.4, 0.4, 0.3, 0.3, 0.2, 0.2, 0.9, 0.9]
    assert _run(auto, acc, key='validation/main/accuracy')[:1] == [10]
    with pytest.raises(ValueError):
        triggers.EarlyStoppingTrigger(mode='best')
    with pytest.raises(TypeError):
        triggers.EarlyStoppingTrigger(patience=2, patients=2)


def test_early_stopping_max_trigger_and_training_length():
    trigger = triggers.EarlyStoppingTrigger(max_trigger=(3, 'iteration'))
    assert trigger.get_training_length() == (3, 'iteration')
    assert _run(trigger, [5, 4, 3, 2]) == [3]


def test_early_stopping_warns_when_the_monitor_is_missing():
    trigger = triggers.EarlyStoppingTrigger(monitor='nothing')
    with pytest.warns(UserWarning, match='nothing'):
        assert _run(trigger, [1, 2, 3, 4]) == []


def test_early_stopping_serialize():
    trigger = triggers.EarlyStoppingTrigger(patience=2)
    trainer = _Trainer()
    _run(trigger, [5, 5, 6, 6, 7], trainer=trainer)
    assert trigger.count == 1 and trigger.best == 5
    saver = serializers.DictionarySerializer()
    saver.save(trigger)
    fresh = triggers.EarlyStoppingTrigger(patience=2)
    serializers.NpzDeserializer(saver.target).load(fresh)
    assert (fresh.count, fresh.best) == (1, 5)
    assert _run(fresh, [7], trainer=trainer) == [6]
    # snapshots without these entries (as Chainer writes) load
    serializers.NpzDeserializer({}).load(triggers.EarlyStoppingTrigger())


class Regressor(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(2, 1, initialW=numpy.zeros((1, 2), 'f'))

    def forward(self, x, t):
        loss = F.sum((self.fc(x) - t) ** 2) / len(x)
        dynet.report({'loss': loss}, self)
        return loss


def test_early_stopping_stops_a_real_training(tmp_path):
    rng = numpy.random.RandomState(0)
    x = rng.randn(8, 2).astype(numpy.float32)
    t = rng.randn(8, 1).astype(numpy.float32)  # noise: cannot improve long
    model = Regressor()
    optimizer = optimizers.SGD(0.5).setup(model)
    it = iterators.SerialIterator(list(zip(x, t)), 4, shuffle=False)
    updater = training.StandardUpdater(it, optimizer)
    stop = triggers.EarlyStoppingTrigger(monitor='main/loss', patience=2,
                                         max_trigger=(50, 'epoch'))
    trainer = training.Trainer(updater, stop, out=str(tmp_path))
    out = io.StringIO()
    trainer.extend(extensions.ProgressBar(update_interval=1000, out=out))
    trainer.run()
    assert 2 <= updater.epoch < 50
    assert stop.count == 2
