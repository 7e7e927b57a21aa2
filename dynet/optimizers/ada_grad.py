"""AdaGrad (Duchi et al., 2011): steps shrink with the accumulated squared
gradient ``h``: ``param -= lr * grad / (sqrt(h) + eps)``."""
import numpy

from dynet import optimizer
from dynet.backend import _cupy

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.001
_default_hyperparam.eps = 1e-8


class AdaGradRule(optimizer.UpdateRule):
    """Update rule of AdaGrad (state ``'h'``).

    Args:
        parent_hyperparam: the optimizer's hyperparameters.
        lr (float): learning rate.
        eps (float): added to the denominator for numerical stability.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam=None, lr=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if eps is not None:
            self.hyperparam.eps = eps

    def init_state(self, param):
        self.state['h'] = param.xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        h = self.state['h']
        h += grad * grad
        param.array -= hp.lr * grad / (numpy.sqrt(h) + hp.eps)

    def update_core_gpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        _cupy.elementwise_kernel(
            'T grad, T lr, T eps', 'T param, T h',
            '''h += grad * grad;
               param -= lr * grad / (sqrt(h) + eps);''',
            'dynet_adagrad')(grad, hp.lr, hp.eps, param.array,
                             self.state['h'])


class AdaGrad(optimizer.GradientMethod):
    """AdaGrad.

    Args:
        lr (float): learning rate.
        eps (float): added to the denominator for numerical stability.
    """

    def __init__(self, lr=_default_hyperparam.lr, eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.eps = eps

    def create_update_rule(self):
        return AdaGradRule(self.hyperparam)
