"""Bytes of a spec file -> a JSON-like document, safely.

JSON goes through orjson (falling back to the standard library for what orjson refuses, such
as lone surrogates); anything else is read as YAML with a safe loader that follows YAML 1.2's
core schema the way js-yaml does (``yes``/``no`` stay strings, timestamps stay strings, keys
become strings) and that refuses alias bombs ("billion laughs") before building anything:
the composed node graph is measured with aliases expanded, and a document that would expand
past ``max_nodes`` is rejected.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
import yaml

from apipack.errors import SpecParseError, SpecTooLargeError

DEFAULT_MAX_NODES = 5_000_000

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CoreLoader(_Loader):  # type: ignore[misc, valid-type]
    """SafeLoader with js-yaml's scalar rules (YAML 1.2 core schema)."""


_REPLACED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int",
             "tag:yaml.org,2002:float")
_CoreLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
_CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)


_CoreLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_CoreLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Nodes in the document with every alias expanded; raises past ``limit`` or on a cycle."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    # iterative post-order walk: aliases make the node graph a DAG (or, maliciously, cyclic)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if expanded:
            in_progress.discard(key)
            if isinstance(node, yaml.MappingNode):
                kids = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                kids = node.value
            else:
                kids = []
            total = 1 + sum(sizes[id(k)] for k in kids)
            if total > limit:
                raise _TooManyNodes(total)
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in in_progress:
            raise _RecursiveAlias()
        in_progress.add(key)
        stack.append((node, True))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append((k, False))
                stack.append((v, False))
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                stack.append((v, False))
    return sizes[id(root)]


class _TooManyNodes(Exception):
    def __init__(self, total: int) -> None:
        super().__init__(total)
        self.total = total


class _RecursiveAlias(Exception):
    pass


def _js_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int | float):
        from apipack.snippets.jsvalue import number_to_string

        return number_to_string(key)
    return str(key)


def _string_keys(value: Any) -> Any:
    """Mapping keys as JavaScript would hold them (YAML allows ints, bools, null as keys)."""
    if isinstance(value, dict):
        if all(type(k) is str for k in value):
            for k, v in value.items():
                if isinstance(v, dict | list):
                    value[k] = _string_keys(v)
            return value
        return {_js_key(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, dict | list):
                value[i] = _string_keys(v)
    return value


def load_yaml(text: str, name: str, *, max_nodes: int = DEFAULT_MAX_NODES) -> Any:
    loader = _CoreLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, max_nodes)
        data = loader.construct_document(node)
    except _TooManyNodes as exc:
        raise SpecTooLargeError(
            f"{name}: YAML aliases expand to more than {max_nodes:,} nodes (an alias bomb such as "
            "'billion laughs'); expand the aliases or split the spec", code="yaml_alias_bomb") from exc
    except _RecursiveAlias as exc:
        raise SpecParseError(f"{name}: a YAML alias refers to a node that contains it; "
                             "such a document has no JSON form", code="yaml_recursive_alias") from exc
    except yaml.YAMLError as exc:
        raise SpecParseError(f"{name}: not valid JSON or YAML: {_one_line(str(exc))}") from exc
    finally:
        loader.dispose()
    return _string_keys(data)


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_bytes(data: bytes, name: str, *, max_bytes: int, max_nodes: int = DEFAULT_MAX_NODES) -> Any:
    """Parse a spec's bytes (JSON or YAML) into dicts, lists and scalars."""
    if len(data) > max_bytes:
        raise SpecTooLargeError(f"{name}: {len(data):,} bytes is over the limit of {max_bytes:,} bytes; "
                                "raise max_bytes (APIPACK_MAX_SPEC_BYTES) or split the spec")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
        try:
            return json.loads(data)
        except RecursionError as exc:
            raise SpecParseError(f"{name}: JSON nested too deeply to read") from exc
        except (ValueError, UnicodeDecodeError):
            pass  # YAML is a superset of JSON (and reports the error better)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecParseError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if "\x00" in text:
        raise SpecParseError(f"{name}: binary data, not a JSON or YAML document")
    try:
        return load_yaml(text, name, max_nodes=max_nodes)
    except RecursionError as exc:
        raise SpecParseError(f"{name}: YAML nested too deeply to read") from exc
