"""API calls for the 10 targets: HAR requests (openapi-snippet's builder) and their renderers."""

from apipack.snippets.renderer import render, render_all

__all__ = ["render", "render_all"]
