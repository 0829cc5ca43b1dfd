"""Turns generation and retrieval results into the JSON the API returns (plain dicts, fast to serialise)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from apipack.snippets.targets_table import TargetInfo
from generation.types import Generation
from retrieval.types import SearchResult


def generation_body(gen: Generation, *, target: TargetInfo, index_version: str) -> dict[str, Any]:
    check = None
    if gen.check is not None:
        c = gen.check
        check = {"status": c.status, "ok": c.status == "valid", "method": c.method, "url": c.url,
                 "matched_path": c.matched_path, "problems": list(c.problems)}
    endpoint = None
    if gen.method and gen.path:
        endpoint = {"method": gen.method, "path": gen.path, "operation_id": gen.operation_id,
                    "summary": gen.summary}
    api = {"id": gen.api_id, "name": gen.api_title or gen.api_id} if gen.api_id else None
    return {
        "status": gen.status,
        "code": gen.code,
        "language": target.short,
        "target": target.target_id,
        "api": api,
        "endpoint": endpoint,
        "filled": [{"name": f.name, "location": f.location, "value": _jsonable(f.value), "source": f.source}
                   for f in gen.filled],
        "examples": [{"instruction": str(e.get("instruction", "")), "endpoint_id": str(e.get("endpoint_id", "")),
                      "score": float(e.get("score", 0.0))} for e in gen.examples],
        "check": check,
        "model_code": gen.model_code,
        "flagged": gen.flagged,
        "backend": gen.backend,
        "cached": False,
        "index_version": index_version,
        "timings_ms": {k: round(float(v), 3) for k, v in gen.timings_ms.items()},
    }


def search_body(result: SearchResult, *, api_name: str | None, index_version: str) -> dict[str, Any]:
    return {
        "query": result.query,
        "api": {"id": result.api_id, "name": api_name or result.api_id} if result.api_id else None,
        "api_named": result.api_named,
        "api_confidence": float(result.api_confidence),
        "hits": [{**asdict(h), "score": float(h.score),
                  "stage_scores": {k: float(v) for k, v in h.stage_scores.items()}} for h in result.hits],
        "examples": [{"instruction": e.instruction, "endpoint_id": e.endpoint_id, "score": float(e.score)}
                     for e in result.examples],
        "index_version": index_version,
        "timings_ms": {k: round(float(v), 3) for k, v in result.timings_ms.items()},
    }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
