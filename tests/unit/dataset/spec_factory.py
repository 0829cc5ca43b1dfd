"""Small ApiSpec objects for the dataset tests, and a tiny spec-file format with its own loader,
discoverer and renderer (module-level functions, so worker processes can pickle them).

They stand in for apipack.openapi / apipack.snippets only where the tests need specs shaped a
precise way (non-English text, duplicates, empty fields); the integration test uses the real ones.
"""

from __future__ import annotations

import json
from pathlib import Path

from apipack.errors import NotOpenAPIError
from apipack.openapi.model import ApiSpec, Endpoint, Parameter


def endpoint(api_id: str, method: str, path: str, op: str | None = None, summary: str = "",
             description: str = "", tags: tuple[str, ...] = (), params: tuple[str, ...] = ()) -> Endpoint:
    parameters = tuple(Parameter(name=p, location="path", required=True) for p in params)
    return Endpoint(api_id=api_id, method=method, path=path, operation_id=op, summary=summary,
                    description=description, tags=tags, parameters=parameters)


def petstore_endpoints(api_id: str = "petstore.io", n_extra: int = 0) -> list[Endpoint]:
    eps = [
        endpoint(api_id, "GET", "/pets", "listPets", "List all pets", "Returns every pet in the store", ("pets",)),
        endpoint(api_id, "POST", "/pets", "createPet", "Create a pet", "Adds a new pet to the store", ("pets",)),
        endpoint(api_id, "GET", "/pets/{petId}", "showPetById", "Info for a specific pet",
                 "Returns one pet by its id", ("pets",), ("petId",)),
        endpoint(api_id, "DELETE", "/pets/{petId}", "deletePet", "Delete a pet", "Removes a pet for good",
                 ("pets",), ("petId",)),
    ]
    for i in range(n_extra):
        eps.append(endpoint(api_id, "GET", f"/things{i}/{{id}}", f"getThing{i}", f"Get thing {i}",
                            f"Returns thing number {i} of the store", ("things",), ("id",)))
    return eps


def make_spec(api_id: str, title: str, endpoints: list[Endpoint], description: str = "A test API.",
              provider: str = "") -> ApiSpec:
    return ApiSpec(api_id=api_id, title=title, description=description, provider=provider or api_id,
                   spec_path=f"{api_id}.json", content_hash="0" * 64, doc={}, endpoints=endpoints)


# --- a tiny spec-file format: {"title": ..., "endpoints": [[method, path, op, summary, description], ...]}
def write_tiny_spec(folder: Path, api_id: str, title: str, n_endpoints: int, *, salt: str = "") -> Path:
    eps = [["GET", "/items", "listItems", "List items", "Returns all items"]]
    for i in range(1, n_endpoints):
        eps.append(["GET", f"/items{i}/{{id}}", f"getItem{i}", f"Get item {i}{salt}", f"Returns item kind {i}"])
    path = folder / f"{api_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"title": title, "endpoints": eps}))
    return path


def tiny_load(path: Path, *, api_id: str, spec_path: str) -> ApiSpec:
    data = json.loads(Path(path).read_text())
    if "endpoints" not in data:
        raise NotOpenAPIError(f"{spec_path}: not a tiny spec (no endpoints)")
    eps = [endpoint(api_id, m, p, op, s, d, ("items",), tuple(x.strip("{}") for x in p.split("/") if "{" in x))
           for m, p, op, s, d in data["endpoints"]]
    return ApiSpec(api_id=api_id, title=data["title"], description=f"{data['title']} description",
                   provider=api_id.split("/")[0], spec_path=spec_path, content_hash="", doc=data, endpoints=eps)


def tiny_discover(inputs: list[Path]) -> list[tuple[Path, str]]:
    out = []
    for root in inputs:
        for p in sorted(Path(root).rglob("*.json")):
            out.append((p, str(p.relative_to(root).with_suffix(""))))
    return out


def tiny_render(spec: ApiSpec, method: str, path: str, target: str) -> str:
    if path.endswith("/boom"):
        raise ValueError("renderer cannot do this endpoint")
    return f"{target} {method} https://{spec.api_id}{path}"
