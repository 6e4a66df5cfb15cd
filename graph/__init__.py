"""The graph layer: the RDF model, IRI minting and the stores. Knows nothing of HTTP or GraphQL."""
