"""GraphBuilder: collects the ONNX nodes, constants and initializers of an
export, hands out unique value names and hides the differences between
opsets (axes given as attributes or as inputs)."""
import numpy


class GraphBuilder:
    """Accumulates an ONNX graph.

    Args:
        onnx: the imported ``onnx`` module.
        opset (int): the opset version being written.
    """

    def __init__(self, onnx, opset):
        self.onnx = onnx
        self.opset = opset
        self.nodes = []
        self.initializers = []
        self._used = set()
        self._counts = {}

    # ------------------------------------------------------------- names
    def reserve(self, name):
        """Marks ``name`` as taken (graph inputs, outputs, parameters)."""
        if name in self._used:
            raise ValueError('dynet.onnx.export: the name {!r} is used '
                             'twice in the graph'.format(name))
        self._used.add(name)
        return name

    def unique(self, hint):
        """A fresh value name starting with ``hint``."""
        count = self._counts.get(hint, 0)
        while True:
            name = '{}_{}'.format(hint, count)
            count += 1
            if name not in self._used:
                break
        self._counts[hint] = count
        self._used.add(name)
        return name

    # ------------------------------------------------------------- nodes
    def op(self, op_type, inputs, outputs=None, n_outputs=1, **attrs):
        """Appends a node and returns its output name (or the list of
        names when it has several outputs).

        Args:
            op_type (str): the ONNX operator.
            inputs (list of str): input value names ('' for an omitted
                optional input).
            outputs (list of str or None): output names; fresh ones are
                made when None.
            attrs: attributes; None values are left out.
        """
        if outputs is None:
            outputs = [self.unique(op_type) for _ in range(n_outputs)]
        attrs = {k: v for k, v in attrs.items() if v is not None}
        node = self.onnx.helper.make_node(
            op_type, list(inputs), list(outputs),
            name=self.unique('node_' + op_type), **attrs)
        self.nodes.append(node)
        return outputs[0] if len(outputs) == 1 else list(outputs)

    def constant(self, value, dtype=None, hint='const'):
        """Emits a Constant node holding ``value`` and returns its name."""
        array = numpy.asarray(value, dtype=dtype)
        name = self.unique(hint)
        tensor = self.onnx.numpy_helper.from_array(
            numpy.asarray(array, order='C'), name)
        self.op('Constant', [], [name], value=tensor)
        return name

    def ints(self, values):
        """A constant 1-D int64 tensor (shapes, axes, pads)."""
        return self.constant(numpy.asarray(list(values), dtype=numpy.int64),
                             hint='ints')

    def initializer(self, name, array):
        """Adds a named initializer (a parameter or a persistent value)."""
        self.initializers.append(self.onnx.numpy_helper.from_array(
            numpy.asarray(array, order='C'), name))
        return name

    # ------------------------------------------- opset-dependent helpers
    def reduce(self, op_type, x, axes, keepdims, outputs=None):
        """``ReduceSum`` & co. over ``axes`` (None: all axes). The axes are
        an input from opset 13 (ReduceSum) or 18 (the others) on."""
        keep = 1 if keepdims else 0
        as_input = op_type == 'ReduceSum' or self.opset >= 18
        if axes is None:
            return self.op(op_type, [x], outputs, keepdims=keep)
        axes = [int(a) for a in axes]
        if as_input:
            return self.op(op_type, [x, self.ints(axes)], outputs,
                           keepdims=keep)
        return self.op(op_type, [x], outputs, axes=axes, keepdims=keep)

    def unsqueeze(self, x, axes, outputs=None):
        return self.op('Unsqueeze', [x, self.ints(axes)], outputs)

    def squeeze(self, x, axes, outputs=None):
        return self.op('Squeeze', [x, self.ints(axes)], outputs)

    def reshape(self, x, shape, outputs=None):
        shape = [int(n) for n in shape]
        # A 0 in the shape means "copy that axis" unless allowzero is set
        # (opset 14 on); empty arrays need the literal 0.
        allowzero = 1 if 0 in shape and self.opset >= 14 else None
        return self.op('Reshape', [x, self.ints(shape)], outputs,
                       allowzero=allowzero)
