"""The paper's metric, pinned branch by branch on hand-made pairs."""

from __future__ import annotations

import pytest

from evaluation.metric import (
    THRESHOLD,
    aggregate,
    endpoint_match,
    extract_api_call,
    extract_url,
    score_outputs,
    similarity,
)


def output(call: str, provider: str = "acme.io", lang: str = "cURL") -> str:
    return f"**domain**:['Pets']\n**api_call**:{call}\n**api_provider**:{provider}\n**lang**:{lang}"


# one call per target, with a URL to swap in
CALLS = {
    "curl": "curl --request GET \\\n  --url {url} \\\n  --header 'accept: application/json'",
    "java": 'OkHttpClient client = new OkHttpClient();\n\nRequest request = new Request.Builder()\n  .url("{url}")\n  .get()\n  .build();',
    "node": "const request = require('request');\n\nconst options = {{method: 'GET', url: '{url}'}};",
    "go": 'package main\n\nfunc main() {{\n\n\turl := "{url}"\n\n\treq, _ := http.NewRequest("GET", url, nil)\n}}',
    "ruby": "require 'uri'\nrequire 'net/http'\n\nurl = URI(\"{url}\")\n",
    "php": '<?php\n\n$curl = curl_init();\n\ncurl_setopt_array($curl, [\n  CURLOPT_URL => "{url}",\n]);',
    "swift": 'import Foundation\n\nlet request = NSMutableURLRequest(url: NSURL(string: "{url}")! as URL)',
    "libcurl": 'CURL *hnd = curl_easy_init();\n\ncurl_easy_setopt(hnd, CURLOPT_CUSTOMREQUEST, "GET");\ncurl_easy_setopt(hnd, CURLOPT_URL, "{url}");',
    "javascript": 'const data = null;\n\nconst xhr = new XMLHttpRequest();\nxhr.open("GET", "{url}");\nxhr.send(data);',
}
URL = "https://api.acme.io/v1/pets/42"
NEAR = "https://api.acme.io/v1/pets/43"  # one character off: well above 0.9
FAR = "https://api.other.example/v2/orders"


def test_extract_api_call_dotall_and_missing() -> None:
    assert extract_api_call(output("line1\nline2")) == "line1\nline2"
    # stars are optional on both markers, as in the paper's regex
    assert extract_api_call("api_call:x\napi_provider:y") == "x"
    assert extract_api_call("no call here") == ""
    assert extract_api_call("**api_call**:never closed") == ""


def test_threshold_is_strict() -> None:
    # ratio = 2*M/T: "abcdefghi" + "j" vs "abcdefghi" + "k": 2*9/20 = 0.9 exactly -> not a match
    a, b = "abcdefghij", "abcdefghik"
    assert similarity(a, b) == pytest.approx(0.9)
    assert similarity(a, b) == THRESHOLD
    assert not score_outputs(output(a), output(b), "curl").call_match
    # 19 of 20 characters: 0.95 -> a match
    a2, b2 = "abcdefghijklmnopqrsX", "abcdefghijklmnopqrsY"
    assert score_outputs(output(a2), output(b2), "curl").call_match


def test_both_outputs_without_call_match_each_other_as_in_paper() -> None:
    s = score_outputs("garbage", "also garbage", "curl")
    assert s.call_similarity == 1.0 and s.call_match
    assert not s.endpoint_match  # no URL in either
    assert not s.correct


@pytest.mark.parametrize("target", sorted(CALLS))
def test_each_target_url_regex(target: str) -> None:
    call = CALLS[target].format(url=URL)
    assert extract_url(call, target) == (URL,)
    assert endpoint_match(call, CALLS[target].format(url=NEAR), target)
    assert not endpoint_match(call, CALLS[target].format(url=FAR), target)
    # a call in another language has no URL for this target's regex -> false
    other = "print('hello')"
    assert extract_url(other, target) is None
    assert not endpoint_match(call, other, target)
    assert not endpoint_match(other, call, target)


@pytest.mark.parametrize("target", sorted(CALLS))
def test_full_score_per_target(target: str) -> None:
    ref = output(CALLS[target].format(url=URL))
    s = score_outputs(ref, ref, target)
    assert s.call_match and s.endpoint_match and s.correct
    assert s.got_url == URL
    far = output(CALLS[target].format(url=FAR))
    s2 = score_outputs(far, ref, target)
    assert not s2.endpoint_match and not s2.correct


def test_target_names_accept_labels_and_ids() -> None:
    call = CALLS["javascript"].format(url=URL)
    assert extract_url(call, "javascript xhr") == extract_url(call, "javascript_xhr") == (URL,)


def test_curl_unquotes_and_keeps_quotes() -> None:
    a = "curl --request GET \\\n  --url 'https://x.io/%7Bpet%7D/%7Bowner%7D/%7Bvisit%7D' \\"
    b = "curl --request GET \\\n  --url 'https://x.io/{pet}/{owner}/{visit}' \\"
    assert extract_url(a, "curl") == ("'https://x.io/{pet}/{owner}/{visit}'",)
    assert endpoint_match(a, b, "curl")
    # \\S+ stops at a space, so an unquoted space cuts the URL short
    assert extract_url("curl --url 'https://x.io/a b'", "curl") == ("'https://x.io/a",)
    # quotes stay in the capture: a quoted and an unquoted URL still compare as strings
    assert extract_url("curl --url https://x.io/a", "curl") == ("https://x.io/a",)


def test_java_does_not_unquote() -> None:
    enc = CALLS["java"].format(url="https://x.io/%7Bpet%7D/%7Bowner%7D/%7Bvisit%7D")
    dec = CALLS["java"].format(url="https://x.io/{pet}/{owner}/{visit}")
    assert not endpoint_match(enc, dec, "java")


PY = 'import http.client\n\nconn = http.client.{cls}("{host}")\n\nconn.request("{method}", "{path}", headers=headers)\n'


def py(host: str = "api.acme.io", path: str = "/v1/pets/42", method: str = "GET", cls: str = "HTTPSConnection") -> str:
    return PY.format(host=host, path=path, method=method, cls=cls)


def test_python_host_and_path_both_required() -> None:
    assert extract_url(py(), "python") == ("api.acme.io", "/v1/pets/42")
    assert endpoint_match(py(), py(cls="HTTPConnection"), "python")
    # same path, other host -> false; same host, other path -> false
    assert not endpoint_match(py(), py(host="zzz.example.com"), "python")
    assert not endpoint_match(py(), py(path="/v2/orders/list"), "python")
    # no connection line -> false
    assert not endpoint_match(py(), 'conn.request("GET", "/v1/pets/42")', "python")


def test_python_unquotes_paths_and_strips_trailing_dot_then_slash() -> None:
    assert extract_url(py(host="api.acme.io/", path="/v1/pets%2F42/."), "python") == ("api.acme.io", "/v1/pets/42")
    # '.' is stripped before '/': "x/." -> "x" but "x./" -> "x."
    assert extract_url(py(host="h./"), "python") == ("h.", "/v1/pets/42")
    assert endpoint_match(py(path="/a%20very%20long%20path/with/%7Bparam%7D"),
                          py(path="/a very long path/with/{param}"), "python")
    # hosts are not unquoted
    assert extract_url(py(host="a%2Eb"), "python")[0] == "a%2Eb"


def test_python_method_class_is_a_character_set() -> None:
    # the paper's "[GETPOSTPUTDELETE]*" cannot match PATCH (A, C, H are not in the set)
    assert extract_url(py(method="PATCH"), "python") is None
    assert extract_url(py(method="DELETE"), "python") is not None


def test_go_requires_new_request_with_url() -> None:
    ok = CALLS["go"].format(url=URL)
    no_request = 'package main\n\turl := "' + URL + '"\n\treq, _ := http.Get(url)'
    assert extract_url(no_request, "go") is None
    assert not endpoint_match(ok, no_request, "go")
    inline = 'package main\n\turl := "' + URL + '"\n\treq, _ := http.NewRequest("GET", "' + URL + '", nil)'
    assert not endpoint_match(ok, inline, "go")


def test_aggregate_micro_average() -> None:
    ref = output(CALLS["curl"].format(url=URL))
    good = score_outputs(ref, ref, "curl")
    url_only = score_outputs(output(CALLS["curl"].format(url=URL) + "\n  --data '" + "x" * 400 + "'"), ref, "curl")
    wrong = score_outputs(output("nothing"), ref, "curl")
    assert url_only.endpoint_match and not url_only.call_match
    acc = aggregate([good, url_only, wrong, good])
    assert acc.n == 4
    assert acc.accuracy == 0.5
    assert acc.endpoint_accuracy == 0.75
    assert acc.call_match_rate == 0.5
    assert aggregate([]).n == 0


def test_call_similarity_shortcuts_agree_with_ratio() -> None:
    from evaluation.metric import call_similarity

    assert call_similarity("same", "same") == 1.0
    assert call_similarity("", "") == 1.0
    # far apart: the upper bound already rules the match out
    assert call_similarity("abcdefghij", "zzzzzzzzzzzzzzzzzzzz") is None
    # close: the exact ratio is computed
    a, b = "abcdefghijklmnopqrsX", "abcdefghijklmnopqrsY"
    assert call_similarity(a, b) == similarity(a, b) == 0.95
    # the edge stays a miss either way
    assert (call_similarity("abcdefghij", "abcdefghik") or 0.0) <= THRESHOLD
    import random

    rng = random.Random(7)
    for _ in range(200):
        x = "".join(rng.choice("ab{}/ ") for _ in range(rng.randint(0, 60)))
        y = "".join(c if rng.random() > 0.1 else rng.choice("ab") for c in x)
        cs = call_similarity(x, y)
        assert (cs is not None and cs > THRESHOLD) == (similarity(x, y) > THRESHOLD)
