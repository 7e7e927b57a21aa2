"""Layer-wise adaptive rate scaling (LARS; You et al., 2017, "Large Batch
Training of Convolutional Networks")."""
import numpy

from dynet.backend import _cupy
from dynet.optimizer_hooks._penalty import _loss_scale


class GradientLARS:
    """Optimizer/UpdateRule hook rescaling each parameter's gradient by the
    ratio of the weight norm to the gradient norm.

    For a parameter ``w`` with gradient ``g``::

        local_rate = |w| / (eps + |g| + weight_decay * |w|)
        rate = local_rate if |w| > threshold else 1
        g = rate * (g + weight_decay * w)

    The optimizer's learning rate plays the part of the paper's
    ``lr * lars_coefficient``.

    Args:
        threshold (float): the gradient is rescaled only where the weight
            norm exceeds it.
        weight_decay (float): coefficient of the weight decay.
        eps (float): added to the denominator for numerical stability.

    Attributes:
        threshold, weight_decay, eps: as given.
        timing (str): 'pre' (before the update) or 'post'.
        call_for_each_param (bool): True: called as ``hook(rule, param)``.
    """

    name = 'GradientLARS'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, threshold=1e-2, weight_decay=0.0, eps=1e-9):
        self.threshold = threshold
        self.weight_decay = weight_decay
        self.eps = eps

    def __call__(self, rule, param):
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        scale = _loss_scale(param)
        weight_decay = self.weight_decay
        if _cupy.is_cupy_array(g):
            xp = param.xp
            with g.device:
                p_norm = xp.linalg.norm(p)
                g_norm = xp.linalg.norm(g)
                if scale is not None:
                    g_norm = g_norm / scale
                local_rate = p_norm / (
                    self.eps + g_norm + weight_decay * p_norm)
                rate = xp.where(p_norm > self.threshold, local_rate, 1.0)
                if scale is not None:
                    weight_decay = weight_decay * scale
                g += weight_decay * p
                g *= rate.astype(g.dtype)
            return
        # The norms are in the array's dtype; the rate in double precision.
        p_norm = float(numpy.linalg.norm(p))
        g_norm = float(numpy.linalg.norm(g))
        if scale is not None:
            # The gradient is still multiplied by the loss scale.
            g_norm = g_norm / scale
        if p_norm > self.threshold:
            rate = p_norm / (self.eps + g_norm + weight_decay * p_norm)
        else:
            rate = 1.0
        if scale is not None:
            weight_decay = weight_decay * scale
        g += weight_decay * p
        g *= rate
