"""ruby_native: httpsnippet 2.0.0 ``targets/ruby/native.js`` (net/http)."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import arg, js_keys, js_str, js_truthy, json_stringify
from apipack.snippets.httpsnippet import Source

_METHODS = ("GET", "POST", "HEAD", "DELETE", "PATCH", "PUT", "OPTIONS", "COPY", "LOCK", "UNLOCK", "MOVE", "TRACE")


def render(source: Source) -> str:
    code = CodeBuilder()
    https = source.uri.protocol == "https:"
    code.push("require 'uri'").push("require 'net/http'")
    if https:
        code.push("require 'openssl'")
    code.blank()
    method = js_str(source.method).upper()
    cap = method[:1] + method[1:].lower()
    has_body = js_truthy(source.post.text)
    if method not in _METHODS:
        code.push(f"class Net::HTTP::{cap} < Net::HTTPRequest")
        code.push(f"  METHOD = '{method.upper()}'")
        code.push(f"  REQUEST_HAS_BODY = '{'true' if has_body else 'false'}'")
        code.push("  RESPONSE_HAS_BODY = true").push("end").blank()
    code.push(f'url = URI("{arg(source.full_url)}")').blank().push("http = Net::HTTP.new(url.host, url.port)")
    if https:
        code.push("http.use_ssl = true").push("http.verify_mode = OpenSSL::SSL::VERIFY_NONE")
    code.blank().push(f"request = Net::HTTP::{cap}.new(url)")
    headers = source.all_headers
    for key in js_keys(headers):
        code.push(f"request[\"{key}\"] = '{arg(headers[key])}'")
    if has_body:
        code.push(f"request.body = {json_stringify(source.post.text)}")
    code.blank().push("response = http.request(request)").push("puts response.read_body")
    return code.join()
