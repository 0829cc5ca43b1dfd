"""Retrieval: load a published index; query -> dense + lexical candidates -> fusion -> rerank."""
