"""A request that opens with a name and a colon names its API there: "plaid: pull failed bank
transfer events", "google calendar: rename ...", "twilio node: ...". The words before the colon,
less any programming language, are scored against the APIs' own names (the detector's documents)
and the best matches are favoured when no API was given. The rest of the request can match
another API's endpoints better ("calendar" and "group" in microsoft.com/graph's calendarGroups).
"""

from __future__ import annotations

import re

from index_builder.tokens import query_tokens

# a short lead-in, then a colon and a space (not a URL's "https://", not "10:30")
_PREFIX = re.compile(r"^\s*([^:\n]{2,40}?)\s*:\s")
_MAX_WORDS = 4  # longer lead-ins are sentences ("create a stripe tax rate: 19% VAT in DE")
# languages and runtimes people put in front of a request ("python: ...", "node: ...")
LANGUAGE_WORDS = frozenset({
    "curl", "libcurl", "shell", "bash", "python", "python3", "java", "okhttp", "node", "nodejs", "js",
    "javascript", "typescript", "ts", "go", "golang", "ruby", "php", "swift", "ios",
})


def prefix_tokens(query: str) -> list[str]:
    """Tokens of the API name a request opens with, or [] when it opens with none."""
    match = _PREFIX.match(query)
    if match is None:
        return []
    words = match.group(1).split()
    if len(words) > _MAX_WORDS:
        return []
    return query_tokens(" ".join(w for w in words if w.lower() not in LANGUAGE_WORDS))
