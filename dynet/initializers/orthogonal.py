"""The Orthogonal initializer."""
import numpy

from dynet import backend
from dynet.initializers._base import Initializer, _check_dtype


# mode -> (refuse more inputs than outputs, refuse more outputs than inputs)
_MODES = {
    'auto': (False, False),
    'projection': (False, True),
    'embedding': (True, False),
    'basis': (True, True),
}


class Orthogonal(Initializer):
    """Fills with ``scale`` times a (semi-)orthogonal matrix.

    The array is viewed as a matrix of ``shape[0]`` rows (outputs) and
    ``prod(shape[1:])`` columns (inputs). A matrix of standard Gaussian
    draws from ``numpy.random`` (or ``rng``) of that shape is QR-decomposed
    (transposed first when it is wide), the signs of Q's columns are fixed
    so that R has a non-negative diagonal, and the result times ``scale`` is
    written to the array. The rows are then orthonormal (times ``scale``)
    when there are at most as many rows as columns, and the columns
    otherwise. The computation is done in float64 on the host whatever the
    array's dtype and device.

    A 0-dim array gets ``+scale`` or ``-scale`` at random.
    Reference: Saxe et al., https://arxiv.org/abs/1312.6120

    Args:
        scale (float): multiplies the orthogonal matrix.
        dtype: data type specifier.
        mode (str): which shapes are accepted: ``'auto'`` (any),
            ``'projection'`` (rows <= columns: orthonormal rows),
            ``'embedding'`` (columns <= rows: orthonormal columns) or
            ``'basis'`` (square).
        rng: a random generator (e.g. ``numpy.random.RandomState``) to draw
            from instead of ``numpy.random``.
    """

    def __init__(self, scale=1.1, dtype=None, mode='auto', *, rng=None):
        if mode not in _MODES:
            raise ValueError(
                'Orthogonal: invalid mode {!r}; choose from {}'.format(
                    mode, ', '.join(repr(m) for m in _MODES)))
        self.scale = scale
        self.mode = mode
        self.rng = rng
        super().__init__(dtype)

    def __call__(self, array):
        _check_dtype(self, array)
        if array.ndim == 0:
            array[...] = self.scale * (2 * self._random_bit() - 1)
            return
        if array.size == 0:
            raise ValueError(
                'Orthogonal: cannot fill an empty array (shape {})'.format(
                    array.shape))
        n_out = array.shape[0]
        n_in = array.size // n_out
        refuse_wide_in, refuse_wide_out = _MODES[self.mode]
        if (n_in > n_out and refuse_wide_in) or \
                (n_out > n_in and refuse_wide_out):
            raise ValueError(
                'Orthogonal: cannot make an orthogonal {} for shape {} '
                '(read as {} inputs and {} outputs)'.format(
                    self.mode, array.shape, n_in, n_out))
        gauss = self._standard_normal((n_out, n_in))
        wide = n_in > n_out
        if wide:
            gauss = gauss.T
        q, r = numpy.linalg.qr(gauss)
        q *= numpy.copysign(self.scale, numpy.diag(r))
        if wide:
            q = q.T
        backend.copyto(array, q.reshape(array.shape).astype(
            array.dtype, copy=False))

    def _random_bit(self):
        if self.rng is None:
            return int(numpy.random.randint(2))
        if hasattr(self.rng, 'randint'):
            return int(self.rng.randint(2))
        return int(self.rng.integers(2))

    def _standard_normal(self, shape):
        if self.rng is None:
            return numpy.random.normal(size=shape)
        drawn = self.rng.normal(size=shape)
        host = numpy.empty(drawn.shape, dtype=drawn.dtype)
        backend.copyto(host, drawn)
        return host
