"""Built once per session: a small dataset from ten committed sample specs (cURL, a few hundred
records), its in-context training file, a tiny LoRA run of SmolLM2 on the CPU, and an index of the
same specs for the ``openai`` backend's retrieval."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).parents[3]
SAMPLES = REPO / "samples" / "specs"
# ten of the sample specs, ~300 endpoints together (small enough to index in seconds)
SPECS = ("docker.com/hub.json", "enode.io.json", "openaq.local.json", "conjur.local.json", "getpostman.com.json",
         "envoice.in.json", "blazemeter.com.json", "brainbi.net.json", "doqs.dev.json", "googleapis.com/translate.json")
LANG = "curl"
ADAPTER = "apipack-curl"
TRAIN_ROWS = 6
STEPS = 6  # two epochs over the 6 rows, two rows a step


@pytest.fixture(scope="session")
def specs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("train-specs")
    for rel in SPECS:
        src = SAMPLES / rel
        assert src.is_file(), f"sample spec {rel} is missing from samples/specs"
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, folder / rel)
    return folder


@pytest.fixture(scope="session")
def dataset_dir(specs_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from apipack.dataset.build import build_dataset

    out = tmp_path_factory.mktemp("train-dataset") / "ds"
    summary = build_dataset([specs_dir], out, langs=[LANG], workers=1, seed=0, progress=False)
    assert summary.records[LANG] >= 200, summary
    return out


@pytest.fixture(scope="session")
def train_file(dataset_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from training.export import Exporter

    out = tmp_path_factory.mktemp("train-files")
    exporter = Exporter(dataset_dir, out, seed=0)
    entry = exporter.export({LANG: None}, "in-context")
    exporter.write_manifest()
    return out / entry["file"]


@pytest.fixture(scope="session")
def model_cache() -> Path:
    # the converted SmolLM2 is kept between sessions (the repo's git-ignored .cache), as `apipack train run` does
    return REPO / ".cache"


@pytest.fixture(scope="session")
def tiny_run(train_file: Path, model_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from training.config import config_from_dict
    from training.run import train

    cfg = config_from_dict({
        "model": "smollm2", "method": "lora", "train_file": str(train_file),
        "output_dir": str(tmp_path_factory.mktemp("train-run") / "run"), "cache_dir": str(model_cache),
        "max_records": TRAIN_ROWS, "max_steps": STEPS, "batch_size": 2, "grad_accum": 1, "learning_rate": 1e-3,
        "warmup_ratio": 0.0, "cutoff_len": 256, "save_steps": 3, "seed": 0,
        # the top 10 of 30 layers, as the CPU config: cheaper, and vLLM must serve such a partial adapter
        "lora": {"r": 8, "alpha": 16, "top_layers": 10},
    })
    return cfg, train(cfg, progress=False)


@pytest.fixture(scope="session")
def index(specs_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """(searcher, loaded index) over the same specs, with the ids the dataset builder gave them."""
    from apipack.openapi import iter_spec_files, load_spec
    from index_builder.build import build_index
    from retrieval.embedder import load_embedder
    from retrieval.index import load_index
    from retrieval.searcher import Searcher

    folder = tmp_path_factory.mktemp("train-index")
    embedder = load_embedder()
    specs = [load_spec(path, api_id=api_id) for path, api_id in iter_spec_files([specs_dir])]
    build_index(specs, folder, embedder)
    loaded = load_index(folder)
    return Searcher(loaded, embedder), loaded
