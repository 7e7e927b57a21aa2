"""Trigonometric functions: sin, cos, tan and their inverses arcsin,
arccos, arctan, plus the two-argument arctan2."""
from dynet import backend
from dynet.functions.math._elementwise import (
    BinaryFloat, UnaryFloat, as_output, sum_to_shape)


class Sin(UnaryFloat):

    label = 'sin'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(backend.get_array_module(x).sin(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * cos(x),


def sin(x):
    """Elementwise sine, ``y = sin(x)`` (radians).

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype. Differentiable twice and more
        (``d/dx sin(x) = cos(x)``).
    """
    return Sin().apply((x,))[0]


class Cos(UnaryFloat):

    label = 'cos'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(backend.get_array_module(x).cos(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return -(grad_outputs[0] * sin(x)),


def cos(x):
    """Elementwise cosine, ``y = cos(x)`` (radians).

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype (``d/dx cos(x) = -sin(x)``).
    """
    return Cos().apply((x,))[0]


class Tan(UnaryFloat):

    label = 'tan'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(backend.get_array_module(x).tan(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.square import square
        x, = self.get_retained_inputs()
        return grad_outputs[0] / square(cos(x)),


def tan(x):
    """Elementwise tangent, ``y = tan(x)`` (radians).

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype
        (``d/dx tan(x) = 1 / cos(x) ** 2``).
    """
    return Tan().apply((x,))[0]


class Arcsin(UnaryFloat):

    label = 'arcsin'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(backend.get_array_module(x).arcsin(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.sqrt import sqrt
        from dynet.functions.math.square import square
        x, = self.get_retained_inputs()
        return grad_outputs[0] / sqrt(1 - square(x)),


def arcsin(x):
    """Elementwise arcsine, ``y = arcsin(x)`` in ``[-pi/2, pi/2]``.

    Args:
        x (Variable or array): float16/32/64 input of any shape; NaN outside
            ``[-1, 1]`` (as NumPy).
    Returns:
        Variable of ``x``'s shape and dtype
        (``d/dx arcsin(x) = 1 / sqrt(1 - x ** 2)``, infinite at +-1).
    """
    return Arcsin().apply((x,))[0]


class Arccos(UnaryFloat):

    label = 'arccos'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(backend.get_array_module(x).arccos(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.sqrt import sqrt
        from dynet.functions.math.square import square
        x, = self.get_retained_inputs()
        return -(grad_outputs[0] / sqrt(1 - square(x))),


def arccos(x):
    """Elementwise arccosine, ``y = arccos(x)`` in ``[0, pi]``.

    Args:
        x (Variable or array): float16/32/64 input of any shape; NaN outside
            ``[-1, 1]`` (as NumPy).
    Returns:
        Variable of ``x``'s shape and dtype
        (``d/dx arccos(x) = -1 / sqrt(1 - x ** 2)``).
    """
    return Arccos().apply((x,))[0]


class Arctan(UnaryFloat):

    label = 'arctan'

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return as_output(backend.get_array_module(x).arctan(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.square import square
        x, = self.get_retained_inputs()
        return grad_outputs[0] / (square(x) + 1),


def arctan(x):
    """Elementwise arctangent, ``y = arctan(x)`` in ``(-pi/2, pi/2)``.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
    Returns:
        Variable of ``x``'s shape and dtype
        (``d/dx arctan(x) = 1 / (1 + x ** 2)``).
    """
    return Arctan().apply((x,))[0]


class Arctan2(BinaryFloat):

    label = 'arctan2'

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x1, x2 = inputs
        xp = backend.get_array_module(x1, x2)
        return as_output(xp.arctan2(x1, x2), x1.dtype),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.square import square
        x1, x2 = self.get_retained_inputs()
        gy = grad_outputs[0]
        g = gy / (square(x1) + square(x2))
        result = []
        for i in indexes:
            gx = g * x2 if i == 0 else -(g * x1)
            result.append(sum_to_shape(gx, self.inputs[i].shape))
        return tuple(result)


def arctan2(x1, x2):
    """Elementwise arctangent of ``x1 / x2`` using the signs of both to
    choose the quadrant: the angle of the point ``(x2, x1)``.

    Args:
        x1 (Variable or array): y-coordinates, float16/32/64.
        x2 (Variable or array): x-coordinates, same dtype as ``x1``; the
            shapes are broadcast (NumPy rules).
    Returns:
        Variable of the broadcast shape: angles in radians in
        ``[-pi, pi]``. Gradients ``x2 / (x1**2 + x2**2)`` for ``x1`` and
        ``-x1 / (x1**2 + x2**2)`` for ``x2`` (NaN at the origin).
    """
    return Arctan2().apply((x1, x2))[0]
