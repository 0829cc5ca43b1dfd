"""Parsing ``**api_call**:`` out of a model's answer."""

from __future__ import annotations

from generation.answer import parse_api_call


def test_call_between_api_call_and_api_provider() -> None:
    answer = ("**domain**:['Widgets']\n**api_call**:curl --request GET \\\n  --url https://x.io/w\n"
              "**api_provider**:x.io\n**lang**:cURL")
    assert parse_api_call(answer) == "curl --request GET \\\n  --url https://x.io/w"


def test_answer_cut_before_api_provider() -> None:
    assert parse_api_call("**domain**:[]\n**api_call**:import http.client\nconn = 1") == "import http.client\nconn = 1"
    assert parse_api_call("**api_call**:xhr.open()\n**lang**:javascript") == "xhr.open()"


def test_code_fence_inside_or_instead() -> None:
    assert parse_api_call("**api_call**:```python\nimport x\n```\n**api_provider**:p") == "import x"
    assert parse_api_call("Here you go:\n```go\npackage main\n```") == "package main"


def test_no_call() -> None:
    assert parse_api_call("") is None
    assert parse_api_call("I cannot help with that.") is None
    assert parse_api_call("**api_call**:   \n**api_provider**:p") is None
