"""API calls for the 10 targets: HAR requests (openapi-snippet's builder) and their renderers."""

from apipack.snippets.endpoint import render_endpoint, render_endpoint_all, render_endpoint_targets
from apipack.snippets.har import build_hars
from apipack.snippets.renderer import render, render_all

__all__ = ["build_hars", "render", "render_all", "render_endpoint", "render_endpoint_all",
           "render_endpoint_targets"]
