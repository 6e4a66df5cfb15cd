"""Records written back out of the graph (DataCite XML today), one home the CLI and HTTP both use."""
