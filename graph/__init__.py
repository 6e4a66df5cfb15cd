"""The graph layer: the model, the store and what reads and checks it. Knows nothing of HTTP or GraphQL.

One package per job; read them in this order (each runs with only those before it, and :mod:`graph.errors`):

- :mod:`graph.techniques`: free-text technique names to ontology terms (the vocabulary read from a store it is
  given);
- :mod:`graph.model`: what the graph holds. Start at ``model/schema.py`` (every kind, field and link, and what
  an embargoed dataset's public stub keeps), then ``entities.py`` (the records loaders fill), ``iris.py`` (the
  IRIs) and ``writer.py`` (records to quads, with the mappers it dispatches to);
- :mod:`graph.query`: SPARQL as callers send it: what a query may do, decided on its parse tree; the engine
  kept off the network; results and formats as plain values;
- :mod:`graph.store`: the embedded store (``embedded.py``; reads in ``reads.py``, writes in ``writes.py`` with
  the bulk writer, the registry of sources, updates of user graphs, embargo release); nothing outside ``graph/``
  touches pyoxigraph;
- :mod:`graph.search`: the search index beside the store (tantivy), the read model of lists, counts and facets;
- :mod:`graph.quality`: the SHACL checks of ``pankg validate``;
- :mod:`graph.exports`: records written back out (DataCite XML), for the CLI and HTTP alike.
"""
