"""What the checker reads out of a piece of code: ``ExtractedCall`` (method, URL, query keys, body keys)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit


@dataclass(slots=True)
class ExtractedCall:
    method: str | None = None  # upper case; None when the code names none
    url: str | None = None  # as written in the code (query string included when the target puts it there)
    query_keys: set[str] = field(default_factory=set)  # from the URL and from separate query objects
    body_keys: set[str] = field(default_factory=set)  # top-level JSON keys, form fields, multipart names
    has_body: bool = False

    def add_url_query(self) -> None:
        """Fold the URL's own query string into ``query_keys``."""
        if not self.url or "?" not in self.url:
            return
        query = urlsplit(self.url).query
        for key, _ in parse_qsl(query, keep_blank_values=True):
            self.query_keys.add(key)
