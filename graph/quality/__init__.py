"""The data-quality checks: the model's SHACL shapes run over the graph, chunk by chunk."""
