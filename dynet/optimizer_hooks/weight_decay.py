"""L2 regularization as a gradient hook: ``grad += rate * param``."""
from dynet.backend import _cupy
from dynet.optimizers import _kernels


def _loss_scale(param):
    """The scale of a gradient still multiplied by ``backward``'s
    ``loss_scale`` (None once the update rule has divided it out)."""
    return getattr(param, '_loss_scale', None)


class WeightDecay:
    """Optimizer/UpdateRule hook adding ``rate * param`` to each gradient.

    Register with ``optimizer.add_hook(WeightDecay(rate))`` (called for
    every parameter before the update) or on one rule with
    ``param.update_rule.add_hook(WeightDecay(rate))``.

    Args:
        rate (float): coefficient of the weight decay.

    Attributes:
        rate (float): coefficient of the weight decay.
        timing (str): 'pre' (before the update) or 'post'.
        call_for_each_param (bool): True: called as ``hook(rule, param)``.
    """

    name = 'WeightDecay'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate):
        self.rate = rate

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
                _kernels.elementwise(
                    'T p, T rate', 'T g', 'g += rate * p',
                    'dynet_weight_decay')(p, rate, g)
        else:
            g += rate * p
