"""Tests of dynet.testing.get_trainer_with_mock_updater."""
import json
import os
from unittest import mock

import pytest

from dynet import testing
from dynet import training
from dynet.testing import training as training_helper
from dynet.training import extensions


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    # Trainer.run creates its ``out`` directory ('result') in the cwd.
    monkeypatch.chdir(tmp_path)


def _recorder(log):
    def record(trainer):
        u = trainer.updater
        log.append((u.iteration, u.epoch, u.epoch_detail,
                    u.previous_epoch_detail, u.is_new_epoch))
    return record


def test_returns_trainer_with_mock_updater():
    trainer = testing.get_trainer_with_mock_updater()
    assert isinstance(trainer, training.Trainer)
    assert isinstance(trainer.updater, mock.Mock)
    u = trainer.updater
    assert (u.iteration, u.epoch, u.epoch_detail, u.previous_epoch_detail,
            u.is_new_epoch) == (0, 0, 0, None, True)
    assert u.get_all_optimizers() == {}
    assert trainer.is_before_training


def test_default_stop_trigger_is_ten_iterations():
    trainer = testing.get_trainer_with_mock_updater()
    trainer.run()
    assert trainer.updater.iteration == 10
    assert trainer.updater.update_core.call_count == 10
    assert trainer.updater.epoch == 1
    trainer.updater.finalize.assert_called_once_with()


def test_counters_follow_iter_per_epoch():
    log = []
    trainer = testing.get_trainer_with_mock_updater(
        stop_trigger=(7, 'iteration'), iter_per_epoch=3)
    trainer.extend(_recorder(log), name='rec', trigger=(1, 'iteration'))
    trainer.run()
    assert log == [
        (1, 0, 1 / 3, 0.0, False),
        (2, 0, 2 / 3, 1 / 3, False),
        (3, 1, 1.0, 2 / 3, True),
        (4, 1, 4 / 3, 1.0, False),
        (5, 1, 5 / 3, 4 / 3, False),
        (6, 2, 2.0, 5 / 3, True),
        (7, 2, 7 / 3, 2.0, False),
    ]


def test_epoch_stop_trigger_and_epoch_interval():
    log = []
    trainer = testing.get_trainer_with_mock_updater(
        stop_trigger=(3, 'epoch'), iter_per_epoch=4)
    trainer.extend(_recorder(log), name='rec', trigger=(1, 'epoch'))
    trainer.run()
    assert trainer.updater.iteration == 12
    assert [entry[0] for entry in log] == [4, 8, 12]
    assert all(entry[4] for entry in log)


def test_update_can_be_called_directly():
    trainer = testing.get_trainer_with_mock_updater(iter_per_epoch=2)
    for _ in range(3):
        trainer.updater.update()
    u = trainer.updater
    assert (u.iteration, u.epoch, u.epoch_detail) == (3, 1, 1.5)
    assert u.previous_epoch_detail == 1.0
    assert u.is_new_epoch is False
    assert u.update_core.call_count == 3


def test_extensions_argument_registers_extensions():
    calls = []

    @training.make_extension(trigger=(5, 'iteration'))
    def every_five(trainer):
        calls.append(trainer.updater.iteration)

    trainer = testing.get_trainer_with_mock_updater(
        stop_trigger=(15, 'iteration'), extensions=[every_five])
    trainer.run()
    assert calls == [5, 10, 15]


def test_mock_optimizer_can_be_configured():
    trainer = testing.get_trainer_with_mock_updater()
    optimizer = mock.Mock()
    optimizer.lr = 0.1
    trainer.updater.get_optimizer.return_value = optimizer
    assert trainer.updater.get_optimizer('main') is optimizer
    trainer.updater.get_optimizer.assert_called_once_with('main')


def test_extension_driven_by_optimizer():
    # ExponentialShift reads and writes the optimizer's hyperparameter.
    from dynet import optimizers
    trainer = testing.get_trainer_with_mock_updater(
        stop_trigger=(3, 'iteration'))
    optimizer = optimizers.SGD(lr=1.0)
    trainer.updater.get_optimizer.return_value = optimizer
    trainer.extend(extensions.ExponentialShift('lr', 0.5),
                   trigger=(1, 'iteration'))
    trainer.run()
    assert optimizer.lr == pytest.approx(0.125)


def test_log_report_with_mock_trainer(tmp_path):
    trainer = testing.get_trainer_with_mock_updater(
        stop_trigger=(4, 'iteration'), iter_per_epoch=2)
    trainer.out = str(tmp_path / 'out')

    def report(trainer):
        from dynet import reporter
        reporter.report({'value': float(trainer.updater.iteration)})
    trainer.extend(report, name='report', trigger=(1, 'iteration'),
                   priority=training.PRIORITY_WRITER)
    trainer.extend(extensions.LogReport(trigger=(1, 'epoch')))
    trainer.run()
    with open(os.path.join(trainer.out, 'log')) as f:
        log = json.load(f)
    assert [entry['epoch'] for entry in log] == [1, 2]
    assert [entry['iteration'] for entry in log] == [2, 4]
    assert [entry['value'] for entry in log] == [1.5, 3.5]


def test_serialize_goes_to_the_mock():
    src = testing.get_trainer_with_mock_updater()
    dst = testing.get_trainer_with_mock_updater()
    src.run()
    testing.save_and_load_npz(src, dst)
    src.updater.serialize.assert_called()
    dst.updater.serialize.assert_called()
    # As in Chainer the mock keeps no state: the counters are not restored.
    assert dst.updater.iteration == 0


def test_module_availability_api():
    assert training_helper.is_available()
    training_helper.check_available()
    assert training_helper.get_error() is None
