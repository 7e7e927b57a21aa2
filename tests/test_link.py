import copy
import pickle
import warnings

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import Chain, ChainList, Link, Parameter, Sequential
from dynet.link import UnregisteredWarning


class Affine(Link):

    def __init__(self, n_in, n_out):
        super().__init__()
        with self.init_scope():
            self.W = Parameter(
                numpy.arange(n_in * n_out, dtype=numpy.float32).reshape(
                    n_in, n_out) / 10)
            self.b = Parameter(dynet.initializers.Zero(), (n_out,))
        self.add_persistent('calls', 0)
        self.add_persistent('stat', numpy.zeros(n_out, numpy.float32))

    def forward(self, x):
        self.calls += 1
        return x @ self.W + self.b


class Net(Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = Affine(3, 4)
            self.l2 = Affine(4, 2)
            self.scale = Parameter(numpy.ones(1, numpy.float32))

    def forward(self, x):
        return self.l2(F.relu(self.l1(x))) * self.scale


def _x():
    return numpy.linspace(-1, 1, 6, dtype=numpy.float32).reshape(2, 3)


def test_registration_and_traversal():
    net = Net()
    assert [n for n, _ in net.namedparams()] == [
        '/scale', '/l1/W', '/l1/b', '/l2/W', '/l2/b']
    assert [n for n, _ in net.namedlinks()] == ['/', '/l1', '/l2']
    assert [n for n, _ in net.namedlinks(skipself=True)] == ['/l1', '/l2']
    assert list(net.children()) == [net.l1, net.l2]
    assert net['l1'] is net.l1 and net.l1.name == 'l1'
    assert net.l1.W.name == 'W'
    assert net.count_params() == 3 * 4 + 4 + 4 * 2 + 2 + 1


def test_assignment_outside_init_scope_warns_and_is_not_registered():
    net = Net()
    with pytest.warns(UnregisteredWarning, match='NOT registered'):
        net.extra = Parameter(numpy.ones(1, numpy.float32))
    with pytest.warns(UnregisteredWarning, match='Link'):
        net.l3 = Affine(2, 2)
    names = [n for n, _ in net.namedparams()]
    assert '/extra' not in names and not any('l3' in n for n in names)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        net.l1 = Affine(3, 4)  # replacing a registered child: no warning


def test_reassign_and_delete_unregister():
    net = Net()
    with net.init_scope():
        net.l1 = Affine(3, 4)
    assert [n for n, _ in net.namedlinks()].count('/l1') == 1
    del net.l2
    assert [n for n, _ in net.namedlinks()] == ['/', '/l1']
    del net.scale
    assert '/scale' not in [n for n, _ in net.namedparams()]


def test_add_param_add_link_and_name_clash():
    link = Link()
    link.add_param('w', (2, 3))
    assert link.w.shape == (2, 3) and numpy.isnan(link.w.array).all()
    link.add_param('u', None, initializer=dynet.initializers.One())
    assert not link.u.is_initialized
    with pytest.raises(AttributeError, match="'w'"):
        link.add_param('w', (1,))
    chain = Chain(a=Link(v=(1,)))
    assert [n for n, _ in chain.namedparams()] == ['/a/v']
    with pytest.raises(AttributeError, match="'a'"):
        chain.add_link('a', Link())
    with pytest.raises(TypeError, match='expected a Link'):
        chain.add_link('b', 3)


def test_gradients_flow_and_grad_helpers():
    net = Net()
    F.sum(net(_x())).backward()
    assert all(p.grad is not None for p in net.params())
    other = Net()
    F.sum(other(_x())).backward()
    expected = net.l1.W.grad * 2
    net.addgrads(other)
    numpy.testing.assert_allclose(net.l1.W.grad, expected)
    net.zerograds()
    assert all(not p.grad.any() for p in net.params())
    net.cleargrads()
    assert all(p.grad is None for p in net.params())


def test_copyparams_including_persistents():
    src, dst = Net(), Net()
    for p in src.params():
        p.array[...] = 7
    src.l1.stat[...] = 3
    src.l1.calls = 5
    dst.copyparams(src)
    assert all((p.array == 7).all() for p in dst.params())
    assert (dst.l1.stat == 3).all() and dst.l1.calls == 5
    assert dst.l1.W.array is not src.l1.W.array


def test_copy_modes():
    net = Net()
    F.sum(net(_x())).backward()
    shared = net.copy()
    assert shared.l1.W is not net.l1.W
    assert shared.l1.W.array is net.l1.W.array
    assert shared.l1.W.grad is None and net.l1.W.grad is not None
    assert shared.name is None
    copied = net.copy('copy')
    assert copied.l1.W.array is not net.l1.W.array
    numpy.testing.assert_array_equal(copied.l1.W.array, net.l1.W.array)
    fresh = net.copy('init')
    numpy.testing.assert_array_equal(fresh.l1.b.array, 0)
    with pytest.raises(ValueError, match="'share', 'copy' or 'init'"):
        net.copy('deep')


def test_disable_update_flag_survives_rule_creation():
    class Rule:
        enabled = True

    net = Net()
    net.l1.disable_update()
    assert not net.l1.update_enabled and net.l2.update_enabled
    net.l1.W.update_rule = Rule()
    net.l1.enable_update()
    assert net.l1.W.update_rule.enabled and net.l1.update_enabled
    net.disable_update()
    assert not net.l1.W.update_rule.enabled


def test_to_device_numpy_and_deferred_init_device():
    net = Net()
    assert net.to_cpu() is net
    assert net.device == dynet.get_device('@numpy') and net.xp is numpy
    link = Link()
    with link.init_scope():
        link.p = Parameter(dynet.initializers.One())
    link.to_device('@numpy')
    link.p.initialize((2,))
    assert isinstance(link.p.array, numpy.ndarray)


def test_chainlist_and_sequential():
    chain = ChainList(Affine(3, 4), Affine(4, 2))
    assert len(chain) == 2 and chain[1].name == '1'
    assert [n for n, _ in chain.namedparams()][:2] == ['/0/W', '/0/b']
    chain.append(Affine(2, 2))
    assert [n for n, _ in chain.namedlinks()][-1] == '/2'
    with pytest.raises(TypeError, match='append'):
        with chain.init_scope():
            chain.x = Affine(1, 1)

    seq = Sequential(Affine(3, 4), F.relu, Affine(4, 2))
    y = seq(_x())
    expected = Net()
    expected.scale.array[...] = 1
    numpy.testing.assert_allclose(y.array, expected(_x()).array)
    assert len(seq) == 3 and seq[1] is F.relu
    assert isinstance(seq[:2], Sequential) and len(seq[:2]) == 2
    assert seq.count_by_layer_type('relu') == 1
    seq.insert(1, F.relu)
    assert len(seq) == 4
    seq.pop(1)
    assert [n for n, _ in seq.namedparams()] == [
        '/0/W', '/0/b', '/1/W', '/1/b']
    assert 'relu' in repr(seq) and repr(seq).startswith('Sequential(')
    with pytest.raises(TypeError, match='Link or a callable'):
        seq.append(3)


def test_repeat():
    block = Affine(2, 2)
    seq = block.repeat(3)
    assert isinstance(seq, Sequential) and len(seq) == 3
    assert seq[0].W is not block.W
    assert len(block.repeat(0)) == 0


def test_repr_tree():
    text = repr(Net())
    assert text.splitlines()[0] == 'Net('
    assert '  (l1): Affine(),' in text and text.endswith(')')


def test_pickle_and_deepcopy_round_trip():
    net = Net()
    for clone in (pickle.loads(pickle.dumps(net)), copy.deepcopy(net)):
        numpy.testing.assert_array_equal(clone(_x()).array, net(_x()).array)
        assert [n for n, _ in clone.namedparams()] == [
            n for n, _ in net.namedparams()]


def test_call_without_forward():
    with pytest.raises(NotImplementedError, match='no forward'):
        Link()(1)


def test_old_style_constructor_params():
    link = Link(W=(2, 3), b=(3,))
    assert link.W.shape == (2, 3) and link.b.shape == (3,)
