"""Access to CuPy without importing it before it is needed.

``import dynet`` never imports CuPy. Code that meets an array asks
``is_cupy_array``, which only looks at the array's type; CuPy itself is
imported the first time a GPU device is requested.
"""
import sys

_state = {}
_kernels = {}


def is_cupy_array(array):
    module = type(array).__module__
    return module.startswith('cupy') and module.split('.', 1)[0] == 'cupy'


def imported_cupy():
    """The cupy module if something already imported it, else None."""
    return sys.modules.get('cupy')


def cupy_or_none():
    """Imports CuPy on first call; None when it is absent or unusable."""
    if 'cupy' not in _state:
        try:
            import cupy
            cupy.cuda.runtime.getDeviceCount()
        except Exception as error:  # no CuPy, no driver or no GPU
            _state['cupy'] = None
            _state['error'] = error
        else:
            _state['cupy'] = cupy
    return _state['cupy']


def require_cupy(what):
    cupy = cupy_or_none()
    if cupy is None:
        raise RuntimeError(
            '{} needs CuPy and an NVIDIA GPU, which are not available '
            '({!s}). Install CuPy (pip install "dynet-autograd[gpu]") on a '
            'machine with a GPU.'.format(what, _state.get('error')))
    return cupy


def elementwise_kernel(in_params, out_params, operation, name, preamble=''):
    """The ``cupy.ElementwiseKernel`` with these arguments, built on first
    use and kept for the process (CuPy caches the compiled code per
    device)."""
    key = (in_params, out_params, operation, name, preamble)
    kernel = _kernels.get(key)
    if kernel is None:
        cupy = require_cupy('the GPU kernel {!r}'.format(name))
        kernel = cupy.ElementwiseKernel(in_params, out_params, operation,
                                        name, preamble=preamble)
        _kernels[key] = kernel
    return kernel
