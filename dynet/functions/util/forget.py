"""``forget``: recompute a function in backward instead of keeping its
graph."""
from dynet import backend
from dynet.config import config, force_backprop_mode, no_backprop_mode
from dynet.config import using_config
from dynet.function_node import FunctionNode
from dynet.variable import Variable


def _call_func(func, xs):
    """Calls ``func`` and returns its outputs as a tuple of Variables."""
    outs = func(*xs)
    if isinstance(outs, tuple):
        for i, out in enumerate(outs):
            if not isinstance(out, Variable):
                n = i + 1
                suffix = {1: 'st', 2: 'nd', 3: 'rd'}.get(
                    n % 10 if n % 100 not in (11, 12, 13) else 0, 'th')
                raise RuntimeError(
                    'forget: the {}{} element of the tuple returned by func '
                    'is not a Variable but a {}'.format(
                        n, suffix, type(out).__name__))
        return outs
    if isinstance(outs, Variable):
        return (outs,)
    raise RuntimeError(
        'forget: func must return a Variable or a tuple of Variables, but '
        'it returned a {}'.format(type(outs).__name__))


class _GradientSource(FunctionNode):
    """A scalar sink whose backward hands out given gradients, so one
    backward call can start from several outputs at once."""

    def __init__(self, grads):
        self.grads = grads

    def forward(self, inputs):
        xp = backend.get_array_module(inputs[0])
        return xp.zeros((), dtype=inputs[0].dtype),

    def backward(self, indexes, grad_outputs):
        return tuple(self.grads[i] for i in indexes)


class Forget(FunctionNode):

    def __init__(self, func):
        if not callable(func):
            raise TypeError('forget: func must be callable, got {}'.format(
                type(func).__name__))
        self.func = func

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        with no_backprop_mode(), using_config('_will_recompute', True):
            xs = [Variable(x) for x in inputs]
            outs = _call_func(self.func, xs)
        return tuple(out.array for out in outs)

    def backward(self, indexes, grad_outputs):
        if config.enable_backprop:
            raise RuntimeError(
                'forget: double backpropagation through functions.forget is '
                'not supported (as in Chainer)')
        inputs = self.get_retained_inputs()
        # Fresh leaves: the recomputed graph stops here, and gradients with
        # respect to them are the gradients of the inputs.
        dummies = [Variable(x.array) for x in inputs]
        with force_backprop_mode(), using_config('in_recomputing', True):
            outs = _call_func(self.func, dummies)
            if len(outs) != len(grad_outputs):
                raise RuntimeError(
                    'forget: func returned {} outputs when recomputed, but '
                    '{} the first time'.format(len(outs), len(grad_outputs)))
            used = [(y, g) for y, g in zip(outs, grad_outputs)
                    if g is not None]
            if not used:
                return (None,) * len(inputs)
            sink, = _GradientSource([g for _, g in used]).apply(
                [y for y, _ in used])
        # A plain backward from the sink: every leaf the function used,
        # parameters included, gets its gradient accumulated (as in
        # Chainer); the dummies' gradients are this node's result.
        sink.backward()
        return tuple(d.grad_var for d in dummies)


def forget(func, *xs):
    """Calls ``func(*xs)`` without keeping its intermediate results.

    The forward pass runs ``func`` with backprop disabled, so none of its
    intermediate arrays is kept; only the inputs are retained. During
    backward ``func`` is called again on the retained inputs (with
    ``config.in_recomputing`` set) to rebuild its graph, and the
    gradients are propagated through it. This trades computation for
    memory. Parameters used inside ``func`` receive their gradients as
    usual.

    ``func`` must behave the same on both calls: random functions such as
    ``dropout`` would draw different noise the second time. Double
    backprop through ``forget`` raises ``RuntimeError``, as in Chainer.

    Args:
        func (callable): takes Variables and returns a Variable or a tuple
            of Variables.
        xs: the arguments of ``func``; arrays are wrapped in Variables that
            require a gradient, so that the call joins the graph.
    Returns:
        A Variable, or a tuple of Variables when ``func`` returns a tuple
        of more than one.
    """
    xs = tuple(x if isinstance(x, Variable) else
               Variable(x, requires_grad=True) for x in xs)
    ys = Forget(func).apply(xs)
    if len(ys) == 1:
        return ys[0]
    return ys
