"""Scaled exponential linear unit."""
from dynet.functions.activation.elu import elu


def selu(x, alpha=1.6732632423543772848170429916717,
         scale=1.0507009873554804934193349852946):
    """Scaled ELU: ``scale * elu(x, alpha)``, elementwise.

    ``y = scale * x`` for ``x > 0`` and ``scale * alpha * (exp(x) - 1)``
    otherwise. The defaults are the self-normalizing constants of
    Klambauer et al. (2017). Double backprop is supported.

    Args:
        x (Variable or array): float16/32/64 input of any shape.
        alpha (float): the ELU's alpha.
        scale (float): the output scale.
    Returns:
        Variable of ``x``'s shape and dtype.
    """
    return elu(x, alpha) * scale
