"""The search index beside the store: the read model for every list, count and facet (docs/search.md).

The graph stays the truth; a tantivy index, rebuilt from it, answers "which datasets, in which order, how many,
counted by what" in milliseconds where SPARQL sorts and counts every row. One module per job:

- :mod:`graph.search.schema`: the fields, the text analyzer and the sortable keys (what tantivy-py 0.27 offers
  and does not);
- :mod:`graph.search.facts`: what the graph says of a chunk of datasets, in a few batched SPARQL queries, each
  fact with the access key of the graph it came from;
- :mod:`graph.search.documents`: those facts as documents, one per dataset and reader (the access rule);
- :mod:`graph.search.entities`: publications, software, instruments and people as documents, and their queries;
- :mod:`graph.search.index`: the index on disk beside the store, the store write version it reflects, rebuild
  and catch-up;
- :mod:`graph.search.query`: :class:`DatasetQuery`, filters and free text as tantivy queries, in a scope;
- :mod:`graph.search.search`: pages with stable cursors, totals and facet counts.
"""

from graph.search.entities import EntityQuery
from graph.search.index import SearchIndex
from graph.search.query import DatasetQuery, Order, ParameterRange
from graph.search.search import Hit, Page

__all__ = ["DatasetQuery", "EntityQuery", "Hit", "Order", "Page", "ParameterRange", "SearchIndex"]
