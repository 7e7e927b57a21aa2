"""Trainer extensions: callables run by the trainer on a trigger."""

PRIORITY_WRITER = 300
PRIORITY_EDITOR = 200
PRIORITY_READER = 100


class Extension:
    """Base class of extensions.

    Attributes (class defaults, overridable per instance):
        trigger: when to run, e.g. ``(1, 'iteration')`` or ``(1, 'epoch')``.
        priority: higher runs first in an iteration (writers, editors,
            readers).
        name: the name under which the trainer registers it (default:
            ``default_name``, the class name).
    """

    trigger = 1, 'iteration'
    priority = PRIORITY_READER
    name = None

    @property
    def default_name(self):
        return type(self).__name__

    def __call__(self, trainer):
        raise NotImplementedError

    def initialize(self, trainer):
        """Called once before the loop (also when resuming)."""

    def on_error(self, trainer, exc, tb):
        """Called when the loop raises, before finalize."""

    def finalize(self):
        """Called once after the loop, even on error."""

    def serialize(self, serializer):
        """Saves or loads the extension's state."""


def make_extension(trigger=None, default_name=None, priority=None,
                   finalizer=None, initializer=None, on_error=None,
                   **kwargs):
    """Decorator turning a function ``f(trainer)`` into an extension with
    the given attributes."""
    if kwargs:
        raise TypeError('make_extension: unexpected arguments {}'.format(
            sorted(kwargs)))
    if trigger is None:
        trigger = Extension.trigger
    if priority is None:
        priority = Extension.priority

    def decorator(ext):
        ext.trigger = trigger
        ext.default_name = default_name or ext.__name__
        ext.priority = priority
        ext.finalize = finalizer
        ext.initialize = initializer
        ext.on_error = on_error
        return ext
    return decorator
