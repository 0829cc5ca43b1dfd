"""A lead-in that names the API ("plaid: ...") and the brands inside provider host names."""

from __future__ import annotations

import pytest

from index_builder.texts import brand_words
from retrieval import load_index
from retrieval.api_prefix import prefix_tokens
from retrieval.searcher import Searcher, SearchWeights


@pytest.mark.parametrize(("query", "tokens"), [
    ("plaid: pull failed bank transfer events", ["plaid"]),
    ("google calendar: rename my calendar", ["google", "calendar"]),
    ("twilio node: send an sms", ["twilio"]),  # the language is not part of the name
    ("python: list my repos", []),
    ("create a stripe tax rate: 19% VAT in DE", []),  # a sentence, not a name
    ("fetch https://example.com/x", []),
    ("book a meeting at 10:30 tomorrow", []),
    ("list open PRs in torvalds/linux", []),
])
def test_lead_in_names(query: str, tokens: list[str]) -> None:
    assert prefix_tokens(query) == tokens


def test_brands_inside_host_names() -> None:
    assert brand_words("googleapis.com") == "google apis"
    assert brand_words("amazonaws.com") == "amazon aws"
    assert brand_words("hubapi.com") == "hub api"
    assert brand_words("spotify.com") == ""
    assert brand_words("ix-api.net") == ""  # too short a stem to be a brand


def test_a_lead_in_picks_the_api_it_names(sample_index_dir, embedder) -> None:  # noqa: ANN001
    index = load_index(sample_index_dir)
    query = "google: list the languages"
    without = Searcher(index, embedder, weights=SearchWeights(api_prefix=0.0)).search(query, 3)
    with_lead_in = Searcher(index, embedder).search(query, 3)
    assert without.api_id != "googleapis.com/translate"  # "languages" alone points elsewhere
    assert with_lead_in.api_id == "googleapis.com/translate"
