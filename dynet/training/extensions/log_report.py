"""LogReport: accumulates observations and writes them as a JSON log."""
import json
import os
import warnings

from dynet import reporter as reporter_module
from dynet.training import extension
from dynet.training import triggers as trigger_module
from dynet.training.extensions import _util


class LogReport(extension.Extension):
    """Trainer extension that keeps a log of mean observed values.

    Called every iteration (its own trigger), it adds the observation to a
    ``DictSummary``; when ``trigger`` fires, it appends the means, plus
    'epoch', 'iteration' and 'elapsed_time', to ``log`` and rewrites the
    whole log, as a JSON list, to ``<trainer.out>/<filename>``. The file is
    replaced atomically, so it is never seen half-written.

    Args:
        keys (iterable of str): keys to accumulate; None means all.
        trigger: when to emit an entry, e.g. ``(1, 'epoch')``.
        postprocess: called with each new entry (a dict) before it is
            stored; may modify it in place.
        filename (str): the log file's name under the output directory; it
            may contain format fields filled from the entry (e.g.
            ``'log_{iteration}'``). The deprecated name ``log_name`` is
            accepted too; ``log_name=None`` writes no file.
    """

    def __init__(self, keys=None, trigger=(1, 'epoch'), postprocess=None,
                 filename=None, **kwargs):
        log_name = kwargs.pop('log_name', 'log')
        if kwargs:
            raise TypeError('LogReport: unexpected arguments {}'.format(
                sorted(kwargs)))
        if filename is None:
            filename = log_name
        self._keys = None if keys is None else list(keys)
        self._trigger = trigger_module.get_trigger(trigger)
        self._postprocess = postprocess
        self._log_name = filename
        self._log = []
        self._init_summary()

    def _init_summary(self):
        self._summary = reporter_module.DictSummary()

    @property
    def log(self):
        """The list of emitted entries (dicts)."""
        return self._log

    def __call__(self, trainer):
        observation = trainer.observation
        if self._keys is None:
            self._summary.add(observation)
        else:
            self._summary.add({key: observation[key] for key in self._keys
                               if key in observation})
        if not self._trigger(trainer):
            return
        entry = {}
        for key, value in self._summary.compute_mean().items():
            entry[key] = _util.to_host_scalar(value)
        updater = trainer.updater
        entry['epoch'] = updater.epoch
        entry['iteration'] = updater.iteration
        entry['elapsed_time'] = trainer.elapsed_time
        if self._postprocess is not None:
            self._postprocess(entry)
        self._log.append(entry)
        if self._log_name is not None:
            path = os.path.join(trainer.out, self._log_name.format(**entry))
            with _util.atomic_open(path, 'w') as f:
                json.dump(self._log, f, indent=4)
        self._init_summary()

    def serialize(self, serializer):
        """Saves or loads the trigger, the running summary and the log, so
        that a resumed training continues the same log."""
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['_trigger'])
        try:
            self._summary.serialize(serializer['_summary'])
        except KeyError:
            warnings.warn('LogReport: the snapshot holds no running summary; '
                          'the values accumulated since the last log entry '
                          'are lost.')
        self._log = _util.serialize_json(serializer, '_log', self._log)
