"""Loaders: one module per kind of source, each mapping its records into the graph through the model.

``LOADERS`` maps a ``pankg load KIND`` name to a function that turns the paths or URLs given on the
command line into sources; ``lenient`` asks the sources to skip bad records and list them instead of
failing (see :mod:`loaders.records`). The demo generator (``pankg demo``) lives here too, as the ``demo`` source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from loaders import codemeta, crossref, datacite, icat, nexus, panet, panosc, rdf, scicat, software_catalogue
from loaders.base import Source

LOADERS: dict[str, Callable[[list[str], bool], Sequence[Source]]] = {
    codemeta.NAME: codemeta.sources,
    crossref.NAME: crossref.sources,
    datacite.NAME: datacite.sources,
    icat.NAME: icat.sources,
    nexus.NAME: nexus.sources,
    panet.NAME: panet.sources,
    panosc.NAME: panosc.sources,
    rdf.NAME: rdf.sources,
    scicat.NAME: scicat.sources,
    software_catalogue.NAME: software_catalogue.sources,
}
