"""The composition root: the ``pankg`` command line, the ASGI app and settings.

The only package that imports both ``loaders`` and ``resolvers``; nothing imports it back.
"""

from importlib import metadata

try:
    __version__ = metadata.version("pankg")
except metadata.PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
