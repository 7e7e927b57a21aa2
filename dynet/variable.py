"""Variables: arrays that remember how they were computed.

A ``Variable`` holds an array and, once it takes part in a recorded
computation, a ``VariableNode``. The graph is made of nodes and function
nodes only: a node never holds its Variable strongly and keeps the array
only when a function retained it for backward, so intermediate results are
freed as soon as the user drops them.
"""
import numbers
import weakref

import numpy

from dynet import backend
from dynet.backend._cupy import is_cupy_array

_ndarray = numpy.ndarray


def _is_array(value):
    return isinstance(value, _ndarray) or is_cupy_array(value)


class VariableNode:
    """The graph's record of one Variable.

    ``data`` is set only when a function retained the array for backward.
    """

    __slots__ = ('_variable', 'creator_node', 'rank', 'data', 'name',
                 'requires_grad', 'shape', 'dtype', '__weakref__')

    def __init__(self, variable, name=None):
        self._variable = weakref.ref(variable)
        self.creator_node = None
        self.rank = 0
        self.data = None
        self.name = name
        self.requires_grad = variable._requires_grad
        array = variable._data
        if array is None:
            self.shape = self.dtype = None
        else:
            self.shape = array.shape
            self.dtype = array.dtype

    @property
    def creator(self):
        return self.creator_node

    def get_variable(self):
        """The Variable of this node, recreated from retained data if the
        original was garbage-collected (and None if nothing is left)."""
        variable = self._variable()
        if variable is not None:
            return variable
        if self.data is None:
            return None
        variable = Variable(self.data, name=self.name,
                            requires_grad=self.requires_grad)
        variable._node = self
        self._variable = weakref.ref(variable)
        return variable

    def get_variable_or_none(self):
        return self._variable()

    def retain_data(self):
        variable = self._variable()
        if variable is None:
            raise RuntimeError('retain_data: the variable of this node is '
                               'already gone')
        self.data = variable._data

    @property
    def label(self):
        return _label(self.shape, self.dtype)

    def __repr__(self):
        return '<VariableNode {} rank={}>'.format(self.label, self.rank)


def _label(shape, dtype):
    if shape is None:
        return 'None'
    if shape == ():
        return str(dtype)
    return '({}), {}'.format(', '.join(map(str, shape)), dtype)


class Variable:
    """An array with an optional gradient and a link into the graph.

    Args:
        data: a ``numpy.ndarray`` or ``cupy.ndarray`` (or None).
        name (str): shown in ``repr`` and graph drawings.
        grad: the initial gradient array, or None.
        requires_grad (bool): whether backward computes a gradient for it.
    """

    __slots__ = ('_data', '_grad_var', '_node', '_requires_grad', '_name',
                 '__weakref__')
    # Make NumPy defer to Variable's reflected operators (ndarray + var).
    __array_priority__ = 200

    def __init__(self, data=None, *, name=None, grad=None,
                 requires_grad=True):
        if data is not None and not _is_array(data):
            raise TypeError(
                'Variable: data must be a numpy.ndarray or cupy.ndarray (or '
                'None), got {}. Wrap scalars and lists with numpy.asarray '
                'first.'.format(type(data).__name__))
        self._data = data
        self._node = None
        self._requires_grad = requires_grad
        self._name = name
        self._grad_var = None
        if grad is not None:
            self.grad = grad

    @classmethod
    def _output(cls, array, requires_grad):
        """Fast constructor for function outputs (no argument checks)."""
        variable = object.__new__(cls)
        variable._data = array
        variable._node = None
        variable._requires_grad = requires_grad
        variable._name = None
        variable._grad_var = None
        return variable

    # ----------------------------------------------------------- the array
    @property
    def array(self):
        return self._data

    @array.setter
    def array(self, value):
        if value is not None and not _is_array(value):
            raise TypeError(
                'Variable.array: expected a numpy.ndarray or cupy.ndarray, '
                'got {}'.format(type(value).__name__))
        self._data = value
        node = self._node
        if node is not None:
            if node.data is not None:
                node.data = value
            if value is not None:
                node.shape = value.shape
                node.dtype = value.dtype

    data = array

    @property
    def shape(self):
        return self._data.shape

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def size(self):
        return self._data.size

    @property
    def dtype(self):
        return self._data.dtype

    def __len__(self):
        shape = self._data.shape
        if not shape:
            raise TypeError('len() of a 0-dimensional Variable')
        return shape[0]

    @property
    def xp(self):
        return backend.get_array_module(self._data)

    @property
    def device(self):
        return backend.get_device_from_array(self._data)

    def item(self):
        return self._data.item()

    @property
    def label(self):
        if self._data is None:
            return 'None'
        return _label(self._data.shape, self._data.dtype)

    # ---------------------------------------------------------- gradients
    @property
    def grad_var(self):
        return self._grad_var

    @grad_var.setter
    def grad_var(self, value):
        if value is not None:
            if not isinstance(value, Variable):
                raise TypeError('grad_var must be a Variable or None, got {}'
                                .format(type(value).__name__))
            self._check_grad(value._data)
        self._grad_var = value

    @property
    def grad(self):
        grad_var = self._grad_var
        return None if grad_var is None else grad_var._data

    @grad.setter
    def grad(self, value):
        if value is None:
            self._grad_var = None
            return
        if not _is_array(value):
            raise TypeError('grad must be a numpy.ndarray or cupy.ndarray '
                            '(or None), got {}'.format(type(value).__name__))
        self._check_grad(value)
        self._grad_var = Variable._output(value, False)

    def _check_grad(self, grad):
        data = self._data
        if data is None or grad is None:
            return
        if grad.shape != data.shape or grad.dtype != data.dtype:
            raise ValueError(
                'gradient of {} must match its data: expected shape {} and '
                'dtype {}, got shape {} and dtype {}'.format(
                    self._describe(), data.shape, data.dtype, grad.shape,
                    grad.dtype))
        if type(grad) is not type(data) and (
                is_cupy_array(grad) != is_cupy_array(data)):
            raise TypeError(
                'gradient of {} must be on the same device as its data ({}), '
                'got a {}'.format(self._describe(), self.device,
                                  type(grad).__name__))

    def _describe(self):
        return 'variable {!r}'.format(self._name) if self._name else \
            'a variable'

    def cleargrad(self):
        """Drops the gradient (the next backward starts from nothing)."""
        self._grad_var = None

    def zerograd(self):
        """Sets the gradient to zeros, in place when one exists."""
        grad_var = self._grad_var
        if grad_var is None or grad_var._data is None:
            data = self._data
            xp = backend.get_array_module(data)
            self._grad_var = Variable._output(xp.zeros_like(data), False)
        else:
            grad_var._data.fill(0)

    def addgrad(self, var):
        """Adds ``var``'s gradient to this variable's, across devices."""
        src = var._grad_var
        if src is None:
            return
        src_array = self.device.send(src._data)
        if self._grad_var is None:
            self._grad_var = Variable._output(src_array.copy(), False)
        else:
            self._grad_var = Variable._output(
                self._grad_var._data + src_array, False)

    def copydata(self, var):
        """Copies ``var``'s array into this variable's, in place."""
        src = var._data if isinstance(var, Variable) else var
        dst = self._data
        if dst is None:
            self.array = src.copy()
            return
        backend.copyto(dst, src)

    # ---------------------------------------------------------- the graph
    @property
    def node(self):
        node = self._node
        if node is None:
            node = self._node = VariableNode(self, self._name)
        return node

    @property
    def creator_node(self):
        node = self._node
        return None if node is None else node.creator_node

    @creator_node.setter
    def creator_node(self, func):
        self.node.creator_node = func
        self._node.rank = 0 if func is None else func.rank + 1

    creator = creator_node

    def set_creator_node(self, fnode):
        self.creator_node = fnode

    set_creator = set_creator_node

    @property
    def rank(self):
        node = self._node
        return 0 if node is None else node.rank

    @property
    def requires_grad(self):
        return self._requires_grad

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, name):
        self._name = name
        if self._node is not None:
            self._node.name = name

    def retain_data(self):
        self.node.data = self._data

    def unchain(self):
        """Cuts the link to the creator: this variable becomes a leaf."""
        node = self._node
        if node is not None:
            node.creator_node = None
            node.rank = 0

    def unchain_backward(self):
        """Cuts every link in the graph behind this variable."""
        node = self._node
        if node is None or node.creator_node is None:
            return
        pending = [node.creator_node]
        seen = {id(node.creator_node)}
        node.creator_node = None
        while pending:
            func = pending.pop()
            for input_node in func.inputs or ():
                creator = input_node.creator_node
                if creator is not None and id(creator) not in seen:
                    seen.add(id(creator))
                    pending.append(creator)
                input_node.creator_node = None
            func.unchain()

    def backward(self, retain_grad=False, enable_double_backprop=False,
                 loss_scale=None):
        """Computes gradients of this variable w.r.t. the graph's leaves.

        The starting gradient is ``self.grad``; for a one-element variable
        without one it is 1. Leaves that require a gradient get it added to
        their ``grad``; intermediate variables keep theirs only with
        ``retain_grad=True``.
        """
        from dynet import _backprop
        _backprop.backward_from_variable(
            self, retain_grad, enable_double_backprop, loss_scale)

    # ------------------------------------------------------------ devices
    def to_device(self, device):
        device = backend.get_device(device)
        if self._data is not None:
            self._set_array_keep_node(device.send_array(self._data))
        if self._grad_var is not None:
            self._grad_var._data = device.send_array(self._grad_var._data)
        return self

    def to_cpu(self):
        return self.to_device(backend.CpuDevice())

    def to_gpu(self, device=None):
        if device is None:
            device = '@cupy'
        elif isinstance(device, int):
            device = '@cupy:{}'.format(device)
        return self.to_device(device)

    def _set_array_keep_node(self, array):
        self._data = array
        node = self._node
        if node is not None and node.data is not None:
            node.data = array

    # ---------------------------------------------------------- printing
    def __repr__(self):
        return _format(self, numpy.array_repr)

    def __str__(self):
        return _format(self, numpy.array_str)

    def summary(self):
        name = '' if self._name is None else self._name + ' '
        return '<variable {}at 0x{:x}>'.format(name, id(self))

    def debug_print(self):
        lines = [self.summary(), '- device: {}'.format(self.device),
                 '- backend: {}'.format(type(self._data))]
        data = self._data
        if data is None:
            lines.append('- data: None')
        else:
            lines += ['- shape: {}'.format(data.shape),
                      '- dtype: {}'.format(data.dtype)]
            if data.size and data.dtype.kind in 'fiub':
                lines += ['- statistics: mean={:.8f}, std={:.8f}'.format(
                    float(data.mean()), float(data.std()))]
        grad = self.grad
        lines.append('- grad: None' if grad is None else
                     '- grad: mean={:.8f}, std={:.8f}'.format(
                         float(grad.mean()), float(grad.std())))
        return '\n'.join(lines)

    # ---------------------------------------------------------- pickling
    def __getstate__(self):
        # The graph is not pickled: an unpickled Variable is a leaf.
        state = {}
        for cls in type(self).__mro__:
            for slot in getattr(cls, '__slots__', ()):
                if slot not in ('_node', '__weakref__'):
                    state[slot] = getattr(self, slot, None)
        return state

    def __setstate__(self, state):
        self._node = None
        for key, value in state.items():
            setattr(self, key, value)

    # A Variable is hashed by identity and never compared by value.
    __hash__ = object.__hash__

    def _no_comparison(self, other):
        raise NotImplementedError(
            'Variables cannot be compared; compare their arrays '
            '(x.array) instead')

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _no_comparison


def _format(variable, array_formatter):
    data = variable._data
    prefix = 'variable' if variable._name is None else \
        'variable {}'.format(variable._name)
    if data is None:
        return '{}(None)'.format(prefix)
    if is_cupy_array(data):
        data = data.get()
    if array_formatter is numpy.array_repr:
        body = numpy.array_repr(data)
        return prefix + body[body.index('('):]
    indent = ' ' * (len(prefix) + 1)
    return '{}({})'.format(prefix, numpy.array2string(
        data, separator=' ', prefix=indent))


class Parameter(Variable):
    """A trainable Variable, possibly initialized later.

    Args:
        initializer: an array (used as the data), a scalar (a constant
            fill), a callable initializer, or None (NaN-filled, so that an
            uninitialized parameter is never silently used as zeros).
        shape: the shape; when None and ``initializer`` is not an array,
            the parameter stays uninitialized until ``initialize(shape)``.
        name (str): the parameter's name.
    """

    __slots__ = ('initializer', 'update_rule', '_initial_device',
                 '_grad_initializer', '_loss_scale')

    def __init__(self, initializer=None, shape=None, name=None):
        from dynet import initializers
        self.update_rule = None
        self._initial_device = None
        self._grad_initializer = None
        self._loss_scale = None
        if _is_array(initializer):
            self.initializer = initializers.Constant(
                initializer, dtype=initializer.dtype)
            super().__init__(initializer, name=name)
            self._initial_device = backend.get_device_from_array(initializer)
            return
        if initializer is None:
            initializer = initializers.NaN()
        elif isinstance(initializer, (numbers.Number, numpy.number)):
            initializer = initializers.Constant(initializer)
        elif not callable(initializer):
            raise TypeError(
                'Parameter: initializer must be an array, a scalar, a '
                'callable initializer or None, got {}'.format(
                    type(initializer).__name__))
        self.initializer = initializer
        super().__init__(None, name=name)
        if shape is not None:
            self.initialize(shape)

    @property
    def is_initialized(self):
        return self._data is not None

    @property
    def dtype(self):
        if self._data is not None:
            return self._data.dtype
        from dynet import initializers
        return initializers.dtype_of(self.initializer)

    def initialize(self, shape):
        """Creates the array with the initializer, on the chosen device."""
        from dynet import initializers
        device = self._initial_device or backend.CpuDevice()
        data = initializers.generate_array(
            self.initializer, shape, device.xp, device=device)
        grad = None
        if self._grad_initializer is not None:
            grad = initializers.generate_array(
                self._grad_initializer, shape, device.xp, device=device,
                dtype=data.dtype)
        self.array = data
        self.grad = grad

    def to_device(self, device):
        device = backend.get_device(device)
        self._initial_device = device
        return super().to_device(device)

    def cleargrad(self):
        super().cleargrad()
        if self._data is None:
            self._grad_initializer = None

    def zerograd(self):
        if self._data is None:
            from dynet import initializers
            self._grad_initializer = initializers.Constant(0)
        else:
            super().zerograd()

    def update(self):
        """Applies the update rule (``optimizer.setup`` installs it)."""
        if self.update_rule is not None:
            self.update_rule.update(self)

    def __repr__(self):
        if self._data is None:
            return 'parameter{}(uninitialized)'.format(
                '' if self._name is None else ' ' + self._name)
        return 'parameter' + super().__repr__()[len('variable'):]

    def __str__(self):
        if self._data is None:
            return self.__repr__()
        return 'parameter' + super().__str__()[len('variable'):]


def as_variable(obj):
    """``obj`` if it is a Variable; an array wrapped with
    ``requires_grad=False`` otherwise."""
    if isinstance(obj, Variable):
        return obj
    if not _is_array(obj):
        raise TypeError('as_variable: expected a Variable or an array, got {}'
                        .format(type(obj).__name__))
    return Variable(obj, requires_grad=False)


def as_array(obj):
    """The array of a Variable, or ``obj`` itself if it is an array."""
    if isinstance(obj, Variable):
        return obj._data
    return obj
