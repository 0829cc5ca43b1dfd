"""go_native: httpsnippet 2.0.0 ``targets/go/native.js`` (boilerplate on, no error checks, body printed)."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import arg, js_keys, js_truthy, json_stringify
from apipack.snippets.httpsnippet import Source


def render(source: Source) -> str:
    code = CodeBuilder("\t")
    has_body = js_truthy(source.post.text)
    code.push("package main").blank().push("import (").push('"fmt"', 1)
    if has_body:
        code.push('"strings"', 1)
    code.push('"net/http"', 1).push('"io/ioutil"', 1).push(")").blank().push("func main() {").blank()
    code.push(f'url := "{arg(source.full_url)}"', 1).blank()
    method = arg(source.method)
    if has_body:
        code.push(f"payload := strings.NewReader({json_stringify(source.post.text)})", 1).blank()
        code.push(f'req, _ := http.NewRequest("{method}", url, payload)', 1).blank()
    else:
        code.push(f'req, _ := http.NewRequest("{method}", url, nil)', 1).blank()
    headers = source.all_headers
    keys = js_keys(headers)
    if keys:
        for key in keys:
            code.push(f'req.Header.Add("{key}", "{arg(headers[key])}")', 1)
        code.blank()
    code.push("res, _ := http.DefaultClient.Do(req)", 1)
    code.blank().push("defer res.Body.Close()", 1).push("body, _ := ioutil.ReadAll(res.Body)", 1)
    code.blank().push("fmt.Println(res)", 1).push("fmt.Println(string(body))", 1)
    code.blank().push("}")
    return code.join()
