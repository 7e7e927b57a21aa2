"""TextDataset: the lines of text files, read on demand."""
import os
import threading

from dynet.dataset.dataset_mixin import DatasetMixin


def _per_file(value, n, name):
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError('TextDataset: {} has {} entries for {} '
                             'files'.format(name, len(value), n))
        return list(value)
    return [value] * n


class TextDataset(DatasetMixin):
    """Dataset of the lines of a text file (or of parallel text files).

    The position of every line is found once, in the constructor; an
    example is then read from the file on each access (files must not
    change afterwards). Lines are returned as read, with their line
    terminator.

    Args:
        paths (str or list of str): one path: examples are lines (str);
            a list of paths: examples are tuples of the lines with the same
            number in each file (all files must have as many lines).
        encoding, errors, newline: as for ``open()``; a list gives one value
            per file.
        filter_func (callable): called with the line(s) of each example (one
            argument per file); the example is kept only if it returns
            True.
    """

    def __init__(self, paths, encoding=None, errors=None, newline=None,
                 filter_func=None):
        self._single = isinstance(paths, (str, os.PathLike))
        self._paths = [paths] if self._single else list(paths)
        n = len(self._paths)
        self._options = list(zip(_per_file(encoding, n, 'encoding'),
                                 _per_file(errors, n, 'errors'),
                                 _per_file(newline, n, 'newline')))
        self._positions = []
        for path, (enc, err, nl) in zip(self._paths, self._options):
            positions = []
            with open(path, encoding=enc, errors=err, newline=nl) as f:
                while True:
                    position = f.tell()
                    if not f.readline():
                        break
                    positions.append(position)
            self._positions.append(positions)
        counts = {len(p) for p in self._positions}
        if len(counts) > 1:
            raise ValueError('TextDataset: the files have different numbers '
                             'of lines: {}'.format(
                                 [len(p) for p in self._positions]))
        length = counts.pop() if counts else 0
        self._handles = None
        self._pid = None
        self._lock = None
        self._lines = list(range(length))
        if filter_func is not None:
            self._lines = [i for i in range(length)
                           if filter_func(*self._read(i))]

    def _open(self):
        # Per process: a fork or an unpickled copy opens its own files.
        if self._pid != os.getpid():
            self._lock = threading.Lock()
            self._handles = [
                open(path, encoding=enc, errors=err, newline=nl)
                for path, (enc, err, nl) in zip(self._paths, self._options)]
            self._pid = os.getpid()

    def _read(self, line):
        self._open()
        with self._lock:
            lines = []
            for handle, positions in zip(self._handles, self._positions):
                handle.seek(positions[line])
                lines.append(handle.readline())
        return lines

    def __getstate__(self):
        state = self.__dict__.copy()
        state.update(_handles=None, _pid=None, _lock=None)
        return state

    def __del__(self):
        for handle in getattr(self, '_handles', None) or ():
            try:
                handle.close()
            except Exception:
                pass

    def close(self):
        """Closes the files (they are reopened if the dataset is used)."""
        self.__del__()
        self._handles = None
        self._pid = None

    def __len__(self):
        return len(self._lines)

    def get_example(self, i):
        lines = self._read(self._lines[i])
        return lines[0] if self._single else tuple(lines)
