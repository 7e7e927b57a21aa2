"""Converters from ONNX nodes to dynet functions.

A converter gets a :class:`NodeContext` (attributes, opset, static
inputs) and the node's inputs, each a Variable (a value that depends on
the graph inputs or the parameters), an array (a constant) or None (an
omitted optional input), and returns the node's outputs. Everything that
carries a gradient is computed with dynet functions, so backward works
through the imported graph.

``OPS[op_type]`` holds ``(converter, static_inputs, statistics_inputs)``:
the input positions that must be known constants (shapes, axes, pads),
and those holding running statistics (BatchNormalization's mean and
variance), which the importer keeps as persistent arrays rather than
Parameters.
"""
import math

import numpy

from dynet import backend
from dynet import functions as F
from dynet.config import config
from dynet.onnx._util import to_numpy
from dynet.variable import Variable

OPS = {}


class UnsupportedNodeError(NotImplementedError):
    """An ONNX node (or one of its attributes) has no dynet form."""


class NodeContext:
    """What a converter may ask about the node being run."""

    def __init__(self, node, opset, input_kinds, follow_train=False):
        self.node = node
        self.opset = opset
        self._input_kinds = input_kinds
        #: True when BatchNormalization and Dropout follow config.train
        #: (see ``dynet.onnx.load``); False: ONNX (inference) semantics.
        self.follow_train = follow_train

    def attr(self, name, default=None):
        return self.node.attrs.get(name, default)

    def fail(self, why):
        node = self.node
        raise UnsupportedNodeError(
            'dynet.onnx.load: node {!r} (op_type {}) is not supported: {}'
            .format(node.name, node.op_type, why))

    def static(self, inputs, index, what):
        """Input ``index`` as a NumPy array; it must be a constant."""
        value = inputs[index] if index < len(inputs) else None
        if value is None:
            return None
        if isinstance(value, Variable):
            self.fail('input {} ({}) must be a constant, but it is computed '
                      'from the graph inputs or parameters'.format(
                          index, what))
        return to_numpy(value)

    def is_statistics(self, index):
        """True when input ``index`` is a persistent array (running
        statistics) that may be updated in place."""
        return self._input_kinds[index] == 'persistent'


def op(op_type, static=(), statistics=()):
    def decorate(converter):
        OPS[op_type] = (converter, tuple(static), tuple(statistics))
        return converter
    return decorate


def _const(x):
    """True for a constant (an array, not a Variable)."""
    return not isinstance(x, Variable)


def _array(x):
    return x.array if isinstance(x, Variable) else x


def _ints(values):
    return [int(v) for v in values]


# ------------------------------------------------------------ elementwise
def _unary(op_type, function):
    op(op_type)(lambda ctx, inputs: function(inputs[0]))


for _name, _function in [
        ('Relu', F.relu), ('Sigmoid', F.sigmoid), ('Tanh', F.tanh),
        ('Exp', F.exp), ('Log', F.log), ('Sqrt', F.sqrt),
        ('Abs', F.absolute), ('Sin', F.sin), ('Cos', F.cos),
        ('Tan', F.tan), ('Asin', F.arcsin), ('Acos', F.arccos),
        ('Atan', F.arctan), ('Sinh', F.sinh), ('Cosh', F.cosh),
        ('Erf', F.erf), ('Softplus', F.softplus)]:
    _unary(_name, _function)


@op('Identity')
def _identity(ctx, inputs):
    x = inputs[0]
    return x if _const(x) else F.identity(x)


@op('Neg')
def _neg(ctx, inputs):
    return -inputs[0]


@op('Reciprocal')
def _reciprocal(ctx, inputs):
    x = inputs[0]
    return 1 / x if isinstance(x, Variable) else \
        (1 / x).astype(x.dtype, copy=False)


def _both_constant_int(a, b):
    return _const(a) and _const(b) and a.dtype.kind in 'iub'


def _operand(x, like):
    """A constant operand as a Variable of ``like``'s dtype (dynet's
    binary functions need Variables of one dtype)."""
    if isinstance(x, Variable):
        return x
    return Variable(x.astype(like.dtype, copy=False), requires_grad=False)


def _binary(function):
    def convert(ctx, inputs):
        a, b = inputs
        if _const(a) and _const(b):
            return function(a, b)
        like = a if isinstance(a, Variable) else b
        return function(_operand(a, like), _operand(b, like))
    return convert


op('Add')(_binary(lambda a, b: a + b))
op('Sub')(_binary(lambda a, b: a - b))
op('Mul')(_binary(lambda a, b: a * b))


@op('Div')
def _div(ctx, inputs):
    a, b = inputs
    if _both_constant_int(a, b):
        # ONNX integer division truncates toward zero.
        return numpy.trunc(a / b).astype(a.dtype)
    return _binary(lambda u, v: u / v)(ctx, inputs)


@op('Pow')
def _pow(ctx, inputs):
    x, y = inputs
    if _const(x) and _const(y):
        return numpy.power(x, y).astype(x.dtype)
    if _const(y):
        return x ** y.astype(x.dtype)
    if y.dtype != x.dtype:
        y = F.cast(y, x.dtype)
    return _operand(x, y) ** y


@op('Max')
def _max(ctx, inputs):
    return _fold(inputs, F.maximum)


@op('Min')
def _min(ctx, inputs):
    return _fold(inputs, F.minimum)


@op('Sum')
def _sum(ctx, inputs):
    return _fold(inputs, lambda a, b: a + b)


@op('Mean')
def _mean(ctx, inputs):
    total = _fold(inputs, lambda a, b: a + b)
    return total / len(inputs)


def _fold(inputs, function):
    result = inputs[0]
    for x in inputs[1:]:
        if _const(result) and _const(x):
            result = _array(function(result, x))
        else:
            like = result if isinstance(result, Variable) else x
            result = function(_operand(result, like), _operand(x, like))
    return result


@op('MatMul')
def _matmul(ctx, inputs):
    return F.matmul(*inputs)


@op('Gemm')
def _gemm(ctx, inputs):
    a, b = inputs[:2]
    c = inputs[2] if len(inputs) > 2 else None
    alpha = ctx.attr('alpha', 1.0)
    beta = ctx.attr('beta', 1.0)
    trans_a = bool(ctx.attr('transA', 0))
    trans_b = bool(ctx.attr('transB', 0))
    if (not trans_a and trans_b and alpha == 1.0 and a.ndim == 2 and
            (c is None or (beta == 1.0 and c.shape == (b.shape[0],)))):
        return F.linear(a, b, c)
    y = F.matmul(a, b, transa=trans_a, transb=trans_b)
    if alpha != 1.0:
        y = y * alpha
    if c is not None:
        if beta != 1.0:
            c = c * beta
        y = y + _operand(c, y)
    return y


# ------------------------------------------------------------ activations
@op('LeakyRelu')
def _leaky_relu(ctx, inputs):
    return F.leaky_relu(inputs[0], slope=ctx.attr('alpha', 0.01))


@op('Elu')
def _elu(ctx, inputs):
    return F.elu(inputs[0], alpha=ctx.attr('alpha', 1.0))


def _softmax_like(function):
    def convert(ctx, inputs):
        x = inputs[0]
        if ctx.opset >= 13:
            return function(x, axis=ctx.attr('axis', -1))
        # Before opset 13 the input is seen as 2-D: the axes before
        # ``axis`` against the rest.
        axis = ctx.attr('axis', 1) % max(x.ndim, 1)
        flat = F.reshape(x, (int(numpy.prod(x.shape[:axis])), -1))
        return F.reshape(function(flat, axis=1), x.shape)
    return convert


op('Softmax')(_softmax_like(F.softmax))
op('LogSoftmax')(_softmax_like(F.log_softmax))


@op('HardSigmoid')
def _hard_sigmoid(ctx, inputs):
    alpha = ctx.attr('alpha', 0.2)
    beta = ctx.attr('beta', 0.5)
    x = inputs[0]
    if math.isclose(alpha, 0.2) and math.isclose(beta, 0.5):
        return F.hard_sigmoid(x)
    return F.clip(x * alpha + beta, 0.0, 1.0)


@op('PRelu')
def _prelu(ctx, inputs):
    x, slope = inputs
    return F.relu(x) - _operand(slope, x) * F.relu(-x)


@op('Clip', static=(1, 2))
def _clip(ctx, inputs):
    x = inputs[0]
    if ctx.opset < 11:
        low, high = ctx.attr('min'), ctx.attr('max')
    else:
        low = ctx.static(inputs, 1, 'min')
        high = ctx.static(inputs, 2, 'max')
        low = None if low is None else float(low)
        high = None if high is None else float(high)
    if _const(x):
        return numpy.clip(x, low, high).astype(x.dtype)
    return F.clip(x, low, high)


@op('Dropout', static=(1, 2))
def _dropout(ctx, inputs):
    if len(ctx.node.outputs) > 1 and ctx.node.outputs[1]:
        ctx.fail('the mask output is not supported')
    if ctx.opset >= 12:
        ratio = ctx.static(inputs, 1, 'ratio')
        ratio = 0.5 if ratio is None else float(ratio)
    else:
        ratio = ctx.attr('ratio', 0.5)
    x = inputs[0]
    if ctx.follow_train and config.train:
        return F.dropout(x, ratio)
    # ONNX (inference) semantics: the identity.
    return x if _const(x) else F.identity(x)


# ------------------------------------------------------------- convolution
def _pads(ctx, in_size, kernel, strides, dilations):
    """``(begin, end)`` paddings of a convolution-like node, with
    ``auto_pad`` resolved for the actual input size."""
    nd = len(kernel)
    auto_pad = ctx.attr('auto_pad', 'NOTSET')
    if auto_pad in ('SAME_UPPER', 'SAME_LOWER'):
        begin, end = [], []
        for d, k, s, dl in zip(in_size, kernel, strides, dilations):
            out = -(-d // s)
            total = max((out - 1) * s + (k - 1) * dl + 1 - d, 0)
            small = total // 2
            if auto_pad == 'SAME_UPPER':
                begin.append(small)
                end.append(total - small)
            else:
                begin.append(total - small)
                end.append(small)
        return begin, end
    if auto_pad == 'VALID':
        return [0] * nd, [0] * nd
    if auto_pad != 'NOTSET':
        ctx.fail('auto_pad {!r}'.format(auto_pad))
    pads = _ints(ctx.attr('pads', [0] * (2 * nd)))
    return pads[:nd], pads[nd:]


def _pad_spatial(x, begin, end, value):
    """Pads (positive widths) and crops (negative widths) the spatial
    axes of ``x`` (N, C, *spatial)."""
    if any(b > 0 for b in begin) or any(e > 0 for e in end):
        widths = [(0, 0), (0, 0)] + [(max(b, 0), max(e, 0))
                                     for b, e in zip(begin, end)]
        if _const(x):
            x = numpy.pad(x, widths, 'constant', constant_values=value)
        else:
            x = F.pad(x, widths, 'constant', constant_values=value)
    if any(b < 0 for b in begin) or any(e < 0 for e in end):
        index = [slice(None), slice(None)]
        for size, b, e in zip(x.shape[2:], begin, end):
            index.append(slice(max(-b, 0), size - max(-e, 0)))
        x = x[tuple(index)]
    return x


def _geometry(ctx, w_shape):
    kernel = tuple(w_shape[2:])
    nd = len(kernel)
    strides = _ints(ctx.attr('strides', [1] * nd))
    dilations = _ints(ctx.attr('dilations', [1] * nd))
    return kernel, strides, dilations


@op('Conv')
def _conv(ctx, inputs):
    x, w = inputs[:2]
    b = inputs[2] if len(inputs) > 2 else None
    kernel, strides, dilations = _geometry(ctx, w.shape)
    begin, end = _pads(ctx, x.shape[2:], kernel, strides, dilations)
    if begin != end:
        x = _pad_spatial(x, begin, end, 0)
        begin = [0] * len(kernel)
    return F.convolution_nd(x, w, b, stride=strides, pad=begin,
                            dilate=dilations, groups=ctx.attr('group', 1))


@op('ConvTranspose')
def _conv_transpose(ctx, inputs):
    x, w = inputs[:2]
    b = inputs[2] if len(inputs) > 2 else None
    kernel, strides, dilations = _geometry(ctx, w.shape)
    nd = len(kernel)
    groups = ctx.attr('group', 1)
    in_size = x.shape[2:]
    extra = _ints(ctx.attr('output_padding', [0] * nd))
    full = [s * (d - 1) + (k - 1) * dl + 1
            for d, k, s, dl in zip(in_size, kernel, strides, dilations)]
    output_shape = ctx.attr('output_shape')
    auto_pad = ctx.attr('auto_pad', 'NOTSET')
    if output_shape is not None or auto_pad in ('SAME_UPPER', 'SAME_LOWER'):
        if output_shape is not None:
            out = _ints(output_shape)[-nd:]
        else:
            out = [d * s for d, s in zip(in_size, strides)]
        begin, end = [], []
        for f, e, o in zip(full, extra, out):
            total = f + e - o
            if auto_pad == 'SAME_UPPER':
                begin.append(total // 2)
            else:
                begin.append(total - total // 2)
            end.append(total - begin[-1])
    elif auto_pad in ('NOTSET', 'VALID'):
        begin, end = _pads(ctx, in_size, kernel, strides, dilations)
    else:
        ctx.fail('auto_pad {!r}'.format(auto_pad))
    out = [f + e - pb - pe for f, e, pb, pe in zip(full, extra, begin, end)]
    # dynet's deconvolution: symmetric pad p, then an output of ``out``
    # (the convolution of ``out`` must give the input size back).
    if all(pb >= 0 and o > 0 and (o + 2 * pb - (k - 1) * dl - 1) // s + 1 == d
           for pb, o, k, dl, s, d in zip(begin, out, kernel, dilations,
                                         strides, in_size)):
        return F.deconvolution_nd(x, w, b, stride=strides, pad=begin,
                                  outsize=out, dilate=dilations,
                                  groups=groups)
    # Otherwise: the full transposed convolution, cropped (or padded with
    # zeros) to the ONNX output window, plus the bias.
    y = F.deconvolution_nd(x, w, None, stride=strides, pad=0,
                           dilate=dilations, groups=groups)
    y = _pad_spatial(y, [-pb for pb in begin],
                     [e - pe for e, pe in zip(extra, end)], 0)
    if b is not None:
        y = y + F.reshape(_operand(b, y), (1, -1) + (1,) * nd)
    return y


# ---------------------------------------------------------------- pooling
def _pool_geometry(ctx, x):
    """``(kernel, strides, begin, end_needed, declared_end)`` of a pooling
    node: ``end_needed`` is the end padding (negative: cropping) for which
    windows without ceil mode give exactly the ONNX output size."""
    kernel = _ints(ctx.attr('kernel_shape'))
    nd = len(kernel)
    strides = _ints(ctx.attr('strides', [1] * nd))
    if any(d != 1 for d in ctx.attr('dilations', [1] * nd)):
        ctx.fail('dilated pooling')
    in_size = x.shape[2:]
    begin, end = _pads(ctx, in_size, kernel, strides, [1] * nd)
    ceil_mode = ctx.attr('ceil_mode', 0)
    needed = []
    for d, k, s, pb, pe in zip(in_size, kernel, strides, begin, end):
        span = d + pb + pe - k
        if ceil_mode:
            out = -(-span // s) + 1
            # A last window starting inside the end padding is dropped.
            if (out - 1) * s >= d + pb:
                out -= 1
        else:
            out = span // s + 1
        if out <= 0:
            ctx.fail('empty output (input size {}, kernel {})'.format(
                tuple(in_size), tuple(kernel)))
        needed.append((out - 1) * s + k - d - pb)
    return kernel, strides, begin, needed, end


@op('MaxPool')
def _max_pool(ctx, inputs):
    if len(ctx.node.outputs) > 1 and ctx.node.outputs[1]:
        ctx.fail('the Indices output is not supported')
    if ctx.attr('storage_order', 0):
        ctx.fail('storage_order=1')
    x = inputs[0]
    kernel, strides, begin, needed, _ = _pool_geometry(ctx, x)
    if begin == needed:
        return F.max_pooling_nd(x, kernel, strides, begin, cover_all=False)
    x = _pad_spatial(x, begin, needed, -numpy.inf)
    return F.max_pooling_nd(x, kernel, strides, 0, cover_all=False)


@op('AveragePool')
def _average_pool(ctx, inputs):
    x = inputs[0]
    kernel, strides, begin, needed, end = _pool_geometry(ctx, x)
    include_pad = bool(ctx.attr('count_include_pad', 0))
    if begin == needed:
        if not include_pad:
            return F.average_pooling_nd(x, kernel, strides, begin,
                                        pad_value=None)
        if all(n <= e for n, e in zip(needed, end)):
            return F.average_pooling_nd(x, kernel, strides, begin,
                                        pad_value=0)
    # General case: window sums divided by the number of elements that
    # count (real ones, plus the declared padding with count_include_pad;
    # never the extra room that ceil_mode adds).
    sums = F.average_pooling_nd(_pad_spatial(x, begin, needed, 0), kernel,
                                strides, 0)
    counts = numpy.ones((1, 1) + x.shape[2:], dtype=x.dtype)
    if include_pad:
        counts = _pad_spatial(counts, begin, [min(n, e) for n, e in
                                              zip(needed, end)], 1)
        extra_begin = [0] * len(begin)
        extra_end = [n - min(n, e) for n, e in zip(needed, end)]
        counts = _pad_spatial(counts, extra_begin, extra_end, 0)
    else:
        counts = _pad_spatial(counts, begin, needed, 0)
    counts = _array(F.average_pooling_nd(counts, kernel, strides, 0))
    xp = sums.xp
    return sums / xp.asarray(counts)


@op('GlobalAveragePool')
def _global_average_pool(ctx, inputs):
    x = inputs[0]
    return F.mean(x, axis=tuple(range(2, x.ndim)), keepdims=True)


@op('GlobalMaxPool')
def _global_max_pool(ctx, inputs):
    x = inputs[0]
    return F.max(x, axis=tuple(range(2, x.ndim)), keepdims=True)


# ---------------------------------------------------------- normalization
@op('BatchNormalization', statistics=(3, 4))
def _batch_normalization(ctx, inputs):
    if ctx.attr('training_mode', 0) or any(ctx.node.outputs[1:]):
        ctx.fail('training mode (running statistics as outputs)')
    x, gamma, beta, mean, var = inputs
    eps = ctx.attr('epsilon', 1e-5)
    if (ctx.follow_train and config.train and ctx.is_statistics(3) and
            ctx.is_statistics(4)):
        # Like L.BatchNormalization: batch statistics in training mode,
        # with the running statistics updated in place.
        return F.batch_normalization(
            x, gamma, beta, eps=eps, running_mean=mean, running_var=var,
            decay=ctx.attr('momentum', 0.9))
    return F.fixed_batch_normalization(x, gamma, beta, mean, var, eps=eps)


@op('LRN')
def _lrn(ctx, inputs):
    size = ctx.attr('size')
    if size % 2 == 0:
        ctx.fail('an even size ({}): its window is not symmetric'.format(
            size))
    return F.local_response_normalization(
        inputs[0], n=size, k=ctx.attr('bias', 1.0),
        alpha=ctx.attr('alpha', 1e-4) / size, beta=ctx.attr('beta', 0.75))


# ------------------------------------------------------------- reductions
def _reduction_axes(ctx, inputs, axes_as_input):
    if axes_as_input:
        axes = ctx.static(inputs, 1, 'axes')
    else:
        axes = ctx.attr('axes')
    if axes is None or len(axes) == 0:
        if ctx.attr('noop_with_empty_axes', 0):
            return ()
        return None
    ndim = inputs[0].ndim
    return tuple(sorted(int(a) % ndim for a in axes))


def _reduction(op_type, function, first_opset_with_input):
    def convert(ctx, inputs):
        x = inputs[0]
        axes = _reduction_axes(ctx, inputs,
                               ctx.opset >= first_opset_with_input)
        if axes == ():
            return x if _const(x) else F.identity(x)
        keepdims = bool(ctx.attr('keepdims', 1))
        if _const(x):
            x = Variable(x, requires_grad=False)
        y = function(x, axes)
        if keepdims:
            all_axes = range(x.ndim) if axes is None else axes
            shape = tuple(1 if i in all_axes else n
                          for i, n in enumerate(x.shape))
            y = F.reshape(y, shape)
        return y
    op(op_type, static=(1,))(convert)


_reduction('ReduceSum', lambda x, a: F.sum(x, axis=a), 13)
_reduction('ReduceMean', lambda x, a: F.mean(x, axis=a), 18)
_reduction('ReduceMax', lambda x, a: F.max(x, axis=a), 18)
_reduction('ReduceMin', lambda x, a: F.min(x, axis=a), 18)
_reduction('ReduceProd', lambda x, a: F.prod(x, axis=a), 18)
_reduction('ReduceLogSumExp', lambda x, a: F.logsumexp(x, axis=a), 18)
_reduction('ReduceSumSquare', lambda x, a: F.sum(x * x, axis=a), 18)
_reduction('ReduceL1', lambda x, a: F.sum(F.absolute(x), axis=a), 18)
_reduction('ReduceL2', lambda x, a: F.sqrt(F.sum(x * x, axis=a)), 18)


# ------------------------------------------------------------------ shapes
def _reshape_any(x, shape):
    return x.reshape(shape) if _const(x) else F.reshape(x, shape)


@op('Reshape', static=(1,))
def _reshape(ctx, inputs):
    x = inputs[0]
    shape = _ints(ctx.static(inputs, 1, 'shape'))
    if not ctx.attr('allowzero', 0):
        shape = [x.shape[i] if n == 0 else n for i, n in enumerate(shape)]
    return _reshape_any(x, tuple(shape))


@op('Flatten')
def _flatten(ctx, inputs):
    x = inputs[0]
    axis = ctx.attr('axis', 1)
    if axis < 0:
        axis += x.ndim
    return _reshape_any(x, (int(numpy.prod(x.shape[:axis])),
                            int(numpy.prod(x.shape[axis:]))))


@op('Transpose')
def _transpose(ctx, inputs):
    x = inputs[0]
    perm = ctx.attr('perm')
    perm = tuple(range(x.ndim))[::-1] if perm is None else tuple(
        _ints(perm))
    return x.transpose(perm) if _const(x) else F.transpose(x, perm)


@op('Concat')
def _concat(ctx, inputs):
    axis = ctx.attr('axis')
    if all(_const(x) for x in inputs):
        xp = backend.get_array_module(inputs[0])
        return xp.concatenate(inputs, axis=axis)
    like = next(x for x in inputs if isinstance(x, Variable))
    return F.concat([_operand(x, like) for x in inputs], axis=axis)


@op('Split', static=(1,))
def _split(ctx, inputs):
    x = inputs[0]
    axis = ctx.attr('axis', 0) % x.ndim
    if ctx.opset >= 13:
        sizes = ctx.static(inputs, 1, 'split')
    else:
        sizes = ctx.attr('split')
    n_outputs = len(ctx.node.outputs)
    size = x.shape[axis]
    if sizes is None:
        n = ctx.attr('num_outputs', n_outputs)
        step = -(-size // n)
        sizes = [min(step, size - step * i) for i in range(n)]
    bounds = list(numpy.cumsum(_ints(sizes))[:-1])
    if _const(x):
        return numpy.split(x, bounds, axis=axis)
    return F.split_axis(x, [int(b) for b in bounds], axis)


def _axes_input(ctx, inputs, what):
    if ctx.opset >= 13:
        axes = ctx.static(inputs, 1, what)
    else:
        axes = ctx.attr('axes')
    return None if axes is None else _ints(axes)


@op('Squeeze', static=(1,))
def _squeeze(ctx, inputs):
    x = inputs[0]
    axes = _axes_input(ctx, inputs, 'axes')
    if axes is None:
        axes = [i for i, n in enumerate(x.shape) if n == 1]
    axes = {a % x.ndim for a in axes}
    shape = tuple(n for i, n in enumerate(x.shape) if i not in axes)
    return _reshape_any(x, shape)


@op('Unsqueeze', static=(1,))
def _unsqueeze(ctx, inputs):
    x = inputs[0]
    axes = _axes_input(ctx, inputs, 'axes')
    ndim = x.ndim + len(axes)
    axes = {a % ndim for a in axes}
    rest = iter(x.shape)
    shape = tuple(1 if i in axes else next(rest) for i in range(ndim))
    return _reshape_any(x, shape)


@op('Expand', static=(1,))
def _expand(ctx, inputs):
    x = inputs[0]
    shape = numpy.broadcast_shapes(x.shape, tuple(
        _ints(ctx.static(inputs, 1, 'shape'))))
    if _const(x):
        return numpy.broadcast_to(x, shape).copy()
    return F.broadcast_to(x, shape)


@op('Slice', static=(1, 2, 3, 4))
def _slice(ctx, inputs):
    x = inputs[0]
    if ctx.opset >= 10:
        starts = ctx.static(inputs, 1, 'starts')
        ends = ctx.static(inputs, 2, 'ends')
        axes = ctx.static(inputs, 3, 'axes')
        steps = ctx.static(inputs, 4, 'steps')
    else:
        starts, ends = ctx.attr('starts'), ctx.attr('ends')
        axes, steps = ctx.attr('axes'), None
    starts, ends = _ints(starts), _ints(ends)
    axes = list(range(len(starts))) if axes is None else _ints(axes)
    steps = [1] * len(starts) if steps is None else _ints(steps)
    index = [slice(None)] * x.ndim
    for start, end, axis, step in zip(starts, ends, axes, steps):
        axis %= x.ndim
        size = x.shape[axis]
        start, end = _clamp_slice(start, end, step, size)
        index[axis] = slice(start, end, step)
    return x[tuple(index)] if _const(x) else F.get_item(x, tuple(index))


def _clamp_slice(start, end, step, size):
    """ONNX Slice bounds as Python slice bounds (None: to the end)."""
    if start < 0:
        start += size
    if end < 0:
        end += size
    if step > 0:
        return min(max(start, 0), size), min(max(end, 0), size)
    if size == 0:
        return 0, 0
    start = min(max(start, 0), size - 1)
    end = min(max(end, -1), size - 1)
    return start, (None if end < 0 else end)


@op('Gather')
def _gather(ctx, inputs):
    x, indices = inputs
    indices = _array(indices)
    axis = ctx.attr('axis', 0) % x.ndim
    index = (slice(None),) * axis + (indices,)
    if indices.ndim == 0:
        index = (slice(None),) * axis + (int(indices),)
    return x[index] if _const(x) else F.get_item(x, index)


@op('Pad', static=(1, 2, 3))
def _pad(ctx, inputs):
    x = inputs[0]
    mode = ctx.attr('mode', 'constant')
    if mode not in ('constant', 'reflect', 'edge', 'wrap'):
        ctx.fail('mode {!r}'.format(mode))
    if ctx.opset >= 11:
        pads = _ints(ctx.static(inputs, 1, 'pads'))
        value = ctx.static(inputs, 2, 'constant_value')
        axes = ctx.static(inputs, 3, 'axes')
    else:
        pads, value, axes = _ints(ctx.attr('pads')), ctx.attr('value'), None
    axes = list(range(x.ndim)) if axes is None else [
        a % x.ndim for a in _ints(axes)]
    n = len(axes)
    widths = [(0, 0)] * x.ndim
    for axis, begin, end in zip(axes, pads[:n], pads[n:]):
        widths[axis] = (begin, end)
    value = 0 if value is None else float(numpy.asarray(value))
    positive = [(max(b, 0), max(e, 0)) for b, e in widths]
    if any(b or e for b, e in positive):
        keywords = {'constant_values': value} if mode == 'constant' else {}
        if _const(x):
            x = numpy.pad(x, positive, mode, **keywords)
        else:
            x = F.pad(x, positive, mode, **keywords)
    if any(b < 0 or e < 0 for b, e in widths):
        index = tuple(slice(max(-b, 0), n - max(-e, 0))
                      for (b, e), n in zip(widths, x.shape))
        x = x[index] if _const(x) else F.get_item(x, index)
    return x


@op('Tile', static=(1,))
def _tile(ctx, inputs):
    x = inputs[0]
    reps = tuple(_ints(ctx.static(inputs, 1, 'repeats')))
    return numpy.tile(x, reps) if _const(x) else F.tile(x, reps)


@op('Cast')
def _cast(ctx, inputs):
    import onnx.helper
    x = inputs[0]
    dtype = onnx.helper.tensor_dtype_to_np_dtype(ctx.attr('to'))
    if _const(x):
        return x.astype(dtype)
    if x.dtype == dtype:
        return F.identity(x)
    if x.dtype.kind != 'f' or numpy.dtype(dtype).kind != 'f':
        # Not differentiable: the result is a constant.
        return x.array.astype(dtype)
    return F.cast(x, dtype)


# --------------------------------------------------------------- constants
@op('Constant')
def _constant(ctx, inputs):
    for name in ('value', 'value_float', 'value_floats', 'value_int',
                 'value_ints'):
        value = ctx.attr(name)
        if value is not None:
            if name.startswith('value_float'):
                return numpy.asarray(value, dtype=numpy.float32)
            if name.startswith('value_int'):
                return numpy.asarray(value, dtype=numpy.int64)
            return value
    ctx.fail('only value, value_float(s) and value_int(s) are supported')


@op('Shape')
def _shape(ctx, inputs):
    shape = numpy.asarray(inputs[0].shape, dtype=numpy.int64)
    ndim = len(shape)
    start = ctx.attr('start', 0)
    end = ctx.attr('end', ndim)
    return shape[slice(start, end)]


@op('ConstantOfShape', static=(0,))
def _constant_of_shape(ctx, inputs):
    shape = tuple(_ints(ctx.static(inputs, 0, 'shape')))
    value = ctx.attr('value')
    if value is None:
        return numpy.zeros(shape, dtype=numpy.float32)
    return numpy.full(shape, value.reshape(-1)[0], dtype=value.dtype)
