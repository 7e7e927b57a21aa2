"""L1 regularization as a gradient hook: ``grad += rate * sign(param)``."""
from dynet.optimizer_hooks._penalty import ParamPenaltyHook


class Lasso(ParamPenaltyHook):
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
    kernel_name = 'dynet_lasso'
    kernel_body = 'g += rate * (T)((p > 0) - (p < 0))'

    def penalty(self, p, xp):
        return xp.sign(p)
