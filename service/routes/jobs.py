"""GET /jobs/{id}: progress of a spec ingestion job (answered by any replica while Redis is up)."""

from __future__ import annotations

from fastapi import APIRouter

from service.json_response import JsonResponse
from service.parts import PartsDep, UserDep
from service.protocol import JobOut, error_responses

router = APIRouter(tags=["apis"])


@router.get("/jobs/{job_id}", response_model=JobOut, responses=error_responses(401, 404, 429))
async def get_job(job_id: str, parts: PartsDep,
                  principal: UserDep) -> JsonResponse:
    return JsonResponse(await parts.jobs.get(job_id))
