"""link_hooks.SpectralNormalization against a NumPy reference."""
import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import gradient_check, link_hooks, testing
from dynet.link_hooks import spectral_normalization as sn_module


def _sn_reference(W, u, n_power_iteration, eps, axis=0):
    """(W / sigma, new u, v, sigma) in float64, the power iteration
    started from ``u``."""
    W = numpy.asarray(W, numpy.float64)
    matrix = numpy.moveaxis(W, axis, 0).reshape(W.shape[axis], -1)
    u = numpy.asarray(u, numpy.float64)
    for _ in range(n_power_iteration):
        v = matrix.T.dot(u)
        v = v / (numpy.sqrt((v * v).sum()) + eps)
        u = matrix.dot(v)
        u = u / (numpy.sqrt((u * u).sum()) + eps)
    sigma = u.dot(matrix).dot(v)
    return W / sigma, u, v, sigma


def _linear(dtype=numpy.float32, in_size=3, out_size=4, nobias=False):
    W = numpy.random.uniform(-1, 1, (out_size, in_size)).astype(dtype)
    b = numpy.random.uniform(-1, 1, out_size).astype(dtype)
    with dynet.using_config('dtype', dtype):
        link = L.Linear(in_size, out_size, initialW=W,
                        initial_bias=None if nobias else b, nobias=nobias)
    assert link.W.dtype == dtype
    return link


def _x(shape, dtype=numpy.float32):
    return numpy.random.uniform(-1, 1, shape).astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32,
                                   numpy.float64])
@pytest.mark.parametrize('n_power_iteration', [1, 3])
def test_linear_forward_and_u_update(dtype, n_power_iteration):
    link = _linear(dtype)
    hook = link_hooks.SpectralNormalization(n_power_iteration)
    link.add_hook(hook)
    u0 = link.W_u.copy()
    assert u0.shape == (4,) and u0.dtype == dtype
    x = _x((2, 3), dtype)
    y = link(x)
    W_sn, u1, _, _ = _sn_reference(link.W.array, u0, n_power_iteration,
                                   hook.eps)
    expected = x.astype(numpy.float64).dot(W_sn.T) + link.b.array
    tol = {'atol': 5e-3, 'rtol': 5e-3} if dtype == numpy.float16 else \
        {'atol': 1e-5, 'rtol': 1e-5}
    assert y.dtype == dtype
    testing.assert_allclose(y.array, expected, **tol)
    testing.assert_allclose(link.W_u, u1, **tol)   # updated in training
    assert isinstance(link.W, dynet.Parameter)     # put back after forward


def test_u_is_not_updated_in_test_mode_but_is_used():
    link = _linear()
    link.add_hook(link_hooks.SpectralNormalization(n_power_iteration=2))
    u0 = link.W_u.copy()
    x = _x((2, 3))
    with dynet.using_config('train', False):
        y = link(x)
    numpy.testing.assert_array_equal(link.W_u, u0)
    W_sn = _sn_reference(link.W.array, u0, 2, 1e-6)[0]
    testing.assert_allclose(y.array, x.dot(W_sn.T) + link.b.array,
                            atol=1e-5, rtol=1e-5)


def test_gradient_flows_through_sigma():
    # u and v are constants: dL/dW = G / s - sum(G * W) / s^2 * u v^T.
    link = _linear(numpy.float64, nobias=True)
    link.add_hook(link_hooks.SpectralNormalization(eps=0.0))
    u0 = link.W_u.copy()
    x = _x((5, 3), numpy.float64)
    gy = _x((5, 4), numpy.float64)
    y = link(x)
    y.grad = gy
    y.backward()
    W = link.W.array
    _, u, v, sigma = _sn_reference(W, u0, 1, 0.0)
    G = gy.T.dot(x)
    expected = G / sigma - (G * W).sum() / sigma ** 2 * numpy.outer(u, v)
    testing.assert_allclose(link.W.grad, expected, atol=1e-10, rtol=1e-8)


def test_check_backward_with_converged_vectors():
    # With converged singular vectors the constants u, v match the
    # finite differences (sigma is stationary in them).
    link = _linear()
    link.add_hook(link_hooks.SpectralNormalization(n_power_iteration=200))
    x = _x((2, 3))
    gy = _x((2, 4))
    with dynet.using_config('train', False):
        gradient_check.check_backward(
            lambda x: link(x), x, gy, params=(link.W, link.b),
            dtype=numpy.float64, atol=1e-4, rtol=1e-3)


def test_use_gamma_and_factor():
    link = _linear(numpy.float64)
    hook = link_hooks.SpectralNormalization(use_gamma=True, factor=2.0)
    link.add_hook(hook)
    W = link.W.array
    s_max = numpy.linalg.svd(W, compute_uv=False)[0]
    assert isinstance(link.gamma, dynet.Parameter)
    assert link.gamma.shape == () and link.gamma.dtype == numpy.float64
    testing.assert_allclose(link.gamma.array, s_max)
    u0 = link.W_u.copy()
    x = _x((2, 3), numpy.float64)
    y = link(x)
    _, _, _, sigma = _sn_reference(W, u0, 1, hook.eps)
    expected = x.dot((s_max * W / (sigma / 2.0)).T) + link.b.array
    testing.assert_allclose(y.array, expected, atol=1e-10, rtol=1e-8)
    y.grad = numpy.ones_like(y.array)
    y.backward()
    assert link.gamma.grad is not None
    assert '/gamma' in dict(link.namedparams())


def test_deconvolution_uses_axis_1():
    link = L.Deconvolution2D(2, 3, 2)
    hook = link_hooks.SpectralNormalization()
    link.add_hook(hook)
    assert hook.axis == 1
    assert link.W_u.shape == (3,)        # out_channels
    u0 = link.W_u.copy()
    x = _x((1, 2, 3, 3))
    y = link(x)
    W_sn = _sn_reference(link.W.array, u0, 1, hook.eps, axis=1)[0]
    expected = F.deconvolution_2d(x, W_sn.astype(numpy.float32), link.b)
    testing.assert_allclose(y.array, expected.array, atol=1e-5, rtol=1e-5)


def test_convolution_documented_example():
    link = L.Convolution2D(3, 5, 3)
    hook = link_hooks.SpectralNormalization()
    link.add_hook(hook)
    assert getattr(link, hook.vector_name).shape == (5,)
    link.delete_hook(hook.name)
    assert not hasattr(link, 'W_u')
    assert 'W_u' not in link._persistent


def test_lazy_initialization():
    conv = L.Convolution2D(None, 4, 3).add_hook(
        link_hooks.SpectralNormalization())
    assert not hasattr(conv, 'W_u')
    y = conv(_x((1, 2, 5, 5)))
    assert y.shape == (1, 4, 3, 3)
    assert conv.W.shape == (4, 2, 3, 3) and conv.W_u.shape == (4,)
    # Linear flattens the trailing axes (Chainer would pass shape[1]).
    lin = L.Linear(None, 4).add_hook(link_hooks.SpectralNormalization())
    assert lin(_x((2, 3, 2))).shape == (2, 4)
    assert lin.W.shape == (4, 6)


def test_serialization_round_trip():
    src = _linear()
    src.add_hook(link_hooks.SpectralNormalization())
    x = _x((2, 3))
    src(x)
    src(x)
    dst = _linear()
    dst.add_hook(link_hooks.SpectralNormalization())
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.W_u, src.W_u)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)
    with dynet.using_config('train', False):
        numpy.testing.assert_array_equal(dst(x).array, src(x).array)


def test_to_device_cpu_smoke():
    link = _linear()
    link.add_hook(link_hooks.SpectralNormalization())
    link.to_device('@numpy')
    assert isinstance(link.W_u, numpy.ndarray)
    assert link(_x((2, 3))).shape == (2, 4)


def test_forget_recomputation_gives_the_same_gradient():
    x = _x((2, 3))
    grads = []
    for use_forget in (False, True):
        numpy.random.seed(3)
        link = _linear()
        link.add_hook(link_hooks.SpectralNormalization())
        y = F.forget(link, x) if use_forget else link(x)
        F.sum(y * y).backward()
        grads.append((link.W.grad.copy(), link.W_u.copy()))
    testing.assert_allclose(grads[1][0], grads[0][0], atol=1e-6, rtol=1e-5)
    numpy.testing.assert_array_equal(grads[1][1], grads[0][1])


def test_weight_is_put_back_when_forward_raises():
    class Broken(dynet.Link):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.W = dynet.Parameter(_x((2, 2)))

        def forward(self, x):
            raise RuntimeError('broken')

    link = Broken()
    W = link.W
    link.add_hook(link_hooks.SpectralNormalization())
    with pytest.raises(RuntimeError, match='broken'):
        link(_x((1, 2)))
    assert link.W is W


def test_one_hook_on_two_links():
    hook = link_hooks.SpectralNormalization()
    a, b = _linear(), _linear(in_size=2, out_size=3)
    a.add_hook(hook)
    b.add_hook(hook)
    assert a(_x((1, 3))).shape == (1, 4)
    assert b(_x((1, 2))).shape == (1, 3)
    assert a.W_u.shape == (4,) and b.W_u.shape == (3,)


def test_custom_weight_name_and_hook_name():
    link = L.EmbedID(5, 3)
    hook = link_hooks.SpectralNormalization(weight_name='W', name='sn')
    link.add_hook(hook)
    assert 'sn' in link.local_link_hooks
    ids = numpy.array([0, 4], numpy.int32)
    u0 = link.W_u.copy()
    y = link(ids)
    W_sn = _sn_reference(link.W.array, u0, 1, hook.eps)[0]
    testing.assert_allclose(y.array, W_sn[ids], atol=1e-5, rtol=1e-5)


def test_module_helpers():
    W = _x((3, 4)).astype(numpy.float64)
    u = _x((3,)).astype(numpy.float64)
    u1, v1 = sn_module.update_approximate_vectors(W, u, 2, 1e-12)
    _, u_ref, v_ref, sigma = _sn_reference(W, u, 2, 1e-12)
    testing.assert_allclose(u1, u_ref)
    testing.assert_allclose(v1, v_ref)
    s = sn_module.calculate_max_singular_value(dynet.Variable(W), u1, v1)
    testing.assert_allclose(s.array, sigma)


@pytest.mark.parametrize('kwargs, message', [
    ({'n_power_iteration': 0}, 'n_power_iteration must be an int >= 1'),
    ({'n_power_iteration': 1.5}, 'n_power_iteration must be an int >= 1'),
    ({'eps': -1.0}, 'eps must be a number >= 0'),
    ({'factor': 0}, 'factor must be None or a non-zero number'),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match='SpectralNormalization: ' +
                       message):
        link_hooks.SpectralNormalization(**kwargs)


def test_bad_weight_name():
    with pytest.raises(ValueError, match="weight_name='V' must name a "
                       "Parameter of Linear; it has no such attribute"):
        _linear().add_hook(link_hooks.SpectralNormalization(weight_name='V'))
    link = _linear(nobias=True)
    with pytest.raises(ValueError, match='got NoneType'):
        link.add_hook(link_hooks.SpectralNormalization(weight_name='b'))
    assert len(link.local_link_hooks) == 0


def test_empty_output_axis():
    with pytest.raises(ValueError, match=r'expected W.shape\[0\] > 0'):
        L.Linear(3, 0).add_hook(link_hooks.SpectralNormalization())


def test_gamma_name_conflict():
    class WithGamma(dynet.Link):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.W = dynet.Parameter(_x((2, 2)))
                self.gamma = dynet.Parameter(_x((2,)))

    with pytest.raises(ValueError, match='already has an attribute'):
        WithGamma().add_hook(
            link_hooks.SpectralNormalization(use_gamma=True))


def test_not_a_context_manager():
    with pytest.raises(NotImplementedError, match='link.add_hook'):
        with link_hooks.SpectralNormalization():
            pass


def test_delete_hook_removes_gamma_and_readding_works():
    link = _linear()
    hook = link_hooks.SpectralNormalization(use_gamma=True)
    link.add_hook(hook)
    link.delete_hook(hook.name)
    assert not hasattr(link, 'gamma') and not hasattr(link, 'W_u')
    assert '/gamma' not in dict(link.namedparams())
    link.add_hook(hook)
    assert link(_x((1, 3))).shape == (1, 4)
