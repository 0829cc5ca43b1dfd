"""GET /apis, GET /apis/{id}, GET /languages; POST /apis and DELETE /apis/{id} (admin) queue ingestion."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from apipack.errors import InvalidRequestError, UnknownApiError
from apipack.snippets.targets_table import TARGETS
from service.json_response import JsonResponse
from service.parts import AdminDep, PartsDep, UserDep
from service.protocol import ApiDetail, ApiList, JobOut, LanguageList, error_responses

router = APIRouter(tags=["apis"])

# The upload is documented as both a raw JSON/YAML body and a multipart file field named "spec".
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/yaml": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": {"type": "object", "required": ["spec"], "properties": {
                "spec": {"type": "string", "format": "binary"}}}},
        },
    }
}


@router.get("/apis", response_model=ApiList, responses=error_responses(401, 429, 503))
async def list_apis(parts: PartsDep, principal: UserDep,
                    q: Annotated[str | None, Query(max_length=200, description="Filter on id or name.")] = None,
                    limit: Annotated[int, Query(ge=1, le=5000)] = 100,
                    offset: Annotated[int, Query(ge=0)] = 0) -> JsonResponse:
    runtime = parts.holder.require()
    infos = sorted(runtime.api_infos(), key=lambda a: a.title.lower())
    if q and q.strip():
        needle = q.strip().lower()
        infos = [a for a in infos if needle in a.api_id.lower() or needle in a.title.lower()]
    page = infos[offset: offset + limit]
    return JsonResponse({"data": [_summary(a) for a in page], "total": len(infos),
                           "index_version": runtime.version})


@router.get("/apis/{api_id:path}", response_model=ApiDetail, responses=error_responses(401, 404, 429, 503))
async def get_api(api_id: str, parts: PartsDep,
                  principal: UserDep) -> JsonResponse:
    runtime = parts.holder.require()
    info = runtime.resolve_api(api_id)
    return JsonResponse({**_summary(info), "endpoints": runtime.endpoint_table(info.api_id),
                         "index_version": runtime.version})


@router.post("/apis", status_code=202, response_model=JobOut, openapi_extra=_UPLOAD_BODY,
             responses=error_responses(400, 401, 403, 413, 422, 429))
async def add_api(request: Request, parts: PartsDep,
                  principal: AdminDep) -> JsonResponse:
    content_type = request.headers.get("content-type", "")
    filename = "upload"
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("spec")
        if upload is None or isinstance(upload, str):
            raise InvalidRequestError("multipart upload needs a file field named 'spec'", param="spec")
        filename = upload.filename or filename
        data = await upload.read()
    else:
        data = await request.body()
    job = await parts.jobs.submit_add(data, filename)
    return JsonResponse(job, status_code=202, headers={"Location": f"/jobs/{job['id']}"})


@router.delete("/apis/{api_id:path}", status_code=202, response_model=JobOut,
               responses=error_responses(401, 403, 404, 429, 503))
async def delete_api(api_id: str, parts: PartsDep,
                     principal: AdminDep) -> JsonResponse:
    runtime = parts.holder.require()
    info = runtime.resolve_api(api_id)
    if info.api_id != api_id:
        raise UnknownApiError(f"DELETE takes an API id; {api_id!r} is the name of {info.api_id!r}", param="api_id")
    job = await parts.jobs.submit_remove(info.api_id)
    return JsonResponse(job, status_code=202, headers={"Location": f"/jobs/{job['id']}"})


@router.get("/languages", response_model=LanguageList)
async def languages() -> JsonResponse:
    return JsonResponse({"data": [{"short": t.short, "target_id": t.target_id, "lang": t.lang}
                                    for t in TARGETS.values()]})


def _summary(info) -> dict:  # noqa: ANN001 - retrieval.types.ApiInfo
    return {"id": info.api_id, "name": info.title, "description": (info.description or "")[:500],
            "provider": info.provider or "", "endpoint_count": int(info.endpoint_count)}
