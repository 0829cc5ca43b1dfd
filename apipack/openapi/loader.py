"""``load_spec``: a spec file (or its bytes) -> ``ApiSpec``, every failure a ``SpecError``.

Steps: size limit, parse (JSON / guarded YAML), check it is OpenAPI 3.x or Swagger 2.0
(converted), check it has paths, scan ``$ref``s (remote ones and broken local ones become
warnings, an unbounded cycle is an error), then one ``Endpoint`` per path x method. With a
``cache_dir`` the finished ``ApiSpec`` is pickled under the sha256 of the bytes (plus the
loader version and the ids), so rebuilding a corpus after one spec changed re-parses only it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from apipack.errors import NoPathsError, NotOpenAPIError, SpecError, SpecParseError, SpecTooLargeError
from apipack.openapi.endpoints import build_endpoints
from apipack.openapi.model import ApiSpec
from apipack.openapi.parse import parse_bytes
from apipack.openapi.refs import check_refs, scan_refs
from apipack.openapi.swagger2 import convert, is_swagger2

log = logging.getLogger(__name__)

LOADER_VERSION = "1"  # bump when the cached ApiSpec would come out differently
DEFAULT_MAX_BYTES = 20 * 2**20


def _read(source: Path | str | bytes, max_bytes: int, name: str) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str) and ("\n" in source or source.lstrip()[:1] in ("{", "[")):
        return source.encode("utf-8")  # spec text given as a string
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SpecTooLargeError(f"{name}: {size:,} bytes is over the limit of {max_bytes:,} bytes; "
                                    "raise max_bytes (APIPACK_MAX_SPEC_BYTES) or split the spec")
        return path.read_bytes()
    except OSError as exc:
        raise SpecParseError(f"{name}: cannot read the file ({exc.strerror or exc})") from exc


def _cache_file(cache_dir: Path, digest: str, api_id: str, spec_path: str) -> Path:
    key = hashlib.sha256(f"{LOADER_VERSION}\n{digest}\n{api_id}\n{spec_path}".encode()).hexdigest()
    return cache_dir / key[:2] / f"{key}.pickle"


def _cache_get(path: Path) -> ApiSpec | None:
    try:
        with path.open("rb") as fh:
            spec = pickle.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        log.warning("parse cache entry %s unreadable (%s); parsing again", path, exc)
        return None
    return spec if isinstance(spec, ApiSpec) else None


def _cache_put(path: Path, spec: ApiSpec) -> None:
    cache = spec.render_cache
    spec.render_cache = {}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(spec, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: concurrent workers never see half a file
    except OSError as exc:
        log.warning("cannot write the parse cache at %s: %s", path, exc)
    finally:
        spec.render_cache = cache


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def spec_from_document(doc: Any, *, api_id: str, spec_path: str, name: str, digest: str,
                       raw: bytes | None = None) -> ApiSpec:
    """Validate and model an already parsed document."""
    if not isinstance(doc, dict):
        raise NotOpenAPIError(f"{name}: the document is a {type(doc).__name__}, not an OpenAPI object")
    warnings: list[str] = []
    if is_swagger2(doc):
        doc = convert(doc)
        raw = None  # the $ref scan must see the converted references
        warnings.append("Swagger 2.0 converted to OpenAPI 3.0")
    version = doc.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.")):
        found = f"openapi: {version!r}" if "openapi" in doc else (
            f"swagger: {doc['swagger']!r}" if "swagger" in doc else "neither 'openapi' nor 'swagger'")
        raise NotOpenAPIError(f"{name}: not an OpenAPI 3.x or Swagger 2.0 document ({found})")
    paths = doc.get("paths")
    if not isinstance(paths, dict) or not paths:
        raise NoPathsError(f"{name}: the spec has no paths, so there is no endpoint to render")
    warnings.extend(check_refs(doc, scan_refs(doc, raw), name))
    endpoints = build_endpoints(api_id, doc)
    if not endpoints:
        raise NoPathsError(f"{name}: the spec's paths declare no operation (get, post, ...)")
    info = doc.get("info") if isinstance(doc.get("info"), dict) else {}
    return ApiSpec(api_id=api_id, title=_text(info.get("title")), description=_text(info.get("description")),
                   provider=_text(info.get("x-providerName")), spec_path=spec_path, content_hash=digest,
                   doc=doc, endpoints=endpoints, warnings=warnings)


def load_spec(source: Path | str | bytes, *, api_id: str | None = None, spec_path: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, cache_dir: Path | str | None = None) -> ApiSpec:
    """Load one spec. ``source`` is a path, the spec's bytes, or its text as a ``str``.

    ``api_id`` defaults to the file name without extension; ``spec_path`` to the path given.
    Raises SpecParseError, NotOpenAPIError, NoPathsError, RefError or SpecTooLargeError, each
    naming the spec and the reason.
    """
    is_file = isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                           and source.lstrip()[:1] not in ("{", "["))
    if api_id is None:
        api_id = Path(source).stem if is_file else "spec"
    if spec_path is None:
        spec_path = str(source) if is_file else ""
    name = spec_path or api_id
    data = _read(source, max_bytes, name)
    if len(data) > max_bytes:
        raise SpecTooLargeError(f"{name}: {len(data):,} bytes is over the limit of {max_bytes:,} bytes; "
                                "raise max_bytes (APIPACK_MAX_SPEC_BYTES) or split the spec")
    digest = hashlib.sha256(data).hexdigest()
    cached_at = _cache_file(Path(cache_dir), digest, api_id, spec_path) if cache_dir is not None else None
    if cached_at is not None:
        hit = _cache_get(cached_at)
        if hit is not None:
            return hit
    doc = parse_bytes(data, name, max_bytes=max_bytes)
    spec = spec_from_document(doc, api_id=api_id, spec_path=spec_path, name=name, digest=digest, raw=data)
    if cached_at is not None:
        _cache_put(cached_at, spec)
    return spec


class LoadResult:
    """One spec of a batch: the spec, or the SpecError that names why it was skipped."""

    __slots__ = ("file", "api_id", "spec", "error")

    def __init__(self, file: Path, api_id: str, spec: ApiSpec | None, error: SpecError | None) -> None:
        self.file = file
        self.api_id = api_id
        self.spec = spec
        self.error = error

    @property
    def ok(self) -> bool:
        return self.spec is not None


def load_many(files: Iterable[tuple[Path, str]], *, max_bytes: int = DEFAULT_MAX_BYTES,
              cache_dir: Path | str | None = None, root: Path | None = None) -> Iterator[LoadResult]:
    """Load a batch; a spec that fails is reported in its LoadResult and the batch goes on."""
    for file, api_id in files:
        spec_path = file.relative_to(root).as_posix() if root is not None else file.as_posix()
        try:
            spec = load_spec(file, api_id=api_id, spec_path=spec_path, max_bytes=max_bytes, cache_dir=cache_dir)
        except SpecError as exc:
            yield LoadResult(file, api_id, None, exc)
        else:
            yield LoadResult(file, api_id, spec, None)
