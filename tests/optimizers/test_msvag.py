"""Tests of dynet.optimizers.MSVAG against a NumPy reference."""
import warnings

import numpy
import pytest

import dynet
from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


# ---- shared harness (copied in each optimizer test module) ----------------
class Model(dynet.Link):
    def __init__(self, dtype):
        super().__init__()
        rs = numpy.random.RandomState(0)
        with self.init_scope():
            self.w = dynet.Parameter(rs.uniform(-1, 1, (3, 4)).astype(dtype))
            self.b = dynet.Parameter(rs.uniform(-1, 1, (4,)).astype(dtype))


def step_grads(t, dtype):
    """Gradients of step ``t``; ``b`` has none at step 3 (the optimizer
    gives it zeros)."""
    rs = numpy.random.RandomState(100 + t)
    scale = 10.0 if t == 2 else 1.0
    w = (rs.normal(size=(3, 4)) * scale).astype(dtype)
    b = None if t == 3 else (rs.normal(size=(4,)) * scale).astype(dtype)
    return {'w': w, 'b': b}


def check_steps(opt, reference, dtype, steps=5):
    """Runs ``steps`` updates of ``opt`` and of ``reference(param, grad,
    state, t)`` (NumPy, updating ``param`` and ``state`` in place) and
    requires the same parameters and states after every step."""
    model = Model(dtype)
    opt.setup(model)
    params = {n: getattr(model, n) for n in ('w', 'b')}
    expected = {n: p.array.copy() for n, p in params.items()}
    states = {n: {} for n in params}
    for t in range(1, steps + 1):
        grads = step_grads(t, dtype)
        for n, p in params.items():
            p.grad = None if grads[n] is None else grads[n].copy()
        opt.update()
        for n, p in params.items():
            g = grads[n]
            if g is None:
                g = numpy.zeros_like(expected[n])
            reference(expected[n], g, states[n], t)
            assert p.array.dtype == numpy.dtype(dtype)
            numpy.testing.assert_array_equal(
                p.array, expected[n], err_msg='{} at step {}'.format(n, t))
            for key, value in states[n].items():
                numpy.testing.assert_array_equal(
                    p.update_rule.state[key], value,
                    err_msg='state {} of {} at step {}'.format(key, n, t))
    assert set(params['w'].update_rule.state) == set(states['w'])
    return model
# ---------------------------------------------------------------------------


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
def test_steps_match_reference(dtype, hp):
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


def test_per_parameter_beta_override():
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


def test_resume_after_serialize_continues_the_same_run():
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
