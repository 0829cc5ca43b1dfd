"""Reading a model's answer: the call between ``**api_call**:`` and ``\\n**api_provider**`` (the
paper's regex), with fallbacks for answers that stop early or wrap the call in a code fence."""

from __future__ import annotations

import re

# The paper's regex (DESIGN.md, "The paper's metric"), DOTALL.
API_CALL_RE = re.compile(r"\**api_call\**:(.*?)\n\**api_provider\**", re.DOTALL)
_MARKER_RE = re.compile(r"\*\*api_call\*\*:")
_NEXT_FIELD_RE = re.compile(r"\n\*\*[a-z_]+\*\*:?")
_FENCE_RE = re.compile(r"```[\w+#-]*[ \t]*\n(.*?)(?:\n```|\Z)", re.DOTALL)


def _strip_fence(text: str) -> str:
    m = _FENCE_RE.search(text)
    return m.group(1) if m else text


def parse_api_call(answer: str) -> str | None:
    """The API call in ``answer``, stripped; ``None`` when the answer holds none."""
    if not answer:
        return None
    m = API_CALL_RE.search(answer)
    if m:
        call = m.group(1)
    elif marker := _MARKER_RE.search(answer):
        # The answer was cut (max tokens, a stop sequence) before **api_provider**.
        rest = answer[marker.end():]
        nxt = _NEXT_FIELD_RE.search(rest)
        call = rest[:nxt.start()] if nxt else rest
    elif "```" in answer:
        call = _strip_fence(answer)
    else:
        return None
    call = _strip_fence(call).strip()
    return call or None
