"""PrintHook: prints what every function receives, for debugging."""
import sys
import warnings

from dynet import backend
from dynet import function_hook
from dynet import variable


class PrintHook(function_hook.FunctionHook):
    """Function hook that prints each function's inputs before its forward
    and, before its backward, its inputs and output gradients.

    Each array is described as ``Variable.debug_print`` does (device,
    backend, shape, dtype, mean and standard deviation)::

        function\tExp
        input data
        <variable at 0x7f...>
        - device: @numpy
        - backend: <class 'numpy.ndarray'>
        - shape: (2, 3)
        - dtype: float32
        - statistics: mean=0.50000000, std=0.28867513
        - grad: None

    An output gradient is shown as the ``grad`` of a variable of zeros with
    the same shape; an input whose array backward did not keep is shown as
    ``(removed)``.

    Args:
        sep: deprecated and ignored (kept for compatibility).
        end: written after each printed item.
        file: where to write; None (the default) means the ``sys.stdout``
            current at the time of printing.
        flush: flush ``file`` after each function.
    """

    name = 'PrintHook'

    def __init__(self, sep=None, end='\n', file=None, flush=True):
        if sep is not None:
            warnings.warn('the sep argument of PrintHook is deprecated and '
                          'ignored', DeprecationWarning, stacklevel=2)
        self.sep = sep
        self.end = end
        self.file = file
        self.flush = flush

    def _write(self, file, text):
        file.write(text + self.end)

    def _process(self, function, in_data, out_grad=None):
        file = sys.stdout if self.file is None else self.file
        self._write(file, 'function\t{}'.format(function.label))
        self._write(file, 'input data')
        for array in in_data:
            if array is None:
                self._write(file, '(removed)')
            else:
                self._write(file, variable.Variable(
                    array, requires_grad=False).debug_print())
        if out_grad is not None:
            self._write(file, 'output gradient')
            for grad in out_grad:
                if grad is None:
                    holder = variable.Variable()
                else:
                    xp = backend.get_array_module(grad)
                    holder = variable.Variable(xp.zeros_like(grad),
                                               requires_grad=False)
                    holder.grad = grad
                self._write(file, holder.debug_print())
        if self.flush and hasattr(file, 'flush'):
            file.flush()

    def forward_preprocess(self, function, in_data):
        self._process(function, in_data)

    def backward_preprocess(self, function, in_data, out_grad):
        self._process(function, in_data, out_grad)
