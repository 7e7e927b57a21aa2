"""Tests of dynet.optimizers.MomentumSGD against a NumPy reference."""
import numpy
import pytest

from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('lr, momentum', [(0.01, 0.9), (0.1, 0.5)])
def test_steps_match_reference(dtype, lr, momentum, harness):
    check_steps = harness.check_steps

    def reference(p, g, state, t):
        v = state.setdefault('v', numpy.zeros_like(p))
        v *= momentum
        v -= lr * g
        p += v

    check_steps(optimizers.MomentumSGD(lr=lr, momentum=momentum), reference,
                dtype)


def test_defaults_and_rule():
    opt = optimizers.MomentumSGD()
    assert opt.hyperparam.get_dict() == {'lr': 0.01, 'momentum': 0.9}
    rule = optimizers.MomentumSGDRule(lr=0.2, momentum=0.5)
    assert (rule.hyperparam.lr, rule.hyperparam.momentum) == (0.2, 0.5)
    assert optimizers.MomentumSGDRule().hyperparam.momentum == 0.9


def test_state_survives_lr_change(harness):
    Model = harness.Model
    opt = optimizers.MomentumSGD(lr=0.1)
    model = Model(numpy.float64)
    opt.setup(model)
    model.w.grad = numpy.ones((3, 4))
    model.b.grad = numpy.ones(4)
    opt.update()
    opt.lr = 0.0
    before = model.w.array.copy()
    model.w.grad = numpy.zeros((3, 4))
    model.b.grad = numpy.zeros(4)
    opt.update()
    numpy.testing.assert_allclose(model.w.array, before - 0.9 * 0.1)
