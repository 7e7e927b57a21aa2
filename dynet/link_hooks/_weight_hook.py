"""Shared part of the hooks that reparametrize a link's weight.

During the link's forward the weight attribute (``link.W``) is replaced by
a Variable computed from the Parameter (so gradients reach the Parameter
through the computation), and the Parameter is put back afterwards, also
when forward raises.
"""
import math

from dynet import link_hook
from dynet.variable import Parameter


def initialize_weight(hook_name, link, weight_name, args, kwargs):
    """Initializes the link's lazily shaped weight from the first input
    (before its forward runs, as the hook needs the weight first)."""
    if not args:
        raise ValueError(
            '{}: the weight {!r} of {} is not initialized yet and the call '
            'has no positional input to infer its shape from'.format(
                hook_name, weight_name, type(link).__name__))
    x = args[0]
    shape = getattr(x, 'shape', None)
    if shape is None or len(shape) < 2:
        raise ValueError(
            '{}: cannot infer the shape of the weight {!r} of {} from an '
            'input of shape {}: expected an array with a batch axis and '
            'at least one more axis'.format(
                hook_name, weight_name, type(link).__name__, shape))
    from dynet.links.connection.linear import Linear
    if hasattr(link, '_ensure_initialized'):
        link._ensure_initialized(x)        # convolutions: channels axis
    elif isinstance(link, Linear):
        # Linear flattens every axis after the batch axes into features.
        n_batch_axes = kwargs.get('n_batch_axes',
                                  args[1] if len(args) > 1 else 1)
        link._initialize_params(math.prod(shape[n_batch_axes:]))
    elif hasattr(link, '_initialize_params'):
        link._initialize_params(shape[1])  # what Chainer's hooks pass
    if getattr(link, weight_name).array is None:
        raise ValueError(
            '{}: the weight {!r} of {} is not initialized and the hook '
            'cannot initialize it; initialize it before the first call '
            '(e.g. give the input size to the link)'.format(
                hook_name, weight_name, type(link).__name__))


class WeightHook(link_hook.LinkHook):
    """Base of hooks that replace ``link.<weight_name>`` during forward.

    Subclasses implement ``_replacement(link, weight)`` (a Variable
    computed from the Parameter ``weight``) and may extend ``added``,
    ``deleted`` and ``_prepare(link)`` (called before each forward, after
    the weight is initialized).
    """

    def __init__(self, weight_name, name):
        if not isinstance(weight_name, str):
            raise TypeError('{}: weight_name must be a str, got {}'.format(
                type(self).__name__, type(weight_name).__name__))
        if name is not None:
            self.name = name
        self.weight_name = weight_name
        self.original_weight = None     # as in Chainer: the last swapped out
        self._swapped = []              # (link, Parameter) being replaced

    def __enter__(self):
        raise NotImplementedError(
            '{}: this hook is added to one link with link.add_hook(hook); '
            'it cannot be registered for all links with a with-statement'
            .format(type(self).__name__))

    def __exit__(self, *exc_info):
        raise NotImplementedError(
            '{} cannot be used as a context manager'.format(
                type(self).__name__))

    def _weight_of(self, link):
        weight = getattr(link, self.weight_name, None)
        if not isinstance(weight, Parameter):
            if weight is None and not hasattr(link, self.weight_name):
                got = 'it has no such attribute'
            else:
                got = 'got {}'.format(type(weight).__name__)
            raise ValueError(
                '{}: weight_name={!r} must name a Parameter of {}; {}'
                .format(type(self).__name__, self.weight_name,
                        type(link).__name__, got))
        return weight

    def added(self, link):
        if link is None:
            raise NotImplementedError(
                '{} can only be added to a link (link.add_hook)'.format(
                    type(self).__name__))
        self._weight_of(link)

    def _prepare(self, link):
        """Called before each forward once the weight is initialized."""

    def _replacement(self, link, weight):
        raise NotImplementedError

    def forward_preprocess(self, cb_args):
        link = cb_args.link
        weight = self._weight_of(link)
        if weight.array is None:
            initialize_weight(type(self).__name__, link, self.weight_name,
                              cb_args.args, cb_args.kwargs)
        self._prepare(link)
        replacement = self._replacement(link, weight)
        self.original_weight = weight
        self._swapped.append((link, weight))
        setattr(link, self.weight_name, replacement)

    def forward_postprocess(self, cb_args):
        self._restore(cb_args.link)

    def _forward_aborted(self, cb_args):
        # Called by Link.__call__ when forward (or a later hook) raised.
        self._restore(cb_args.link)

    def _restore(self, link):
        for index in range(len(self._swapped) - 1, -1, -1):
            if self._swapped[index][0] is link:
                weight = self._swapped.pop(index)[1]
                setattr(link, self.weight_name, weight)
                return
