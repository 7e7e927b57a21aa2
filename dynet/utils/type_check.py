"""Checking the types and shapes of a function's inputs.

``FunctionNode.check_type_forward(self, in_types)`` receives a
:class:`TypeInfoTuple` whose items describe the input arrays (``shape``,
``dtype``, ``ndim``, ``size``).  Conditions on them are written with ordinary
Python operators and handed to :func:`expect`::

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x', 'W'))
        x_type, w_type = in_types
        type_check.expect(
            x_type.dtype.kind == 'f',
            x_type.ndim >= 2,
            x_type.shape[1] == w_type.shape[1],
        )

A failing condition raises :class:`InvalidType` with a message such as::

    Expect: x.shape[1] == W.shape[1]
    Actual: 3 != 4

How it works
------------
The items of ``in_types`` are :class:`Variable` expressions.  Any operator,
attribute access, indexing or call applied to an expression builds a new
:class:`Expr` node.  Unlike a purely symbolic tree, every node computes its
value as soon as it is built, so :func:`expect` only has to look at a stored
truth value; text for messages is produced only when a condition fails.  If
computing a node raises (for example ``x.shape[3]`` on a 2-d input), the
exception is stored and reported only when that node is actually checked or
evaluated, so ``expect(x.ndim == 4, x.shape[3] == 1)`` reports the ``ndim``
condition for a 2-d ``x`` exactly as a lazily evaluated tree would.

Python's ``and``, ``or`` and ``not`` cannot be overloaded and would silently
drop conditions, so converting an expression to ``bool`` raises
``RuntimeError``.  Pass several conditions to :func:`expect` instead, combine
them with ``&`` / ``|`` (parenthesised), or use :func:`eval` to get plain
values and branch on them.

Light mode
----------
Inside ``with type_check.light_mode:`` the checks work on plain values:
:func:`get_light_types` hands the raw arrays (or :class:`TypeInfo` objects) to
the check, :func:`expect` just tests truth, :func:`eval` and
:func:`make_variable` return their argument and :func:`prod` returns a number.
This is the cheapest way to run a check that is expected to pass;
:func:`check_types` runs a check in light mode first and, only if that fails,
runs it again on expressions to produce a readable message.  This is the
protocol ``FunctionNode.apply`` is meant to use.
"""
import contextlib
import operator
import threading

import numpy


class _Local(threading.local):
    # Class-level defaults: reading them never raises AttributeError, which
    # would cost more than the rest of a small check.
    light_mode = False
    light_stack = None
    current_function = None


_thread_local = _Local()


# ---------------------------------------------------------------------------
# Type information
# ---------------------------------------------------------------------------

class TypeInfo(object):
    """Shape and dtype of one array (or of a missing one).

    Attributes:
        shape (tuple of int): Shape of the array.
        dtype (numpy.dtype or None): Its dtype; ``None`` stands for an input
            that was ``None`` (see ``accept_none`` of :func:`get_types`).
        ndim (int): ``len(shape)``.
    """

    __slots__ = ('shape', 'dtype', 'ndim')

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype
        self.ndim = len(shape)

    @property
    def size(self):
        """Number of elements (product of ``shape``; 1 for ``()``)."""
        n = 1
        for d in self.shape:
            n *= d
        return n

    def __repr__(self):
        return 'TypeInfo(shape={}, dtype={})'.format(self.shape, self.dtype)


class TypeInfoTuple(tuple):
    """Tuple of :class:`Variable` expressions describing a function's inputs.

    ``in_types[i]`` is an expression whose value is a :class:`TypeInfo`.  The
    tuple's :attr:`name` (``'in_types'`` for the inputs of
    ``check_type_forward``) is used in messages.
    """

    name = 'in_types'

    def size(self):
        """Expression for the number of items, shown as ``<name>.size()``."""
        return Variable(len(self), self.name + '.size()')


class LightTypeInfoTuple(tuple):
    """Tuple of raw arrays / :class:`TypeInfo` objects used in light mode."""

    name = 'in_types'

    def size(self):
        """Number of items (a plain ``int``)."""
        return len(self)


_NONE_TYPE = TypeInfo((), None)


def get_types(data, name, accept_none, shapes=None):
    """Describes arrays as a :class:`TypeInfoTuple` of expressions.

    Args:
        data (tuple): Arrays (NumPy, CuPy or anything with ``shape`` and
            ``dtype``), or ``None`` where ``accept_none`` is true.
        name (str): Name of the tuple in messages; item ``i`` is shown as
            ``name[i]`` until :func:`argname` renames it.
        accept_none (bool): Whether ``None`` items are allowed.  They are
            described as ``TypeInfo((), None)``.
        shapes (sequence of tuple, optional): Shapes to report instead of the
            arrays' own ``shape``.

    Returns:
        TypeInfoTuple: One :class:`Variable` per item.
    """
    # Objects are assembled slot by slot: no Python-level __init__ frames.
    new = object.__new__
    items = []
    append = items.append
    i = 0
    for x in data:
        if x is None:
            if not accept_none:
                raise TypeError(
                    'type check: {}[{}] is None, but an array is '
                    'required'.format(name, i))
            info = _NONE_TYPE
        else:
            info = new(TypeInfo)
            try:
                shape = x.shape if shapes is None else tuple(shapes[i])
                info.dtype = x.dtype
            except AttributeError:
                raise TypeError(
                    'type check: {}[{}] must be an array with shape and '
                    'dtype, not {}'.format(name, i, type(x).__name__))
            info.shape = shape
            info.ndim = len(shape)
        v = new(_InputVariable)
        v._value = info
        v._error = None
        v._base = name
        v._index = i
        v._custom = None
        append(v)
        i += 1
    result = tuple.__new__(TypeInfoTuple, items)
    result.name = name
    return result


def get_light_types(data, shapes=None, accept_none=False):
    """Light-mode counterpart of :func:`get_types`.

    Returns a :class:`LightTypeInfoTuple` holding the arrays themselves (they
    already have ``shape``, ``dtype``, ``ndim`` and ``size``), or
    :class:`TypeInfo` objects where ``shapes`` overrides the shapes or an
    item is ``None`` and ``accept_none`` is true.
    """
    if shapes is not None:
        data = [None if x is None else TypeInfo(tuple(s), x.dtype)
                for x, s in zip(data, shapes)]
    if accept_none:
        data = [_NONE_TYPE if x is None else x for x in data]
    return tuple.__new__(LightTypeInfoTuple, data)


# ---------------------------------------------------------------------------
# Light mode
# ---------------------------------------------------------------------------

def in_light_mode():
    """Whether the current thread is inside ``light_mode``."""
    return _thread_local.light_mode


class LightMode(object):
    """Context manager switching the current thread to light mode.

    Use the module-level instance: ``with type_check.light_mode:`` (calling
    it, ``with type_check.light_mode():``, works too).  Nesting is allowed.
    """

    def __call__(self):
        return self

    def __enter__(self):
        stack = _thread_local.light_stack
        if stack is None:
            stack = _thread_local.light_stack = []
        stack.append(in_light_mode())
        _thread_local.light_mode = True
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        _thread_local.light_mode = _thread_local.light_stack.pop()


light_mode = LightMode()


# ---------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------

# Binding strength, following Python's operator precedence.
_PRI_COMPARE = 0
_PRI_OR = 1
_PRI_XOR = 2
_PRI_AND = 3
_PRI_SHIFT = 4
_PRI_ADD = 5
_PRI_MUL = 6
_PRI_UNARY = 7
_PRI_POW = 8
_PRI_ATOM = 9


class _Propagated(Exception):
    """Carries a sub-expression's stored error to the node being built."""

    def __init__(self, error):
        Exception.__init__(self)
        self.error = error


def _ev(x):
    """Value of an operand (expression, raw value, or a container of them)."""
    if isinstance(x, Expr):
        error = x._error
        if error is not None:
            raise _Propagated(error)
        return x._value
    t = type(x)
    if t is tuple or t is list:
        return t([_ev(v) for v in x])
    if t is slice:
        return slice(_ev(x.start), _ev(x.stop), _ev(x.step))
    return x


def _repr(x):
    """Source-like text of an operand nested inside an expression."""
    if isinstance(x, Expr):
        return str(x)
    t = type(x)
    if t is tuple:
        if len(x) == 1:
            return '({},)'.format(_repr(x[0]))
        return '({})'.format(', '.join([_repr(v) for v in x]))
    if t is list:
        return '[{}]'.format(', '.join([_repr(v) for v in x]))
    if isinstance(x, numpy.generic):
        return str(x)
    return repr(x)


def _wrapped(x, priority):
    """``_repr(x)``, parenthesised if ``x`` binds less tightly than needed."""
    s = _repr(x)
    if isinstance(x, Expr):
        if x.priority < priority:
            return '(' + s + ')'
    elif s[:1] == '-' and priority > _PRI_UNARY:
        # A negative literal reads like unary minus: (-2) ** x.
        return '(' + s + ')'
    return s


def _subscript(key):
    if key is Ellipsis:
        return '...'
    t = type(key)
    if t is slice:
        parts = ['' if v is None else _repr(v)
                 for v in (key.start, key.stop)]
        if key.step is not None:
            parts.append(_repr(key.step))
        return ':'.join(parts)
    if t is tuple:
        if len(key) == 1:
            return _subscript(key[0]) + ','
        return ', '.join([_subscript(k) for k in key])
    return _repr(key)


class Expr(object):
    """An expression over type information, with its value already computed.

    Operators (``+ - * / // % ** << >> & | ^``, unary ``- + ~``, comparisons),
    attribute access, indexing and calls on an ``Expr`` return new ``Expr``
    nodes.  ``str(expr)`` gives source-like text (``x.shape[1] * 2``);
    :meth:`eval` returns the value.

    Converting an ``Expr`` to ``bool`` (``and``, ``or``, ``not``, ``if``)
    raises ``RuntimeError``, because those operators cannot be captured and
    would silently lose conditions.
    """

    __slots__ = ('_value', '_error')

    priority = _PRI_ATOM

    def __init__(self, priority=None):
        if priority is not None:
            self.priority = priority
        self._value = None
        self._error = None

    def _set_error(self, e):
        self._value = None
        self._error = e.error if type(e) is _Propagated else e

    def eval(self):
        """Returns the value of the expression.

        If computing it failed, the original exception is raised.
        """
        error = self._error
        if error is not None:
            raise error
        return self._value

    def __getattr__(self, name):
        if name[:1] == '_':
            # Protocol probes (``__array__``, ``__deepcopy__`` ...) and
            # unset internal slots are not attributes of the described
            # object.
            raise AttributeError(name)
        return GetAttr(self, name)

    def __getitem__(self, key):
        if type(key) is not int:
            return GetItem(self, key)
        # Same as GetItem(self, key) for the common ``shape[i]``, without
        # the constructor's frame.
        node = _new_object(GetItem)
        node._obj = self
        node._key = key
        error = self._error
        if error is None:
            try:
                node._value = self._value[key]
                node._error = None
            except Exception as e:
                node._value = None
                node._error = e
        else:
            node._value = None
            node._error = error
        return node

    def __call__(self, *args, **kwargs):
        return Call(self, args, kwargs)

    def __bool__(self):
        raise RuntimeError(
            'A type_check expression ({}) cannot be converted to bool. '
            'Python\'s "and", "or", "not" and "if" do not work on '
            'expressions: pass the conditions to type_check.expect() as '
            'separate arguments, combine them with "&" / "|", or get plain '
            'values with type_check.eval().'.format(self))

    def __len__(self):
        raise TypeError(
            'len() of a type_check expression ({}) is not supported; use '
            '.ndim, in_types.size() or type_check.eval()'.format(self))

    def __iter__(self):
        raise TypeError(
            'a type_check expression ({}) cannot be iterated or unpacked; '
            'index it (expr[0]) or use type_check.eval()'.format(self))

    # NumPy scalars and dtypes must let our reflected operators run.
    __array_ufunc__ = None
    __array_priority__ = 1000

    __hash__ = object.__hash__

    def __repr__(self):
        return '<{} {}>'.format(type(self).__name__, self)

    # Comparisons (__eq__ ... __ge__) are attached after BoolBinaryOperator.

    # Unary operators
    def __neg__(self):
        return UnaryOperator(_PRI_UNARY, self, '-', operator.neg)

    def __pos__(self):
        return UnaryOperator(_PRI_UNARY, self, '+', operator.pos)

    def __invert__(self):
        return UnaryOperator(_PRI_UNARY, self, '~', operator.invert)


def _binary(symbol, priority, func, right_associative=False):
    def forward(self, other):
        return BinaryOperator(
            priority, self, other, symbol, func, right_associative)

    def reflected(self, other):
        return BinaryOperator(
            priority, other, self, symbol, func, right_associative)

    return forward, reflected


for _names, _symbol, _priority, _func in (
        (('__add__', '__radd__'), '+', _PRI_ADD, operator.add),
        (('__sub__', '__rsub__'), '-', _PRI_ADD, operator.sub),
        (('__mul__', '__rmul__'), '*', _PRI_MUL, operator.mul),
        (('__truediv__', '__rtruediv__'), '/', _PRI_MUL, operator.truediv),
        (('__floordiv__', '__rfloordiv__'), '//', _PRI_MUL,
         operator.floordiv),
        (('__mod__', '__rmod__'), '%', _PRI_MUL, operator.mod),
        (('__lshift__', '__rlshift__'), '<<', _PRI_SHIFT, operator.lshift),
        (('__rshift__', '__rrshift__'), '>>', _PRI_SHIFT, operator.rshift),
        (('__and__', '__rand__'), '&', _PRI_AND, operator.and_),
        (('__xor__', '__rxor__'), '^', _PRI_XOR, operator.xor),
        (('__or__', '__ror__'), '|', _PRI_OR, operator.or_)):
    _f, _r = _binary(_symbol, _priority, _func)
    setattr(Expr, _names[0], _f)
    setattr(Expr, _names[1], _r)
Expr.__pow__, Expr.__rpow__ = _binary('**', _PRI_POW, operator.pow, True)
del _names, _symbol, _priority, _func, _f, _r


def _attribute(name):
    def get(self):
        # Same as GetAttr(self, name), without the constructor's frames.
        node = _new_object(GetAttr)
        node._obj = self
        node._name = name
        error = self._error
        if error is None:
            try:
                node._value = getattr(self._value, name)
                node._error = None
            except Exception as e:
                node._value = None
                node._error = e
        else:
            node._value = None
            node._error = error
        return node
    return property(get, doc='Expression for ``.{}`` of the value.'.format(
        name))


_new_object = object.__new__


# The attributes checks use most are real properties: a name found on the
# class avoids the AttributeError that precedes every ``__getattr__`` call,
# which would otherwise dominate the cost of a check.
for _name in ('shape', 'dtype', 'ndim', 'size', 'kind', 'itemsize', 'char',
              'name', 'type', 'num', 'names', 'fields', 'base', 'subdtype',
              'real', 'imag', 'T'):
    setattr(Expr, _name, _attribute(_name))
del _name


class Atom(Expr):
    """Base of expressions that never need parentheses."""

    __slots__ = ()
    priority = _PRI_ATOM


class Constant(Atom):
    """A literal value; shown as its ``repr``."""

    __slots__ = ()

    def __init__(self, value):
        self._value = value
        self._error = None

    @property
    def value(self):
        return self._value

    def __str__(self):
        return _repr(self._value)


class Variable(Atom):
    """A named value, shown by its name (``Variable(self.k, 'k')``).

    Wrap attributes of a function with it (or with :func:`make_variable`) so
    that messages say ``x.shape[0] == k`` rather than ``x.shape[0] == 3``.
    """

    __slots__ = ('name',)

    def __init__(self, value, name):
        self._value = value
        self._error = None
        self.name = name

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, value):
        self._value = value

    def __str__(self):
        return str(self.name)


class _InputVariable(Variable):
    """Item ``i`` of :func:`get_types`; its name ``base[i]`` is made lazily."""

    __slots__ = ('_base', '_index', '_custom')

    def __init__(self, value, base, index):
        self._value = value
        self._error = None
        self._base = base
        self._index = index
        self._custom = None

    @property
    def name(self):
        custom = self._custom
        if custom is not None:
            return custom
        return '{}[{}]'.format(self._base, self._index)

    @name.setter
    def name(self, name):
        self._custom = name

    def __str__(self):
        return self.name


class GetAttr(Atom):
    """``obj.name``."""

    __slots__ = ('_obj', '_name')

    def __init__(self, obj, name):
        self._obj = obj
        self._name = name
        try:
            self._value = getattr(_ev(obj), _ev(name))
            self._error = None
        except Exception as e:
            self._set_error(e)

    def __str__(self):
        name = self._name
        if isinstance(name, Constant):
            name = name.value
        if isinstance(name, str):
            return '{}.{}'.format(_wrapped(self._obj, _PRI_ATOM), name)
        return 'getattr({}, {})'.format(_repr(self._obj), _repr(name))


class GetItem(Atom):
    """``obj[key]``; ``key`` may be an int, slice, tuple or expression."""

    __slots__ = ('_obj', '_key')

    def __init__(self, obj, key):
        self._obj = obj
        self._key = key
        try:
            if type(key) is int and isinstance(obj, Expr):
                error = obj._error
                if error is not None:
                    raise _Propagated(error)
                self._value = obj._value[key]
            else:
                self._value = _ev(obj)[_ev(key)]
            self._error = None
        except Exception as e:
            self._set_error(e)

    def __str__(self):
        return '{}[{}]'.format(
            _wrapped(self._obj, _PRI_ATOM), _subscript(self._key))


class Call(Atom):
    """``obj(*args, **kwargs)``."""

    __slots__ = ('_obj', '_args', '_kwargs')

    def __init__(self, obj, args, kwargs=None):
        self._obj = obj
        self._args = tuple(args)
        self._kwargs = kwargs or {}
        try:
            func = _ev(obj)
            values = [_ev(a) for a in self._args]
            if self._kwargs:
                self._value = func(*values, **{
                    k: _ev(v) for k, v in self._kwargs.items()})
            else:
                self._value = func(*values)
            self._error = None
        except Exception as e:
            self._set_error(e)

    def __str__(self):
        parts = [_repr(a) for a in self._args]
        parts.extend('{}={}'.format(k, _repr(v))
                     for k, v in self._kwargs.items())
        return '{}({})'.format(_wrapped(self._obj, _PRI_ATOM),
                               ', '.join(parts))


class UnaryOperator(Expr):
    """A prefix operator such as ``-x``."""

    __slots__ = ('priority', 'term', 'exp', 'func')

    def __init__(self, priority, term, exp, func):
        self.priority = priority
        self.term = term
        self.exp = exp
        self.func = func
        try:
            self._value = func(_ev(term))
            self._error = None
        except Exception as e:
            self._set_error(e)

    def __str__(self):
        return self.exp + _wrapped(self.term, self.priority)


class BinaryOperator(Expr):
    """An infix operator such as ``x * 2``."""

    __slots__ = ('priority', 'lhs', 'rhs', 'exp', 'func', 'right_associative')

    def __init__(self, priority, lhs, rhs, exp, func,
                 right_associative=False):
        self.priority = priority
        self.lhs = lhs
        self.rhs = rhs
        self.exp = exp
        self.func = func
        self.right_associative = right_associative
        try:
            self._value = func(_ev(lhs), _ev(rhs))
            self._error = None
        except Exception as e:
            self._set_error(e)

    def __str__(self):
        p = self.priority
        if self.right_associative:
            left = _wrapped(self.lhs, p + 1)
            right = _wrapped(self.rhs, p)
        else:
            left = _wrapped(self.lhs, p)
            right = _wrapped(self.rhs, p + 1)
        return '{} {} {}'.format(left, self.exp, right)

    def _actual(self):
        return '{} {} {}'.format(
            _ev(self.lhs), self.exp, _ev(self.rhs))


class Testable(object):
    """Mixin of expressions that :func:`expect` checks with a tailored
    message."""

    __slots__ = ()

    def expect(self):
        raise NotImplementedError


class BoolBinaryOperator(BinaryOperator, Testable):
    """A comparison (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``).

    ``inv`` is the negated operator, used in the *Actual* line of messages
    (``3 != 4`` for a failed ``==``).
    """

    __slots__ = ('inv',)

    # Class-level values shadow BinaryOperator's slots (never assigned here).
    priority = _PRI_COMPARE
    right_associative = False

    def __init__(self, lhs, rhs, exp, inv, func):
        self.lhs = lhs
        self.rhs = rhs
        self.exp = exp
        self.func = func
        self.inv = inv
        try:
            # Inlined _ev() for the usual operands (an expression and a
            # plain value, or two expressions).
            if isinstance(lhs, Expr):
                error = lhs._error
                if error is not None:
                    raise _Propagated(error)
                left = lhs._value
            else:
                left = _ev(lhs)
            if isinstance(rhs, Expr):
                error = rhs._error
                if error is not None:
                    raise _Propagated(error)
                right = rhs._value
            elif type(rhs) is int or type(rhs) is str:
                right = rhs
            else:
                right = _ev(rhs)
            self._value = func(left, right)
            self._error = None
        except Exception as e:
            self._set_error(e)

    def __str__(self):
        # Comparisons do not associate (``a == b == c`` is a chain), so
        # nested comparisons are always parenthesised.
        p = _PRI_COMPARE + 1
        return '{} {} {}'.format(
            _wrapped(self.lhs, p), self.exp, _wrapped(self.rhs, p))

    def expect(self):
        """Raises :class:`InvalidType` unless the comparison holds."""
        _check(self)

    def _expect_text(self):
        # At the top level the operands are shown with ``str`` (so a dtype
        # kind reads ``== f``, not ``== 'f'``).
        p = _PRI_COMPARE + 1
        left = self.lhs
        right = self.rhs
        left = (_wrapped(left, p) if isinstance(left, Expr)
                else str(left))
        right = (_wrapped(right, p) if isinstance(right, Expr)
                 else str(right))
        return '{} {} {}'.format(left, self.exp, right)

    def _actual(self):
        return '{} {} {}'.format(_ev(self.lhs), self.inv, _ev(self.rhs))


Bool = BoolBinaryOperator


def _comparison(exp, inv, func):
    def compare(self, other):
        # Same as BoolBinaryOperator(self, other, exp, inv, func), built
        # without constructor frames since checks are mostly comparisons.
        node = _new_object(BoolBinaryOperator)
        node.lhs = self
        node.rhs = other
        node.exp = exp
        node.inv = inv
        node.func = func
        error = self._error
        if error is None:
            if isinstance(other, Expr):
                error = other._error
                right = other._value
            elif type(other) is int or type(other) is str:
                right = other
            else:
                try:
                    right = _ev(other)
                except _Propagated as p:
                    error = p.error
        if error is None:
            try:
                node._value = func(self._value, right)
                node._error = None
            except Exception as e:
                node._value = None
                node._error = e
        else:
            node._value = None
            node._error = error
        return node
    compare.__name__ = func.__name__
    return compare


for _name, _exp, _inv, _func in (
        ('__eq__', '==', '!=', operator.eq),
        ('__ne__', '!=', '==', operator.ne),
        ('__lt__', '<', '>=', operator.lt),
        ('__le__', '<=', '>', operator.le),
        ('__gt__', '>', '<=', operator.gt),
        ('__ge__', '>=', '<', operator.ge)):
    setattr(Expr, _name, _comparison(_exp, _inv, _func))
del _name, _exp, _inv, _func


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------

def _current_check_context():
    return _thread_local.current_function


def _label_of(function):
    if isinstance(function, str):
        return function
    return getattr(function, 'label', type(function).__name__)


class InvalidType(TypeError):
    """Raised when the inputs of a function fail its type check.

    Args:
        expect (str): What was expected (``x.ndim == 2``).
        actual (str): What was found (``3 != 2``).
        msg (str, optional): Full message; by default it is::

            Expect: <expect>
            Actual: <actual>

            preceded by a header naming the function when raised inside
            :func:`get_function_check_context`.

    It is a ``TypeError``, so ``except TypeError`` catches it too.  Use
    :meth:`with_function_name` to add the header that names the function.
    """

    def __init__(self, expect, actual, msg=None):
        if msg is None:
            body = 'Expect: {}\nActual: {}'.format(expect, actual)
            context = _current_check_context()
            if context is not None:
                function, direction = context
                self._body = body
                msg = _header(_label_of(function), direction) + body
            else:
                msg = body
        TypeError.__init__(self, msg)
        self.expect = expect
        self.actual = actual

    @property
    def body(self):
        """The message without the function-name header."""
        body = self.__dict__.get('_body')
        if body is None:
            body = self.args[0] if self.args else ''
        return body

    def with_function_name(self, label, direction='Forward'):
        """Returns a copy whose message names the failing function.

        ``FunctionNode.apply`` uses it as::

            except type_check.InvalidType as e:
                raise e.with_function_name(self.label) from None

        giving ``str()`` like::

            \\nInvalid operation is performed in: Linear (Forward)\\n\\n
            Expect: x.dtype.kind == f\\nActual: i != f

        A header already present is replaced, not repeated.

        Args:
            label (str): Name of the function (``FunctionNode.label``).
            direction (str): ``'Forward'`` or ``'Backward'``.
        """
        body = self.body
        error = InvalidType(
            self.expect, self.actual, msg=_header(label, direction) + body)
        error._body = body
        return error

    def __reduce__(self):
        return (type(self), (self.expect, self.actual, str(self)),
                self.__dict__)


def _header(label, direction):
    return '\nInvalid operation is performed in: {} ({})\n\n'.format(
        label, direction)


@contextlib.contextmanager
def get_function_check_context(function, direction='Forward'):
    """While active, :class:`InvalidType` messages name ``function``.

    ``function`` is a string or an object with a ``label`` attribute.
    """
    previous = _current_check_context()
    _thread_local.current_function = (function, direction)
    try:
        yield
    finally:
        _thread_local.current_function = previous


def _failure(expr):
    """InvalidType describing a failed or broken condition ``expr``."""
    error = expr._error
    if error is not None:
        text = (expr._expect_text() if isinstance(expr, BoolBinaryOperator)
                else str(expr))
        exc = InvalidType(
            text, '{}: {}'.format(type(error).__name__, error))
        exc.__cause__ = error
        return exc
    if isinstance(expr, BoolBinaryOperator):
        return InvalidType(expr._expect_text(), expr._actual())
    if isinstance(expr, BinaryOperator):
        return InvalidType(str(expr), expr._actual())
    return InvalidType(str(expr), str(expr._value))


def _check(expr):
    if expr._error is not None or not expr._value:
        raise _failure(expr)


# ---------------------------------------------------------------------------
# Checking API
# ---------------------------------------------------------------------------

def expect(*bool_exprs):
    """Checks conditions in order; raises :class:`InvalidType` at the first
    one that does not hold.

    Conditions are normally comparisons built from ``in_types``
    (``x_type.ndim == 2``); any :class:`Expr` whose value is truthy, and
    plain ``bool`` values, are accepted too.  A condition whose computation
    failed (``x.shape[3]`` of a 2-d array) is reported as an
    :class:`InvalidType` naming the error, chained to the original exception.
    """
    if _thread_local.light_mode:
        for i, e in enumerate(bool_exprs):
            if isinstance(e, Expr):
                _check(e)
            elif not e:
                raise InvalidType(
                    'condition #{} of expect() holds'.format(i), 'False')
        return
    for i, e in enumerate(bool_exprs):
        if isinstance(e, Expr):
            if e._error is not None or not e._value:
                raise _failure(e)
        elif not e:
            raise InvalidType(
                'condition #{} of expect() holds'.format(i), repr(e))


def eval(exp):
    """Value of an expression; other values (light mode) are returned as
    they are.  Tuples and lists are evaluated item by item."""
    if isinstance(exp, Expr):
        return exp.eval()
    t = type(exp)
    if t is tuple or t is list:
        return t([eval(v) for v in exp])
    return exp


def make_variable(value, name):
    """``Variable(value, name)``, or ``value`` itself in light mode."""
    if _thread_local.light_mode:
        return value
    return Variable(value, name)


def _prod_impl(xs):
    result = 1
    for x in xs:
        result *= x
    return result


_prod = Variable(_prod_impl, 'prod')


def prod(xs):
    """Product of a sequence expression, shown as ``prod(...)``; a number in
    light mode.  ``prod(())`` is 1."""
    if _thread_local.light_mode and not isinstance(
            xs, Expr):
        return _prod_impl(xs)
    return Call(_prod, (xs,))


def argname(in_types, names):
    """Gives the items of ``in_types`` readable names for messages.

    Raises :class:`InvalidType` if ``len(in_types) != len(names)``.  In light
    mode only the length is checked.
    """
    if len(in_types) != len(names):
        raise InvalidType(
            '{} argument(s) ({})'.format(len(names), ', '.join(names)),
            '{} argument(s)'.format(len(in_types)))
    for in_type, name in zip(in_types, names):
        if isinstance(in_type, Variable):
            in_type.name = name


_argname = argname


def same_types(*arrays):
    """True if all arrays are NumPy arrays, or all are CuPy arrays (or all
    ChainerX arrays).  CuPy is recognised without importing it."""
    kind = None
    for x in arrays:
        if isinstance(x, numpy.ndarray):
            k = 'numpy'
        else:
            k = type(x).__module__.partition('.')[0]
            if k not in ('cupy', 'chainerx'):
                return False
        if kind is None:
            kind = k
        elif k != kind:
            return False
    return True


def _broadcast_shape(shapes):
    """NumPy broadcast of ``shapes``, or ``None`` if they do not broadcast."""
    ndim = max([len(s) for s in shapes]) if shapes else 0
    result = []
    for axis in range(-1, -ndim - 1, -1):
        size = 1
        for s in shapes:
            if -axis <= len(s):
                d = s[axis]
                if d != 1:
                    if size == 1:
                        size = d
                    elif d != size:
                        return None
        result.append(size)
    return tuple(reversed(result))


def expect_broadcast_shapes(*shape_types, **kwargs):
    """Checks that shapes broadcast together under NumPy's rules.

    Args:
        shape_types: Shape expressions (``x_type.shape``) or plain tuples.
        allow_none (bool): If true, ``None`` entries (or expressions whose
            value is ``None``) are skipped.

    Raises:
        InvalidType: listing every shape when they do not broadcast.
    """
    allow_none = kwargs.pop('allow_none', False)
    if kwargs:
        raise TypeError('unexpected keyword argument(s): {}'.format(
            ', '.join(sorted(kwargs))))
    pairs = []
    for s in shape_types:
        value = eval(s)
        if value is None and allow_none:
            continue
        pairs.append((s, tuple(value)))
    if _broadcast_shape([v for _, v in pairs]) is not None:
        return
    lines = ['cannot broadcast inputs of the following shapes:']
    for s, v in pairs:
        lines.append('{} = {}'.format(s, v))
    error = InvalidType(
        'shapes that broadcast together: ' + ', '.join(
            str(s) for s, _ in pairs),
        ', '.join(str(v) for _, v in pairs),
        msg='\n'.join(lines))
    context = _current_check_context()
    if context is not None:
        error = error.with_function_name(_label_of(context[0]), context[1])
    raise error


def check_types(check, data, label, direction='Forward', name='in_types',
                accept_none=False, shapes=None):
    """Runs ``check(in_types)`` the way ``FunctionNode.apply`` should.

    The check first runs in light mode on the raw arrays (no expression
    objects).  Only if that raises, it runs again on :func:`get_types`
    expressions, so that a real failure is reported as an
    :class:`InvalidType` whose message names ``label``::

        type_check.check_types(self.check_type_forward, in_data, self.label)

    Args:
        check (callable): ``check_type_forward`` (or a backward check).
        data (tuple): The arrays.
        label (str): Function name for the message header.
        direction (str): ``'Forward'`` or ``'Backward'``.
        name (str): Name of the tuple in messages.
        accept_none (bool): See :func:`get_types`.
        shapes: See :func:`get_types`.
    """
    local = _thread_local
    previous = local.light_mode
    local.light_mode = True
    try:
        check(get_light_types(data, shapes, accept_none))
        return
    except Exception:
        pass
    finally:
        local.light_mode = previous
    in_types = get_types(data, name, accept_none, shapes)
    with get_function_check_context(label, direction):
        try:
            check(in_types)
        except InvalidType as e:
            raise e.with_function_name(label, direction) from e.__cause__
