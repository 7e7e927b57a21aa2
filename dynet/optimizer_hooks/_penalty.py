"""Base of the hooks that add a penalty gradient computed from the
parameter (WeightDecay, Lasso)."""
from dynet.backend import _cupy


def _loss_scale(param):
    """The scale of a gradient still multiplied by ``backward``'s
    ``loss_scale`` (None once the update rule has divided it out)."""
    return getattr(param, '_loss_scale', None)


class ParamPenaltyHook:
    """Adds ``rate * penalty(param)`` to each gradient, in true gradient
    units when the gradient is still loss-scaled.

    Subclasses set ``name``, ``kernel_body`` and ``kernel_name`` (the CuPy
    elementwise update of ``g`` from ``p`` and ``rate``) and
    ``penalty(p, xp)`` (the NumPy penalty array).
    """

    name = None
    call_for_each_param = True
    timing = 'pre'
    kernel_body = None
    kernel_name = None

    def __init__(self, rate):
        self.rate = rate

    def penalty(self, p, xp):
        raise NotImplementedError

    def __call__(self, rule, param):
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        rate = self.rate
        scale = _loss_scale(param)
        if scale is not None:
            rate *= scale
        if _cupy.is_cupy_array(g):
            with p.device:
                _cupy.elementwise_kernel(
                    'T p, T rate', 'T g', self.kernel_body,
                    self.kernel_name)(p, rate, g)
        else:
            g += rate * self.penalty(p, param.xp)
