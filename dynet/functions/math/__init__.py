"""Mathematical functions (exported through ``dynet.functions``)."""
