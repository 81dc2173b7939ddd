"""Mercato: a multi-agent commerce platform."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mercato")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+local"
