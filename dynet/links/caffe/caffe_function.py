"""``CaffeFunction``: a Caffe model (``.caffemodel``) as a dynet Chain."""
import warnings

from dynet import link
from dynet.links.caffe import _layers
from dynet.links.caffe import _net
from dynet.variable import as_variable


class _BlobNotComputedError(KeyError):
    """A requested output blob was not computed. A KeyError, as in
    Chainer, but with a readable message."""

    def __str__(self):
        return str(self.args[0])


class CaffeFunction(link.Chain):
    """Caffe emulator: runs a pretrained Caffe model on dynet Variables.

    The binary ``.caffemodel`` (a ``NetParameter``, in the current
    ``layer`` format or the old V1 ``layers`` format) is read without the
    protobuf package. Every layer with weights becomes a child link named
    after the Caffe layer (``Convolution2D``, ``Deconvolution2D``,
    ``Linear``, ``BatchNormalization``, ``Scale``, ``Bias``, ``PReLU``), so
    ``func['conv1'].W`` holds the Caffe weights, and the whole net can be
    trained, moved to a GPU or serialized like any Chain.

    Data and ``Input`` layers are skipped: their tops are given as inputs.
    A layer type (or option) that CaffeFunction cannot emulate gives a
    warning here; computing anything that depends on it raises
    NotImplementedError, unless the layer is listed in ``disable``.

    Args:
        model_path (str): path of the binary ``.caffemodel`` file.

    Raises:
        ValueError: the file is not a valid binary Caffe model (truncated,
            another kind of file, a blob whose values do not fill its
            shape); the message names the file.
        OSError: the file cannot be read.

    Attributes:
        forwards (dict): layer name -> the function computing its tops.
        layers (list): ``(layer name, bottom names, top names)`` in file
            order.
        variables (dict): after a call, every blob computed in it.
    """

    def __init__(self, model_path):
        super().__init__()
        net = _net.read_net(model_path)
        self.forwards = {}
        self.layers = []
        self.variables = {}
        self._unsupported = {}
        source = repr(str(model_path))
        for layer in net.layers:
            self._setup_layer(layer, source)

    def _setup_layer(self, layer, source):
        if layer.type in _layers.INPUT_TYPES:
            return  # their tops are the inputs of the call
        entry = (layer.name, list(layer.bottom), list(layer.top))
        if layer.name in self.forwards or layer.name in self._unsupported:
            raise ValueError(
                'CaffeFunction: {} has two layers named {!r}'.format(
                    source, layer.name))
        try:
            if layer.type not in _layers.BUILDERS:
                raise _layers.Unsupported(
                    'CaffeFunction does not support {} layers'.format(
                        layer.type or 'untyped'))
            try:
                built = _layers.build(layer)
            except (ValueError, TypeError) as e:
                raise _layers.Unsupported(
                    'it could not be built: {}'.format(e)) from None
        except _layers.Unsupported as e:
            reason = str(e)
            self._unsupported[layer.name] = (layer.type, reason)
            self.layers.append(entry)
            warnings.warn(
                'CaffeFunction: layer {!r} of type {!r} is not supported '
                '({}); computing a blob that depends on it will raise an '
                'error unless the layer is disabled'.format(
                    layer.name, layer.type, reason))
            return
        if built.link is not None:
            if hasattr(type(self), layer.name) or layer.name in self.__dict__:
                raise ValueError(
                    'CaffeFunction: {}: layer {!r} cannot become a child '
                    'link: CaffeFunction already has an attribute of that '
                    'name'.format(source, layer.name))
            with self.init_scope():
                setattr(self, layer.name, built.link)
            self.forwards[layer.name] = _CallChild(self, layer.name,
                                                   built.function)
        else:
            self.forwards[layer.name] = built.function
        self.layers.append(entry)

    def forward(self, inputs, outputs, disable=(), **kwargs):
        """forward(self, inputs, outputs, disable=())

        Runs the layers in file order, each as soon as its bottom blobs
        are known; a layer whose bottoms are not all available is skipped,
        as is every layer named in ``disable``. In-place layers (top ==
        bottom) rebind the blob's name to their output.

        Args:
            inputs (dict): blob name -> Variable or array (the net's
                inputs, e.g. ``{'data': x}``).
            outputs (iterable of str): names of the blobs to return.
            disable (iterable of str): names of layers to skip.

        Returns:
            tuple: the Variables of the blobs named in ``outputs``, in
            that order.

        Raises:
            KeyError: an output blob was not computed (its layer was
                disabled or its inputs were not given).
            NotImplementedError: an output blob depends on a layer that
                CaffeFunction does not support.
        """
        _check_arguments(inputs, outputs, kwargs)
        outputs = list(outputs)
        disable = set(disable)
        variables = dict(inputs)
        # Blobs whose value would come from an unsupported layer, with
        # that layer's (name, type, reason).
        tainted = {}
        for name, bottom, top in self.layers:
            if name in disable:
                continue
            if any(b not in variables and b not in tainted for b in bottom):
                continue
            cause = next((tainted[b] for b in bottom if b in tainted), None)
            if cause is None and name in self._unsupported:
                cause = (name,) + self._unsupported[name]
            if cause is not None:
                for blob in top:
                    if not bottom and blob in inputs:
                        # A source (e.g. a Python data layer) whose blob
                        # the caller gives: the given value is the input.
                        continue
                    variables.pop(blob, None)
                    tainted[blob] = cause
                continue
            function = self.forwards.get(name)
            if function is None:
                continue
            # As Variables, so that every layer returns Variables.
            results = function(*[as_variable(variables[b]) for b in bottom])
            if not isinstance(results, (tuple, list)):
                results = (results,)
            for blob, value in zip(top, results):
                variables[blob] = value
                tainted.pop(blob, None)
        self.variables = variables
        return tuple(self._output(blob, variables, tainted, disable)
                     for blob in outputs)

    def _output(self, blob, variables, tainted, disable):
        if blob in variables:
            return variables[blob]
        if blob in tainted:
            layer, type_name, reason = tainted[blob]
            raise NotImplementedError(
                'CaffeFunction: cannot compute blob {!r}: it depends on '
                'layer {!r} of type {!r}, which is not supported ({}). Pass '
                'disable=[{!r}] to skip that layer.'.format(
                    blob, layer, type_name, reason, layer))
        producers = [name for name, _, top in self.layers if blob in top]
        if not producers:
            why = 'no layer produces it and it is not among the inputs'
        else:
            skipped = [name for name in producers if name in disable]
            why = 'its layer(s) {} {}'.format(
                ', '.join(map(repr, producers)),
                'were disabled' if skipped else
                'did not run because some of their bottom blobs were '
                'neither given nor computed')
        raise _BlobNotComputedError(
            'CaffeFunction: output blob {!r} was not computed: {}'.format(
                blob, why))


def _check_arguments(inputs, outputs, kwargs):
    if 'train' in kwargs:
        raise ValueError('train argument is not supported anymore. Use '
                         'chainer.using_config')
    if kwargs:
        raise TypeError('CaffeFunction.forward() got unexpected keyword '
                        'argument(s) {}'.format(
                            ', '.join(sorted(map(repr, kwargs)))))
    if not hasattr(inputs, 'items'):
        raise TypeError('CaffeFunction: inputs must be a dict of blob name '
                        '-> Variable or array, got {}'.format(
                            type(inputs).__name__))
    for name, value in inputs.items():
        try:
            as_variable(value)
        except TypeError:
            raise TypeError('CaffeFunction: input {!r} must be a Variable or '
                            'an array, got {}'.format(
                                name, type(value).__name__)) from None
    if isinstance(outputs, str):
        raise TypeError('CaffeFunction: outputs must be a list of blob '
                        'names, got the string {!r}'.format(outputs))


class _CallChild:
    """Calls ``function(child_link, *bottoms)``, looking the child up at
    call time (as Chainer's forwards do)."""

    def __init__(self, owner, name, function):
        self.owner = owner
        self.name = name
        self.function = function

    def __call__(self, *xs):
        return self.function(self.owner[self.name], *xs)
