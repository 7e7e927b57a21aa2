"""A labeled image dataset read from a folder-per-class tree.

This is not part of Chainer itself; the name and arguments follow
ChainerCV's ``DirectoryParsingLabelDataset`` (``ImageFolderDataset`` is an
alias, after torchvision's ``ImageFolder``)::

    root/
        cat/001.png
        cat/more/002.jpg      <- images may be nested below a class folder
        dog/003.png

gives the classes ``['cat', 'dog']`` (labels 0 and 1, folders sorted by
name) and three examples ``(image, label)``.
"""
import os
import re

import numpy

from dynet.dataset.dataset_mixin import DatasetMixin
from dynet.datasets.image_dataset import _pil_image

IMAGE_EXTENSIONS = ('.bmp', '.gif', '.jpeg', '.jpg', '.pgm', '.png', '.ppm',
                    '.tif', '.tiff', '.webp')


def _check_img_ext(path):
    return os.path.splitext(path)[1].lower() in IMAGE_EXTENSIONS


def _natural_key(name):
    # '2' < '10'; text parts compare as text.
    return [(0, int(part), '') if part.isdigit() else (1, 0, part)
            for part in re.split(r'(\d+)', name) if part != '']


def directory_parsing_label_names(root, numerical_sort=False):
    """The class names under ``root``: its subdirectories, sorted by name
    (or numerically -- ``'2'`` before ``'10'`` -- with
    ``numerical_sort``)."""
    names = [entry.name for entry in os.scandir(root)
             if entry.is_dir() and not entry.name.startswith('.')]
    return sorted(names, key=_natural_key if numerical_sort else None)


class DirectoryParsingLabelDataset(DatasetMixin):
    """Images in a folder per class: ``dataset[i]`` is ``(image, label)``,
    the image a float32 ``(channels, height, width)`` array with values
    0-255 and the label an int32 scalar array.

    Args:
        root (str): the directory holding one subdirectory per class.
        check_img_file (callable): ``f(path) -> bool`` choosing which files
            are images; by default, files with a usual image extension.
        color (bool): read images as RGB (3 channels) if True, grayscale
            (1 channel) if False.
        numerical_sort (bool): order the class folders numerically.

    Attributes:
        label_names (list of str): class names, index = label.
        img_paths (list of str): image paths, in dataset order (by class,
            then by path).
        labels (numpy.ndarray): int32 labels, in dataset order.
    """

    def __init__(self, root, check_img_file=None, color=True,
                 numerical_sort=False):
        if check_img_file is None:
            check_img_file = _check_img_ext
        if not os.path.isdir(root):
            raise ValueError('{}: no such directory'.format(root))
        self.root = root
        self.color = color
        self.label_names = directory_parsing_label_names(root,
                                                         numerical_sort)
        paths, labels = [], []
        for label, name in enumerate(self.label_names):
            found = []
            for directory, subdirs, files in os.walk(os.path.join(root,
                                                                  name)):
                subdirs[:] = [d for d in subdirs if not d.startswith('.')]
                for file in files:
                    path = os.path.join(directory, file)
                    if not file.startswith('.') and check_img_file(path):
                        found.append(path)
            found.sort()
            paths.extend(found)
            labels.extend([label] * len(found))
        self.img_paths = paths
        self.labels = numpy.array(labels, dtype=numpy.int32)

    def __len__(self):
        return len(self.img_paths)

    def get_example(self, i):
        Image = _pil_image()
        with Image.open(self.img_paths[i]) as image:
            image = image.convert('RGB' if self.color else 'L')
            array = numpy.asarray(image, dtype=numpy.float32)
        if array.ndim == 2:
            array = array[numpy.newaxis]
        else:
            array = array.transpose(2, 0, 1)
        return array, self.labels[i]


ImageFolderDataset = DirectoryParsingLabelDataset
