"""The multi-label image dataset of the multihead example.

A *list file* names one image per line, followed by its labels, one
integer per head, separated by white space::

    train/00000.png 5 1
    train/00001.png 0 0

Image paths are relative to the list file's folder (or absolute). Images
are read lazily, one per ``get_example`` call, with Pillow.
"""
import json
import os

import numpy

import dynet


class ImageListDataset(dynet.dataset.DatasetMixin):
    """Examples ``(image, labels)`` read from a list file.

    ``image`` is float32, shape (C, size, size), values in [0, 1] (C is 1,
    or 3 with ``rgb=True``); ``labels`` is an int32 vector with one entry
    per label column. Images of another size are resized.
    """

    def __init__(self, list_path, size=28, rgb=False, root=None):
        if root is None:
            root = os.path.dirname(os.path.abspath(list_path))
        self.size = size
        self.rgb = rgb
        self._paths = []
        labels = []
        with open(list_path) as f:
            for line_number, line in enumerate(f, 1):
                fields = line.split()
                if not fields:
                    continue
                if len(fields) < 2:
                    raise ValueError('{}:{}: expected an image path and at '
                                     'least one label, got {!r}'.format(
                                         list_path, line_number, line))
                if labels and len(fields) - 1 != len(labels[0]):
                    raise ValueError('{}:{}: {} labels, but the first line '
                                     'has {}'.format(list_path, line_number,
                                                     len(fields) - 1,
                                                     len(labels[0])))
                self._paths.append(os.path.join(root, fields[0]))
                labels.append([int(v) for v in fields[1:]])
        if not labels:
            raise ValueError('{}: no examples'.format(list_path))
        self._labels = numpy.asarray(labels, dtype=numpy.int32)

    @property
    def n_labels(self):
        return self._labels.shape[1]

    def __len__(self):
        return len(self._paths)

    def get_example(self, i):
        from PIL import Image
        with Image.open(self._paths[i]) as image:
            image = image.convert('RGB' if self.rgb else 'L')
            if image.size != (self.size, self.size):
                image = image.resize((self.size, self.size),
                                     Image.Resampling.BILINEAR)
            pixels = numpy.asarray(image, dtype=numpy.float32) / 255.
        if self.rgb:
            pixels = pixels.transpose(2, 0, 1)
        else:
            pixels = pixels[None]
        return numpy.ascontiguousarray(pixels), self._labels[i].copy()


def convert_batch(batch, device=None):
    """A list of ``(image, labels)`` -> ``(x, t)``: x (N, C, H, W) float32,
    t (N, heads) int32, both sent to ``device`` (None: left where they
    are)."""
    x = numpy.stack([image for image, _ in batch])
    t = numpy.stack([labels for _, labels in batch])
    return (dynet.dataset.to_device(device, x),
            dynet.dataset.to_device(device, t))


SAMPLE_HEADS = [('digit', 10), ('parity', 2)]


def write_sample_images(directory, n_train, n_test):
    """Writes digits of the bundled MNIST sample as PNG files with two label
    columns, the digit and its parity (0 even, 1 odd).

    Returns the paths of the train and test list files. Files already
    written by an earlier call with the same sizes are reused.
    """
    from PIL import Image
    os.makedirs(directory, exist_ok=True)
    stamp_path = os.path.join(directory, 'sample.json')
    stamp = {'n_train': n_train, 'n_test': n_test}
    lists = [os.path.join(directory, name + '.txt')
             for name in ('train', 'test')]
    if os.path.exists(stamp_path):
        with open(stamp_path) as f:
            if json.load(f) == stamp:
                return lists
    train, test = dynet.datasets.get_mnist(ndim=2, sample=True)
    for split, dataset, count, list_path in (
            ('train', train, n_train, lists[0]),
            ('test', test, n_test, lists[1])):
        if count > len(dataset):
            raise ValueError('the MNIST sample has only {} {} digits'.format(
                len(dataset), split))
        os.makedirs(os.path.join(directory, split), exist_ok=True)
        lines = []
        for i in range(count):
            image, digit = dataset[i]
            name = '{}/{:05d}.png'.format(split, i)
            pixels = numpy.rint(image * 255).astype(numpy.uint8)
            Image.fromarray(pixels).save(
                os.path.join(directory, name))
            lines.append('{} {} {}\n'.format(name, int(digit),
                                             int(digit) % 2))
        with open(list_path, 'w') as f:
            f.writelines(lines)
    with open(stamp_path, 'w') as f:
        json.dump(stamp, f)
    return lists
