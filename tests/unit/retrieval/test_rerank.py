"""The cross-encoder reranker: trained by the real CLI on the sample index (a tiny run), exported
to int8 ONNX once, scoring as its torch model does, blended with the searcher's scores."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from apipack.cli.main import main
from apipack.errors import ConfigError
from retrieval.index import load_index
from retrieval.onnx_export import ENCODER_META
from retrieval.rerank import RERANKER_META, hit_text, load_reranker
from retrieval.searcher import Searcher

pytestmark = pytest.mark.heavy

QUERY = "pause playback on my spotify player"


@pytest.fixture(scope="module")
def trained(tmp_path_factory, sample_index_dir):  # noqa: ANN001
    out = tmp_path_factory.mktemp("reranker") / "rr"
    args = ["reranker", "train", "--index", str(sample_index_dir), "--out", str(out), "--apis", "6",
            "--per-api", "4", "--negatives", "2", "--blend", "0.5"]
    assert main(args) == 0
    return out


def test_training_writes_a_cross_encoder_folder(trained) -> None:  # noqa: ANN001
    meta = json.loads((trained / RERANKER_META).read_text())
    assert meta["pairs"] > meta["positives"] > 0 and meta["blend"] == 0.5
    assert (trained / "config.json").is_file() and (trained / "tokenizer.json").is_file()


@pytest.fixture(scope="module")
def sharp_model(tmp_path_factory):  # noqa: ANN001
    """A one-logit cross-encoder on the bundled MiniLM whose head spreads its scores widely (a
    tiny training run barely moves them), to compare the export with torch."""
    import torch
    from transformers import AutoModelForSequenceClassification

    from retrieval.embedder import bundled_minilm_path
    from retrieval.reranker_train import base_cross_encoder

    folder = tmp_path_factory.mktemp("sharp") / "ce"
    base_cross_encoder(bundled_minilm_path(), folder)
    model = AutoModelForSequenceClassification.from_pretrained(str(folder))
    with torch.no_grad():
        model.classifier.weight.copy_(torch.randn(model.classifier.weight.shape,
                                                  generator=torch.Generator().manual_seed(0)) * 3.0)
    model.save_pretrained(str(folder))
    return folder


def test_onnx_scores_follow_the_torch_model(sharp_model, sample_index_dir, embedder, tmp_path) -> None:  # noqa: ANN001
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    hits = Searcher(load_index(sample_index_dir), embedder).search(QUERY, 10, api="spotify.com").hits
    reranker = load_reranker(sharp_model, threads=1, cache=tmp_path)
    ours = reranker.scores(QUERY, hits)
    model = AutoModelForSequenceClassification.from_pretrained(str(sharp_model)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(sharp_model))
    enc = tokenizer([QUERY] * len(hits), [hit_text(h) for h in hits], padding=True, truncation=True,
                    max_length=128, return_tensors="pt")
    with torch.inference_mode():
        reference = torch.sigmoid(model(**enc).logits[:, 0]).numpy()
    assert ours.shape == (len(hits),) and ((ours >= 0) & (ours <= 1)).all()
    assert reference.std() > 0.05, reference  # a spread worth comparing
    assert np.abs(ours - reference).max() < 0.05  # int8 weights, float activations
    assert np.corrcoef(ours, reference)[0, 1] > 0.95
    # the pair's order matters (request first, endpoint second, as in training)
    swapped = reranker.model.run([(hit_text(h), QUERY) for h in hits])
    assert not np.allclose(1 / (1 + np.exp(-swapped)), ours, atol=1e-3)


def test_blend_mixes_the_cross_encoder_with_the_searchers_order(trained, sample_index_dir, embedder,
                                                                 tmp_path) -> None:  # noqa: ANN001
    searcher = Searcher(load_index(sample_index_dir), embedder)
    base = searcher.search(QUERY, 10, api="spotify.com").hits
    order = [h.endpoint_id for h in base]
    only_searcher = load_reranker(trained, cache=tmp_path)
    only_searcher.blend = 0.0
    assert [h.endpoint_id for h in only_searcher.rerank(QUERY, searcher.search(QUERY, 10, api="spotify.com").hits,
                                                         10)] == order
    only_ce = load_reranker(trained, cache=tmp_path)
    only_ce.blend = 1.0
    fresh = searcher.search(QUERY, 10, api="spotify.com").hits
    ce = only_ce.scores(QUERY, fresh)
    reranked = only_ce.rerank(QUERY, fresh, 3)
    assert len(reranked) == 3
    assert [h.stage_scores["rerank"] for h in reranked] == pytest.approx(sorted(ce, reverse=True)[:3])
    assert only_ce.rerank(QUERY, [], 3) == []


def test_export_is_made_once_and_anew_for_retrained_weights(trained, tmp_path) -> None:  # noqa: ANN001
    load_reranker(trained, cache=tmp_path)
    (folder,) = [m.parent for m in tmp_path.glob(f"*/{ENCODER_META}")]
    stamp = (folder / ENCODER_META).stat().st_mtime_ns
    load_reranker(trained, cache=tmp_path)
    assert (folder / ENCODER_META).stat().st_mtime_ns == stamp
    assert json.loads((folder / ENCODER_META).read_text())["head"] == "logit"
    weights = trained / "model.safetensors"
    os.utime(weights, ns=(weights.stat().st_atime_ns, weights.stat().st_mtime_ns + 1_000_000_000))
    load_reranker(trained, cache=tmp_path)  # "retrained" in place: its own export
    assert len(list(tmp_path.glob(f"*/{ENCODER_META}"))) == 2


def test_folders_that_are_not_one_logit_cross_encoders_are_named(tmp_path, trained) -> None:  # noqa: ANN001
    with pytest.raises(ConfigError, match="not a cross-encoder folder"):
        load_reranker(tmp_path / "nowhere")
    import shutil

    two = tmp_path / "two-labels"
    shutil.copytree(trained, two)
    config = json.loads((two / "config.json").read_text())
    config["id2label"] = {"0": "no", "1": "yes"}
    config["label2id"] = {"no": 0, "yes": 1}
    (two / "config.json").write_text(json.dumps(config))
    with pytest.raises(ConfigError, match="one output logit"):
        load_reranker(two, cache=tmp_path / "cache")
