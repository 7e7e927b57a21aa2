"""Decorrelated batch normalization layer."""
import numbers
import warnings

import numpy

from dynet import backend
from dynet import link
from dynet.config import config
from dynet.functions.normalization._util import parse_kwargs
from dynet.functions.normalization.decorrelated_batch_normalization import (
    decorrelated_batch_normalization, fixed_decorrelated_batch_normalization)
from dynet.links.normalization.batch_normalization import running_decay
from dynet.serializers.base import Deserializer


class DecorrelatedBatchNormalization(link.Link):
    """Decorrelated batch normalization layer (ZCA whitening of groups of
    channels), on outputs of linear or convolution layers. It has no
    learnable parameters.

    Three modes, as :class:`~dynet.links.BatchNormalization`:

    - training (``config.train`` True): whitens by the batch statistics
      (:func:`~dynet.functions.decorrelated_batch_normalization`) and
      updates the moving averages ``avg_mean`` and ``avg_projection``;
    - fine-tuning (``config.train`` True and ``finetune=True``): whitens
      by the batch statistics and accumulates the exact average of the
      statistics of the batches since :meth:`start_finetuning` (``N``
      counts them);
    - testing (``config.train`` False): whitens by ``avg_mean`` and
      ``avg_projection``
      (:func:`~dynet.functions.fixed_decorrelated_batch_normalization`);
      nothing is updated.

    Args:
        size (int): number of channels; it must be divisible by
            ``groups``.
        groups (int): number of groups of consecutive channels, each
            whitened on its own.
        decay (float): decay rate of the moving averages.
        eps (float): added to the diagonal of the covariances.
        dtype: dtype of the statistics.

    Attributes:
        avg_mean (array, persistent): ``(groups, size // groups)`` population
            mean, initially zero.
        avg_projection (array, persistent): ``(groups, size // groups,
            size // groups)`` population whitening matrices, initially the
            identity.
        N (int, persistent): the number of fine-tuning batches.
        groups, decay, eps: as given.

    Loading statistics saved in Chainer v6's layout (``avg_mean`` of shape
    ``(C,)``, ``avg_projection`` ``(C, C)``, one whitening shared by the
    groups) broadcasts them to every group, with a warning when ``groups``
    is not 1 (Chainer v7 does the same).

    See: `Decorrelated Batch Normalization <https://arxiv.org/abs/1804.08450>`_
    """

    def __init__(self, size, groups=16, decay=0.9, eps=2e-5,
                 dtype=numpy.float32):
        super().__init__()
        for name, value in (('size', size), ('groups', groups)):
            if not isinstance(value, (numbers.Integral, numpy.integer)) or \
                    isinstance(value, bool) or value < 1:
                raise ValueError(
                    'DecorrelatedBatchNormalization: {} must be a positive '
                    'int, got {!r}'.format(name, value))
        if size % groups:
            raise ValueError(
                'DecorrelatedBatchNormalization: size ({}) must be divisible '
                'by groups ({})'.format(size, groups))
        channels = int(size) // int(groups)
        dtype = numpy.dtype(dtype)
        self.avg_mean = numpy.zeros((groups, channels), dtype=dtype)
        self.register_persistent('avg_mean')
        self.avg_projection = numpy.broadcast_to(
            numpy.eye(channels, dtype=dtype),
            (groups, channels, channels)).copy()
        self.register_persistent('avg_projection')
        self.N = 0
        self.register_persistent('N')
        self.groups = int(groups)
        self.decay = decay
        self.eps = eps

    @property
    def printable_specs(self):
        yield 'size', self.avg_mean.size
        yield 'groups', self.groups
        yield 'decay', self.decay
        yield 'eps', self.eps
        yield 'dtype', self.avg_mean.dtype

    def forward(self, x, **kwargs):
        """forward(self, x, finetune=False)

        Whitens ``x`` (``(b, size, ...)``): by the batch statistics
        (updating the running ones) when ``config.train`` is True, by
        ``avg_mean`` and ``avg_projection`` otherwise.

        Args:
            x: Variable or array.
            finetune (bool): in training mode, accumulate the population
                statistics as an exact average over the batches since
                :meth:`start_finetuning` instead of a moving average.
        """
        finetune, = parse_kwargs(
            'DecorrelatedBatchNormalization.forward', kwargs,
            (('finetune', False),))
        if not config.train:
            dtype = x.dtype
            return fixed_decorrelated_batch_normalization(
                x, self.avg_mean.astype(dtype, copy=False),
                self.avg_projection.astype(dtype, copy=False),
                groups=self.groups)
        decay, update = running_decay(self, finetune)
        avg_mean, avg_projection = (self.avg_mean, self.avg_projection) \
            if update else (None, None)
        return decorrelated_batch_normalization(
            x, groups=self.groups, eps=self.eps, running_mean=avg_mean,
            running_projection=avg_projection, decay=decay)

    def start_finetuning(self):
        """Resets the batch count ``N`` before fine-tuning again."""
        self.N = 0

    def serialize(self, serializer):
        if isinstance(serializer, Deserializer):
            serializer = _OldLayoutDeserializer(serializer, self.groups)
        super().serialize(serializer)


def _warn_old_layout():
    warnings.warn(
        'DecorrelatedBatchNormalization: found statistics in the layout of '
        'Chainer v6 (one whitening shared by all groups, an algorithm that '
        'differs from the paper); they are copied to every group')


class _OldLayoutDeserializer(Deserializer):
    """Reads ``avg_mean`` / ``avg_projection`` stored without the group
    axis (Chainer v6) by broadcasting them over the groups; every other
    entry is passed through.

    An all-or-nothing load runs ``serialize`` twice: a checking pass, where
    ``base(key, None)`` answers None and a scratch array of the old shape
    validates the entry, then the real pass, where ``base(key, None)``
    answers the stored array. A file fitting neither layout fails in the
    checking pass, before anything is modified.
    """

    def __init__(self, base, groups):
        self.base = base
        self.groups = groups

    def __getitem__(self, key):
        return self.base[key]

    def __call__(self, key, value):
        if key not in ('avg_mean', 'avg_projection') or value is None:
            return self.base(key, value)
        try:
            return self.base(key, value)
        except ValueError as error:
            mismatch = error
        old_shape = value.shape[1:]
        stored = self.base(key, None)
        if stored is None:  # the checking pass
            try:
                self.base(key, numpy.empty(old_shape, dtype=value.dtype))
            except ValueError:
                raise mismatch from None
            return value
        if tuple(stored.shape) != old_shape:
            raise mismatch
        if self.groups != 1:
            _warn_old_layout()
        backend.copyto(value, numpy.broadcast_to(stored, value.shape))
        return value
