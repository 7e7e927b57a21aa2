"""VariableStatisticsPlot: plots how parameter/gradient distributions
evolve during training."""
import os
import random

import numpy

from dynet import backend
from dynet.training import extension
from dynet.training import triggers as trigger_module
from dynet.training.extensions import _util
from dynet.variable import Variable


class _Reservoir:
    """A uniform random sample of at most ``size`` (index, value) pairs
    from a stream (reservoir sampling)."""

    def __init__(self, size, seed=None):
        self.size = size
        self.seen = 0
        self.items = []
        self._random = random.Random(seed)

    def add(self, index, value):
        self.seen += 1
        if len(self.items) < self.size:
            self.items.append((index, value))
            return
        slot = self._random.randrange(self.seen)
        if slot < self.size:
            self.items[slot] = (index, value)

    def sorted(self):
        return sorted(self.items, key=lambda item: item[0])


def _collect_variables(targets):
    if isinstance(targets, Variable) or hasattr(targets, 'params'):
        targets = [targets]
    variables = []
    for target in targets:
        if isinstance(target, Variable):
            variables.append(target)
        elif hasattr(target, 'params'):
            variables.extend(target.params())
        else:
            raise TypeError('VariableStatisticsPlot: targets must be '
                            'Variables or Links, got {!r}'.format(
                                type(target).__name__))
    return variables


class VariableStatisticsPlot(extension.Extension):
    """Trainer extension plotting statistics of Variables over time.

    Every call it computes, over all elements of the target variables
    taken together, the mean, the standard deviation and the percentiles
    ``percentile_sigmas`` of the data and/or the gradients, and keeps them
    in a fixed-size uniform random sample (reservoir sampling, at most
    ``max_sample_size`` iterations). When ``trigger`` fires it draws one
    panel per kind ('data', 'grad'): shaded bands between symmetric
    percentiles, the median, and the mean with mean +- std, against the
    iteration, into ``<trainer.out>/<filename>`` (replaced atomically).

    matplotlib is imported only when the extension runs; without it the
    extension warns once and does nothing.

    Args:
        targets (Variable, Link or a list of them): what to observe.
        max_sample_size (int): iterations kept for the plot.
        report_data (bool): plot the data statistics.
        report_grad (bool): plot the gradient statistics.
        plot_mean (bool): draw the mean.
        plot_std (bool): draw mean +- standard deviation.
        percentile_sigmas (sequence of float): percentiles (0..100) to
            compute; shaded from the outermost pair inwards.
        trigger: when to redraw the file.
        filename (str): output file ('statistics.png'); the deprecated
            ``file_name`` is accepted too.
        figsize (tuple): figure size in inches (default scales with the
            number of panels).
        marker (str): marker of the mean and percentile lines.
        grid (bool): draw a grid.
    """

    def __init__(self, targets, max_sample_size=1000, report_data=True,
                 report_grad=True, plot_mean=True, plot_std=True,
                 percentile_sigmas=(0, 0.13, 2.28, 15.87, 50, 84.13, 97.72,
                                    99.87, 100),
                 trigger=(1, 'epoch'), filename=None, figsize=None,
                 marker=None, grid=True, **kwargs):
        file_name = kwargs.pop('file_name', 'statistics.png')
        if kwargs:
            raise TypeError('VariableStatisticsPlot: unexpected arguments '
                            '{}'.format(sorted(kwargs)))
        if filename is None:
            filename = file_name
        keys = []
        if report_data:
            keys.append('data')
        if report_grad:
            keys.append('grad')
        if not keys:
            raise ValueError('VariableStatisticsPlot: report_data and '
                             'report_grad are both False; nothing to plot')
        percentile_sigmas = tuple(float(p) for p in percentile_sigmas)
        if not (plot_mean or plot_std or percentile_sigmas):
            raise ValueError('VariableStatisticsPlot: no statistic to plot '
                             '(plot_mean, plot_std and percentile_sigmas '
                             'are all off)')
        for p in percentile_sigmas:
            if not 0 <= p <= 100:
                raise ValueError('VariableStatisticsPlot: percentiles must '
                                 'be in [0, 100], got {}'.format(p))
        self._vars = _collect_variables(targets)
        if not self._vars:
            raise ValueError('VariableStatisticsPlot: no Variable to '
                             'observe in targets')
        self._keys = keys
        self._plot_mean = plot_mean
        self._plot_std = plot_std
        self._percentile_sigmas = percentile_sigmas
        self._trigger = trigger_module.get_trigger(trigger)
        self._filename = filename
        self._figsize = figsize
        self._marker = marker
        self._grid = grid
        self._samples = _Reservoir(max_sample_size)
        self._matplotlib = None
        self._unavailable = False

    @staticmethod
    def available():
        """Whether matplotlib is installed (it is not imported here)."""
        return _util.matplotlib_available()

    def _load(self):
        if self._matplotlib is None and not self._unavailable:
            self._matplotlib = _util.load_matplotlib(
                'VariableStatisticsPlot')
            self._unavailable = self._matplotlib is None
        return self._matplotlib

    def _statistics(self):
        """A (n_keys, n_stats) array: mean, std, then the percentiles."""
        n_stats = 2 + len(self._percentile_sigmas)
        stats = numpy.full((len(self._keys), n_stats), numpy.nan)
        for row, key in enumerate(self._keys):
            arrays = []
            for var in self._vars:
                array = var.array if key == 'data' else var.grad
                if array is not None:
                    if backend.is_cupy_array(array):
                        array = array.get()
                    arrays.append(numpy.asarray(array).ravel())
            if not arrays:
                continue
            values = numpy.concatenate(arrays).astype(numpy.float64)
            if values.size == 0:
                continue
            stats[row, 0] = values.mean()
            stats[row, 1] = values.std()
            if self._percentile_sigmas:
                stats[row, 2:] = numpy.percentile(values,
                                                  self._percentile_sigmas)
        return stats

    def __call__(self, trainer):
        matplotlib = self._load()
        if matplotlib is None:
            return
        self._samples.add(trainer.updater.iteration, self._statistics())
        if self._trigger(trainer):
            self._draw(matplotlib, os.path.join(trainer.out, self._filename))

    def _draw(self, matplotlib, path):
        Figure, FigureCanvasAgg = matplotlib
        items = self._samples.sorted()
        if not items:
            return
        xs = numpy.array([index for index, _ in items])
        stats = numpy.stack([value for _, value in items])  # (n, keys, s)
        n_keys = len(self._keys)
        figsize = self._figsize or (6.4 * n_keys, 4.8)
        figure = Figure(figsize=figsize)
        FigureCanvasAgg(figure)
        percentiles = self._percentile_sigmas
        n_bands = len(percentiles) // 2
        for col, key in enumerate(self._keys):
            axes = figure.add_subplot(1, n_keys, col + 1)
            axes.set_title(key)
            axes.set_xlabel('iteration')
            if self._grid:
                axes.grid()
            values = stats[:, col, :]
            p = values[:, 2:]
            for band in range(n_bands):
                low, high = band, len(percentiles) - 1 - band
                axes.fill_between(
                    xs, p[:, low], p[:, high], color='tab:blue',
                    alpha=0.15 + 0.6 * band / max(n_bands, 1),
                    linewidth=0,
                    label='{:g}-{:g} percentile'.format(
                        percentiles[low], percentiles[high]))
            if len(percentiles) % 2 == 1:
                middle = len(percentiles) // 2
                axes.plot(xs, p[:, middle], color='tab:blue',
                          marker=self._marker,
                          label='{:g} percentile'.format(
                              percentiles[middle]))
            mean, std = values[:, 0], values[:, 1]
            if self._plot_mean:
                axes.plot(xs, mean, color='tab:red', marker=self._marker,
                          label='mean')
            if self._plot_std:
                axes.plot(xs, mean + std, color='tab:red', linestyle='--',
                          label='mean + std')
                axes.plot(xs, mean - std, color='tab:red', linestyle=':',
                          label='mean - std')
            axes.legend(loc='best', fontsize='x-small')
        figure.tight_layout()
        _util.save_figure(figure, path)
