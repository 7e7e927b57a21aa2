"""Converters from dynet FunctionNodes to ONNX nodes.

Each converter receives the GraphBuilder and a :class:`Call` describing
one recorded application (the node, its input and output value names and
their shapes) and appends the ONNX nodes that compute the same outputs.
Converters are registered by FunctionNode class (not by name, so a user
class that happens to share a name is never converted by mistake).
"""
import numpy

from dynet.functions.activation import (
    clipped_relu, elu, hard_sigmoid, leaky_relu, log_softmax, prelu, relu,
    sigmoid, softmax, softplus, tanh)
from dynet.functions.array import (
    axes as axes_mod, broadcast, cast, concat, copy, expand_dims, flatten,
    get_item, pad, permutate, reshape, split_axis, squeeze, stack, tile,
    transpose, transpose_sequence)
from dynet.functions.connection import convolution_nd, embed_id, linear
from dynet.functions.math import (
    average, basic_math, exponential, hyperbolic, identity, logsumexp,
    matmul, maximum, minimum, minmax, prod, sqrt, square, sum as sum_mod,
    trigonometric)
from dynet.functions.math import clip as clip_mod
from dynet.functions.noise import dropout
from dynet.functions.normalization import (
    batch_normalization, local_response_normalization)
from dynet.functions.pooling import average_pooling_nd, max_pooling_nd
from dynet.functions.rnn import lstm
from dynet.onnx._util import to_numpy

_INT64_MIN = -2 ** 63
_CONVERTERS = {}


class UnsupportedFunctionError(NotImplementedError):
    """A recorded function (or one of its settings) has no ONNX form."""


class Call:
    """One recorded function application, as seen by a converter.

    Attributes:
        func: the FunctionNode.
        inputs, outputs: lists of ONNX value names.
        in_shapes, in_dtypes: shapes and dtypes of the inputs.
        out_shapes, out_dtypes: those of the outputs (None for an output
            whose Variable no longer exists).
    """

    def __init__(self, func, inputs, outputs, in_nodes, out_nodes):
        self.func = func
        self.inputs = inputs
        self.outputs = outputs
        self.in_shapes = [tuple(n.shape) for n in in_nodes]
        self.in_dtypes = [n.dtype for n in in_nodes]
        self.out_shapes = [None if n is None else tuple(n.shape)
                           for n in out_nodes]
        self.out_dtypes = [None if n is None else n.dtype
                           for n in out_nodes]

    def unsupported(self, why):
        func = self.func
        raise UnsupportedFunctionError(
            'dynet.onnx.export: function {} ({}.{}) cannot be exported: {}'
            .format(func.label, type(func).__module__, type(func).__name__,
                    why))


def convert(g, func, names):
    """Writes the ONNX nodes of ``func``; ``names`` maps id(VariableNode)
    to value names and receives the names of the outputs."""
    converter = _CONVERTERS.get(type(func))
    if converter is None:
        raise UnsupportedFunctionError(
            'dynet.onnx.export: function {} ({}.{}) has no ONNX converter. '
            'Supported functions: {}'.format(
                func.label, type(func).__module__, type(func).__name__,
                ', '.join(sorted({c.__name__ for c in _CONVERTERS}))))
    in_names = [names[id(node)] for node in func.inputs]
    out_nodes = [ref() for ref in func.outputs]
    out_names = []
    for node in out_nodes:
        name = None if node is None else names.get(id(node))
        if name is None:
            name = g.unique(func.label)
            if node is not None:
                names[id(node)] = name
        out_names.append(name)
    converter(g, Call(func, in_names, out_names, func.inputs, out_nodes))


def _register(*classes):
    def decorate(converter):
        for cls in classes:
            _CONVERTERS[cls] = converter
        return converter
    return decorate


def _scalar(call, value, index=0):
    """``value`` as a 0-dim array of input ``index``'s dtype."""
    return numpy.asarray(value, dtype=call.in_dtypes[index])


# ------------------------------------------------------------ elementwise
_UNARY = {
    relu.ReLU: 'Relu', sigmoid.Sigmoid: 'Sigmoid', tanh.Tanh: 'Tanh',
    exponential.Exp: 'Exp', exponential.Log: 'Log', sqrt.Sqrt: 'Sqrt',
    basic_math.Neg: 'Neg', basic_math.Absolute: 'Abs',
    copy.Copy: 'Identity',
    trigonometric.Sin: 'Sin', trigonometric.Cos: 'Cos',
    trigonometric.Tan: 'Tan', trigonometric.Arcsin: 'Asin',
    trigonometric.Arccos: 'Acos', trigonometric.Arctan: 'Atan',
    hyperbolic.Sinh: 'Sinh', hyperbolic.Cosh: 'Cosh',
}
_BINARY = {
    basic_math.Add: 'Add', basic_math.Sub: 'Sub', basic_math.Mul: 'Mul',
    basic_math.Div: 'Div', basic_math.PowVarVar: 'Pow',
    maximum.Maximum: 'Max', minimum.Minimum: 'Min',
}


def _unary(g, call):
    g.op(_UNARY[type(call.func)], call.inputs[:1], call.outputs)


def _binary(g, call):
    g.op(_BINARY[type(call.func)], call.inputs[:2], call.outputs)


_register(*_UNARY)(_unary)
_register(*_BINARY)(_binary)


@_register(identity.Identity)
def _identity(g, call):
    for x, y in zip(call.inputs, call.outputs):
        g.op('Identity', [x], [y])


@_register(basic_math.MultiAdd)
def _multi_add(g, call):
    g.op('Sum', call.inputs, call.outputs)


@_register(square.Square)
def _square(g, call):
    x = call.inputs[0]
    g.op('Mul', [x, x], call.outputs)


# ``x op constant`` and ``constant op x``: the constant is cast to x's dtype.
_WITH_CONSTANT = {
    basic_math.AddConstant: ('Add', False),
    basic_math.SubFromConstant: ('Sub', True),
    basic_math.MulConstant: ('Mul', False),
    basic_math.DivFromConstant: ('Div', True),
    basic_math.PowVarConst: ('Pow', False),
    basic_math.PowConstVar: ('Pow', True),
}


@_register(*_WITH_CONSTANT)
def _with_constant(g, call):
    op_type, constant_first = _WITH_CONSTANT[type(call.func)]
    value = g.constant(to_numpy(call.func.value).astype(call.in_dtypes[0]))
    x = call.inputs[0]
    g.op(op_type, [value, x] if constant_first else [x, value],
         call.outputs)


# ------------------------------------------------------------ activations
@_register(leaky_relu.LeakyReLU)
def _leaky_relu(g, call):
    g.op('LeakyRelu', call.inputs, call.outputs,
         alpha=float(call.func.slope))


@_register(elu.ELU)
def _elu(g, call):
    g.op('Elu', call.inputs, call.outputs, alpha=float(call.func.alpha))


@_register(softmax.Softmax, log_softmax.LogSoftmax)
def _softmax(g, call):
    op_type = 'Softmax' if type(call.func) is softmax.Softmax \
        else 'LogSoftmax'
    ndim = len(call.in_shapes[0])
    g.op(op_type, call.inputs, call.outputs,
         axis=_normalized(call, call.func.axis, ndim))


@_register(clipped_relu.ClippedReLU)
def _clipped_relu(g, call):
    low = g.constant(_scalar(call, 0))
    high = g.constant(_scalar(call, call.func.cap))
    g.op('Clip', [call.inputs[0], low, high], call.outputs)


@_register(hard_sigmoid.HardSigmoid)
def _hard_sigmoid(g, call):
    g.op('HardSigmoid', call.inputs, call.outputs, alpha=0.2, beta=0.5)


@_register(softplus.Softplus)
def _softplus(g, call):
    beta = float(call.func.beta)
    if beta == 1.0:
        g.op('Softplus', call.inputs, call.outputs)
        return
    b = g.constant(_scalar(call, beta))
    scaled = g.op('Mul', [call.inputs[0], b])
    g.op('Div', [g.op('Softplus', [scaled]), b], call.outputs)


@_register(prelu.PReLUFunction)
def _prelu(g, call):
    x_ndim = len(call.in_shapes[0])
    w_shape = call.in_shapes[1]
    slope = g.reshape(call.inputs[1],
                      tuple(w_shape) + (1,) * (x_ndim - 1 - len(w_shape)))
    g.op('PRelu', [call.inputs[0], slope], call.outputs)


@_register(clip_mod.Clip)
def _clip(g, call):
    f = call.func
    low = '' if f.x_min is None else g.constant(_scalar(call, f.x_min))
    high = '' if f.x_max is None else g.constant(_scalar(call, f.x_max))
    g.op('Clip', [call.inputs[0], low, high], call.outputs)


@_register(dropout.Dropout)
def _dropout(g, call):
    # Only recorded in training mode; ONNX Dropout is the identity at
    # inference, where the exported graph is meant to run.
    ratio = g.constant(numpy.asarray(call.func.dropout_ratio,
                                     dtype=call.in_dtypes[0]))
    g.op('Dropout', [call.inputs[0], ratio], call.outputs)


# ------------------------------------------------------------- connection
@_register(linear.LinearFunction)
def _linear(g, call):
    g.op('Gemm', call.inputs, call.outputs, transB=1)


@_register(embed_id.EmbedIDFunction)
def _embed_id(g, call):
    if call.func.ignore_label is not None:
        call.unsupported('ignore_label is not expressible in ONNX Gather')
    x, w = call.inputs
    g.op('Gather', [w, x], call.outputs, axis=0)


def _cover_all_end_pads(in_size, ksize, stride, pad, dilate, out_size):
    """End paddings for which a floor-mode window count reproduces
    Chainer's ``cover_all`` output size (only as much extra padding as
    the last window needs)."""
    pads_end = []
    for d, k, s, p, dl, o in zip(in_size, ksize, stride, pad, dilate,
                                 out_size):
        dk = k + (k - 1) * (dl - 1)
        pads_end.append(max(p, (o - 1) * s + dk - d - p))
    return pads_end


@_register(convolution_nd.ConvolutionND)
def _convolution(g, call):
    geo = call.func.geometry
    in_size = call.in_shapes[0][2:]
    ksize = call.in_shapes[1][2:]
    pads_end = list(geo.pad)
    if geo.cover_all:
        out = geo.out_size(in_size, ksize)
        pads_end = _cover_all_end_pads(in_size, ksize, geo.stride, geo.pad,
                                       geo.dilate, out)
    g.op('Conv', call.inputs, call.outputs, kernel_shape=list(ksize),
         strides=list(geo.stride), pads=list(geo.pad) + pads_end,
         dilations=list(geo.dilate), group=geo.groups)


@_register(convolution_nd.DeconvolutionND)
def _deconvolution(g, call):
    geo = call.func.geometry
    in_size = call.in_shapes[0][2:]
    ksize = call.in_shapes[1][2:]
    out_size = call.out_shapes[0][2:]
    pads_end, output_padding = [], []
    # ONNX: out = s (d - 1) + output_padding + dk - pad_begin - pad_end.
    for d, k, s, p, dl, o in zip(in_size, ksize, geo.stride, geo.pad,
                                 geo.dilate, out_size):
        dk = k + (k - 1) * (dl - 1)
        end = s * (d - 1) + dk - p - o
        pads_end.append(max(end, 0))
        output_padding.append(max(-end, 0))
    g.op('ConvTranspose', call.inputs, call.outputs,
         kernel_shape=list(ksize), strides=list(geo.stride),
         pads=list(geo.pad) + pads_end, dilations=list(geo.dilate),
         group=geo.groups,
         output_padding=output_padding if any(output_padding) else None)


# ---------------------------------------------------------------- pooling
@_register(max_pooling_nd.MaxPoolingND)
def _max_pooling(g, call):
    f = call.func
    in_size = call.in_shapes[0][2:]
    out_size = f.out_size(in_size)
    for d, k, s, p, o in zip(in_size, f.ksize, f.stride, f.pad, out_size):
        if p >= k or (o - 1) * s - p >= d:
            call.unsupported(
                'some pooling window lies entirely in the padding (ksize '
                '{}, stride {}, pad {}, input size {}, cover_all={}); dynet '
                'gives -inf there, ONNX MaxPool does not define it'.format(
                    f.ksize, f.stride, f.pad, in_size, f.cover_all))
    pads_end = _cover_all_end_pads(in_size, f.ksize, f.stride, f.pad,
                                   (1,) * f.ndim, out_size)
    g.op('MaxPool', call.inputs, call.outputs, kernel_shape=list(f.ksize),
         strides=list(f.stride), pads=list(f.pad) + pads_end)


@_register(average_pooling_nd.AveragePoolingND)
def _average_pooling(g, call):
    f = call.func
    # pad_value=0: padding counts as zeros (count_include_pad=1);
    # pad_value=None: averages over the real elements only.
    g.op('AveragePool', call.inputs, call.outputs,
         kernel_shape=list(f.ksize), strides=list(f.stride),
         pads=list(f.pad) * 2,
         count_include_pad=1 if f.pad_value == 0 else 0)


# ---------------------------------------------------------- normalization
def _kept_shape(x_shape, axes):
    return tuple(1 if i in axes else n for i, n in enumerate(x_shape))


def _standard_axes(x_ndim, gamma_ndim, axis):
    """True when the statistics are over (0, 2, 3, ...) with a 1-D
    gamma: the layout of ONNX BatchNormalization."""
    if gamma_ndim != 1 or x_ndim < 2:
        return False
    return axis is None or tuple(a % x_ndim for a in axis) == (0,) + tuple(
        range(2, x_ndim))


def _channel_params(g, call, indexes, axes):
    """The parameter inputs reshaped to broadcast against x."""
    kshape = _kept_shape(call.in_shapes[0], axes)
    return [g.reshape(call.inputs[i], kshape) for i in indexes]


@_register(batch_normalization.FixedBatchNormalization)
def _fixed_batch_normalization(g, call):
    f = call.func
    x_ndim = len(call.in_shapes[0])
    eps = float(f.eps)
    if _standard_axes(x_ndim, len(call.in_shapes[1]), f.axis):
        g.op('BatchNormalization', call.inputs, call.outputs, epsilon=eps)
        return
    channels = [i for i in range(x_ndim) if i not in f.axes]
    if len(channels) == 1 and x_ndim >= 2:
        # One channel axis elsewhere than 1: move it there and back, so
        # that the statistics stay inputs of a BatchNormalization node.
        others = [i for i in range(x_ndim) if i != channels[0]]
        perm = [others[0], channels[0]] + others[1:]
        inverse = [int(i) for i in numpy.argsort(perm)]
        moved = g.op('Transpose', [call.inputs[0]], perm=perm)
        y = g.op('BatchNormalization', [moved] + call.inputs[1:],
                 epsilon=eps)
        g.op('Transpose', [y], call.outputs, perm=inverse)
        return
    gamma, beta, mean, var = _channel_params(g, call, (1, 2, 3, 4), f.axes)
    std = g.op('Sqrt', [g.op('Add', [var, g.constant(
        numpy.asarray(eps, dtype=call.in_dtypes[4]))])])
    scale = g.op('Div', [gamma, std])
    centered = g.op('Sub', [call.inputs[0], mean])
    g.op('Add', [g.op('Mul', [centered, scale]), beta], call.outputs)


@_register(batch_normalization.BatchNormalization)
def _batch_normalization(g, call):
    # Training mode: normalization by the batch's own statistics, written
    # out (ONNX BatchNormalization in training mode also returns updated
    # running statistics, which this graph has no use for).
    f = call.func
    x = call.inputs[0]
    axes = f.axes
    gamma, beta = _channel_params(g, call, (1, 2), axes)
    mean = g.reduce('ReduceMean', x, axes, keepdims=True)
    centered = g.op('Sub', [x, mean])
    var = g.reduce('ReduceMean', g.op('Mul', [centered, centered]), axes,
                   keepdims=True)
    eps = g.constant(numpy.asarray(f.eps, dtype=call.in_dtypes[0]))
    inv_std = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [var, eps])])])
    normalized = g.op('Mul', [g.op('Mul', [centered, inv_std]), gamma])
    g.op('Add', [normalized, beta], call.outputs)


@_register(local_response_normalization.LocalResponseNormalization)
def _local_response_normalization(g, call):
    f = call.func
    # Chainer's window is i - n//2 .. i + n//2 (n + 1 channels for an
    # even n) and alpha scales the plain sum; ONNX divides by size.
    size = f.n if f.n % 2 else f.n + 1
    g.op('LRN', call.inputs, call.outputs, size=int(size),
         alpha=float(f.alpha) * size, beta=float(f.beta), bias=float(f.k))


# ------------------------------------------------------------------ array
def _normalized(call, axis, ndim):
    if not -ndim <= axis < ndim:
        call.unsupported('axis {} out of range for {} dimensions'.format(
            axis, ndim))
    return axis % ndim


@_register(reshape.Reshape, flatten.Flatten)
def _reshape(g, call):
    g.reshape(call.inputs[0], call.out_shapes[0], call.outputs)


@_register(expand_dims.ExpandDims)
def _expand_dims(g, call):
    ndim = len(call.in_shapes[0]) + 1
    g.unsqueeze(call.inputs[0], [_normalized(call, call.func.axis, ndim)],
                call.outputs)


@_register(squeeze.Squeeze)
def _squeeze(g, call):
    shape = call.in_shapes[0]
    if call.func.axis is None:
        axes = [i for i, n in enumerate(shape) if n == 1]
    else:
        axes = sorted(_normalized(call, a, len(shape))
                      for a in call.func.axis)
    if not axes:
        g.op('Identity', call.inputs, call.outputs)
    else:
        g.squeeze(call.inputs[0], list(axes), call.outputs)


@_register(broadcast.BroadcastTo)
def _broadcast_to(g, call):
    g.op('Expand', [call.inputs[0], g.ints(call.out_shapes[0])],
         call.outputs)


@_register(broadcast.Broadcast)
def _broadcast(g, call):
    shape = numpy.broadcast_shapes(*call.in_shapes)
    for x, y in zip(call.inputs, call.outputs):
        g.op('Expand', [x, g.ints(shape)], [y])


@_register(transpose.Transpose)
def _transpose(g, call):
    ndim = len(call.in_shapes[0])
    axes = call.func.axes
    perm = list(range(ndim))[::-1] if axes is None else \
        [a % ndim for a in axes]
    g.op('Transpose', call.inputs, call.outputs, perm=perm)


@_register(axes_mod.Moveaxis, axes_mod.Rollaxis, axes_mod.Swapaxes)
def _permute(g, call):
    perm = call.func._permutation(len(call.in_shapes[0]))
    g.op('Transpose', call.inputs, call.outputs, perm=[int(a) for a in perm])


@_register(concat.Concat)
def _concat(g, call):
    ndim = len(call.in_shapes[0])
    g.op('Concat', call.inputs, call.outputs,
         axis=_normalized(call, call.func.axis, ndim))


@_register(stack.Stack)
def _stack(g, call):
    axis = _normalized(call, call.func.axis, len(call.in_shapes[0]) + 1)
    parts = [g.unsqueeze(x, [axis]) for x in call.inputs]
    g.op('Concat', parts, call.outputs, axis=axis)


@_register(split_axis.SplitAxis)
def _split_axis(g, call):
    f = call.func
    axis = f._axis
    for y, start, stop in zip(call.outputs, f._bounds[:-1], f._bounds[1:]):
        g.op('Slice', [call.inputs[0], g.ints([start]), g.ints([stop]),
                       g.ints([axis])], [y])


@_register(split_axis.Separate)
def _separate(g, call):
    axis = call.func._axis
    for index, y in enumerate(call.outputs):
        g.op('Gather', [call.inputs[0], g.constant(
            numpy.asarray(index, dtype=numpy.int64))], [y], axis=axis)


@_register(permutate.Permutate)
def _permutate(g, call):
    f = call.func
    indices = to_numpy(f._indices).astype(numpy.int64)
    if f.inv:
        indices = numpy.argsort(indices)
    axis = _normalized(call, f.axis, len(call.in_shapes[0]))
    g.op('Gather', [call.inputs[0], g.constant(indices)], call.outputs,
         axis=axis)


@_register(transpose_sequence.TransposeSequence)
def _transpose_sequence(g, call):
    # Output t gathers row t of every sequence longer than t from all the
    # sequences stacked end to end.
    lengths = [shape[0] for shape in call.in_shapes]
    flat = call.inputs[0] if len(call.inputs) == 1 else \
        g.op('Concat', call.inputs, axis=0)
    starts = numpy.cumsum([0] + lengths[:-1])
    for t, y in enumerate(call.outputs):
        rows = [int(s) + t for s, n in zip(starts, lengths) if n > t]
        g.op('Gather', [flat, g.ints(rows)], [y], axis=0)


@_register(get_item.GetItem)
def _get_item(g, call):
    slices = call.func.slices
    shape = call.in_shapes[0]
    if call.func._basic:
        _basic_indexing(g, call, slices, shape)
        return
    # One integer index array along one axis, full slices elsewhere.
    arrays = [i for i, s in enumerate(slices) if not isinstance(
        s, (int, numpy.integer, slice, type(None), type(Ellipsis)))]
    others = [s for i, s in enumerate(slices) if i not in arrays]
    if len(arrays) != 1 or Ellipsis in others or any(
            not (isinstance(s, slice) and s == slice(None)) for s in others):
        call.unsupported('only basic indexing (ints, slices, None, ...) '
                         'or one integer array with full slices elsewhere '
                         'can be exported')
    index = to_numpy(slices[arrays[0]])
    if index.dtype.kind not in 'iu':
        call.unsupported('boolean mask indexing cannot be exported')
    g.op('Gather', [call.inputs[0], g.constant(index.astype(numpy.int64))],
         call.outputs, axis=arrays[0])


def _basic_indexing(g, call, slices, shape):
    n_real = sum(1 for s in slices if s is not None and s is not Ellipsis)
    starts, ends, axes, steps = [], [], [], []
    axis = 0
    for s in slices:
        if s is None:
            continue
        if s is Ellipsis:
            axis += len(shape) - n_real
            continue
        size = shape[axis]
        if isinstance(s, slice):
            start, stop, step = s.indices(size)
            if not len(range(start, stop, step)):
                start, stop, step = 0, 0, 1  # empty
            if (start, stop, step) != (0, size, 1):
                if step < 0 and stop < 0:
                    stop = _INT64_MIN  # up to and including element 0
                starts.append(start)
                ends.append(stop)
                axes.append(axis)
                steps.append(step)
        else:
            index = int(s) % size if size else int(s)
            starts.append(index)
            ends.append(index + 1)
            axes.append(axis)
            steps.append(1)
        axis += 1
    x = call.inputs[0]
    out_shape = call.out_shapes[0]
    if not axes:
        if tuple(shape) == tuple(out_shape):
            g.op('Identity', [x], call.outputs)
        else:
            g.reshape(x, out_shape, call.outputs)
        return
    sliced_shape = list(shape)
    for start, stop, step, a in zip(starts, ends, steps, axes):
        sliced_shape[a] = len(range(*slice(
            start, None if stop == _INT64_MIN else stop, step).indices(
                shape[a])))
    if tuple(sliced_shape) == tuple(out_shape):
        g.op('Slice', [x, g.ints(starts), g.ints(ends), g.ints(axes),
                       g.ints(steps)], call.outputs)
    else:
        y = g.op('Slice', [x, g.ints(starts), g.ints(ends), g.ints(axes),
                           g.ints(steps)])
        g.reshape(y, out_shape, call.outputs)


@_register(pad.Pad)
def _pad(g, call):
    f = call.func
    if f.mode not in ('constant', 'edge', 'reflect'):
        call.unsupported("mode {!r} (ONNX Pad has 'constant', 'edge' and "
                         "'reflect')".format(f.mode))
    pairs = f._pairs
    pads = [int(p[0]) for p in pairs] + [int(p[1]) for p in pairs]
    inputs = [call.inputs[0], g.ints(pads)]
    if f.mode == 'constant':
        value = numpy.asarray(f.keywords.get('constant_values', 0))
        if value.size != 1:
            call.unsupported('per-axis constant_values')
        inputs.append(g.constant(value.reshape(()).astype(
            call.in_dtypes[0])))
    g.op('Pad', inputs, call.outputs, mode=f.mode)


@_register(tile.Tile)
def _tile(g, call):
    ndim = len(call.in_shapes[0])
    reps = list(call.func.reps)
    x = call.inputs[0]
    if len(reps) > ndim:
        x = g.reshape(x, (1,) * (len(reps) - ndim) + call.in_shapes[0])
    reps = [1] * (max(ndim, len(reps)) - len(reps)) + reps
    g.op('Tile', [x, g.ints(reps)], call.outputs)


@_register(cast.Cast)
def _cast(g, call):
    g.op('Cast', call.inputs, call.outputs,
         to=g.onnx.helper.np_dtype_to_tensor_dtype(
             numpy.dtype(call.out_dtypes[0])))


# ------------------------------------------------------------------- math
@_register(matmul.MatMul)
def _matmul(g, call):
    f = call.func
    operands = []
    for x, shape, trans in zip(call.inputs, call.in_shapes,
                               (f.transa, f.transb)):
        if trans:
            perm = list(range(len(shape)))
            perm[-2], perm[-1] = perm[-1], perm[-2]
            x = g.op('Transpose', [x], perm=perm)
        operands.append(x)
    g.op('MatMul', operands, call.outputs)


_REDUCTIONS = {
    sum_mod.Sum: 'ReduceSum', average.Mean: 'ReduceMean',
    minmax.Max: 'ReduceMax', minmax.Min: 'ReduceMin',
    prod.Prod: 'ReduceProd',
}


@_register(*_REDUCTIONS)
def _reduction(g, call):
    f = call.func
    g.reduce(_REDUCTIONS[type(f)], call.inputs[0], f._axes, f.keepdims,
             call.outputs)


@_register(logsumexp.LogSumExp)
def _logsumexp(g, call):
    g.reduce('ReduceLogSumExp', call.inputs[0], call.func._axes, False,
             call.outputs)


@_register(sum_mod.SumTo)
def _sum_to(g, call):
    in_shape = call.in_shapes[0]
    out_shape = call.out_shapes[0]
    lead = len(in_shape) - len(out_shape)
    axes = list(range(lead)) + [
        lead + i for i, n in enumerate(out_shape)
        if n == 1 and in_shape[lead + i] != 1]
    if not axes:
        g.op('Identity', call.inputs, call.outputs)
        return
    summed = g.reduce('ReduceSum', call.inputs[0], axes, True)
    g.reshape(summed, out_shape, call.outputs)


# -------------------------------------------------------------------- rnn
@_register(lstm.LSTM)
def _lstm(g, call):
    c_shape, x_shape = call.in_shapes
    if c_shape[0] != x_shape[0]:
        call.unsupported('x has fewer rows ({}) than c_prev ({}); only '
                         'full batches can be exported'.format(
                             x_shape[0], c_shape[0]))
    c_prev, x = call.inputs
    # Gate j of unit k is column 4 k + j: view x as (B, N, 4, ...).
    view = g.reshape(x, (x_shape[0], x_shape[1] // 4, 4) + x_shape[2:])
    gates = [g.op('Gather', [view, g.constant(
        numpy.asarray(j, dtype=numpy.int64))], axis=2) for j in range(4)]
    a = g.op('Tanh', [gates[0]])
    i, f, o = [g.op('Sigmoid', [gate]) for gate in gates[1:]]
    c = g.op('Add', [g.op('Mul', [a, i]), g.op('Mul', [f, c_prev])],
             [call.outputs[0]])
    g.op('Mul', [o, g.op('Tanh', [c])], [call.outputs[1]])


def supported_functions():
    """The FunctionNode classes that can be exported."""
    return sorted(_CONVERTERS, key=lambda cls: cls.__name__)


__all__ = ['Call', 'UnsupportedFunctionError', 'convert',
           'supported_functions']
