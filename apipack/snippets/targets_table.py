"""The 10 targets of API Pack (DESIGN.md, "The 10 targets"): short name, target id, API Pack label."""

from __future__ import annotations

from dataclasses import dataclass

from apipack.errors import UnknownLanguageError


@dataclass(frozen=True, slots=True)
class TargetInfo:
    short: str  # our short name, e.g. "python"
    target_id: str  # openapi-snippet's id, e.g. "python_python3"
    lang: str  # the `lang` label API Pack's records carry (casing as released)


TARGETS: dict[str, TargetInfo] = {t.short: t for t in (
    TargetInfo("curl", "shell_curl", "cURL"),
    TargetInfo("python", "python_python3", "Python"),
    TargetInfo("java", "java_okhttp", "Java"),
    TargetInfo("node", "node_request", "Node"),
    TargetInfo("go", "go_native", "go"),
    TargetInfo("ruby", "ruby_native", "Ruby"),
    TargetInfo("php", "php_curl", "PHP"),
    TargetInfo("swift", "swift_nsurlsession", "swift"),
    TargetInfo("libcurl", "c_libcurl", "libcurl"),
    TargetInfo("javascript", "javascript_xhr", "javascript xhr"),
)}

_BY_ANY_NAME: dict[str, TargetInfo] = {}
for _t in TARGETS.values():
    for _name in (_t.short, _t.target_id, _t.lang):
        _BY_ANY_NAME[_name.lower()] = _t


def resolve_target(name: str) -> TargetInfo:
    """Accept a short name, a target id or an API Pack label (any case)."""
    found = _BY_ANY_NAME.get(name.strip().lower()) if isinstance(name, str) else None
    if found is None:
        raise UnknownLanguageError(
            f"unknown language {name!r}; use one of: {', '.join(TARGETS)} (or a target id such as python_python3)",
            param="language",
        )
    return found
