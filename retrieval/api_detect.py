"""Finding the API a request is about when the caller did not name one.

Each API gets a short document (title, provider, the id's words, the description's first
sentence). A request is scored against every API lexically (BM25 over those documents,
normalised to the share of the query's weight it matches) and densely (cosine with the API's
vector). The searcher adds the best evidence from the API's own endpoints before choosing.
"""

from __future__ import annotations

import numpy as np

from index_builder.lexical import LexicalIndex
from index_builder.texts import api_text_of
from index_builder.tokens import tokenize


class ApiDetector:
    def __init__(self, api_rows: list[dict], api_vectors: np.ndarray) -> None:
        self.api_ids = [a["api_id"] for a in api_rows]
        docs = [tokenize(api_text_of(a["api_id"], a["title"], a["provider"], a["description"]))
                for a in api_rows]
        self.lexical = LexicalIndex.build(docs)
        self.vectors = api_vectors

    def scores(self, tokens: list[str], q_vec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(lexical, dense) score of every API, in index order."""
        return self.lexical.normalized_scores(tokens), self.vectors @ q_vec
