"""apipack: OpenAPI specs -> instruction / API-call records, retrieval, grounded generation.

The ``apipack`` package holds the foundation every other layer stands on: settings, the error
hierarchy, OpenAPI loading, the 10 snippet renderers, instructions and the dataset builder.
"""

__version__ = "0.1.0"
