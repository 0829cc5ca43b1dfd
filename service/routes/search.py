"""POST /search: ranked endpoints and the examples retrieval would put in the prompt."""

from __future__ import annotations

import orjson
from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from apipack.errors import EmptyQueryError, UnknownApiError
from service.answers import search_body
from service.parts import PartsDep, UserDep
from service.protocol import SearchRequest, SearchResponse, error_responses

router = APIRouter(tags=["search"])


@router.post("/search", response_model=SearchResponse,
             responses=error_responses(400, 401, 404, 413, 422, 429, 503))
async def search(body: SearchRequest, parts: PartsDep,
                 principal: UserDep) -> Response:
    query = body.query.strip()
    if not query:
        raise EmptyQueryError("query is empty; describe the operation you look for", param="query")
    runtime = parts.holder.require()
    api = runtime.resolve_api(body.api) if body.api else None
    result = await run_in_threadpool(runtime.searcher.search, query, body.k,
                                     api=api.api_id if api else None)
    for stage, ms in result.timings_ms.items():
        parts.metrics.stage_duration.labels(stage=stage).observe(float(ms) / 1000)
    name = api.title if api else None
    if name is None and result.api_id:
        try:
            name = runtime.resolve_api(result.api_id).title
        except UnknownApiError:  # a name is cosmetic; the id is still returned
            name = None
    return Response(orjson.dumps(search_body(result, api_name=name, index_version=runtime.version)),
                    media_type="application/json")
