"""The lexical index: BM25 weights in a sparse document x term matrix.

Weights are computed once at build time (k1, b as usual), so a query is a column slice and a row
sum: a few milliseconds over the whole corpus and a plain row range when the search is limited to
one API (its endpoints are stored contiguously). Kept in-house rather than through ``bm25s`` so
the tokenizer, the per-API restriction and the on-disk format are ours.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from apipack.lru import Lru

K1 = 1.2
B = 0.75


class LexicalIndex:
    def __init__(self, matrix, vocab: dict[str, int]) -> None:  # matrix: scipy.sparse.csc_matrix
        matrix.sort_indices()  # ``scores`` binary-searches each column's row numbers
        self.matrix = matrix
        self.vocab = vocab
        self._colmax: np.ndarray | None = None
        self._by_prefix: dict[str, list[str]] | None = None
        self._corrections: Lru[tuple[str, float], str] = Lru(8192)

    @classmethod
    def build(cls, docs: Sequence[Sequence[str]]) -> LexicalIndex:
        from scipy import sparse

        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        lengths = np.fromiter((len(d) for d in docs), dtype=np.float32, count=len(docs))
        avg = float(lengths.mean()) if len(docs) else 1.0
        for i, doc in enumerate(docs):
            counts: dict[int, int] = {}
            for tok in doc:
                j = vocab.setdefault(tok, len(vocab))
                counts[j] = counts.get(j, 0) + 1
            norm = K1 * (1 - B + B * lengths[i] / max(avg, 1e-6))
            for j, tf in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append(tf * (K1 + 1) / (tf + norm))
        n = len(docs)
        tf_matrix = sparse.csc_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)),
                                      shape=(n, max(len(vocab), 1)))
        df = np.diff(tf_matrix.indptr).astype(np.float32)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        matrix = (tf_matrix @ sparse.diags(idf)).tocsc().astype(np.float32)
        return cls(matrix, vocab)

    def scores(self, tokens: Sequence[str], rows: slice | None = None) -> np.ndarray:
        """BM25 score of every document (or of ``rows``) for the query tokens."""
        return self._accumulate(tokens, rows, None)[0]

    def _accumulate(self, tokens: Sequence[str], rows: slice | None, common_share: float | None
                    ) -> tuple[np.ndarray, np.ndarray | None]:
        """BM25 scores, and with ``rows`` and ``common_share`` the same scores without the tokens
        found in more than that share of the rows, both in one pass over the query's columns."""
        cols = [self.vocab[t] for t in dict.fromkeys(tokens) if t in self.vocab]
        start, stop = (0, self.matrix.shape[0]) if rows is None else (rows.start, rows.stop)
        full = np.zeros(stop - start, dtype=np.float32)
        local = np.zeros(stop - start, dtype=np.float32) if rows is not None and common_share is not None else None
        # straight from the CSC arrays: a column's row numbers are sorted, so one API's rows are a
        # binary-searched run; scipy's column-then-row slicing cost ~0.25 ms a call, this ~15 us
        indptr, indices, data = self.matrix.indptr, self.matrix.indices, self.matrix.data
        for col in cols:
            a, b = indptr[col], indptr[col + 1]
            if rows is not None:
                lo, hi = np.searchsorted(indices[a:b], (start, stop))
                a, b = a + lo, a + hi
            at, weight = indices[a:b] - start, data[a:b]
            full[at] += weight  # a column holds each row once
            if local is not None and not (b - a > common_share * (stop - start) and stop - start > 1):
                local[at] += weight
        return full, local

    def _divisor(self, tokens: Sequence[str]) -> float:
        cols = [self.vocab[t] for t in dict.fromkeys(tokens) if t in self.vocab]
        return max(float(self.column_max[cols].sum()), 1e-6) if cols else 1.0

    def normalized_scores(self, tokens: Sequence[str], rows: slice | None = None, *,
                          common_share: float | None = None) -> np.ndarray:
        """BM25 scores divided by the best score each query term can give: about the idf-weighted
        share of the query found in the document, comparable across queries and APIs.

        ``common_share`` (with ``rows``): a term found in more than this share of the rows earns
        nothing there (it still counts in the divisor). Inside one API the words most of its
        endpoints share, above all the API's own name, say nothing about which endpoint is meant,
        but they would favour the endpoints whose description repeats them."""
        full, local = self._accumulate(tokens, rows, common_share)
        return (full if local is None else local) / self._divisor(tokens)

    def normalized_pair(self, tokens: Sequence[str], rows: slice, common_share: float
                        ) -> tuple[np.ndarray, np.ndarray]:
        """``normalized_scores`` of ``rows`` without and with ``common_share``, from one pass."""
        full, local = self._accumulate(tokens, rows, common_share)
        divisor = self._divisor(tokens)
        return full / divisor, (local if local is not None else full) / divisor

    @property
    def column_max(self) -> np.ndarray:
        if getattr(self, "_colmax", None) is None:
            self._colmax = np.asarray(self.matrix.max(axis=0).todense(), dtype=np.float32).ravel()
        return self._colmax

    def correct(self, tokens: Sequence[str], min_ratio: float = 0.8) -> list[str]:
        """Tokens with misspelt unknown words (5+ letters) replaced by the closest known word
        sharing their first two letters ("regoin" -> "region"); known words unchanged."""
        out = []
        for tok in tokens:
            if tok in self.vocab or len(tok) < 5 or not tok.isalpha():
                out.append(tok)
                continue
            # remembered: a unknown word is compared with every known word of its prefix (~1 ms)
            key = (tok, min_ratio)
            best = self._corrections.get(key)
            if best is None:
                best = self._closest(tok, min_ratio)
                self._corrections.put(key, best)
            out.append(best)
        return out

    def _closest(self, tok: str, min_ratio: float) -> str:
        best, best_ratio = tok, min_ratio
        for cand in self.by_prefix.get(tok[:2], ()):
            if abs(len(cand) - len(tok)) <= 2:
                ratio = difflib.SequenceMatcher(None, tok, cand).ratio()
                if ratio > best_ratio:
                    best, best_ratio = cand, ratio
        return best

    @property
    def by_prefix(self) -> dict[str, list[str]]:
        if self._by_prefix is None:
            self._by_prefix = {}
            for word in self.vocab:
                if len(word) >= 4 and word.isalpha():
                    self._by_prefix.setdefault(word[:2], []).append(word)
        return self._by_prefix

    def save(self, folder: Path) -> None:
        from scipy import sparse

        sparse.save_npz(folder / "lexical.npz", self.matrix, compressed=False)
        (folder / "vocab.json").write_text(json.dumps(self.vocab))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        from scipy import sparse

        return cls(sparse.load_npz(folder / "lexical.npz").tocsc(),
                   json.loads((folder / "vocab.json").read_text()))
