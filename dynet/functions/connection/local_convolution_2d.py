"""Two-dimensional local (unshared-weight) convolution."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.connection.im2col import _Geometry, _patches, Col2Im
from dynet.functions.connection.im2col import Im2Col
from dynet.utils import conv as conv_util


class LocalConvolution2DFunction(FunctionNode):
    """x (N, C, H, W), W (O, oh, ow, C, kh, kw), optional b (O, oh, ow)
    -> y (N, O, oh, ow)."""

    def __init__(self, stride=1):
        self.stride = conv_util.as_tuple(stride, 2, 'stride')
        if any(int(s) < 1 for s in self.stride):
            raise ValueError('local_convolution_2d: stride must be positive, '
                             'got {}'.format(self.stride))

    def _geometry(self, w_shape):
        return _Geometry(w_shape[4:], self.stride, 0, 1, False,
                         'local_convolution_2d')

    def _check_inputs(self, in_data):
        n = len(in_data)
        if n not in (2, 3):
            _check.fail(self, '2 or 3 inputs (x, W[, b])',
                        '{} input(s)'.format(n))
        x, w = in_data[:2]
        _check.float_kind(self, 'x', x)
        _check.same_dtype(self, ('x', 'W', 'b')[:n], in_data)
        _check.ndim_equal(self, 'x', x, 4)
        _check.ndim_equal(self, 'W', w, 6)
        if x.shape[1] != w.shape[3]:
            _check.fail(self, 'x.shape[1] == W.shape[3]',
                        '{} != {}'.format(x.shape[1], w.shape[3]))
        geometry = self._geometry(w.shape)
        out = geometry.out_size(x.shape[2:])
        if out[0] < w.shape[1] or out[1] < w.shape[2]:
            _check.fail(
                self, 'at least W.shape[1:3] == {} output positions'.format(
                    w.shape[1:3]),
                'input size {}, ksize {}, stride {} give {}'.format(
                    x.shape[2:], w.shape[4:], geometry.stride, out))
        if n == 3:
            b = in_data[2]
            if b.shape != w.shape[:3]:
                _check.fail(self, 'b.shape == W.shape[:3]',
                            '{} != {}'.format(b.shape, w.shape[:3]))

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, w = inputs[:2]
        xp = backend.get_array_module(x)
        geometry = self._geometry(w.shape)
        col = _patches(x, geometry, w.shape[1:3])  # (N, C, kh, kw, oh, ow)
        n, c, kh, kw, oh, ow = col.shape
        # One (N, C*kh*kw) x (C*kh*kw, O) product per output position.
        col = col.reshape(n, c * kh * kw, oh * ow).transpose(2, 0, 1)
        wm = w.reshape(w.shape[0], oh * ow, c * kh * kw).transpose(1, 2, 0)
        y = xp.matmul(col, wm)  # (oh*ow, N, O)
        y = y.transpose(1, 2, 0).reshape(n, w.shape[0], oh, ow)
        if len(inputs) == 3:
            y = y + inputs[2]
        return xp.ascontiguousarray(y.astype(x.dtype, copy=False)),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.einsum import einsum
        from dynet.functions.math.sum import sum as sum_
        x, w = self.get_retained_inputs()
        gy = grad_outputs[0]
        geometry = self._geometry(w.shape)
        result = []
        for i in indexes:
            if i == 0:
                gcol = einsum('noij,oijckl->ncklij', gy, w)
                result.append(Col2Im(geometry, x.shape[2:], flat=False)
                              .apply((gcol,))[0])
            elif i == 1:
                col = Im2Col(geometry, flat=False,
                             outs=w.shape[1:3]).apply((x,))[0]
                result.append(einsum('noij,ncklij->oijckl', gy, col))
            else:
                result.append(sum_(gy, axis=0))
        return tuple(result)


def local_convolution_2d(x, W, b=None, stride=1):
    """Two-dimensional local convolution: a convolution whose filters are
    not shared between output positions.

    ``y[n, o, i, j] = sum_{c, p, q} W[o, i, j, c, p, q]
    x[n, c, i s_Y + p, j s_X + q] + b[o, i, j]`` (no padding).

    Args:
        x (Variable or array): input (n, c_I, h, w), float.
        W (Variable or array): filters (c_O, h_O, w_O, c_I, k_H, k_W) of
            ``x``'s dtype; ``(h_O, w_O)`` is the output size, at most
            ``((h - k_H) // s_Y + 1, (w - k_W) // s_X + 1)``.
        b (Variable or array): optional bias (c_O, h_O, w_O).
        stride (int or pair of ints): stride of filter applications.
    Returns:
        Variable of shape (n, c_O, h_O, w_O). Differentiable to any order
        in ``x``, ``W`` and ``b``.
    """
    inputs = (x, W) if b is None else (x, W, b)
    return LocalConvolution2DFunction(stride).apply(inputs)[0]
