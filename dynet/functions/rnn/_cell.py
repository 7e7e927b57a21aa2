"""The arithmetic shared by the LSTM-family cells (lstm, slstm, tree_lstm).

All three compute, from pre-activations,

    c = sum_m tanh(A_m) * sigmoid(I_m) + sum_k sigmoid(F_k) * C_k
    h = sigmoid(O) * tanh(c)

with one or two (A, I) pairs and one or more (F, C) pairs; they differ
only in how the gates are laid out in their inputs. This module holds the
forward and first-order backward on raw arrays and the second-order
backward written with dynet functions (so it is differentiable again).
"""
from dynet import backend
from dynet.backend import _cupy
from dynet.functions.rnn import _cell_gpu


def sigmoid(x):
    """Overflow-free logistic sigmoid of an array, in the array's dtype."""
    xp = backend.get_array_module(x)
    half = x.dtype.type(0.5)
    return xp.tanh(x * half) * half + half


def _fused_on_gpu(o_pre, a_pre, f_pre):
    """Whether the plain LSTM cell (one input pair, one forget gate) runs
    as one CuPy kernel."""
    return _cupy.is_cupy_array(o_pre) and len(a_pre) == 1 and \
        len(f_pre) == 1


def forward(a_pre, i_pre, f_pre, cells, o_pre):
    """``(c, h)`` from the gate pre-activations: the lists ``a_pre`` and
    ``i_pre`` (paired), ``f_pre`` (paired with the cell states ``cells``)
    and the array ``o_pre``."""
    if _fused_on_gpu(o_pre, a_pre, f_pre):
        return _cell_gpu.forward(a_pre[0], i_pre[0], f_pre[0], cells[0],
                                 o_pre)
    xp = backend.get_array_module(o_pre)
    c = None
    for a, i in zip(a_pre, i_pre):
        term = xp.tanh(a) * sigmoid(i)
        c = term if c is None else c + term
    for f, cp in zip(f_pre, cells):
        c = c + sigmoid(f) * cp
    h = sigmoid(o_pre) * xp.tanh(c)
    return c, h


def grad(a_pre, i_pre, f_pre, cells, o_pre, gc, gh):
    """First-order gradients on arrays.

    ``gc`` and ``gh`` (the gradients of ``c`` and ``h``) may be None (zero).
    Returns ``(gA, gI, gF, gC, gO)``: lists for the paired gates and cell
    states, an array for ``o_pre``.
    """
    if _fused_on_gpu(o_pre, a_pre, f_pre):
        ga, gi, gf, gc_prev, go = _cell_gpu.grad(
            a_pre[0], i_pre[0], f_pre[0], cells[0], o_pre, gc, gh)
        return [ga], [gi], [gf], [gc_prev], go
    xp = backend.get_array_module(o_pre)
    one = o_pre.dtype.type(1)
    a = [xp.tanh(x) for x in a_pre]
    i = [sigmoid(x) for x in i_pre]
    f = [sigmoid(x) for x in f_pre]
    o = sigmoid(o_pre)
    c = None
    for am, im in zip(a, i):
        c = am * im if c is None else c + am * im
    for fk, ck in zip(f, cells):
        c = c + fk * ck
    t = xp.tanh(c)
    # u: the gradient reaching c (from c itself and through h).
    if gh is None:
        u = gc if gc is not None else xp.zeros_like(c)
        gO = xp.zeros_like(o_pre)
    else:
        u = gh * o * (one - t * t)
        if gc is not None:
            u = u + gc
        gO = gh * t * o * (one - o)
    gA = [u * im * (one - am * am) for am, im in zip(a, i)]
    gI = [u * am * im * (one - im) for am, im in zip(a, i)]
    gF = [u * ck * fk * (one - fk) for fk, ck in zip(f, cells)]
    gC = [u * fk for fk in f]
    return gA, gI, gF, gC, gO


def _sum(*terms):
    terms = [t for t in terms if t is not None]
    if not terms:
        return None
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


class _lazy:
    """A factor of :func:`_prod` computed only when no factor is None."""

    def __init__(self, make):
        self.make = make


def _prod(*factors):
    """The product of the factors; None (zero) if any of them is None.
    Factors may be Variables, Python numbers or :class:`_lazy`."""
    if any(f is None for f in factors):
        return None
    total = None
    for f in factors:
        if isinstance(f, _lazy):
            f = f.make()
        if total is None:
            total = f
        else:
            total = total * f
    return total


def grad_grad(a_pre, i_pre, f_pre, cells, o_pre, gc, gh,
              ggA, ggI, ggF, ggC, ggO):
    """Second-order backward, on Variables, with dynet functions.

    ``a_pre, i_pre, f_pre, cells, o_pre, gc, gh`` are the inputs of the
    first-order backward (``gc``/``gh`` may be None); ``ggA, ggI, ggF,
    ggC`` (lists) and ``ggO`` are the gradients of its outputs (entries may
    be None).
    Returns the gradients ``(gA, gI, gF, gC, gO, g_gc, g_gh)`` of the
    inputs, each a Variable or None (zero).
    """
    from dynet.functions.activation.sigmoid import sigmoid as sig
    from dynet.functions.activation.tanh import tanh

    a = [tanh(x) for x in a_pre]
    i = [sig(x) for x in i_pre]
    f = [sig(x) for x in f_pre]
    o = sig(o_pre)
    da = [1 - am * am for am in a]
    di = [im * (1 - im) for im in i]
    df = [fk * (1 - fk) for fk in f]
    do = o * (1 - o)
    c = _sum(*([am * im for am, im in zip(a, i)] +
               [fk * ck for fk, ck in zip(f, cells)]))
    t = tanh(c)
    dt = 1 - t * t

    # L = <ggA, gA> + <ggI, gI> + <ggF, gF> + <ggC, gC> + <ggO, gO>, where
    # the first-order results are written through u = gc + gh * o * dt:
    #   gA = u i da, gI = u a di, gF = u cells df, gC = u f, gO = gh t do.
    u = _sum(gc, _prod(gh, o, dt))
    # K = dL/du.
    K = _sum(*([_prod(g, im, dam) for g, im, dam in zip(ggA, i, da)] +
               [_prod(g, am, dim) for g, am, dim in zip(ggI, a, di)] +
               [_prod(g, ck, dfk) for g, ck, dfk in zip(ggF, cells, df)] +
               [_prod(g, fk) for g, fk in zip(ggC, f)]))
    g_gc = K if gc is not None else None
    g_gh = None
    if gh is not None:
        g_gh = _sum(_prod(K, o, dt), _prod(ggO, t, do))
    # Through t = tanh(c) and o = sigmoid(o_pre) (only via the gh terms).
    g_t = _sum(_prod(K, gh, o, t, -2), _prod(ggO, gh, do))
    Gc = _prod(g_t, dt)  # the gradient reaching c
    g_o = _sum(_prod(K, gh, dt), _prod(ggO, gh, t, _lazy(lambda: 1 - 2 * o)))
    gO = _prod(g_o, do)

    gA, gI = [], []
    for am, im, dam, dim, gga, ggi in zip(a, i, da, di, ggA, ggI):
        g_a = _sum(_prod(gga, u, im, am, -2), _prod(ggi, u, dim),
                   _prod(Gc, im))
        g_i = _sum(_prod(gga, u, dam),
                   _prod(ggi, u, am, _lazy(lambda: 1 - 2 * im)),
                   _prod(Gc, am))
        gA.append(_prod(g_a, dam))
        gI.append(_prod(g_i, dim))
    gF, gC = [], []
    for fk, ck, dfk, ggf, ggc in zip(f, cells, df, ggF, ggC):
        g_f = _sum(_prod(ggc, u),
                   _prod(ggf, u, ck, _lazy(lambda: 1 - 2 * fk)),
                   _prod(Gc, ck))
        gF.append(_prod(g_f, dfk))
        gC.append(_sum(_prod(ggf, u, dfk), _prod(Gc, fk)))
    return gA, gI, gF, gC, gO, g_gc, g_gh
