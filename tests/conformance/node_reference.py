"""Drive node's openapi-snippet (tests/conformance/reference.js) over many specs, with a cache.

``run_reference(specs, ...)`` returns ``{api_id: SpecResult}``: the endpoint records node
printed and whether the spec finished, timed out (per-spec deadline; what it printed before
is kept) or could not be read. Specs run in ``workers`` node processes in parallel, batched;
each spec's output is cached under ``cache_dir`` keyed by the spec's bytes, the mode and the
reference's own files, so a second run costs nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "reference.js"


@dataclass
class SpecResult:
    api_id: str
    records: list[dict] = field(default_factory=list)  # {method, path, snippets|hars|error}
    status: str = "done"  # done | timeout | spec_error
    seconds: float = 0.0
    detail: str = ""


def node_ready() -> str | None:
    """Why node's reference cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (HERE / "node_modules" / "openapi-snippet").is_dir():
        return "tests/conformance/node_modules is missing (run `make node`)"
    return None


def _reference_version() -> str:
    h = hashlib.sha256()
    for name in ("reference.js", "package-lock.json"):
        path = HERE / name
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _cache_path(cache_dir: Path, file: Path, api_id: str, mode: str, version: str) -> Path:
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    key = hashlib.sha256(f"{version}\n{mode}\n{api_id}\n{digest}".encode()).hexdigest()[:32]
    return cache_dir / mode / key[:2] / f"{key}.jsonl.gz"


def _read_cache(path: Path) -> SpecResult | None:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            head = json.loads(fh.readline())
            res = SpecResult(head["api_id"], status=head["status"], seconds=head["seconds"],
                             detail=head.get("detail", ""))
            res.records = [json.loads(line) for line in fh]
        return res
    except (OSError, ValueError, KeyError):
        return None


def _write_cache(path: Path, res: SpecResult) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=3) as fh:
        fh.write(json.dumps({"api_id": res.api_id, "status": res.status, "seconds": res.seconds,
                             "detail": res.detail}) + "\n")
        for rec in res.records:
            fh.write(json.dumps(rec) + "\n")
    tmp.replace(path)


def _run_batch(batch: list[tuple[Path, str]], root: Path | None, mode: str, digest: bool,
               timeout_s: float, only: tuple[str, str] | None = None) -> list[SpecResult]:
    """One node process for the batch; a spec past its deadline is cut and node restarted."""
    results: list[SpecResult] = []
    todo = list(batch)
    while todo:
        cmd = ["node", "--max-old-space-size=8192", "--stack-size=8000", str(SCRIPT), "--mode", mode]
        if digest:
            cmd.append("--digest")
        if only:
            cmd += ["--only", only[0], only[1]]
        if root is not None:
            cmd += ["--root", str(root)]
        cmd.append("-")
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                cwd=HERE, text=True, encoding="utf-8", bufsize=1 << 20)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("\n".join(str(f.resolve()) for f, _ in todo) + "\n")
        proc.stdin.close()
        lines: queue.Queue[str | None] = queue.Queue()

        def pump(stream=proc.stdout, sink=lines) -> None:
            for line in stream:
                sink.put(line)
            sink.put(None)

        threading.Thread(target=pump, daemon=True).start()
        current = SpecResult(todo[0][1])
        started = time.monotonic()
        while True:
            left = timeout_s - (time.monotonic() - started)
            try:
                line = lines.get(timeout=max(left, 0.01))
            except queue.Empty:
                proc.kill()
                proc.wait()
                current.status, current.seconds = "timeout", timeout_s
                current.detail = f"node did not finish within {timeout_s:.0f} s"
                results.append(current)
                todo.pop(0)
                break
            if line is None:  # node exited: whatever was not reported failed to run
                proc.wait()
                if todo:
                    current.status, current.detail = "spec_error", f"node exited with {proc.returncode}"
                    current.seconds = time.monotonic() - started
                    results.append(current)
                    todo.pop(0)
                break
            rec = json.loads(line)
            if "spec_error" in rec:
                current.status, current.detail = "spec_error", rec["spec_error"]
            if rec.get("done") or "spec_error" in rec:
                current.seconds = time.monotonic() - started
                results.append(current)
                todo.pop(0)
                if not todo:
                    proc.wait()
                    break
                current = SpecResult(todo[0][1])
                started = time.monotonic()
                continue
            rec.pop("api_id", None)
            current.records.append(rec)
    return results


def run_reference(specs: Iterable[tuple[Path, str]], *, root: Path | None = None, mode: str = "snippets",
                  digest: bool = False, workers: int = 2, timeout_s: float = 300.0,
                  cache_dir: Path | None = None, batch_size: int = 40) -> dict[str, SpecResult]:
    version = _reference_version()
    tag = mode + ("-digest" if digest else "")
    out: dict[str, SpecResult] = {}
    todo: list[tuple[Path, str]] = []
    for file, api_id in specs:
        cached = _read_cache(_cache_path(cache_dir, file, api_id, tag, version)) if cache_dir else None
        if cached is not None:
            out[api_id] = cached
        else:
            todo.append((file, api_id))
    batches = [todo[i:i + batch_size] for i in range(0, len(todo), batch_size)]
    by_id = dict((a, f) for f, a in todo)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for results in pool.map(lambda b: _run_batch(b, root, mode, digest, timeout_s), batches):
            for res in results:
                out[res.api_id] = res
                if cache_dir is not None:
                    _write_cache(_cache_path(cache_dir, by_id[res.api_id], res.api_id, tag, version), res)
    return out


def node_endpoint(file: Path, method: str, path: str, *, root: Path | None = None,
                  timeout_s: float = 600.0) -> dict | None:
    """Full snippets of one endpoint (to show a difference found in digest mode)."""
    res = _run_batch([(file, "x")], root, "snippets", False, timeout_s, only=(method, path))
    return res[0].records[0] if res and res[0].records else None
