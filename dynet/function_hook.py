"""Function hooks: callbacks around every function's forward and backward.

A hook registered globally (``with hook:`` or ``hook.__enter__()``) applies
to every function application in the current thread; a hook added to one
node (``node.add_hook(hook)``) applies to that node only.
"""
import collections
import threading
import types


class _HookState(threading.local):
    # Until a thread registers a hook it sees this empty class attribute,
    # so FunctionNode.apply can test for hooks with one attribute read.
    # It is read-only: being shared by all threads, it must never fill up.
    function_hooks = types.MappingProxyType({})


_state = _HookState()


def get_function_hooks():
    """The thread's global function hooks, name -> hook, in call order."""
    hooks = _state.__dict__.get('function_hooks')
    if hooks is None:
        hooks = _state.function_hooks = collections.OrderedDict()
    return hooks


class FunctionHook:
    """Base class of function hooks; override the callbacks you need.

    Callbacks receive the function node, its input arrays and (for
    backward) the output gradient arrays.
    """

    name = 'FunctionHook'

    def __enter__(self):
        hooks = get_function_hooks()
        if self.name in hooks:
            raise KeyError('a function hook named {!r} is already '
                           'registered'.format(self.name))
        hooks[self.name] = self
        self.added(None)
        return self

    def __exit__(self, *exc_info):
        hooks = get_function_hooks()
        if hooks.get(self.name) is self:
            del hooks[self.name]
        self.deleted(None)

    def added(self, function):
        """Called when the hook is registered (``function`` is None for a
        global registration)."""

    def deleted(self, function):
        """Called when the hook is unregistered."""

    def forward_preprocess(self, function, in_data):
        pass

    def forward_postprocess(self, function, in_data):
        pass

    def backward_preprocess(self, function, in_data, out_grad):
        pass

    def backward_postprocess(self, function, in_data, out_grad):
        pass


def merged_hooks(global_hooks, local_hooks):
    """The hooks to call for one node: global ones, then the node's own, as
    a snapshot that stays valid if a hook (un)registers during the call."""
    hooks = list(global_hooks.values())
    if local_hooks:
        hooks.extend(local_hooks.values())
    return tuple(hooks)
