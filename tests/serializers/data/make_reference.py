"""Makes the Chainer-written reference files of the serializer tests, and
checks that files written by dynet load in Chainer.

The tests never import Chainer: they read the files this script wrote with
real Chainer 7.8.1 (numpy 1.23.5, h5py 3.16) and committed next to it.

Usage (from the repository root):

1. Regenerate the reference files (Chainer's environment)::

       /opt/chainer-venv/bin/python tests/serializers/data/make_reference.py \
           chainer-write tests/serializers/data

2. Check the other direction: dynet writes files, Chainer loads them::

       python tests/serializers/data/make_reference.py dynet-write /tmp/d
       /opt/chainer-venv/bin/python \
           tests/serializers/data/make_reference.py chainer-check /tmp/d

Files (NPZ and HDF5 alike):

``model.npz``/``model.h5``
    ``Net()`` below with the deterministic values of ``set_values(net, 0)``:
    ``l1`` (Linear 3->2: ``l1/W``, ``l1/b``), ``l2`` (Linear 2->1 without
    bias: ``l2/W``) and the persistents ``count`` (int 3), ``ratio``
    (float 0.5), ``nothing`` (None), ``arr`` (float32 array), ``flag``
    (True), ``np32`` (numpy.float32 2.5) and, NPZ only (HDF5 cannot hold
    strings), ``label`` ('hello').
``model_uncompressed.npz``
    the same written with ``compression=False``.
``wrapped.npz``
    the same net as the child ``predictor`` of a Chain (keys
    ``predictor/l1/W`` ...).
``optimizer.npz``/``optimizer.h5``
    Adam (default hyperparameters) set up on that net after one update
    on ``x = arange(6).reshape(2, 3) / 4`` with loss ``sum(net(x))``, and
    one ``new_epoch()``: ``t``, ``epoch`` and ``l1/W/t``, ``l1/W/m``,
    ``l1/W/v`` ... per parameter.
"""
import os
import sys

import numpy as np


def weights(offset):
    """The parameter and persistent values used for the files."""
    return {
        'l1/W': (np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5) / 4
        + offset,
        'l1/b': np.array([0.25, -0.5], np.float32) + offset,
        'l2/W': np.array([[1.5, -0.75]], np.float32) + offset,
        'arr': np.arange(4, dtype=np.float32) * 1.5 + offset,
    }


INPUT = np.arange(6, dtype=np.float32).reshape(2, 3) / 4


# ---------------------------------------------------------------------------
# Chainer side

def chainer_classes():
    import chainer
    import chainer.links as L

    class Net(chainer.Chain):
        def __init__(self, with_label=True):
            super().__init__()
            with self.init_scope():
                self.l1 = L.Linear(3, 2)
                self.l2 = L.Linear(2, 1, nobias=True)
            self.add_persistent('count', 3)
            self.add_persistent('ratio', 0.5)
            self.add_persistent('nothing', None)
            self.add_persistent('arr', np.zeros(4, np.float32))
            self.add_persistent('flag', True)
            self.add_persistent('np32', np.float32(2.5))
            if with_label:
                self.add_persistent('label', 'hello')

        def forward(self, x):
            return self.l2(self.l1(x))

    class Wrapper(chainer.Chain):
        def __init__(self, net):
            super().__init__()
            with self.init_scope():
                self.predictor = net

    return Net, Wrapper


def chainer_set_values(net, offset):
    w = weights(offset)
    net.l1.W.array[...] = w['l1/W']
    net.l1.b.array[...] = w['l1/b']
    net.l2.W.array[...] = w['l2/W']
    net.arr[...] = w['arr']


def chainer_write(directory):
    import chainer
    import chainer.functions as F
    from chainer import serializers

    Net, Wrapper = chainer_classes()
    os.makedirs(directory, exist_ok=True)

    def path(name):
        return os.path.join(directory, name)

    net = Net()
    chainer_set_values(net, 0)
    serializers.save_npz(path('model.npz'), net)
    serializers.save_npz(path('model_uncompressed.npz'), net,
                         compression=False)
    serializers.save_npz(path('wrapped.npz'), Wrapper(net))

    h5net = Net(with_label=False)
    chainer_set_values(h5net, 0)
    serializers.save_hdf5(path('model.h5'), h5net)

    for name, target in (('optimizer.npz', Net()),
                         ('optimizer.h5', Net(with_label=False))):
        chainer_set_values(target, 0)
        optimizer = chainer.optimizers.Adam()
        optimizer.setup(target)
        optimizer.update(lambda: F.sum(target(INPUT)))
        optimizer.new_epoch()
        if name.endswith('.npz'):
            serializers.save_npz(path(name), optimizer)
        else:
            serializers.save_hdf5(path(name), optimizer)
    print('chainer', chainer.__version__, 'numpy', np.__version__,
          'wrote', sorted(os.listdir(directory)))


def chainer_check(directory):
    """Loads the files written by ``dynet_write`` into Chainer objects."""
    import chainer
    from chainer import serializers

    Net, Wrapper = chainer_classes()
    expected = weights(1)

    def check_net(net, with_label):
        np.testing.assert_array_equal(net.l1.W.array, expected['l1/W'])
        np.testing.assert_array_equal(net.l1.b.array, expected['l1/b'])
        np.testing.assert_array_equal(net.l2.W.array, expected['l2/W'])
        np.testing.assert_array_equal(net.arr, expected['arr'])
        assert net.count == 7 and type(net.count) is int, net.count
        assert net.ratio == 0.25 and type(net.ratio) is float
        assert net.nothing is None
        assert net.flag is False
        assert net.np32 == np.float32(-1.5) and \
            type(net.np32) is np.float32
        if with_label:
            assert net.label == 'dynet' and type(net.label) is str

    def fresh(with_label=True):
        net = Net(with_label)
        net.nothing = 'not None yet'
        return net

    for name in ('model.npz', 'model_uncompressed.npz'):
        net = fresh()
        serializers.load_npz(os.path.join(directory, name), net)
        check_net(net, True)
    wrapper = Wrapper(fresh())
    serializers.load_npz(os.path.join(directory, 'wrapped.npz'), wrapper)
    check_net(wrapper.predictor, True)
    net = fresh()
    serializers.load_npz(os.path.join(directory, 'wrapped.npz'), net,
                         path='predictor/')
    check_net(net, True)
    net = fresh(False)
    serializers.load_hdf5(os.path.join(directory, 'model.h5'), net)
    check_net(net, False)

    for name, with_label in (('optimizer.npz', True),
                             ('optimizer.h5', False)):
        net = Net(with_label)
        optimizer = chainer.optimizers.Adam()
        optimizer.setup(net)
        if name.endswith('.npz'):
            serializers.load_npz(os.path.join(directory, name), optimizer)
        else:
            serializers.load_hdf5(os.path.join(directory, name), optimizer)
        assert optimizer.t == 5 and optimizer.epoch == 2
        for pname, param in net.namedparams():
            rule = param.update_rule
            assert rule.t == 5, (pname, rule.t)
            shape = param.array.shape
            np.testing.assert_array_equal(
                rule.state['m'], np.full(shape, 0.5, np.float32))
            np.testing.assert_array_equal(
                rule.state['v'], np.full(shape, 0.125, np.float32))
            assert rule.state['m'].dtype == np.float32
    print('chainer', chainer.__version__, 'loaded every dynet file in',
          directory)


# ---------------------------------------------------------------------------
# dynet side

def dynet_classes():
    import dynet
    from dynet import optimizer as optimizer_module

    class Linear(dynet.Link):
        def __init__(self, n_in, n_out, nobias=False):
            super().__init__()
            with self.init_scope():
                self.W = dynet.Parameter(np.zeros((n_out, n_in), np.float32))
                if not nobias:
                    self.b = dynet.Parameter(np.zeros(n_out, np.float32))

    class Net(dynet.Chain):
        def __init__(self, with_label=True):
            super().__init__()
            with self.init_scope():
                self.l1 = Linear(3, 2)
                self.l2 = Linear(2, 1, nobias=True)
            self.add_persistent('count', 3)
            self.add_persistent('ratio', 0.5)
            self.add_persistent('nothing', None)
            self.add_persistent('arr', np.zeros(4, np.float32))
            self.add_persistent('flag', True)
            self.add_persistent('np32', np.float32(2.5))
            if with_label:
                self.add_persistent('label', 'hello')

    class Wrapper(dynet.Chain):
        def __init__(self, net):
            super().__init__()
            with self.init_scope():
                self.predictor = net

    class MomentsRule(optimizer_module.UpdateRule):
        """Holds Adam's state names (m, v) without updating anything."""

        def init_state(self, param):
            xp = dynet.backend.get_array_module(param.array)
            self.state['m'] = xp.zeros_like(param.array)
            self.state['v'] = xp.zeros_like(param.array)

    class Moments(optimizer_module.GradientMethod):
        def create_update_rule(self):
            return MomentsRule(self.hyperparam)

    return Net, Wrapper, Moments


def dynet_write(directory):
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..'))
    import dynet
    from dynet import serializers

    Net, Wrapper, Moments = dynet_classes()
    os.makedirs(directory, exist_ok=True)
    w = weights(1)

    def make(with_label=True):
        net = Net(with_label)
        net.l1.W.array[...] = w['l1/W']
        net.l1.b.array[...] = w['l1/b']
        net.l2.W.array[...] = w['l2/W']
        net.arr[...] = w['arr']
        net.count = 7
        net.ratio = 0.25
        net.flag = False
        net.np32 = np.float32(-1.5)
        if with_label:
            net.label = 'dynet'
        return net

    def path(name):
        return os.path.join(directory, name)

    serializers.save_npz(path('model.npz'), make())
    serializers.save_npz(path('model_uncompressed.npz'), make(),
                         compression=False)
    serializers.save_npz(path('wrapped.npz'), Wrapper(make()))
    serializers.save_hdf5(path('model.h5'), make(False))
    for name, with_label in (('optimizer.npz', True),
                             ('optimizer.h5', False)):
        net = make(with_label)
        optimizer = Moments().setup(net)
        optimizer.t = 5
        optimizer.epoch = 2
        for param in net.params():
            rule = param.update_rule
            rule._prepare(param)
            rule.state['m'][...] = 0.5
            rule.state['v'][...] = 0.125
            rule.t = 5
        if name.endswith('.npz'):
            serializers.save_npz(path(name), optimizer)
        else:
            serializers.save_hdf5(path(name), optimizer)
    print('dynet', dynet.__version__, 'numpy', np.__version__, 'wrote',
          sorted(os.listdir(directory)))


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] not in (
            'chainer-write', 'chainer-check', 'dynet-write'):
        sys.exit(__doc__)
    {'chainer-write': chainer_write, 'chainer-check': chainer_check,
     'dynet-write': dynet_write}[sys.argv[1]](sys.argv[2])
