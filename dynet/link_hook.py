"""Link hooks: callbacks around the forward call of links.

A hook registered globally (``with hook:``) applies to every link called in
the current thread; a hook added to one link (``link.add_hook(hook)``)
applies to that link only (not to its children). ``Link.__call__`` calls
``forward_preprocess`` of every applicable hook, then the link's
``forward``, then ``forward_postprocess`` of the same hooks.
"""
import collections
import threading
import types


class _HookState(threading.local):
    # Until a thread registers a hook it sees this empty class attribute,
    # so Link.__call__ can test for global hooks with one attribute read.
    # It is read-only: being shared by all threads, it must never fill up.
    link_hooks = types.MappingProxyType({})


_state = _HookState()

# How many global registrations exist, in all threads together. While there
# is one, ``Link._has_link_hooks`` is True so that every call takes the
# hooked path (which then reads this thread's own hooks); otherwise a call
# to a link without hooks of its own costs one attribute read more than a
# plain forward call.
_n_global = 0
_n_global_lock = threading.Lock()


def _count_global(delta):
    global _n_global
    from dynet import link  # not at import time: link imports this module
    with _n_global_lock:
        _n_global += delta
        link.Link._has_link_hooks = _n_global > 0


def _get_link_hooks():
    """The thread's global link hooks, name -> hook, in call order
    (Chainer's ``chainer._get_link_hooks``)."""
    hooks = _state.__dict__.get('link_hooks')
    if hooks is None:
        hooks = _state.link_hooks = collections.OrderedDict()
    return hooks


def _short_repr(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + '...'


class _ForwardPreprocessCallbackArgs:
    """What ``forward_preprocess`` receives: ``link``, ``forward_name``,
    ``args`` (tuple) and ``kwargs`` (dict) of the call."""

    def __init__(self, link, forward_name, args, kwargs):
        self.link = link
        self.forward_name = forward_name
        self.args = args
        self.kwargs = kwargs

    def __repr__(self):
        return '<{} link={} forward_name={!r} args={} kwargs={}>'.format(
            type(self).__name__, type(self.link).__name__, self.forward_name,
            _short_repr(self.args), _short_repr(self.kwargs))


class _ForwardPostprocessCallbackArgs(_ForwardPreprocessCallbackArgs):
    """What ``forward_postprocess`` receives: the preprocess attributes
    plus ``out``, the value ``forward`` returned."""

    def __init__(self, link, forward_name, args, kwargs, out):
        super().__init__(link, forward_name, args, kwargs)
        self.out = out

    def __repr__(self):
        return '{} out={}>'.format(super().__repr__()[:-1],
                                   _short_repr(self.out))


class LinkHook:
    """Base class of link hooks; override the callbacks you need.

    Register a hook for every link called in the current thread with a
    ``with`` block (registrations are thread-local)::

        with dynet.link_hooks.TimerHook() as hook:
            model(x)
        hook.print_report()

    or for one link with ``link.add_hook(hook, name=None)``, removed with
    ``link.delete_hook(name)``. Global hooks run before the link's own
    ones; a link's hook with the same name as a global one replaces it for
    that link. All callbacks do nothing by default.

    Attributes:
        name (str): the name the hook is registered under (default: the
            class attribute, ``'LinkHook'`` here).
    """

    name = 'LinkHook'

    def __enter__(self):
        hooks = _get_link_hooks()
        if self.name in hooks:
            raise KeyError('a link hook named {!r} is already registered'
                           .format(self.name))
        hooks[self.name] = self
        _count_global(1)
        try:
            self.added(None)
        except BaseException:
            del hooks[self.name]
            _count_global(-1)
            raise
        return self

    def __exit__(self, *exc_info):
        hooks = _get_link_hooks()
        if hooks.get(self.name) is self:
            del hooks[self.name]
            _count_global(-1)
        self.deleted(None)

    def added(self, link):
        """Called when the hook is registered: ``link`` is the link it was
        added to, or None for a global (``with``) registration."""

    def deleted(self, link):
        """Called when the hook is unregistered (``link`` as in
        :meth:`added`)."""

    def forward_preprocess(self, args):
        """Called before a link's forward.

        Args:
            args: has the attributes ``link``, ``forward_name`` (always
                ``'forward'``), ``args`` (the positional arguments, a
                tuple) and ``kwargs`` (the keyword arguments, a dict).
        """

    def forward_postprocess(self, args):
        """Called after a link's forward returned.

        Args:
            args: the attributes of :meth:`forward_preprocess`'s argument
                plus ``out``, the value forward returned.
        """


def _hooks_for(link):
    """The hooks to call for ``link``: global ones, then the link's own (a
    local hook replaces a global hook of the same name), as a snapshot that
    stays valid if a hook (un)registers during the call."""
    global_hooks = _state.link_hooks
    local_hooks = link.__dict__.get('_local_link_hooks')
    if not local_hooks:
        return tuple(global_hooks.values())
    if not global_hooks:
        return tuple(local_hooks.values())
    merged = collections.OrderedDict(global_hooks)
    merged.update(local_hooks)
    return tuple(merged.values())


def _call_with_hooks(link, forward, args, kwargs):
    """``forward(*args, **kwargs)`` with the link hooks around it.

    When a preprocess callback or forward raises, no postprocess callback
    runs (as in Chainer); the hooks whose preprocess has run are told with
    ``_forward_aborted(args)`` if they define it (dynet's own hooks use it
    to put back the weight they swapped).
    """
    hooks = _hooks_for(link)
    pre_args = _ForwardPreprocessCallbackArgs(link, 'forward', args, kwargs)
    started = []
    try:
        for hook in hooks:
            hook.forward_preprocess(pre_args)
            started.append(hook)
        out = forward(*args, **kwargs)
    except BaseException:
        for hook in reversed(started):
            aborted = getattr(hook, '_forward_aborted', None)
            if aborted is not None:
                aborted(pre_args)
        raise
    post_args = _ForwardPostprocessCallbackArgs(
        link, 'forward', args, kwargs, out)
    for hook in hooks:
        hook.forward_postprocess(post_args)
    return out
