"""Tests of dynet.optimizers.MSVAG against a NumPy reference."""
import warnings

import numpy
import pytest

import dynet
from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


def msvag_reference(lr=0.1, beta=0.9, eta=1.0, weight_decay_rate=0):
    def reference(p, g, state, t):
        m = state.setdefault('m', numpy.zeros_like(p))
        v = state.setdefault('v', numpy.zeros_like(p))
        bp = beta
        for _ in range(t - 1):
            bp *= beta
        rho = ((1 - beta) ** 2 * (1 - bp ** 2) /
               ((1 - bp) ** 2 * (1 - beta ** 2)))
        rho = min(rho, 0.9999)
        m += (1 - beta) * (g - m)
        v += (1 - beta) * (g * g - v)
        mt = m / (1 - bp)
        vt = v / (1 - bp)
        s = (vt - mt ** 2) / (1 - rho)
        with numpy.errstate(invalid='ignore'):
            factor = numpy.clip(mt ** 2 / (mt ** 2 + rho * s), 0, 1)
        factor[numpy.isnan(factor)] = 0
        p -= eta * (lr * mt * factor + weight_decay_rate * p)
    return reference


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('hp', [
    dict(), dict(lr=0.05, beta=0.8, eta=0.7, weight_decay_rate=0.1)])
def test_steps_match_reference(dtype, hp, harness):
    check_steps = harness.check_steps
    check_steps(optimizers.MSVAG(**hp), msvag_reference(**hp), dtype)


def test_defaults_and_rule():
    assert optimizers.MSVAG().hyperparam.get_dict() == {
        'lr': 0.1, 'beta': 0.9, 'eta': 1.0, 'weight_decay_rate': 0}
    rule = optimizers.MSVAGRule(lr=0.2, beta=0.5, eta=0.3,
                                weight_decay_rate=0.4)
    assert rule.hyperparam.get_dict() == {
        'lr': 0.2, 'beta': 0.5, 'eta': 0.3, 'weight_decay_rate': 0.4}


def test_zero_gradient_gives_zero_factor_without_warnings():
    rule = optimizers.MSVAGRule()
    p = dynet.Parameter(numpy.array([1.0, 2.0], 'f'))
    p.grad = numpy.array([0.0, 1.0], 'f')
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        rule.update(p)
    assert p.array[0] == 1.0
    assert not numpy.isnan(p.array).any()


def test_per_parameter_beta_override(harness):
    Model, step_grads = harness.Model, harness.step_grads
    model = Model(numpy.float64)
    opt = optimizers.MSVAG().setup(model)
    model.w.update_rule.hyperparam.beta = 0.5
    ref_w = model.w.array.copy()
    reference = msvag_reference(beta=0.5)
    state = {}
    for t in range(1, 4):
        grads = step_grads(t, numpy.float64)
        model.w.grad = grads['w'].copy()
        model.b.grad = numpy.ones(4)
        opt.update()
        reference(ref_w, grads['w'], state, t)
    numpy.testing.assert_allclose(model.w.array, ref_w, rtol=1e-14)


def test_zero_dim_parameter():
    rule = optimizers.MSVAGRule()
    p = dynet.Parameter(numpy.array(1.0))
    p.grad = numpy.array(0.5)
    rule.update(p)
    assert p.array.shape == ()
    assert p.array < 1.0


def test_resume_after_serialize_continues_the_same_run(harness):
    Model, step_grads = harness.Model, harness.step_grads
    npz = pytest.importorskip('dynet.serializers.npz')

    def run(steps, opt=None, model=None):
        model = model or Model(numpy.float64)
        opt = opt or optimizers.MSVAG(lr=0.05).setup(model)
        for t in range(opt.t + 1, opt.t + 1 + steps):
            grads = step_grads(t, numpy.float64)
            model.w.grad = grads['w'].copy()
            model.b.grad = numpy.ones(4)
            opt.update()
        return opt, model

    full_opt, full_model = run(5)
    opt, model = run(3)
    target = {}
    npz.DictionarySerializer(target).save(opt)
    model2 = Model(numpy.float64)
    model2.copyparams(model)
    opt2 = optimizers.MSVAG(lr=0.05).setup(model2)
    npz.NpzDeserializer(target).load(opt2)
    run(2, opt2, model2)
    numpy.testing.assert_allclose(model2.w.array, full_model.w.array,
                                  rtol=1e-13)
