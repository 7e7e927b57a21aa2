"""Class-level test parameterization (``parameterize``, ``product`` ...).

``parameterize(*params)`` turns one test class into one generated subclass
per parameter dictionary.  The generated classes are published as attributes
of the module that defines the decorated class, so pytest (and unittest's
loader) collect them; the decorated name itself is bound to a
:class:`TestCaseBundle`, which is not a class and is therefore never
collected.

The bundle is also what lets class-generating decorators stack: a decorator
built with :func:`make_test_case_generator_decorator` accepts either a plain
class or a bundle, expands every class in it, and removes the classes it
replaced from their module.  Class-modifying decorators (``fix_random``,
``attr.gpu`` ...) use :func:`for_each_test_class` to act on every class of a
bundle.
"""
import functools
import inspect
import itertools
import sys
import types
import unittest


# Generated class names are built from the parameter values; keep them
# bounded so that enormous reprs (e.g. arrays) don't produce absurd names.
_MAX_VALUE_REPR = 100
_MAX_PARAMS_REPR = 5000


class TestCaseBundle(object):
    """The classes generated from one decorated test class.

    Instances replace the decorated class in its module namespace.  They are
    iterable (over the generated classes) and carry enough information for
    a further generating decorator to replace the classes again.
    """

    __test__ = False  # never collect the bundle itself

    def __init__(self, classes):
        self.classes = list(classes)

    def __iter__(self):
        return iter(self.classes)

    def __len__(self):
        return len(self.classes)

    def __repr__(self):
        return '<TestCaseBundle of {} classes: {}>'.format(
            len(self.classes), [c.__name__ for c in self.classes])


def _shorten(text, limit):
    if len(text) <= limit:
        return text
    keep = limit - 3
    head = (keep + 1) // 2
    return text[:head] + '...' + text[len(text) - (keep - head):]


def _value_to_str(value):
    name = getattr(value, '__name__', None)
    if isinstance(value, type) or isinstance(name, str):
        # classes, functions, modules, dtypes' scalar types ...
        return name
    return repr(value)


def make_class_name(base_name, index, param):
    """Name of the ``index``-th class generated from ``base_name``.

    The format is ``<base>_param_<index>_{key1=value1, key2=value2}`` with
    keys sorted, as chainer.testing names its generated classes.
    """
    items = ', '.join(
        '{}={}'.format(key, _shorten(_value_to_str(value), _MAX_VALUE_REPR))
        for key, value in sorted(param.items()))
    return '{}_param_{}_{{{}}}'.format(
        base_name, index, _shorten(items, _MAX_PARAMS_REPR))


def _iter_test_functions(cls):
    """Yields ``(name, function)`` for plain test functions of ``cls``.

    Inherited ones included; static and class methods are left out because
    wrapping them as instance methods would change how they are called.
    """
    for name in dir(cls):
        if not name.startswith('test'):
            continue
        try:
            raw = inspect.getattr_static(cls, name)
        except AttributeError:
            continue
        if isinstance(raw, types.FunctionType):
            yield name, raw


def wrap_test_methods(cls, wrap):
    """Replaces every test function ``f`` of ``cls`` with ``wrap(f)``.

    The replacement is set on ``cls`` itself (shadowing inherited ones).
    """
    for name, func in list(_iter_test_functions(cls)):
        setattr(cls, name, wrap(func))
    return cls


def _module_of(cls):
    return sys.modules.get(cls.__module__)


def _register(cls):
    module = _module_of(cls)
    if module is not None:
        setattr(module, cls.__name__, cls)


def _unregister(cls):
    module = _module_of(cls)
    if module is not None and getattr(module, cls.__name__, None) is cls:
        delattr(module, cls.__name__)


def make_test_case_generator_decorator(generate):
    """Builds a class decorator that expands a test class into several.

    ``generate(base)`` must yield ``(name, members, method_wrapper)``
    triples: ``name`` is the new class name, ``members`` a dict of class
    attributes, and ``method_wrapper`` either ``None`` or a callable applied
    to every test function of the new class.

    The decorator accepts a class or a :class:`TestCaseBundle` (the result of
    an earlier generating decorator) and returns a bundle of the generated
    classes, which are registered in the defining module.  Classes of an
    input bundle are removed from the module: only the leaves are collected.
    """

    def decorator(target):
        if isinstance(target, TestCaseBundle):
            bases = target.classes
            for base in bases:
                _unregister(base)
        elif isinstance(target, type):
            bases = [target]
        else:
            raise TypeError(
                'a test-generating decorator must be applied to a class, '
                'not {!r}'.format(target))

        generated = []
        for base in bases:
            for name, members, method_wrapper in generate(base):
                members = dict(members)
                members.setdefault('__module__', base.__module__)
                members.setdefault('__qualname__', name)
                # The decorated class may have opted out of collection
                # (``__test__ = False``); generated ones are real tests.
                if '__test__' not in members and \
                        getattr(base, '__test__', True) is False:
                    members['__test__'] = True
                cls = type(base)(name, (base,), members)
                if method_wrapper is not None:
                    wrap_test_methods(cls, method_wrapper)
                _register(cls)
                generated.append(cls)
        return TestCaseBundle(generated)

    return decorator


def for_each_test_class(target, modify):
    """Applies ``modify(cls)`` to a class or to every class of a bundle.

    ``modify`` changes the class in place.  Returns ``target`` unchanged,
    so class decorators built on this keep bundles stackable.
    """
    if isinstance(target, TestCaseBundle):
        for cls in target.classes:
            modify(cls)
    else:
        modify(target)
    return target


def _as_member(value):
    # A plain function stored as a class attribute would become a method
    # (and receive ``self``); parameters must come back exactly as given.
    if isinstance(value, types.FunctionType):
        return staticmethod(value)
    return value


def _describe(base, param):
    lines = ['Parameterized test failed.', '',
             'Base test class: {}'.format(base.__qualname__),
             'Test parameters:']
    for key, value in sorted(param.items()):
        lines.append('  {}: {!r}'.format(key, value))
    return '\n'.join(lines)


def _parameterize_generator(params):
    params = [dict(p) for p in params]
    for p in params:
        for key in p:
            if not isinstance(key, str):
                raise TypeError(
                    'parameter names must be strings, got {!r}'.format(key))

    def generate(base):
        for index, param in enumerate(params):
            name = make_class_name(base.__name__, index, param)
            members = {key: _as_member(value) for key, value in param.items()}

            if issubclass(base, unittest.TestCase):
                def __str__(self, _param=param, _base=base):
                    return '{}  parameter: {}'.format(
                        _base.__str__(self), _param)
                members['__str__'] = __str__

            yield name, members, _make_method_wrapper(base, param)

    return generate


def _make_method_wrapper(base, param):
    def wrap(method):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            __tracebackhide__ = True  # NOQA: hide this frame in pytest
            try:
                return method(*args, **kwargs)
            except unittest.SkipTest:
                raise
            except Exception as e:
                # Attach the parameters to the failure report.  Only
                # possible on Python >= 3.11; earlier versions still show
                # them in the generated class name.
                add_note = getattr(e, 'add_note', None)
                if add_note is not None:
                    add_note(_describe(base, param))
                raise
        return wrapper
    return wrap


def parameterize(*params):
    """Class decorator generating one test class per parameter dict.

    Each dictionary's items become class attributes of the generated class
    (function values are stored as static methods so they are not bound).
    Works with :class:`unittest.TestCase` subclasses and with plain pytest
    test classes, and can be stacked (which yields the product of both
    parameter lists).

    Example::

        @parameterize({'dtype': numpy.float16}, {'dtype': numpy.float32})
        class TestFoo(unittest.TestCase):
            def test_bar(self):
                x = numpy.zeros(3, self.dtype)
    """
    return make_test_case_generator_decorator(
        _parameterize_generator(params))


def product_dict(*parameters):
    """Merged dicts of the Cartesian product of lists of dicts.

    ``product_dict([{'a': 1}, {'a': 2}], [{'b': 3}])`` gives
    ``[{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]``.  When dicts share a key, the
    one from the later list wins.
    """
    result = []
    for combination in itertools.product(*parameters):
        merged = {}
        for d in combination:
            merged.update(d)
        result.append(merged)
    return result


def product(parameter):
    """Cartesian product of parameters.

    Args:
        parameter: either a dict mapping each name to a list of values,
            giving every combination as a list of dicts (keys are iterated
            in sorted order, the last key varying fastest), or a list of
            lists of dicts, giving :func:`product_dict` of those lists.
    """
    if isinstance(parameter, dict):
        keys = sorted(parameter)
        return [dict(zip(keys, values)) for values in
                itertools.product(*[parameter[k] for k in keys])]
    if isinstance(parameter, list):
        for entry in parameter:
            if not isinstance(entry, list) or \
                    not all(isinstance(d, dict) for d in entry):
                raise TypeError(
                    'product() takes a dict of lists or a list of lists of '
                    'dicts; got an element {!r}'.format(entry))
        return product_dict(*parameter)
    raise TypeError(
        'product() takes a dict or a list, not {}'.format(
            type(parameter).__name__))


def from_pytest_parameterize(names, values):
    """Converts pytest-style ``(names, values)`` into a list of dicts.

    ``names`` is a comma-separated string or a sequence of names; with a
    single name, ``values`` is a list of plain values, otherwise a list of
    tuples.
    """
    if isinstance(names, str):
        names = [n.strip() for n in names.split(',') if n.strip()]
    names = list(names)
    if len(names) == 1:
        values = [(v,) for v in values]
    result = []
    for value in values:
        value = tuple(value)
        if len(value) != len(names):
            raise ValueError(
                'parameter values {!r} do not match names {!r}'.format(
                    value, names))
        result.append(dict(zip(names, value)))
    return result


def parameterize_pytest(names, values):
    """:func:`parameterize` taking ``pytest.mark.parametrize``'s arguments."""
    return parameterize(*from_pytest_parameterize(names, values))
