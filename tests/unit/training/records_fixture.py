"""A small dataset folder as ``apipack dataset build`` lays it out (records JSONL per language and
splits/<lang>/split.json + level2.jsonl), made from Records so the layout is the builder's."""

from __future__ import annotations

from pathlib import Path

import orjson

from apipack.dataset.records import Record
from apipack.dataset.splits import make_split
from apipack.dataset.writer import JSONL_NAME, write_jsonl

LANGS = {"python": "Python", "curl": "cURL"}
NOUNS = ("widget", "gadget", "order", "invoice", "customer", "shipment")


def _call(lang: str, api: str, method: str, path: str) -> str:
    if lang == "python":
        return (f'import http.client\n\nconn = http.client.HTTPSConnection("{api}")\n\n'
                f'conn.request("{method}", "{path}")\n\nres = conn.getresponse()\ndata = res.read()\n')
    return f"curl --request {method} \\\n  --url https://{api}{path}"


def make_dataset(root: Path, n_apis: int = 6, per_api: int = 6) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    records: dict[str, list[Record]] = {lang: [] for lang in LANGS}
    for a in range(n_apis):
        api = f"api{a}.example"
        for e in range(per_api):
            noun = NOUNS[e % len(NOUNS)]
            method = ("GET", "POST", "DELETE")[e % 3]
            path = f"/v1/{noun}s/{e}"
            for lang, label in LANGS.items():
                records[lang].append(Record(
                    api_name=f"API {a}", api_description=f"The API number {a}.", api_call=_call(lang, api, method, path),
                    lang=label, functionality=f"{method.lower()} a {noun}", description="", domain=[noun],
                    path=path, instruction=f"Please show me how to {method.lower()} a {noun} number {e} with API {a}.",
                    instruction_test=f"How do I {method.lower()} {noun} {e} on API {a}?",
                    unique_id=f"{api}.json_{e}", method=method, provider=api, api_id=api,
                    spec_path=f"{api}.json", endpoint_id=f"{api}:{method}:{path}", target=lang))
    for lang, recs in records.items():
        write_jsonl(root / JSONL_NAME.format(lang=lang), recs)
        by_api: dict[str, list[str]] = {}
        for r in recs:
            by_api.setdefault(r.api_id, []).append(r.unique_id)
        split = make_split(lang, by_api, seed=0, max_cases=10)
        folder = root / "splits" / lang
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "split.json").write_bytes(orjson.dumps(split.to_dict()))
        by_id = {r.unique_id: r for r in recs}
        for name, ids in (("level1", split.l1), ("level2", split.l2), ("level3", split.l3)):
            with open(folder / f"{name}.jsonl", "wb") as fh:
                for uid in ids:
                    fh.write(orjson.dumps(by_id[uid].to_dict()) + b"\n")
    return root
