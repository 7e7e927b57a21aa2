import urllib.error

import numpy
import pytest

from dynet import datasets
from dynet.dataset import download
from dynet.datasets import ptb


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.setattr(download, '_dataset_root', str(tmp_path / 'cache'))
    texts = {
        'train': ' the cat sat \n the dog <unk> \n\n',
        'valid': ' the dog sat \n',
        'test': ' cat \n',
    }
    served = {ptb._URLS[split]: text.encode() for split, text in
              texts.items()}
    calls = []

    def fetch(url, fileobj):
        calls.append(url)
        if url not in served:
            raise urllib.error.URLError('offline')
        fileobj.write(served[url])

    monkeypatch.setattr(download, '_fetch', fetch)
    return calls


def test_words_and_vocabulary(corpus, tmp_path):
    vocab = datasets.get_ptb_words_vocabulary()
    # numbered by first appearance in train, <eos> after every line
    assert vocab == {'the': 0, 'cat': 1, 'sat': 2, '<eos>': 3, 'dog': 4,
                     '<unk>': 5}
    train, valid, test = datasets.get_ptb_words()
    assert train.dtype == numpy.int32
    assert train.tolist() == [0, 1, 2, 3, 0, 4, 5, 3, 3]
    assert valid.tolist() == [0, 4, 2, 3]
    assert test.tolist() == [1, 3]
    n_calls = len(corpus)
    # cached: vocab.txt and the npz files, no more downloads
    cache = tmp_path / 'cache' / 'pfnet' / 'chainer' / 'ptb'
    assert sorted(p.name for p in cache.iterdir()) == [
        'test.npz', 'train.npz', 'valid.npz', 'vocab.txt']
    assert datasets.get_ptb_words_vocabulary() == vocab
    again = datasets.get_ptb_words()
    assert [a.tolist() for a in again] == [train.tolist(), valid.tolist(),
                                           test.tolist()]
    assert len(corpus) == n_calls


def test_unknown_word_in_test_set(corpus, monkeypatch):
    # a word missing from the training vocabulary is reported
    def fetch(url, fileobj):
        fileobj.write(b'zebra\n' if url == ptb._URLS['test']
                      else b'a b\n')

    monkeypatch.setattr(download, '_fetch', fetch)
    with pytest.raises(ValueError, match='zebra'):
        datasets.get_ptb_words()
