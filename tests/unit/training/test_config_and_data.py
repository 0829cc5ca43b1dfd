"""training.config (YAML, overrides, errors) and training.data (answer-only labels, cutoff, batches)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from apipack.errors import TrainingError
from training.config import load_config
from training.data import IGNORE, encode, micro_batches, read_rows

REPO = Path(__file__).parents[3]


def test_shipped_configs_load() -> None:
    gpu = load_config(REPO / "training" / "configs" / "gpu-codellama-13b.yaml")
    assert (gpu.model, gpu.epochs, gpu.learning_rate, gpu.cutoff_len) == ("codellama/CodeLlama-13b-hf", 2.0, 2e-5, 4096)
    cpu = load_config(REPO / "training" / "configs" / "cpu-smollm2.yaml", {"max_steps": 3, "lora.r": 4})
    assert cpu.model == "smollm2" and cpu.method == "lora" and cpu.max_steps == 3 and cpu.lora.r == 4
    assert cpu.lora.r <= 16  # vLLM's default --max-lora-rank
    small_gpu = load_config(REPO / "training" / "configs" / "gpu-smollm2.yaml")
    # a full fine-tuning keeps float32 weights and computes in bfloat16
    assert (small_gpu.method, small_gpu.dtype, small_gpu.autocast) == ("full", "float32", "bfloat16")


@pytest.mark.parametrize(("text", "named"), [
    ("train_file: a.jsonl\noutput_dir: out\nlearnin_rate: 1e-4\n", "learnin_rate"),
    ("output_dir: out\n", "train_file"),
    ("train_file: a\noutput_dir: o\nmethod: full\nmerge: true\n", "merge"),
    ("train_file: a\noutput_dir: o\nautocast: int8\n", "autocast"),
])
def test_config_errors_name_the_key(tmp_path: Path, text: str, named: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(TrainingError, match=named):
        load_config(bad)


def test_a_missing_config_is_named(tmp_path: Path) -> None:
    with pytest.raises(TrainingError, match="no such training config"):
        load_config(tmp_path / "missing.yaml")


class CharTokenizer:
    """One token per character, BOS 1 prepended with special tokens, EOS 2 (a stand-in for a HF tokenizer)."""

    eos_token_id = 2

    def __call__(self, text: str, add_special_tokens: bool = True) -> dict[str, list[int]]:
        ids = [ord(c) + 10 for c in text]
        return {"input_ids": ([1] if add_special_tokens else []) + ids}


def test_loss_is_on_the_answer_only() -> None:
    ex = encode(CharTokenizer(), "PROMPT", "ans", cutoff_len=100)
    assert len(ex.input_ids) == 1 + 6 + 3 + 1
    assert ex.labels[:7] == [IGNORE] * 7
    assert ex.labels[7:] == ex.input_ids[7:] and ex.labels[-1] == 2
    assert ex.answer_tokens == 4


def test_cutoff_drops_the_start_of_the_prompt_never_the_answer() -> None:
    ex = encode(CharTokenizer(), "ABCDEFGHIJ", "xyz", cutoff_len=8)
    assert len(ex.input_ids) == 8
    assert ex.input_ids[-4:] == [ord(c) + 10 for c in "xyz"] + [2]
    assert ex.input_ids[:4] == [ord(c) + 10 for c in "GHIJ"]
    long = encode(CharTokenizer(), "P", "a" * 50, cutoff_len=8)
    assert len(long.input_ids) == 8 and long.labels[0] == IGNORE


def test_micro_batches_cover_each_epoch_and_resume_where_they_left_off() -> None:
    gen = micro_batches(5, 2, seed=0)
    first = [next(gen) for _ in range(6)]
    assert sorted(i for b in first[:3] for i in b) == [0, 1, 2, 3, 4]
    assert sorted(i for b in first[3:] for i in b) == [0, 1, 2, 3, 4]
    resumed = micro_batches(5, 2, seed=0, start=4)
    assert next(resumed) == first[4]


def test_read_rows_checks_the_layout(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(orjson.dumps({"prompt": "p", "completion": "c"}) + b"\n" + orjson.dumps({"instruction": "x"}))
    with pytest.raises(TrainingError, match=":2 has no 'prompt'"):
        read_rows(path)
    assert read_rows(path, limit=1) == [{"prompt": "p", "completion": "c"}]
    with pytest.raises(TrainingError, match="apipack train export"):
        read_rows(tmp_path / "none.jsonl")
