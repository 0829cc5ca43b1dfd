"""Searcher on the small index: the contract, API detection, method priors, errors."""

from __future__ import annotations

import pytest

from apipack.errors import EmptyQueryError, UnknownApiError
from retrieval import load_index
from retrieval.searcher import Searcher
from retrieval.types import Hit, SearchResult


@pytest.fixture(scope="module")
def searcher(small_index_dir, embedder):
    return Searcher(load_index(small_index_dir), embedder)


@pytest.mark.parametrize("query", ["", "   \n"])
def test_empty_query_is_refused(searcher, query):
    with pytest.raises(EmptyQueryError, match="empty"):
        searcher.search(query)


def test_unknown_api_is_refused(searcher):
    with pytest.raises(UnknownApiError):
        searcher.search("list pets", api="nope")


def test_named_api_search(searcher):
    result = searcher.search("remove pet 42 from the shop", k=3, api="Pet Store API")
    assert isinstance(result, SearchResult)
    assert result.api_named and result.api_confidence == 1.0 and result.api_id == "petstore.test"
    top = result.hits[0]
    assert isinstance(top, Hit) and (top.method, top.path) == ("DELETE", "/pets/{petId}")
    assert {h.api_id for h in result.hits} == {"petstore.test"}
    assert set(top.stage_scores) == {"dense", "lexical", "fused"}
    assert result.examples and result.examples[0].endpoint_id == top.endpoint_id
    assert result.examples[0].instruction.endswith("with the Pet Store API.")


def test_api_is_found_when_not_named(searcher):
    result = searcher.search("what will the weather be in Paris tomorrow", k=2)
    assert not result.api_named
    assert result.api_id == "weather.test"
    assert (result.hits[0].method, result.hits[0].path) == ("GET", "/forecast/{city}")
    assert 0.0 < result.api_confidence <= 1.0
    assert {"embed", "retrieve", "total"} <= set(result.timings_ms)


def test_channels_and_rrf(small_index_dir, embedder):
    index = load_index(small_index_dir)
    for kw in ({"channels": ("dense",)}, {"channels": ("lexical",)}, {"fusion": "rrf"}):
        hits = Searcher(index, embedder, **kw).search("borrow a book", k=1).hits
        assert hits[0].path == "/loans", kw


def test_common_words_reorder_inside_an_api_but_keep_its_level(small_index_dir, embedder):
    from retrieval.searcher import SearchWeights

    index = load_index(small_index_dir)
    plain = Searcher(index, embedder, weights=SearchWeights(common_share=None))
    local = Searcher(index, embedder, weights=SearchWeights(common_share=0.5))
    for query in ("what will the weather be in Paris tomorrow", "borrow a book", "remove pet 42 from the shop"):
        a, b = plain.search(query, k=3), local.search(query, k=3)
        assert a.api_id == b.api_id, query
        if (a.hits[0].method, a.hits[0].path) == (b.hits[0].method, b.hits[0].path):
            # the API competes with the score its full text earned, whatever its shared words
            assert abs(a.hits[0].score - b.hits[0].score) < 1e-5, query
    # inside the pet store "pet" is in every endpoint: it no longer counts there
    hits = local.search("pet", k=4, api="petstore.test").hits
    assert all(h.stage_scores["lexical"] == 0.0 for h in hits)
