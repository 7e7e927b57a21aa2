"""Adam (Kingma and Ba, 2015) and its variants: decoupled weight decay
(AdamW; Loshchilov and Hutter), AMSGrad (Reddi et al., 2018), and AdaBound
/ AMSBound (Luo et al., 2019).

One step, with ``t`` the rule's update count::

    m += (1 - beta1) * (grad - m)
    v += (1 - beta2) * (grad * grad - v)
    vhat = max(vhat, v) with amsgrad, else v
    alpha_t = alpha * sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    step = alpha_t / (sqrt(vhat) + eps)      (clipped to the AdaBound bounds)
    param = (1 - eta * weight_decay_rate) * param - eta * step * m

float16 parameters are updated with float32 intermediates.
"""
import math
import warnings

import numpy

from dynet import optimizer
from dynet.backend import _cupy

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.alpha = 0.001
_default_hyperparam.beta1 = 0.9
_default_hyperparam.beta2 = 0.999
_default_hyperparam.eps = 1e-8
_default_hyperparam.eta = 1.0
_default_hyperparam.weight_decay_rate = 0
_default_hyperparam.amsgrad = False
_default_hyperparam.adabound = False
_default_hyperparam.final_lr = 0.1
_default_hyperparam.gamma = 1e-3


def _learning_rate(hp, t):
    if t == 0:
        raise RuntimeError(
            "Can't determine the learning rate of Adam optimizer because the "
            'update steps have not been started.')
    fix1 = 1. - math.pow(hp.beta1, t)
    fix2 = 1. - math.pow(hp.beta2, t)
    return hp.alpha * math.sqrt(fix2) / fix1


def _intermediate_dtype(dtype):
    # float16 parameters are computed in float32.
    return numpy.dtype(numpy.float32) if dtype == numpy.float16 else dtype


class AdamRule(optimizer.UpdateRule):
    """Update rule of Adam and its variants (states ``'m'``, ``'v'``, and
    ``'vhat'`` with ``amsgrad``).

    Args:
        parent_hyperparam: the optimizer's hyperparameters.
        alpha (float): coefficient of the learning rate.
        beta1 (float): decay rate of the first moment.
        beta2 (float): decay rate of the second moment.
        eps (float): added to the denominator for numerical stability.
        eta (float): schedule multiplier (e.g. for warm restarts).
        weight_decay_rate (float): decoupled weight decay rate.
        amsgrad (bool): use the AMSGrad variant.
        adabound (bool): use the AdaBound variant.
        final_lr (float): AdaBound's final (SGD) learning rate.
        gamma (float): AdaBound's convergence speed of the bounds.
    """

    is_elementwise = True

    def __init__(self, parent_hyperparam=None, alpha=None, beta1=None,
                 beta2=None, eps=None, eta=None, weight_decay_rate=None,
                 amsgrad=None, adabound=None, final_lr=None, gamma=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        hp = self.hyperparam
        for name, value in (('alpha', alpha), ('beta1', beta1),
                            ('beta2', beta2), ('eps', eps), ('eta', eta),
                            ('weight_decay_rate', weight_decay_rate),
                            ('amsgrad', amsgrad), ('adabound', adabound),
                            ('final_lr', final_lr), ('gamma', gamma)):
            if value is not None:
                setattr(hp, name, value)
        if hp.adabound:
            self.initial_alpha = hp.alpha

    def init_state(self, param):
        xp = param.xp
        self.state['m'] = xp.zeros_like(param.array)
        self.state['v'] = xp.zeros_like(param.array)
        if self.hyperparam.amsgrad:
            self.state['vhat'] = xp.zeros_like(param.array)

    def _check_eps(self, dtype):
        hp = self.hyperparam
        if hp.eps != 0 and dtype.type(hp.eps) == 0:
            raise ValueError(
                'eps of Adam optimizer is too small for {} ({})'.format(
                    dtype.name, hp.eps))

    @property
    def alpha_t(self):
        """The bias-corrected step size of the current update."""
        return _learning_rate(self.hyperparam, self.t)

    @property
    def lr(self):
        warnings.warn('AdamRule.lr has been renamed to AdamRule.alpha_t; '
                      'AdamRule.lr is deprecated', DeprecationWarning)
        return self.alpha_t

    @property
    def bounds(self):
        """AdaBound's ``(lower, upper)`` bounds of the step at this
        update."""
        if self.t == 0:
            raise RuntimeError(
                "Can't determine the bounds of AdaBound optimizer because "
                'the update steps have not been started.')
        hp = self.hyperparam
        initial_alpha = getattr(self, 'initial_alpha', None)
        if initial_alpha is None:
            # adabound switched on after this rule was made.
            initial_alpha = self.initial_alpha = hp.alpha
        # The final rate follows changes of alpha (e.g. by a schedule).
        final_lr = hp.final_lr * hp.alpha / initial_alpha
        lower = final_lr * (1.0 - 1.0 / (hp.gamma * self.t + 1))
        upper = final_lr * (1.0 + 1.0 / (hp.gamma * self.t))
        return lower, upper

    def update_core_cpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        dtype = _intermediate_dtype(param.dtype)
        self._check_eps(dtype)
        grad = grad.astype(dtype, copy=False)
        m = self.state['m']
        v = self.state['v']
        # The same operations as m += (1 - beta1) * (grad - m) etc., in
        # one scratch buffer instead of a temporary per operator (the
        # rounding, and so the numbers, are unchanged).
        scratch = numpy.subtract(grad, m)
        scratch *= 1.0 - hp.beta1
        m += scratch
        numpy.multiply(grad, grad, out=scratch)
        scratch -= v
        scratch *= 1.0 - hp.beta2
        v += scratch
        if hp.amsgrad:
            vhat = self.state['vhat']
            numpy.maximum(vhat, v, out=vhat)
        else:
            vhat = v
        vhat = vhat.astype(dtype, copy=False)
        step = numpy.sqrt(vhat, out=scratch)
        step += hp.eps
        numpy.divide(self.alpha_t, step, out=step)
        if hp.adabound:
            lower, upper = self.bounds
            numpy.clip(step, lower, upper, out=step)
        step *= m
        decay = 1.0 - hp.eta * hp.weight_decay_rate
        p = param.array
        step *= -hp.eta
        if decay == 1:
            p += step
        else:
            p *= decay
            p += step

    def update_core_gpu(self, param):
        grad = param.grad
        if grad is None:
            return
        hp = self.hyperparam
        dtype = _intermediate_dtype(param.dtype)
        self._check_eps(dtype)
        amsgrad = bool(hp.amsgrad)
        adabound = bool(hp.adabound)
        lower, upper = self.bounds if adabound else (0.0, 0.0)
        xp = param.xp
        # The scalars' type T is the intermediate dtype (float32 for float16
        # parameters): a zero-size array of it fixes T.
        dummy = xp.empty((0,), dtype=dtype)
        outputs = 'P param, P m, P v' + (', P vhat' if amsgrad else '')
        code = [
            'T g = (T)grad;',
            'T m_ = (T)m;',
            'm_ += one_minus_beta1 * (g - m_);',
            'm = (P)m_;',
            'T v_ = (T)v;',
            'v_ += one_minus_beta2 * (g * g - v_);',
            'v = (P)v_;',
        ]
        if amsgrad:
            code += ['vhat = (P)max((T)vhat, (T)v);', 'T vh = (T)vhat;']
        else:
            code += ['T vh = (T)v;']
        code += ['T step = alpha_t / (sqrt(vh) + eps);']
        if adabound:
            code += ['step = min(max(step, lower), upper);']
        code += ['step *= (T)m;',
                 'param = (P)(decay * (T)param + minus_eta * step);']
        kernel = _cupy.elementwise_kernel(
            'P grad, T alpha_t, T one_minus_beta1, T one_minus_beta2, '
            'T eps, T lower, T upper, T decay, T minus_eta, raw T dummy',
            outputs, '\n'.join(code),
            'dynet_adam_{}{}'.format(int(amsgrad), int(adabound)))
        args = [grad, self.alpha_t, 1.0 - hp.beta1, 1.0 - hp.beta2, hp.eps,
                lower, upper, 1.0 - hp.eta * hp.weight_decay_rate, -hp.eta,
                dummy, param.array, self.state['m'], self.state['v']]
        if amsgrad:
            args.append(self.state['vhat'])
        kernel(*args)


class Adam(optimizer.GradientMethod):
    """Adam, with the AdamW, AMSGrad and AdaBound/AMSBound variants as
    options.

    With the defaults ``eta=1`` and ``weight_decay_rate=0`` it is the
    standard Adam; ``amsgrad=True`` and ``adabound=True`` together give
    AMSBound.

    Args:
        alpha (float): coefficient of the learning rate.
        beta1 (float): decay rate of the first moment.
        beta2 (float): decay rate of the second moment.
        eps (float): added to the denominator for numerical stability.
        eta (float): schedule multiplier (e.g. for warm restarts).
        weight_decay_rate (float): decoupled weight decay rate.
        amsgrad (bool): use the AMSGrad variant.
        adabound (bool): use the AdaBound variant.
        final_lr (float): AdaBound's final (SGD) learning rate.
        gamma (float): AdaBound's convergence speed of the bounds.
    """

    def __init__(self, alpha=_default_hyperparam.alpha,
                 beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2,
                 eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta,
                 weight_decay_rate=_default_hyperparam.weight_decay_rate,
                 amsgrad=_default_hyperparam.amsgrad,
                 adabound=_default_hyperparam.adabound,
                 final_lr=_default_hyperparam.final_lr,
                 gamma=_default_hyperparam.gamma):
        super().__init__()
        hp = self.hyperparam
        hp.alpha = alpha
        hp.beta1 = beta1
        hp.beta2 = beta2
        hp.eps = eps
        hp.eta = eta
        hp.weight_decay_rate = weight_decay_rate
        hp.amsgrad = amsgrad
        hp.adabound = adabound
        hp.final_lr = final_lr
        hp.gamma = gamma

    def create_update_rule(self):
        return AdamRule(self.hyperparam)

    @property
    def alpha_t(self):
        """The bias-corrected step size at the optimizer's ``t``."""
        return _learning_rate(self.hyperparam, self.t)

    @property
    def lr(self):
        """Deprecated alias of ``alpha_t`` (as in Chainer v6+)."""
        warnings.warn('Adam.lr has been renamed to Adam.alpha_t; Adam.lr is '
                      'deprecated', DeprecationWarning)
        return self.alpha_t


class AdamW(Adam):
    """Adam with decoupled weight decay (``eta * weight_decay_rate``)."""

    def __init__(self, alpha=_default_hyperparam.alpha,
                 beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2,
                 eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta,
                 weight_decay_rate=_default_hyperparam.weight_decay_rate):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps,
                         eta=eta, weight_decay_rate=weight_decay_rate)


class AMSGrad(Adam):
    """Adam with ``amsgrad=True``."""

    def __init__(self, alpha=_default_hyperparam.alpha,
                 beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2,
                 eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps,
                         eta=eta, amsgrad=True)


class AdaBound(Adam):
    """Adam with ``adabound=True``."""

    def __init__(self, alpha=_default_hyperparam.alpha,
                 beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2,
                 final_lr=_default_hyperparam.final_lr,
                 gamma=_default_hyperparam.gamma,
                 eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps,
                         eta=eta, amsgrad=False, adabound=True,
                         final_lr=final_lr, gamma=gamma)


class AMSBound(Adam):
    """Adam with ``amsgrad=True`` and ``adabound=True``."""

    def __init__(self, alpha=_default_hyperparam.alpha,
                 beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2,
                 final_lr=_default_hyperparam.final_lr,
                 gamma=_default_hyperparam.gamma,
                 eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps,
                         eta=eta, amsgrad=True, adabound=True,
                         final_lr=final_lr, gamma=gamma)
