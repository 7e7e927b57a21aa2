"""Annealed Gaussian gradient noise (Neelakantan et al., 2015, "Adding
Gradient Noise Improves Learning for Very Deep Networks")."""
import numpy


def exponential_decay_noise(xp, shape, dtype, hook, opt):
    """Gaussian noise with variance ``hook.eta / (1 + opt.t) ** 0.55``.

    ``opt`` is the update rule (or optimizer) whose ``t`` counts the
    updates done before this one.
    """
    std = numpy.sqrt(hook.eta / numpy.power(1 + opt.t, 0.55))
    return xp.random.normal(0, std, shape).astype(dtype)


class GradientNoise:
    """Optimizer/UpdateRule hook adding ``noise_func(xp, shape, dtype,
    hook, rule)`` to each gradient.

    By default the noise is Gaussian with variance
    ``eta / (1 + t) ** 0.55``, ``t`` being the rule's update count.

    Args:
        eta (float): scale of the noise (0.01, 0.3 or 1.0 are the values
            recommended for the default noise).
        noise_func (callable): the noise generator.

    Attributes:
        timing (str): 'pre' (before the update) or 'post'.
        call_for_each_param (bool): True: called as ``hook(rule, param)``.
    """

    name = 'GradientNoise'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, eta, noise_func=exponential_decay_noise):
        self.eta = eta
        self.noise_func = noise_func

    def __call__(self, rule, param):
        g = param.grad
        if g is None:
            return
        xp = param.xp
        with param.device:
            noise = self.noise_func(xp, g.shape, g.dtype, self, rule)
            scale = getattr(param, '_loss_scale', None)
            if scale is not None:
                # The gradient is still multiplied by the loss scale.
                noise = noise * scale
            g += noise
