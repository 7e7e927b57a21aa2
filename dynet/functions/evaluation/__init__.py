"""evaluation functions."""
