"""The embedded store: named graphs per source, written (bulk writer, registry, updates, release) and read (scopes,
a worker's read-only view) through GraphStore, with RDF from outside let in by one door (rdf_input)."""
