"""Arithmetic behind Variable's operators (``+ - * / ** @``, ``-x``,
``abs(x)``), with NumPy broadcasting.

Two Variables (or arrays) must share a dtype. A Python scalar or an array
on the other side of a Variable is a constant: it is cast to the
Variable's dtype and receives no gradient.
"""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.variable import Variable, _is_array


def _sum_to(gy, shape):
    """``gy`` summed over broadcast axes down to ``shape`` (a Variable)."""
    if gy.shape == shape:
        return gy
    from dynet.functions.math.sum import sum_to
    return sum_to(gy, shape)


class _Binary(FunctionNode):
    """Two-operand elementwise node: same dtype, broadcastable shapes."""

    _names = ('lhs', 'rhs')

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        a, b = in_data
        if a.dtype != b.dtype:
            _check.same_dtype(self, self._names, in_data)
        if a.shape != b.shape:
            _check.broadcastable(self, self._names, in_data)


class _Unary(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)


class Add(_Binary):

    def forward(self, inputs):
        return inputs[0] + inputs[1],

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        return tuple([_sum_to(gy, self.inputs[i].shape) for i in indexes])


class AddConstant(_Unary):

    def __init__(self, value):
        self.value = value

    def forward(self, inputs):
        return inputs[0] + self.value,

    def backward(self, indexes, grad_outputs):
        return _sum_to(grad_outputs[0], self.inputs[0].shape),


class MultiAdd(FunctionNode):
    """Sum of any number of same-dtype, broadcastable inputs."""

    def _check_inputs(self, in_data):
        if not in_data:
            _check.fail(self, 'at least one input', 'no inputs')
        names = ['xs[{}]'.format(i) for i in range(len(in_data))]
        _check.same_dtype(self, names, in_data)
        _check.broadcastable(self, names, in_data)

    def forward(self, inputs):
        total = inputs[0]
        for x in inputs[1:]:
            total = total + x
        if total is inputs[0]:
            total = total.copy()
        return total,

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        return tuple([_sum_to(gy, self.inputs[i].shape) for i in indexes])


class Sub(_Binary):

    def forward(self, inputs):
        return inputs[0] - inputs[1],

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        return tuple([_sum_to(gy if i == 0 else -gy, self.inputs[i].shape)
                      for i in indexes])


class SubFromConstant(_Unary):

    def __init__(self, value):
        self.value = value

    def forward(self, inputs):
        return self.value - inputs[0],

    def backward(self, indexes, grad_outputs):
        return _sum_to(-grad_outputs[0], self.inputs[0].shape),


class Mul(_Binary):

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        return inputs[0] * inputs[1],

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        x0, x1 = self.get_retained_inputs()
        return tuple([_sum_to(gy * (x1 if i == 0 else x0),
                              self.inputs[i].shape) for i in indexes])


class MulConstant(_Unary):

    def __init__(self, value):
        self.value = value

    def forward(self, inputs):
        return inputs[0] * self.value,

    def backward(self, indexes, grad_outputs):
        return _sum_to(grad_outputs[0] * self.value, self.inputs[0].shape),


class Div(_Binary):

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        return inputs[0] / inputs[1],

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        x0, x1 = self.get_retained_inputs()
        gx0 = gy / x1
        result = []
        for i in indexes:
            if i == 0:
                result.append(_sum_to(gx0, self.inputs[0].shape))
            else:
                result.append(_sum_to(-gx0 * x0 / x1, self.inputs[1].shape))
        return tuple(result)


class DivFromConstant(_Unary):

    def __init__(self, value):
        self.value = value

    def forward(self, inputs):
        self.retain_inputs((0,))
        return self.value / inputs[0],

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gx = grad_outputs[0] * (-self.value) / (x * x)
        return _sum_to(gx, self.inputs[0].shape),


class Neg(_Unary):

    def forward(self, inputs):
        return -inputs[0],

    def backward(self, indexes, grad_outputs):
        return -grad_outputs[0],


class Absolute(_Unary):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_inputs((0,))
        return abs(inputs[0]),

    def backward(self, indexes, grad_outputs):
        x = self.inputs[0].data
        xp = backend.get_array_module(x)
        return grad_outputs[0] * xp.sign(x),


class PowVarVar(_Binary):

    def _check_inputs(self, in_data):
        super()._check_inputs(in_data)
        _check.float_kind(self, 'lhs', in_data[0])

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        self.retain_outputs((0,))
        return inputs[0] ** inputs[1],

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.exponential import log
        gy = grad_outputs[0]
        x0, x1 = self.get_retained_inputs()
        result = []
        for i in indexes:
            if i == 0:
                gx = gy * x1 * x0 ** (x1 - 1)
            else:
                y, = self.get_retained_outputs()
                gx = gy * y * log(x0)
            result.append(_sum_to(gx, self.inputs[i].shape))
        return tuple(result)


class PowVarConst(_Unary):

    def __init__(self, value):
        self.value = value

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_inputs((0,))
        return inputs[0] ** self.value,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        value = self.value
        if numpy.isscalar(value) and value == 2:
            gx = grad_outputs[0] * (x * 2)
        else:
            gx = grad_outputs[0] * (x ** (value - 1) * value)
        return _sum_to(gx, self.inputs[0].shape),


class PowConstVar(_Unary):

    def __init__(self, value):
        self.value = value

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])

    def forward(self, inputs):
        self.retain_outputs((0,))
        return self.value ** inputs[0],

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        xp = backend.get_array_module(y)
        log_value = xp.log(xp.asarray(self.value, dtype=y.dtype))
        return _sum_to(grad_outputs[0] * y * log_value,
                       self.inputs[0].shape),


def _as_constant(x, value, op):
    """``value`` as a constant operand for Variable ``x``: cast to
    ``x.dtype`` (scalars and arrays) or a clear TypeError."""
    dtype = x.dtype
    if _is_array(value):
        if value.dtype != dtype:
            value = value.astype(dtype)
        if type(value) is not type(x.array) and (
                backend.get_array_module(value) is not
                backend.get_array_module(x.array)):
            raise TypeError(
                'Variable {} array: the array is on {} but the Variable is '
                'on {}'.format(op, backend.get_device_from_array(value),
                               x.device))
        return value
    if isinstance(value, (bool, int, float, numpy.number, numpy.bool_)):
        return dtype.type(value)
    raise TypeError(
        'unsupported operand for Variable {}: {} (expected a Variable, an '
        'array or a scalar)'.format(op, type(value).__name__))


def add(*xs):
    """Elementwise sum of any number of Variables (broadcasting)."""
    if len(xs) == 2:
        return Add().apply(xs)[0]
    return MultiAdd().apply(xs)[0]


def _add(self, other):
    if isinstance(other, Variable):
        return Add().apply((self, other))[0]
    return AddConstant(_as_constant(self, other, '+')).apply((self,))[0]


def _sub(self, other):
    if isinstance(other, Variable):
        return Sub().apply((self, other))[0]
    return AddConstant(-_as_constant(self, other, '-')).apply((self,))[0]


def _rsub(self, other):
    return SubFromConstant(_as_constant(self, other, '-')).apply((self,))[0]


def _mul(self, other):
    if isinstance(other, Variable):
        return Mul().apply((self, other))[0]
    return MulConstant(_as_constant(self, other, '*')).apply((self,))[0]


def _div(self, other):
    if isinstance(other, Variable):
        return Div().apply((self, other))[0]
    value = _as_constant(self, other, '/')
    return MulConstant(value.dtype.type(1) / value).apply((self,))[0]


def _rdiv(self, other):
    return DivFromConstant(_as_constant(self, other, '/')).apply((self,))[0]


def _pow(self, other):
    if isinstance(other, Variable):
        return PowVarVar().apply((self, other))[0]
    return PowVarConst(_as_constant(self, other, '**')).apply((self,))[0]


def _rpow(self, other):
    return PowConstVar(_as_constant(self, other, '**')).apply((self,))[0]


def _neg(self):
    return Neg().apply((self,))[0]


def _abs(self):
    return Absolute().apply((self,))[0]


def absolute(x):
    """Elementwise absolute value ``|x|`` (float inputs)."""
    return Absolute().apply((x,))[0]


def _matmul(self, other):
    from dynet.functions.math.matmul import matmul
    if not isinstance(other, Variable):
        other = _as_constant(self, other, '@')
    return matmul(self, other)


def _rmatmul(self, other):
    from dynet.functions.math.matmul import matmul
    return matmul(_as_constant(self, other, '@'), self)


def install_variable_arithmetics():
    """Gives Variable its arithmetic operators."""
    Variable.__add__ = Variable.__radd__ = _add
    Variable.__sub__ = _sub
    Variable.__rsub__ = _rsub
    Variable.__mul__ = Variable.__rmul__ = _mul
    Variable.__truediv__ = _div
    Variable.__rtruediv__ = _rdiv
    Variable.__pow__ = _pow
    Variable.__rpow__ = _rpow
    Variable.__neg__ = _neg
    Variable.__abs__ = _abs
    Variable.__pos__ = lambda self: self
    Variable.__matmul__ = _matmul
    Variable.__rmatmul__ = _rmatmul
