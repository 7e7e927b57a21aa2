"""A Trainer driven by a mock updater, for testing trainer extensions
(``chainer.testing.get_trainer_with_mock_updater``)."""
from unittest import mock


def is_available():
    """Whether this module can be used (``unittest.mock`` is always
    there; kept for Chainer's API)."""
    return True


def check_available():
    """Never raises: ``unittest.mock`` is part of the standard library."""


def get_error():
    """Always None (nothing failed to import)."""
    return None


def get_trainer_with_mock_updater(stop_trigger=(10, 'iteration'),
                                  iter_per_epoch=10, extensions=None):
    """A :class:`~dynet.training.Trainer` whose updater is a mock.

    The updater is a :class:`unittest.mock.Mock`: any method a test or an
    extension calls on it (``get_optimizer``, ``serialize``, ``finalize``,
    ``update_core``...) exists, does nothing, returns a Mock and records
    the call (set e.g. ``trainer.updater.get_optimizer.return_value`` to
    hand out a real optimizer). ``get_all_optimizers()`` returns ``{}``.

    Its ``update()`` calls ``update_core()`` and advances the counters as a
    real updater over ``iter_per_epoch`` iterations per epoch does:
    ``iteration``, ``epoch`` (``iteration // iter_per_epoch``),
    ``epoch_detail`` (``iteration / iter_per_epoch``),
    ``previous_epoch_detail`` and ``is_new_epoch`` (True when the last
    update crossed an epoch boundary). Before any update they are 0, 0, 0,
    None and True, as in Chainer.

    Args:
        stop_trigger: stop trigger of the trainer.
        iter_per_epoch: iterations per epoch.
        extensions: extensions to register with their default settings.

    Returns:
        The Trainer.
    """
    from dynet import training

    updater = mock.Mock()
    updater.get_all_optimizers.return_value = {}
    updater.iteration = 0
    updater.epoch = 0
    updater.epoch_detail = 0
    updater.previous_epoch_detail = None
    updater.is_new_epoch = True

    def update():
        updater.update_core()
        before = updater.iteration
        after = before + 1
        updater.iteration = after
        updater.epoch = after // iter_per_epoch
        updater.epoch_detail = after / iter_per_epoch
        updater.previous_epoch_detail = before / iter_per_epoch
        updater.is_new_epoch = before // iter_per_epoch != updater.epoch

    updater.update = update
    return training.Trainer(updater, stop_trigger,
                            extensions=list(extensions or ()))
