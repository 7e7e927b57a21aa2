"""ManualScheduleTrigger, OnceTrigger and TimeTrigger."""
import pytest

from dynet import serializers
from dynet.training import triggers


class _Updater:
    """Counts like StandardUpdater over a dataset of ``n`` examples taken
    ``batch`` at a time."""

    def __init__(self, n=10, batch=4):
        self.n = n
        self.batch = batch
        self.iteration = 0
        self.previous_epoch_detail = None

    @property
    def epoch_detail(self):
        return self.iteration * self.batch / self.n

    @property
    def epoch(self):
        return int(self.epoch_detail)

    def update(self):
        self.previous_epoch_detail = self.epoch_detail
        self.iteration += 1


class _Trainer:
    def __init__(self, updater=None):
        self.updater = updater or _Updater()
        self.elapsed_time = 0.0
        self.observation = {}


def _fired(trigger, trainer, iterations):
    fired = []
    for _ in range(iterations):
        trainer.updater.update()
        if trigger(trainer):
            fired.append(trainer.updater.iteration)
    return fired


def _round_trip(trigger, fresh):
    saver = serializers.DictionarySerializer()
    saver.save(trigger)
    serializers.NpzDeserializer(saver.target).load(fresh)
    return fresh


def test_manual_schedule_iterations():
    trigger = triggers.ManualScheduleTrigger([2, 5, 6], 'iteration')
    trainer = _Trainer()
    assert not trigger.finished
    assert _fired(trigger, trainer, 5) == [2, 5]
    assert not trigger.finished
    assert _fired(trigger, trainer, 5) == [6]
    assert trigger.finished


def test_manual_schedule_epochs_including_fractional_points():
    # epoch_detail goes 0.4, 0.8, 1.2, 1.6, 2.0, 2.4, ...
    trigger = triggers.ManualScheduleTrigger([1, 1.5, 2], 'epoch')
    assert _fired(trigger, _Trainer(), 10) == [3, 4, 5]
    single = triggers.ManualScheduleTrigger(2, 'epoch')
    assert single.points == [2]
    with pytest.raises(ValueError):
        triggers.ManualScheduleTrigger([1], 'second')


def test_manual_schedule_resume():
    trigger = triggers.ManualScheduleTrigger([3, 7], 'iteration')
    trainer = _Trainer()
    assert _fired(trigger, trainer, 4) == [3]
    fresh = _round_trip(trigger, triggers.ManualScheduleTrigger(
        [3, 7], 'iteration'))
    assert _fired(fresh, trainer, 6) == [7]
    assert fresh.finished
    # a trigger never called resumes from the updater's position
    # (epoch 4.0 at iteration 10; epoch 5 is crossed at iteration 13)
    late = triggers.ManualScheduleTrigger([3, 5], 'epoch')
    trainer = _Trainer()
    trainer.updater.iteration = 10
    assert _fired(late, trainer, 5) == [13]


def test_once_trigger():
    trigger = triggers.OnceTrigger()
    trainer = _Trainer()
    assert not trigger.finished
    assert _fired(trigger, trainer, 3) == [1]
    assert trigger.finished
    fresh = _round_trip(trigger, triggers.OnceTrigger())
    assert fresh.finished and _fired(fresh, trainer, 2) == []
    again = _round_trip(trigger, triggers.OnceTrigger(call_on_resume=True))
    assert not again.finished
    assert _fired(again, trainer, 2) == [6]


def test_time_trigger():
    trigger = triggers.TimeTrigger(1.5)
    trainer = _Trainer()
    fired = []
    for t in (0.5, 1.0, 1.6, 2.0, 3.1, 10.0, 10.1, 10.2):
        trainer.elapsed_time = t
        fired.append(trigger(trainer))
    # fires past 1.5 and 3.0; after the long pause it catches up once per
    # check (4.5, 6.0, ...)
    assert fired == [False, False, True, False, True, True, True, True]
    fresh = _round_trip(trigger, triggers.TimeTrigger(1.5))
    assert fresh._next_time == trigger._next_time == 9.0
    with pytest.raises(ValueError):
        triggers.TimeTrigger(0)


def test_get_trigger_still_works():
    assert isinstance(triggers.get_trigger((2, 'epoch')),
                      triggers.IntervalTrigger)
    t = triggers.ManualScheduleTrigger(1, 'epoch')
    assert triggers.get_trigger(t) is t
    assert triggers.get_trigger(None)(None) is False
