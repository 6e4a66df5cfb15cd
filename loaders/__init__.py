"""Loaders: one family of modules per kind of source, each mapping its records into the graph through the model.

``LOADERS`` maps a ``pankg load KIND`` name to the ``sources(paths, options)`` of its loader module; every
module in it satisfies :class:`loaders.base.Loader`, which mypy checks on :data:`MODULES`. ``options``
(:class:`loaders.base.LoadOptions`) carries what the caller decides, such as ``lenient``, which asks the sources
to skip bad records and list them instead of failing (see :mod:`loaders.records`).

A *family* is the modules of one source, named by its prefix (``scicat.py``, ``scicat_api.py``, ...). A family
imports its own modules and the shared ones, which belong to no source (:mod:`loaders.base`,
:mod:`loaders.records`, :mod:`loaders.fields`, :mod:`loaders.json_yaml`, :mod:`loaders.safe_xml`,
:mod:`loaders.licences`, :mod:`loaders.dates`), never another family's:
``tests/loaders/test_contract.py`` walks the imports. The demo generator (``pankg demo``) lives here too, as the
``demo`` source.
"""

from __future__ import annotations

from loaders import codemeta, crossref, datacite, icat, nexus, panet, panosc, rdf, scicat, software_catalogue
from loaders.base import FindSources, Loader

MODULES: tuple[Loader, ...] = (codemeta, crossref, datacite, icat, nexus, panet, panosc, rdf, scicat,
                               software_catalogue)
"""Every loader module ``pankg load`` knows; typed, so that mypy checks each against the contract."""

LOADERS: dict[str, FindSources] = {module.NAME: module.sources for module in MODULES}
