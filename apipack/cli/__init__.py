"""The command line: the one composition root. One module per command group, imported lazily."""
