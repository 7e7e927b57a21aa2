"""Connection functions (linear, convolution, embedding, ...)."""
