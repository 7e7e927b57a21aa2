"""RMSprop (Tieleman and Hinton, 2012): the step is the gradient divided by
the root of a running mean of its square (``ms``)."""
import numpy

from dynet import optimizer
from dynet.backend import _cupy

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.alpha = 0.99
_default_hyperparam.eps = 1e-8
_default_hyperparam.eps_inside_sqrt = False


def _checked_eps(hp, dtype, name):
    """``hp.eps`` in ``dtype``; ValueError where it rounds to zero."""
    eps = dtype.type(hp.eps)
    if hp.eps != 0 and eps == 0:
        raise ValueError('eps of {} optimizer is too small for {} ({})'
                         .format(name, dtype.name, hp.eps))
    return eps


class RMSpropRule(optimizer.UpdateRule):
    """Update rule of RMSprop (state ``'ms'``).

    Args:
        parent_hyperparam: the optimizer's hyperparameters.
        lr (float): learning rate.
        alpha (float): decay rate of the mean square.
        eps (float): added to the denominator for numerical stability.
        eps_inside_sqrt (bool): divide by ``sqrt(ms + eps)`` instead of
            ``sqrt(ms) + eps`` (the form some other frameworks use).
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam=None, lr=None, alpha=None, eps=None,
                 eps_inside_sqrt=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if alpha is not None:
            self.hyperparam.alpha = alpha
        if eps is not None:
            self.hyperparam.eps = eps
        if eps_inside_sqrt is not None:
            self.hyperparam.eps_inside_sqrt = eps_inside_sqrt

    def init_state(self, param):
        self.state['ms'] = param.xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        eps = _checked_eps(hp, grad.dtype, 'RMSprop')
        ms = self.state['ms']
        ms *= hp.alpha
        ms += (1 - hp.alpha) * grad * grad
        if hp.eps_inside_sqrt:
            denom = numpy.sqrt(ms + eps)
        else:
            denom = numpy.sqrt(ms) + eps
        param.array -= hp.lr * grad / denom

    def update_core_gpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        eps = _checked_eps(hp, grad.dtype, 'RMSprop')
        if hp.eps_inside_sqrt:
            denom, name = 'sqrt(ms + eps)', 'dynet_rmsprop_eps_inside'
        else:
            denom, name = 'sqrt(ms) + eps', 'dynet_rmsprop'
        _cupy.elementwise_kernel(
            'T grad, T lr, T alpha, T one_minus_alpha, T eps',
            'T param, T ms',
            '''ms = ms * alpha;
               ms += one_minus_alpha * grad * grad;
               param -= lr * grad / ({});'''.format(denom),
            name)(grad, hp.lr, hp.alpha, 1 - hp.alpha, eps, param.array,
                  self.state['ms'])


class RMSprop(optimizer.GradientMethod):
    """RMSprop.

    Args:
        lr (float): learning rate.
        alpha (float): decay rate of the mean square.
        eps (float): added to the denominator for numerical stability.
        eps_inside_sqrt (bool): divide by ``sqrt(ms + eps)`` instead of
            ``sqrt(ms) + eps``.
    """

    def __init__(self, lr=_default_hyperparam.lr,
                 alpha=_default_hyperparam.alpha, eps=_default_hyperparam.eps,
                 eps_inside_sqrt=_default_hyperparam.eps_inside_sqrt):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.eps = eps
        self.hyperparam.eps_inside_sqrt = eps_inside_sqrt

    def create_update_rule(self):
        return RMSpropRule(self.hyperparam)
