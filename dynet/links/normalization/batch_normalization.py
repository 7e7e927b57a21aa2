"""Batch normalization layer with running statistics."""
import copy

import numpy

from dynet import backend
from dynet import initializers
from dynet import link
from dynet.config import config, get_dtype
from dynet.functions.normalization._util import (
    AxisError, parse_kwargs)
from dynet.functions.normalization.batch_normalization import (
    batch_normalization, fixed_batch_normalization)
from dynet.serializers.base import Deserializer
from dynet.variable import Parameter

_TEST_REMOVED = {'test': 'test argument is not supported anymore. Use '
                         'chainer.using_config'}


class _CallableInitializer(initializers.Initializer):
    """A plain callable given as initializer, with a dtype attached."""

    def __init__(self, function, dtype):
        super().__init__(dtype)
        self.function = function

    def __call__(self, array):
        self.function(array)


def initializer_with_dtype(initializer, default, dtype):
    """The initializer for ``initializer`` (``default`` when None) creating
    arrays of ``dtype``; a given Initializer object is copied, not
    modified."""
    if initializer is None:
        initializer = default
    initializer = initializers._get_initializer(initializer)
    if isinstance(initializer, initializers.Initializer):
        initializer = copy.copy(initializer)
        initializer.dtype = dtype
        return initializer
    return _CallableInitializer(initializer, dtype)


def running_decay(link, finetune):
    """``(decay, update)`` for a training forward of a normalization link
    with running statistics: with ``finetune`` the decay is ``1 - 1/N``
    over the batches seen (``link.N`` counts them), else ``link.decay``;
    ``update`` is False while F.forget recomputes the forward pass (the
    first pass already updated the statistics and the count)."""
    if finetune:
        link.N += 1
        decay = 1. - 1. / link.N
    else:
        decay = link.decay
    if config.in_recomputing:
        if finetune:
            link.N -= 1
        return decay, False
    return decay, True


class BatchNormalization(link.Link):
    """Batch normalization layer on outputs of linear or convolution layers.

    Three modes:

    - training (``config.train`` True): normalizes by the batch statistics
      and updates the moving averages ``avg_mean`` and ``avg_var``
      (``avg = decay * avg + (1 - decay) * batch``, the variance unbiased);
    - fine-tuning (``config.train`` True and ``finetune=True``): normalizes
      by the batch statistics and accumulates the *exact* average of the
      statistics of all batches seen since :meth:`start_finetuning`
      (``N`` counts them; the decay of the i-th batch is ``1 - 1 / i``);
    - testing (``config.train`` False): normalizes by ``avg_mean`` and
      ``avg_var`` (:func:`~dynet.functions.fixed_batch_normalization`);
      the output of a sample does not depend on the rest of the batch and
      nothing is updated.

    Args:
        size (int, tuple of ints or None): the shape of the channel axes
            (``C`` for ``(N, C, ...)`` inputs). None defers it to the first
            forward: the input's shape without the ``axis`` axes, or
            ``(x.shape[1],)`` when ``axis`` is None too.
        decay (float): decay rate of the moving averages.
        eps (float): added to the variances.
        dtype: dtype of the parameters and statistics (default:
            ``config.dtype``; float32 in ``mixed16`` mode).
        use_gamma (bool), use_beta (bool): learn a scale / a shift (when
            False, 1 / 0 are used).
        initial_gamma, initial_beta: initializers (default 1 and 0).
        axis (None, int or tuple of ints): the aggregation axes, as in
            :func:`~dynet.functions.batch_normalization`.
        initial_avg_mean, initial_avg_var: initializers of the statistics
            (default 0 and 1).

    Attributes:
        gamma, beta (Parameter or None), avg_mean, avg_var (arrays,
        persistent), N (int, persistent): the number of fine-tuning batches.
    """

    gamma = None
    beta = None
    avg_mean = None
    avg_var = None

    def __init__(self, size=None, decay=0.9, eps=2e-5, dtype=None,
                 use_gamma=True, use_beta=True, initial_gamma=None,
                 initial_beta=None, axis=None, initial_avg_mean=None,
                 initial_avg_var=None):
        super().__init__()
        if isinstance(axis, (int, numpy.integer)) and \
                not isinstance(axis, bool):
            axis = (int(axis),)
        elif axis is not None:
            if not isinstance(axis, (tuple, list)) or not all(
                    isinstance(a, (int, numpy.integer)) for a in axis):
                raise AxisError(
                    'BatchNormalization: axis must be an int, a tuple of '
                    'ints or None, got {!r}'.format(axis))
            axis = tuple(int(a) for a in axis)
        self.axis = axis
        self._initial_avg_mean = initial_avg_mean
        self._initial_avg_var = initial_avg_var
        self.N = 0
        self.register_persistent('N')
        self.decay = decay
        self.eps = eps
        self._highprec_dtype = get_dtype(dtype, map_mixed16=numpy.float32)
        with self.init_scope():
            if use_gamma:
                self.gamma = Parameter(initializer_with_dtype(
                    initial_gamma, 1, self._highprec_dtype))
            if use_beta:
                self.beta = Parameter(initializer_with_dtype(
                    initial_beta, 0, self._highprec_dtype))
        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, shape):
        if isinstance(shape, (int, numpy.integer)):
            shape = (int(shape),)
        shape = tuple(shape)
        self.avg_mean = self._init_array(self._initial_avg_mean, 0, shape)
        self._initial_avg_mean = None
        self.register_persistent('avg_mean')
        self.avg_var = self._init_array(self._initial_avg_var, 1, shape)
        self._initial_avg_var = None
        self.register_persistent('avg_var')
        if self.gamma is not None:
            self.gamma.initialize(shape)
        if self.beta is not None:
            self.beta.initialize(shape)

    def _init_array(self, initializer, default, shape):
        initializer = initializers._get_initializer(
            default if initializer is None else initializer)
        if isinstance(initializer, initializers.Initializer):
            initializer = copy.copy(initializer)
            initializer.dtype = None
        return initializers.generate_array(
            initializer, shape, self.xp, dtype=self._highprec_dtype,
            device=self.device)

    def _channel_shape(self, x):
        """The shape of the statistics for input ``x`` (deferred size)."""
        ndim = x.ndim
        if self.axis is None:
            if ndim < 2:
                raise ValueError(
                    '{}: cannot infer the size from an input of shape {}: '
                    'give size or axis'.format(type(self).__name__, x.shape))
            return (x.shape[1],)
        axes = set()
        for a in self.axis:
            if not -ndim <= a < ndim:
                raise AxisError(
                    '{}: axis {} is out of range for an input of {} '
                    'dimensions'.format(type(self).__name__, a, ndim))
            axes.add(a % ndim)
        return tuple(n for i, n in enumerate(x.shape) if i not in axes)

    @property
    def printable_specs(self):
        shape = None if self.avg_mean is None else self.avg_mean.shape
        yield 'size', shape[0] if shape is not None and len(shape) == 1 \
            else shape
        yield 'decay', self.decay
        yield 'eps', self.eps
        yield 'dtype', self._highprec_dtype
        yield 'use_gamma', self.gamma is not None
        yield 'use_beta', self.beta is not None

    def _scale_and_shift(self, dtype):
        """gamma and beta, or ones and zeros when they are not learned."""
        gamma, beta = self.gamma, self.beta
        if gamma is None or beta is None:
            with backend.using_device(self.device):
                if gamma is None:
                    gamma = self.xp.ones(self.avg_mean.shape, dtype=dtype)
                if beta is None:
                    beta = self.xp.zeros(self.avg_mean.shape, dtype=dtype)
        return gamma, beta

    def forward(self, x, **kwargs):
        """forward(self, x, finetune=False)

        Normalizes ``x``: by the batch statistics (updating the running
        ones) when ``config.train`` is True, by ``avg_mean`` and
        ``avg_var`` otherwise.

        Args:
            x: Variable or array.
            finetune (bool): in training mode, accumulate the population
                statistics as an exact average over the batches since
                :meth:`start_finetuning` instead of a moving average.
        """
        finetune, = parse_kwargs(
            'BatchNormalization.forward', kwargs, (('finetune', False),),
            _TEST_REMOVED)
        if self.avg_mean is None:
            self._initialize_params(self._channel_shape(x))
        gamma, beta = self._scale_and_shift(self._highprec_dtype)
        if not config.train:
            return fixed_batch_normalization(
                x, gamma, beta, self.avg_mean, self.avg_var, self.eps,
                axis=self.axis)
        decay, update = running_decay(self, finetune)
        avg_mean, avg_var = (self.avg_mean, self.avg_var) if update else \
            (None, None)
        return batch_normalization(
            x, gamma, beta, eps=self.eps, running_mean=avg_mean,
            running_var=avg_var, decay=decay, axis=self.axis)

    def start_finetuning(self):
        """Resets the batch count ``N`` before fine-tuning again."""
        self.N = 0

    def serialize(self, serializer):
        # A link whose size is still deferred takes the shape of its
        # statistics from the file, so that a loaded model works at once.
        if self.avg_mean is None and isinstance(serializer, Deserializer):
            try:
                mean = serializer('avg_mean', None)
            except KeyError:
                mean = None
            if mean is not None:
                self._initialize_params(mean.shape)
        super().serialize(serializer)
