"""A request that opens with a name and a colon names its API there: "plaid: pull failed bank
transfer events", "google calendar: rename ...", "twilio node: ...". The words before the colon,
less any programming language, are scored against the APIs' own names (the detector's documents)
and the best matches are favoured when no API was given. The rest of the request can match
another API's endpoints better ("calendar" and "group" in microsoft.com/graph's calendarGroups).
"""

from __future__ import annotations

from index_builder.tokens import query_tokens
from retrieval.intent import LANGUAGE_WORDS, lead_in


def prefix_tokens(query: str) -> list[str]:
    """Tokens of the API name a request opens with, or [] when it opens with none."""
    label, _ = lead_in(query)
    return query_tokens(" ".join(w for w in label.split() if w.lower() not in LANGUAGE_WORDS)) if label else []
