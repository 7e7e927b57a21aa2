"""Alex Graves's RMSprop (Graves, 2013): running means of the gradient
(``g``) and of its square (``n``) estimate its variance, and a momentum
term (``delta``) carries the normalized steps."""
import numpy

from dynet import optimizer
from dynet.backend import _cupy

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 1e-4
_default_hyperparam.alpha = 0.95
_default_hyperparam.momentum = 0.9
_default_hyperparam.eps = 1e-4


class RMSpropGravesRule(optimizer.UpdateRule):
    """Update rule of Graves's RMSprop (states ``'n'``, ``'g'``,
    ``'delta'``).

    Args:
        parent_hyperparam: the optimizer's hyperparameters.
        lr (float): learning rate.
        alpha (float): decay rate of the gradient's first and second
            moments.
        momentum (float): decay rate of the step's momentum.
        eps (float): added under the square root for numerical stability.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam=None, lr=None, alpha=None,
                 momentum=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if alpha is not None:
            self.hyperparam.alpha = alpha
        if momentum is not None:
            self.hyperparam.momentum = momentum
        if eps is not None:
            self.hyperparam.eps = eps

    def init_state(self, param):
        xp = param.xp
        self.state['n'] = xp.zeros_like(param.array)
        self.state['g'] = xp.zeros_like(param.array)
        self.state['delta'] = xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        n = self.state['n']
        g = self.state['g']
        delta = self.state['delta']
        n *= hp.alpha
        n += (1 - hp.alpha) * grad * grad
        g *= hp.alpha
        g += (1 - hp.alpha) * grad
        delta *= hp.momentum
        delta -= hp.lr * grad / numpy.sqrt(n - g * g + hp.eps)
        param.array += delta

    def update_core_gpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        _cupy.elementwise_kernel(
            'T grad, T lr, T alpha, T one_minus_alpha, T momentum, T eps',
            'T param, T n, T g, T delta',
            '''n = n * alpha;
               n += one_minus_alpha * grad * grad;
               g = g * alpha;
               g += one_minus_alpha * grad;
               delta = delta * momentum;
               delta -= lr * grad / sqrt(n - g * g + eps);
               param += delta;''',
            'dynet_rmsprop_graves')(
                grad, hp.lr, hp.alpha, 1 - hp.alpha, hp.momentum, hp.eps,
                param.array, self.state['n'], self.state['g'],
                self.state['delta'])


class RMSpropGraves(optimizer.GradientMethod):
    """Alex Graves's RMSprop.

    Args:
        lr (float): learning rate.
        alpha (float): decay rate of the gradient's moments.
        momentum (float): decay rate of the step's momentum.
        eps (float): added under the square root for numerical stability.
    """

    def __init__(self, lr=_default_hyperparam.lr,
                 alpha=_default_hyperparam.alpha,
                 momentum=_default_hyperparam.momentum,
                 eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.momentum = momentum
        self.hyperparam.eps = eps

    def create_update_rule(self):
        return RMSpropGravesRule(self.hyperparam)
