"""The composition root: the ``pankg`` command line, the ASGI app and settings.

The only package that imports both ``loaders`` and ``resolvers``; nothing imports it back.
"""

__version__ = "0.1.0"
