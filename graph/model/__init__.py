"""The model: every entity kind as a plain record, the IRIs minted for it, and how it becomes quads of RDF."""
