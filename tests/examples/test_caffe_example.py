"""The Caffe VGG-16 example on a narrow random VGG-16 written by the
example's own fixture writer (the real model is 528 MiB)."""
import importlib.util
import os
import sys

import numpy
import pytest
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, 'examples', 'caffe')
N_CLASSES = 10


def _load(name):
    sys.path.insert(0, EXAMPLE)
    try:
        spec = importlib.util.spec_from_file_location(
            name, os.path.join(EXAMPLE, name + '.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(EXAMPLE)
    return module


classify = _load('classify_imagenet')
make_random = _load('make_random_vgg16')
vgg16_net = _load('vgg16_net')


def _images(folder, count=3):
    os.makedirs(folder, exist_ok=True)
    rng = numpy.random.RandomState(0)
    for i in range(count):
        pixels = rng.randint(0, 256, (240 + 10 * i, 300, 3), numpy.uint8)
        Image.fromarray(pixels).save(
            os.path.join(folder, 'ILSVRC2012_val_{:08d}.JPEG'.format(i + 1)),
            format='JPEG')
    return folder


@pytest.mark.parametrize('fmt', ['layer', 'v1'])
def test_random_vgg16_classifies_a_folder(tmp_path, capsys, fmt):
    model = str(tmp_path / 'vgg.caffemodel')
    make_random.main([model, '--format', fmt, '--width', '0.0625',
                      '--classes', str(N_CLASSES)])
    images = _images(str(tmp_path / 'images'))
    rankings = classify.main([model, '--images', images, '--batchsize', '2'])
    assert rankings.shape == (3, 5)
    printed = capsys.readouterr().out
    assert 'ILSVRC2012_val_00000002.JPEG' in printed
    # both formats describe the same net, so they must rank alike
    other = str(tmp_path / 'other.caffemodel')
    make_random.main([other, '--format', 'v1' if fmt == 'layer' else 'layer',
                      '--width', '0.0625', '--classes', str(N_CLASSES)])
    numpy.testing.assert_array_equal(
        classify.main([other, '--images', images]), rankings)


def test_validation_scoring_maps_ilsvrc_ids_to_model_order(tmp_path, capsys):
    # fc8 ignores its input and ranks the classes by its bias: 6, 2, 9, 4,
    # 0, then the rest; so the scores of any image are known.
    layers = vgg16_net.vgg16_layers(0.0625, n_classes=N_CLASSES)
    fc8 = next(layer for layer in layers if layer['name'] == 'fc8')
    weight, _ = fc8['blobs']
    bias = numpy.zeros(N_CLASSES, numpy.float32)
    bias[[6, 2, 9, 4, 0]] = [10, 8, 6, 4, 2]
    fc8['blobs'] = [numpy.zeros_like(weight), bias]
    model = str(tmp_path / 'vgg.caffemodel')
    from dynet.links.caffe import writer
    writer.save_caffemodel(model, layers)

    model_wnids = ['n{:08d}'.format(100 + k) for k in range(N_CLASSES)]
    id_wnids = model_wnids[::-1]   # ILSVRC2012_ID k is model class 10 - k
    (tmp_path / 'synset_words.txt').write_text(''.join(
        '{} class {}\n'.format(w, k) for k, w in enumerate(model_wnids)))
    (tmp_path / 'ids.txt').write_text('\n'.join(id_wnids) + '\n')
    # IDs 4, 6, 3 are model classes 6 (top-1), 4 (top-5 only), 7 (miss).
    # Read without the mapping they would be classes 3, 5, 2 instead.
    (tmp_path / 'gt.txt').write_text('4\n6\n3\n')
    images = _images(str(tmp_path / 'val'))
    top1, top5 = classify.main([
        model, '--val-dir', images, '--ground-truth', str(tmp_path / 'gt.txt'),
        '--id-synsets', str(tmp_path / 'ids.txt'),
        '--synset-words', str(tmp_path / 'synset_words.txt')])
    assert top1 == pytest.approx(2 / 3) and top5 == pytest.approx(1 / 3)
    assert 'top-1 error 66.667%, top-5 error 33.333%' in \
        capsys.readouterr().out


def test_bad_ground_truth_id_is_named(tmp_path):
    with pytest.raises(ValueError, match='line 2: ILSVRC2012_ID 11'):
        classify.model_labels([1, 11], ['a'] * 10, ['a'] * 10)


def test_preprocess_crops_the_centre_in_bgr_minus_the_mean(tmp_path):
    pixels = numpy.zeros((256, 512, 3), numpy.uint8)
    pixels[:, :256] = (200, 100, 50)       # left half, RGB
    pixels[:, 256:] = (10, 20, 30)
    path = str(tmp_path / 'two.png')
    Image.fromarray(pixels).save(path)
    x = classify.preprocess(path)
    assert x.shape == (3, 224, 224) and x.dtype == numpy.float32
    # the crop spans columns 144..367, so the halves meet at column 112
    mean = classify.VGG_MEAN_BGR
    numpy.testing.assert_allclose(x[:, 50, 100], [50, 100, 200] - mean)
    numpy.testing.assert_allclose(x[:, 50, 130], [30, 20, 10] - mean)


def test_inference_keeps_no_gradients(tmp_path):
    model_path = str(tmp_path / 'vgg.caffemodel')
    make_random.main([model_path, '--width', '0.0625',
                      '--classes', str(N_CLASSES)])
    model = classify.CaffeFunction(model_path)
    classify.predict(model, [os.path.join(_images(str(tmp_path / 'i'), 1),
                                          'ILSVRC2012_val_00000001.JPEG')])
    assert all(param.grad is None for param in model.params())


def test_needs_exactly_one_input_kind(tmp_path):
    with pytest.raises(SystemExit):
        classify.main(['model.caffemodel'])
    with pytest.raises(SystemExit):
        classify.main(['model.caffemodel', '--val-dir', str(tmp_path)])
