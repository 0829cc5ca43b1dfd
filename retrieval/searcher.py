"""The searcher: a request (and maybe an API) -> ranked endpoints and examples.

Stages (``SearchResult.timings_ms`` reports each):
1. embed the request; tokenise it.
2. API named: score every endpoint of that API. Not named: take dense (FAISS) and lexical
   candidates over the whole index, score every API (``ApiDetector`` plus the best candidate
   endpoint of each), keep a shortlist of APIs and score all their endpoints.
3. Endpoint score = ``dense * w_dense + lexical * w_lexical + method prior`` (+ the API's own
   score when no API was named), or reciprocal-rank fusion of the two lists (``fusion="rrf"``).
   Inside an API the request words most of its endpoints share (``common_share``; above all the
   API's own name) earn nothing, while the API keeps, against other APIs, the level its full
   text earned.
4. Optionally rerank the top ``rerank_candidates`` with a cross-encoder.

``channels`` limits stage 3 to "dense" or "lexical" alone (for the evaluation's baselines).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from apipack.errors import EmptyQueryError, IndexMismatchError
from index_builder.embeddings import TextEmbedder
from index_builder.texts import path_literal_tokens
from index_builder.tokens import query_tokens
from retrieval.api_detect import ApiDetector
from retrieval.api_prefix import prefix_tokens
from retrieval.fusion import rrf
from retrieval.index import LoadedIndex
from retrieval.intent import method_prior, shape_prior
from retrieval.types import Example, Hit, Reranker, SearchResult
from retrieval.value_cues import FitWeights, RequestCues, path_fit, request_cues


def single_threaded_math() -> None:
    """One query is small work: BLAS and FAISS thread pools only add wake-up latency, and badly so
    on a busy machine (measured: a flat search over 92k vectors 280 ms pooled vs ~15 ms alone)."""
    import faiss
    from threadpoolctl import threadpool_limits

    faiss.omp_set_num_threads(1)
    threadpool_limits(1)


@dataclass
class SearchWeights:
    dense: float = 1.0
    lexical: float = 1.0
    method: float = 0.12
    api_lexical: float = 0.15
    api_dense: float = 0.2
    api_shortlist: int = 8
    candidates: int = 100  # per channel, whole-index search (200 ranked the same, slower)
    confidence_temperature: float = 0.05
    path_unmatched: float = 0.03  # penalty per literal path word the request does not mention
    fit: FitWeights | None = FitWeights()  # value cues (``retrieval.value_cues``); None turns them off
    fit_candidates: int = 15  # per API, the best this many by text get the value-cue adjustment (30: same)
    common_share: float | None = 0.5  # inside an API, a request word in more than this share of its endpoints earns nothing
    api_prefix: float = 0.2  # times the share of a "name: ..." lead-in that an API's names match


class Searcher:
    def __init__(self, index: LoadedIndex, embedder: TextEmbedder, reranker: Reranker | None = None, *,
                 weights: SearchWeights | None = None, channels: Sequence[str] = ("dense", "lexical"),
                 fusion: str = "linear", rerank_candidates: int = 20) -> None:
        expected = index.manifest["embedding"]
        if expected["model"] != embedder.name or expected["dim"] != embedder.dim:
            raise IndexMismatchError(
                f"index {index.version} was embedded with {expected['model']!r} ({expected['dim']} dims) "
                f"but the query embedder is {embedder.name!r} ({embedder.dim}); set APIPACK_EMBED_MODEL "
                "to match or rebuild the index with `apipack index build`")
        if fusion not in ("linear", "rrf"):
            raise ValueError(f"unknown fusion {fusion!r}")
        single_threaded_math()
        self.index = index
        self.embedder = embedder
        self.reranker = reranker
        self.weights = weights or SearchWeights()
        self.channels = tuple(channels)
        self.fusion = fusion
        self.rerank_candidates = rerank_candidates
        self._path_words: dict[str, tuple[np.ndarray, dict[str, np.ndarray]]] = {}
        self.detector = ApiDetector([index.api_rows[a] for a in index.api_order], index.api_dense)
        self._methods = sorted({r["method"] for r in index.rows})
        code = {m: i for i, m in enumerate(self._methods)}
        self._method_codes = np.array([code[r["method"]] for r in index.rows], dtype=np.int16)
        self._api_of_row = np.repeat(np.arange(len(index.api_order)),
                                     [index.api_rows[a]["endpoint_count"] for a in index.api_order])

    # -- scoring ----------------------------------------------------------------------------
    def _dense_rows(self, vec_slice: slice, row_slice: slice, q_vec: np.ndarray) -> np.ndarray:
        """Per endpoint of a row range: the best cosine over its indexed texts."""
        sims = self.index.dense[vec_slice] @ q_vec
        owners = self.index.dense_owner[vec_slice] - row_slice.start
        out = np.full(row_slice.stop - row_slice.start, -1.0, dtype=np.float32)
        np.maximum.at(out, owners, sims)
        return out

    def _combine(self, dense: np.ndarray, lex: np.ndarray, methods: np.ndarray, prior: dict[str, float]
                 ) -> np.ndarray:
        """``methods``: the rows' codes in ``self._methods`` (an array: no per-row dict lookups)."""
        w = self.weights
        use_d, use_l = "dense" in self.channels, "lexical" in self.channels
        if self.fusion == "rrf" and use_d and use_l:
            ids = range(len(dense))
            fused = rrf([sorted(ids, key=lambda i: -dense[i]), sorted(ids, key=lambda i: -lex[i])])
            score = np.array([fused[i] for i in ids], dtype=np.float32) * 30.0  # ~[0, 1]
        else:
            score = (w.dense * dense if use_d else 0.0) + (w.lexical * lex if use_l else 0.0)
            score = np.asarray(score, dtype=np.float32)
        if prior and use_d and use_l:
            by_code = np.array([prior.get(m, 0.0) for m in self._methods], dtype=np.float32)
            score = score + w.method * by_code[methods]
        return score

    def _score_api(self, api_id: str, q_vec: np.ndarray, tokens: list[str], prior: dict[str, float]
                   ) -> tuple[slice, np.ndarray, np.ndarray, np.ndarray, float]:
        """Per endpoint of one API: dense, lexical and fused scores, and the API's level (its best
        fused score with every request word counted, for comparing APIs; ``common_share`` only
        reorders the endpoints inside the API)."""
        rows = self.index.rows_of(api_id)
        dense = self._dense_rows(self.index.vecs_of(api_id), rows, q_vec)
        both = "lexical" in self.channels and "dense" in self.channels
        if self.weights.common_share is not None and both:
            lex, local = self.index.lexical.normalized_pair(tokens, rows, self.weights.common_share)
        else:
            lex = local = self.index.lexical.normalized_scores(tokens, rows)
        fused = self._combine(dense, lex, self._method_codes[rows], prior)
        if self.weights.path_unmatched and both:
            fused = fused - self.weights.path_unmatched * self._unmatched_path_words(api_id, rows, set(tokens))
        level = float(fused.max()) if len(fused) else 0.0
        if local is not lex:
            fused = fused - self.weights.lexical * (lex - local)
            lex = local
        return rows, dense, lex, fused, level

    def _unmatched_path_words(self, api_id: str, rows: slice, query: set[str]) -> np.ndarray:
        """Per endpoint of one API, how many literal words of its path the request does not mention:
        the path's word count less the request's words found through a per-API word -> rows map."""
        cached = self._path_words.get(api_id)
        if cached is None:
            postings: dict[str, list[int]] = {}
            lengths = np.zeros(rows.stop - rows.start, dtype=np.float32)
            for i in range(rows.start, rows.stop):
                row = self.index.rows[i]
                words = row["ptok"] if "ptok" in row else path_literal_tokens(row["path"])  # older indexes
                lengths[i - rows.start] = len(words)
                for w in words:
                    postings.setdefault(w, []).append(i - rows.start)
            cached = self._path_words[api_id] = (lengths, {w: np.array(r) for w, r in postings.items()})
        lengths, postings = cached
        missing = lengths.copy()
        for word in query & postings.keys():
            missing[postings[word]] -= 1
        return missing

    def _apply_value_cues(self, fused: np.ndarray, rows: slice, cues: RequestCues) -> None:
        """Adjust (in place) the text-best endpoints of one API by how their paths fit the request's values."""
        w = self.weights.fit
        if w is None or "dense" not in self.channels or "lexical" not in self.channels:
            return
        top = np.argsort(-fused)[: self.weights.fit_candidates]
        for i in top:
            fused[i] += path_fit(cues, self.index.rows[rows.start + int(i)]["path"], w)

    def _shortlist(self, query: str, q_vec: np.ndarray, tokens: list[str]) -> tuple[list[int], np.ndarray]:
        """API positions worth scoring in full, and every API's own score."""
        w = self.weights
        api_lex, api_dense = self.detector.scores(tokens, q_vec)
        api_score = w.api_lexical * api_lex + w.api_dense * api_dense
        lead_in = prefix_tokens(query)
        if lead_in and w.api_prefix:
            api_score = api_score + w.api_prefix * self.detector.lexical.normalized_scores(lead_in)
        n = min(w.candidates, len(self.index.dense))
        evidence = np.zeros(len(api_score), dtype=np.float32)
        if "dense" in self.channels:
            sims, idx = self.index.faiss.search(q_vec[None, :].astype(np.float32), n)
            rows = self.index.dense_owner[idx[0][idx[0] >= 0]]
            np.maximum.at(evidence, self._api_of_row[rows], w.dense * sims[0][idx[0] >= 0])
        if "lexical" in self.channels:
            lex = self.index.lexical.normalized_scores(tokens)
            top = np.argpartition(-lex, min(n, len(lex) - 1))[:n]
            np.maximum.at(evidence, self._api_of_row[top], w.lexical * lex[top])
        total = api_score + evidence
        m = min(w.api_shortlist, len(total))
        order = np.argpartition(-total, m - 1)[:m]
        return sorted(order.tolist(), key=lambda i: -total[i]), api_score

    # -- the Retriever interface -------------------------------------------------------------
    def search(self, query: str, k: int = 5, *, api: str | None = None) -> SearchResult:
        if not query or not query.strip():
            raise EmptyQueryError("the query is empty: describe the API call you want", param="query")
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        q_vec = self.embedder.encode([query])[0]
        tokens = self.index.lexical.correct(query_tokens(query))
        prior = method_prior(query)
        t1 = time.perf_counter()
        timings["embed"] = (t1 - t0) * 1000
        pool: list[tuple[float, int, float, float, float]] = []  # score, row, dense, lex, fused
        per_api: dict[str, list[tuple[float, int]]] = {}
        if api is not None:
            api_ids, bonus = [self.index.resolve_api(api)], [0.0]
        else:
            positions, api_score = self._shortlist(query, q_vec, tokens)
            api_ids = [self.index.api_order[p] for p in positions]
            both = "dense" in self.channels and "lexical" in self.channels
            bonus = [float(api_score[p]) if both else 0.0 for p in positions]
        shape = shape_prior(query)
        cues = request_cues(query, many=shape == "collection", one=shape == "item")
        for api_id, extra in zip(api_ids, bonus, strict=True):
            rows, dense, lex, fused, level = self._score_api(api_id, q_vec, tokens, prior)
            extra += level - (float(fused.max()) if len(fused) else 0.0)  # the API keeps its full-text level
            self._apply_value_cues(fused, rows, cues)
            best = np.argsort(-fused)[: max(k, self.rerank_candidates, 10)]
            per_api[api_id] = [(float(fused[i]), rows.start + int(i)) for i in best]
            pool.extend((float(fused[i]) + extra, rows.start + int(i), float(dense[i]), float(lex[i]),
                         float(fused[i])) for i in best)
        pool.sort(key=lambda t: -t[0])
        t2 = time.perf_counter()
        timings["retrieve"] = (t2 - t1) * 1000
        keep = max(k, self.rerank_candidates) if self.reranker is not None else k
        hits = [self._hit(row, score, dense, lex, fused) for score, row, dense, lex, fused in pool[:keep]]
        if self.reranker is not None and hits:
            hits = self.reranker.rerank(query, hits[: self.rerank_candidates], k)
            timings["rerank"] = (time.perf_counter() - t2) * 1000
        hits = hits[:k]
        api_id = hits[0].api_id if hits else None
        confidence = 1.0 if api is not None else self._confidence(pool)
        examples = self._examples(per_api.get(api_id, []) if api_id else [])
        timings["total"] = (time.perf_counter() - t0) * 1000
        return SearchResult(query=query, hits=hits, api_id=api_id, api_named=api is not None,
                            api_confidence=confidence, examples=examples, timings_ms=timings)

    def _hit(self, row: int, score: float, dense: float, lex: float, fused: float) -> Hit:
        r = self.index.rows[row]
        return Hit(endpoint_id=r["endpoint_id"], api_id=r["api_id"], method=r["method"], path=r["path"],
                   operation_id=r.get("operation_id"), summary=r.get("summary", ""), score=score,
                   stage_scores={"dense": dense, "lexical": lex, "fused": fused})

    def _confidence(self, pool: list[tuple[float, int, float, float, float]]) -> float:
        """Softmax weight of the best API among the shortlisted APIs' best endpoints."""
        best: dict[str, float] = {}
        for score, row, *_ in pool:
            api_id = self.index.rows[row]["api_id"]
            best[api_id] = max(best.get(api_id, -math.inf), score)
        if not best:
            return 0.0
        t = self.weights.confidence_temperature
        top = max(best.values())
        weights = [math.exp((v - top) / t) for v in best.values()]
        return 1.0 / sum(weights)

    def _examples(self, ranked: list[tuple[float, int]], limit: int = 5) -> list[Example]:
        out: list[Example] = []
        for score, row in ranked[:limit]:
            r = self.index.rows[row]
            for text in r.get("instructions", [])[:1]:
                out.append(Example(instruction=text, endpoint_id=r["endpoint_id"], score=score))
        return out
