"""Optimizers: update rules per parameter, driven by an Optimizer.

``optimizer.setup(link)`` gives every parameter of the link an
``UpdateRule`` (``param.update_rule``) whose hyperparameters default to the
optimizer's (``param.update_rule.hyperparam.lr = ...`` overrides one
parameter). ``optimizer.update()`` calls the hooks and every rule.
"""
import collections
import copy
import math
import warnings

import numpy

from dynet import backend


class Hyperparameter:
    """A set of hyperparameters; names not set here are read from the
    parent."""

    def __init__(self, parent=None):
        object.__setattr__(self, '_parent', parent)

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        parent = object.__getattribute__(self, '_parent')
        if parent is None:
            raise AttributeError(
                'hyperparameter {!r} is not defined'.format(name))
        return getattr(parent, name)

    @property
    def parent(self):
        return self._parent

    def get_dict(self):
        """All hyperparameters (inherited ones included) as a dict."""
        values = {} if self._parent is None else self._parent.get_dict()
        values.update({k: v for k, v in self.__dict__.items()
                       if not k.startswith('_')})
        return values

    def __repr__(self):
        return 'Hyperparameter({})'.format(', '.join(
            '{}={!r}'.format(k, v) for k, v in sorted(
                self.get_dict().items())))

    def __deepcopy__(self, memo):
        result = Hyperparameter(copy.deepcopy(self._parent, memo))
        result.__dict__.update(copy.deepcopy(
            {k: v for k, v in self.__dict__.items() if k != '_parent'},
            memo))
        return result


class UpdateRule:
    """Updates one parameter from its gradient.

    Subclasses implement ``init_state(param)`` (create ``self.state``
    arrays, lazily on the parameter's device) and ``update_core_cpu`` /
    ``update_core_gpu`` (or ``update_core``).

    Attributes:
        enabled: False skips the parameter (frozen).
        t: number of updates done.
        hyperparam: this rule's ``Hyperparameter``.
        state: dict of state arrays (None until the first update).
        is_elementwise: True when the rule updates each element on its own
            (so a parameter may be updated in pieces).
    """

    is_elementwise = False

    def __init__(self, parent_hyperparam=None):
        self.hyperparam = Hyperparameter(parent_hyperparam)
        self.enabled = True
        self.t = 0
        self._state = None
        self._pre_update_hooks = collections.OrderedDict()
        self._post_update_hooks = collections.OrderedDict()
        self._use_fp32_update = False
        self._fp32_param = None

    @property
    def state(self):
        return self._state

    def add_hook(self, hook, name=None, timing='auto'):
        """Adds ``hook(rule, param)`` called before or after updates.

        ``timing``: 'pre', 'post', or 'auto' (the hook's own ``timing``
        attribute, default 'pre'). ``name`` defaults to ``hook.name`` or the
        function's ``__name__``.
        """
        self._check_hook(hook, timing)
        timing = _resolve_timing(hook, timing)
        name = _hook_name(hook, name)
        if name in self._pre_update_hooks or name in self._post_update_hooks:
            raise KeyError('a hook named {!r} already exists'.format(name))
        hooks = self._pre_update_hooks if timing == 'pre' else \
            self._post_update_hooks
        hooks[name] = hook

    @staticmethod
    def _check_hook(hook, timing):
        if not callable(hook):
            raise TypeError('add_hook: hook must be callable')
        if timing not in ('pre', 'post', 'auto'):
            raise ValueError("add_hook: timing must be 'pre', 'post' or "
                             "'auto', got {!r}".format(timing))

    def remove_hook(self, name):
        if name in self._pre_update_hooks:
            del self._pre_update_hooks[name]
        elif name in self._post_update_hooks:
            del self._post_update_hooks[name]
        else:
            raise KeyError('no hook named {!r}'.format(name))

    def use_fp32_update(self, flag=True):
        """Keeps a float32 master copy of float16 parameters."""
        self._use_fp32_update = flag

    def update(self, param):
        """Updates ``param`` in place from ``param.grad``.

        A gradient computed with ``backward(loss_scale=s)`` is divided by
        ``s`` first (on the float32 copy when ``use_fp32_update`` applies),
        so hooks and the update see the true gradient.
        """
        if not self.enabled:
            return
        self.t += 1
        if self._use_fp32_update and param.dtype == numpy.float16:
            self._update_in_fp32(param)
            return
        loss_scale = getattr(param, '_loss_scale', None)
        if param.array is not None:
            self._prepare(param)
            if loss_scale is not None:
                if param.grad is not None:
                    param.grad /= loss_scale
                param._loss_scale = None
        for hook in self._pre_update_hooks.values():
            hook(self, param)
        self.update_core(param)
        for hook in self._post_update_hooks.values():
            hook(self, param)

    def _update_in_fp32(self, param):
        from dynet.variable import Variable
        if param.array is None:
            return
        if self._fp32_param is None:
            self._fp32_param = Variable(param.array.astype(numpy.float32),
                                        name=param.name)
        master = self._fp32_param
        master.grad = None if param.grad is None else \
            param.grad.astype(numpy.float32)
        loss_scale = getattr(param, '_loss_scale', None)
        if loss_scale is not None:
            # Unscaled in float32, where small gradients do not underflow.
            if master.grad is not None:
                master.grad /= loss_scale
            param._loss_scale = None
        self._prepare(master)
        for hook in self._pre_update_hooks.values():
            hook(self, master)
        self.update_core(master)
        for hook in self._post_update_hooks.values():
            hook(self, master)
        param.array[...] = master.array.astype(param.dtype)
        master.grad = None

    def _prepare(self, param):
        device = backend.get_device_from_array(param.array)
        state = self._state
        if state is None:
            self._state = {}
            with device:
                self.init_state(param)
            return
        # State loaded by a deserializer may sit on another device.
        for key, value in state.items():
            if (isinstance(value, numpy.ndarray) or
                    backend.is_cupy_array(value)) and \
                    not device.is_array_supported(value):
                state[key] = device.send_array(value)

    def init_state(self, param):
        """Creates the state arrays (override)."""

    def update_core(self, param):
        if backend.get_array_module(param.array) is numpy:
            self.update_core_cpu(param)
        else:
            with backend.get_device_from_array(param.array):
                self.update_core_gpu(param)

    def update_core_cpu(self, param):
        raise NotImplementedError(
            '{} implements neither update_core nor update_core_cpu'.format(
                type(self).__name__))

    def update_core_gpu(self, param):
        raise NotImplementedError(
            '{} implements neither update_core nor update_core_gpu'.format(
                type(self).__name__))

    def serialize(self, serializer):
        """Saves or loads ``t`` and the state arrays."""
        from dynet.serializers.base import Deserializer
        self.t = serializer('t', self.t)
        if self._state is None:
            if not isinstance(serializer, Deserializer):
                return
            # Learn the state's keys from a dummy parameter, then read them.
            from dynet.variable import Variable
            probe = copy.copy(self)
            probe._state = {}
            dummy = numpy.zeros(1, numpy.float32)
            probe.init_state(Variable(dummy, grad=dummy))
            loaded = {}
            for key in probe._state:
                try:
                    loaded[key] = serializer(key, None)
                except KeyError:
                    # A frozen rule, or one saved before its first update,
                    # has no saved state: it is created at the next update.
                    if self.enabled and self.t != 0:
                        raise
                    loaded[key] = None
            if any(value is None for value in loaded.values()):
                return
            self._state = loaded
        else:
            for key in list(self._state):
                self._state[key] = serializer(key, self._state[key])


class Optimizer:
    """Base class of optimizers.

    Attributes:
        target: the Link being optimized (after ``setup``).
        t: number of updates done.
        epoch: number of epochs done (``new_epoch``).
        use_auto_new_epoch: True when an updater calls ``new_epoch(auto=True)``
            (the updater sets it); calling ``new_epoch()`` by hand then
            raises.
    """

    target = None
    t = 0
    epoch = 0
    use_auto_new_epoch = False
    _pre_update_hooks = None
    _post_update_hooks = None
    _loss_scale = None
    _loss_scale_max = 65504  # the largest float16
    _loss_scaling_is_dynamic = False
    _loss_scaling_isnan = False

    def setup(self, link):
        """Prepares to optimize ``link``'s parameters; returns self."""
        from dynet.link import Link
        if not isinstance(link, Link):
            raise TypeError('{}.setup: expected a Link, got {}'.format(
                type(self).__name__, type(link).__name__))
        self.target = link
        self.t = 0
        self.epoch = 0
        self._pre_update_hooks = collections.OrderedDict()
        self._post_update_hooks = collections.OrderedDict()
        return self

    def _check_setup(self):
        if self.target is None or self._pre_update_hooks is None:
            raise RuntimeError('{}: call setup(link) first'.format(
                type(self).__name__))

    def update(self, lossfun=None, *args, **kwds):
        raise NotImplementedError

    def new_epoch(self, auto=False):
        """Counts one more epoch.

        ``auto=True`` is for updaters, which set ``use_auto_new_epoch``;
        mixing the two ways raises RuntimeError.
        """
        if auto and not self.use_auto_new_epoch:
            raise RuntimeError(
                'new_epoch(auto=True) needs optimizer.use_auto_new_epoch = '
                'True (set by the updater that calls it)')
        if not auto and self.use_auto_new_epoch:
            raise RuntimeError(
                'new_epoch() is called automatically by the updater here; '
                'do not call it by hand (or pass auto_new_epoch=False to the '
                'updater)')
        self.epoch += 1

    def add_hook(self, hook, name=None, timing='auto'):
        """Adds a hook called at each update.

        A hook with ``call_for_each_param = True`` is called as
        ``hook(param.update_rule, param)`` for every parameter; any other as
        ``hook(optimizer)``.

        ``timing``: 'pre' (before the rules run), 'post' (after), or 'auto'
        (the hook's own ``timing`` attribute; 'pre' with a warning when it
        has none that is valid). ``name`` defaults to ``hook.name`` (or the
        function's ``__name__``).
        """
        self._check_setup()
        UpdateRule._check_hook(hook, timing)
        if timing == 'auto':
            timing = getattr(hook, 'timing', None)
            if timing not in ('pre', 'post'):
                warnings.warn(
                    "add_hook: the hook's timing attribute is not 'pre' or "
                    "'post'; calling it before the update ('pre')")
                timing = 'pre'
        name = _hook_name(hook, name)
        if name in self._pre_update_hooks or name in self._post_update_hooks:
            raise KeyError('add_hook: a hook named {!r} already exists'
                           .format(name))
        hooks = self._pre_update_hooks if timing == 'pre' else \
            self._post_update_hooks
        hooks[name] = hook

    def remove_hook(self, name):
        self._check_setup()
        if name in self._pre_update_hooks:
            del self._pre_update_hooks[name]
        else:
            del self._post_update_hooks[name]

    def call_hooks(self, timing='pre'):
        """Calls the hooks of ``timing`` in registration order."""
        if timing == 'pre':
            hooks = self._pre_update_hooks
        elif timing == 'post':
            hooks = self._post_update_hooks
        else:
            raise ValueError("call_hooks: timing must be 'pre' or 'post', "
                             "got {!r}".format(timing))
        for hook in list((hooks or {}).values()):
            self.call_hook(hook)

    def call_hook(self, hook):
        """Calls one hook, per parameter if it asks for that."""
        if getattr(hook, 'call_for_each_param', False):
            for param in self.target.params():
                rule = param.update_rule
                if rule is not None:
                    hook(rule, param)
        else:
            hook(self)

    def serialize(self, serializer):
        """Saves or loads ``t``, ``epoch`` and every update rule's state."""
        self.t = serializer('t', self.t)
        self.epoch = serializer('epoch', self.epoch)
        for name, param in self.target.namedparams():
            rule = getattr(param, 'update_rule', None)
            if rule is not None:
                rule.serialize(serializer[name])

    # ------------------------------------------------------ loss scaling
    @property
    def loss_scale(self):
        return self._loss_scale

    @loss_scale.setter
    def loss_scale(self, value):
        self._loss_scale = value

    def loss_scaling(self, interval=1000, scale=None):
        """Configures loss scaling.

        ``scale=None`` selects dynamic scaling: the scale starts at 1, is
        halved (and the update skipped) when a gradient is not finite, and
        grows again (doubling, or by ``2 ** (1 / interval)`` per update once
        an overflow was seen). A number selects a static scale.
        """
        if scale is None:
            if interval < 1:
                raise ValueError('loss_scaling: interval must be >= 1, got '
                                 '{}'.format(interval))
            self._loss_scaling_is_dynamic = True
            self._loss_scale = 1.0
            self._loss_scaling_multiplier = math.pow(2.0, 1.0 / interval)
            self._loss_scaling_isnan_ever = False
        else:
            if scale <= 0:
                raise ValueError('loss_scaling: scale must be positive, got '
                                 '{}'.format(scale))
            self._loss_scale = scale

    def set_loss_scale(self, loss_scale):
        """Sets a static loss scale."""
        self.loss_scaling(scale=loss_scale)

    def check_nan_in_grads(self):
        """With dynamic loss scaling, notes (and warns) when a gradient has
        a NaN or infinity."""
        self._loss_scaling_isnan = False
        if not self._loss_scaling_is_dynamic:
            return
        for name, param in self.target.namedparams():
            grad = param.grad
            if grad is None:
                continue
            xp = backend.get_array_module(grad)
            if not bool(xp.all(xp.isfinite(grad))):
                self._loss_scaling_isnan = True
                self._loss_scaling_isnan_ever = True
                warnings.warn(
                    'Non finite number found in param.grad of {} '
                    '(iteration: {}, loss_scale: {})'.format(
                        name, self.t, self._loss_scale))

    def is_safe_to_update(self):
        return not self._loss_scaling_isnan

    def update_loss_scale(self):
        if not self._loss_scaling_is_dynamic:
            return
        if self._loss_scaling_isnan:
            multiplier = 0.5
        elif self._loss_scaling_isnan_ever:
            multiplier = self._loss_scaling_multiplier
        else:
            multiplier = 2.0
        self._loss_scale = max(1, min(self._loss_scale_max,
                                      self._loss_scale * multiplier))


class GradientMethod(Optimizer):
    """Optimizers that follow gradients: each parameter gets the update
    rule made by ``create_update_rule()``.

    Attributes:
        hyperparam: the default hyperparameters of every update rule; each
            one is also readable and writable as ``optimizer.<name>``.
    """

    def __init__(self):
        super().__init__()
        object.__setattr__(self, 'hyperparam', Hyperparameter())
        self._use_cleargrads = True
        self._use_fp32_update = False

    # Hyperparameters read and written as optimizer attributes.
    def __getattr__(self, name):
        if name.startswith('_') or name == 'hyperparam':
            raise AttributeError(name)
        try:
            return getattr(self.__dict__['hyperparam'], name)
        except (KeyError, AttributeError):
            raise AttributeError('{} has no attribute {!r}'.format(
                type(self).__name__, name)) from None

    def __setattr__(self, name, value):
        hyperparam = self.__dict__.get('hyperparam')
        if hyperparam is not None and name in hyperparam.__dict__ and \
                not hasattr(type(self), name):
            setattr(hyperparam, name, value)
        else:
            object.__setattr__(self, name, value)

    def setup(self, link):
        super().setup(link)
        for owner in link.links():
            enabled = owner.update_enabled
            d = owner.__dict__
            for name in owner._params:
                param = d[name]
                rule = self.create_update_rule()
                rule.enabled = enabled
                if self._use_fp32_update:
                    rule.use_fp32_update()
                param.update_rule = rule
        return self

    def create_update_rule(self):
        raise NotImplementedError

    def use_cleargrads(self, use=True):
        warnings.warn('GradientMethod.use_cleargrads is deprecated',
                      DeprecationWarning)
        self._use_cleargrads = use

    def use_fp32_update(self, flag=True):
        """Updates float16 parameters through float32 master copies (for
        the rules made by ``setup``, before or after it)."""
        self._use_fp32_update = flag
        if self.target is not None:
            for param in self.target.params():
                if param.update_rule is not None:
                    param.update_rule.use_fp32_update(flag)

    def reallocate_cleared_grads(self):
        """Gives initialized parameters without a gradient a zero one, so
        rules with state (momentum, decay) still apply."""
        for _, param in self.target.namedparams(include_uninit=False):
            if param.grad is None:
                xp = backend.get_array_module(param.array)
                with backend.get_device_from_array(param.array):
                    param.grad = xp.zeros_like(param.array)

    def call_hook(self, hook):
        super().call_hook(hook)
        # A hook may clear gradients; the rules expect them allocated.
        self.reallocate_cleared_grads()

    def update(self, lossfun=None, *args, **kwds):
        """One update step.

        With ``lossfun``, computes ``loss = lossfun(*args, **kwds)``, clears
        the gradients and runs backward (with the loss scale) first.
        """
        self._check_setup()
        if lossfun is not None:
            loss = lossfun(*args, **kwds)
            if self._use_cleargrads:
                self.target.cleargrads()
            else:
                self.target.zerograds()
            loss.backward(loss_scale=self._loss_scale)
            del loss
        self.reallocate_cleared_grads()
        self.check_nan_in_grads()
        self.call_hooks('pre')
        self.t += 1
        if self.is_safe_to_update():
            for param in self.target.params():
                param.update()
        self.reallocate_cleared_grads()
        self.call_hooks('post')
        self.update_loss_scale()


class HyperparameterProxy:
    """A class attribute that reads and writes ``self.hyperparam.<name>``
    (for optimizers written in Chainer's style; ``GradientMethod`` also
    exposes hyperparameters without it)."""

    def __init__(self, attr_name):
        self._attr_name = attr_name
        self.__doc__ = 'Alias to ``self.hyperparam.{}``'.format(attr_name)

    def __get__(self, obj, type=None):
        if obj is None:
            return self
        return getattr(obj.hyperparam, self._attr_name)

    def __set__(self, obj, value):
        setattr(obj.hyperparam, self._attr_name, value)


def _resolve_timing(hook, timing):
    if timing == 'auto':
        timing = getattr(hook, 'timing', 'pre')
        if timing not in ('pre', 'post'):
            timing = 'pre'
    return timing


def _hook_name(hook, name):
    if name is not None:
        return name
    name = getattr(hook, 'name', None) or getattr(hook, '__name__', None)
    if name is None:
        raise ValueError('add_hook: give the hook a name (it has neither a '
                         '`name` nor a `__name__` attribute)')
    return name


def _check_finite_hyperparameter(optimizer, name, value):
    if not (isinstance(value, (int, float, numpy.number)) and
            math.isfinite(value)):
        raise ValueError('{}: hyperparameter {} must be a finite number, '
                         'got {!r}'.format(optimizer, name, value))
