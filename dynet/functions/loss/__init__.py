"""loss functions."""
