import numpy
import pytest

from dynet import datasets

Image = pytest.importorskip('PIL.Image')


def _save(path, mode, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    size = (4, 3)  # width, height
    if mode == 'L':
        Image.new('L', size, value).save(path)
    else:
        Image.new('RGB', size, (value, value + 1, value + 2)).save(path)


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / 'root'
    _save(root / 'dog' / 'b.png', 'RGB', 10)
    _save(root / 'dog' / 'a.png', 'L', 20)
    _save(root / 'cat' / 'nested' / 'c.png', 'RGB', 30)
    _save(root / 'cat' / 'd.jpg', 'RGB', 40)
    (root / 'cat' / 'notes.txt').write_text('not an image')
    (root / 'empty').mkdir()
    (root / 'stray.png').write_bytes(b'')  # files at the top are ignored
    return root


def test_classes_sorted_by_folder_name(tree):
    d = datasets.DirectoryParsingLabelDataset(str(tree))
    assert d.label_names == ['cat', 'dog', 'empty']
    assert len(d) == 4
    assert d.labels.tolist() == [0, 0, 1, 1]
    assert d.labels.dtype == numpy.int32
    assert [p.split('root')[-1].replace('\\', '/') for p in d.img_paths] == [
        '/cat/d.jpg', '/cat/nested/c.png', '/dog/a.png', '/dog/b.png']
    image, label = d[3]
    assert image.shape == (3, 3, 4) and image.dtype == numpy.float32
    assert label == 1 and label.dtype == numpy.int32
    numpy.testing.assert_array_equal(image[:, 0, 0], [10, 11, 12])
    gray_as_rgb, _ = d[2]
    assert gray_as_rgb.shape == (3, 3, 4)
    numpy.testing.assert_array_equal(gray_as_rgb[:, 1, 1], [20, 20, 20])
    images = d[0:2]
    assert len(images) == 2 and images[0][1] == 0


def test_grayscale_and_custom_filter(tree):
    d = datasets.DirectoryParsingLabelDataset(
        str(tree), color=False,
        check_img_file=lambda path: path.endswith('.png'))
    assert len(d) == 3
    image, label = d[0]
    assert image.shape == (1, 3, 4) and image.dtype == numpy.float32
    assert label == 0


def test_numerical_sort(tmp_path):
    for name in ('10', '2', '1'):
        _save(tmp_path / name / 'x.png', 'L', 0)
    assert datasets.DirectoryParsingLabelDataset(
        str(tmp_path)).label_names == ['1', '10', '2']
    d = datasets.ImageFolderDataset(str(tmp_path), numerical_sort=True)
    assert d.label_names == ['1', '2', '10']
    assert datasets.directory_parsing_label_names(
        str(tmp_path), numerical_sort=True) == ['1', '2', '10']


def test_missing_root(tmp_path):
    with pytest.raises(ValueError, match='no such directory'):
        datasets.DirectoryParsingLabelDataset(str(tmp_path / 'nope'))
