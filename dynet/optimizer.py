"""Optimizers: update rules per parameter, driven by an Optimizer.

``optimizer.setup(link)`` gives every parameter of the link an
``UpdateRule`` (``param.update_rule``) whose hyperparameters default to the
optimizer's (``param.update_rule.hyperparam.lr = ...`` overrides one
parameter). ``optimizer.update()`` calls the hooks and every rule.
"""
import collections
import copy
import math

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
    """

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

    def add_hook(self, hook, name=None, timing='pre'):
        """Adds ``hook(rule, param)`` called before or after updates."""
        if timing not in ('pre', 'post'):
            raise ValueError("UpdateRule.add_hook: timing must be 'pre' or "
                             "'post', got {!r}".format(timing))
        if not callable(hook):
            raise TypeError('UpdateRule.add_hook: hook must be callable')
        name = name or getattr(hook, 'name', None) or type(hook).__name__
        hooks = self._pre_update_hooks if timing == 'pre' else \
            self._post_update_hooks
        if name in hooks:
            raise KeyError('a hook named {!r} already exists'.format(name))
        hooks[name] = hook

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
        """Updates ``param`` in place from ``param.grad``."""
        if not self.enabled:
            return
        self.t += 1
        loss_scale = getattr(param, '_loss_scale', None)
        if loss_scale is not None and param.grad is not None:
            param.grad /= loss_scale
            param._loss_scale = None
        if self._use_fp32_update and param.dtype == numpy.float16:
            self._update_in_fp32(param)
            return
        self._prepare(param)
        for hook in self._pre_update_hooks.values():
            hook(self, param)
        self.update_core(param)
        for hook in self._post_update_hooks.values():
            hook(self, param)

    def _update_in_fp32(self, param):
        from dynet.variable import Variable
        if self._fp32_param is None:
            self._fp32_param = Variable(param.array.astype(numpy.float32),
                                        name=param.name)
        master = self._fp32_param
        master.grad = None if param.grad is None else \
            param.grad.astype(numpy.float32)
        self._prepare(master)
        for hook in self._pre_update_hooks.values():
            hook(self, master)
        self.update_core(master)
        for hook in self._post_update_hooks.values():
            hook(self, master)
        param.array[...] = master.array.astype(param.dtype)

    def _prepare(self, param):
        if self._state is None:
            self._state = {}
            with backend.get_device_from_array(param.array):
                self.init_state(param)

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
                value = serializer(key, None)
                if value is None:
                    return
                loaded[key] = value
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
        hyperparam: the default hyperparameters of every update rule; each
            one is also readable and writable as ``optimizer.<name>``.
    """

    target = None
    t = 0
    epoch = 0
    _hooks = None
    _loss_scale = None
    _use_auto_new_epoch = False

    def setup(self, link):
        """Prepares to optimize ``link``'s parameters; returns self."""
        from dynet.link import Link
        if not isinstance(link, Link):
            raise TypeError('{}.setup: expected a Link, got {}'.format(
                type(self).__name__, type(link).__name__))
        self.target = link
        self.t = 0
        self.epoch = 0
        self._hooks = collections.OrderedDict()
        return self

    def _check_setup(self):
        if self.target is None:
            raise RuntimeError('{}: call setup(link) before update()'.format(
                type(self).__name__))

    def update(self, lossfun=None, *args, **kwds):
        raise NotImplementedError

    def new_epoch(self, auto=False):
        """Counts one more epoch (called by iterators/updaters)."""
        if self._use_auto_new_epoch and not auto:
            raise RuntimeError(
                'new_epoch() is called automatically by the updater here; '
                'do not call it by hand')
        self.epoch += 1

    def use_auto_new_epoch(self):
        self._use_auto_new_epoch = True

    def add_hook(self, hook, name=None, timing='auto'):
        """Adds ``hook(optimizer)`` called at each update.

        ``timing``: 'pre' (before the rules run), 'post' (after), or 'auto'
        (the hook's own ``timing`` attribute, default 'pre').
        """
        self._check_setup()
        if not callable(hook):
            raise TypeError('add_hook: hook must be callable')
        if timing == 'auto':
            timing = getattr(hook, 'timing', 'pre')
        if timing not in ('pre', 'post'):
            raise ValueError("add_hook: timing must be 'pre', 'post' or "
                             "'auto', got {!r}".format(timing))
        name = name or getattr(hook, 'name', None) or type(hook).__name__
        if name in self._hooks:
            raise KeyError('add_hook: a hook named {!r} already exists'
                           .format(name))
        if hasattr(hook, 'timing'):
            try:
                hook.timing = timing
            except AttributeError:
                pass
        self._hooks[name] = (hook, timing)

    def remove_hook(self, name):
        del self._hooks[name]

    def call_hooks(self, timing='pre'):
        for hook, hook_timing in list((self._hooks or {}).values()):
            if hook_timing == timing:
                hook(self)

    def serialize(self, serializer):
        """Saves or loads ``t``, ``epoch`` and every update rule's state."""
        self.t = serializer('t', self.t)
        self.epoch = serializer('epoch', self.epoch)
        for name, param in self.target.namedparams():
            rule = param.update_rule
            if rule is not None:
                rule.serialize(serializer[name])

    @property
    def loss_scale(self):
        return self._loss_scale

    @loss_scale.setter
    def loss_scale(self, value):
        self._loss_scale = value


class GradientMethod(Optimizer):
    """Optimizers that follow gradients: each parameter gets the update
    rule made by ``create_update_rule()``."""

    def __init__(self):
        super().__init__()
        object.__setattr__(self, 'hyperparam', Hyperparameter())
        self._use_cleargrads = True

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
        if hyperparam is not None and name in hyperparam.__dict__:
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
                param.update_rule = self.create_update_rule()
                param.update_rule.enabled = enabled
        return self

    def create_update_rule(self):
        raise NotImplementedError

    def use_cleargrads(self, use=True):
        self._use_cleargrads = use

    def reallocate_cleared_grads(self):
        """Gives initialized parameters without a gradient a zero one, so
        rules with state (momentum, decay) still apply."""
        for _, param in self.target.namedparams(include_uninit=False):
            if param.grad is None:
                xp = backend.get_array_module(param.array)
                param.grad = xp.zeros_like(param.array)

    def update(self, lossfun=None, *args, **kwds):
        """One update step.

        With ``lossfun``, computes ``loss = lossfun(*args, **kwds)``, clears
        the gradients and runs backward first.
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
        self.call_hooks('pre')
        self.t += 1
        for param in self.target.params():
            param.update()
        self.reallocate_cleared_grads()
        self.call_hooks('post')


def _check_finite_hyperparameter(optimizer, name, value):
    if not (isinstance(value, (int, float, numpy.number)) and
            math.isfinite(value)):
        raise ValueError('{}: hyperparameter {} must be a finite number, '
                         'got {!r}'.format(optimizer, name, value))
