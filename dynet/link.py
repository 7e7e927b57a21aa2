"""Links: objects that hold parameters, and chains of links.

A ``Link`` owns Parameters and persistent values (non-trained state such as
running statistics). A ``Chain`` also owns named child links, a
``ChainList`` numbered ones, and ``Sequential`` applies its layers in
order. Parameters and links are registered by assigning them inside
``with self.init_scope():``.
"""
import collections
import contextlib
import copy as copy_module
import sys
import warnings

import numpy

from dynet import backend
from dynet import initializers
from dynet import link_hook as _link_hook
from dynet.variable import Parameter


class Link:
    """A building block holding parameters.

    ``Link(name=shape, ...)`` (Chainer's old style) adds uninitialized
    parameters of the given shapes.
    """

    # Whether __call__ must run link hooks: set on the class while a global
    # hook is registered (link_hook._count_global), on an instance while it
    # has hooks of its own (add_hook/delete_hook). One attribute read keeps
    # the call of a link without hooks as cheap as a plain forward call.
    _has_link_hooks = False

    def __init__(self, **params):
        self._params = []
        self._persistent = []
        self._within_init_scope = False
        self._device = backend.CpuDevice()
        self.name = None
        for name, shape in params.items():
            self.add_param(name, shape)

    # ------------------------------------------------------- registration
    @property
    def within_init_scope(self):
        return getattr(self, '_within_init_scope', False)

    @contextlib.contextmanager
    def init_scope(self):
        """Within this block, assigning a Parameter (or, in a Chain, a
        Link) to an attribute registers it."""
        previous = self.within_init_scope
        object.__setattr__(self, '_within_init_scope', True)
        try:
            yield
        finally:
            object.__setattr__(self, '_within_init_scope', previous)

    def __setattr__(self, name, value):
        if self.within_init_scope and isinstance(value, Parameter):
            self._unregister(name)
            value.name = name
            if not value.is_initialized and self._device is not None:
                value._initial_device = self._device
            self._params.append(name)
        elif isinstance(value, (Parameter, Link)) and \
                '_params' in self.__dict__ and name not in self._params and \
                not self._is_registered_child(name):
            _warn_unregistered(self, name, value)
        object.__setattr__(self, name, value)

    def _is_registered_child(self, name):
        return False

    def __delattr__(self, name):
        self._unregister(name)
        object.__delattr__(self, name)

    def _unregister(self, name):
        if name in self._params:
            self._params.remove(name)
        if name in self._persistent:
            self._persistent.remove(name)

    def add_param(self, name, shape=None, dtype=numpy.float32,
                  initializer=None):
        """Registers a new Parameter ``name`` (uninitialized if ``shape`` is
        None)."""
        if name in self.__dict__:
            raise AttributeError(
                '{}.add_param: cannot register {!r}: the link already has an '
                'attribute of that name'.format(type(self).__name__, name))
        if initializer is None:
            initializer = initializers.NaN(dtype)
        param = Parameter(initializer, shape)
        with self.init_scope():
            setattr(self, name, param)

    def add_persistent(self, name, value):
        """Registers ``value`` as persistent state (serialized, moved
        between devices, never trained)."""
        if name in self.__dict__:
            raise AttributeError(
                '{}.add_persistent: cannot register {!r}: the link already '
                'has an attribute of that name'.format(
                    type(self).__name__, name))
        self._persistent.append(name)
        object.__setattr__(self, name, value)

    def register_persistent(self, name):
        """Marks an existing attribute as persistent."""
        if not hasattr(self, name):
            raise AttributeError(
                '{}.register_persistent: no attribute {!r}'.format(
                    type(self).__name__, name))
        if name not in self._persistent:
            self._persistent.append(name)

    # ----------------------------------------------------------- traversal
    def params(self, include_uninit=True):
        for _, param in self.namedparams(include_uninit):
            yield param

    def namedparams(self, include_uninit=True):
        d = self.__dict__
        # Sorted by name, as Chainer does: code that draws random numbers
        # per parameter then gives the same numbers.
        for name in sorted(self._params):
            if include_uninit or d[name].is_initialized:
                yield '/' + name, d[name]

    def links(self, skipself=False):
        for _, link in self.namedlinks(skipself):
            yield link

    def namedlinks(self, skipself=False):
        if not skipself:
            yield '/', self

    def children(self):
        return iter(())

    def count_params(self):
        """The number of parameter elements (uninitialized ones count 0,
        with a warning)."""
        total = 0
        for name, param in self.namedparams():
            if param.array is None:
                warnings.warn('{} is not initialized and is not counted'
                              .format(name))
            else:
                total += param.size
        return total

    # ----------------------------------------------------------- gradients
    def cleargrads(self):
        for param in self.params():
            param.cleargrad()

    def zerograds(self):
        for param in self.params():
            param.zerograd()

    def addgrads(self, link):
        """Adds the gradients of ``link``'s parameters (same structure)."""
        src = dict(link.namedparams())
        for name, dst in self.namedparams():
            if name not in src:
                raise KeyError('addgrads: {} has no parameter {}'.format(
                    type(link).__name__, name))
            dst.addgrad(src[name])

    def copyparams(self, link, copy_persistent=True):
        """Copies parameter (and persistent) values from ``link`` in place.
        """
        src = dict(link.namedparams())
        for name, dst in self.namedparams():
            if name not in src:
                raise KeyError('copyparams: {} has no parameter {}'.format(
                    type(link).__name__, name))
            dst.copydata(src[name])
        if copy_persistent:
            src_links = dict(link.namedlinks())
            for path, dst_link in self.namedlinks():
                src_link = src_links.get(path)
                if src_link is None:
                    continue
                for name in dst_link._persistent:
                    value = getattr(src_link, name)
                    current = getattr(dst_link, name)
                    if isinstance(current, numpy.ndarray) or \
                            backend.is_cupy_array(current):
                        backend.copyto(current, value)
                    else:
                        object.__setattr__(dst_link, name,
                                           copy_module.deepcopy(value))

    # ------------------------------------------------------------- update
    def enable_update(self):
        self._set_update_enabled(True)

    def disable_update(self):
        """Freezes the parameters: optimizers skip them."""
        self._set_update_enabled(False)

    def _set_update_enabled(self, enabled):
        # The flag stays on each link so that update rules created later
        # (optimizer.setup after disable_update) honour it too.
        for link in self.links():
            object.__setattr__(link, '_update_enabled', enabled)
        for param in self.params():
            rule = param.update_rule
            if rule is not None:
                rule.enabled = enabled

    @property
    def update_enabled(self):
        return self.__dict__.get('_update_enabled', True)

    # ------------------------------------------------------------ devices
    @property
    def device(self):
        return self._device

    @property
    def xp(self):
        return self._device.xp

    def to_device(self, device):
        """Moves this link and all its descendants to ``device``."""
        device = backend.get_device(device)
        for link in self.links():
            link._move_own_arrays(device)
        return self

    def _move_own_arrays(self, device):
        """Moves the arrays this link itself holds (not its children's):
        parameters and persistents. Links with other device-resident state
        (e.g. a recurrent link's hidden state) extend it."""
        object.__setattr__(self, '_device', device)
        d = self.__dict__
        for name in self._params:
            d[name].to_device(device)
        for name in self._persistent:
            value = d[name]
            if isinstance(value, numpy.ndarray) or \
                    backend.is_cupy_array(value):
                object.__setattr__(self, name, device.send_array(value))

    def to_cpu(self):
        return self.to_device(backend.CpuDevice())

    def to_gpu(self, device=None):
        if device is None:
            device = '@cupy'
        elif isinstance(device, int):
            device = '@cupy:{}'.format(device)
        return self.to_device(device)

    # ------------------------------------------------------------ copying
    def copy(self, mode='share'):
        """A copy of this link.

        Args:
            mode: 'share' (new Parameter objects sharing the arrays, no
                gradients), 'copy' (independent copies of everything) or
                'init' (like 'copy', then parameters re-initialized with
                their initializers).
        """
        if mode == 'share':
            return self._copy_shared()
        if mode in ('copy', 'init'):
            result = copy_module.deepcopy(self)
            result.name = None
            if mode == 'init':
                for param in result.params():
                    if param.is_initialized:
                        param.initialize(param.shape)
            return result
        raise ValueError("Link.copy: mode must be 'share', 'copy' or 'init', "
                         "got {!r}".format(mode))

    def _copy_shared(self):
        result = copy_module.copy(self)
        d = result.__dict__
        d['_params'] = list(self._params)
        d['_persistent'] = list(self._persistent)
        d['name'] = None
        if self.__dict__.get('_local_link_hooks') is not None:
            # Same hooks, but adding or deleting one on the copy leaves
            # the original alone.
            d['_local_link_hooks'] = collections.OrderedDict(
                self._local_link_hooks)
        for name in self._params:
            param = copy_module.copy(d[name])
            param.cleargrad()
            d[name] = param
        return result

    def repeat(self, n_repeat, mode='init'):
        """A ``Sequential`` of ``n_repeat`` copies of this link."""
        if n_repeat <= 0:
            return Sequential()
        copies = [self.copy(mode) for _ in range(n_repeat)]
        return Sequential(*copies)

    # -------------------------------------------------------- serializing
    def serialize(self, serializer):
        """Saves or loads parameters and persistents with ``serializer``.
        """
        d = self.__dict__
        for name in self._params:
            param = d[name]
            data = serializer(name, param.array)
            if param.array is None and data is not None:
                # Loading into an uninitialized parameter: take the shape
                # and values from the file.
                param.initialize(data.shape)
                backend.copyto(param.array, data)
        for name in self._persistent:
            value = d[name]
            result = serializer(name, value)
            if not (isinstance(value, numpy.ndarray) or
                    backend.is_cupy_array(value)):
                object.__setattr__(self, name, result)

    # -------------------------------------------------------------- calls
    def __call__(self, *args, **kwargs):
        """Calls ``forward``, with the link hooks (global and the link's
        own) around it when there are any."""
        try:
            forward = self.forward
        except AttributeError:
            raise NotImplementedError(
                '{} defines no forward method'.format(
                    type(self).__name__)) from None
        if self._has_link_hooks:
            return _link_hook._call_with_hooks(self, forward, args, kwargs)
        return forward(*args, **kwargs)

    # -------------------------------------------------------------- hooks
    @property
    def local_link_hooks(self):
        """The hooks added to this link: an ordered dict, name -> hook."""
        hooks = self.__dict__.get('_local_link_hooks')
        if hooks is None:
            hooks = collections.OrderedDict()
            object.__setattr__(self, '_local_link_hooks', hooks)
        return hooks

    def add_hook(self, hook, name=None):
        """Registers ``hook`` (a LinkHook) for this link only, under
        ``name`` (default: ``hook.name``); calls ``hook.added(self)``.

        Returns:
            this link, so that ``L.Linear(3, 2).add_hook(hook)`` can be
            written in one expression.
        """
        if not isinstance(hook, _link_hook.LinkHook):
            raise TypeError('{}.add_hook: hook must be a LinkHook, got {}'
                            .format(type(self).__name__,
                                    type(hook).__name__))
        if name is None:
            name = hook.name
        hooks = self.local_link_hooks
        if name in hooks:
            raise KeyError('{}.add_hook: a hook named {!r} is already '
                           'added'.format(type(self).__name__, name))
        hooks[name] = hook
        object.__setattr__(self, '_has_link_hooks', True)
        try:
            hook.added(self)
        except BaseException:
            # A hook that refuses the link is not left half-registered.
            del hooks[name]
            self._update_has_link_hooks()
            raise
        return self

    def delete_hook(self, name):
        """Unregisters the hook ``name`` and calls its ``deleted(self)``."""
        hooks = self.__dict__.get('_local_link_hooks') or {}
        if name not in hooks:
            raise KeyError('{}.delete_hook: no hook named {!r} (hooks: {})'
                           .format(type(self).__name__, name,
                                   list(hooks)))
        hook = hooks.pop(name)
        self._update_has_link_hooks()
        hook.deleted(self)

    def _update_has_link_hooks(self):
        if self.__dict__.get('_local_link_hooks'):
            object.__setattr__(self, '_has_link_hooks', True)
        else:
            # Back to the class value (True only while global hooks exist).
            self.__dict__.pop('_has_link_hooks', None)

    @property
    def printable_specs(self):
        """(name, value) pairs shown in ``repr``; links override it."""
        return iter(())

    def __repr__(self):
        specs = ', '.join('{}={!r}'.format(k, v)
                          for k, v in self.printable_specs)
        return '{}({})'.format(type(self).__name__, specs)


def _warn_unregistered(link, name, value):
    kind = 'Parameter' if isinstance(value, Parameter) else 'Link'
    warnings.warn(
        '{}.{} = <{}> was assigned outside init_scope(): it is NOT '
        'registered, so optimizers will not train it and serializers will '
        'not save it. Assign it inside "with self.init_scope():" if it is '
        'part of the model.'.format(type(link).__name__, name, kind),
        UnregisteredWarning, stacklevel=_user_stacklevel())


def _user_stacklevel():
    """The warnings stacklevel of the first caller outside this module."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
        level += 1
    return level


class UnregisteredWarning(UserWarning):
    """A Parameter or Link was assigned outside ``init_scope``."""


class Chain(Link):
    """A link made of named child links (and possibly its own params)."""

    def __init__(self, **links):
        super().__init__()
        self._children = []
        for name, link in links.items():
            self.add_link(name, link)

    def _is_registered_child(self, name):
        return name in self.__dict__.get('_children', ())

    def __setattr__(self, name, value):
        if self.within_init_scope and isinstance(value, Link):
            if name in self.__dict__ and name not in self._children:
                raise AttributeError(
                    '{}: cannot register link {!r}: an attribute of that '
                    'name exists'.format(type(self).__name__, name))
            self._unregister(name)
            value.name = name
            self._children.append(name)
        super().__setattr__(name, value)

    def _unregister(self, name):
        super()._unregister(name)
        children = self.__dict__.get('_children')
        if children is not None and name in children:
            children.remove(name)

    def __getitem__(self, name):
        return getattr(self, name)

    def add_link(self, name, link):
        """Registers ``link`` as the child ``name``."""
        if name in self.__dict__:
            raise AttributeError(
                '{}.add_link: cannot register {!r}: the chain already has an '
                'attribute of that name'.format(type(self).__name__, name))
        if not isinstance(link, Link):
            raise TypeError('{}.add_link: expected a Link, got {}'.format(
                type(self).__name__, type(link).__name__))
        with self.init_scope():
            setattr(self, name, link)

    def children(self):
        d = self.__dict__
        for name in sorted(self._children):
            yield d[name]

    def namedparams(self, include_uninit=True):
        yield from super().namedparams(include_uninit)
        d = self.__dict__
        for name in sorted(self._children):
            prefix = '/' + name
            for path, param in d[name].namedparams(include_uninit):
                yield prefix + path, param

    def namedlinks(self, skipself=False):
        if not skipself:
            yield '/', self
        d = self.__dict__
        for name in sorted(self._children):
            child = d[name]
            prefix = '/' + name
            yield prefix, child
            for path, link in child.namedlinks(skipself=True):
                yield prefix + path, link

    def _copy_shared(self):
        result = super()._copy_shared()
        d = result.__dict__
        d['_children'] = list(self._children)
        for name in self._children:
            child = d[name]._copy_shared()
            child.name = name
            d[name] = child
        return result

    def serialize(self, serializer):
        super().serialize(serializer)
        d = self.__dict__
        for name in self._children:
            d[name].serialize(serializer[name])

    def __repr__(self):
        return _tree_repr(self, [(name, self.__dict__[name])
                                 for name in self._children])


class ChainList(Link):
    """A link made of a list of child links, named '0', '1', ..."""

    def __init__(self, *links):
        super().__init__()
        self._children = []
        for link in links:
            self.add_link(link)

    def __setattr__(self, name, value):
        if self.within_init_scope and isinstance(value, Link):
            raise TypeError(
                '{}: child links are added with append()/add_link(), not by '
                'attribute assignment'.format(type(self).__name__))
        super().__setattr__(name, value)

    def add_link(self, link):
        if not isinstance(link, Link):
            raise TypeError('{}.add_link: expected a Link, got {}'.format(
                type(self).__name__, type(link).__name__))
        link.name = str(len(self._children))
        self._children.append(link)

    def append(self, link):
        self.add_link(link)

    def __getitem__(self, index):
        return self._children[index]

    def __iter__(self):
        return iter(self._children)

    def __len__(self):
        return len(self._children)

    def children(self):
        return iter(list(self._children))

    def namedparams(self, include_uninit=True):
        yield from super().namedparams(include_uninit)
        for index, child in enumerate(self._children):
            prefix = '/{}'.format(index)
            for path, param in child.namedparams(include_uninit):
                yield prefix + path, param

    def namedlinks(self, skipself=False):
        if not skipself:
            yield '/', self
        for index, child in enumerate(self._children):
            prefix = '/{}'.format(index)
            yield prefix, child
            for path, link in child.namedlinks(skipself=True):
                yield prefix + path, link

    def _copy_shared(self):
        result = super()._copy_shared()
        result.__dict__['_children'] = [
            child._copy_shared() for child in self._children]
        for index, child in enumerate(result._children):
            child.name = str(index)
        return result

    def serialize(self, serializer):
        super().serialize(serializer)
        for index, child in enumerate(self._children):
            child.serialize(serializer[str(index)])

    def __repr__(self):
        return _tree_repr(self, [(str(i), c)
                                 for i, c in enumerate(self._children)])


class Sequential(ChainList):
    """Layers applied in order; layers may be Links or plain callables
    (e.g. ``F.relu``)."""

    def __init__(self, *layers):
        super().__init__()
        self._layers = []
        for layer in layers:
            self.append(layer)

    def _rebuild(self, layers):
        self._children = []
        self._layers = []
        for layer in layers:
            self.append(layer)

    def append(self, layer):
        if not callable(layer):
            raise TypeError('Sequential: a layer must be a Link or a '
                            'callable, got {}'.format(type(layer).__name__))
        if isinstance(layer, Link):
            super().add_link(layer)
        self._layers.append(layer)

    add_link = append

    def insert(self, index, layer):
        layers = list(self._layers)
        layers.insert(index, layer)
        self._rebuild(layers)

    def extend(self, layers):
        for layer in layers:
            self.append(layer)

    def remove(self, layer):
        layers = list(self._layers)
        layers.remove(layer)
        self._rebuild(layers)

    def pop(self, index=-1):
        layers = list(self._layers)
        layer = layers.pop(index)
        self._rebuild(layers)
        return layer

    def index(self, layer):
        return self._layers.index(layer)

    def count(self, layer):
        return self._layers.count(layer)

    def count_by_layer_type(self, type_name):
        return sum(1 for layer in self._layers
                   if _layer_name(layer) == type_name)

    def forward(self, *x):
        if not self._layers:
            raise RuntimeError('Sequential: no layers to apply')
        for layer in self._layers:
            x = layer(*x) if isinstance(x, tuple) else layer(x)
        return x

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self._layers[index])
        return self._layers[index]

    def __setitem__(self, index, layer):
        layers = list(self._layers)
        layers[index] = layer
        self._rebuild(layers)

    def __delitem__(self, index):
        layers = list(self._layers)
        del layers[index]
        self._rebuild(layers)

    def __iter__(self):
        return iter(self._layers)

    def __reversed__(self):
        return reversed(self._layers)

    def __len__(self):
        return len(self._layers)

    def __contains__(self, layer):
        return layer in self._layers

    def __add__(self, other):
        if isinstance(other, Sequential):
            return Sequential(*(list(self._layers) + list(other._layers)))
        if callable(other):
            return Sequential(*(list(self._layers) + [other]))
        return NotImplemented

    def _copy_shared(self):
        result = super()._copy_shared()
        links = iter(result._children)
        result.__dict__['_layers'] = [
            next(links) if isinstance(layer, Link) else layer
            for layer in self._layers]
        return result

    def __repr__(self):
        return _tree_repr(self, [(str(i), layer)
                                 for i, layer in enumerate(self._layers)])


def _layer_name(layer):
    return getattr(layer, '__name__', type(layer).__name__)


def _tree_repr(link, named_children):
    specs = ', '.join('{}={!r}'.format(k, v) for k, v in link.printable_specs)
    if not named_children:
        return '{}({})'.format(type(link).__name__, specs)
    lines = ['{}({}'.format(type(link).__name__, specs)]
    for name, child in named_children:
        text = repr(child) if isinstance(child, Link) else \
            _layer_name(child)
        text = text.replace('\n', '\n  ')
        lines.append('  ({}): {},'.format(name, text))
    lines.append(')')
    return '\n'.join(lines)
