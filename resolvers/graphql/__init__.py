"""The GraphQL API (strawberry) at ``/graphql``: datasets, techniques, software, people, papers and their
links both ways, searches as cursor connections, lineage, with batched loading and request limits.

Modules: ``schema`` (root Query), ``types_data`` and ``types_things`` (types), ``batch`` (one SPARQL query
per request level), ``filters``, ``pagination``, ``lineage``, ``safety`` (limits, error masking),
``context`` (per-request store scope and deadline), ``http`` (GraphQL over HTTP), ``ide`` (offline page).
"""

from __future__ import annotations

from resolvers.graphql.http import routes

__all__ = ["routes"]
