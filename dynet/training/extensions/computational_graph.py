"""DumpGraph: writes the computational graph of a reported Variable."""
import os
import shutil
import subprocess

from dynet import computational_graph
from dynet.config import config
from dynet.training import extension
from dynet.training.extensions import _util
from dynet.variable import Variable

_VARIABLE_STYLE = {'shape': 'octagon', 'fillcolor': '#E0E0E0',
                   'style': 'filled'}
_FUNCTION_STYLE = {'shape': 'record', 'fillcolor': '#6495ED',
                   'style': 'filled'}

_UNSET = object()


def is_graphviz_available():
    """Whether Graphviz's ``dot`` command can be found."""
    return shutil.which('dot') is not None


class DumpGraph(extension.Extension):
    """Trainer extension writing the graph behind an observed Variable.

    Once, at its first invocation (the first iteration with the default
    trigger), it writes the graph that produced ``observation[root_name]``
    to ``<trainer.out>/<filename>`` in Graphviz's dot language; when the
    ``dot`` command is installed it also renders it as a PNG next to it.

    Reported Variables normally drop their graph. To keep it,
    ``initialize`` turns ``config.keep_graph_on_report`` on; the flag is
    put back as it was right after the dump (and at the end of training in
    any case), so later iterations do not keep graphs.

    Args:
        root_name (str): the observation key, e.g. 'main/loss'.
        filename (str): output file ('cg.dot'); the deprecated
            ``out_name`` is accepted too.
        variable_style (dict): dot attributes of variable nodes.
        function_style (dict): dot attributes of function nodes.
    """

    default_name = 'dump_graph'

    def __init__(self, root_name, filename=None, variable_style=None,
                 function_style=None, **kwargs):
        out_name = kwargs.pop('out_name', 'cg.dot')
        if kwargs:
            raise TypeError('DumpGraph: unexpected arguments {}'.format(
                sorted(kwargs)))
        if filename is None:
            filename = out_name
        self._root_name = root_name
        self._filename = filename
        self._variable_style = _VARIABLE_STYLE if variable_style is None \
            else variable_style
        self._function_style = _FUNCTION_STYLE if function_style is None \
            else function_style
        self._saved_flag = _UNSET
        self._flag_called = False

    def initialize(self, _):
        if self._flag_called or self._saved_flag is not _UNSET:
            return
        # Remember the thread's own setting (or its absence) to put it
        # back exactly.
        self._saved_flag = (config.__dict__.get('keep_graph_on_report',
                                                _UNSET),)
        config.keep_graph_on_report = True

    def _restore_flag(self):
        if self._saved_flag is _UNSET:
            return
        previous, = self._saved_flag
        self._saved_flag = _UNSET
        if previous is _UNSET:
            try:
                del config.keep_graph_on_report
            except AttributeError:
                pass
        else:
            config.keep_graph_on_report = previous

    def trigger(self, _):
        """Fires once: at the first call."""
        if self._flag_called:
            return False
        self._flag_called = True
        return True

    def __call__(self, trainer):
        try:
            if self._root_name not in trainer.observation:
                raise KeyError(
                    'DumpGraph: {!r} is not in the observation (available '
                    'keys: {})'.format(self._root_name,
                                       sorted(trainer.observation)))
            var = trainer.observation[self._root_name]
            if not isinstance(var, Variable):
                raise TypeError('DumpGraph: the observed {!r} is a {}, not '
                                'a Variable'.format(self._root_name,
                                                    type(var).__name__))
            graph = computational_graph.build_computational_graph(
                [var], variable_style=self._variable_style,
                function_style=self._function_style).dump()
            path = os.path.join(trainer.out, self._filename)
            with _util.atomic_open(path, 'w') as f:
                f.write(graph)
            if is_graphviz_available():
                image = os.path.splitext(path)[0] + '.png'
                subprocess.run(['dot', '-Tpng', path, '-o', image],
                               check=False, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        finally:
            self._restore_flag()

    def finalize(self):
        self._restore_flag()

    def serialize(self, serializer):
        self._flag_called = bool(serializer('_flag_called',
                                            self._flag_called))


def dump_graph(root_name, filename=None, variable_style=None,
               function_style=None, **kwargs):
    """Returns a :class:`DumpGraph` extension (Chainer's function-style
    name)."""
    return DumpGraph(root_name, filename, variable_style, function_style,
                     **kwargs)
