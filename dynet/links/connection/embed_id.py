"""Embedding layer."""
from dynet import initializers
from dynet import link
from dynet.functions.connection.embed_id import embed_id
from dynet.variable import Parameter


class EmbedID(link.Link):
    """Holds the embedding matrix ``W`` (in_size, out_size) of
    ``F.embed_id``.

    Args:
        in_size (int): number of ids (vocabulary size).
        out_size (int): size of an embedding.
        initialW: initializer of ``W``; default ``Normal(1.0)``.
        ignore_label (int or None): id whose embedding is zero.
    """

    ignore_label = None

    def __init__(self, in_size, out_size, initialW=None, ignore_label=None):
        super().__init__()
        self.ignore_label = ignore_label
        with self.init_scope():
            if initialW is None:
                initialW = initializers.Normal(1.0)
            self.W = Parameter(initialW, (in_size, out_size))

    @classmethod
    def from_params(cls, W, ignore_label=None):
        """An EmbedID whose ``W`` is a copy of the array ``W``."""
        in_size, out_size = W.shape
        return cls(in_size, out_size, initialW=W.copy(),
                   ignore_label=ignore_label)

    def forward(self, x):
        """Embeddings of the ids ``x``: shape ``x.shape + (out_size,)``."""
        return embed_id(x, self.W, ignore_label=self.ignore_label)
