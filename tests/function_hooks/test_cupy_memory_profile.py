import io

import numpy
import pytest

import dynet
from dynet import function_hooks
from dynet.backends import cuda
from dynet.function_hooks import cupy_memory_profile


class FakeCounter:
    """Stands for the CuPy memory hook: the test moves the counters."""

    instances = []

    def __init__(self):
        self.used_bytes = 0
        self.acquired_bytes = 0
        self.users = 0
        self.active = False
        FakeCounter.instances.append(self)

    def __enter__(self):
        assert not self.active
        self.active = True

    def __exit__(self, *exc_info):
        assert self.active
        self.active = False


class Alloc(dynet.FunctionNode):
    """Pretends to take ``used`` bytes from the pool (``acquired`` of them
    new from the device) in forward and in backward."""

    def __init__(self, counter, used, acquired, inner=None):
        self.counter, self.used, self.acquired = counter, used, acquired
        self.inner = inner

    def _allocate(self):
        self.counter.used_bytes += self.used
        self.counter.acquired_bytes += self.acquired

    def forward(self, inputs):
        self._allocate()
        return inputs[0] + 1,

    def backward(self, indexes, grad_outputs):
        self._allocate()
        gy = grad_outputs[0].array
        if self.inner is not None:
            self.inner.apply((gy,))
        return dynet.Variable(gy.copy(), requires_grad=False),


@pytest.fixture
def fake_cupy(monkeypatch):
    FakeCounter.instances = []
    monkeypatch.setattr(cupy_memory_profile._cupy, 'require_cupy',
                        lambda what: object())
    monkeypatch.setattr(cupy_memory_profile, '_byte_counter_class',
                        lambda cupy: FakeCounter)


def test_needs_cupy_without_gpu():
    if cuda.available:
        pytest.skip('a GPU is present')
    with pytest.raises(RuntimeError, match='needs CuPy'):
        function_hooks.CupyMemoryProfileHook()


def test_name():
    assert function_hooks.CupyMemoryProfileHook.name == \
        'CupyMemoryProfileHook'


def test_counts_bytes_per_call(fake_cupy):
    hook = function_hooks.CupyMemoryProfileHook()
    counter = FakeCounter.instances[0]
    x = dynet.Variable(numpy.ones(2, dtype=numpy.float32))
    with hook:
        assert counter.active
        inner = Alloc(counter, 10, 0)
        y, = Alloc(counter, 100, 50, inner=inner).apply((x,))
        y.grad = numpy.ones(2, dtype=numpy.float32)
        y.backward()
    assert not counter.active
    # forward of the outer node, forward of the node its backward applies,
    # backward of the outer node (which includes the inner forward).
    assert hook.call_history == [('Alloc', 100, 50), ('Alloc', 10, 0),
                                 ('Alloc', 110, 50)]
    assert hook.total_used_bytes() == 210
    assert hook.total_acquired_bytes() == 100
    assert hook.summary() == {
        'Alloc': {'used_bytes': 220, 'acquired_bytes': 100,
                  'occurrence': 3}}


def test_local_registration_counts_users(fake_cupy):
    hook = function_hooks.CupyMemoryProfileHook()
    counter = FakeCounter.instances[0]
    first, second = Alloc(counter, 1, 1), Alloc(counter, 2, 2)
    first.add_hook(hook)
    second.add_hook(hook)
    assert counter.active and counter.users == 2
    first.delete_hook('CupyMemoryProfileHook')
    assert counter.active
    second.delete_hook('CupyMemoryProfileHook')
    assert not counter.active


def _report(hook, unit):
    out = io.StringIO()
    hook.print_report(unit=unit, file=out)
    return out.getvalue().splitlines()


def test_print_report(fake_cupy):
    hook = function_hooks.CupyMemoryProfileHook()
    hook.call_history = [('Linear', 3 * 1024 ** 2, 512),
                         ('ReLU', 1536, 0), ('Linear', 1024 ** 2, 0)]
    lines = _report(hook, 'auto')
    assert lines[0].split() == ['FunctionName', 'UsedBytes',
                                'AcquiredBytes', 'Occurrence']
    assert [line.split() for line in lines[1:]] == [
        ['Linear', '4.00MB', '0.00MB', '2'],
        ['ReLU', '0.00MB', '0.00MB', '1']]
    assert len({len(line) for line in lines}) == 1
    assert [line.split()[1:3] for line in _report(hook, 'auto_foreach')[1:]
            ] == [['4.00MB', '512.00B'], ['1.50KB', '0.00B']]
    assert [line.split()[1] for line in _report(hook, 'KB')[1:]] == [
        '4096.00KB', '1.50KB']
    with pytest.raises(ValueError, match='unit'):
        _report(hook, 'kb')
