"""Tests of dynet.optimizers.Adam and its variants (AdamW, AMSGrad,
AdaBound, AMSBound) against a NumPy reference."""
import math
import warnings

import numpy
import pytest

import dynet
from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


def adam_reference(alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, eta=1.0,
                   weight_decay_rate=0, amsgrad=False, adabound=False,
                   final_lr=0.1, gamma=1e-3):
    def reference(p, g, state, t):
        m = state.setdefault('m', numpy.zeros_like(p))
        v = state.setdefault('v', numpy.zeros_like(p))
        if amsgrad:
            vhat = state.setdefault('vhat', numpy.zeros_like(p))
        m += (1 - beta1) * (g - m)
        v += (1 - beta2) * (g * g - v)
        if amsgrad:
            vhat[...] = numpy.maximum(vhat, v)
            denom = numpy.sqrt(vhat) + eps
        else:
            denom = numpy.sqrt(v) + eps
        alpha_t = alpha * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
        step = alpha_t / denom
        if adabound:
            lower = final_lr * (1 - 1 / (gamma * t + 1))
            upper = final_lr * (1 + 1 / (gamma * t))
            step = numpy.clip(step, lower, upper)
        decay = 1 - eta * weight_decay_rate
        if decay == 1:
            p -= eta * (step * m)
        else:
            p[...] = decay * p - eta * (step * m)
    return reference


CASES = [
    dict(),
    dict(alpha=0.01, beta1=0.8, beta2=0.99, eps=1e-6),
    dict(alpha=0.01, eta=0.5, weight_decay_rate=0.1),
    dict(alpha=0.01, amsgrad=True),
    dict(alpha=0.01, adabound=True, final_lr=0.05),
    dict(alpha=0.01, amsgrad=True, adabound=True, final_lr=0.05, gamma=0.1),
]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('hp', CASES)
def test_steps_match_reference(dtype, hp, harness):
    check_steps = harness.check_steps
    check_steps(optimizers.Adam(**hp), adam_reference(**hp), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
def test_variants(dtype, harness):
    check_steps = harness.check_steps
    check_steps(optimizers.AdamW(alpha=0.01, weight_decay_rate=0.05),
                adam_reference(alpha=0.01, weight_decay_rate=0.05), dtype)
    check_steps(optimizers.AMSGrad(alpha=0.01),
                adam_reference(alpha=0.01, amsgrad=True), dtype)
    check_steps(optimizers.AdaBound(alpha=0.01, final_lr=0.02),
                adam_reference(alpha=0.01, adabound=True, final_lr=0.02),
                dtype)
    check_steps(optimizers.AMSBound(alpha=0.01, final_lr=0.02, gamma=0.5),
                adam_reference(alpha=0.01, adabound=True, amsgrad=True,
                               final_lr=0.02, gamma=0.5), dtype)


def test_defaults():
    assert optimizers.Adam().hyperparam.get_dict() == {
        'alpha': 0.001, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-8,
        'eta': 1.0, 'weight_decay_rate': 0, 'amsgrad': False,
        'adabound': False, 'final_lr': 0.1, 'gamma': 1e-3}
    flags = {
        optimizers.AdamW: (False, False), optimizers.AMSGrad: (True, False),
        optimizers.AdaBound: (False, True), optimizers.AMSBound: (True, True),
    }
    for cls, (amsgrad, adabound) in flags.items():
        hp = cls().hyperparam
        assert (hp.amsgrad, hp.adabound) == (amsgrad, adabound), cls
        assert hp.alpha == 0.001 and hp.final_lr == 0.1
    assert optimizers.AdamW(weight_decay_rate=0.3).weight_decay_rate == 0.3
    # AdaBound's positional order: alpha, beta1, beta2, final_lr, gamma.
    hp = optimizers.AdaBound(0.1, 0.8, 0.9, 0.2, 0.3).hyperparam
    assert (hp.final_lr, hp.gamma) == (0.2, 0.3)


def test_rule_arguments():
    rule = optimizers.AdamRule(alpha=0.1, beta1=0.2, beta2=0.3, eps=0.4,
                               eta=0.5, weight_decay_rate=0.6, amsgrad=True,
                               adabound=True, final_lr=0.7, gamma=0.8)
    assert rule.hyperparam.get_dict() == {
        'alpha': 0.1, 'beta1': 0.2, 'beta2': 0.3, 'eps': 0.4, 'eta': 0.5,
        'weight_decay_rate': 0.6, 'amsgrad': True, 'adabound': True,
        'final_lr': 0.7, 'gamma': 0.8}
    assert rule.initial_alpha == 0.1


def test_alpha_t_and_lr(harness):
    Model = harness.Model
    opt = optimizers.Adam(alpha=0.01, beta1=0.8, beta2=0.95)
    model = Model(numpy.float32)
    opt.setup(model)
    with pytest.raises(RuntimeError):
        opt.alpha_t
    for t in range(1, 4):
        model.w.grad = numpy.ones((3, 4), 'f')
        model.b.grad = numpy.ones(4, 'f')
        opt.update()
        expected = 0.01 * math.sqrt(1 - 0.95 ** t) / (1 - 0.8 ** t)
        assert opt.alpha_t == pytest.approx(expected, rel=1e-15)
        with pytest.warns(DeprecationWarning):
            assert opt.lr == opt.alpha_t
        assert model.w.update_rule.alpha_t == opt.alpha_t
        with pytest.warns(DeprecationWarning):
            assert model.w.update_rule.lr == opt.alpha_t
    with pytest.raises(AttributeError):
        opt.lr = 0.1


def test_adabound_bounds_follow_alpha():
    rule = optimizers.AdamRule(alpha=0.01, adabound=True, final_lr=0.1,
                               gamma=0.5)
    with pytest.raises(RuntimeError):
        rule.bounds
    rule.t = 2
    lower, upper = rule.bounds
    assert lower == pytest.approx(0.1 * (1 - 1 / 2.0))
    assert upper == pytest.approx(0.1 * (1 + 1 / 1.0))
    rule.hyperparam.alpha = 0.005  # e.g. by a schedule: final_lr halves
    assert rule.bounds[0] == pytest.approx(0.05 * (1 - 1 / 2.0))


def test_float16_uses_float32_intermediates():
    alpha = 0.01
    p = dynet.Parameter(numpy.array([1.0, -2.0, 0.5], numpy.float16))
    rule = optimizers.AdamRule(alpha=alpha, eps=1e-4)
    grads = [numpy.array([0.1, -0.3, 2.0], numpy.float16),
             numpy.array([-0.2, 0.4, 1.0], numpy.float16)]
    m = numpy.zeros(3, numpy.float16)
    v = numpy.zeros(3, numpy.float16)
    expected = p.array.copy()
    for t, g in enumerate(grads, 1):
        p.grad = g.copy()
        rule.update(p)
        g32 = g.astype(numpy.float32)
        m[...] = m.astype(numpy.float32) + 0.1 * (g32 - m)
        v[...] = v.astype(numpy.float32) + 0.001 * (g32 * g32 - v)
        alpha_t = alpha * math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        step = alpha_t / (numpy.sqrt(v.astype(numpy.float32)) + 1e-4)
        expected[...] = expected - 1.0 * (step * m)
        assert p.array.dtype == numpy.float16
        numpy.testing.assert_array_equal(p.array, expected)
        numpy.testing.assert_array_equal(rule.state['m'], m)


def test_eps_too_small_for_float16():
    p = dynet.Parameter(numpy.ones(2, numpy.float16))
    p.grad = numpy.ones(2, numpy.float16)
    with pytest.raises(ValueError, match='too small'):
        optimizers.AdamRule(eps=1e-50).update(p)
    # 1e-8 is representable in float32, the intermediate dtype.
    optimizers.AdamRule().update(p)


def test_amsgrad_state_keys():
    for amsgrad, keys in ((False, {'m', 'v'}), (True, {'m', 'v', 'vhat'})):
        rule = optimizers.AdamRule(amsgrad=amsgrad)
        p = dynet.Parameter(numpy.ones(2, 'f'))
        p.grad = numpy.ones(2, 'f')
        rule.update(p)
        assert set(rule.state) == keys


def test_no_warnings_in_update(harness):
    check_steps = harness.check_steps
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        check_steps(optimizers.AMSBound(), adam_reference(
            amsgrad=True, adabound=True), numpy.float32)
