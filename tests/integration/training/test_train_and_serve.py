"""A tiny LoRA run of SmolLM2 on the CPU whose loss goes down, resumed from its checkpoint, then its
adapter served by real vLLM on the CPU (``--enable-lora --lora-modules``), selected by name through
the ``openai`` backend; the answers follow the ``**api_call**:`` layout and pass the spec check.

vLLM comes from its own virtual environment (``make vllm-venv``); one that is missing or will not
start is an error, not a skip."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from apipack.errors import BackendResponseError
from generation.backends import OpenAIBackend
from generation.types import GenerationRequest
from tests.integration.training.conftest import ADAPTER, LANG, STEPS, TRAIN_ROWS

# the timeout is a guard for a busy shared machine; on an idle 2-core CI machine the module takes minutes
pytestmark = [pytest.mark.integration, pytest.mark.heavy, pytest.mark.timeout(1800)]

LAYOUT_RE = re.compile(r"\*\*api_call\*\*:(.+?)\n\*\*api_provider\*\*:", re.DOTALL)
N_CASES = 4


class RecordingBackend(OpenAIBackend):
    """The real backend, keeping the model's raw answers so the test can read their layout."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers: list[str] = []

    def complete(self, prompt: str, *, language: str) -> str:
        text = super().complete(prompt, language=language)
        self.answers.append(text)
        return text


def test_export_leaves_out_the_held_out_records(train_file: Path, dataset_dir: Path) -> None:
    split = orjson.loads((dataset_dir / "splits" / LANG / "split.json").read_bytes())
    rows = [orjson.loads(line) for line in train_file.read_bytes().splitlines()]
    assert len(rows) >= 150
    assert not {r["unique_id"] for r in rows} & set(split["level2"])
    assert not {r["api_id"] for r in rows} & set(split["level3_apis"])
    assert all(r["prompt"].endswith("### ASSISTANT:\n") and "**api_call**:" in r["completion"] for r in rows)


def test_tiny_lora_run_loss_goes_down(tiny_run: Any) -> None:
    cfg, result = tiny_run
    losses = result.losses
    assert result.steps == STEPS and len(losses) == STEPS and result.rows == TRAIN_ROWS
    # two epochs over the same rows: the second epoch's mean loss is measured on the same rows as
    # the first's, so only the model differs (seen here: 4.39 vs 4.90 summed, i.e. 0.90x)
    half = STEPS // 2
    assert sum(losses[half:]) < 0.95 * sum(losses[:half]), losses
    adapter = Path(result.adapter_dir)
    config = json.loads((adapter / "adapter_config.json").read_text())
    assert config["peft_type"] == "LORA" and config["r"] == 8 and config["layers_to_transform"] == list(range(20, 30))
    assert (adapter / "adapter_model.safetensors").stat().st_size > 0
    log = [json.loads(line) for line in (Path(cfg.output_dir) / "train_log.jsonl").read_text().splitlines()]
    assert [row["step"] for row in log] == list(range(1, STEPS + 1))


@pytest.fixture(scope="session")
def vllm_lora(tiny_run: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from training.vllm_cpu import vllm_server

    _, result = tiny_run
    log = tmp_path_factory.mktemp("vllm") / "server.log"
    with vllm_server(Path(result.base_model), log, served_name="base",
                     lora_modules=[(ADAPTER, Path(result.adapter_dir))]) as base:
        yield base


def test_vllm_serves_the_adapter_by_name(vllm_lora: str, index: tuple[Any, Any], dataset_dir: Path) -> None:
    models = [m["id"] for m in httpx.get(vllm_lora + "/v1/models", timeout=10).json()["data"]]
    assert ADAPTER in models and "base" in models
    searcher, loaded = index
    # vLLM's structured outputs hold the answer to the records' layout: a 135M model after six steps
    # does not keep to it by itself on every machine (seen once: "**instructions**" over and over)
    backend = RecordingBackend(searcher, loaded, base_url=vllm_lora, model="base", adapters={LANG: ADAPTER},
                               timeout_s=300, max_tokens=200, structured_outputs=True)
    assert backend.model_for(LANG) == ADAPTER
    cases = [orjson.loads(line) for line in
             (dataset_dir / "splits" / LANG / "level1.jsonl").read_bytes().splitlines()][:N_CASES]
    gens = [backend.generate(GenerationRequest(c["instruction_test"], language=LANG, api=c["api_id"], top_k=3))
            for c in cases]
    assert len(backend.answers) == N_CASES
    for answer in backend.answers:
        assert LAYOUT_RE.search(answer + "\n**lang**:"), answer  # vLLM stops at the stop sequence "\n**lang**:"
    assert all(g.backend == "openai" for g in gens)
    # every answer goes through the spec check: kept when valid, else flagged beside the grounded call
    assert all(g.check is not None for g in gens)
    for g in gens:
        assert g.api_id in {c["api_id"] for c in cases}
        assert g.flagged == (not g.check.ok)
        if g.flagged:  # the grounded call is shown, the model's kept beside it
            assert g.code.startswith("curl --request") and g.model_code is not None
    # a name the server does not serve is refused: the adapter really is chosen by its name
    wrong = OpenAIBackend(searcher, loaded, base_url=vllm_lora, model="base", adapters={LANG: "no-such-adapter"},
                          timeout_s=60, retries=0)
    with pytest.raises(BackendResponseError, match="no-such-adapter"):
        wrong.generate(GenerationRequest(cases[0]["instruction_test"], language=LANG, api=cases[0]["api_id"]))


def test_a_second_run_resumes_from_the_last_checkpoint(tiny_run: Any, tmp_path: Path) -> None:
    import shutil

    from training.run import train

    cfg, result = tiny_run
    out = tmp_path / "run"
    shutil.copytree(cfg.output_dir, out)  # the served adapter stays as it is
    resumed = train(replace(cfg, output_dir=out, max_steps=STEPS + 1), progress=False)
    assert resumed.resumed_from == STEPS and resumed.steps == STEPS + 1
    assert resumed.losses[:STEPS] == result.losses
