"""Public names of this category (re-exported by dynet.functions)."""
from dynet.functions.evaluation.accuracy import accuracy  # NOQA
from dynet.functions.evaluation.binary_accuracy import binary_accuracy  # NOQA
from dynet.functions.evaluation.classification_summary import (  # NOQA
    classification_summary, f1_score, fbeta_score, precision, recall)
from dynet.functions.evaluation.r2_score import r2_score  # NOQA

__all__ = [
    'accuracy', 'binary_accuracy', 'classification_summary', 'f1_score',
    'fbeta_score', 'precision', 'r2_score', 'recall',
]
