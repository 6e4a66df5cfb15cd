"""Read-side views over the graph: the home page and JSON statistics for now; GraphQL, SPARQL,
Linked Data and the PaNOSC search API arrive as their own modules. Reads go through ``graph``.
"""
