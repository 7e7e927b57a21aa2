"""The dataset iterator protocol."""


class Iterator:
    """Yields batches (lists of examples); see SerialIterator."""

    def __iter__(self):
        return self

    def __next__(self):
        raise NotImplementedError

    def next(self):
        return self.__next__()

    def finalize(self):
        """Releases resources (worker threads/processes)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.finalize()

    def serialize(self, serializer):
        """Saves or loads the iteration state."""
