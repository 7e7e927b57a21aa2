"""Elementwise gradient clipping into ``[lower_bound, upper_bound]``."""
from dynet.optimizer_hooks._penalty import _loss_scale


class GradientHardClipping:
    """Optimizer/UpdateRule hook clipping every gradient element into
    ``[lower_bound, upper_bound]``.

    Args:
        lower_bound (float): the smallest gradient value allowed.
        upper_bound (float): the largest gradient value allowed.

    Attributes:
        lower_bound (float), upper_bound (float): the bounds.
        timing (str): 'pre' (before the update) or 'post'.
        call_for_each_param (bool): True: called as ``hook(rule, param)``.
    """

    name = 'GradientHardClipping'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, lower_bound, upper_bound):
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def __call__(self, rule, param):
        grad = param.grad
        if grad is None:
            return
        lower, upper = self.lower_bound, self.upper_bound
        scale = _loss_scale(param)
        if scale is not None:
            # The gradient is still multiplied by the loss scale.
            lower = None if lower is None else lower * scale
            upper = None if upper is None else upper * scale
        xp = param.xp
        with param.device:
            xp.clip(grad, lower, upper, out=grad)
