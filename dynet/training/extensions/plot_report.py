"""PlotReport: plots observed values against the iteration or epoch."""
import os
import warnings

from dynet import reporter as reporter_module
from dynet.training import extension
from dynet.training import triggers as trigger_module
from dynet.training.extensions import _util


class PlotReport(extension.Extension):
    """Trainer extension drawing observed values into a PNG file.

    Called every iteration, it accumulates the ``y_keys`` of the
    observation; when ``trigger`` fires it adds the means as new points
    (at ``x_key``, 'iteration' or 'epoch') and redraws
    ``<trainer.out>/<filename>`` (replaced atomically).

    matplotlib is imported only when the extension first runs, and figures
    are drawn on an off-screen Agg canvas (the global backend is left
    alone). Without matplotlib the extension warns once and does nothing;
    training is not interrupted.

    Args:
        y_keys (str or list of str): keys of the observation to plot.
        x_key (str): 'iteration' or 'epoch'.
        trigger: when to add points and redraw.
        postprocess: called as ``postprocess(figure, axes, summary)``
            before the figure is saved.
        filename (str): output file name ('plot.png'); the deprecated name
            ``file_name`` is accepted too.
        marker (str): marker of the points (None for none).
        grid (bool): draw a grid.
    """

    def __init__(self, y_keys, x_key='iteration', trigger=(1, 'epoch'),
                 postprocess=None, filename=None, marker='x', grid=True,
                 **kwargs):
        file_name = kwargs.pop('file_name', 'plot.png')
        if kwargs:
            raise TypeError('PlotReport: unexpected arguments {}'.format(
                sorted(kwargs)))
        if filename is None:
            filename = file_name
        if isinstance(y_keys, str):
            y_keys = [y_keys]
        self._y_keys = list(y_keys)
        self._x_key = x_key
        self._trigger = trigger_module.get_trigger(trigger)
        self._postprocess = postprocess
        self._file_name = filename
        self._marker = marker
        self._grid = grid
        self._data = {key: [] for key in self._y_keys}
        self._matplotlib = None
        self._unavailable = False
        self._init_summary()

    def _init_summary(self):
        self._summary = reporter_module.DictSummary()

    @staticmethod
    def available():
        """Whether matplotlib is installed (it is not imported here).

        Warns when it is not.
        """
        if _util.matplotlib_available():
            return True
        warnings.warn(_util._MISSING_MATPLOTLIB.format('PlotReport'))
        return False

    def _load(self):
        if self._matplotlib is None and not self._unavailable:
            self._matplotlib = _util.load_matplotlib('PlotReport')
            self._unavailable = self._matplotlib is None
        return self._matplotlib

    def __call__(self, trainer):
        matplotlib = self._load()
        if matplotlib is None:
            return
        observation = trainer.observation
        self._summary.add({key: observation[key] for key in self._y_keys
                           if key in observation})
        if not self._trigger(trainer):
            return
        stats = {key: _util.to_host_scalar(value) for key, value in
                 self._summary.compute_mean().items()}
        updater = trainer.updater
        stats['epoch'] = updater.epoch
        stats['iteration'] = updater.iteration
        if self._x_key not in stats:
            raise KeyError('PlotReport: x_key {!r} is neither "epoch", '
                           '"iteration" nor a plotted key'.format(
                               self._x_key))
        x = stats[self._x_key]
        for key in self._y_keys:
            if key in stats:
                self._data[key].append((x, stats[key]))
        self._draw(matplotlib, os.path.join(trainer.out, self._file_name))
        self._init_summary()

    def _draw(self, matplotlib, path):
        Figure, FigureCanvasAgg = matplotlib
        figure = Figure()
        FigureCanvasAgg(figure)
        axes = figure.add_subplot(111)
        axes.set_xlabel(self._x_key)
        if self._grid:
            axes.grid()
        for key in self._y_keys:
            points = self._data[key]
            if not points:
                continue
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            axes.plot(xs, ys, marker=self._marker, label=key)
        if not axes.has_data():
            return
        if self._postprocess is not None:
            self._postprocess(figure, axes, self._summary)
        legend = axes.legend(bbox_to_anchor=(1.05, 1), loc='upper left',
                             borderaxespad=0.)
        _util.save_figure(figure, path, bbox_extra_artists=(legend,),
                          bbox_inches='tight')

    def serialize(self, serializer):
        """Saves or loads the plotted points (and the trigger and running
        summary)."""
        if hasattr(self._trigger, 'serialize'):
            try:
                self._trigger.serialize(serializer['_trigger'])
            except KeyError:
                pass  # a snapshot that did not save it
        try:
            self._summary.serialize(serializer['_summary'])
        except KeyError:
            pass
        data = _util.serialize_json(
            serializer, '_plot_{}'.format(self._file_name), self._data)
        self._data = {key: [tuple(p) for p in data.get(key, [])]
                      for key in self._y_keys}
