"""One builder per Caffe layer type.

A builder takes a :class:`~dynet.links.caffe._net.LayerDef` and returns a
:class:`Built`: the child link holding the layer's weights (or None) and
the function computing the layer's tops from its bottoms. A layer that
cannot be emulated faithfully (an unsupported option, parameters that
contradict its blobs) raises :class:`Unsupported` with the reason;
CaffeFunction then refuses to compute anything that depends on it.

Axis arguments follow Caffe: negative values count from the end of the
input's axes, so they are resolved at call time.
"""
import numpy

from dynet import backend
from dynet import initializers
from dynet.config import using_config
from dynet import functions as F
from dynet.links.activation.prelu import PReLU
from dynet.links.caffe import _pooling
from dynet.links.caffe import _schema
from dynet.links.connection.bias import Bias
from dynet.links.connection.convolution_nd import (
    Convolution2D, ConvolutionND, Deconvolution2D, DeconvolutionND)
from dynet.links.connection.linear import Linear
from dynet.links.connection.scale import Scale
from dynet.links.normalization.batch_normalization import BatchNormalization
from dynet.variable import Variable

#: Layer types that only declare or produce input blobs: nothing to build,
#: their tops are given to CaffeFunction as inputs.
INPUT_TYPES = frozenset([
    'Input', 'Data', 'ImageData', 'HDF5Data', 'MemoryData', 'WindowData',
    'DummyData', 'AnnotatedData', 'VideoData'])


class Unsupported(Exception):
    """The layer cannot be emulated; the message says why."""


class Built:
    """What a builder returns.

    ``function(link, *bottoms)`` when ``link`` is not None, otherwise
    ``function(*bottoms)``; it returns a Variable or a tuple of them (one
    per top).
    """

    def __init__(self, function, link=None):
        self.function = function
        self.link = link


BUILDERS = {}


def _builder(*type_names):
    def register(function):
        for name in type_names:
            BUILDERS[name] = function
        return function
    return register


def build(layer):
    """The :class:`Built` of ``layer``; raises :class:`Unsupported`, or
    KeyError when no builder exists for its type."""
    return BUILDERS[layer.type](layer)


# ---------------------------------------------------------------- helpers
class _Fill(initializers.Initializer):
    """Fills a parameter from a Caffe blob through ``fill(array)``: the
    blob's values are copied once, straight into the parameter.

    The blob is a view of the whole file's bytes, so the initializer
    forgets it once used; otherwise every parameter would keep the file
    in memory. Running it again (``copy(mode='init')``) is an error.
    """

    def __init__(self, fill):
        super().__init__()
        self.fill = fill

    def __call__(self, array):
        if self.fill is None:
            raise RuntimeError(
                'CaffeFunction: a parameter loaded from a Caffe model cannot '
                'be initialized again (the file\'s values are not kept); '
                "copy the link with mode='copy' instead of 'init'")
        fill, self.fill = self.fill, None
        fill(array)


def _copy_into(data):
    """An initializer copying the flat ``data`` into the array."""
    def fill(array):
        array[...] = data.reshape(array.shape)
    return _Fill(fill)


def _grouped_into(data, groups, block_shape):
    """An initializer writing ``groups`` blocks of Caffe's grouped weight
    along the diagonal of a full weight (zeros elsewhere), as Chainer
    does: block ``g`` of the blob (``block_shape``) goes to rows and
    columns ``g`` of the first two axes."""
    def fill(array):
        array[...] = 0
        blocks = data.reshape((groups,) + block_shape)
        rows, cols = block_shape[0], block_shape[1]
        for g in range(groups):
            array[g * rows:(g + 1) * rows, g * cols:(g + 1) * cols] = \
                blocks[g]
    return _Fill(fill)


def _blobs(layer, count, what):
    if len(layer.blobs) < count:
        raise Unsupported('it needs {} ({} blob(s)), but the file holds {}'
                          .format(what, count, len(layer.blobs)))
    return layer.blobs


def _vector(blob, length, what):
    """The blob as a vector of ``length`` values."""
    if blob.size != length:
        raise Unsupported('its {} blob has shape {}, expected ({},)'.format(
            what, blob.shape, length))
    return blob.data


def _where(layer):
    """Names the layer in error messages. Forward functions keep this
    string, never the layer: its blobs view the whole file's bytes."""
    return 'CaffeFunction: layer {!r} ({})'.format(layer.name, layer.type)


def _axis(axis, ndim, where, what='axis', extra=0):
    """Caffe's canonical axis: ``axis`` in [-ndim - extra, ndim + extra)."""
    if not -ndim - extra <= axis < ndim + extra:
        raise ValueError('{}: {} {} is out of range for an input with {} '
                         'axes'.format(where, what, axis, ndim))
    return axis + ndim + extra if axis < 0 else axis


def _per_axis(values, count, default, what):
    """Caffe's repeated size field: empty -> default, one value -> every
    axis, else one value per axis."""
    values = list(values)
    if not values:
        return (default,) * count
    if len(values) == 1:
        return (values[0],) * count
    if len(values) != count:
        raise Unsupported('{} has {} values for {} spatial axes'.format(
            what, len(values), count))
    return tuple(values)


def _hw(param, name, ndim, default):
    """A convolution size: ``name_h``/``name_w`` when set, else the
    repeated ``name`` field."""
    h, w = name + '_h', name + '_w'
    if param.has(h) or param.has(w):
        if ndim != 2:
            raise Unsupported('{}/{} need 2 spatial axes, the weight has {}'
                              .format(h, w, ndim))
        if name == 'kernel' and not (param.has(h) and param.has(w)):
            raise Unsupported('kernel_h and kernel_w must both be given')
        return getattr(param, h), getattr(param, w)
    field = 'kernel_size' if name == 'kernel' else name
    return _per_axis(getattr(param, field), ndim, default, field)


# ------------------------------------------------------- convolution layers
@_builder('Convolution')
def _convolution(layer):
    return _build_convolution(layer, transposed=False)


@_builder('Deconvolution')
def _deconvolution(layer):
    return _build_convolution(layer, transposed=True)


def _build_convolution(layer, transposed):
    param = layer.param('convolution_param')
    if param.axis != 1:
        raise Unsupported('axis {} (only the channel axis 1 is supported)'
                          .format(param.axis))
    weight = _blobs(layer, 1, 'a weight')[0]
    shape = weight.shape
    if len(shape) < 3:
        raise Unsupported('its weight blob has shape {}; expected (out, in / '
                          'group, *kernel)'.format(shape))
    ndim = len(shape) - 2
    group = param.group
    if group < 1 or shape[0] % group:
        raise Unsupported('group {} does not divide the {} {} of the weight '
                          '{}'.format(group, shape[0], 'input channels'
                                      if transposed else 'outputs', shape))
    kernel = _hw(param, 'kernel', ndim, None)
    if None in kernel:
        kernel = shape[2:]
    if tuple(kernel) != shape[2:]:
        raise Unsupported('its kernel size {} does not match the weight '
                          'blob {}'.format(tuple(kernel), shape))
    stride = _hw(param, 'stride', ndim, 1)
    pad = _hw(param, 'pad', ndim, 0)
    dilation = _per_axis(param.dilation, ndim, 1, 'dilation')
    if min(stride) < 1 or min(dilation) < 1:
        raise Unsupported('stride {} and dilation {} must be positive'
                          .format(stride, dilation))
    if transposed:
        in_channels, out_channels = shape[0], shape[1] * group
    else:
        in_channels, out_channels = shape[1] * group, shape[0]
    if param.has('num_output') and param.num_output != out_channels:
        raise Unsupported('num_output {} does not match the weight blob {} '
                          '(group {})'.format(param.num_output, shape, group))
    if group == 1:
        initial_w = _copy_into(weight.data)
    else:
        # Chainer's layout: one full weight, the groups on its diagonal.
        initial_w = _grouped_into(weight.data, group,
                                  (shape[0] // group,) + shape[1:])
    nobias = not param.bias_term
    initial_b = None
    if not nobias:
        bias = _blobs(layer, 2, 'a weight and a bias')[1]
        initial_b = _copy_into(_vector(bias, out_channels, 'bias'))
    kwargs = dict(stride=stride, pad=pad, nobias=nobias,
                  initialW=initial_w, initial_bias=initial_b,
                  dilate=dilation)
    if ndim == 2:
        cls = Deconvolution2D if transposed else Convolution2D
        link = cls(in_channels, out_channels, tuple(kernel), **kwargs)
    else:
        cls = DeconvolutionND if transposed else ConvolutionND
        link = cls(ndim, in_channels, out_channels, tuple(kernel), **kwargs)
    return Built(_call_link, link)


def _call_link(link, *xs):
    return link(*xs)


@_builder('InnerProduct')
def _inner_product(layer):
    param = layer.param('inner_product_param')
    weight = _blobs(layer, 1, 'a weight')[0]
    shape = weight.shape_as(2)
    if shape is None:
        raise Unsupported('its weight blob has shape {}; expected 2 axes'
                          .format(weight.shape))
    transpose = param.transpose
    out_size, in_size = shape[::-1] if transpose else shape
    if param.has('num_output') and param.num_output != out_size:
        raise Unsupported('num_output {} does not match the weight blob {}{}'
                          .format(param.num_output, weight.shape,
                                  ' (transpose)' if transpose else ''))
    if transpose:
        def fill(array):
            array[...] = weight.data.reshape(in_size, out_size).T
        initial_w = _Fill(fill)
    else:
        initial_w = _copy_into(weight.data)
    initial_b = None
    if param.bias_term:
        bias = _blobs(layer, 2, 'a weight and a bias')[1]
        initial_b = _copy_into(_vector(bias, out_size, 'bias'))
    link = Linear(in_size, out_size, nobias=not param.bias_term,
                  initialW=initial_w, initial_bias=initial_b)
    axis = param.axis
    where = _where(layer)

    def forward(link, x):
        # Everything from ``axis`` on is flattened into the features.
        return link(x, n_batch_axes=_axis(axis, x.ndim, where))
    return Built(forward, link)


# ------------------------------------------------------------------ pooling
@_builder('Pooling')
def _pooling_layer(layer):
    param = layer.param('pooling_param')
    methods = {_schema.POOL_METHOD['MAX']: 'max',
               _schema.POOL_METHOD['AVE']: 'ave'}
    if param.pool not in methods:
        raise Unsupported('pool method {} (only MAX and AVE are supported)'
                          .format(_enum_name(_schema.POOL_METHOD,
                                             param.pool)))
    method = methods[param.pool]
    has_kernel = param.has('kernel_size') or param.has('kernel_h') or \
        param.has('kernel_w')
    if param.has('pad_h') or param.has('pad_w'):
        pad = (param.pad_h, param.pad_w)
    else:
        pad = (param.pad, param.pad)
    if param.has('stride_h') or param.has('stride_w'):
        stride = (param.stride_h, param.stride_w)
    else:
        stride = (param.stride, param.stride)
    if param.global_pooling:
        if has_kernel:
            raise Unsupported('global_pooling with a kernel size')
        if any(pad) or stride != (1, 1):
            raise Unsupported('global_pooling needs pad 0 and stride 1, got '
                              'pad {} and stride {}'.format(pad, stride))
        ksize = None
    else:
        if param.has('kernel_size'):
            if param.has('kernel_h') or param.has('kernel_w'):
                raise Unsupported('both kernel_size and kernel_h/kernel_w')
            ksize = (param.kernel_size, param.kernel_size)
        elif param.has('kernel_h') and param.has('kernel_w'):
            ksize = (param.kernel_h, param.kernel_w)
        else:
            raise Unsupported('no kernel size (kernel_size, or kernel_h and '
                              'kernel_w)')
        if min(ksize) < 1:
            raise Unsupported('kernel size {} must be positive'.format(
                ksize))
        if pad[0] >= ksize[0] or pad[1] >= ksize[1]:
            raise Unsupported('pad {} must be smaller than the kernel {}'
                              .format(pad, ksize))
    if min(stride) < 1:
        raise Unsupported('stride {} must be positive'.format(stride))
    if param.round_mode not in _schema.ROUND_MODE.values():
        raise Unsupported('round_mode {}'.format(param.round_mode))
    ceil_mode = param.round_mode == _schema.ROUND_MODE['CEIL']
    where = _where(layer)

    def forward(x):
        try:
            return _pooling.caffe_pooling_2d(x, method, ksize, stride, pad,
                                             ceil_mode)
        except ValueError as e:
            raise ValueError('{}: {}'.format(where, e)) from None
    return Built(forward)


def _enum_name(table, value):
    for name, number in table.items():
        if number == value:
            return name
    return str(value)


# ------------------------------------------------------------ activations
@_builder('ReLU')
def _relu(layer):
    slope = layer.param('relu_param').negative_slope
    if slope != 0:
        return Built(lambda x: F.leaky_relu(x, slope=slope))
    return Built(F.relu)


def _parameterless(type_name, function):
    """Registers a layer type that is ``function`` with no parameters."""
    _builder(type_name)(lambda layer: Built(function))


_parameterless('Sigmoid', F.sigmoid)
_parameterless('TanH', F.tanh)
_parameterless('AbsVal', F.absolute)
_parameterless('BNLL', F.softplus)


@_builder('ELU')
def _elu(layer):
    alpha = layer.param('elu_param').alpha
    return Built(lambda x: F.elu(x, alpha=alpha))


@_builder('PReLU')
def _prelu(layer):
    param = layer.param('prelu_param')
    slope = _blobs(layer, 1, 'the slopes')[0]
    if param.channel_shared:
        if slope.size != 1:
            raise Unsupported('channel_shared, but its slope blob has shape '
                              '{}'.format(slope.shape))
        shape = ()
    else:
        shape = (slope.size,)
    link = PReLU(shape)
    link.W.array[...] = slope.data.reshape(shape)
    return Built(_call_link, link)


@_builder('Threshold')
def _threshold(layer):
    threshold = layer.param('threshold_param').threshold

    def forward(x):
        array = x.array if isinstance(x, Variable) else x
        return Variable((array > threshold).astype(array.dtype))
    return Built(forward)


@_builder('Power')
def _power(layer):
    param = layer.param('power_param')
    power, scale, shift = param.power, param.scale, param.shift

    def forward(x):
        if power * scale == 0:
            # Caffe ignores the input here: the output is constant.
            value = 1.0 if power == 0 else shift ** power
            array = x.array if isinstance(x, Variable) else x
            xp = backend.get_array_module(array)
            return Variable(xp.full(array.shape, value, array.dtype))
        h = x
        if scale != 1:
            h = h * scale
        if shift != 0:
            h = h + shift
        if power != 1:
            h = h ** power
        if h is x:
            h = F.identity(x)
        return h
    return Built(forward)


@_builder('Exp')
def _exp(layer):
    param = layer.param('exp_param')
    log_base = _log_base(param.base)
    scale, shift = param.scale, param.shift

    def forward(x):
        return F.exp((x * scale + shift) * log_base)
    return Built(forward)


@_builder('Log')
def _log(layer):
    param = layer.param('log_param')
    log_base = _log_base(param.base)
    scale, shift = param.scale, param.shift

    def forward(x):
        y = F.log(x * scale + shift)
        return y if log_base == 1 else y * (1 / log_base)
    return Built(forward)


def _log_base(base):
    if base == -1:
        return 1.0
    if base <= 0:
        raise Unsupported('base {} (must be positive, or -1 for e)'.format(
            base))
    return float(numpy.log(base))


@_builder('Dropout')
def _dropout(layer):
    ratio = layer.param('dropout_param').dropout_ratio
    return Built(lambda x: F.dropout(x, ratio=ratio))


@_builder('Softmax')
def _softmax(layer):
    axis = layer.param('softmax_param').axis
    where = _where(layer)
    return Built(lambda x: F.softmax(x, axis=_axis(axis, x.ndim, where)))


@_builder('SoftmaxWithLoss')
def _softmax_with_loss(layer):
    if layer.param('softmax_param').axis != 1:
        raise Unsupported('softmax axis {} (only 1 is supported)'.format(
            layer.param('softmax_param').axis))
    loss = layer.param('loss_param')
    kwargs = {}
    if loss.has('ignore_label'):
        kwargs['ignore_label'] = loss.ignore_label
    if loss.has('normalization'):
        mode = loss.normalization
    elif loss.has('normalize'):
        mode = _schema.NORMALIZATION['VALID' if loss.normalize
                                     else 'BATCH_SIZE']
    else:
        mode = _schema.NORMALIZATION['VALID']
    modes = _schema.NORMALIZATION
    if mode == modes['FULL'] and 'ignore_label' not in kwargs:
        mode = modes['VALID']    # the same thing without ignored labels
    if mode == modes['VALID']:
        return Built(lambda x, t: F.softmax_cross_entropy(x, t, **kwargs))
    if mode == modes['BATCH_SIZE']:
        return Built(lambda x, t: F.softmax_cross_entropy(
            x, t, normalize=False, **kwargs))
    if mode == modes['NONE']:
        return Built(lambda x, t: F.sum(F.softmax_cross_entropy(
            x, t, reduce='no', **kwargs)))
    raise Unsupported('loss normalization {}'.format(
        _enum_name(modes, mode)))


# ----------------------------------------------------------- normalization
@_builder('LRN')
def _lrn(layer):
    param = layer.param('lrn_param')
    size = param.local_size
    if size < 1 or size % 2 == 0:
        raise Unsupported('local_size {} (Caffe needs an odd size)'.format(
            size))
    alpha, beta, k = param.alpha, param.beta, param.k
    if param.norm_region == _schema.NORM_REGION['ACROSS_CHANNELS']:
        # Caffe divides alpha by the window size; Chainer's formula does
        # not, so divide here.
        return Built(lambda x: F.local_response_normalization(
            x, n=size, k=k, alpha=alpha / size, beta=beta))
    if param.norm_region != _schema.NORM_REGION['WITHIN_CHANNEL']:
        raise Unsupported('norm_region {}'.format(param.norm_region))

    def within_channel(x):
        # Caffe: x * (1 + alpha * mean of x^2 over a size x size window,
        # zero-padded) ^ -beta; k is not used in this mode.
        mean = F.average_pooling_2d(x * x, size, 1, (size - 1) // 2)
        return x * (mean * alpha + 1) ** -beta
    return Built(within_channel)


@_builder('BatchNorm')
def _batch_norm(layer):
    param = layer.param('batch_norm_param')
    mean, var = _blobs(layer, 2, 'a mean and a variance')[:2]
    size = mean.size
    if var.size != size:
        raise Unsupported('its mean ({}) and variance ({}) blobs differ in '
                          'size'.format(mean.shape, var.shape))
    dtype = numpy.float32
    factor = numpy.float32(1)
    if len(layer.blobs) >= 3:
        # Caffe stores running sums; the third blob is their weight and
        # 0 means "no statistics": mean and variance are then zero.
        stored = numpy.float32(layer.blobs[2].data.reshape(-1)[0]) \
            if layer.blobs[2].size else numpy.float32(1)
        factor = numpy.float32(0) if stored == 0 else numpy.float32(1) / stored
    avg_mean = mean.data.astype(dtype) * factor
    avg_var = var.data.astype(dtype) * factor
    link = BatchNormalization(size, decay=param.moving_average_fraction,
                              eps=param.eps, use_gamma=False, use_beta=False,
                              initial_avg_mean=avg_mean,
                              initial_avg_var=avg_var)
    if param.use_global_stats:
        def forward(link, x):
            with using_config('train', False):
                return link(x, finetune=False)
    else:
        def forward(link, x):
            return link(x, finetune=False)
    return Built(forward, link)


@_builder('Scale')
def _scale(layer):
    param = layer.param('scale_param')
    axis, bias_term = param.axis, param.bias_term
    learned = len(layer.bottom) == 1
    needed = int(learned) + int(bias_term)
    blobs = _blobs(layer, needed, 'a scale and a bias' if needed == 2 else
                   'a scale' if learned else 'a bias')
    if learned:
        scale_blob = blobs[0]
        _check_num_axes(param.num_axes, scale_blob)
        link = Scale(axis, scale_blob.shape, bias_term)
        link.W.array[...] = scale_blob.data.reshape(scale_blob.shape)
        bias_blob = blobs[1] if bias_term else None
    else:
        bias_blob = blobs[0] if bias_term else None
        link = Scale(axis, None, bias_term,
                     bias_blob.shape if bias_term else None)
    if bias_term:
        if bias_blob.size != int(numpy.prod(link.bias.b.shape)):
            raise Unsupported('its bias blob {} does not match the scale {}'
                              .format(bias_blob.shape, link.bias.b.shape))
        link.bias.b.array[...] = bias_blob.data.reshape(link.bias.b.shape)

    where = _where(layer)

    def forward(link, x, *given):
        start = _axis(axis, x.ndim, where)
        scale = given[0] if given else link.W
        y = F.scale(x, scale, start)
        if bias_term:
            y = F.bias(y, link.bias.b, start)
        return y
    return Built(forward, link)


@_builder('Bias')
def _bias(layer):
    param = layer.param('bias_param')
    axis = param.axis
    if len(layer.bottom) == 1:
        blob = _blobs(layer, 1, 'a bias')[0]
        _check_num_axes(param.num_axes, blob)
        link = Bias(axis, blob.shape)
        link.b.array[...] = blob.data.reshape(blob.shape)
    else:
        link = Bias(axis)

    where = _where(layer)

    def forward(link, x, *given):
        bias = given[0] if given else link.b
        return F.bias(x, bias, _axis(axis, x.ndim, where))
    return Built(forward, link)


def _check_num_axes(num_axes, blob):
    if num_axes != -1 and num_axes != len(blob.shape):
        raise Unsupported('num_axes {} does not match its blob of shape {}'
                          .format(num_axes, blob.shape))


# --------------------------------------------------------- blob plumbing
@_builder('Concat')
def _concat(layer):
    param = layer.param('concat_param')
    if param.has('axis') and param.has('concat_dim'):
        raise Unsupported('both axis and concat_dim are given')
    axis = param.concat_dim if param.has('concat_dim') else param.axis
    where = _where(layer)
    return Built(lambda *xs: F.concat(
        xs, axis=_axis(axis, xs[0].ndim, where)))


@_builder('Slice')
def _slice(layer):
    param = layer.param('slice_param')
    if param.has('axis') and param.has('slice_dim'):
        raise Unsupported('both axis and slice_dim are given')
    axis = param.slice_dim if param.has('slice_dim') else param.axis
    points = list(param.slice_point)
    count = len(layer.top)
    if points and len(points) != count - 1:
        raise Unsupported('{} slice points for {} tops'.format(
            len(points), count))
    if any(b <= a for a, b in zip(points, points[1:])):
        raise Unsupported('slice points {} are not increasing'.format(
            points))

    where = _where(layer)

    def forward(x):
        start = _axis(axis, x.ndim, where)
        length = x.shape[start]
        if points:
            if points[0] <= 0 or points[-1] >= length:
                raise ValueError(
                    '{}: slice points {} do not fit axis {} of length {}'
                    .format(where, points, start, length))
            sections = points
        else:
            if length % count:
                raise ValueError(
                    '{}: axis {} of length {} cannot be split into {} equal '
                    'parts'.format(where, start, length, count))
            sections = count
        return F.split_axis(x, sections, start, force_tuple=True)
    return Built(forward)


@_builder('Split')
def _split(layer):
    count = len(layer.top)
    return Built(lambda x: (x,) * count)


@_builder('Silence')
def _silence(layer):
    return Built(lambda *xs: ())


@_builder('Eltwise')
def _eltwise(layer):
    param = layer.param('eltwise_param')
    ops = _schema.ELTWISE_OP
    operation = param.operation
    coeffs = [float(c) for c in param.coeff]
    if coeffs and operation != ops['SUM']:
        raise Unsupported('coefficients are only for the SUM operation')
    if coeffs and len(coeffs) != len(layer.bottom):
        raise Unsupported('{} coefficients for {} bottoms'.format(
            len(coeffs), len(layer.bottom)))
    if operation == ops['SUM']:
        def forward(*xs):
            terms = xs if not coeffs else [
                x if c == 1 else x * c for x, c in zip(xs, coeffs)]
            return _fold(lambda a, b: a + b, terms)
    elif operation == ops['PROD']:
        def forward(*xs):
            return _fold(lambda a, b: a * b, xs)
    elif operation == ops['MAX']:
        def forward(*xs):
            return _fold(F.maximum, xs)
    else:
        raise Unsupported('operation {}'.format(operation))
    return Built(forward)


def _fold(function, xs):
    result = xs[0]
    for x in xs[1:]:
        result = function(result, x)
    if result is xs[0]:
        result = F.identity(result)
    return result


@_builder('Flatten')
def _flatten(layer):
    param = layer.param('flatten_param')
    axis, end_axis = param.axis, param.end_axis
    where = _where(layer)

    def forward(x):
        start = _axis(axis, x.ndim, where)
        end = _axis(end_axis, x.ndim, where, 'end_axis')
        shape = tuple(x.shape)
        middle = 1
        for d in shape[start:end + 1]:
            middle *= d
        return F.reshape(x, shape[:start] + (middle,) + shape[end + 1:])
    return Built(forward)


@_builder('Reshape')
def _reshape(layer):
    param = layer.param('reshape_param')
    dims = [int(d) for d in param.shape.dim]
    if dims.count(-1) > 1:
        raise Unsupported('more than one -1 in shape {}'.format(dims))
    if any(d < -1 for d in dims):
        raise Unsupported('invalid dimension in shape {}'.format(dims))
    if param.num_axes < -1:
        raise Unsupported('num_axes {}'.format(param.num_axes))

    axis, num_axes = param.axis, param.num_axes
    where = _where(layer)

    def forward(x):
        return F.reshape(x, _reshaped(x.shape, dims, axis, num_axes, where))
    return Built(forward)


def _reshaped(shape, dims, axis, num_axes, where):
    """Caffe's Reshape: ``dims`` replaces the axes [start, end) of
    ``shape``; 0 copies the input's dimension, -1 is inferred."""
    shape = tuple(shape)
    ndim = len(shape)
    start = _axis(axis, ndim, where, extra=1)
    end = ndim if num_axes == -1 else start + num_axes
    if end > ndim:
        raise ValueError('{}: axis {} and num_axes {} exceed the input\'s {} '
                         'axes'.format(where, axis, num_axes, ndim))
    new = []
    for i, d in enumerate(dims):
        if d == 0:
            if start + i >= ndim:
                raise ValueError(
                    '{}: dimension {} is 0 (copy) but the input has only {} '
                    'axes'.format(where, i, ndim))
            d = shape[start + i]
        new.append(d)
    out = list(shape[:start]) + new + list(shape[end:])
    total = 1
    for d in shape:
        total *= d
    if -1 in out:
        known = 1
        for d in out:
            if d != -1:
                known *= d
        if known == 0 or total % known:
            raise ValueError(
                '{}: cannot infer the -1 of {} from an input of shape {}'
                .format(where, tuple(out), shape))
        out[out.index(-1)] = total // known
    check = 1
    for d in out:
        check *= d
    if check != total:
        raise ValueError('{}: cannot reshape {} to {}'.format(
            where, shape, tuple(out)))
    return tuple(out)
