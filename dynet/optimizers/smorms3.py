"""Simon Funk's SMORMS3: RMSprop-like steps whose averaging window
(``mem``) shrinks where the gradient is noisy."""
import numpy

from dynet import optimizer
from dynet.backend import _cupy

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.001
_default_hyperparam.eps = 1e-16


class SMORMS3Rule(optimizer.UpdateRule):
    """Update rule of SMORMS3 (states ``'mem'``, ``'g'``, ``'g2'``).

    Args:
        parent_hyperparam: the optimizer's hyperparameters.
        lr (float): learning rate (the cap of the per-element rate).
        eps (float): added to denominators for numerical stability.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam=None, lr=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if eps is not None:
            self.hyperparam.eps = eps

    def init_state(self, param):
        xp = param.xp
        self.state['mem'] = xp.ones_like(param.array)
        self.state['g'] = xp.zeros_like(param.array)
        self.state['g2'] = xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        grad = param.grad
        if grad is None:
            return
        lr = self.hyperparam.lr
        eps = self.hyperparam.eps
        mem = self.state['mem']
        g = self.state['g']
        g2 = self.state['g2']
        r = 1 / (mem + 1)
        keep = 1 - r
        g[...] = keep * g + r * grad
        g2[...] = keep * g2 + r * grad * grad
        x = g * g / (g2 + eps)
        param.array -= grad * numpy.minimum(x, lr) / (numpy.sqrt(g2) + eps)
        mem[...] = 1 + mem * (1 - x)

    def update_core_gpu(self, param):
        grad = param.grad
        if grad is None:
            return
        _cupy.elementwise_kernel(
            'T grad, T lr, T eps', 'T param, T mem, T g, T g2',
            '''T r = 1 / (mem + 1);
               T keep = 1 - r;
               g = keep * g + r * grad;
               g2 = keep * g2 + r * grad * grad;
               T x = g * g / (g2 + eps);
               param -= grad * min(x, lr) / (sqrt(g2) + eps);
               mem = 1 + mem * (1 - x);''',
            'dynet_smorms3')(grad, self.hyperparam.lr, self.hyperparam.eps,
                             param.array, self.state['mem'],
                             self.state['g'], self.state['g2'])


class SMORMS3(optimizer.GradientMethod):
    """Simon Funk's SMORMS3.

    Args:
        lr (float): learning rate.
        eps (float): added to denominators for numerical stability.
    """

    def __init__(self, lr=_default_hyperparam.lr, eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.eps = eps

    def create_update_rule(self):
        return SMORMS3Rule(self.hyperparam)
