"""The API-Pack-Model prompt, byte for byte (DESIGN.md), and the description's token budget."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generation.prompt import ApproxLlamaTokenizer, PromptExample, build_prompt

EXAMPLES = [PromptExample("best instruction", "best output"),
            PromptExample("second instruction", "second output"),
            PromptExample("third instruction", "third output")]

# Written out from DESIGN.md: one string, the five lines joined, "\n" a newline, best example last.
EXPECTED_3SHOT = (
    "**api_description**:Widgets for all.\n**lang**:Python\n\nGiven the following examples:\n\n"
    "**instruction**\nthird instruction\n**output**\nthird output\n\n"
    "**instruction**\nsecond instruction\n**output**\nsecond output\n\n"
    "**instruction**\nbest instruction\n**output**\nbest output\n\n"
    "Your actual task:\n**instruction**\nlist my widgets\n**output**\n\n### ASSISTANT:\n"
)
EXPECTED_0SHOT = ("**api_description**:Widgets for all.\n**lang**:cURL\n\nYour actual task:\n**instruction**\n"
                  "list my widgets\n**output**\n\n### ASSISTANT:\n")


def test_three_shot_prompt_is_byte_exact_and_best_last() -> None:
    got = build_prompt(api_description="Widgets for all.", lang_label="Python", request="list my widgets",
                       examples=EXAMPLES)
    assert got == EXPECTED_3SHOT


def test_zero_shot_prompt_is_byte_exact() -> None:
    got = build_prompt(api_description="Widgets for all.", lang_label="cURL", request="list my widgets")
    assert got == EXPECTED_0SHOT


def _design_md() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent.parent / "shared" / "DESIGN.md"  # the repo root's sibling ../shared
        if candidate.is_file():
            return candidate
    return None


@pytest.mark.skipif(_design_md() is None, reason="../shared/DESIGN.md is not beside this checkout")
def test_prompt_matches_the_template_in_design_md() -> None:
    text = _design_md().read_text()  # type: ignore[union-attr]
    section = text[text.index("## The API-Pack-Model prompt"):]
    block = section[section.index("```\n") + 4:]
    block = block[:block.index("```")]
    template = "".join(block.splitlines()).replace("\\n", "\n")
    fill = {"{api description, truncated to 512 tokens}": "D", "{lang label}": "L", "{request}": "R",
            "{3rd best instruction}": "i3", "{2nd best}": "i2", "{best}": "i1"}
    outputs = iter(["o3", "o2", "o1"])
    for key, value in fill.items():
        template = template.replace(key, value)
    template = re.sub(r"\{its output\}", lambda _m: next(outputs), template)
    got = build_prompt(api_description="D", lang_label="L", request="R",
                       examples=[PromptExample("i1", "o1"), PromptExample("i2", "o2"), PromptExample("i3", "o3")])
    assert got == template
    zero = section[section.index("Without examples:\n`") + len("Without examples:\n`"):]
    zero = zero[:zero.index("`")].replace("\\n", "\n").replace("{desc}", "D").replace("{lang}", "L")
    assert build_prompt(api_description="D", lang_label="L", request="R") == zero.replace("{request}", "R")


def test_description_is_cut_to_512_tokens() -> None:
    tok = ApproxLlamaTokenizer()
    long = " ".join(["endpoint"] * 2000)
    prompt = build_prompt(api_description=long, lang_label="go", request="x")
    description = prompt[len("**api_description**:"):prompt.index("\n**lang**")]
    assert tok.count(description) <= 512
    assert tok.count(description) >= 500
    assert long.startswith(description)
    short = "A short description."
    assert short in build_prompt(api_description=short, lang_label="go", request="x")


def test_approximate_tokenizer_counts_like_sentencepiece_roughly() -> None:
    tok = ApproxLlamaTokenizer()
    assert tok.count("hello world") == 2
    assert tok.count("2024") == 4  # Llama splits numbers into digits
    assert tok.count("a, b.") == 4
    assert tok.truncate("abc def", 1) == "abc"


def test_a_given_tokenizer_is_used() -> None:
    class FirstWord:
        def truncate(self, text: str, max_tokens: int) -> str:
            return text.split()[0]

    prompt = build_prompt(api_description="alpha beta gamma", lang_label="go", request="x", tokenizer=FirstWord())
    assert prompt.startswith("**api_description**:alpha\n**lang**:go")
