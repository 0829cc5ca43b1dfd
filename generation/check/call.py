"""What the checker reads out of a piece of code: ``ExtractedCall`` (method, URL, query keys, body keys)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from generation.check.literals import body_keys, top_level_keys


@dataclass(slots=True)
class ExtractedCall:
    method: str | None = None  # upper case; None when the code names none
    url: str | None = None  # as written in the code (query string included when the target puts it there)
    query_keys: set[str] = field(default_factory=set)  # from the URL and from separate query objects
    body_keys: set[str] = field(default_factory=set)  # top-level JSON keys, form fields, multipart names
    has_body: bool = False

    def add_body_text(self, text: str | None) -> None:
        """A body written as text (JSON, form or multipart): note it and take its keys."""
        if text is not None:
            self.has_body = True
            self.body_keys |= body_keys(text)

    def add_body_literal(self, literal: str | None) -> None:
        """A body written as an object or dictionary literal of the language: note it, take its keys."""
        if literal is not None:
            self.has_body = True
            self.body_keys |= top_level_keys(literal)

    def default_method(self, *, post_with_body: bool = False) -> None:
        """The method a client sends when the code names none: GET, or POST with a body
        (libcurl's and PHP cURL's default)."""
        if self.method is None and self.url:
            self.method = "POST" if post_with_body and self.has_body else "GET"

    def add_url_query(self) -> None:
        """Fold the URL's own query string into ``query_keys``."""
        if not self.url or "?" not in self.url:
            return
        query = urlsplit(self.url).query
        for key, _ in parse_qsl(query, keep_blank_values=True):
            self.query_keys.add(key)
