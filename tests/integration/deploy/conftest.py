"""Fixtures for the deployment checks: the chart rendered offline, the Dockerfile parsed.

Helm runs in process through helm-python-sdk (Helm's Go SDK compiled into a shared library
shipped in the wheel: no helm binary, no download). The value sets below are the deployments
the chart promises: the defaults, vLLM on, an external Redis, and everything optional on.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
CHART = REPO / "helm" / "apipack"
DOCKERFILE = REPO / "Dockerfile"
RELEASE = "apipack"
NAMESPACE = "apipack"

VALUE_SETS: dict[str, dict[str, Any]] = {
    "default": {},
    "vllm": {"vllm": {"enabled": True}},
    "external-redis": {"redis": {"external": {"url": "redis://:s3cret@redis.shared.svc:6379/2"}}},
    "everything": {
        "api": {"port": 9000, "autoscaling": {"targetMemoryUtilizationPercentage": 80},
                "extraEnv": [{"name": "APIPACK_OPENAI_TIMEOUT_S", "value": "60"}]},
        "ingress": {"enabled": True, "className": "nginx",
                    "tls": [{"secretName": "apipack-tls", "hosts": ["apipack.example.internal"]}]},
        "apiKeys": {"keys": ["portal-key-0001", "ops-key-00000001:admin"]},
        "redis": {"external": {"existingSecret": "shared-redis", "existingSecretKey": "url"}},
        "index": {"persistence": {"storageClassName": "nfs", "size": "20Gi"},
                  "build": {"specsVolume": {"persistentVolumeClaim": {"claimName": "company-specs"}}}},
        "vllm": {"enabled": True, "tensorParallelSize": 2, "gpuCount": 2, "maxLoraRank": 64,
                 "loraModules": [{"name": "stripe", "path": "/models/adapters/stripe"}],
                 "apiModel": "stripe", "extraArgs": ["--enable-prefix-caching"],
                 "hfToken": {"existingSecret": "hf-token"}},
        "metrics": {"serviceMonitor": {"enabled": True, "labels": {"release": "prometheus"}}},
        "settings": {"top_k": 5, "log_level": "DEBUG", "shutdown_grace_s": 25},
    },
    "no-index-volume": {"index": {"persistence": {"enabled": False}}, "api": {"autoscaling": {"enabled": False},
                                                                            "replicaCount": 1},
                        "redis": {"enabled": False}, "apiKeys": {"existingSecret": "my-keys"}},
}


def render_chart(values: dict[str, Any]) -> list[dict[str, Any]]:
    """Every manifest the chart renders for ``values`` (NOTES.txt and empty documents dropped)."""
    import helm_python

    with helm_python.Chart.load(str(CHART)) as chart:
        rendered = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    docs: list[dict[str, Any]] = []
    for path, text in sorted(rendered.items()):
        if not path.endswith((".yaml", ".yml")):
            continue
        for doc in yaml.safe_load_all(text):
            if doc:
                docs.append(doc)
    return docs


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[dict[str, Any]]]:
    """Each value set rendered once per session."""
    return {name: render_chart(values) for name, values in VALUE_SETS.items()}


def find(docs: list[dict[str, Any]], kind: str, name: str | None = None) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]


def only(docs: list[dict[str, Any]], kind: str, suffix: str) -> dict[str, Any]:
    hits = [d for d in find(docs, kind) if d["metadata"]["name"].endswith(suffix)]
    assert len(hits) == 1, f"expected one {kind} named *{suffix}, got {[d['metadata']['name'] for d in hits]}"
    return hits[0]


@dataclass
class Instruction:
    keyword: str
    args: str
    line: int
    stage: str | None = None


@dataclass
class ParsedDockerfile:
    instructions: list[Instruction] = field(default_factory=list)

    def of(self, keyword: str, stage: str | None = None) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword and (stage is None or i.stage == stage)]

    @property
    def stages(self) -> list[str]:
        return [i.stage for i in self.of("FROM") if i.stage]

    def env(self, stage: str) -> dict[str, str]:
        """ENV of a stage, following ``FROM <earlier stage>`` chains."""
        chain: list[str] = []
        current: str | None = stage
        names = set(self.stages)
        while current is not None:
            chain.append(current)
            base = self.of("FROM", current)[0].args.split()[0]
            current = base if base in names else None
        out: dict[str, str] = {}
        for name in reversed(chain):
            for ins in self.of("ENV", name):
                for token in shlex.split(ins.args):
                    key, _, value = token.partition("=")
                    out[key] = value
        return out


def parse_dockerfile(text: str) -> ParsedDockerfile:
    """Instructions with continuation lines joined and comments dropped (enough for our checks)."""
    parsed = ParsedDockerfile()
    stage: str | None = None
    logical, start = "", 0
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not logical and (not line or line.startswith("#")):
            continue
        if logical and line.startswith("#"):
            continue
        if not logical:
            start = n
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        logical += line
        keyword, _, args = logical.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            m = re.search(r"\bAS\s+(\S+)", args, re.IGNORECASE)
            stage = m.group(1) if m else None
        parsed.instructions.append(Instruction(keyword, args.strip(), start, stage))
        logical = ""
    return parsed


@pytest.fixture(scope="session")
def dockerfile() -> ParsedDockerfile:
    return parse_dockerfile(DOCKERFILE.read_text())


@pytest.fixture(scope="session")
def render() -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    return render_chart
