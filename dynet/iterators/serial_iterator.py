"""SerialIterator: batches in order (shuffled per epoch by default)."""
import numpy

from dynet.dataset.iterator import Iterator
from dynet.iterators.order_samplers import ShuffleOrderSampler


class SerialIterator(Iterator):
    """Iterates over a dataset in the main process.

    Args:
        dataset: any sized, indexable dataset.
        batch_size (int): examples per batch.
        repeat (bool): loop forever (an epoch boundary inside a batch is
            filled from the next epoch) or stop after one epoch (the last
            batch may be shorter).
        shuffle (bool or None): shuffle each epoch; None means True unless
            ``order_sampler`` is given.
        order_sampler: a callable giving each epoch's order.
    """

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None,
                 order_sampler=None):
        if batch_size <= 0:
            raise ValueError('SerialIterator: batch_size must be positive, '
                             'got {}'.format(batch_size))
        if shuffle is not None and order_sampler is not None:
            raise ValueError('SerialIterator: give shuffle or order_sampler, '
                             'not both')
        if shuffle is None:
            shuffle = order_sampler is None
        if shuffle:
            order_sampler = ShuffleOrderSampler()
        self.dataset = dataset
        self.batch_size = batch_size
        self._repeat = repeat
        self._shuffle = shuffle
        self.order_sampler = order_sampler
        self.reset()

    def reset(self):
        """Back to the start of the first epoch (a new order is drawn)."""
        self.current_position = 0
        self.epoch = 0
        self.is_new_epoch = False
        self._previous_epoch_detail = -1.0
        if self.order_sampler is not None:
            self._order = self._draw_order(numpy.arange(len(self.dataset)),
                                           0)
        else:
            self._order = None

    def _draw_order(self, current_order, position):
        order = self.order_sampler(current_order, position)
        if len(order) != len(self.dataset):
            raise ValueError(
                'SerialIterator: the order sampler returned {} indexes for '
                'a dataset of {}'.format(len(order), len(self.dataset)))
        return order

    def _take(self, start, stop):
        if self._order is None:
            return list(self.dataset[start:stop])
        return [self.dataset[int(i)] for i in self._order[start:stop]]

    def __next__(self):
        n = len(self.dataset)
        if n == 0:
            raise ValueError('SerialIterator: the dataset is empty')
        if not self._repeat and self.epoch > 0:
            raise StopIteration
        self._previous_epoch_detail = self.epoch_detail
        start = self.current_position
        stop = start + self.batch_size
        batch = self._take(start, stop)
        if stop >= n:
            if self._repeat:
                rest = stop - n
                if self._order is not None:
                    self._order = self._draw_order(self._order, start)
                if rest > 0:
                    batch.extend(self._take(0, rest))
                self.current_position = rest
            else:
                self.current_position = 0
            self.epoch += 1
            self.is_new_epoch = True
        else:
            self.is_new_epoch = False
            self.current_position = stop
        return batch

    @property
    def epoch_detail(self):
        return self.epoch + self.current_position / len(self.dataset)

    @property
    def previous_epoch_detail(self):
        if self._previous_epoch_detail < 0:
            return None
        return self._previous_epoch_detail

    @property
    def repeat(self):
        return self._repeat

    def serialize(self, serializer):
        self.current_position = serializer('current_position',
                                           self.current_position)
        self.epoch = serializer('epoch', self.epoch)
        self.is_new_epoch = serializer('is_new_epoch', self.is_new_epoch)
        if self._order is not None:
            self._order = serializer('order', self._order)
        try:
            self._previous_epoch_detail = serializer(
                'previous_epoch_detail', self._previous_epoch_detail)
        except KeyError:
            # Older snapshots: recompute from the position.
            self._previous_epoch_detail = self.epoch + (
                self.current_position - self.batch_size) / len(self.dataset)
            if self.epoch_detail <= 0:
                self._previous_epoch_detail = -1.0
        if self.order_sampler is not None and \
                hasattr(self.order_sampler, 'serialize'):
            self.order_sampler.serialize(serializer['order_sampler'])
