"""Runs a Caffe ImageNet classifier (VGG-16) with dynet's Caffe loader.

Classify a folder of images (top-5 classes of each)::

    python examples/caffe/classify_imagenet.py VGG_ILSVRC_16_layers.caffemodel \
        --images photos/ [--synset-words synset_words.txt]

Score the ILSVRC2012 validation set (single 224x224 centre crop)::

    python examples/caffe/classify_imagenet.py VGG_ILSVRC_16_layers.caffemodel \
        --val-dir ILSVRC2012_img_val/ \
        --ground-truth ILSVRC2012_validation_ground_truth.txt \
        --id-synsets ilsvrc2012_id_synsets.txt \
        --synset-words synset_words.txt

Images are resized so the shorter side is 256 (``--resize``), centre
cropped to 224 (``--crop``), turned into BGR and the VGG mean pixel
(B 103.939, G 116.779, R 123.68) is subtracted, as VGG's authors did.
The network runs in test mode (dropout is the identity) under
``no_backprop_mode``, so no graph or gradient memory is kept.

The 1000 outputs are in WNID (synset) order, the order of Caffe's
``synset_words.txt``. The devkit's ground truth uses ILSVRC2012_IDs
(1-1000), a different order: ``--id-synsets`` gives the WNID of each
ILSVRC2012_ID (line k holds the WNID of ID k, as listed in the devkit's
``meta.mat``; a ``.mat`` file is read with scipy), and every label is
mapped to its model index before scoring.
"""
import argparse
import os
import sys

import numpy
from PIL import Image

import dynet
from dynet import iterators
from dynet.links.caffe import CaffeFunction

VGG_MEAN_BGR = numpy.array([103.939, 116.779, 123.68], dtype=numpy.float32)
IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.ppm')


def preprocess(path, resize=256, crop=224):
    """A float32 (3, crop, crop) BGR array with the mean pixel removed."""
    with Image.open(path) as image:
        image = image.convert('RGB')
        width, height = image.size
        scale = resize / min(width, height)
        size = (max(crop, int(round(width * scale))),
                max(crop, int(round(height * scale))))
        image = image.resize(size, Image.BILINEAR)
        left = (size[0] - crop) // 2
        top = (size[1] - crop) // 2
        image = image.crop((left, top, left + crop, top + crop))
        pixels = numpy.asarray(image, dtype=numpy.float32)
    bgr = pixels[:, :, ::-1] - VGG_MEAN_BGR
    return numpy.ascontiguousarray(bgr.transpose(2, 0, 1))


class ImageFiles(dynet.dataset.DatasetMixin):
    """Image paths, decoded and preprocessed lazily (by the iterator's
    worker threads)."""

    def __init__(self, paths, resize, crop):
        self.paths = paths
        self.resize = resize
        self.crop = crop

    def __len__(self):
        return len(self.paths)

    def get_example(self, i):
        return preprocess(self.paths[i], self.resize, self.crop)


def predict(model, paths, batchsize=32, device='@numpy', resize=256,
            crop=224, top=5):
    """The indices of the ``top`` best classes of every image, best
    first: an int array (len(paths), top)."""
    device = dynet.get_device(device)
    iterator = iterators.MultithreadIterator(
        ImageFiles(paths, resize, crop), batchsize, repeat=False,
        shuffle=False, n_threads=2)
    rankings = []
    with dynet.using_config('train', False), dynet.no_backprop_mode():
        for batch in iterator:
            x = device.send(numpy.stack(batch))
            prob, = model(inputs={'data': x}, outputs=['prob'])
            scores = dynet.backend.CpuDevice().send(prob.array)
            rankings.append(numpy.argsort(-scores, axis=1)[:, :top])
    iterator.finalize()
    if not rankings:
        return numpy.zeros((0, top), dtype=numpy.int64)
    return numpy.concatenate(rankings)


def read_wnids(path):
    """The WNID of each line of a synset list (``n01440764 tench, ...``
    or a bare WNID per line); a ``.mat`` file is the devkit's meta.mat,
    read in ILSVRC2012_ID order."""
    if path.endswith('.mat'):
        from scipy.io import loadmat
        synsets = loadmat(path, squeeze_me=True)['synsets']
        by_id = {int(s['ILSVRC2012_ID']): str(s['WNID']) for s in synsets}
        return [by_id[i] for i in range(1, 1001)]
    with open(path) as f:
        return [line.split()[0] for line in f if line.strip()]


def read_words(path):
    with open(path) as f:
        return [line.strip().split(' ', 1)[-1] for line in f if line.strip()]


def model_labels(ground_truth_ids, id_wnids, model_wnids):
    """Maps ILSVRC2012_IDs (1-based, devkit order) to the model's output
    indices (WNID order)."""
    index_of = {wnid: i for i, wnid in enumerate(model_wnids)}
    labels = []
    for line, ilsvrc_id in enumerate(ground_truth_ids, 1):
        if not 1 <= ilsvrc_id <= len(id_wnids):
            raise ValueError(
                'ground truth line {}: ILSVRC2012_ID {} is outside 1..{} '
                '(the --id-synsets list)'.format(
                    line, ilsvrc_id, len(id_wnids)))
        wnid = id_wnids[ilsvrc_id - 1]
        if wnid not in index_of:
            raise ValueError('ground truth line {}: WNID {} is not among '
                             'the model synsets'.format(line, wnid))
        labels.append(index_of[wnid])
    return numpy.array(labels, dtype=numpy.int64)


def top_k_errors(rankings, labels):
    """(top-1 error, top-5 error) of rankings (N, >=5) against labels."""
    hits = rankings == labels[:, None]
    return 1 - hits[:, :1].any(axis=1).mean(), 1 - hits[:, :5].any(axis=1).mean()


def validation_paths(val_dir, count):
    return [os.path.join(val_dir, 'ILSVRC2012_val_{:08d}.JPEG'.format(i))
            for i in range(1, count + 1)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('model', help='the .caffemodel (either format)')
    parser.add_argument('--images', help='a folder of images to classify')
    parser.add_argument('--val-dir', help='ILSVRC2012 validation images')
    parser.add_argument('--ground-truth',
                        help='ILSVRC2012_validation_ground_truth.txt')
    parser.add_argument('--id-synsets', help='WNIDs in ILSVRC2012_ID order '
                        '(text, one per line, or the devkit meta.mat)')
    parser.add_argument('--synset-words', help="the model's synset list "
                        '(synset_words.txt: WNID and words per line)')
    parser.add_argument('--limit', type=int, default=None,
                        help='score only the first N validation images')
    parser.add_argument('--batchsize', type=int, default=32)
    parser.add_argument('--device', default='@numpy',
                        help="'@numpy' or a GPU such as '@cupy:0'")
    parser.add_argument('--resize', type=int, default=256)
    parser.add_argument('--crop', type=int, default=224)
    args = parser.parse_args(argv)
    if bool(args.images) == bool(args.val_dir):
        parser.error('give exactly one of --images and --val-dir')
    if args.val_dir and not (args.ground_truth and args.id_synsets and
                             args.synset_words):
        parser.error('--val-dir needs --ground-truth, --id-synsets and '
                     '--synset-words')

    model = CaffeFunction(args.model)
    model.to_device(args.device)

    if args.images:
        paths = sorted(os.path.join(args.images, name)
                       for name in os.listdir(args.images)
                       if name.lower().endswith(IMAGE_EXTENSIONS))
        words = read_words(args.synset_words) if args.synset_words else None
        rankings = predict(model, paths, args.batchsize, args.device,
                           args.resize, args.crop)
        for path, ranking in zip(paths, rankings):
            names = [words[i] if words else str(i) for i in ranking]
            print('{}: {}'.format(os.path.basename(path), ' | '.join(names)))
        return rankings

    with open(args.ground_truth) as f:
        ground_truth = [int(line) for line in f if line.strip()]
    if args.limit is not None:
        ground_truth = ground_truth[:args.limit]
    labels = model_labels(ground_truth, read_wnids(args.id_synsets),
                          read_wnids(args.synset_words))
    rankings = predict(model, validation_paths(args.val_dir, len(labels)),
                       args.batchsize, args.device, args.resize, args.crop)
    top1, top5 = top_k_errors(rankings, labels)
    print('{} images: top-1 error {:.3%}, top-5 error {:.3%}'.format(
        len(labels), top1, top5))
    return top1, top5


if __name__ == '__main__':
    sys.exit(0 if main() is not None else 1)
