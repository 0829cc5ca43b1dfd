"""The index manifest: what a published version holds and how it was made.

``manifest.json`` sits in each version folder. Readers check ``schema_version`` (the layout of
the files) and the embedding model's name and dimension before trusting anything else.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

# 2: per-endpoint cuts of each spec (specs/<key>.cuts) beside the whole spec
SCHEMA_VERSION = 2
MANIFEST = "manifest.json"

# files every version must hold (besides the manifest); the loader checks them all
REQUIRED_FILES = ("apis.json", "endpoints.jsonl", "dense.npy", "dense_owner.npy", "api_dense.npy", "lexical.npz",
                  "vocab.json", "faiss.index")


def make_manifest(*, version: str, model_name: str, dim: int, faiss_kind: str, apis: int,
                  endpoints: int, sources: dict[str, str], build_seconds: float,
                  built_at: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "version": version,
        "built_at": built_at,
        "build_seconds": round(build_seconds, 2),
        "embedding": {"model": model_name, "dim": dim},
        "faiss": {"kind": faiss_kind},
        "counts": {"apis": apis, "endpoints": endpoints},
        "sources": sources,  # api_id -> sha256 of the spec file
        **(extra or {}),
    }


def write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
