"""training.batch_generate: stop strings, and batched left-padded greedy generation giving the answers
one prompt at a time would (a tiny random Llama with a word-level tokenizer, on the CPU)."""

from __future__ import annotations

import pytest

from training.batch_generate import cut_at_stop, generate

WORDS = ["<pad>", "<eos>", "<unk>"] + [f"w{i}" for i in range(40)]


def test_cut_at_stop_takes_the_first_stop_and_leaves_it_out() -> None:
    text = "**api_call**:x\n**api_provider**:a\n**lang**:Python\n\n**instruction**"
    assert cut_at_stop(text, ["\n\n**instruction**", "\n**lang**:"]) == "**api_call**:x\n**api_provider**:a"
    assert cut_at_stop("no stop here", ["\n**lang**:"]) == "no stop here"
    assert cut_at_stop("abc", []) == "abc"


@pytest.fixture(scope="module")
def tiny() -> tuple[object, object]:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers

    core = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = transformers.PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", eos_token="<eos>",
                                                     unk_token="<unk>")
    tokenizer.padding_side = "left"
    torch.manual_seed(0)
    config = transformers.LlamaConfig(vocab_size=len(WORDS), hidden_size=32, intermediate_size=64,
                                      num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                                      max_position_embeddings=128, pad_token_id=0, eos_token_id=1, bos_token_id=None)
    model = transformers.LlamaForCausalLM(config).eval()
    return model, tokenizer


def test_batched_answers_equal_one_at_a_time_and_keep_the_order(tiny: tuple[object, object]) -> None:
    model, tokenizer = tiny
    prompts = ["w1 w2 w3 w4 w5 w6 w7", "w8", "w9 w10 w11", "w12 w13 w14 w15 w16"]
    batched = generate(model, tokenizer, prompts, max_new_tokens=6, batch_size=4)
    single = [generate(model, tokenizer, [p], max_new_tokens=6, batch_size=1)[0] for p in prompts]
    assert batched == single
    assert len(set(batched)) > 1  # different prompts, different answers: the rows were not mixed up
    assert all(len(a.split()) <= 6 for a in batched)
