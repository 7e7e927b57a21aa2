"""Gradient clipping by the global L2 norm of all gradients."""
import math

from dynet import backend


def _sum_sqnorm(arrays):
    """The sum of squares of all elements of ``arrays``.

    Host arrays give a Python float (each array's sum of squares, computed
    in its dtype, accumulated in double precision); when every array is on
    one GPU, a 0-d array on it (no device-to-host transfer).
    """
    total = 0.0
    on_host = False
    on_gpu = {}
    for x in arrays:
        if x is None:
            continue
        flat = x.ravel()
        if backend.is_cupy_array(x):
            with x.device:
                sq = flat.dot(flat)
            key = x.device.id
            on_gpu[key] = on_gpu[key] + sq if key in on_gpu else sq
        else:
            on_host = True
            total += float(flat.dot(flat))
    if not on_gpu:
        return total
    if len(on_gpu) == 1 and not on_host:
        return next(iter(on_gpu.values()))
    return total + sum(float(v) for v in on_gpu.values())


class GradientClipping:
    """Optimizer hook scaling all gradients so that their global L2 norm
    is at most ``threshold`` (gradients whose norm is within it are left
    as they are).

    Args:
        threshold (float): the largest L2 norm allowed.

    Attributes:
        threshold (float): the largest L2 norm allowed.
        timing (str): 'pre' (before the update) or 'post'.
    """

    name = 'GradientClipping'
    timing = 'pre'

    def __init__(self, threshold):
        self.threshold = threshold

    def __call__(self, opt):
        params = list(opt.target.params(False))
        grads = [p.grad for p in params]
        threshold = self.threshold
        for p in params:
            scale = getattr(p, '_loss_scale', None)
            if scale is not None:
                # The gradients are still multiplied by the loss scale.
                threshold = threshold * scale
                break
        sqnorm = _sum_sqnorm(grads)
        if isinstance(sqnorm, float):
            norm = math.sqrt(sqnorm)
            if norm == 0:
                return
            rate = threshold / norm
            if rate >= 1:
                return
        else:
            # On the GPU, no sync: multiply by min(rate, 1) there.
            xp = backend.get_array_module(sqnorm)
            with sqnorm.device:
                rate = xp.minimum(threshold / xp.sqrt(sqnorm), 1)
        for grad in grads:
            if grad is None:
                continue
            if backend.is_cupy_array(grad):
                with grad.device:
                    grad *= rate
            else:
                grad *= rate
