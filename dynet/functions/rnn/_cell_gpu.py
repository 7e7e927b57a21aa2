"""The plain LSTM cell (``F.lstm``: one input pair, one forget gate) as
one CuPy kernel for forward and one for backward, instead of a dozen
elementwise kernels and their temporaries each. float16 is computed in
float32 and rounded once. Same formulas as ``_cell.forward`` and
``_cell.grad``.
"""
from dynet.backend import _cupy

_PREAMBLE = '''
template <typename T> struct dynet_lstm_acc { typedef T type; };
template <> struct dynet_lstm_acc<float16> { typedef float type; };
template <typename U> __device__ U dynet_lstm_sigmoid(U x) {
    const U half = 0.5;
    return tanh(x * half) * half + half;
}
'''

# ``i`` is the loop index inside CuPy kernels: the gates are ig, fg, og.
_GATES = '''
typedef dynet_lstm_acc<T>::type U;
U a = tanh((U)a_pre);
U ig = dynet_lstm_sigmoid((U)i_pre);
U fg = dynet_lstm_sigmoid((U)f_pre);
U og = dynet_lstm_sigmoid((U)o_pre);
U cp = (U)c_prev;
U cc = a * ig + fg * cp;
'''

_FORWARD = _GATES + '''
c = (T)cc;
h = (T)(og * tanh(cc));
'''

_BACKWARD = _GATES + '''
const U one = 1;
U t = tanh(cc);
U gh_u = (U)gh;
U u = gh_u * og * (one - t * t) + (U)gc;
go = (T)(gh_u * t * og * (one - og));
ga = (T)(u * ig * (one - a * a));
gi = (T)(u * a * ig * (one - ig));
gf = (T)(u * cp * fg * (one - fg));
gc_prev = (T)(u * fg);
'''

_INPUTS = 'T a_pre, T i_pre, T f_pre, T o_pre, T c_prev'


def forward(a_pre, i_pre, f_pre, c_prev, o_pre):
    """``(c, h)`` of the cell."""
    kernel = _cupy.elementwise_kernel(_INPUTS, 'T c, T h', _FORWARD,
                                      'dynet_lstm_forward', _PREAMBLE)
    return kernel(a_pre, i_pre, f_pre, o_pre, c_prev)


def grad(a_pre, i_pre, f_pre, c_prev, o_pre, gc, gh):
    """``(gA, gI, gF, gC, gO)`` of the cell; ``gc``/``gh`` may be None."""
    cupy = _cupy.require_cupy('the LSTM cell kernel')
    if gc is None:
        gc = cupy.zeros_like(c_prev)
    if gh is None:
        gh = cupy.zeros_like(o_pre)
    kernel = _cupy.elementwise_kernel(
        _INPUTS + ', T gc, T gh', 'T ga, T gi, T gf, T gc_prev, T go',
        _BACKWARD, 'dynet_lstm_backward', _PREAMBLE)
    return kernel(a_pre, i_pre, f_pre, o_pre, c_prev, gc, gh)
