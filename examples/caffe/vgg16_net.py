"""The layer list of Caffe's VGG-16 deploy net (``VGG_ILSVRC_16_layers``),
for writing a randomly initialized model with
:mod:`dynet.links.caffe.writer`.

The real model comes from the Caffe model zoo; this file lets the example
and its test run without it. ``width`` scales every channel count (1.0 is
the real VGG-16: 13 convolutions 64-512, fully connected 4096-4096-1000,
138 million parameters, a 528 MiB file), so a test can build the same
topology in a few kilobytes.
"""
import numpy

# (block, number of 3x3 convolutions, channels) of the five VGG-16 blocks.
BLOCKS = ((1, 2, 64), (2, 2, 128), (3, 3, 256), (4, 3, 512), (5, 3, 512))


def _scaled(channels, width):
    return max(1, int(round(channels * width)))


def _layer(name, type_name, bottom, top, **fields):
    layer = {'name': name, 'type': type_name, 'bottom': bottom, 'top': top}
    layer.update(fields)
    return layer


def vgg16_layers(width=1.0, fc_units=4096, n_classes=1000, seed=0):
    """The VGG-16 deploy layers with random weights (He-normal weights,
    small random biases), in Caffe's order and with Caffe's layer names:
    conv1_1 ... conv5_3 with in-place ReLUs, max pools, fc6/fc7 with
    in-place ReLU and dropout, fc8, and the ``prob`` softmax."""
    rng = numpy.random.RandomState(seed)

    def params(shape, fan_in):
        weight = rng.normal(0, numpy.sqrt(2. / fan_in), shape)
        bias = rng.uniform(-0.01, 0.01, shape[0])
        return [weight.astype(numpy.float32), bias.astype(numpy.float32)]

    layers = [{'name': 'data', 'type': 'Input', 'top': 'data',
               'input_param': {'shape': [{'dim': [1, 3, 224, 224]}]}}]
    bottom, channels = 'data', 3
    for block, n_convs, block_channels in BLOCKS:
        out = _scaled(block_channels, width)
        for i in range(1, n_convs + 1):
            name = 'conv{}_{}'.format(block, i)
            layers.append(_layer(
                name, 'Convolution', bottom, name,
                convolution_param={'num_output': out, 'pad': [1],
                                   'kernel_size': [3]},
                blobs=params((out, channels, 3, 3), channels * 9)))
            layers.append(_layer('relu{}_{}'.format(block, i), 'ReLU',
                                 name, name))
            bottom, channels = name, out
        pool = 'pool{}'.format(block)
        layers.append(_layer(pool, 'Pooling', bottom, pool,
                             pooling_param={'pool': 'MAX', 'kernel_size': 2,
                                            'stride': 2}))
        bottom = pool
    fan_in = channels * 7 * 7
    fc_out = _scaled(fc_units, width) if width != 1.0 else fc_units
    for name, n_out in (('fc6', fc_out), ('fc7', fc_out)):
        index = name[2:]
        layers.append(_layer(name, 'InnerProduct', bottom, name,
                             inner_product_param={'num_output': n_out},
                             blobs=params((n_out, fan_in), fan_in)))
        layers.append(_layer('relu' + index, 'ReLU', name, name))
        layers.append(_layer('drop' + index, 'Dropout', name, name,
                             dropout_param={'dropout_ratio': 0.5}))
        bottom, fan_in = name, n_out
    layers.append(_layer('fc8', 'InnerProduct', bottom, 'fc8',
                         inner_product_param={'num_output': n_classes},
                         blobs=params((n_classes, fan_in), fan_in)))
    layers.append(_layer('prob', 'Softmax', 'fc8', 'prob'))
    return layers
