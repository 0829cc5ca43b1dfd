"""openapi-sampler 1.7.10's ``traverse`` (JSON output only), ported line by line.

The port keeps the JavaScript behaviour that shows in the samples: ``undefined`` versus
``null``, the ``$ref`` cache that breaks cycles, the stack of schemas seen on the current path
(compared by identity), ``maxSampleDepth`` 15, allOf merging with ``SKIP`` for read-only
members, the first oneOf / anyOf member merged over the rest of the schema.
"""

from __future__ import annotations

import math
from typing import Any

from apipack.snippets.jsvalue import SKIP, UNDEFINED
from apipack.snippets.sampler.pointer import (
    JsError,
    decode_uri_component,
    js_get,
    merge_deep,
    object_keys,
    parse_pointer,
    pointer_get,
)
from apipack.snippets.sampler.scalars import sample_boolean, sample_number, sample_string
from apipack.snippets.sampler.values import (
    MAX_SAMPLE_DEPTH,
    Ctx,
    Result,
    circular,
    get,
    gt,
    infer_example,
    infer_type,
    js_min,
    js_str,
    limit_properties,
    same,
    truthy,
    try_infer_example,
)

__all__ = ["MAX_SAMPLE_DEPTH", "Ctx", "Result", "Sampler", "get", "infer_type", "truthy"]


class Sampler:
    """One spec's sampling state; ``sample()`` clears the per-call caches like ``clearCache``."""

    def __init__(self, spec: dict[str, Any], *, skip_read_only: bool = True,
                 overlay: dict[int, dict[str, Any]] | None = None,
                 shared: dict[str, Any] | None = None) -> None:
        self.spec = spec
        self.skip_read_only = skip_read_only
        openapi = spec.get("openapi", UNDEFINED) if isinstance(spec, dict) else UNDEFINED
        version = "" if openapi is UNDEFINED or openapi is None else js_str(openapi)
        self.ignore_siblings = version.startswith("3.0") or (
            isinstance(spec, dict) and "swagger" in spec)
        self.overlay = overlay or {}  # id(schema) -> the same schema as mutated by openapi-to-har
        # Memos that outlive one sample() call: resolved pointers, $ref-with-siblings merges and
        # sampled subtrees. Shared across endpoints only without an overlay (the usual case).
        if shared is None or self.overlay:
            shared = {}
        self.ref_memo: dict[str, tuple[str, Any]] = shared.setdefault("ref_memo", {})
        self.merged: dict[int, tuple[str, Any]] = shared.setdefault("merged", {})
        self.memo: dict[tuple[Any, ...], list[tuple[Any, ...]]] = shared.setdefault("memo", {})
        self.active: set[str] = set()  # $refCache entries that are true
        self.seen: list[Any] = []  # seenSchemasStack, as keys (identity for objects)
        self.seen_set: set[Any] = set()
        self.frames: list[tuple[set[str], set[Any]]] = []

    def sample(self, schema: Any) -> Any:
        self.active = set()
        self.seen = []
        self.seen_set = set()
        self.frames = []
        return self.traverse(schema, None).value

    def _memo_traverse(self, schema: Any, context: Ctx | None) -> Result:
        """traverse(), remembered per (schema, context) with the outside state it looked at.

        A subtree's sample depends on the context and on which $refs are open and which schemas
        are on the stack outside it; an entry is reused only where those it consulted match.
        """
        if type(schema) is not dict:
            return self.traverse(schema, context)
        key = (id(schema), None) if context is None else (id(schema), context.depth, context.prop, context.allof)
        entries = self.memo.get(key)
        if entries:
            for c_refs, d_refs, c_seen, d_seen, res in entries:
                if (c_refs & self.active) == d_refs and (c_seen & self.seen_set) == d_seen:
                    if self.frames:
                        top = self.frames[-1]
                        top[0].update(c_refs)
                        top[1].update(c_seen)
                    return Result(res.value, res.read_only, res.write_only, res.type)
        frame: tuple[set[str], set[Any]] = (set(), set())
        self.frames.append(frame)
        res = self.traverse(schema, context)
        self.frames.pop()
        c_refs, c_seen = frozenset(frame[0]), frozenset(frame[1])
        self.memo.setdefault(key, []).append((c_refs, c_refs & self.active, c_seen, c_seen & self.seen_set, res))
        if self.frames:
            top = self.frames[-1]
            top[0].update(c_refs)
            top[1].update(c_seen)
        return Result(res.value, res.read_only, res.write_only, res.type)

    # --- $ref -------------------------------------------------------------------------------
    def resolve_ref(self, schema: dict[str, Any]) -> tuple[str, Any]:
        ref = schema["$ref"]
        has_siblings = any(k != "$ref" and v is not UNDEFINED for k, v in schema.items())
        if has_siblings and not self.ignore_siblings:
            key = id(schema)
            hit = self.merged.get(key)
            if hit is None:
                pointer, target = self._lookup(ref)
                siblings = {k: v for k, v in schema.items() if k != "$ref" and v is not UNDEFINED}
                merged = merge_deep(target, siblings)
                t_req, s_req = get(target, "required"), siblings.get("required")
                if isinstance(t_req, list) and isinstance(s_req, list):
                    merged["required"] = list(dict.fromkeys(t_req + s_req))
                hit = self.merged[key] = (pointer, merged)
            return hit
        return self._lookup(ref)

    def _lookup(self, ref: Any) -> tuple[str, Any]:
        memo_key = ref if isinstance(ref, str) else repr(ref)
        hit = self.ref_memo.get(memo_key)
        if hit is None:
            pointer = decode_uri_component(js_str(ref))
            if pointer.startswith("#"):
                pointer = pointer[1:]
            target = pointer_get(self.spec, parse_pointer(pointer))
            hit = self.ref_memo[memo_key] = (pointer, target)
        pointer, target = hit
        if self.overlay and type(target) is dict:
            target = self.overlay.get(id(target), target)
        return pointer, target

    # --- traverse ---------------------------------------------------------------------------
    def _pop(self, context: Ctx | None) -> None:
        if context is not None:
            self.seen_set.discard(self.seen.pop())

    def traverse(self, schema: Any, context: Ctx | None) -> Result:
        if context is not None:
            skey = id(schema) if isinstance(schema, dict | list) else (type(schema).__name__, schema)
            if self.frames:
                self.frames[-1][1].add(skey)
            if skey in self.seen_set:
                return circular(infer_type(schema))
            self.seen.append(skey)
            self.seen_set.add(skey)
            if context.depth is not None and context.depth > MAX_SAMPLE_DEPTH:
                self._pop(context)
                return circular(infer_type(schema))
        if schema is None or schema is UNDEFINED:
            raise JsError(f"Cannot read properties of {'null' if schema is None else 'undefined'} "
                          "(reading '$ref')")
        if type(schema) is not dict:
            self._pop(context)
            return Result(None, UNDEFINED, UNDEFINED, None)

        ref = schema.get("$ref", UNDEFINED)
        if truthy(ref):
            pointer, referenced = self.resolve_ref(schema)
            if self.frames:
                self.frames[-1][0].add(pointer)
            if pointer not in self.active:
                self.active.add(pointer)
                result = self._memo_traverse(referenced, context)
                self.active.discard(pointer)
            else:
                result = circular(infer_type(referenced))
            self._pop(context)
            return result

        example = schema.get("example", UNDEFINED)
        if example is not UNDEFINED:
            self._pop(context)
            return Result(example, schema.get("readOnly", UNDEFINED), schema.get("writeOnly", UNDEFINED),
                          schema.get("type", UNDEFINED))

        all_of = schema.get("allOf", UNDEFINED)
        if all_of is not UNDEFINED:
            self._pop(context)
            inferred = try_infer_example(schema)
            if inferred is not None:
                return inferred
            into = {k: v for k, v in schema.items() if k != "allOf"}
            return self.all_of(into, all_of, context)

        one_of = schema.get("oneOf", UNDEFINED)
        any_of = schema.get("anyOf", UNDEFINED)
        for variants in (one_of, any_of):
            if truthy(variants) and truthy(get(variants, "length")):
                self._pop(context)
                first: dict[str, Any] = {}
                for key in ("readOnly", "writeOnly"):
                    if schema.get(key, UNDEFINED) is not UNDEFINED:
                        first[key] = schema[key]
                head = get(variants, "0")
                if isinstance(head, dict):
                    first.update(head)
                elif isinstance(head, list | str):
                    for k in object_keys(head):
                        first[k] = js_get(head, k)
                return self._one_or_any_of(schema, first, context)

        if truthy(schema.get("if", UNDEFINED)) and truthy(schema.get("then", UNDEFINED)):
            self._pop(context)
            rest = {k: v for k, v in schema.items() if k not in ("if", "then")}
            return self.traverse(merge_deep(rest, schema["if"], schema["then"]), context)

        example = infer_example(schema)
        type_: Any = None
        if example is UNDEFINED:
            example = None
            type_ = schema.get("type", UNDEFINED)
            if isinstance(type_, list) and len(type_) > 0:
                type_ = type_[0]
            if not truthy(type_):
                type_ = infer_type(schema)
            if type_ == "object":
                example = self.sample_object(schema, context)
            elif type_ == "array":
                example = self.sample_array(schema, context)
            elif type_ == "string":
                example = sample_string(schema, context.prop if context is not None else UNDEFINED)
            elif type_ == "number" or type_ == "integer":
                example = sample_number(schema)
            elif type_ == "boolean":
                example = sample_boolean(schema)
        self._pop(context)
        return Result(example, schema.get("readOnly", UNDEFINED), schema.get("writeOnly", UNDEFINED), type_)

    def _one_or_any_of(self, schema: dict[str, Any], selected: dict[str, Any], context: Ctx | None) -> Result:
        inferred = try_infer_example(schema)
        if inferred is not None:
            return inferred
        local = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
        local_example = self.traverse(local, context)
        sub_example = self.traverse(selected, context)
        lv, sv = local_example.value, sub_example.value
        if (lv is None or isinstance(lv, dict | list)) and (sv is None or isinstance(sv, dict | list)):
            merged = merge_deep(lv, sv)
            return Result(merged, sub_example.read_only, sub_example.write_only, sub_example.type)
        return sub_example

    def all_of(self, into: dict[str, Any], children: Any, context: Ctx | None) -> Result:
        res = self.traverse(into, None)
        if not isinstance(children, list):
            raise JsError("allOf is not iterable")
        sub_samples: list[Any] = []
        child_ctx = Ctx(context.depth if context else None, context.prop if context else UNDEFINED, True)
        for sub in children:
            if truthy(get(sub, "$ref")):
                child = dict(sub)
            else:
                child = {} if res.type is UNDEFINED else {"type": res.type}
                if isinstance(sub, dict):
                    child.update(sub)
                elif sub is None or sub is UNDEFINED:
                    pass
                else:
                    for k in object_keys(sub):
                        child[k] = js_get(sub, k)
            r = self.traverse(child, child_ctx)
            if truthy(res.type) and truthy(r.type) and not same(r.type, res.type):
                res.type = r.type
            if not truthy(res.type):
                res.type = r.type
            res.read_only = res.read_only if truthy(res.read_only) else r.read_only
            res.write_only = res.write_only if truthy(res.write_only) else r.write_only
            if r.value is not None and r.value is not UNDEFINED:
                sub_samples.append(r.value)
        if res.type == "object":
            base = res.value if truthy(res.value) else {}
            objs = [s for s in sub_samples if isinstance(s, dict | list) or s is None]
            merged = merge_deep(base, *objs)
            if isinstance(merged, dict):
                for key in [k for k, v in merged.items() if v is SKIP]:
                    del merged[key]
            res.value = merged
            return res
        if sub_samples:
            res.value = sub_samples[-1]
        return res

    # --- object and array samplers ------------------------------------------------------------
    def sample_object(self, schema: dict[str, Any], context: Ctx | None) -> Any:
        res: dict[str, Any] = {}
        depth = (context.depth if context is not None else None) or 1
        props = schema.get("properties", UNDEFINED)
        if isinstance(props, dict | list) or props is None:
            names = object_keys(props)
            is_allof_child = context is not None and context.allof
            for name in names:
                sub = props[name] if isinstance(props, dict) else js_get(props, name)
                sample = self.traverse(sub, Ctx(depth + 1, name))
                if self.skip_read_only and truthy(sample.read_only):
                    if is_allof_child:
                        res[name] = SKIP
                    continue
                res[name] = sample.value
        extra = schema.get("additionalProperties", UNDEFINED)
        if isinstance(extra, dict | list) or extra is None:
            label = js_get(extra, "x-additionalPropertiesName")
            label = js_str(label) if truthy(label) else "property"
            res[f"{label}1"] = self.traverse(extra, Ctx(depth + 1)).value
            res[f"{label}2"] = self.traverse(extra, Ctx(depth + 1)).value
        max_props = schema.get("maxProperties", UNDEFINED)
        if (isinstance(props, dict | list) or props is None) and max_props is not UNDEFINED \
                and gt(len(res), max_props):
            res = limit_properties(res, schema.get("required", UNDEFINED), max_props)
        return res

    def sample_array(self, schema: dict[str, Any], context: Ctx | None) -> list[Any]:
        depth = (context.depth if context is not None else None) or 1
        max_items = schema.get("maxItems", UNDEFINED)
        min_items = schema.get("minItems", UNDEFINED)
        length = js_min(math.inf if max_items is UNDEFINED or max_items is None else max_items,
                         min_items if truthy(min_items) else 1)
        items = UNDEFINED
        for key in ("prefixItems", "items", "contains"):
            items = schema.get(key, UNDEFINED)
            if truthy(items):
                break
        if isinstance(items, list):
            length = max(length, len(items)) if not math.isnan(length) else length
        res: list[Any] = []
        if not truthy(items):
            return res
        i = 0
        while i < length:
            if isinstance(items, list):
                item = items[i] if i < len(items) else UNDEFINED
                item = item if truthy(item) else {}
            else:
                item = items
            res.append(self.traverse(item, Ctx(depth + 1)).value)
            i += 1
        return res
