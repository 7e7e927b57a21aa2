"""M-SVAG (Balles and Hennig, 2018, "Dissecting Adam"): the bias-corrected
first moment is scaled per element by an estimate of its signal-to-noise
ratio, with decoupled weight decay (``eta``, ``weight_decay_rate``)."""
import numpy

from dynet import optimizer
from dynet.backend import _cupy

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.1
_default_hyperparam.beta = 0.9
_default_hyperparam.eta = 1.0
_default_hyperparam.weight_decay_rate = 0


class MSVAGRule(optimizer.UpdateRule):
    """Update rule of M-SVAG (states ``'m'`` and ``'v'``).

    Args:
        parent_hyperparam: the optimizer's hyperparameters.
        lr (float): learning rate.
        beta (float): decay rate of the first and second moments.
        eta (float): schedule multiplier (e.g. for warm restarts).
        weight_decay_rate (float): decoupled weight decay rate.

    Attributes:
        beta_power: ``beta ** t`` for the update being made; None until the
            first update (then it is derived from ``t``, so that it is right
            after a rule is deserialized or ``beta`` set per parameter).
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam=None, lr=None, beta=None, eta=None,
                 weight_decay_rate=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if beta is not None:
            self.hyperparam.beta = beta
        if eta is not None:
            self.hyperparam.eta = eta
        if weight_decay_rate is not None:
            self.hyperparam.weight_decay_rate = weight_decay_rate
        self.beta_power = None

    def init_state(self, param):
        xp = param.xp
        self.state['m'] = xp.zeros_like(param.array)
        self.state['v'] = xp.zeros_like(param.array)

    def serialize(self, serializer):
        super().serialize(serializer)
        from dynet.serializers.base import Deserializer
        if isinstance(serializer, Deserializer):
            self.beta_power = None

    def _rho(self):
        hp = self.hyperparam
        if self.beta_power is None:
            self.beta_power = hp.beta ** max(self.t, 1)
        bp = self.beta_power
        rho = (((1.0 - hp.beta) ** 2) * (1.0 - bp ** 2) /
               (((1.0 - bp) ** 2) * (1.0 - hp.beta ** 2)))
        return min(rho, 0.9999)

    def update_core_cpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        rho = self._rho()
        bp = self.beta_power
        m = self.state['m']
        v = self.state['v']
        m += (1 - hp.beta) * (grad - m)
        v += (1 - hp.beta) * (grad * grad - v)
        mt = m / (1 - bp)
        vt = v / (1 - bp)
        mt2 = mt * mt
        s = (vt - mt2) / (1 - rho)
        with numpy.errstate(invalid='ignore', divide='ignore'):
            factor = numpy.asarray(numpy.clip(mt2 / (mt2 + rho * s), 0, 1))
        factor[numpy.isnan(factor)] = 0
        p = param.array
        p -= hp.eta * (hp.lr * mt * factor + hp.weight_decay_rate * p)
        self.beta_power = bp * hp.beta

    def update_core_gpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        rho = self._rho()
        bp = self.beta_power
        _cupy.elementwise_kernel(
            'T grad, T lr, T one_minus_beta, T eta, T weight_decay_rate, '
            'T one_minus_bp, T rho',
            'T param, T m, T v',
            '''m += one_minus_beta * (grad - m);
               v += one_minus_beta * (grad * grad - v);
               T mt = m / one_minus_bp;
               T vt = v / one_minus_bp;
               T mt2 = mt * mt;
               T s = (vt - mt2) / (1 - rho);
               T factor = mt2 / (mt2 + rho * s);
               factor = isnan(factor) ? (T)0 : min(max(factor, (T)0), (T)1);
               param -= eta * (lr * mt * factor + weight_decay_rate * param);
            ''',
            'dynet_msvag')(
                grad, hp.lr, 1 - hp.beta, hp.eta, hp.weight_decay_rate,
                1 - bp, rho, param.array, self.state['m'], self.state['v'])
        self.beta_power = bp * hp.beta


class MSVAG(optimizer.GradientMethod):
    """M-SVAG.

    Args:
        lr (float): learning rate.
        beta (float): decay rate of the first and second moments.
        eta (float): schedule multiplier (e.g. for warm restarts).
        weight_decay_rate (float): decoupled weight decay rate.
    """

    def __init__(self, lr=_default_hyperparam.lr,
                 beta=_default_hyperparam.beta,
                 eta=_default_hyperparam.eta,
                 weight_decay_rate=_default_hyperparam.weight_decay_rate):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.beta = beta
        self.hyperparam.eta = eta
        self.hyperparam.weight_decay_rate = weight_decay_rate

    def create_update_rule(self):
        return MSVAGRule(self.hyperparam)
