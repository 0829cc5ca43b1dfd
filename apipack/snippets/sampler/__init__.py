"""A port of openapi-sampler 1.7.10 (JSON samples only), the sampler openapi-snippet 0.14.0 uses.

``Sampler(spec).sample(schema)`` gives what ``OpenAPISampler.sample(schema, {skipReadOnly:
true}, spec)`` gives in node, with JavaScript's ``undefined`` as ``jsvalue.UNDEFINED``.
"""

from apipack.snippets.sampler.pointer import JsError
from apipack.snippets.sampler.traverse import Sampler

__all__ = ["JsError", "Sampler"]
