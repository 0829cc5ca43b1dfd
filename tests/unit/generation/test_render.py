"""Rendering with the instruction's values: parameters and the sampled body."""

from __future__ import annotations

from apipack.openapi.model import ApiSpec
from generation.check import check_code
from generation.render import render_with_values


def test_path_query_and_header_values(shapes_spec: ApiSpec) -> None:
    code = render_with_values(shapes_spec, "GET", "/regions/{region}/events", "shell_curl",
                              {"region": "eu-west-1", "since": "2024-03-01"})
    assert "/regions/eu-west-1/events?since=2024-03-01&user_email=SOME_STRING_VALUE" in code
    code = render_with_values(shapes_spec, "DELETE", "/widgets/{widgetId}", "go_native",
                              {"widgetId": "w 1", "X-Request-Id": "req-9"})
    assert '"X-Request-Id", "req-9"' in code and "/widgets/w%201" in code


def test_body_values_json_form_multipart(shapes_spec: ApiSpec) -> None:
    json_code = render_with_values(shapes_spec, "POST", "/widgets", "shell_curl", {"name": "gizmo", "size": 3})
    assert '"name":"gizmo","color":"red","size":3' in json_code
    form = render_with_values(shapes_spec, "PATCH", "/widgets/{widgetId}", "python_python3",
                              {"color": "dark blue"})
    # openapi-snippet puts "dark+blue" in the HAR and httpsnippet escapes the "+" again; the
    # corrected rendering (form_double_encoded) sends the space
    assert 'payload = "color=dark%20blue&size=0"' in form
    multipart = render_with_values(shapes_spec, "PUT", "/owners/{owner}/repos/{repo}/files", "javascript_xhr",
                                   {"message": "hi"})
    assert 'data.append("message", "hi");' in multipart


def test_no_values_is_the_plain_rendering(shapes_spec: ApiSpec) -> None:
    from apipack.snippets import render_endpoint

    assert render_with_values(shapes_spec, "POST", "/widgets", "php_curl") == \
        render_endpoint(shapes_spec, "POST", "/widgets", "php_curl", corrected=True)
    assert render_with_values(shapes_spec, "POST", "/widgets", "php_curl", corrected=False) == \
        render_endpoint(shapes_spec, "POST", "/widgets", "php_curl")


def test_filled_calls_still_pass_the_check(shapes_spec: ApiSpec) -> None:
    code = render_with_values(shapes_spec, "PUT", "/owners/{owner}/repos/{repo}/files", "ruby_native",
                              {"owner": "octo", "repo": "site", "message": "x"})
    assert check_code(code, "ruby", shapes_spec).ok
