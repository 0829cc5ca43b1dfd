"""Values named in an instruction, and the parameters they fill."""

from __future__ import annotations

from apipack.openapi.model import Endpoint, Parameter, RequestBody
from generation.values import extract_mentions, fill_values


def _ep(method: str, path: str, *params: Parameter, body: RequestBody | None = None) -> Endpoint:
    return Endpoint(api_id="t", method=method, path=path, parameters=params, request_body=body)


def _q(name: str, type_: str = "string", **extra: object) -> Parameter:
    return Parameter(name, "query", schema={"type": type_, **extra})


def _p(name: str) -> Parameter:
    return Parameter(name, "path", required=True, schema={"type": "string"})


def _filled(instruction: str, endpoint: Endpoint) -> dict[str, object]:
    return {f.name: f.value for f in fill_values(instruction, endpoint)}


def test_mentions_carry_their_span() -> None:
    text = 'book room "Blue Lagoon" for ana@x.org on 2025-02-03, see https://x.org/r?id=1'
    kinds = {m.kind: m for m in extract_mentions(text)}
    assert set(kinds) >= {"quoted", "email", "date", "url"}
    for m in kinds.values():
        assert text[m.start:m.end] == m.value
    assert kinds["quoted"].value == "Blue Lagoon"


def test_key_value_wins_by_name() -> None:
    ep = _ep("GET", "/orders", _q("status"), _q("page_size", "integer"))
    assert _filled("orders with status=shipped page_size: 20", ep) == {"status": "shipped", "page_size": 20}


def test_email_and_date_go_to_parameters_of_their_format() -> None:
    ep = _ep("GET", "/audit", _q("actor_email", format="email"), _q("since", format="date"), _q("limit", "integer"))
    got = _filled("audit entries by kim@corp.example since 2023-11-30, at most 40", ep)
    assert got == {"actor_email": "kim@corp.example", "since": "2023-11-30", "limit": 40}


def test_owner_repo_splits_into_two_path_parameters() -> None:
    ep = _ep("GET", "/repos/{owner}/{repo}/pulls", _p("owner"), _p("repo"))
    assert _filled("open pull requests of torvalds/linux", ep) == {"owner": "torvalds", "repo": "linux"}


def test_called_and_named_fill_a_name_property() -> None:
    body = RequestBody("application/json", True, {"type": "object", "properties": {
        "display_name": {"type": "string"}, "region": {"type": "string"}}}, ("display_name", "region"))
    ep = _ep("POST", "/clusters", body=body)
    got = _filled("spin up a cluster called 'night owl' in region eu-central-1", ep)
    assert got == {"display_name": "night owl", "region": "eu-central-1"}
    assert _filled("make a cluster named orion", ep) == {"display_name": "orion"}


def test_word_after_a_parameter_name_and_enum_values() -> None:
    ep = _ep("GET", "/projects/{project}/reports", _p("project"), _q("format", enum=["pdf", "csv"]))
    assert _filled("reports for project skylark as csv", ep) == {"project": "skylark", "format": "csv"}


def test_id_like_token_fills_the_only_path_parameter() -> None:
    ep = _ep("DELETE", "/invoices/{invoiceId}", _p("invoiceId"))
    got = fill_values("void invoice inv_7731x please", ep)
    assert [(f.name, f.location, f.value, f.source) for f in got] == [("invoiceId", "path", "inv_7731x", "inv_7731x")]


def test_types_are_respected() -> None:
    ep = _ep("GET", "/items", _q("count", "integer"), _q("verbose", "boolean"))
    assert _filled("items named alpha", ep) == {}  # no integer, nothing else fits
    assert "count" not in _filled("count abc items", ep)


def test_nothing_named_nothing_filled() -> None:
    ep = _ep("GET", "/status", _q("region"))
    assert fill_values("what is the status", ep) == []
