"""ADADELTA (Zeiler, 2012): running averages of squared gradients
(``msg``) and squared steps (``msdx``) set the step size, without a
learning rate."""
import numpy

from dynet import optimizer
from dynet.backend import _cupy

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.rho = 0.95
_default_hyperparam.eps = 1e-6


class AdaDeltaRule(optimizer.UpdateRule):
    """Update rule of ADADELTA (states ``'msg'`` and ``'msdx'``).

    Args:
        parent_hyperparam: the optimizer's hyperparameters.
        rho (float): decay rate of both running averages.
        eps (float): added inside the square roots for numerical stability.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam=None, rho=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if rho is not None:
            self.hyperparam.rho = rho
        if eps is not None:
            self.hyperparam.eps = eps

    def init_state(self, param):
        xp = param.xp
        self.state['msg'] = xp.zeros_like(param.array)
        self.state['msdx'] = xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        grad = param.grad
        if grad is None:
            return
        rho = self.hyperparam.rho
        eps = self.hyperparam.eps
        msg = self.state['msg']
        msdx = self.state['msdx']
        msg *= rho
        msg += (1 - rho) * grad * grad
        dx = numpy.sqrt((msdx + eps) / (msg + eps)) * grad
        msdx *= rho
        msdx += (1 - rho) * dx * dx
        param.array -= dx

    def update_core_gpu(self, param):
        grad = param.grad
        if grad is None:
            return
        rho = self.hyperparam.rho
        _cupy.elementwise_kernel(
            'T grad, T rho, T one_minus_rho, T eps',
            'T param, T msg, T msdx',
            '''msg = msg * rho;
               msg += one_minus_rho * grad * grad;
               T dx = sqrt((msdx + eps) / (msg + eps)) * grad;
               msdx = msdx * rho;
               msdx += one_minus_rho * dx * dx;
               param -= dx;''',
            'dynet_adadelta')(grad, rho, 1 - rho, self.hyperparam.eps,
                              param.array, self.state['msg'],
                              self.state['msdx'])


class AdaDelta(optimizer.GradientMethod):
    """ADADELTA.

    Args:
        rho (float): decay rate of the running averages.
        eps (float): added inside the square roots for numerical stability.
    """

    def __init__(self, rho=_default_hyperparam.rho,
                 eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.rho = rho
        self.hyperparam.eps = eps

    def create_update_rule(self):
        return AdaDeltaRule(self.hyperparam)
