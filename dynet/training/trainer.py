"""Trainer: runs an updater until a stop trigger fires, with extensions.

``run()`` does, in this order: create the output directory; call
``initialize(trainer)`` of every extension (highest priority first); loop
``update()`` then every extension whose trigger fires, each iteration in a
fresh reporter observation; on an exception call every ``on_error`` (not
for KeyboardInterrupt/SystemExit, as in Chainer); and always call every
``finalize()`` and the updater's ``finalize()``.
"""
import collections
import os
import sys
import time
import traceback

from dynet import reporter as reporter_module
from dynet.serializers.base import Deserializer
from dynet.training import extension as extension_module
from dynet.training import triggers as trigger_module


class _ExtensionEntry:

    def __init__(self, extension, priority, trigger, call_before_training):
        self.extension = extension
        self.priority = priority
        self.trigger = trigger
        self.call_before_training = call_before_training


class Trainer:
    """Drives training.

    Args:
        updater: the Updater.
        stop_trigger: when to stop, e.g. ``(20, 'epoch')``; None never
            stops.
        out (str): output directory of extensions (logs, snapshots).
        extensions: extensions to register with default settings.
    """

    def __init__(self, updater, stop_trigger=None, out='result',
                 extensions=None):
        self.updater = updater
        self.stop_trigger = trigger_module.get_trigger(stop_trigger)
        self.observation = {}
        self.out = out
        reporter = reporter_module.Reporter()
        for name, optimizer in updater.get_all_optimizers().items():
            reporter.add_observer(name, optimizer.target)
            reporter.add_observers(
                name, optimizer.target.namedlinks(skipself=True))
        self.reporter = reporter
        self._done = False
        self._extensions = collections.OrderedDict()
        self._start_at = None
        self._snapshot_elapsed_time = 0.0
        self._final_elapsed_time = None
        updater.connect_trainer(self)
        for ext in extensions or ():
            self.extend(ext)

    @property
    def is_before_training(self):
        return self.updater.iteration == 0

    @property
    def elapsed_time(self):
        """Seconds of training so far (including time before a resume)."""
        if self._done:
            return self._final_elapsed_time
        if self._start_at is None:
            raise RuntimeError('elapsed_time is only available while or '
                               'after the training loop runs')
        return time.time() - self._start_at + self._snapshot_elapsed_time

    def extend(self, extension, name=None, trigger=None, priority=None, *,
               call_before_training=False, **kwargs):
        """Registers an extension.

        ``name``, ``trigger`` and ``priority`` default to the extension's
        own attributes; a repeated name gets a numeric suffix ('_1', ...).
        """
        if kwargs:
            raise TypeError('Trainer.extend: unexpected arguments {}'.format(
                sorted(kwargs)))
        if name is None:
            name = getattr(extension, 'name', None)
            if name is None:
                name = getattr(extension, 'default_name', None)
            if name is None:
                name = getattr(extension, '__name__', None)
            if name is None:
                raise TypeError('Trainer.extend: the extension has no name; '
                                'pass name=...')
        if name == 'training':
            raise ValueError('the name "training" is reserved')
        if trigger is None:
            trigger = getattr(extension, 'trigger', (1, 'iteration'))
        trigger = trigger_module.get_trigger(trigger)
        if priority is None:
            priority = getattr(extension, 'priority',
                               extension_module.PRIORITY_READER)
        unique = name
        index = 0
        while unique in self._extensions:
            index += 1
            unique = '{}_{}'.format(name, index)
        try:
            extension.name = unique
        except AttributeError:
            pass  # a read-only name (e.g. a property) is kept
        self._extensions[unique] = _ExtensionEntry(
            extension, priority, trigger, call_before_training)

    def get_extension(self, name):
        """The registered extension named ``name``."""
        if name not in self._extensions:
            raise ValueError('extension {} not found'.format(name))
        return self._extensions[name].extension

    def _sorted_extensions(self):
        names = sorted(self._extensions,
                       key=lambda n: self._extensions[n].priority,
                       reverse=True)
        return [(n, self._extensions[n]) for n in names]

    def run(self, show_loop_exception_msg=True):
        """Runs the training loop until the stop trigger fires."""
        if self._done:
            raise RuntimeError('Trainer.run: the loop already ran; a trainer '
                               'runs once')
        os.makedirs(self.out, exist_ok=True)
        extensions = self._sorted_extensions()
        self._start_at = time.time()
        for _, entry in extensions:
            initializer = getattr(entry.extension, 'initialize', None)
            finished = getattr(entry.trigger, 'finished', False)
            if initializer and not finished:
                initializer(self)
        for _, entry in extensions:
            if entry.call_before_training:
                entry.extension(self)

        update = self.updater.update
        reporter = self.reporter
        stop_trigger = self.stop_trigger
        try:
            while not stop_trigger(self):
                self.observation = {}
                with reporter.scope(self.observation):
                    update()
                    for _, entry in extensions:
                        if entry.trigger(self):
                            entry.extension(self)
        except Exception as error:
            if show_loop_exception_msg:
                sys.stderr.write('Exception in main training loop: {}\n'
                                 .format(error))
                sys.stderr.write(traceback.format_exc())
                sys.stderr.write('Will finalize trainer extensions and '
                                 'updater before reraising the exception.\n')
            tb = sys.exc_info()[2]
            for _, entry in extensions:
                handler = getattr(entry.extension, 'on_error', None)
                if handler:
                    try:
                        handler(self, error, tb)
                    except Exception as handler_error:
                        sys.stderr.write('Exception in error handler of {}: '
                                         '{}\n'.format(entry.extension,
                                                       handler_error))
            raise
        finally:
            for _, entry in extensions:
                finalize = getattr(entry.extension, 'finalize', None)
                if finalize:
                    finalize()
            self.updater.finalize()
            self._final_elapsed_time = self.elapsed_time
            self._done = True

    def serialize(self, serializer):
        """Saves or loads the updater, the stop trigger, every extension
        and trigger, and the elapsed time."""
        self.updater.serialize(serializer['updater'])
        if hasattr(self.stop_trigger, 'serialize'):
            self.stop_trigger.serialize(serializer['stop_trigger'])
        ext_serializer = serializer['extensions']
        trigger_serializer = serializer['extension_triggers']
        for name, entry in self._extensions.items():
            if hasattr(entry.extension, 'serialize'):
                entry.extension.serialize(ext_serializer[name])
            if hasattr(entry.trigger, 'serialize'):
                entry.trigger.serialize(trigger_serializer[name])
        elapsed = self.elapsed_time if self._start_at is not None else \
            self._snapshot_elapsed_time
        stored = float(serializer('_snapshot_elapsed_time', elapsed))
        if isinstance(serializer, Deserializer):
            # Loading: the time already spent before the snapshot.
            self._snapshot_elapsed_time = stored
