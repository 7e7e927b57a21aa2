"""Keyword-argument parsing for the noise functions (Chainer's
``**kwargs`` style signatures)."""

_TRAIN_REMOVED = ('train argument is not supported anymore. Use '
                  'chainer.using_config')


def parse(func_name, kwargs, defaults, removed=None):
    """Returns the values of ``defaults`` (a sequence of ``(name,
    default)``) taken from ``kwargs``.

    A name in ``removed`` (``{name: message}``) raises ``ValueError`` with
    its message; any other unknown name raises ``TypeError``.
    """
    removed = removed or {}
    for name, message in removed.items():
        if name in kwargs:
            raise ValueError('{}: {}'.format(func_name, message))
    known = {name for name, _ in defaults}
    unknown = sorted(k for k in kwargs if k not in known)
    if unknown:
        raise TypeError('{}() got unexpected keyword argument(s) {}'.format(
            func_name, ', '.join(repr(k) for k in unknown)))
    return tuple(kwargs.get(name, default) for name, default in defaults)


def train_removed():
    return {'train': _TRAIN_REMOVED}
