"""Linear layer regularized by (simplified) dropconnect."""
import math

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.noise.dropout import _uniform
from dynet.variable import Variable


class SimplifiedDropconnect(FunctionNode):
    """``y = x (W * mask / (1 - ratio))^T + b`` with a Bernoulli mask on the
    weights, one per example (batchwise) or one for the whole batch."""

    def __init__(self, ratio, mask=None, use_batchwise_mask=True):
        if not 0.0 <= ratio < 1.0:
            raise ValueError('simplified_dropconnect: ratio must be in the '
                             'range [0, 1), got {}'.format(ratio))
        self.ratio = ratio
        if isinstance(mask, Variable):
            mask = mask.array
        self.mask = mask
        self.use_batchwise_mask = use_batchwise_mask

    def _mask_shape(self, x_shape, w_shape):
        if self.use_batchwise_mask:
            return (x_shape[0],) + tuple(w_shape)
        return tuple(w_shape)

    def _check_inputs(self, in_data):
        if not 2 <= len(in_data) <= 3:
            _check.fail(self, '2 or 3 inputs (x, W[, b])',
                        '{} input(s)'.format(len(in_data)))
        x, W = in_data[:2]
        _check.float_kind(self, 'x', x)
        _check.same_dtype(self, ('x', 'W'), (x, W))
        _check.ndim_at_least(self, 'x', x, 2)
        _check.ndim_equal(self, 'W', W, 2)
        if math.prod(x.shape[1:]) != W.shape[1]:
            _check.fail(self, 'prod(x.shape[1:]) == W.shape[1]',
                        '{} != {}'.format(math.prod(x.shape[1:]), W.shape[1]))
        if len(in_data) == 3:
            b = in_data[2]
            _check.same_dtype(self, ('x', 'b'), (x, b))
            _check.ndim_equal(self, 'b', b, 1)
            if b.shape[0] != W.shape[0]:
                _check.fail(self, 'b.shape[0] == W.shape[0]',
                            '{} != {}'.format(b.shape[0], W.shape[0]))
        if self.mask is not None:
            expected = self._mask_shape(x.shape, W.shape)
            if self.mask.shape != expected:
                _check.fail(self, 'mask.shape == {}'.format(expected),
                            'mask.shape == {}'.format(self.mask.shape))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, W = inputs[:2]
        xp = backend.get_array_module(x)
        if self.mask is None:
            shape = self._mask_shape(x.shape, W.shape)
            self.mask = _uniform(xp, shape) >= self.ratio
        scale = W.dtype.type(1. / (1 - self.ratio))
        # The mask as used: scaled and in W's dtype.
        self._scaled_mask = (self.mask * scale).astype(W.dtype, copy=False)
        x2 = x.reshape(x.shape[0], W.shape[1])
        if self.use_batchwise_mask:
            w = W * self._scaled_mask  # (n, M, N)
            y = xp.matmul(w, x2[:, :, None])[:, :, 0]
        else:
            y = x2.dot((W * self._scaled_mask).T)
        if len(inputs) == 3:
            y = y + inputs[2]
        return xp.asarray(y, dtype=x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.broadcast import broadcast_to
        from dynet.functions.array.reshape import reshape
        from dynet.functions.math.matmul import matmul
        from dynet.functions.math.sum import sum as _sum
        x, W = self.get_retained_inputs()
        gy = grad_outputs[0]
        m = self._scaled_mask
        n = x.shape[0]
        x2 = reshape(x, (n, W.shape[1]))
        result = []
        if self.use_batchwise_mask:
            full = (n,) + W.shape
            gy3 = broadcast_to(reshape(gy, (n, W.shape[0], 1)), full)
            if 0 in indexes:
                w = broadcast_to(reshape(W, (1,) + W.shape), full) * m
                result.append(reshape(_sum(gy3 * w, axis=1), x.shape))
            if 1 in indexes:
                x3 = broadcast_to(reshape(x2, (n, 1, W.shape[1])), full)
                result.append(_sum(gy3 * x3 * m, axis=0))
        else:
            if 0 in indexes:
                result.append(reshape(matmul(gy, W * m), x.shape))
            if 1 in indexes:
                result.append(matmul(gy, x2, transa=True) * m)
        if 2 in indexes:
            result.append(_sum(gy, axis=0))
        return tuple(result)


def simplified_dropconnect(x, W, b=None, ratio=.5, train=True, mask=None,
                           use_batchwise_mask=True):
    """Linear function with simplified dropconnect: ``y = x W'^T + b``.

    ``W'`` is ``W`` with each element dropped with probability ``ratio``
    and the rest scaled by ``1 / (1 - ratio)``. With
    ``use_batchwise_mask`` every example gets its own mask (shape
    ``(n, M, N)``), otherwise one ``(M, N)`` mask serves the batch. The
    mask is ``rand(*shape) >= ratio`` from NumPy's/CuPy's global
    generator. With ``train=False`` the ratio is 0 (so a random mask keeps
    everything, but is still drawn, as in Chainer, and a given ``mask`` is
    applied unscaled).

    Args:
        x (Variable or array): input of shape ``(n, ...)``; the axes after
            the first are flattened to ``N``.
        W (Variable or array): weights of shape ``(M, N)``, ``x``'s dtype.
        b (Variable, array or None): bias of shape ``(M,)``.
        ratio (float): the dropping probability, in ``[0, 1)``.
        train (bool): apply dropconnect (else the ratio is 0).
        mask (array or None): a 0/1 (or boolean) mask to use, of shape
            ``(n, M, N)`` (batchwise) or ``(M, N)``; it is scaled by
            ``1 / (1 - ratio)``.
        use_batchwise_mask (bool): one mask per example.
    Returns:
        Variable of shape ``(n, M)`` and ``x``'s dtype. Gradients reach
        ``x``, ``W`` and ``b``; double backprop is supported.
    """
    if not train:
        ratio = 0
    func = SimplifiedDropconnect(ratio, mask, use_batchwise_mask)
    if b is None:
        return func.apply((x, W))[0]
    return func.apply((x, W, b))[0]
