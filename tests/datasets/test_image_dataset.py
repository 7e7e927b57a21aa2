import os
import pickle
import zipfile

import numpy
import pytest

from dynet import datasets

Image = pytest.importorskip('PIL.Image')


def _gray(seed, h=5, w=4):
    return numpy.random.RandomState(seed).randint(
        0, 256, (h, w)).astype(numpy.uint8)


def _rgb(seed, h=3, w=6):
    return numpy.random.RandomState(seed).randint(
        0, 256, (h, w, 3)).astype(numpy.uint8)


@pytest.fixture
def images(tmp_path):
    """Writes gray.png, rgb.png and rgb.jpg; returns their pixel arrays
    (as decoded by Pillow, for the lossy JPEG)."""
    gray, rgb = _gray(0), _rgb(1)
    Image.fromarray(gray).save(tmp_path / 'gray.png')
    Image.fromarray(rgb).save(tmp_path / 'rgb.png')
    Image.fromarray(rgb).save(tmp_path / 'rgb.jpg', quality=95)
    with Image.open(tmp_path / 'rgb.jpg') as f:
        jpeg = numpy.asarray(f)
    return {'gray.png': gray, 'rgb.png': rgb, 'rgb.jpg': jpeg}


def _chw(pixels):
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    return pixels.transpose(2, 0, 1)


def test_image_dataset_from_list(tmp_path, images):
    names = ['gray.png', 'rgb.png', 'rgb.jpg']
    d = datasets.ImageDataset(names, root=str(tmp_path))
    assert len(d) == 3
    gray, rgb, jpg = d[0], d[1], d[2]
    assert gray.shape == (1, 5, 4) and gray.dtype == numpy.float32
    assert rgb.shape == (3, 3, 6) and rgb.dtype == numpy.float32
    assert jpg.shape == (3, 3, 6)
    for name, array in zip(names, (gray, rgb, jpg)):
        numpy.testing.assert_array_equal(array, _chw(images[name]))
    assert gray.max() > 1  # values are not rescaled
    assert len(d[0:2]) == 2
    numpy.testing.assert_array_equal(d[-1], jpg)


def test_image_dataset_from_file_and_dtype(tmp_path, images):
    list_file = tmp_path / 'list.txt'
    list_file.write_text('gray.png\n\nrgb.png\n')
    d = datasets.ImageDataset(str(list_file), root=str(tmp_path),
                              dtype=numpy.float64)
    assert len(d) == 2
    assert d[1].dtype == numpy.float64
    numpy.testing.assert_array_equal(d[1], _chw(images['rgb.png']))
    d = datasets.ImageDataset(['gray.png'], root=str(tmp_path),
                              dtype=numpy.uint8)
    numpy.testing.assert_array_equal(d[0], _chw(images['gray.png']))


def test_relative_paths_and_default_root(tmp_path, images, monkeypatch):
    monkeypatch.chdir(tmp_path)
    d = datasets.ImageDataset(['gray.png'])
    assert d[0].shape == (1, 5, 4)


def test_labeled_image_dataset(tmp_path, images):
    d = datasets.LabeledImageDataset(
        [('gray.png', 3), ('rgb.png', 7)], root=str(tmp_path))
    image, label = d[1]
    assert image.shape == (3, 3, 6) and image.dtype == numpy.float32
    assert label == 7 and label.dtype == numpy.int32 and label.shape == ()
    pairs = tmp_path / 'pairs.txt'
    pairs.write_text('gray.png 0\nrgb.jpg   5\n\n')
    d = datasets.LabeledImageDataset(str(pairs), root=str(tmp_path),
                                     label_dtype=numpy.int64)
    assert len(d) == 2
    image, label = d[-1]
    numpy.testing.assert_array_equal(image, _chw(images['rgb.jpg']))
    assert label == 5 and label.dtype == numpy.int64
    bad = tmp_path / 'bad.txt'
    bad.write_text('gray.png 0\nno_label.png\n')
    with pytest.raises(ValueError, match='line 2'):
        datasets.LabeledImageDataset(str(bad))


def _write_zip(path, images, names):
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr('folder/', b'')
        for name in names:
            with open(os.path.join(os.path.dirname(path), name), 'rb') as f:
                z.writestr('folder/' + name, f.read())


def test_zipped_image_dataset(tmp_path, images):
    path = str(tmp_path / 'images.zip')
    _write_zip(path, images, ['gray.png', 'rgb.png'])
    d = datasets.ZippedImageDataset(path)
    assert len(d) == 2
    assert d.paths() == ['folder/gray.png', 'folder/rgb.png']
    numpy.testing.assert_array_equal(d[0], _chw(images['gray.png']))
    numpy.testing.assert_array_equal(d[-1], _chw(images['rgb.png']))
    assert d[1].dtype == numpy.float32
    numpy.testing.assert_array_equal(d.get_example('folder/rgb.png'), d[1])
    # survives pickling (the archive is reopened)
    clone = pickle.loads(pickle.dumps(d))
    numpy.testing.assert_array_equal(clone[1], d[1])


def test_multi_zipped_image_dataset(tmp_path, images):
    first = str(tmp_path / 'a.zip')
    second = str(tmp_path / 'b.zip')
    _write_zip(first, images, ['gray.png'])
    _write_zip(second, images, ['rgb.png', 'rgb.jpg'])
    d = datasets.MultiZippedImageDataset([first, second])
    assert len(d) == 3
    assert d[0].shape == (1, 5, 4)
    numpy.testing.assert_array_equal(d[1], _chw(images['rgb.png']))
    numpy.testing.assert_array_equal(d[2], _chw(images['rgb.jpg']))
    numpy.testing.assert_array_equal(d[-3], d[0])
    with pytest.raises(IndexError):
        d[3]


def test_labeled_zipped_image_dataset(tmp_path, images):
    path = str(tmp_path / 'images.zip')
    _write_zip(path, images, ['gray.png', 'rgb.png'])
    labels = tmp_path / 'labels.txt'
    labels.write_text('folder/rgb.png 4\nfolder/gray.png 9\n')
    d = datasets.LabeledZippedImageDataset(path, str(labels))
    assert len(d) == 2
    image, label = d[0]
    numpy.testing.assert_array_equal(image, _chw(images['rgb.png']))
    assert label == 4 and label.dtype == numpy.int32
    assert d[1][1] == 9
    labels.write_text('folder/missing.png 1\n')
    with pytest.raises(ValueError, match='missing.png'):
        datasets.LabeledZippedImageDataset(path, str(labels))
