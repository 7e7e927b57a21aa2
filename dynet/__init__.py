"""dynet: define-by-run deep learning, compatible with Chainer v7 programs.

``import dynet`` stays light: CuPy and matplotlib are imported only when
something asks for them.
"""
from dynet._version import __version__  # NOQA
from dynet import backend  # NOQA
from dynet.backend import _host_memory
_host_memory.keep_freed_memory()
from dynet.backend import get_device, using_device  # NOQA
from dynet.config import (  # NOQA
    DebugMode, config, force_backprop_mode, get_dtype, global_config,
    is_debug, no_backprop_mode, set_debug, using_config)
from dynet.variable import (  # NOQA
    Parameter, Variable, VariableNode, as_array, as_variable)
from dynet.function_hook import FunctionHook, get_function_hooks  # NOQA
from dynet.function_node import FunctionNode  # NOQA
from dynet.function import Function, FunctionAdapter  # NOQA
from dynet._backprop import grad  # NOQA
from dynet import initializers  # NOQA
from dynet.initializer import Initializer  # NOQA
from dynet.link import Chain, ChainList, Link, Sequential  # NOQA
from dynet.link_hook import LinkHook, _get_link_hooks  # NOQA
from dynet._compat_api import (  # NOQA
    DeviceResident, is_arrays_compatible, mixed16, should_use_cudnn)
from dynet.optimizer import GradientMethod, Optimizer, UpdateRule  # NOQA
from dynet.serializers.base import (  # NOQA
    AbstractSerializer, Deserializer, Serializer)
from dynet.reporter import (  # NOQA
    DictSummary, Reporter, Summary, get_current_reporter, report,
    report_scope)
from dynet import functions  # NOQA
from dynet.distribution import (  # NOQA
    Distribution, cross_entropy, kl_divergence, register_kl)

_lazy_submodules = ('backends', 'cuda', 'testing', 'gradient_check',
                    'function_hooks', 'utils', 'links', 'optimizers',
                    'optimizer_hooks', 'serializers', 'computational_graph',
                    'datasets', 'initializer', 'training', 'dataset',
                    'iterators', 'reporter', 'distributions', 'onnx',
                    'distributed', 'link_hooks')


def __getattr__(name):
    # Heavier or optional parts load on first use.
    if name in _lazy_submodules:
        import importlib
        if name == 'cuda':
            module = importlib.import_module('dynet.backends.cuda')
        else:
            module = importlib.import_module('dynet.' + name)
        globals()[name] = module
        return module
    raise AttributeError('module {!r} has no attribute {!r}'.format(
        __name__, name))


def get_array_types():
    return backend.get_array_types()


def print_runtime_info(out=None):
    """Prints the versions of dynet, Python, NumPy and (if importable) CuPy
    and SciPy, as Chainer's ``print_runtime_info`` does."""
    import platform
    import sys

    import numpy
    out = sys.stdout if out is None else out
    lines = ['Platform: {}'.format(platform.platform()),
             'dynet: {}'.format(__version__),
             'Python: {}'.format(platform.python_version()),
             'NumPy: {}'.format(numpy.__version__)]
    for name in ('cupy', 'scipy'):
        try:
            module = __import__(name)
            lines.append('{}: {}'.format(
                name if name != 'cupy' else 'CuPy', module.__version__))
        except Exception:
            lines.append('{}: Not Available'.format(
                name if name != 'cupy' else 'CuPy'))
    out.write('\n'.join(lines) + '\n')
