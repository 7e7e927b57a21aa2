"""Dataset iterators."""
from dynet.iterators.order_samplers import (  # NOQA
    OrderSampler, ShuffleOrderSampler)
from dynet.iterators.serial_iterator import SerialIterator  # NOQA
from dynet.iterators.multiprocess_iterator import MultiprocessIterator  # NOQA
from dynet.iterators.multithread_iterator import MultithreadIterator  # NOQA
