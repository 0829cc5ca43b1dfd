"""``apipack train export`` (training files in API Pack's formats) and ``apipack train run CONFIG``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXPORT_EPILOG = """\
formats:
  simple       the API-Pack-Model prompt without examples -> the record's output
  in-context   the same prompt with three examples from the same API (best last)
  combined     each record once, half in each of the two formats

files (in --out): <format>_<lang>-<n>[+<lang>-<n>...].jsonl, one row a line with prompt,
completion, instruction, input, output, unique_id, api_id, lang; manifest.json says what went in.
Level 2 records and every record of a Level 3 API are never exported.

examples:
  apipack train export build/dataset --out build/train --langs python --sizes 20000,40000
  apipack train export build/dataset --out build/train --mix python=20000,others=500 --format in-context
"""

RUN_EPILOG = """\
examples:
  apipack train run training/configs/cpu-smollm2.yaml --train-file build/train/in-context_python-all.jsonl
  apipack train run training/configs/gpu-codellama-13b.yaml --model /models/CodeLlama-13b-hf

Serve the adapter with vLLM and select it by name:
  python -m vllm.entrypoints.openai.api_server --model BASE --enable-lora \\
      --lora-modules apipack-python=OUTPUT_DIR/adapter
  APIPACK_BACKEND=openai APIPACK_OPENAI_MODEL=apipack-python apipack generate ...
A second run with the same output_dir resumes from its latest checkpoint (--no-resume: start over).
"""


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("train", help="export training sets and fine-tune models (LoRA or full)")
    cmds = group.add_subparsers(dest="train_cmd", metavar="CMD")
    exp = cmds.add_parser("export", help="training files in API Pack's three formats from a built dataset",
                          description="Write training files from the records `apipack dataset build` wrote, "
                                      "leaving out every record held out for Level 2 and Level 3.",
                          epilog=EXPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    exp.add_argument("dataset", type=Path, help="the folder `apipack dataset build` wrote")
    exp.add_argument("--out", type=Path, required=True, help="folder for the training files (created)")
    exp.add_argument("--format", dest="formats", default="in-context",
                     help="simple | in-context | combined | all, or a comma-separated list (default in-context)")
    exp.add_argument("--langs", help="languages to export one file each (default: all the dataset has)")
    exp.add_argument("--sizes", default="all", help="records per file, comma-separated (e.g. 20000,40000); "
                     "'all' takes every training record (default)")
    exp.add_argument("--mix", action="append", default=[], metavar="LANG=N,...,others=M",
                     help="a cross-lingual file instead: N of one language plus M of each other (repeatable)")
    exp.add_argument("--seed", type=int, default=0, help="seed of the selection and the combined draw")
    exp.set_defaults(handler=_export)

    run = cmds.add_parser("run", help="fine-tune a causal LM as CONFIG (YAML) says; resumes from checkpoints",
                          epilog=RUN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("config", type=Path, help="YAML file (see training/configs/)")
    run.add_argument("--train-file", help="override train_file")
    run.add_argument("--output-dir", help="override output_dir")
    run.add_argument("--model", help="override model (a transformers path, or smollm2)")
    run.add_argument("--max-steps", type=int, help="override max_steps")
    run.add_argument("--max-records", type=int, help="use the first N rows of the training file")
    run.add_argument("--learning-rate", type=float, help="override learning_rate")
    run.add_argument("--max-seconds", type=float, help="stop after the step that passes this wall time")
    run.add_argument("--threads", type=int, help="torch CPU threads")
    run.add_argument("--merge", action="store_true", default=None, help="also write merged weights")
    run.add_argument("--no-resume", action="store_true", help="ignore checkpoints in output_dir")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--json", action="store_true", help="print the summary as JSON")
    run.set_defaults(handler=_run)


def _export(args: argparse.Namespace) -> int:
    from apipack.errors import InvalidRequestError
    from training.export import FORMATS, Exporter, parse_mix

    names = list(FORMATS) if args.formats.strip() == "all" else [f.strip() for f in args.formats.split(",")]
    bad = [f for f in names if f not in FORMATS]
    if bad:
        raise InvalidRequestError(f"unknown format {', '.join(bad)}; one of {', '.join(FORMATS)} or all",
                                  param="format")
    sizes: list[int | None] = []
    for part in args.sizes.split(","):
        part = part.strip().lower().replace("k", "000")
        if part == "all":
            sizes.append(None)
        elif part.isdigit() and int(part) > 0:
            sizes.append(int(part))
        else:
            raise InvalidRequestError(f"--sizes takes positive numbers or 'all', not {part!r}", param="sizes")
    if not args.dataset.is_dir():
        raise InvalidRequestError(f"no such dataset folder: {args.dataset}", param="dataset")
    exporter = Exporter(args.dataset, args.out, seed=args.seed)
    if args.mix:
        plans = [exporter.resolve_mix(parse_mix(m)) for m in args.mix]
    else:
        langs = [x.strip() for x in args.langs.split(",")] if args.langs else exporter.langs
        plans = [{lang: n} for lang in langs for n in sizes]
    for fmt in names:
        for counts in plans:
            entry = exporter.export(counts, fmt)
            print(json.dumps({k: entry[k] for k in ("file", "rows", "records", "apis")}))
    path = exporter.write_manifest()
    print(json.dumps({"manifest": str(path)}))
    return 0


def _run(args: argparse.Namespace) -> int:
    from training.config import load_config
    from training.run import train

    overrides = {"train_file": args.train_file, "output_dir": args.output_dir, "model": args.model,
                 "max_steps": args.max_steps, "max_records": args.max_records,
                 "learning_rate": args.learning_rate, "max_seconds": args.max_seconds, "threads": args.threads, "merge": args.merge}
    cfg = load_config(args.config, overrides)
    result = train(cfg, progress=not args.no_progress and not args.json, resume=not args.no_resume)
    summary = result.to_dict()
    if args.json:
        print(json.dumps(summary))
    else:
        losses = summary["losses"]
        print(f"{summary['steps']} steps, loss {losses[0]:.4f} -> {losses[-1]:.4f}, {summary['seconds']:.0f} s",
              file=sys.stderr)
        for key in ("adapter_dir", "merged_dir", "model_dir"):
            if summary.get(key):
                print(f"{key}: {summary[key]}")
    return 0
