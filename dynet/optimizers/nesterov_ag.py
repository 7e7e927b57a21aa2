"""Nesterov's accelerated gradient, written (as in Bengio et al., 2012) as
an update of the current parameters:

    v = momentum * v - lr * grad
    param += momentum ** 2 * v - (1 + momentum) * lr * grad
"""
from dynet import optimizer
from dynet.backend import _cupy

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.momentum = 0.9


class NesterovAGRule(optimizer.UpdateRule):
    """Update rule of Nesterov's accelerated gradient (state ``'v'``).

    Args:
        parent_hyperparam: the optimizer's hyperparameters.
        lr (float): learning rate.
        momentum (float): decay rate of the velocity.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam=None, lr=None, momentum=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if momentum is not None:
            self.hyperparam.momentum = momentum

    def init_state(self, param):
        self.state['v'] = param.xp.zeros_like(param.array)

    def update_core_cpu(self, param):
        grad = param.grad
        if grad is None:
            return
        lr = self.hyperparam.lr
        momentum = self.hyperparam.momentum
        v = self.state['v']
        v *= momentum
        v -= lr * grad
        param.array += (momentum * momentum) * v
        param.array -= ((1 + momentum) * lr) * grad

    def update_core_gpu(self, param):
        grad = param.grad
        if grad is None:
            return
        lr = self.hyperparam.lr
        momentum = self.hyperparam.momentum
        _cupy.elementwise_kernel(
            'T grad, T lr, T momentum, T mm, T step', 'T param, T v',
            '''v = v * momentum;
               v -= lr * grad;
               param += mm * v;
               param -= step * grad;''',
            'dynet_nesterov_ag')(
                grad, lr, momentum, momentum * momentum,
                (1 + momentum) * lr, param.array, self.state['v'])


class NesterovAG(optimizer.GradientMethod):
    """Nesterov's accelerated gradient.

    Args:
        lr (float): learning rate.
        momentum (float): decay rate of the velocity.
    """

    def __init__(self, lr=_default_hyperparam.lr,
                 momentum=_default_hyperparam.momentum):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    def create_update_rule(self):
        return NesterovAGRule(self.hyperparam)
