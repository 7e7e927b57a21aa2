"""PickleDataset: examples pickled one after another in a single file.

``PickleDatasetWriter`` appends pickles to a file; ``PickleDataset`` finds
where each one starts once, when it is opened, and then unpickles example
``i`` on demand, so a dataset larger than memory can be read at random.

Sharing an open dataset with worker processes is safe: a file opened with
``open`` is read with ``os.pread`` at the record's offset, which never
touches the file position that a forked child shares with its parent, and
other readers are read under a lock that each process re-creates after a
fork (calling the reader's ``after_fork()`` there, when it has one). A
dataset over a named file can be pickled (for ``spawn``-started workers):
the copy reopens the file by name.
"""
import io
import os
import pickle
import threading

from dynet.dataset.dataset_mixin import DatasetMixin
from dynet.serializers._atomic import atomic_write

__all__ = ['PickleDataset', 'PickleDatasetWriter', 'open_pickle_dataset',
           'open_pickle_dataset_writer']


class PickleDatasetWriter:
    """Writes examples for a :class:`PickleDataset`.

    Args:
        writer: a binary file object with ``write`` (Chainer also asks
            for ``tell``, which is not needed here).
        protocol (int): the :mod:`pickle` protocol.
    """

    def __init__(self, writer, protocol=pickle.HIGHEST_PROTOCOL):
        if not callable(getattr(writer, 'write', None)):
            raise TypeError(
                'PickleDatasetWriter: writer must be a binary file object '
                'with write(), got {}'.format(type(writer).__name__))
        if isinstance(writer, io.TextIOBase):
            raise TypeError('PickleDatasetWriter: writer must be opened in '
                            "binary mode ('wb'), got a text file")
        if not isinstance(protocol, int) or \
                not -1 <= protocol <= pickle.HIGHEST_PROTOCOL:
            raise ValueError(
                'PickleDatasetWriter: protocol must be an int from -1 to {}, '
                'got {!r}'.format(pickle.HIGHEST_PROTOCOL, protocol))
        self._writer = writer
        self._protocol = protocol
        self._closed = False

    def write(self, x):
        """Appends one example."""
        if self._closed:
            raise ValueError('PickleDatasetWriter.write: the writer is closed')
        # Pickled in memory first: an object that cannot be pickled leaves
        # no partial record in the file.
        data = pickle.dumps(x, protocol=self._protocol)
        self._writer.write(data)

    def flush(self):
        if hasattr(self._writer, 'flush'):
            self._writer.flush()

    def close(self):
        """Closes the underlying file (for ``open_pickle_dataset_writer``,
        this is when the file appears under its name)."""
        if not self._closed:
            self._closed = True
            self._writer.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is not None and hasattr(self._writer, 'discard'):
            # The block failed: leave no partial dataset behind.
            self._closed = True
            self._writer.discard()
        else:
            self.close()


class _AtomicFile(io.RawIOBase):
    """A binary file that appears at ``path`` only when closed; until then
    the data goes to a temporary file beside it. ``discard`` drops it.

    Like a plain file's buffered data, an unclosed file is closed (and so
    appears at ``path``) when it is garbage-collected.
    """

    def __init__(self, path):
        super().__init__()
        self._context = atomic_write(path)
        self._file = self._context.__enter__()

    def writable(self):
        return True

    def write(self, data):
        return self._file.write(data)

    def tell(self):
        return self._file.tell()

    def flush(self):
        if not self.closed:
            self._file.flush()

    def close(self):
        if not self.closed:
            super().close()
            self._context.__exit__(None, None, None)

    def discard(self):
        if not self.closed:
            super().close()
            error = RuntimeError('PickleDatasetWriter: writing was aborted')
            # The context removes the temporary file and hands the error
            # back instead of raising it when it is the one passed in.
            self._context.__exit__(RuntimeError, error, None)


class PickleDataset(DatasetMixin):
    """A dataset of the pickles stored one after another in ``reader``.

    >>> with open_pickle_dataset_writer(path) as w:
    ...     w.write((1, 2.0, 'hello'))
    ...     w.write((2, 3.0, 'good-bye'))
    >>> with open_pickle_dataset(path) as dataset:
    ...     print(dataset[1])
    (2, 3.0, 'good-bye')

    Args:
        reader: a binary file object that supports random access
            (``seek``, ``tell`` and ``read``).
    """

    def __init__(self, reader):
        if isinstance(reader, io.TextIOBase):
            raise TypeError('PickleDataset: reader must be opened in binary '
                            "mode ('rb'), got a text file")
        seekable = getattr(reader, 'seekable', None)
        if not callable(seekable) or not reader.seekable():
            raise ValueError(
                'PickleDataset: reader must support random access (a '
                'seekable binary file), got {}'.format(type(reader).__name__))
        self._reader = reader
        self._starts, self._ends = _scan(reader)
        self._reset_process_state()

    # ------------------------------------------------------------ reading
    def __len__(self):
        return len(self._starts)

    def get_example(self, i):
        start, end = self._starts[i], self._ends[i]
        self._check_process()
        if getattr(self._reader, 'closed', False):
            raise ValueError('PickleDataset: the dataset is closed')
        fd = _plain_file_descriptor(self._reader)
        if fd is not None and hasattr(os, 'pread'):
            data = _pread_exactly(fd, end - start, start)
        else:
            with self._lock:
                self._reader.seek(start)
                data = self._reader.read(end - start)
        if len(data) != end - start:
            raise ValueError(
                'PickleDataset: example {} is cut short: the file ends at '
                'byte {} instead of {}'.format(i, start + len(data), end))
        return pickle.loads(data)

    # ---------------------------------------------------------- lifecycle
    def close(self):
        """Closes the reader; the dataset can no longer be read."""
        with self._lock:
            self._reader.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    # -------------------------------------------------- processes, pickle
    def _reset_process_state(self):
        self._pid = os.getpid()
        self._lock = threading.RLock()

    def _check_process(self):
        if self._pid != os.getpid():
            # A forked child: the parent's lock may have been held by a
            # thread that does not exist here, and a reader that shares its
            # position with the parent must reopen (Chainer's after_fork).
            self._reset_process_state()
            after_fork = getattr(self._reader, 'after_fork', None)
            if callable(after_fork):
                after_fork()

    def __getstate__(self):
        state = self.__dict__.copy()
        del state['_lock']
        name = _file_name(self._reader)
        if name is not None:
            # A file object cannot be pickled; its name can.
            state['_reader'] = None
            state['_path'] = name
        return state

    def __setstate__(self, state):
        path = state.pop('_path', None)
        self.__dict__.update(state)
        if path is not None:
            self._reader = open(path, 'rb')
            size = os.fstat(self._reader.fileno()).st_size
            if self._ends and size < self._ends[-1]:
                self._reader.close()
                raise ValueError(
                    'PickleDataset: {!r} is shorter ({} bytes) than when it '
                    'was opened ({} bytes)'.format(
                        path, size, self._ends[-1]))
        self._reset_process_state()


def _scan(reader):
    """Start and end offsets of every pickle in ``reader``."""
    reader.seek(0, io.SEEK_END)
    size = reader.tell()
    reader.seek(0)
    starts, ends = [], []
    while True:
        start = reader.tell()
        if start >= size:
            break
        try:
            pickle.load(reader)
        except Exception as error:
            raise ValueError(
                'PickleDataset: the data from byte {} (example {}) is not a '
                'complete pickle ({}: {}); the file may be truncated or '
                'not a PickleDataset'.format(
                    start, len(starts), type(error).__name__, error)) \
                from error
        starts.append(start)
        ends.append(reader.tell())
    return starts, ends


def _plain_file_descriptor(reader):
    """The descriptor of a file opened with ``open(path, 'rb')``, whose
    bytes are the file's; None for anything else (a GzipFile also has a
    descriptor, of its compressed file)."""
    raw = reader.raw if isinstance(
        reader, (io.BufferedReader, io.BufferedRandom)) else reader
    if type(raw) is io.FileIO:
        return raw.fileno()
    return None


def _pread_exactly(fd, size, offset):
    chunks = []
    while size > 0:
        chunk = os.pread(fd, size, offset)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
        offset += len(chunk)
    return b''.join(chunks)


def _file_name(reader):
    if _plain_file_descriptor(reader) is None:
        return None
    name = getattr(reader, 'name', None)
    if isinstance(name, (str, bytes)) and os.path.isfile(name):
        return name
    return None


def open_pickle_dataset(path):
    """Opens the :class:`PickleDataset` stored at ``path``.

    The file stays open until ``close()`` is called or the ``with`` block
    ends::

        with dynet.datasets.open_pickle_dataset('path') as dataset:
            ...
    """
    reader = open(path, 'rb')
    try:
        dataset = PickleDataset(reader)
    except BaseException:
        reader.close()
        raise
    return dataset


def open_pickle_dataset_writer(path, protocol=pickle.HIGHEST_PROTOCOL):
    """Opens a :class:`PickleDatasetWriter` that writes to ``path``.

    The data goes to a temporary file beside ``path``, which replaces
    ``path`` when the writer is closed; if the ``with`` block raises, the
    temporary file is removed and ``path`` is left as it was::

        with dynet.datasets.open_pickle_dataset_writer('path') as writer:
            writer.write(example)
    """
    target = _AtomicFile(path)
    try:
        return PickleDatasetWriter(target, protocol=protocol)
    except BaseException:
        target.discard()
        raise
