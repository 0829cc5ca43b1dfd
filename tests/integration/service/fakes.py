"""Stand-ins for the index, searcher, backend and ingestor, as real implementations of the service's
interfaces (``retrieval.types.Retriever``, ``generation.types.GenerationBackend``,
``service.jobs.Ingestor``).

Used where the real part cannot serve a test: failure injection (a backend that raises or blocks),
and index versions built in milliseconds for version-switching tests. The index format here is
one JSON file per version, published with the real ``index_builder.publish``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from apipack.errors import BackendUnavailableError, UnknownApiError
from apipack.openapi.endpoint_slice import endpoint_slice
from apipack.openapi.model import ApiSpec, Endpoint
from generation.types import CheckResult, Generation, GenerationRequest
from index_builder import publish
from retrieval.types import ApiInfo, Example, Hit, SearchResult
from service.state import Runtime

METHODS = ("get", "post", "put", "patch", "delete")


def doc_to_spec(api_id: str, doc: dict[str, Any]) -> ApiSpec:
    servers = doc.get("servers") or [{"url": "https://" + doc.get("host", "api.example.com")}]
    base = servers[0]["url"].rstrip("/")
    endpoints = []
    for path, item in (doc.get("paths") or {}).items():
        for method, op in item.items():
            if method in METHODS and isinstance(op, dict):
                endpoints.append(Endpoint(api_id=api_id, method=method.upper(), path=path,
                                          operation_id=op.get("operationId"), summary=op.get("summary", ""),
                                          base_url=base))
    info = doc.get("info", {})
    return ApiSpec(api_id=api_id, title=info.get("title", api_id), description=info.get("description", ""),
                   provider=info.get("x-providerName", ""), spec_path="", content_hash="", doc=doc,
                   endpoints=endpoints)


class TinyIndex:
    """What the service reads of retrieval's LoadedIndex: version, apis, resolve_api, endpoint,
    endpoint_spec, endpoint_table, spec."""

    def __init__(self, version: str, specs: dict[str, ApiSpec]) -> None:
        self.version = version
        self.specs = specs
        self.apis = {a: ApiInfo(api_id=a, title=s.title, description=s.description, provider=s.provider,
                                endpoint_count=len(s.endpoints)) for a, s in specs.items()}
        self._eps = {ep.endpoint_id: ep for s in specs.values() for ep in s.endpoints}

    def resolve_api(self, name: str) -> ApiInfo | None:
        if name in self.apis:
            return self.apis[name]
        return next((a for a in self.apis.values() if a.title == name), None)

    def endpoint(self, endpoint_id: str) -> Endpoint:
        return self._eps[endpoint_id]

    def spec(self, api_id: str) -> ApiSpec:
        if api_id not in self.specs:
            raise UnknownApiError(f"unknown API {api_id!r}")
        return self.specs[api_id]

    def endpoint_table(self, api_id: str) -> list[dict[str, Any]]:
        return [{"endpoint_id": ep.endpoint_id, "method": ep.method, "path": ep.path,
                 "operation_id": ep.operation_id, "summary": ep.summary} for ep in self.spec(api_id).endpoints]

    def endpoint_spec(self, endpoint_id: str) -> ApiSpec:
        endpoint = self._eps[endpoint_id]
        return endpoint_slice(self.specs[endpoint.api_id], endpoint)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


class KeywordSearcher:
    """Word overlap between the query and summary/operationId/path: enough to pick an endpoint."""

    def __init__(self, index: TinyIndex) -> None:
        self.index = index

    def search(self, query: str, k: int = 5, *, api: str | None = None) -> SearchResult:
        q = _words(query)
        hits = []
        for spec in self.index.specs.values():
            if api and spec.api_id != api:
                continue
            for ep in spec.endpoints:
                text = f"{ep.summary} {ep.operation_id or ''} {ep.path} {ep.method} {spec.title}"
                text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
                score = len(q & _words(text)) / (1 + len(q))
                hits.append(Hit(endpoint_id=ep.endpoint_id, api_id=spec.api_id, method=ep.method, path=ep.path,
                                operation_id=ep.operation_id, summary=ep.summary, score=score,
                                stage_scores={"lexical": score}))
        hits.sort(key=lambda h: (-h.score, h.endpoint_id))
        hits = hits[:k]
        top_api = hits[0].api_id if hits else None
        examples = [Example(instruction=f"{h.summary or h.operation_id}", endpoint_id=h.endpoint_id,
                            score=h.score) for h in hits if h.api_id == top_api][:3]
        return SearchResult(query=query, hits=hits, api_id=api or top_api, api_named=api is not None,
                            api_confidence=1.0 if api else 0.5, examples=examples, timings_ms={"lexical": 0.1})


class TemplateBackend:
    """A grounded-style backend: renders a curl/python call for the top hit (not the real renderer)."""

    name = "grounded"

    def __init__(self, index: TinyIndex, searcher: KeywordSearcher, *, delay_s: float = 0.0) -> None:
        self.index = index
        self.searcher = searcher
        self.delay_s = delay_s
        self.calls = 0

    def generate(self, request: GenerationRequest) -> Generation:
        self.calls += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        result = self.searcher.search(request.instruction, request.top_k, api=request.api)
        if not result.hits or result.hits[0].score == 0:
            return Generation(status="no_match", code="", language=request.language, api_id=None, api_title=None,
                              method=None, path=None, operation_id=None, summary=None, backend=self.name)
        hit = result.hits[0]
        ep = self.index.endpoint(hit.endpoint_id)
        url = ep.base_url + ep.path
        if request.language == "curl":
            code = f"curl --request {ep.method} \\\n  --url {url}"
        else:
            code = (f"import http.client\n\nconn = http.client.HTTPSConnection(\"{url.split('/')[2]}\")\n"
                    f"conn.request(\"{ep.method}\", \"{ep.path}\")\nprint(conn.getresponse().read())")
        return Generation(status="ok", code=code, language=request.language, api_id=hit.api_id,
                          api_title=self.index.apis[hit.api_id].title, method=ep.method, path=ep.path,
                          operation_id=ep.operation_id, summary=ep.summary, backend=self.name,
                          examples=[{"instruction": e.instruction, "endpoint_id": e.endpoint_id, "score": e.score}
                                    for e in result.examples],
                          check=CheckResult(status="valid", method=ep.method, url=url, matched_path=ep.path),
                          timings_ms={"retrieval": 0.1, "render": 0.1})


class StreamingBackend(TemplateBackend):
    """An LLM-like backend: ``stream`` yields text pieces, then the ``Generation`` (as LLMBackend does)."""

    name = "streaming"

    def stream(self, request: GenerationRequest) -> Iterator[str | Generation]:
        gen = self.generate(request)
        for i in range(0, len(gen.code), 8):
            yield gen.code[i:i + 8]
        gen.backend = self.name
        yield gen


class DownBackend:
    """An LLM backend whose server is down: every call fails the way the openai backend reports it."""

    name = "openai"

    def generate(self, request: GenerationRequest) -> Generation:
        raise BackendUnavailableError("LLM server at http://127.0.0.1:9 refused the connection; is it running?")

    def ready(self) -> bool:
        return False


class BuggyBackend:
    """A backend with a bug (raises a plain exception): the service must answer a generic 500."""

    name = "buggy"

    def generate(self, request: GenerationRequest) -> Generation:
        raise ZeroDivisionError("a bug")


class BlockingBackend(TemplateBackend):
    """Blocks until released: lets a test hold a request in flight across an index switch."""

    name = "blocking"

    def __init__(self, index: TinyIndex, searcher: KeywordSearcher) -> None:
        super().__init__(index, searcher)
        self.entered = threading.Event()
        self.release = threading.Event()

    def generate(self, request: GenerationRequest) -> Generation:
        self.entered.set()
        self.release.wait(timeout=30)
        return super().generate(request)


# --- the index on disk: one JSON file of spec documents per version ------------------------------
def publish_docs(index_dir: Path, docs: dict[str, dict[str, Any]]) -> str:
    version = publish.new_version() + f"-{time.monotonic_ns() % 10**9}"
    staging = publish.staging_dir(index_dir, version)
    (staging / "docs.json").write_text(json.dumps(docs))
    publish.publish(index_dir, staging, version, keep=3)
    return version


def read_docs(index_dir: Path) -> tuple[str, dict[str, dict[str, Any]]] | None:
    version = publish.current_version(index_dir)
    if version is None:
        return None
    return version, json.loads((publish.version_dir(index_dir, version) / "docs.json").read_text())


class FakeWorld:
    """Runtime factory over ``publish_docs`` folders; the backends are shared across versions so a
    test can hold one request in flight while the index switches."""

    def __init__(self) -> None:
        self.blocking: BlockingBackend | None = None

    def __call__(self, index_dir: Path) -> Runtime | None:
        found = read_docs(index_dir)
        if found is None:
            return None
        version, docs = found
        index = TinyIndex(version, {a: doc_to_spec(a, d) for a, d in docs.items()})
        searcher = KeywordSearcher(index)
        blocking = BlockingBackend(index, searcher)
        if self.blocking is not None:  # keep the events of the first one
            blocking.entered, blocking.release = self.blocking.entered, self.blocking.release
        self.blocking = blocking
        backends = {"grounded": TemplateBackend(index, searcher), "openai": DownBackend(),
                    "streaming": StreamingBackend(index, searcher),
                    "buggy": BuggyBackend(), "blocking": blocking}
        return Runtime(version=version, index=index, searcher=searcher, backends=backends,
                       default_backend="grounded")


class DocsIngestor:
    """Adds/removes one spec document and publishes the next version (the real one embeds)."""

    def add_api(self, index_dir: Path, spec_file: Path, progress: Any) -> tuple[str, str]:
        doc = json.loads(spec_file.read_text())
        progress("parsing", 0.2)
        api_id = re.sub(r"[^a-z0-9.]+", "-", doc["info"]["title"].lower()).strip("-")
        found = read_docs(index_dir)
        docs = dict(found[1]) if found else {}
        docs[api_id] = doc
        progress("publishing", 0.8)
        return api_id, publish_docs(index_dir, docs)

    def remove_api(self, index_dir: Path, api_id: str, progress: Any) -> str:
        found = read_docs(index_dir)
        docs = dict(found[1]) if found else {}
        docs.pop(api_id, None)
        return publish_docs(index_dir, docs)
