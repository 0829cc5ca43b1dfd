"""Hand-written HAR requests for the branches the corpus rarely or never reaches.

Writes tests/data/golden/httpsnippet/synthetic_hars.jsonl ({name, har} lines); node's
httpsnippet_golden.js --hars renders them into synthetic.jsonl (see docs/renderers.md).
usage: python tests/conformance/synthetic_hars.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "golden" / "httpsnippet" / "synthetic_hars.jsonl"
URL = "https://api.example.com/v1/items"
TRICKY = "a \"quoted\" 'single' back\\slash\nnew\rline\ttab ünï 😀 %s %% %d 100%"
LONG = "x" * 90


def har(method: str = "GET", url: str = URL, **kw: object) -> dict:
    base = {"method": method, "url": url, "headers": [], "queryString": [], "httpVersion": "HTTP/1.1",
            "cookies": [], "headersSize": 0, "bodySize": 0}
    base.update(kw)
    return base


def q(*pairs: tuple[object, object]) -> list[dict]:
    return [{"name": n, "value": v} for n, v in pairs]


def json_body(value: object, mime: str = "application/json") -> dict:
    return {"mimeType": mime, "text": json.dumps(value, ensure_ascii=False, separators=(",", ":"))}


def cases() -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    add = lambda name, h: out.append((name, h))  # noqa: E731
    add("get_plain", har())
    add("get_http", har(url="http://api.example.com/v1/items"))
    add("query_repeated_empty_unicode", har(queryString=q(("a", "1"), ("a", "2"), ("a", "3"), ("empty", ""),
                                                          ("ü name", "wert ü"), ("sp", "a b&c=d+e%f'g\"h"))))
    add("query_digit_keys", har(queryString=q(("b", "1"), ("10", "x"), ("2", "y"), ("a", "z"))))
    add("query_long", har(queryString=q(("long", LONG), ("more", "y" * 40))))
    add("headers_tricky", har(headers=q(("X-Quote", TRICKY), ("x-empty", ""), ("123", "digits"),
                                         ("Accept", "application/json"), ("X-Percent", "%20%s%%"))))
    add("headers_one", har(headers=q(("Authorization", "Bearer REPLACE_BEARER_TOKEN"))))
    add("cookies", har(cookies=q(("session", "abc 123;x"), ("ünï", "välue"), ("empty", "")),
                       headers=q(("accept", "*/*"))))
    add("cookies_only", har(cookies=q(("a", "b"))))
    body = {"name": TRICKY, "count": 3, "ratio": 0.1, "big": 12345678901234567890, "exp": 1e21,
            "small": 1.5e-7, "ok": True, "no": False, "none": None, "empty_obj": {}, "empty_list": [],
            "list": [1, "two", {"three": 3}], "objs": [{"a": 1, "b": 2}, {"c": 3}], "2": "digit key",
            "1": "first", "dash-key": "v", "$ok_key": "v", "nested": {"deep": {"deeper": [LONG]}}}
    add("json_rich", har("POST", postData=json_body(body), headers=q(("content-type", "application/json"))))
    add("json_short", har("PUT", postData=json_body({"a": 1, "b": "x"}),
                          headers=q(("content-type", "application/json"))))
    add("json_array_pretty_last", har("POST", postData=json_body([{"a": 1, "b": 2}, {"c": 3}])))
    add("json_array_pretty_first", har("POST", postData=json_body([{"c": 3}, {"a": 1, "b": 2}])))
    for name, text in (("json_zero", "0"), ("json_null", "null"), ("json_string", '"str"'),
                       ("json_empty_list", "[]"), ("json_empty_obj", "{}"), ("json_invalid", "{not json"),
                       ("json_number", "-12.50"), ("json_false", "false"), ("json_true", "true")):
        add(name, har("POST", postData={"mimeType": "application/json", "text": text},
                      headers=q(("content-type", "application/json"))))
    add("json_no_text", har("POST", postData={"mimeType": "application/json"},
                            headers=q(("content-type", "application/json"))))
    add("json_text_x_json", har("PATCH", postData=json_body({"k": "v"}, "text/x-json")))
    add("json_percent_swift", har("POST", postData=json_body({"fmt": "%s and %d and %% and %j", "x": "%"})))
    add("form_params", har("POST", postData={"mimeType": "application/x-www-form-urlencoded",
                                             "params": q(("a", "1"), ("b", "x%20y"), ("a", "2"), ("c", "")),
                                             "text": "a=1&b=x y"},
                           headers=q(("content-type", "application/x-www-form-urlencoded"))))
    add("form_no_params", har("POST", postData={"mimeType": "application/x-www-form-urlencoded", "text": "a=1"}))
    add("form_one_param", har("PUT", postData={"mimeType": "application/x-www-form-urlencoded",
                                               "params": q(("only", TRICKY))}))
    add("multipart", har("POST", postData={"mimeType": "multipart/form-data",
                                           "params": q(("file", "{}"), ("name", TRICKY), ("empty", ""))},
                         headers=q(("content-type", "multipart/form-data"), ("accept", "application/json"))))
    add("multipart_header_case", har("POST", postData={"mimeType": "multipart/form-data",
                                                       "params": q(("a", "b"))},
                                     headers=q(("Content-Type", "multipart/form-data; charset=utf-8"))))
    add("multipart_no_header", har("POST", postData={"mimeType": "multipart/form-data", "params": q(("a", "b"))}))
    add("multipart_no_params", har("POST", postData={"mimeType": "multipart/form-data"},
                                   headers=q(("content-type", "multipart/form-data"))))
    add("multipart_file", har("POST", postData={"mimeType": "multipart/form-data", "params": [
        {"name": "upload", "fileName": "hello.txt", "contentType": "text/plain"},
        {"name": "meta", "value": "m", "contentType": "application/json"}]}))
    add("multipart_mixed", har("POST", postData={"mimeType": "multipart/mixed", "params": q(("a", "1"))}))
    add("text_plain", har("POST", postData={"mimeType": "text/plain", "text": TRICKY}))
    add("xml_body", har("PUT", postData={"mimeType": "application/xml", "text": '<a x="1">\'b\'</a>'},
                        headers=q(("content-type", "application/xml"))))
    add("octet_empty_postdata", har("POST", postData={}))
    add("relative_url", har(url="/v1/items/{id}"))
    add("template_host", har(url="https://{region}.api.example.com/v1/{id}", queryString=q(("a", "b"))))
    add("port_and_auth", har(url="http://user:p%40ss@api.example.com:8080/v1/items"))
    add("url_with_query", har(url=URL + "?a=1&b=x+y&c", queryString=q(("a", "2"), ("d", "4"))))
    add("url_with_hash", har(url=URL + "#section", queryString=q(("a", "1"))))
    add("url_spaces_unicode", har(url="https://api.example.com/v1/it ems/ünï/\"q\"|^`"))
    add("url_idn", har(url="https://münchen.example/v1"))
    add("url_trailing_slash_double", har(url="https://api.example.com//v1/items"))
    add("url_no_path", har(url="https://api.example.com"))
    for method in ("PURGE", "head", "OPTIONS", "COPY", "post", "delete", "TRACE", "LOCK"):
        add(f"method_{method}", har(method, postData={"mimeType": "text/plain", "text": "x"}
                                    if method in ("PURGE", "post", "delete") else None))
    add("http10", har(httpVersion="HTTP/1.0", headers=q(("A", "b"))))
    add("http2", har(httpVersion="HTTP/2.0", headers=q(("X-Upper", "b"))))
    add("nonstring_values", har(headers=[{"name": "X-Num", "value": 5}, {"name": 7, "value": True}],
                                queryString=[{"name": "n", "value": 1.5}, {"name": "u"}, {"name": "b", "value": False}]))
    add("stringify_quotes", har("POST", postData=json_body({"s": "it's \\'already\\' 'quoted'", "k'q": 1})))
    add("long_headers", har(headers=q(("X-Long", LONG), ("X-Other", "y" * 30))))
    add("all_together", har("POST", url="http://api.example.com:3000/v2/{id}?fixed=1",
                            queryString=q(("tags", "a"), ("tags", "b")),
                            headers=q(("accept", "application/json"), ("content-type", "application/json"),
                                      ("api_key", "REPLACE_KEY_VALUE")),
                            cookies=q(("c", "1")), postData=json_body({"a": [1, 2], "b": {"c": "d"}})))
    return [(n, {k: v for k, v in h.items() if v is not None}) for n, h in out]


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for name, h in cases():
            fh.write(json.dumps({"name": name, "har": h}, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
