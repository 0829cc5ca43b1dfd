"""Pick the committed golden HARs out of the whole-corpus node reference.

The reference (bench/bench_httpsnippet_conformance.py --only-reference) holds every HAR of the
corpus with httpsnippet's 10 outputs. This keeps a few HARs per *branch signature* (body kind,
validation outcome, URL shape, header/query/cookie shapes, characters that need escaping,
stringify-object line breaking, target errors), smallest first, so the golden file exercises
every path of the renderers at a size fit for the repository: each feature of the signature
(and each pairing of body kind with the others) is covered by ``--per-feature`` HARs, the
smallest that have it.

usage: python tests/conformance/select_httpsnippet_goldens.py [--cache .cache/httpsnippet_ref]
           [--per-feature 3] [--out tests/data/golden/httpsnippet/corpus_sample.jsonl]
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path


def _strings(har: dict) -> str:
    parts = [har.get("url", "")]
    for key in ("headers", "queryString", "cookies"):
        parts.extend(f"{p.get('name')}={p.get('value')}" for p in har.get(key, []))
    post = har.get("postData") or {}
    parts.append(str(post.get("text", "")))
    parts.extend(f"{p.get('name')}={p.get('value')}" for p in post.get("params", []) or [])
    return "\n".join(str(p) for p in parts)


def signature(row: dict) -> tuple:
    har = row["har"]
    url = har.get("url", "")
    post = har.get("postData") or {}
    text = _strings(har)
    names = [q.get("name") for q in har.get("queryString", [])]
    body = post.get("text") or ""
    node = row["outputs"].get("node_request", "")
    return (
        post.get("mimeType", "none"),
        row.get("validation"),
        "rel" if not url.startswith(("http://", "https://")) else url.split(":", 1)[0],
        "{" in url.split("/")[2] if url.count("/") >= 2 else False,
        "?" in url, "#" in url, url.count("//") > 1,
        min(len(har.get("headers", [])), 2),
        min(len(names), 2), len(names) != len(set(names)),
        bool(har.get("cookies")),
        not text.isascii(),
        any(c in text for c in "\"'\\"), "\n" in text, "%" in text,
        len(body) > 80, body[:1],
        node.count("\n") > 12,  # stringify-object broke the options over lines
        tuple(sorted(row.get("errors", {}))),
        har.get("method") not in ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"),
    )


def features(row: dict) -> set[tuple]:
    sig = signature(row)
    single = {(i, v) for i, v in enumerate(sig)}
    return single | {(0, sig[0], i, v) for i, v in enumerate(sig) if i}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default=".cache/httpsnippet_ref")
    ap.add_argument("--per-feature", type=int, default=3)
    ap.add_argument("--out", default="tests/data/golden/httpsnippet/corpus_sample.jsonl")
    args = ap.parse_args()
    smallest: dict[tuple, list[tuple[int, str]]] = {}
    for path in sorted(Path(args.cache).glob("chunk_*.jsonl.gz")):
        if ".tmp" in path.name:
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if "har" not in row or "all" in row.get("errors", {}):
                    continue
                for feat in features(row):
                    kept = smallest.setdefault(feat, [])
                    if len(kept) < args.per_feature or len(line) < kept[-1][0]:
                        kept.append((len(line), line.rstrip("\n")))
                        kept.sort(key=lambda item: item[0])
                        del kept[args.per_feature:]
    chosen = sorted({line for kept in smallest.values() for _, line in kept})
    Path(args.out).write_text("".join(line + "\n" for line in chosen), encoding="utf-8")
    size = Path(args.out).stat().st_size
    print(f"{len(smallest)} features, {len(chosen)} HARs, {size / 1e6:.2f} MB -> {args.out}")


if __name__ == "__main__":
    main()
