"""Parameters of an endpoint as openapi-snippet 0.14.0's openapi-to-har.js turns them into HAR.

Ported: the value a parameter gets (``values`` > example > examples > schema.example > default >
``SOME_<TYPE>_VALUE`` / ``{name}`` for path parameters), style / explode serialisation,
path-level parameters overridden by operation-level ones, and the way openapi-to-har rewrites
``param.schema`` when it resolves a ``$ref`` (and types an untyped target ``object``), which
``ParamState`` replays without touching the document.

Where node throws (DESIGN.md figures), the port goes on with the most natural reading of the
code; each such place is tagged ``crash:<class>`` and listed in docs/conformance.md.
"""

from __future__ import annotations

from typing import Any

from apipack.snippets.jsvalue import UNDEFINED, js_keys, to_js_string
from apipack.snippets.sampler.pointer import JsError, decode_uri_component, parse_pointer, pointer_get
from apipack.snippets.sampler.traverse import get, infer_type, truthy

HarParam = dict[str, Any]


def har_resolve(doc: dict[str, Any], ref: str, memo: dict[str, Any]) -> Any:
    """openapi-to-har's ``resolveRef``: split on ``/`` and walk, no unescaping.

    crash:pointer-escapes: node reads a property of ``undefined`` when a token needs JSON
    pointer unescaping (``~1``) or percent-decoding; we then resolve it as RFC 6901 says.
    Returns UNDEFINED when the target does not exist either way.
    """
    hit = memo.get(ref, memo)
    if hit is not memo:
        return hit
    parts = ref.split("/")
    if len(parts) <= 1:
        value: Any = {}
    else:
        value = _walk(doc, parts[1:])
        if value is UNDEFINED:
            try:
                value = pointer_get(doc, parse_pointer(decode_uri_component(ref[1:])))
            except JsError:
                value = UNDEFINED
    memo[ref] = value
    return value


def _walk(obj: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(obj, dict):
            obj = obj.get(part, UNDEFINED)
        elif isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        else:
            return UNDEFINED
    return obj


def _is_local_ref(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("#")


class ParamState:
    """What openapi-to-har's in-place edits leave behind, replayed for one endpoint.

    node assigns ``param.schema = resolveRef(...)`` every time it walks a parameter and adds
    ``type: 'object'`` to an untyped target. We keep the parameter's current schema by the
    parameter's identity and the typed copies in ``overlay`` (also handed to the sampler), so
    the parsed document is never changed.
    """

    def __init__(self, doc: dict[str, Any], ref_memo: dict[str, Any]) -> None:
        self.doc = doc
        self.ref_memo = ref_memo
        self.schemas: dict[int, Any] = {}
        self.overlay: dict[int, dict[str, Any]] = {}
        self.prepared: dict[int, list[tuple[dict[str, Any], str | None]]] = {}

    def schema_of(self, param: dict[str, Any]) -> Any:
        return self.schemas.get(id(param), param.get("schema", UNDEFINED))

    def step(self, param: dict[str, Any]) -> None:
        """One pass of parseParametersToQuery over ``param``'s schema."""
        schema = self.schemas.get(id(param), param.get("schema"))
        if type(schema) is not dict:
            return  # crash:param-schema-null (a null schema): treated as no schema
        ref = schema.get("$ref")
        if type(ref) is not str or not ref.startswith("#"):
            return
        target = har_resolve(self.doc, ref, self.ref_memo)
        if not isinstance(target, dict):
            # crash:param-schema-unresolved: node reads .type of undefined; an untyped schema
            target = {} if target is UNDEFINED else target
        if isinstance(target, dict) and "type" not in target:
            typed = self.overlay.get(id(target))
            if typed is None:
                typed = dict(target)
                typed["type"] = "object"
                if target:  # keep the empty stand-in out of the sampler's overlay
                    self.overlay[id(target)] = typed
            target = typed
        self.schemas[id(param)] = target


def collect(state: ParamState, item: dict[str, Any], op: dict[str, Any], location: str,
            values: dict[str, Any] | None) -> list[HarParam]:
    """getParameterCollectionIn: path-level then operation-level, the latter overriding."""
    merged: dict[str, list[HarParam]] = {}
    for params in (item.get("parameters", UNDEFINED), op.get("parameters", UNDEFINED)):
        if params is UNDEFINED:
            continue
        found = _parse(state, params, location, values)
        merged.update(found)
    out: list[HarParam] = []
    for key in js_keys(merged):
        out.extend(merged[key])
    return out


def _iter_params(params: Any) -> list[Any]:
    if isinstance(params, list):
        return params
    if isinstance(params, dict):
        return [params[k] for k in js_keys(params)]
    if isinstance(params, str):
        return list(params)
    return []


def _prepared(state: ParamState, params: Any) -> list[tuple[dict[str, Any], str | None]]:
    """The parameter objects after ``$ref`` resolution with their lower-cased ``in``, once per list.

    node re-resolves on each of its four passes, but the resolution of a parameter reference
    always gives the same object, so only the schema step (ParamState.step) is repeated.
    """
    key = id(params)
    hit = state.prepared.get(key)
    if hit is not None:
        return hit
    out: list[tuple[dict[str, Any], str | None]] = []
    for param in _iter_params(params):
        if not isinstance(param, dict):
            continue  # crash:param-null for null; strings and numbers have no `in` in node either
        ref = param.get("$ref")
        if _is_local_ref(ref):
            param = har_resolve(state.doc, ref, state.ref_memo)
            if not isinstance(param, dict):
                continue  # crash:param-unresolved: a $ref to nothing names no parameter
        where = param.get("in", UNDEFINED)
        # crash:param-in-not-string: a non-string `in` matches no location
        out.append((param, where.lower() if isinstance(where, str) else None))
    state.prepared[key] = out
    return out


def _parse(state: ParamState, params: Any, location: str,
           values: dict[str, Any] | None) -> dict[str, list[HarParam]]:
    found: dict[str, list[HarParam]] = {}
    for param, where in _prepared(state, params):
        state.step(param)
        if where == location:
            found[to_js_string(param.get("name", UNDEFINED))] = _values_for(state, param, location, values)
    return found


def placeholder_type(state: ParamState, param: dict[str, Any]) -> str:
    """``(param.type || param.schema.type)``, upper-cased, with node's crashes read naturally."""
    kind = param.get("type", UNDEFINED)
    if not truthy(kind):
        schema = state.schema_of(param)
        if schema is UNDEFINED or schema is None:
            # crash:param-without-schema (e.g. `content` instead of `schema`)
            schema = _content_schema(state, param)
        kind = get(schema, "type") if schema is not UNDEFINED else UNDEFINED
        if not truthy(kind):
            # crash:param-schema-untyped (oneOf / anyOf / allOf / {} schemas)
            kind = _guess_type(state, schema, 0)
    if isinstance(kind, list):  # crash:param-type-list (OpenAPI 3.1 `type: [..]`)
        kind = kind[0] if kind else "string"
    return to_js_string(kind).upper()


def _content_schema(state: ParamState, param: dict[str, Any]) -> Any:
    content = param.get("content")
    if isinstance(content, dict):
        for key in js_keys(content):
            media = content[key]
            if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                return media["schema"]
    return UNDEFINED


def _guess_type(state: ParamState, schema: Any, depth: int) -> str:
    if not isinstance(schema, dict) or depth > 8:
        return "string"
    if _is_local_ref(schema.get("$ref")):
        return _guess_type(state, har_resolve(state.doc, schema["$ref"], state.ref_memo), depth + 1)
    kind = infer_type(schema)
    if isinstance(kind, str) and kind:
        return kind
    for key in ("oneOf", "anyOf", "allOf"):
        members = schema.get(key)
        if isinstance(members, list) and members:
            return _guess_type(state, members[0], depth + 1)
    return "string"


def _values_for(state: ParamState, param: dict[str, Any], location: str,
                values: dict[str, Any] | None) -> list[HarParam]:
    """getParameterValues."""
    name = param.get("name", UNDEFINED)
    value: Any = UNDEFINED
    key = to_js_string(name)
    if values is not None and values.get(key, UNDEFINED) is not UNDEFINED:
        value = values[key]
    elif param.get("example", UNDEFINED) is not UNDEFINED:
        value = param["example"]
    else:
        value = _from_examples(state, param)
        if value is UNDEFINED:
            schema = state.schema_of(param)
            if isinstance(schema, dict) and schema.get("example", UNDEFINED) is not UNDEFINED:
                value = schema["example"]
            elif param.get("default", UNDEFINED) is not UNDEFINED:
                value = param["default"]
    if value is UNDEFINED:
        if location == "path":
            value = "{" + key + "}"
        else:
            value = "SOME_" + placeholder_type(state, param) + "_VALUE"
    if not truthy(name):
        return []  # crash:param-without-name ("Required parameters missing"): nothing to send
    return har_parameter_objects(param, value)


def _from_examples(state: ParamState, param: dict[str, Any]) -> Any:
    """The first of ``param.examples``; UNDEFINED to fall through to the next source.

    crash:param-examples: node throws on ``examples: null``, on an empty map and on an
    example without ``value`` (externalValue); we fall through to schema.example / default.
    """
    examples = param.get("examples", UNDEFINED)
    if examples is UNDEFINED:
        return UNDEFINED
    if isinstance(examples, dict):
        first = examples[js_keys(examples)[0]] if examples else UNDEFINED
    elif isinstance(examples, list | str):
        first = examples[0] if examples else UNDEFINED
    else:
        return UNDEFINED
    if isinstance(first, dict) and _is_local_ref(first.get("$ref")):
        first = har_resolve(state.doc, first["$ref"], state.ref_memo)
    if isinstance(first, dict):
        return first.get("value", UNDEFINED)
    return UNDEFINED


def _join(items: list[Any], sep: str) -> str:
    return sep.join("" if v is None or v is UNDEFINED else to_js_string(v) for v in items)


def _object_join(obj: dict[str, Any], kv_sep: str = ",", pair_sep: str = ",") -> str:
    return pair_sep.join(f"{k}{kv_sep}{to_js_string(obj[k])}" for k in js_keys(obj))


def har_parameter_objects(param: dict[str, Any], value: Any) -> list[HarParam]:
    """createHarParameterObjects: serialise one value by the parameter's style and explode."""
    name = param.get("name", UNDEFINED)
    location = param.get("in", UNDEFINED)
    style = param.get("style", UNDEFINED)
    explode = param.get("explode", UNDEFINED)
    prefix = "." if style == "label" else ";" if style == "matrix" else ""
    param_id = f"{to_js_string(name)}=" if style == "matrix" else ""
    if not isinstance(value, dict | list):
        return [{"name": name, "value": prefix + param_id + to_js_string(value)}]
    if style is UNDEFINED or style is None:
        style = "simple" if location in ("path", "header") else "form" if location in ("query", "cookie") \
            else UNDEFINED
    if explode is UNDEFINED or explode is None:
        explode = style == "form"
    objects: list[HarParam] = []
    if location in ("query", "cookie"):
        sep = " " if style == "spaceDelimited" else "|" if style == "pipeDelimited" else ","
        if isinstance(value, list):
            if truthy(explode):
                objects.extend({"name": name, "value": to_js_string(v)} for v in value)
            else:
                objects.append({"name": name, "value": _join(value, sep)})
        elif style == "deepObject":
            objects.extend({"name": f"{to_js_string(name)}[{k}]", "value": to_js_string(value[k])}
                           for k in js_keys(value))
        elif truthy(explode):
            objects.extend({"name": k, "value": to_js_string(value[k])} for k in js_keys(value))
        else:
            objects.append({"name": name, "value": _object_join(value)})
    elif location in ("path", "header"):
        sep = "." if style == "label" else ";" if style == "matrix" else ","
        if isinstance(value, list):
            objects.append({"name": name,
                            "value": prefix + param_id + _join(value, sep + param_id if truthy(explode) else ",")})
        elif truthy(explode):
            objects.append({"name": name, "value": prefix + _object_join(value, "=", sep)})
        else:
            objects.append({"name": name, "value": prefix + param_id + _object_join(value)})
    return objects


def js_replace_first(text: str, pattern: str, replacement: str) -> str:
    """``text.replace(pattern, replacement)`` with a string pattern ($$, $&, $`, $' apply)."""
    at = text.find(pattern)
    if at < 0:
        return text
    if "$" in replacement:
        replacement = _substitution(text, pattern, at, replacement)
    return text[:at] + replacement + text[at + len(pattern):]


def _substitution(text: str, matched: str, at: int, replacement: str) -> str:
    out: list[str] = []
    i, n = 0, len(replacement)
    while i < n:
        ch = replacement[i]
        if ch == "$" and i + 1 < n:
            nxt = replacement[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
                continue
            if nxt == "&":
                out.append(matched)
                i += 2
                continue
            if nxt == "`":
                out.append(text[:at])
                i += 2
                continue
            if nxt == "'":
                out.append(text[at + len(matched):])
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)
