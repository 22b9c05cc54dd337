"""ouhai-tracker: the promises in official reply letters, tracked."""

__version__ = "0.1.0"
