"""Datasets of image files: on disk, in one zip file or in several.

Images are read lazily (on each access) with Pillow and returned as
arrays of shape ``(channels, height, width)``: 1 channel for grayscale
images, 3 for RGB, 4 for RGBA, as stored in the file (no conversion; pixel
values are kept as they are, e.g. 0-255 for 8-bit images). The dtype is
``dynet.config.dtype`` (float32 by default) unless given.
"""
import bisect
import io
import os
import zipfile

import numpy

from dynet.config import get_dtype
from dynet.dataset.dataset_mixin import DatasetMixin


def _pil_image():
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError(
            'reading image files needs Pillow: pip install pillow') from error
    return Image


def _read_image_as_array(source, dtype):
    """Reads an image file (a path or a binary file object) into an HWC or
    HW array of ``dtype``."""
    Image = _pil_image()
    with Image.open(source) as image:
        return numpy.asarray(image, dtype=dtype)


def _postprocess_image(image):
    if image.ndim == 2:
        image = image[:, :, numpy.newaxis]
    return image.transpose(2, 0, 1)


def _is_path(value):
    return isinstance(value, (str, bytes, os.PathLike))


def _read_lines(path):
    with open(path) as f:
        return [(number, line.strip()) for number, line in enumerate(f, 1)
                if line.strip()]


def _read_pairs(path):
    pairs = []
    for number, line in _read_lines(path):
        fields = line.split()
        if len(fields) != 2:
            raise ValueError(
                'invalid format at line {} in file {}: expected "path '
                'label", got {!r}'.format(number, os.fspath(path), line))
        try:
            label = int(fields[1])
        except ValueError:
            raise ValueError(
                'invalid label at line {} in file {}: {!r} is not an '
                'integer'.format(number, os.fspath(path), fields[1])) \
                from None
        pairs.append((fields[0], label))
    return pairs


class ImageDataset(DatasetMixin):
    """Dataset of image files: ``dataset[i]`` is the ``i``-th image as a
    ``(channels, height, width)`` array.

    Args:
        paths: a list of image paths, or the path of a text file with one
            image path per line (blank lines are skipped).
        root (str): directory the image paths are relative to.
        dtype: dtype of the arrays; ``dynet.config.dtype`` when None.
    """

    def __init__(self, paths, root='.', dtype=None):
        if _is_path(paths):
            paths = [line for _, line in _read_lines(paths)]
        self._paths = list(paths)
        self._root = root
        self._dtype = get_dtype(dtype)

    def __len__(self):
        return len(self._paths)

    def get_example(self, i):
        path = os.path.join(self._root, self._paths[i])
        return _postprocess_image(_read_image_as_array(path, self._dtype))


class LabeledImageDataset(DatasetMixin):
    """Dataset of (image, label) pairs: ``dataset[i]`` is
    ``(image, numpy.array(label, dtype=label_dtype))`` with the image as a
    ``(channels, height, width)`` array.

    Args:
        pairs: a list of ``(path, int label)`` tuples, or the path of a text
            file whose lines are ``path label`` separated by white space
            (paths cannot contain spaces; blank lines are skipped).
        root (str): directory the image paths are relative to.
        dtype: dtype of the images; ``dynet.config.dtype`` when None.
        label_dtype: dtype of the labels.
    """

    def __init__(self, pairs, root='.', dtype=None, label_dtype=numpy.int32):
        if _is_path(pairs):
            pairs = _read_pairs(pairs)
        self._pairs = list(pairs)
        self._root = root
        self._dtype = get_dtype(dtype)
        self._label_dtype = label_dtype

    def __len__(self):
        return len(self._pairs)

    def get_example(self, i):
        path, label = self._pairs[i]
        full_path = os.path.join(self._root, path)
        image = _postprocess_image(
            _read_image_as_array(full_path, self._dtype))
        return image, numpy.array(label, dtype=self._label_dtype)


class ZippedImageDataset(DatasetMixin):
    """Dataset of the image files in a zip archive (every member that is not
    a directory, in archive order).

    The archive is opened once per process: a copy made by pickling or by a
    ``fork`` (e.g. in MultiprocessIterator's workers) reopens it on first
    use, so processes never share a file position.

    Args:
        zipfilename (str): path of the zip file.
        dtype: dtype of the images; ``dynet.config.dtype`` when None.
    """

    def __init__(self, zipfilename, dtype=None):
        self._zipfilename = zipfilename
        self._dtype = get_dtype(dtype)
        self._zf = None
        self._zf_pid = None
        self._paths = [name for name in self._zipfile().namelist()
                       if not name.endswith('/')]

    def _zipfile(self):
        # No lock: two threads racing here at worst open the archive twice;
        # a ZipFile itself supports concurrent reads.
        if self._zf is None or self._zf_pid != os.getpid():
            self._zf = zipfile.ZipFile(self._zipfilename)
            self._zf_pid = os.getpid()
        return self._zf

    def __getstate__(self):
        state = self.__dict__.copy()
        state['_zf'] = None
        state['_zf_pid'] = None
        return state

    def __len__(self):
        return len(self._paths)

    def paths(self):
        """The names of the images in the archive, in dataset order."""
        return self._paths

    def _read(self, name):
        data = self._zipfile().read(name)
        return _postprocess_image(
            _read_image_as_array(io.BytesIO(data), self._dtype))

    def get_example(self, i_or_filename):
        """The ``i``-th image, or the image named ``i_or_filename`` when it
        is a string."""
        if isinstance(i_or_filename, str):
            return self._read(i_or_filename)
        return self._read(self._paths[i_or_filename])


class MultiZippedImageDataset(DatasetMixin):
    """The images of several zip archives, one archive after the other.

    Args:
        zipfilenames (list of str): paths of the zip files.
        dtype: dtype of the images; ``dynet.config.dtype`` when None.
    """

    def __init__(self, zipfilenames, dtype=None):
        self._datasets = [ZippedImageDataset(name, dtype)
                          for name in zipfilenames]
        self._ends = []
        total = 0
        for dataset in self._datasets:
            total += len(dataset)
            self._ends.append(total)

    def __len__(self):
        return self._ends[-1] if self._ends else 0

    def get_example(self, i):
        if not 0 <= i < len(self):
            raise IndexError('MultiZippedImageDataset index {} out of range '
                             'for length {}'.format(i, len(self)))
        which = bisect.bisect_right(self._ends, i)
        start = self._ends[which - 1] if which else 0
        return self._datasets[which].get_example(i - start)


class LabeledZippedImageDataset(DatasetMixin):
    """(image, label) pairs whose images are in a zip archive.

    Args:
        zipfilename (str): path of the zip file.
        labelfilename (str): path of a text file (outside the archive) with
            lines ``name label``; each name is a member of the archive.
        dtype: dtype of the images; ``dynet.config.dtype`` when None.
        label_dtype: dtype of the labels.
    """

    def __init__(self, zipfilename, labelfilename, dtype=None,
                 label_dtype=numpy.int32):
        self._images = ZippedImageDataset(zipfilename, dtype)
        self._pairs = _read_pairs(labelfilename)
        self._label_dtype = label_dtype
        names = set(self._images.paths())
        for name, _ in self._pairs:
            if name not in names:
                raise ValueError('{}: {!r} is not in the zip file {}'.format(
                    labelfilename, name, zipfilename))

    def __len__(self):
        return len(self._pairs)

    def get_example(self, i):
        name, label = self._pairs[i]
        return (self._images.get_example(name),
                numpy.array(label, dtype=self._label_dtype))
