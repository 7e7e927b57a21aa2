"""Gumbel-softmax sampling."""
from dynet import backend
from dynet.variable import Variable


def gumbel_softmax(log_pi, tau=0.1, axis=1):
    """Draws a relaxed one-hot sample from the Gumbel-softmax distribution.

    ``y = softmax((log_pi + g) / tau, axis)`` with ``g`` drawn from
    ``Gumbel(0, 1)`` (NumPy's/CuPy's global generator). Gradients reach
    ``log_pi`` (and ``tau`` when it is a Variable) through the softmax.

    Args:
        log_pi (Variable or array): float16/32/64 unnormalized
            log-probabilities.
        tau (float, Variable or array): the temperature (broadcast against
            ``log_pi``).
        axis (int): the axis of the categories.
    Returns:
        Variable of ``log_pi``'s shape and dtype. A 0-dim ``log_pi`` gives
        the constant 1 (as in Chainer).
    """
    from dynet.functions.activation.softmax import softmax
    xp = backend.get_array_module(log_pi)
    if log_pi.ndim < 1:
        return Variable(xp.ones((), log_pi.dtype))
    dtype = log_pi.dtype
    g = xp.random.gumbel(size=log_pi.shape).astype(dtype)
    return softmax((log_pi + g) / tau, axis=axis)
