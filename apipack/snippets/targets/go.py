"""go_native: httpsnippet 2.0.0 ``targets/go/native.js`` (boilerplate on, no error checks, body printed)."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import js_keys, js_truthy, json_stringify
from apipack.snippets.httpsnippet import Source


def render(source: Source) -> str:
    code = CodeBuilder("\t")
    has_body = js_truthy(source.post.text)
    code.push("package main").blank().push("import (").push(1, '"fmt"')
    if has_body:
        code.push(1, '"strings"')
    code.push(1, '"net/http"').push(1, '"io/ioutil"').push(")").blank().push("func main() {").blank()
    code.push(1, 'url := "%s"', source.full_url).blank()
    if has_body:
        code.push(1, "payload := strings.NewReader(%s)", json_stringify(source.post.text)).blank()
        code.push(1, 'req, %s := http.NewRequest("%s", url, payload)', "_", source.method).blank()
    else:
        code.push(1, 'req, %s := http.NewRequest("%s", url, nil)', "_", source.method).blank()
    keys = js_keys(source.all_headers)
    if keys:
        for key in keys:
            code.push(1, 'req.Header.Add("%s", "%s")', key, source.all_headers[key])
        code.blank()
    code.push(1, "res, %s := %s.Do(req)", "_", "http.DefaultClient")
    code.blank().push(1, "defer res.Body.Close()").push(1, "body, %s := ioutil.ReadAll(res.Body)", "_")
    code.blank().push(1, "fmt.Println(res)").push(1, "fmt.Println(string(body))")
    code.blank().push("}")
    return code.join()
