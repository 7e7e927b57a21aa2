"""L2 regularization as a gradient hook: ``grad += rate * param``."""
from dynet.optimizer_hooks._penalty import ParamPenaltyHook


class WeightDecay(ParamPenaltyHook):
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
    kernel_name = 'dynet_weight_decay'
    kernel_body = 'g += rate * p'

    def penalty(self, p, xp):
        return p
