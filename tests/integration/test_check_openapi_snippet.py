"""The spec check against the reference renderer: every endpoint of the sample specs (and the
shapes spec) rendered by node's openapi-snippet 0.14.0 in all 10 targets must be accepted.
Endpoints where openapi-snippet throws are left out (it renders nothing for them)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from apipack.snippets.targets_table import TARGETS, resolve_target
from generation.check import check_code

pytestmark = [pytest.mark.integration]

REPO = Path(__file__).parents[2]
NODE_MODULES = REPO / "tests" / "conformance" / "node_modules"
SPEC_FILES = [REPO / "tests" / "unit" / "generation" / "data" / "shapes.json",
              *sorted(p for p in (REPO / "samples" / "specs").rglob("*.json"))]

_SCRIPT = r"""
const OS = require(process.argv[1] + '/openapi-snippet');
const spec = JSON.parse(require('fs').readFileSync(process.argv[2]));
const targets = JSON.parse(process.argv[3]);
const out = [];
for (const p in spec.paths) for (const m in spec.paths[p]) {
  if (!['get','post','put','delete','patch','head','options'].includes(m)) continue;
  try {
    const r = OS.getEndpointSnippets(spec, p, m, targets);
    out.push({path: p, method: m.toUpperCase(), snippets: r.snippets.map(s => [s.id, s.content])});
  } catch (e) { out.push({path: p, method: m.toUpperCase(), error: String(e)}); }
}
process.stdout.write(JSON.stringify(out));
"""


def _node_snippets(spec_file: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None or not NODE_MODULES.is_dir():
        pytest.fail("node and tests/conformance/node_modules are needed (run `make node`)")
    ids = json.dumps([t.target_id for t in TARGETS.values()])
    done = subprocess.run([node, "-e", _SCRIPT, str(NODE_MODULES), str(spec_file), ids],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_openapi_snippet_output_is_accepted() -> None:
    from apipack.openapi import api_id_for, load_spec

    checked, threw, rejected = 0, 0, []
    for spec_file in SPEC_FILES:
        spec = load_spec(spec_file, api_id=api_id_for(spec_file))
        for item in _node_snippets(spec_file):
            if "error" in item:  # some sample specs are there because node throws on them
                threw += 1
                continue
            for target_id, code in item["snippets"]:
                result = check_code(code, resolve_target(target_id).short, spec)
                checked += 1
                if not result.ok or result.method != item["method"]:
                    rejected.append((spec_file.name, item["method"], item["path"], target_id, result))
    assert checked > 1000, (checked, threw)
    assert not rejected, f"{len(rejected)} of {checked} rejected: {rejected[:3]}"
