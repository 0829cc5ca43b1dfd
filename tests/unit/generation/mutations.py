"""Altering a correct call the way a model gets it wrong (used by the checker tests): another
method, another path, an invented endpoint, a required query parameter dropped. Written per
target from the code's own text, independently of the checker's extractors."""

from __future__ import annotations

import re
from urllib.parse import quote

from apipack.openapi.model import ApiSpec

_METHOD_SUBS: dict[str, tuple[str, str]] = {
    "curl": (r"--request [A-Z]+", "--request {M}"),
    "python": (r'\.request\("[A-Z]+"', '.request("{M}"'),
    "node": (r"method: '[A-Z]+'", "method: '{M}'"),
    "go": (r'http\.NewRequest\("[A-Z]+"', 'http.NewRequest("{M}"'),
    "ruby": (r"Net::HTTP::[A-Za-z]+\.new", "Net::HTTP::{Mc}.new"),
    "php": (r'CURLOPT_CUSTOMREQUEST => "[A-Z]+"', 'CURLOPT_CUSTOMREQUEST => "{M}"'),
    "swift": (r'httpMethod = "[A-Z]+"', 'httpMethod = "{M}"'),
    "libcurl": (r'CURLOPT_CUSTOMREQUEST, "[A-Z]+"', 'CURLOPT_CUSTOMREQUEST, "{M}"'),
    "javascript": (r'\.open\("[A-Z]+"', '.open("{M}"'),
}


def change_method(code: str, target: str, method: str) -> str:
    if target == "java":
        out, n = re.subn(r"\.(get|post|put|delete|patch|head)\((\w*)\)",
                         lambda m: f'.method("{method}", {m.group(2) or "null"})', code, count=1)
        if n == 0:
            out, n = re.subn(r'\.method\("[A-Z]+"', f'.method("{method}"', code, count=1)
        assert n == 1, code
        return out
    pattern, repl = _METHOD_SUBS[target]
    out, n = re.subn(pattern, repl.format(M=method, Mc=method.capitalize()), code, count=1)
    assert n == 1, (target, code)
    return out


def rename_last_literal_segment(code: str, template: str) -> tuple[str, str] | None:
    """``/widgets/{id}`` -> ``/widgetsqx9/{id}`` in the code; None when the path has no literal."""
    literals = [s for s in template.split("#")[0].split("/") if s and "{" not in s]
    if not literals:
        return None
    last = literals[-1]
    out, n = re.subn(r"/" + re.escape(last) + r"(?=[/?'\"#\s\\]|$)", "/" + last + "qx9", code)
    if n == 0:
        return None
    new_template = re.sub(r"/" + re.escape(last) + r"(?=/|$|#)", "/" + last + "qx9", template.split("#")[0])
    return out, new_template


_URL_ANCHORS: dict[str, str] = {
    "curl": r"(--url '?)", "java": r'(\.url\(")', "node": r"(url: ')", "go": r'(url := ")',
    "ruby": r'(URI\(")', "php": r'(CURLOPT_URL => ")', "swift": r'(NSURL\(string: ")',
    "libcurl": r'(CURLOPT_URL, ")', "javascript": r'(xhr\.open\("[A-Z]+", ")',
}


def insert_invented_segment(code: str, target: str) -> str:
    """Put an extra first path segment right after the host (or at the start of python's path)."""
    if target == "python":
        out, n = re.subn(r'(\.request\("[A-Z]+", ")/?', r"\1/inventedqx9/", code, count=1)
    else:  # right after the host of the call's URL (a relative or "//about" URL: at its start)
        anchor = _URL_ANCHORS[target]
        out, n = re.subn(anchor + r"((?:https?://[^/\s'\"]*)?)/?", r"\1\2/inventedqx9/", code, count=1)
    assert n >= 1, code
    return out


def drop_query_parameter(code: str, target: str, name: str) -> str | None:
    enc = "(?:" + re.escape(name) + "|" + re.escape(quote(name, safe="")) + ")"
    if target == "node":  # inside the qs object only
        m = re.search(r"qs: \{[^}]*\}", code)
        if m is None:
            return None
        qs, n = re.subn(rf"(\{{\s*|,\s*)'?{enc}'?:\s*('[^']*'|\[[^\]]*\]|[\w.-]+)", r"\1", m.group())
        out = code[:m.start()] + re.sub(r"\{\s*,\s*", "{", qs) + code[m.end():]
    else:
        # a value may hold a shell-quoted quote ('\'') as curl's URLs do
        out, n = re.subn(rf"(?<=[?&]){enc}=(?:'\\''|'(?=[\w%&])|[^&'\"\s#])*&?", "", code)
        out = re.sub(r"[?&](?=['\"\s#]|$)", "", out)
    return out if n else None


def templates_matching(spec: ApiSpec, template_path: str, *, loose: bool = False) -> list[tuple[str, str]]:
    """Independent oracle: (method, path) of the endpoints whose template matches a template path
    (placeholders in ``template_path`` taken as one segment each; with ``loose``, a spec placeholder
    may also stand for several segments, as example values with slashes do)."""
    probe = re.sub(r"\{[^}]+\}", "x", template_path.split("?")[0]).rstrip("/") or "/"
    found = []
    for ep in spec.endpoints:
        pattern = re.escape(ep.path.split("#")[0].split("?")[0].rstrip("/") or "/")
        pattern = re.sub(r"\\\{[^}]*\\\}", ".+" if loose else "[^/]+", pattern)
        if re.fullmatch(pattern, probe):
            found.append((ep.method, ep.path))
    return found
