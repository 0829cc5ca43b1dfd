"""OpenAPI loading: specs (JSON / YAML, Swagger 2.0, OpenAPI 3.0 / 3.1) -> ``ApiSpec``.

Public API:
- ``load_spec(source, *, api_id, spec_path, max_bytes, cache_dir)`` -> ``ApiSpec`` or a SpecError
- ``load_many(files, ...)`` -> one ``LoadResult`` per spec, failures included, the batch goes on
- ``iter_spec_files(paths)`` -> ``(file, api_id)`` for files and directories
"""

from apipack.openapi.files import api_id_for, iter_spec_files
from apipack.openapi.loader import DEFAULT_MAX_BYTES, LoadResult, load_many, load_spec
from apipack.openapi.model import ApiSpec, Endpoint, Parameter, RequestBody, SecurityScheme

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ApiSpec",
    "Endpoint",
    "LoadResult",
    "Parameter",
    "RequestBody",
    "SecurityScheme",
    "api_id_for",
    "iter_spec_files",
    "load_many",
    "load_spec",
]
