"""ParameterStatistics: reports statistics of parameters and gradients."""
import warnings

import numpy

from dynet import backend
from dynet import reporter as reporter_module
from dynet.training import extension
from dynet.training import triggers as trigger_module

# Percentiles at -3, -2, -1, 0, 1, 2 and 3 standard deviations of a normal
# distribution.
_SIGMA_PERCENTILES = (0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87)


def _mean(x):
    return backend.get_array_module(x).mean(x)


def _std(x):
    return backend.get_array_module(x).std(x)


def _min(x):
    return backend.get_array_module(x).min(x)


def _max(x):
    return backend.get_array_module(x).max(x)


def _zeros(x):
    return backend.get_array_module(x).count_nonzero(x == 0)


def _percentile(x):
    xp = backend.get_array_module(x)
    return xp.percentile(x, _SIGMA_PERCENTILES)


class ParameterStatistics(extension.Extension):
    """Trainer extension reporting statistics of the parameters of links.

    Every call computes each statistic of each parameter's data and/or
    gradient (flattened), and accumulates it; when ``trigger`` fires the
    means since the last report are reported to the trainer's observation
    under keys ``'{prefix}/{link name}{param path}/{data|grad}/{stat}'``,
    e.g. ``'predictor/l1/W/grad/std'`` (the link name is its ``name``
    attribute, ``'None'`` for a root link, as in Chainer). A statistic
    returning several values gets one key per value, suffixed '/0', '/1',
    ... The default statistics are mean, std, min, max, zeros (the count of
    zero elements) and percentile (at the -3..3 sigma points of a normal
    distribution).

    Args:
        links (Link or iterable of Links): the links to observe.
        statistics (dict or 'default'): name -> function of a 1-dim array.
        report_params (bool): report statistics of the parameters' data.
        report_grads (bool): report statistics of the gradients.
        prefix (str): prepended to every key (with a '/').
        trigger: when to report.
        skip_nan_params (bool): for parameters containing NaN, report NaN
            instead of computing the statistics.
    """

    default_name = 'parameter_statistics'
    priority = extension.PRIORITY_WRITER

    report_key_template = \
        '{prefix}{link_name}{param_name}/{attr_name}/{function_name}'

    default_statistics = {
        'mean': _mean,
        'std': _std,
        'min': _min,
        'max': _max,
        'zeros': _zeros,
        'percentile': _percentile,
    }

    def __init__(self, links, statistics='default', report_params=True,
                 report_grads=True, prefix=None, trigger=(1, 'epoch'),
                 skip_nan_params=False):
        if hasattr(links, 'namedparams'):
            links = [links]
        self._links = list(links)
        if isinstance(statistics, str):
            if statistics != 'default':
                raise ValueError("ParameterStatistics: statistics must be a "
                                 "dict or 'default', got {!r}".format(
                                     statistics))
            statistics = self.default_statistics
        elif statistics is None:
            statistics = {}
        self._statistics = dict(statistics)
        attrs = []
        if report_params:
            attrs.append('data')
        if report_grads:
            attrs.append('grad')
        self._attrs = attrs
        self._prefix = prefix
        self._trigger = trigger_module.get_trigger(trigger)
        self._skip_nan_params = skip_nan_params
        self._summary = reporter_module.DictSummary()

    def register_statistics(self, name, function):
        """Adds a statistic: ``function`` maps a 1-dim array to a number or
        an array of numbers."""
        self._statistics[name] = function

    def _compute(self, function, values, has_nan):
        if not has_nan:
            return function(values)
        # Keep the keys the statistic gives on clean data, with NaN values.
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            with numpy.errstate(all='ignore'):
                shape = numpy.shape(function(values))
        if shape == ():
            return numpy.nan
        return numpy.full(shape, numpy.nan)

    def __call__(self, trainer):
        statistics = {}
        prefix = self._prefix + '/' if self._prefix else ''
        for link in self._links:
            link_name = getattr(link, 'name', 'None')
            for param_name, param in link.namedparams():
                for attr_name in self._attrs:
                    array = param.array if attr_name == 'data' else \
                        param.grad
                    if array is None:
                        continue  # uninitialized, or no gradient yet
                    values = array.ravel()
                    has_nan = self._skip_nan_params and bool(
                        backend.get_array_module(values).isnan(values).any())
                    for function_name, function in self._statistics.items():
                        value = self._compute(function, values, has_nan)
                        key = self.report_key_template.format(
                            prefix=prefix, link_name=link_name,
                            param_name=param_name, attr_name=attr_name,
                            function_name=function_name)
                        if getattr(value, 'size', 1) > 1:
                            for i, v in enumerate(value):
                                statistics['{}/{}'.format(key, i)] = v
                        else:
                            statistics[key] = value
        self._summary.add(statistics)
        if self._trigger(trainer):
            reporter_module.report(self._summary.compute_mean())
            self._summary = reporter_module.DictSummary()

    def serialize(self, serializer):
        """Saves or loads the trigger and the running summary (a snapshot
        without them is accepted)."""
        try:
            if hasattr(self._trigger, 'serialize'):
                self._trigger.serialize(serializer['_trigger'])
            self._summary.serialize(serializer['_summary'])
        except KeyError:
            pass
