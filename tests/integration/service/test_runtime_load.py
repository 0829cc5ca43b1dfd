"""Loading a version for serving (the app's runtime factory, real index and model): it answers,
and what it loaded is frozen out of the cyclic collector, whose full pass over a corpus index
stalled every request in flight for ~0.5 s."""

from __future__ import annotations

import gc

from apipack.settings import Settings
from generation.types import GenerationRequest
from service.app import SharedModels, make_runtime_factory
from tests.integration.service.real_index import sample_index


def test_a_loaded_version_answers_and_is_frozen_out_of_the_collector():
    gc.unfreeze()
    settings = Settings()
    runtime = make_runtime_factory(settings, SharedModels(settings))(sample_index())
    try:
        assert runtime is not None
        assert gc.get_freeze_count() > len(runtime.index.rows)
        row = runtime.index.rows[0]
        assert gc.is_tracked(row) and not any(obj is row for obj in gc.get_objects())
        gen = runtime.backends["grounded"].generate(
            GenerationRequest(instruction="list all pets", language="curl", api=None, top_k=3))
        assert gen.status == "ok" and gen.code.startswith("curl") and gen.check is not None
    finally:
        gc.unfreeze()
