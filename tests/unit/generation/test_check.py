"""The spec check on every target: it accepts every correct call rendered from the sample specs
and rejects altered ones (wrong method, wrong path, invented endpoint, missing required query
parameter)."""

from __future__ import annotations

from collections import Counter

import pytest

from apipack.openapi.model import ApiSpec
from generation.check import check_code, extract_call
from tests.unit.generation.conftest import RenderedCall
from tests.unit.generation.mutations import (
    change_method,
    drop_query_parameter,
    insert_invented_segment,
    rename_last_literal_segment,
    templates_matching,
)

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


@pytest.mark.heavy  # renders every sample endpoint in 10 targets once per session
def test_every_correct_call_is_accepted(rendered_calls: list[RenderedCall]) -> None:
    assert len({c.target for c in rendered_calls}) == 10
    rejected = []
    for call in rendered_calls:
        result = check_code(call.code, call.target, call.spec)
        # matched_path may be a more specific endpoint when an example value fills a placeholder
        # (".../extensions/{name}" rendered as ".../extensions/monitoring", itself an endpoint)
        if not result.ok or result.method != call.endpoint.method or result.matched_path is None:
            rejected.append((call.id, result))
    assert not rejected, f"{len(rejected)} of {len(rendered_calls)} correct calls rejected: {rejected[:5]}"


@pytest.mark.heavy  # renders every sample endpoint in 10 targets once per session
def test_wrong_method_is_rejected_on_every_target(rendered_calls: list[RenderedCall]) -> None:
    per_target: Counter[str] = Counter()
    for call in rendered_calls:
        defined = {m for m, _ in templates_matching(call.spec, call.endpoint.path.split("#")[0])}
        other = next((m for m in METHODS if m not in defined), None)
        if other is None:
            continue
        result = check_code(change_method(call.code, call.target, other), call.target, call.spec)
        assert result.status == "wrong_method", (call.id, other, result)
        per_target[call.target] += 1
    assert len(per_target) == 10 and min(per_target.values()) >= 3, per_target


@pytest.mark.heavy  # renders every sample endpoint in 10 targets once per session
def test_wrong_path_is_rejected_on_every_target(rendered_calls: list[RenderedCall]) -> None:
    per_target: Counter[str] = Counter()
    for call in rendered_calls:
        altered = rename_last_literal_segment(call.code, call.endpoint.path)
        if altered is None:
            continue
        code, new_template = altered
        if templates_matching(call.spec, new_template, loose=True):
            continue  # the altered path happens to fit another template
        result = check_code(code, call.target, call.spec)
        # a case-insensitive match of another template may call it a wrong method instead
        assert result.status in ("unknown_endpoint", "wrong_method"), (call.id, result)
        per_target[call.target] += 1
    assert len(per_target) == 10 and min(per_target.values()) >= 3, per_target


@pytest.mark.heavy  # renders every sample endpoint in 10 targets once per session
def test_invented_endpoint_is_rejected_on_every_target(rendered_calls: list[RenderedCall]) -> None:
    per_target: Counter[str] = Counter()
    for call in rendered_calls:
        if templates_matching(call.spec, "/inventedqx9" + call.endpoint.path.split("#")[0], loose=True):
            continue
        if call.target == "python" and "://" not in call.endpoint.base_url:
            continue  # http.client shows a hostless URL's first segment as the host: no path to alter
        result = check_code(insert_invented_segment(call.code, call.target), call.target, call.spec)
        assert result.status in ("unknown_endpoint", "wrong_method"), (call.id, result)
        per_target[call.target] += 1
    assert len(per_target) == 10 and min(per_target.values()) >= 3, per_target


@pytest.mark.heavy  # renders every sample endpoint in 10 targets once per session
def test_missing_required_query_parameter_is_rejected_on_every_target(rendered_calls: list[RenderedCall]) -> None:
    per_target: Counter[str] = Counter()
    for call in rendered_calls:
        required = [p.name for p in call.endpoint.parameters if p.required and p.location == "query"]
        if not required or "?" in call.endpoint.path:
            continue  # a path key with its own query ("/x?view=a") has a query-less sibling "/x"
        code = drop_query_parameter(call.code, call.target, required[0])
        assert code is not None, call.id
        result = check_code(code, call.target, call.spec)
        assert result.status == "missing_required_parameter", (call.id, result)
        assert required[0] in " ".join(result.problems), (call.id, result)
        per_target[call.target] += 1
    assert len(per_target) == 10, per_target


def test_missing_required_body_property(shapes_spec: ApiSpec) -> None:
    code = ("curl --request POST --url https://api.shapes.example/v2/widgets "
            "--header 'content-type: application/json' --data '{\"name\":\"x\"}'")
    result = check_code(code, "curl", shapes_spec)
    assert result.status == "missing_required_parameter"
    assert "'color'" in result.problems[0]


def test_host_of_another_api_is_rejected(shapes_spec: ApiSpec) -> None:
    code = "curl --request GET --url 'https://api.other.example/v2/widgets?limit=1'"
    result = check_code(code, "curl", shapes_spec)
    assert result.status == "unknown_endpoint"
    assert "host" in result.problems[0]


def test_llm_style_calls_are_read() -> None:
    py = 'import requests\nr = requests.post("https://api.shapes.example/v2/widgets", json={"name": "a", "color": "red"})'
    call = extract_call(py, "python")
    assert (call.method, call.url, call.body_keys) == ("POST", "https://api.shapes.example/v2/widgets", {"name", "color"})
    js = 'fetch("https://api.shapes.example/v2/widgets/7", {method: "DELETE"})'
    assert extract_call(js, "javascript").method == "DELETE"
    # OkHttp's empty-body POST, as the renderer writes it for a POST without a request body
    java = ('new Request.Builder()\n  .url("https://api.shapes.example/v2/widgets")\n'
            '  .post(RequestBody.create(null, new byte[0]))\n  .build();')
    assert extract_call(java, "java").method == "POST"
    assert extract_call('CURLOPT_URL => "https://api.shapes.example/v2/widgets/\\$count",', "php").url == \
        "https://api.shapes.example/v2/widgets/$count"
    assert extract_call("curl --head \\\n  --url https://api.shapes.example/v2/widgets", "curl").method == "HEAD"
    assert extract_call(java.replace(".post(RequestBody.create(null, new byte[0]))", ".get()"), "java").method == "GET"


def test_code_without_a_url_is_unparseable(shapes_spec: ApiSpec) -> None:
    assert check_code("print('hello')", "python", shapes_spec).status == "unparseable"
    assert check_code("", "go", shapes_spec).status == "unparseable"


def test_aws_style_fragment_paths_and_templated_hosts() -> None:
    from apipack.openapi.model import Endpoint

    spec = ApiSpec("s3", "S3", "", "", "", "", {"servers": [{"url": "http://s3.{region}.amazonaws.com"}]}, [
        Endpoint("s3", "GET", "/{Bucket}#location", base_url="http://s3.{region}.amazonaws.com"),
        Endpoint("s3", "GET", "/{Bucket}#logging", base_url="http://s3.{region}.amazonaws.com")])
    # httpsnippet's URL parser cuts the host at "{" (as openapi-snippet renders it)
    code = "curl --request GET \\\n  --url 'http://s3./%7Bregion%7D.amazonaws.com/%7BBucket%7D#logging'"
    result = check_code(code, "curl", spec)
    assert (result.status, result.matched_path) == ("valid", "/{Bucket}#logging")
    other = check_code(code.replace("#logging", "#acl"), "curl", spec)
    assert other.status == "unknown_endpoint"


def test_a_path_variable_glued_to_the_host() -> None:
    """eBay's specs declare "https://api.ebay.com{basePath}"; openapi-snippet leaves the variable in
    the call, either as a path segment or glued to python's host."""
    from apipack.openapi.model import Endpoint

    server = "https://api.ebay.com{basePath}"
    spec = ApiSpec("ebay", "Deal", "", "", "", "",
                   {"servers": [{"url": server, "variables": {"basePath": {"default": "/buy/deal/v1"}}}]},
                   [Endpoint("ebay", "GET", "/deal_item", base_url="https://api.ebay.com/buy/deal/v1")])
    for code, target in [
        ("curl --request GET --url 'https://api.ebay.com/%7BbasePath%7D/deal_item?limit=2'", "curl"),
        ('import http.client\nconn = http.client.HTTPSConnection("api.ebay.com")\n'
         'conn.request("GET", "%7BbasePath%7D/deal_item?limit=2")', "python"),
        ("curl --request GET --url 'https://api.ebay.com/buy/deal/v1/deal_item'", "curl"),
    ]:
        result = check_code(code, target, spec)
        assert (result.status, result.matched_path) == ("valid", "/deal_item"), code
    assert check_code("curl --request GET --url 'https://api.ebay.com/%7BbasePath%7D/other_item'", "curl",
                      spec).status == "unknown_endpoint"
