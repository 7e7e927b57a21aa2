"""Bilinear function (the building block of Neural Tensor Networks)."""
import math

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


def _as_mat(x):
    return x.reshape(x.shape[0], math.prod(x.shape[1:]))


class BilinearFunction(FunctionNode):
    """(e1, e2, W[, V1, V2, b]) -> y (I, L)."""

    def _check_inputs(self, in_data):
        n = len(in_data)
        if n not in (3, 6):
            _check.fail(self, '3 or 6 inputs (e1, e2, W[, V1, V2, b])',
                        '{} input(s)'.format(n))
        names = ('e1', 'e2', 'W', 'V1', 'V2', 'b')[:n]
        e1, e2, w = in_data[:3]
        _check.float_kind(self, 'e1', e1)
        _check.same_dtype(self, names, in_data)
        _check.ndim_at_least(self, 'e1', e1, 2)
        _check.ndim_at_least(self, 'e2', e2, 2)
        _check.ndim_equal(self, 'W', w, 3)
        if e1.shape[0] != e2.shape[0]:
            _check.fail(self, 'e1.shape[0] == e2.shape[0]',
                        '{} != {}'.format(e1.shape[0], e2.shape[0]))
        if math.prod(e1.shape[1:]) != w.shape[0]:
            _check.fail(self, 'prod(e1.shape[1:]) == W.shape[0]',
                        '{} != {}'.format(math.prod(e1.shape[1:]), w.shape[0]))
        if math.prod(e2.shape[1:]) != w.shape[1]:
            _check.fail(self, 'prod(e2.shape[1:]) == W.shape[1]',
                        '{} != {}'.format(math.prod(e2.shape[1:]), w.shape[1]))
        if n == 6:
            v1, v2, b = in_data[3:]
            expected = (('V1', v1, (w.shape[0], w.shape[2])),
                        ('V2', v2, (w.shape[1], w.shape[2])),
                        ('b', b, (w.shape[2],)))
            for name, array, shape in expected:
                if array.shape != shape:
                    _check.fail(self, '{}.shape == {}'.format(name, shape),
                                '{}.shape == {}'.format(name, array.shape))

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))) if len(inputs) == 6
                           else (0, 1, 2))
        e1 = _as_mat(inputs[0])
        e2 = _as_mat(inputs[1])
        w = inputs[2]
        xp = backend.get_array_module(e1)
        i, j = e1.shape
        k = e2.shape[1]
        # sum_jk e1_ij e2_ik W_jkl as one GEMM over the (j, k) pairs.
        outer = (e1[:, :, None] * e2[:, None, :]).reshape(i, j * k)
        y = outer.dot(w.reshape(j * k, w.shape[2]))
        if len(inputs) == 6:
            v1, v2, b = inputs[3:]
            y += e1.dot(v1)
            y += e2.dot(v2)
            y += b
        return xp.asarray(y, dtype=e1.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.reshape import reshape
        from dynet.functions.math.einsum import einsum
        from dynet.functions.math.matmul import matmul
        from dynet.functions.math.sum import sum as sum_
        inputs = self.get_retained_inputs()
        e1_shape = self.inputs[0].shape
        e2_shape = self.inputs[1].shape
        e1 = reshape(inputs[0], (e1_shape[0], math.prod(e1_shape[1:])))
        e2 = reshape(inputs[1], (e2_shape[0], math.prod(e2_shape[1:])))
        w = inputs[2]
        gy = grad_outputs[0]
        linear = len(inputs) == 6
        result = []
        for index in indexes:
            if index == 0:
                g = einsum('ik,jkl,il->ij', e2, w, gy)
                if linear:
                    g = g + matmul(gy, inputs[3], transb=True)
                result.append(reshape(g, e1_shape))
            elif index == 1:
                g = einsum('ij,jkl,il->ik', e1, w, gy)
                if linear:
                    g = g + matmul(gy, inputs[4], transb=True)
                result.append(reshape(g, e2_shape))
            elif index == 2:
                result.append(einsum('ij,ik,il->jkl', e1, e2, gy))
            elif index == 3:
                result.append(matmul(e1, gy, transa=True))
            elif index == 4:
                result.append(matmul(e2, gy, transa=True))
            else:
                result.append(sum_(gy, axis=0))
        return tuple(result)


def bilinear(e1, e2, W, V1=None, V2=None, b=None):
    """Bilinear function of two inputs (Socher et al., Neural Tensor
    Networks).

    ``y_il = sum_jk e1_ij e2_ik W_jkl + sum_j e1_ij V1_jl
    + sum_k e2_ik V2_kl + b_l``.

    Args:
        e1 (Variable or array): left input (I, J); more axes are flattened
            into J (the first axis is the batch).
        e2 (Variable or array): right input (I, K), likewise.
        W (Variable or array): quadratic weight (J, K, L).
        V1, V2 (Variable or array): linear weights (J, L) and (K, L).
        b (Variable or array): bias (L,).
            ``V1``, ``V2`` and ``b`` are given all together or not at all.
    Returns:
        Variable (I, L) of the inputs' (common, floating) dtype. All
        inputs receive gradients; double backprop is supported.
    Raises:
        ValueError: only some of ``V1``, ``V2``, ``b`` are given.
    """
    flags = [V1 is None, V2 is None, b is None]
    if any(flags):
        if not all(flags):
            raise ValueError('bilinear: V1, V2 and b must be all given or '
                             'all None; got V1 {}, V2 {}, b {}'.format(
                                 *['None' if f else 'given' for f in flags]))
        return BilinearFunction().apply((e1, e2, W))[0]
    return BilinearFunction().apply((e1, e2, W, V1, V2, b))[0]
