"""Dataset iterators."""
from dynet.iterators.order_samplers import (  # NOQA
    OrderSampler, ShuffleOrderSampler)
from dynet.iterators.serial_iterator import SerialIterator  # NOQA
