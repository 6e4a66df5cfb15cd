"""Free-text technique names matched to the technique ontologies (PaNET and others) in the store."""
