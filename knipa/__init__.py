"""Knipa: an open-source pelvic floor training coach."""

__version__ = "0.1.0"
