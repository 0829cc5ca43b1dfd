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
