"""ConcatWithAsyncTransfer: the results of concat_examples; synchronous on
the CPU. The GPU path is exercised with a fake device whose ``xp`` stands
in for CuPy (streams, events, pinned memory are recorded)."""
import types

import numpy
import pytest

from dynet import backend
from dynet.dataset import convert
from dynet.dataset.convert import ConcatWithAsyncTransfer, concat_examples
from dynet.iterators import SerialIterator
from dynet import optimizers
from dynet.training import StandardUpdater
import dynet.links as L


def _batches():
    rng = numpy.random.RandomState(0)
    arrays = [rng.randn(3).astype(numpy.float32) for _ in range(4)]
    tuples = [(a, numpy.int32(i)) for i, a in enumerate(arrays)]
    dicts = [{'x': a, 'y': a * 2} for a in arrays]
    return [arrays, tuples, dicts]


def _assert_same(a, b):
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for u, v in zip(a, b):
            _assert_same(u, v)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys()
        for key in a:
            _assert_same(a[key], b[key])
    else:
        assert type(a) is type(b) and a.dtype == b.dtype
        numpy.testing.assert_array_equal(a, b)


@pytest.mark.parametrize('device', [None, -1, '@numpy',
                                    backend.CpuDevice()])
def test_cpu_results_equal_concat_examples(device):
    converter = ConcatWithAsyncTransfer()
    for batch in _batches():
        _assert_same(converter(batch, device), concat_examples(batch, device))
    assert converter._stream is None   # nothing CUDA was touched


def test_padding_and_empty_batch():
    batch = [numpy.ones(2, 'f'), numpy.ones(3, 'f')]
    converter = ConcatWithAsyncTransfer()
    _assert_same(converter(batch, padding=-1),
                 concat_examples(batch, padding=-1))
    with pytest.raises(ValueError, match='empty'):
        converter([])


def test_used_as_updater_converter():
    x = numpy.random.RandomState(0).randn(8, 3).astype(numpy.float32)
    t = numpy.arange(8, dtype=numpy.int32) % 2
    model = L.Classifier(L.Linear(3, 2))
    optimizer = optimizers.SGD().setup(model)
    updater = StandardUpdater(SerialIterator(list(zip(x, t)), 4), optimizer,
                              converter=ConcatWithAsyncTransfer(), device=-1)
    updater.update()
    assert updater.iteration == 1
    assert convert.call_converter(ConcatWithAsyncTransfer(),
                                  [(x[0], t[0])], None)[0].shape == (1, 3)


# ------------------------------------------------------------ fake GPU
class _FakeArray(numpy.ndarray):
    """What ``cupy.empty`` returns here: ``set`` copies from the host."""

    def set(self, source, stream=None):
        _LOG.append(('set', stream, isinstance(source, numpy.ndarray)))
        self[...] = source


_LOG = []


class _Event:
    def __init__(self):
        self.synchronized = False

    def synchronize(self):
        self.synchronized = True
        _LOG.append(('event.synchronize',))


class _Stream:
    def __init__(self, non_blocking=False):
        _LOG.append(('new stream', non_blocking))
        self.waited = []

    def synchronize(self):
        _LOG.append(('stream.synchronize', self))

    def record(self):
        event = _Event()
        _LOG.append(('record', self))
        return event

    def wait_event(self, event):
        self.waited.append(event)


def _fake_xp():
    def empty(shape, dtype):
        return numpy.empty(shape, dtype).view(_FakeArray)

    def alloc_pinned_memory(nbytes):
        _LOG.append(('pinned', nbytes))
        return bytearray(nbytes)

    cuda = types.SimpleNamespace(Stream=_Stream,
                                 alloc_pinned_memory=alloc_pinned_memory)
    return types.SimpleNamespace(cuda=cuda, empty=empty)


class _FakeGpu(backend.Device):
    def __init__(self, index):
        self.index = index
        self.xp = _fake_xp()

    @property
    def name(self):
        return '@fake:{}'.format(self.index)

    def __eq__(self, other):
        return isinstance(other, _FakeGpu) and other.index == self.index

    def __hash__(self):
        return hash(self.name)


def test_gpu_path_synchronizes_without_compute_stream():
    del _LOG[:]
    converter = ConcatWithAsyncTransfer()
    device = _FakeGpu(0)
    for batch in _batches():
        result = converter(batch, device)
        expected = concat_examples(batch)
        _assert_same(_as_plain(result), expected)
    kinds = [entry[0] for entry in _LOG]
    assert kinds.count('new stream') == 1          # created once, lazily
    assert ('new stream', True) in _LOG
    assert kinds.count('stream.synchronize') == 3  # one per call
    sets = [entry for entry in _LOG if entry[0] == 'set']
    assert sets and all(entry[1] is converter._stream and entry[2]
                        for entry in sets)
    with pytest.raises(ValueError, match='another instance'):
        converter(_batches()[0], _FakeGpu(1))


def test_gpu_path_with_compute_stream_uses_events():
    del _LOG[:]
    copy_stream = _Stream()
    compute = _Stream()
    converter = ConcatWithAsyncTransfer(stream=copy_stream,
                                        compute_stream=compute)
    device = _FakeGpu(0)
    batch = _batches()[1]
    for _ in range(4):
        _assert_same(_as_plain(converter(batch, device)),
                     concat_examples(batch))
    kinds = [entry[0] for entry in _LOG]
    assert kinds.count('new stream') == 2          # only the test's two
    assert 'stream.synchronize' not in kinds       # the host never waits
    assert len(compute.waited) == 4
    # The host buffers of the last two calls are kept; older ones were
    # let go only after their copies completed.
    assert len(converter._in_flight) == 2
    assert [e.synchronized for e in compute.waited] == [True, True, False,
                                                        False]


def _as_plain(result):
    if isinstance(result, tuple):
        return tuple(numpy.asarray(a) for a in result)
    if isinstance(result, dict):
        return {k: numpy.asarray(a) for k, a in result.items()}
    return numpy.asarray(result)
