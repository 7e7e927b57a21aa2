"""Evaluator: runs the model over a validation set and reports the means."""
import copy
import sys
import time
import warnings

from dynet import backend
from dynet import reporter as reporter_module
from dynet.config import no_backprop_mode, using_config
from dynet.dataset import convert
from dynet.link import Link
from dynet.training import extension


class Evaluator(extension.Extension):
    """Trainer extension evaluating the target on a validation iterator.

    Each call runs the whole (non-repeating) iterator, from its start, with
    ``config.train`` False and backpropagation disabled. A fresh
    ``Reporter`` collects what the target (and its child links) report for
    every batch, under the observer names ``<name>/<target name>`` (so a
    model registered as 'main' that reports 'loss' gives
    'validation/main/loss'); the per-batch observations are averaged with a
    ``DictSummary``, the means are reported to the trainer's reporter and
    returned.

    Args:
        iterator: the validation iterator, or a dict of them ('main' is
            evaluated by the default ``evaluate``). It is reset before each
            evaluation (copied instead if it has no ``reset``).
        target: a Link, or a dict of Links ('main' is evaluated).
        converter: ``converter(batch, device)`` -> arrays (tuple, dict or
            one array).
        device: where the converter sends the arrays.
        eval_hook: called as ``eval_hook(evaluator)`` before each
            evaluation.
        eval_func: called with the converted arrays instead of the 'main'
            target.
        progress_bar (bool): print the progress of each evaluation to
            standard output.

    Subclasses may override ``evaluate`` to customize the loop.
    """

    trigger = 1, 'epoch'
    default_name = 'validation'
    priority = extension.PRIORITY_WRITER
    name = None

    def __init__(self, iterator, target, converter=convert.concat_examples,
                 device=None, eval_hook=None, eval_func=None, *,
                 progress_bar=False):
        if not isinstance(iterator, dict):
            iterator = {'main': iterator}
        if not isinstance(target, dict):
            target = {'main': target}
        if device is not None:
            device = backend.get_device(device)
        self._iterators = iterator
        self._targets = target
        self.converter = converter
        self.device = device
        self.eval_hook = eval_hook
        self.eval_func = eval_func
        self._progress_bar = progress_bar

    def get_iterator(self, name):
        """The iterator registered as ``name``."""
        return self._iterators[name]

    def get_all_iterators(self):
        """A dict of all iterators."""
        return dict(self._iterators)

    def get_target(self, name):
        """The target link registered as ``name``."""
        return self._targets[name]

    def get_all_targets(self):
        """A dict of all target links."""
        return dict(self._targets)

    def _resolve_name(self, trainer):
        if self.name is not None:
            return self.name
        # The trainer registered this extension under a name it did not
        # write back to the instance: look it up.
        registry = getattr(trainer, '_extensions', None)
        if registry:
            for name, entry in registry.items():
                if getattr(entry, 'extension', None) is self:
                    return name
        return None  # not registered: no prefix, as when called directly

    def __call__(self, trainer=None):
        """Evaluates and reports; returns the dict of means.

        Called by a trainer, the keys are prefixed with the name this
        extension was registered under ('validation' by default); called
        without a name (directly, or not registered with the trainer),
        they are not prefixed.
        """
        name = self.name if trainer is None else self._resolve_name(trainer)
        prefix = name + '/' if name else ''
        reporter = reporter_module.Reporter()
        for target_name, target in self._targets.items():
            reporter.add_observer(prefix + target_name, target)
            if isinstance(target, Link) or hasattr(target, 'namedlinks'):
                reporter.add_observers(prefix + target_name,
                                       target.namedlinks(skipself=True))
        with reporter:
            with using_config('train', False):
                result = self.evaluate()
        reporter_module.report(result)
        return result

    def _fresh_iterator(self, iterator):
        if getattr(iterator, 'repeat', False) is True:
            raise ValueError(
                'Evaluator: the iterator repeats, so the evaluation would '
                'never end; create it with repeat=False')
        if hasattr(iterator, 'reset'):
            iterator.reset()
            return iterator
        warnings.warn(
            'Evaluator: the iterator has no reset() method, so it is copied '
            'before each evaluation; give it a reset() method instead.',
            DeprecationWarning, stacklevel=3)
        return copy.copy(iterator)

    def evaluate(self):
        """Runs the 'main' iterator once; returns the mean of every reported
        value (a dict)."""
        iterator = self._iterators['main']
        eval_func = self.eval_func or self._targets['main']
        if self.eval_hook:
            self.eval_hook(self)
        iterator = self._fresh_iterator(iterator)
        progress = _EvaluationProgress(iterator) if self._progress_bar \
            else None
        summary = reporter_module.DictSummary()
        for batch in iterator:
            observation = {}
            with reporter_module.report_scope(observation):
                in_arrays = convert.call_converter(self.converter, batch,
                                                   self.device)
                with no_backprop_mode():
                    if isinstance(in_arrays, tuple):
                        eval_func(*in_arrays)
                    elif isinstance(in_arrays, dict):
                        eval_func(**in_arrays)
                    else:
                        eval_func(in_arrays)
            summary.add(observation)
            if progress is not None:
                progress.update()
        if progress is not None:
            progress.close()
        return summary.compute_mean()

    def finalize(self):
        """Releases the iterators' resources."""
        for iterator in self._iterators.values():
            finalize = getattr(iterator, 'finalize', None)
            if finalize is not None:
                finalize()


class _EvaluationProgress:
    """A two-line progress display of one evaluation pass."""

    def __init__(self, iterator, bar_length=50, out=None):
        self._iterator = iterator
        self._bar_length = bar_length
        self._out = out if out is not None else sys.stdout
        self._count = 0
        self._start = time.time()

    def update(self):
        self._count += 1
        out = self._out
        rate = getattr(self._iterator, 'epoch_detail', None)
        if rate is None:
            rate = 0.0
        rate = min(max(float(rate), 0.0), 1.0)
        marks = int(rate * self._bar_length)
        elapsed = time.time() - self._start
        speed = self._count / elapsed if elapsed > 0 else float('inf')
        out.write('\033[J')
        out.write('validation [{}{}] {:6.2%}\n'.format(
            '#' * marks, '.' * (self._bar_length - marks), rate))
        out.write('{:10} iterations, {:.5g} iters/sec.\n'.format(
            self._count, speed))
        out.write('\033[2A')
        out.flush()

    def close(self):
        self._out.write('\033[J')
        self._out.flush()
