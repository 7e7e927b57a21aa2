"""L1 regularization as a gradient hook: ``grad += rate * sign(param)``."""
from dynet.backend import _cupy
from dynet.optimizer_hooks.weight_decay import _loss_scale
from dynet.optimizers import _kernels


class Lasso:
    """Optimizer/UpdateRule hook adding ``rate * sign(param)`` to each
    gradient.

    Args:
        rate (float): coefficient of the L1 penalty.

    Attributes:
        rate (float): coefficient of the L1 penalty.
        timing (str): 'pre' (before the update) or 'post'.
        call_for_each_param (bool): True: called as ``hook(rule, param)``.
    """

    name = 'Lasso'
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
                    'T p, T rate', 'T g',
                    'g += rate * (T)((p > 0) - (p < 0))',
                    'dynet_lasso')(p, rate, g)
        else:
            g += rate * param.xp.sign(p)
