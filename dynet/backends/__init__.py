"""Chainer-style backend modules: ``dynet.backends.cuda`` and
``dynet.backends.cpu``.

Importing this package is cheap and never imports CuPy; the submodules load
on first attribute access (``dynet.backends.cuda``) or with an explicit
``import dynet.backends.cuda`` (which tries to import CuPy, as Chainer's
``chainer.backends.cuda`` does).
"""

_submodules = ('cuda', 'cpu')


def __getattr__(name):
    if name in _submodules:
        import importlib
        module = importlib.import_module('dynet.backends.' + name)
        globals()[name] = module
        return module
    raise AttributeError('module {!r} has no attribute {!r}'.format(
        __name__, name))


def __dir__():
    return sorted(set(globals()) | set(_submodules))
