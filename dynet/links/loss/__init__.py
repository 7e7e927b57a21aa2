"""Loss links: layers whose output is a loss and that hold parameters
(a transition matrix, output embeddings) and, for the sampled losses, a
sampler."""
from dynet.links.loss.black_out import BlackOut  # NOQA
from dynet.links.loss.crf1d import CRF1d  # NOQA
from dynet.links.loss.hierarchical_softmax import (  # NOQA
    BinaryHierarchicalSoftmax)
from dynet.links.loss.negative_sampling import NegativeSampling  # NOQA

__all__ = ['BinaryHierarchicalSoftmax', 'BlackOut', 'CRF1d',
           'NegativeSampling']
