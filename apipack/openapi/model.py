"""The clean endpoint model: what every layer above the loader sees of a spec.

One ``Endpoint`` per path x method. ``ApiSpec`` keeps the parsed document (``doc``) as well,
because the snippet renderer, like openapi-snippet, works on the whole document (servers,
security schemes, components) rather than on the cleaned model.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

ParamLocation = Literal["path", "query", "header", "cookie", "formData"]


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: ParamLocation
    required: bool = False
    description: str = ""
    schema: dict[str, Any] = field(default_factory=dict)  # $refs resolved (bounded)
    example: Any = None


@dataclass(frozen=True, slots=True)
class RequestBody:
    content_type: str  # the first media type, as openapi-snippet picks it
    required: bool = False
    schema: dict[str, Any] = field(default_factory=dict)
    properties: tuple[str, ...] = ()  # top-level property names (for the checker and value filling)
    required_properties: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    name: str  # key under components.securitySchemes
    kind: Literal["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"]
    location: str | None = None  # apiKey: header | query | cookie
    param_name: str | None = None  # apiKey: the header / query name
    scheme: str | None = None  # http: basic | bearer


def endpoint_id_for(api_id: str, method: str, path: str) -> str:
    """Stable id: a hash of api id, method and path template (DESIGN.md, Records)."""
    digest = hashlib.sha1(f"{api_id}\n{method.upper()}\n{path}".encode()).hexdigest()
    return digest[:16]


@dataclass(frozen=True, slots=True)
class Endpoint:
    api_id: str  # the spec's path in the corpus without .json, e.g. "stripe.com", "amazonaws.com/s3"
    method: str  # upper case: GET, POST, ...
    path: str  # path template as in the spec
    operation_id: str | None = None
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()  # path-level and operation-level merged
    request_body: RequestBody | None = None
    security: tuple[SecurityScheme, ...] = ()
    base_url: str = ""  # first server URL (variables substituted with defaults), as openapi-snippet
    deprecated: bool = False

    @property
    def endpoint_id(self) -> str:
        return endpoint_id_for(self.api_id, self.method, self.path)

    def required_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.required)


@dataclass(slots=True)
class ApiSpec:
    api_id: str
    title: str  # info.title
    description: str  # info.description
    provider: str  # info.x-providerName, "" when absent
    spec_path: str  # where it was read from, relative to the corpus root when known
    content_hash: str  # sha256 of the file bytes
    doc: dict[str, Any]  # the parsed document (OpenAPI 3.x; Swagger 2.0 converted)
    endpoints: list[Endpoint] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. remote $refs not fetched
    # memo of resolved references for the snippet renderer (never part of equality or repr)
    render_cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def endpoint(self, method: str, path: str) -> Endpoint | None:
        for ep in self.endpoints:
            if ep.method == method.upper() and ep.path == path:
                return ep
        return None
