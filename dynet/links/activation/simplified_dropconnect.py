"""Fully connected layer with simplified dropconnect
(``chainer.links.SimplifiedDropconnect``; Chainer keeps it in
``chainer.links.activation``)."""
import numpy

from dynet import initializers
from dynet import link
from dynet.functions.noise.simplified_dropconnect import (
    simplified_dropconnect)
from dynet.links._bias import bias_parameter
from dynet.variable import Parameter, Variable


class SimplifiedDropconnect(link.Link):
    """Fully connected layer regularized by simplified dropconnect: ``y =
    x W'^T + b`` where ``W'`` is ``W`` with each element dropped with
    probability ``ratio`` and the rest scaled by ``1 / (1 - ratio)``
    (see :func:`dynet.functions.simplified_dropconnect`).

    Args:
        in_size (int or None): input size (None: deferred to the first
            call, where it is the size of one example).
        out_size (int): output size.
        ratio (float): dropping probability, in ``[0, 1)``.
        nobias (bool): no bias.
        initialW: initializer of ``W`` (out_size, in_size) (default
            ``HeNormal(1 / sqrt(2))``).
        initial_bias: initializer of ``b`` (default 0).

    Attributes:
        W (Parameter): weights (out_size, in_size).
        b (Parameter or None): bias (out_size,).
    """

    def __init__(self, in_size, out_size, ratio=.5, nobias=False,
                 initialW=None, initial_bias=None):
        super().__init__()
        self.out_size = out_size
        self.ratio = ratio
        if initialW is None:
            initialW = initializers.HeNormal(1. / numpy.sqrt(2))
        with self.init_scope():
            self.W = Parameter(initializers._get_initializer(initialW))
            if in_size is not None:
                self._initialize_params(in_size)
            self.b = bias_parameter(nobias, initial_bias, out_size)

    def _initialize_params(self, in_size):
        self.W.initialize((self.out_size, in_size))

    def forward(self, x, train=True, mask=None, use_batchwise_mask=True):
        """Applies the layer.

        Args:
            x (Variable or array): input (n, ...); the axes after the
                first are flattened.
            train (bool): apply dropconnect (else a plain linear layer).
            mask (array or None): a given 0/1 mask, (n, out_size, in_size)
                (batchwise) or (out_size, in_size); as in Chainer, the
                first mask given is also kept as the persistent ``mask``
                (saved by serializers).
            use_batchwise_mask (bool): one mask per example.
        Returns:
            Variable (n, out_size).
        """
        if self.W.array is None:
            self._initialize_params(x.size // x.shape[0])
        if mask is not None and 'mask' not in self.__dict__:
            self.add_persistent('mask', mask.array if isinstance(
                mask, Variable) else mask)
        return simplified_dropconnect(x, self.W, self.b, self.ratio, train,
                                      mask, use_batchwise_mask)
