"""Plain stochastic gradient descent: ``param -= lr * grad``."""
from dynet import optimizer
from dynet.backend import _cupy

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01


class SGDRule(optimizer.UpdateRule):
    """Update rule of SGD.

    Args:
        parent_hyperparam: the optimizer's hyperparameters.
        lr: learning rate (overrides the parent's).
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam=None, lr=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr

    def update_core_cpu(self, param):
        grad = param.grad
        if grad is None:
            return
        param.array -= self.hyperparam.lr * grad

    def update_core_gpu(self, param):
        grad = param.grad
        if grad is None:
            return
        _cupy.elementwise_kernel(
            'T grad, T lr', 'T param', 'param -= lr * grad', 'dynet_sgd')(
                grad, self.hyperparam.lr, param.array)


class SGD(optimizer.GradientMethod):
    """Stochastic gradient descent.

    Args:
        lr (float): learning rate.
    """

    def __init__(self, lr=_default_hyperparam.lr):
        super().__init__()
        self.hyperparam.lr = lr

    def create_update_rule(self):
        return SGDRule(self.hyperparam)
