"""Helpers for loss functions written as wrappers around other functions
(crf1d, negative_sampling, black_out, ...): they validate their arguments
themselves instead of in a FunctionNode's ``_check_inputs`` (private)."""
from dynet.variable import Variable


class Named:
    """Stands in for a node where the check helpers of ``_check`` and
    ``loss._util`` read ``func.label``, so that messages name the wrapper
    function."""

    def __init__(self, label):
        self.label = label


def as_array(value):
    """The array of a Variable, or ``value`` itself."""
    return value.array if isinstance(value, Variable) else value
