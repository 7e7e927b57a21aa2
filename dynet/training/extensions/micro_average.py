"""MicroAverage: a ratio of sums of two observed values."""
from dynet import reporter
from dynet.training import extension
from dynet.training import triggers as trigger_module
from dynet.training.extensions import _util


class MicroAverage(extension.Extension):
    """Trainer extension reporting ``sum(numerator) / sum(denominator)``.

    Each iteration in which both keys are observed adds their values to
    running sums; when ``trigger`` fires, the ratio is reported under
    ``result_key`` and the sums restart. With ``numerator_key`` the number
    of correct answers and ``denominator_key`` the number of examples of
    each batch, this is the accuracy over all examples (a micro average),
    rather than the mean of per-batch accuracies.

    Args:
        numerator_key (str): observation key of the numerator.
        denominator_key (str): observation key of the denominator.
        result_key (str): key under which the ratio is reported.
        trigger: when to report.
    """

    priority = extension.PRIORITY_EDITOR

    def __init__(self, numerator_key, denominator_key, result_key,
                 trigger=(1, 'epoch')):
        self._trigger = trigger_module.get_trigger(trigger)
        self._numerator_key = numerator_key
        self._denominator_key = denominator_key
        self._result_key = result_key
        self._numerator = 0.0
        self._denominator = 0.0

    def __call__(self, trainer):
        observation = trainer.observation
        if self._numerator_key not in observation or \
                self._denominator_key not in observation:
            return
        self._numerator += _util.to_host_scalar(
            observation[self._numerator_key])
        self._denominator += _util.to_host_scalar(
            observation[self._denominator_key])
        if self._trigger(trainer):
            result = self._numerator / self._denominator \
                if self._denominator else float('nan')
            self._numerator = 0.0
            self._denominator = 0.0
            reporter.report({self._result_key: result})

    def serialize(self, serializer):
        if hasattr(self._trigger, 'serialize'):
            try:
                self._trigger.serialize(serializer['_trigger'])
            except KeyError:
                pass  # a snapshot that did not save it
        self._numerator = float(serializer('_numerator', self._numerator))
        self._denominator = float(serializer('_denominator',
                                             self._denominator))
