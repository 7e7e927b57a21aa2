"""Momentum SGD with momentum correction: the velocity accumulates raw
gradients (``v = momentum * v - grad``) and the learning rate is applied
when stepping (``param += lr * v``), so changing ``lr`` during training
does not distort the accumulated velocity (Goyal et al., 2017, eq. 9)."""
from dynet import optimizer
from dynet.backend import _cupy

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.momentum = 0.9


class CorrectedMomentumSGDRule(optimizer.UpdateRule):
    """Update rule of the corrected momentum SGD (state ``'v'``).

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
        hp = self.hyperparam
        v = self.state['v']
        v *= hp.momentum
        v -= grad
        param.array += hp.lr * v

    def update_core_gpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        _cupy.elementwise_kernel(
            'T grad, T lr, T momentum', 'T param, T v',
            '''v = v * momentum;
               v -= grad;
               param += lr * v;''',
            'dynet_corrected_momentum_sgd')(
                grad, hp.lr, hp.momentum, param.array, self.state['v'])


class CorrectedMomentumSGD(optimizer.GradientMethod):
    """Momentum SGD with momentum correction.

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
        return CorrectedMomentumSGDRule(self.hyperparam)
