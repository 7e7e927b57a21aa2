"""Ready-made function hooks (``chainer.function_hooks``).

None of them imports CuPy unless it meets a CuPy array (or, for
:class:`CupyMemoryProfileHook`, is created).
"""
from dynet.function_hooks.cupy_memory_profile import (  # NOQA
    CupyMemoryProfileHook)
from dynet.function_hooks.debug_print import PrintHook  # NOQA
from dynet.function_hooks.timer import TimerHook  # NOQA
