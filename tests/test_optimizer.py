"""Tests of the optimizer base classes (Hyperparameter, UpdateRule,
Optimizer, GradientMethod), driven through SGD and small custom rules."""
import copy
import warnings

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import optimizer
from dynet import optimizers


class Model(dynet.Chain):
    """Two parameters in a child link and one in the chain itself."""

    def __init__(self, dtype=numpy.float32):
        super().__init__()
        rs = numpy.random.RandomState(0)
        with self.init_scope():
            self.child = dynet.Link()
            with self.child.init_scope():
                self.child.w = dynet.Parameter(
                    rs.uniform(-1, 1, (3, 2)).astype(dtype))
                self.child.b = dynet.Parameter(
                    rs.uniform(-1, 1, (2,)).astype(dtype))
            self.v = dynet.Parameter(rs.uniform(-1, 1, (4,)).astype(dtype))

    def all_params(self):
        return [self.child.w, self.child.b, self.v]


def set_grads(model, scale=1.0, seed=1):
    rs = numpy.random.RandomState(seed)
    grads = []
    for p in model.all_params():
        g = (rs.uniform(-1, 1, p.shape) * scale).astype(p.dtype)
        p.grad = g.copy()
        grads.append(g)
    return grads


def snapshot(model):
    return [p.array.copy() for p in model.all_params()]


class Recorder:
    """An optimizer-level hook that records what it saw."""

    def __init__(self, log, tag, timing=None, **attrs):
        self.log = log
        self.tag = tag
        self.name = tag
        if timing is not None:
            self.timing = timing
        for key, value in attrs.items():
            setattr(self, key, value)

    def __call__(self, *args):
        self.log.append((self.tag, args))


# ----------------------------------------------------------- Hyperparameter

def test_hyperparameter_reads_parent_and_overrides():
    parent = optimizer.Hyperparameter()
    parent.lr = 0.1
    parent.momentum = 0.9
    child = optimizer.Hyperparameter(parent)
    child.lr = 0.5
    assert child.lr == 0.5
    assert child.momentum == 0.9
    assert child.parent is parent
    assert child.get_dict() == {'lr': 0.5, 'momentum': 0.9}
    parent.momentum = 0.8
    assert child.momentum == 0.8
    with pytest.raises(AttributeError):
        child.unknown
    assert 'lr=0.5' in repr(child)


def test_hyperparameter_deepcopy_is_independent():
    parent = optimizer.Hyperparameter()
    parent.lr = 0.1
    child = optimizer.Hyperparameter(parent)
    child.eps = 1e-3
    dup = copy.deepcopy(child)
    parent.lr = 0.2
    dup.eps = 1.0
    assert dup.lr == 0.1
    assert child.eps == 1e-3


# --------------------------------------------------------------- setup

def test_setup_requires_a_link():
    with pytest.raises(TypeError):
        optimizers.SGD().setup(object())


def test_setup_returns_self_and_creates_rules():
    model = Model()
    opt = optimizers.SGD(lr=0.1)
    assert opt.setup(model) is opt
    assert opt.target is model
    for p in model.all_params():
        assert isinstance(p.update_rule, optimizers.SGDRule)
        assert p.update_rule.hyperparam.parent is opt.hyperparam
    # Each parameter has a rule of its own.
    rules = [p.update_rule for p in model.all_params()]
    assert len({id(r) for r in rules}) == 3


def test_setup_resets_counters():
    model = Model()
    opt = optimizers.SGD().setup(model)
    set_grads(model)
    opt.update()
    opt.new_epoch()
    assert (opt.t, opt.epoch) == (1, 1)
    opt.setup(model)
    assert (opt.t, opt.epoch) == (0, 0)


def test_methods_before_setup_raise():
    opt = optimizers.SGD()
    with pytest.raises(RuntimeError):
        opt.update()
    with pytest.raises(RuntimeError):
        opt.add_hook(lambda o: None)


def test_base_optimizer_update_is_abstract():
    opt = optimizer.Optimizer().setup(Model())
    with pytest.raises(NotImplementedError):
        opt.update()
    with pytest.raises(NotImplementedError):
        optimizer.GradientMethod().setup(Model())


# --------------------------------------------------------------- update

def test_update_without_lossfun_uses_existing_grads():
    model = Model()
    opt = optimizers.SGD(lr=0.25).setup(model)
    before = snapshot(model)
    grads = set_grads(model)
    opt.update()
    for p, x0, g in zip(model.all_params(), before, grads):
        numpy.testing.assert_array_equal(p.array, x0 - numpy.float32(0.25) * g)
    assert opt.t == 1
    assert all(p.update_rule.t == 1 for p in model.all_params())


def test_update_with_lossfun_clears_grads_and_runs_backward():
    model = Model()
    opt = optimizers.SGD(lr=0.5).setup(model)
    set_grads(model, scale=100.0)  # stale gradients: must be discarded
    before = snapshot(model)
    calls = []

    def lossfun(a, factor=1.0):
        calls.append((a, factor))
        return F.sum(model.child.w * model.child.w) * factor + \
            F.sum(model.v) * a

    opt.update(lossfun, 3.0, factor=2.0)
    assert calls == [(3.0, 2.0)]
    w0, b0, v0 = before
    numpy.testing.assert_allclose(model.child.w.array,
                                  w0 - 0.5 * (2.0 * 2.0 * w0), rtol=1e-6)
    numpy.testing.assert_allclose(model.v.array, v0 - 0.5 * 3.0, rtol=1e-6)
    # b took no part in the loss: its gradient was reallocated as zeros.
    numpy.testing.assert_array_equal(model.child.b.array, b0)
    numpy.testing.assert_array_equal(model.child.b.grad, numpy.zeros(2, 'f'))


def test_use_cleargrads_false_uses_zerograds():
    model = Model()
    opt = optimizers.SGD(lr=0.5).setup(model)
    with pytest.warns(DeprecationWarning):
        opt.use_cleargrads(False)
    before = snapshot(model)
    opt.update(lambda: F.sum(model.v))
    numpy.testing.assert_allclose(model.v.array, before[2] - 0.5)


def test_reallocate_cleared_grads_gives_zeros():
    model = Model()
    opt = optimizers.MomentumSGD(lr=0.1).setup(model)
    set_grads(model)
    opt.update()
    v_state = model.v.update_rule.state['v'].copy()
    model.v.grad = None
    before = model.v.array.copy()
    opt.update()
    # Momentum still moves the parameter with a zero gradient.
    numpy.testing.assert_array_equal(model.v.grad, numpy.zeros(4, 'f'))
    numpy.testing.assert_allclose(model.v.array,
                                  before + numpy.float32(0.9) * v_state)


def test_uninitialized_parameter_is_skipped_until_initialized():
    class Lazy(dynet.Link):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.w = dynet.Parameter()
                self.b = dynet.Parameter(numpy.zeros(2, 'f'))

    link = Lazy()
    opt = optimizers.Adam().setup(link)
    link.b.grad = numpy.ones(2, 'f')
    opt.update()
    assert link.w.array is None and link.w.grad is None
    assert link.w.update_rule.state is None
    link.w.initialize((2, 3))
    link.w.grad = numpy.ones((2, 3), 'f')
    link.w.array[...] = 0
    opt.update()
    assert link.w.update_rule.state['m'].shape == (2, 3)
    assert (link.w.array < 0).all()


def test_t_and_epoch():
    model = Model()
    opt = optimizers.SGD().setup(model)
    for i in range(3):
        set_grads(model)
        opt.update()
    assert opt.t == 3
    opt.new_epoch()
    opt.new_epoch()
    assert opt.epoch == 2


def test_new_epoch_auto_flag():
    model = Model()
    opt = optimizers.SGD().setup(model)
    assert opt.use_auto_new_epoch is False
    with pytest.raises(RuntimeError):
        opt.new_epoch(auto=True)
    opt.use_auto_new_epoch = True
    opt.new_epoch(auto=True)
    assert opt.epoch == 1
    with pytest.raises(RuntimeError):
        opt.new_epoch()
    assert opt.epoch == 1


# ------------------------------------------------------- hyperparameters

def test_hyperparameters_as_attributes():
    opt = optimizers.MomentumSGD(lr=0.1, momentum=0.5)
    assert (opt.lr, opt.momentum) == (0.1, 0.5)
    opt.lr = 0.3
    assert opt.hyperparam.lr == 0.3
    with pytest.raises(AttributeError):
        opt.no_such_hyperparameter


def test_per_parameter_hyperparameter_override():
    model = Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    model.v.update_rule.hyperparam.lr = 1.0
    before = snapshot(model)
    grads = set_grads(model)
    opt.update()
    numpy.testing.assert_array_equal(model.v.array,
                                     before[2] - numpy.float32(1.0) * grads[2])
    numpy.testing.assert_array_equal(
        model.child.w.array, before[0] - numpy.float32(0.1) * grads[0])
    # Changing the optimizer's value reaches the rules without an override.
    opt.lr = 0.5
    assert model.child.w.update_rule.hyperparam.lr == 0.5
    assert model.v.update_rule.hyperparam.lr == 1.0


def test_hyperparameter_proxy():
    class MyRule(optimizer.UpdateRule):
        def update_core_cpu(self, param):
            param.array -= self.hyperparam.rate * param.grad

    class MyOptimizer(optimizer.GradientMethod):
        rate = optimizer.HyperparameterProxy('rate')

        def __init__(self, rate=0.1):
            super().__init__()
            self.hyperparam.rate = rate

        def create_update_rule(self):
            return MyRule(self.hyperparam)

    opt = MyOptimizer(0.25)
    assert opt.rate == 0.25
    opt.rate = 0.5
    assert opt.hyperparam.rate == 0.5
    model = Model()
    opt.setup(model)
    before = snapshot(model)
    grads = set_grads(model)
    opt.update()
    numpy.testing.assert_array_equal(model.v.array,
                                     before[2] - numpy.float32(0.5) * grads[2])


# ------------------------------------------------------ disable_update

def test_disable_update_after_setup():
    model = Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    model.child.disable_update()
    before = snapshot(model)
    set_grads(model)
    opt.update()
    numpy.testing.assert_array_equal(model.child.w.array, before[0])
    numpy.testing.assert_array_equal(model.child.b.array, before[1])
    assert model.child.w.update_rule.t == 0
    assert not numpy.array_equal(model.v.array, before[2])
    model.child.enable_update()
    set_grads(model)
    opt.update()
    assert not numpy.array_equal(model.child.w.array, before[0])


def test_disable_update_before_setup():
    model = Model()
    model.child.disable_update()
    opt = optimizers.SGD(lr=0.1).setup(model)
    assert model.child.w.update_rule.enabled is False
    assert model.v.update_rule.enabled is True
    before = snapshot(model)
    set_grads(model)
    opt.update()
    numpy.testing.assert_array_equal(model.child.w.array, before[0])
    assert not numpy.array_equal(model.v.array, before[2])


# ------------------------------------------------------------- hooks

def test_hooks_timing_and_order():
    model = Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    log = []
    seen = {}

    def pre_a(o):
        log.append('pre_a')
        seen['pre'] = model.v.array.copy()

    def post_b(o):
        log.append('post_b')
        seen['post'] = model.v.array.copy()

    opt.add_hook(Recorder(log, 'auto_post', timing='post'))
    opt.add_hook(pre_a, timing='pre')
    opt.add_hook(post_b, timing='post')
    opt.add_hook(Recorder(log, 'auto_pre', timing='pre'))
    before = model.v.array.copy()
    set_grads(model)
    opt.update()
    names = [x if isinstance(x, str) else x[0] for x in log]
    assert names == ['pre_a', 'auto_pre', 'auto_post', 'post_b']
    numpy.testing.assert_array_equal(seen['pre'], before)
    numpy.testing.assert_array_equal(seen['post'], model.v.array)
    # Optimizer-level hooks get the optimizer.
    assert log[1][1] == (opt,)


def test_hook_names_and_errors():
    model = Model()
    opt = optimizers.SGD().setup(model)

    def my_hook(o):
        pass

    with pytest.warns(UserWarning):
        opt.add_hook(my_hook)
    assert 'my_hook' in opt._pre_update_hooks
    with pytest.raises(KeyError):
        opt.add_hook(my_hook, timing='pre')
    opt.add_hook(my_hook, name='again', timing='post')
    assert 'again' in opt._post_update_hooks
    with pytest.raises(ValueError):
        opt.add_hook(my_hook, name='x', timing='middle')
    with pytest.raises(TypeError):
        opt.add_hook(42, name='y')
    with pytest.raises(ValueError):
        opt.call_hooks('middle')


def test_auto_timing_without_attribute_warns_and_uses_pre():
    model = Model()
    opt = optimizers.SGD().setup(model)
    log = []
    hook = Recorder(log, 'h')
    with pytest.warns(UserWarning):
        opt.add_hook(hook)
    assert 'h' in opt._pre_update_hooks
    assert not hasattr(hook, 'timing')


def test_remove_hook():
    model = Model()
    opt = optimizers.SGD().setup(model)
    log = []
    opt.add_hook(Recorder(log, 'a', timing='pre'))
    opt.add_hook(Recorder(log, 'b', timing='post'))
    opt.remove_hook('a')
    opt.remove_hook('b')
    with pytest.raises(KeyError):
        opt.remove_hook('a')
    set_grads(model)
    opt.update()
    assert log == []


def test_call_for_each_param_hook_gets_rule_and_param():
    model = Model()
    opt = optimizers.SGD().setup(model)
    log = []
    opt.add_hook(Recorder(log, 'each', timing='pre', call_for_each_param=True))
    set_grads(model)
    opt.update()
    assert len(log) == 3
    got = {id(args[1]): args[0] for _, args in log}
    for p in model.all_params():
        assert got[id(p)] is p.update_rule


def test_hook_clearing_grads_is_followed_by_reallocation():
    model = Model()
    opt = optimizers.SGD().setup(model)
    seen = []

    def clear(o):
        model.v.grad = None

    def check(o):
        seen.append(model.v.grad)

    opt.add_hook(clear, timing='pre')
    opt.add_hook(check, timing='pre')
    set_grads(model)
    opt.update()
    numpy.testing.assert_array_equal(seen[0], numpy.zeros(4, 'f'))


def test_update_rule_hooks():
    model = Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    rule = model.v.update_rule
    log = []

    def pre(r, p):
        log.append(('pre', r, p.array.copy()))

    def post(r, p):
        log.append(('post', r, p.array.copy()))

    rule.add_hook(post, timing='post')
    rule.add_hook(pre)  # auto: no timing attribute -> 'pre'
    with pytest.raises(KeyError):
        rule.add_hook(pre)
    with pytest.raises(ValueError):
        rule.add_hook(pre, name='z', timing='never')
    before = model.v.array.copy()
    set_grads(model)
    opt.update()
    assert [x[0] for x in log] == ['pre', 'post']
    assert log[0][1] is rule
    numpy.testing.assert_array_equal(log[0][2], before)
    numpy.testing.assert_array_equal(log[1][2], model.v.array)
    rule.remove_hook('pre')
    rule.remove_hook('post')
    with pytest.raises(KeyError):
        rule.remove_hook('pre')


def test_update_rule_timing_attribute():
    rule = optimizers.SGDRule()
    hook = Recorder([], 'h', timing='post')
    rule.add_hook(hook)
    assert 'h' in rule._post_update_hooks


# ------------------------------------------------------------ UpdateRule

def test_update_rule_state_is_lazy_and_follows_dtype():
    model = Model(numpy.float64)
    opt = optimizers.MomentumSGD().setup(model)
    rule = model.v.update_rule
    assert rule.state is None
    set_grads(model)
    opt.update()
    assert rule.state['v'].dtype == numpy.float64
    assert rule.state['v'].shape == (4,)


def test_disabled_rule_does_nothing():
    rule = optimizers.SGDRule(lr=1.0)
    rule.enabled = False
    p = dynet.Parameter(numpy.ones(3, 'f'))
    p.grad = numpy.ones(3, 'f')
    rule.update(p)
    assert rule.t == 0
    numpy.testing.assert_array_equal(p.array, numpy.ones(3, 'f'))


def test_update_rule_without_core_raises():
    rule = optimizer.UpdateRule()
    p = dynet.Parameter(numpy.ones(3, 'f'))
    p.grad = numpy.ones(3, 'f')
    with pytest.raises(NotImplementedError):
        rule.update(p)


def test_rule_default_hyperparameters_without_parent():
    rule = optimizers.SGDRule()
    assert rule.hyperparam.lr == 0.01
    assert optimizers.SGDRule(lr=0.5).hyperparam.lr == 0.5


# ----------------------------------------------------- fp32 update / fp16

def test_use_fp32_update_keeps_small_steps():
    def run(fp32, before_setup):
        link = dynet.Link()
        with link.init_scope():
            link.w = dynet.Parameter(numpy.ones(4, numpy.float16))
        opt = optimizers.SGD(lr=1.0)
        if fp32 and before_setup:
            opt.use_fp32_update()
        opt.setup(link)
        if fp32 and not before_setup:
            opt.use_fp32_update()
        for _ in range(10):
            link.w.grad = numpy.full(4, 1e-4, numpy.float16)
            opt.update()
        return link.w

    plain = run(False, False)
    # 1 - 1e-4 rounds back to 1 in float16: the update is lost.
    numpy.testing.assert_array_equal(plain.array, numpy.ones(4, 'e'))
    for before_setup in (True, False):
        w = run(True, before_setup)
        assert w.dtype == numpy.float16
        master = numpy.float32(1)
        for _ in range(10):
            master -= numpy.float32(1.0) * numpy.float32(numpy.float16(1e-4))
        numpy.testing.assert_array_equal(
            w.array, numpy.full(4, master, numpy.float32).astype('e'))
        assert w.update_rule._fp32_param.dtype == numpy.float32


def test_use_fp32_update_with_state():
    link = dynet.Link()
    with link.init_scope():
        link.w = dynet.Parameter(numpy.ones(3, numpy.float16))
    opt = optimizers.MomentumSGD(lr=0.1).setup(link)
    opt.use_fp32_update()
    link.w.grad = numpy.full(3, 0.5, numpy.float16)
    opt.update()
    assert link.w.update_rule.state['v'].dtype == numpy.float32
    assert link.w.array.dtype == numpy.float16


def test_use_fp32_update_ignores_other_dtypes():
    model = Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    opt.use_fp32_update()
    set_grads(model)
    opt.update()
    assert model.v.update_rule._fp32_param is None


# ------------------------------------------------------------ loss scale

def test_loss_scale_divides_grad_before_update():
    def run(scale):
        model = Model()
        opt = optimizers.MomentumSGD(lr=0.1).setup(model)
        if scale is not None:
            opt.set_loss_scale(scale)
        seen = []
        opt.add_hook(lambda o: seen.append(model.v.grad.copy()),
                     name='peek', timing='pre')
        for _ in range(3):
            opt.update(lambda: F.sum(model.child.w * model.child.w) +
                       F.sum(model.v * 3.0))
        return model, seen

    ref, ref_seen = run(None)
    model, seen = run(1024.0)
    assert model.v._loss_scale is None
    # Pre hooks see the scaled gradient; the rule divides it out.
    numpy.testing.assert_allclose(seen[0], ref_seen[0] * 1024.0)
    for p, q in zip(model.all_params(), ref.all_params()):
        numpy.testing.assert_array_equal(p.array, q.array)
        numpy.testing.assert_array_equal(p.grad, q.grad)


def test_loss_scale_property_and_validation():
    opt = optimizers.SGD()
    assert opt.loss_scale is None
    opt.loss_scale = 8.0
    assert opt.loss_scale == 8.0
    with pytest.raises(ValueError):
        opt.loss_scaling(scale=0)
    with pytest.raises(ValueError):
        opt.loss_scaling(interval=0)


def test_loss_scale_with_fp32_update_unscales_in_float32():
    link = dynet.Link()
    with link.init_scope():
        link.w = dynet.Parameter(numpy.ones(2, numpy.float16))
    opt = optimizers.SGD(lr=1.0).setup(link)
    opt.use_fp32_update()
    link.w.grad = numpy.full(2, 1e-3 * 4096, numpy.float16)
    link.w._loss_scale = 4096.0
    opt.update()
    expected = numpy.float32(1) - numpy.float32(
        numpy.float16(1e-3 * 4096)) / numpy.float32(4096)
    numpy.testing.assert_array_equal(link.w.update_rule._fp32_param.array,
                                     numpy.full(2, expected, 'f'))
    assert link.w._loss_scale is None


def test_dynamic_loss_scaling():
    model = Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    opt.loss_scaling(interval=2)
    assert opt.loss_scale == 1.0
    opt.update(lambda: F.sum(model.v))
    assert opt.loss_scale == 2.0
    before = snapshot(model)
    for p in model.all_params():
        p.grad = numpy.zeros(p.shape, 'f')
    model.v.grad[0] = numpy.inf
    with pytest.warns(UserWarning, match='Non finite'):
        opt.update()
    # Update skipped, scale halved.
    for p, x in zip(model.all_params(), before):
        numpy.testing.assert_array_equal(p.array, x)
    assert opt.loss_scale == 1.0
    set_grads(model)
    opt.update()
    # After an overflow the scale grows by 2 ** (1 / interval).
    assert opt.loss_scale == pytest.approx(2 ** 0.5)


# ------------------------------------------------------------- serialize

def _save_and_load(src, dst):
    npz = pytest.importorskip('dynet.serializers.npz')
    target = {}
    npz.DictionarySerializer(target).save(src)
    npz.NpzDeserializer(target).load(dst)
    return target


def test_serialize_round_trip():
    pytest.importorskip('dynet.serializers.base')
    model = Model()
    opt = optimizers.Adam(alpha=0.01).setup(model)
    for i in range(3):
        set_grads(model, seed=i)
        opt.update()
    opt.new_epoch()
    model2 = Model()
    model2.copyparams(model)
    opt2 = optimizers.Adam(alpha=0.01).setup(model2)
    target = _save_and_load(opt, opt2)
    assert 'child/w/m' in target and 'v/v' in target
    assert int(target['t']) == 3 and int(target['child/w/t']) == 3
    assert (opt2.t, opt2.epoch) == (3, 1)
    for p, q in zip(model.all_params(), model2.all_params()):
        assert q.update_rule.t == 3
        for key in ('m', 'v'):
            numpy.testing.assert_array_equal(q.update_rule.state[key],
                                             p.update_rule.state[key])
    # Both continue identically.
    for o, m in ((opt, model), (opt2, model2)):
        set_grads(m, seed=10)
        o.update()
    for p, q in zip(model.all_params(), model2.all_params()):
        numpy.testing.assert_array_equal(p.array, q.array)


def test_serialize_before_any_update_keeps_state_lazy():
    pytest.importorskip('dynet.serializers.base')
    opt = optimizers.MomentumSGD().setup(Model())
    model2 = Model()
    opt2 = optimizers.MomentumSGD().setup(model2)
    target = _save_and_load(opt, opt2)
    assert 'v/v' not in target and 'v/t' in target
    assert model2.v.update_rule.state is None
    set_grads(model2)
    opt2.update()
    assert model2.v.update_rule.state['v'].shape == (4,)


def test_serialize_frozen_rule_without_saved_state():
    pytest.importorskip('dynet.serializers.base')
    model = Model()
    model.child.disable_update()
    opt = optimizers.MomentumSGD().setup(model)
    set_grads(model)
    opt.update()
    model2 = Model()
    model2.child.disable_update()
    opt2 = optimizers.MomentumSGD().setup(model2)
    _save_and_load(opt, opt2)
    assert model2.child.w.update_rule.state is None
    numpy.testing.assert_array_equal(model2.v.update_rule.state['v'],
                                     model.v.update_rule.state['v'])


def test_update_with_no_warnings():
    model = Model()
    opt = optimizers.SGD().setup(model)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        set_grads(model)
        opt.update()
