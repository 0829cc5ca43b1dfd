"""schemathesis over the app's own OpenAPI schema: no 5xx, and every answer matches its schema.

Bounded (a few examples per operation, no shrinking) so the whole run stays well under a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from apipack.settings import Settings
from service.app import create_app
from tests.integration.service.conftest import SAMPLE_DOCS
from tests.integration.service.fakes import DocsIngestor, FakeWorld, publish_docs

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app_schema(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    index_dir: Path = tmp_path_factory.mktemp("fuzz") / "index"
    publish_docs(index_dir, SAMPLE_DOCS)
    settings_ = Settings(index_dir=index_dir, rate_limit_per_minute=0, max_body_bytes=8192)
    app = create_app(settings_, runtime_factory=FakeWorld(), ingestor=DocsIngestor(), configure_logs=False)
    app.state.parts.watcher.reload_if_changed()  # what the lifespan does at start
    return schemathesis.openapi.from_asgi("/openapi.json", app)


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def test_no_5xx_and_responses_match_the_schema(app_schema) -> None:  # noqa: ANN001
    # schemathesis' pytest plugin (from_fixture) does not run on this pytest; drive hypothesis directly.
    operations = [result.ok() for result in app_schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, phases=[Phase.explicit, Phase.generate], deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:  # noqa: ANN001
            case.call_and_validate(checks=CHECKS)

        run()
