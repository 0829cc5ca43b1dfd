"""The image and the chart agree with the service as the code defines it.

Nothing here is copied from the service: setting names come from ``apipack.settings.Settings``,
routes from ``service.app.create_app`` (or, before the app exists, from the route decorators in
``service/``), commands from the real CLI parser. Each chart value set is turned into the
environment a pod would see and fed to ``Settings`` itself.
"""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from apipack.settings import Settings

from .conftest import REPO, VALUE_SETS, ParsedDockerfile, find, only

Docs = list[dict[str, Any]]
SETTING_VARS = {f"APIPACK_{name.upper()}" for name in Settings.model_fields}
# Stand-ins for values held in Secrets that the chart only names (created by the operator).
EXISTING_SECRET_VALUES = {"shared-redis": "redis://redis.shared.svc:6379/0", "my-keys": "portal-key-0001\n"}


def probe_statuses(settings: Settings, paths: list[str]) -> dict[str, int | None]:
    """GET each path on the real app (built by ``create_app`` with ``settings``, no lifespan: no
    index loaded, as in a pod that just started). Before service/app.py exists, the paths found in
    the route decorators of ``service/`` answer None and the others 404."""
    if (REPO / "service" / "app.py").exists():
        from fastapi.testclient import TestClient

        from service.app import create_app

        app = create_app(settings, use_default_ingestor=False, configure_logs=False)
        client = TestClient(app, raise_server_exceptions=False)
        return {path: client.get(path).status_code for path in paths}
    found: set[str] = set()
    for module in (REPO / "service").rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in {"get", "api_route", "add_api_route"} \
                    and node.args and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
    return {path: None if path in found else 404 for path in paths}


def assert_served(statuses: dict[str, int | None]) -> None:
    for path, status in statuses.items():
        assert status not in (404, 405), f"GET {path}: the app has no such route ({status})"
    # liveness must hold with no index and no Redis, or Kubernetes restarts a pod that is only waiting
    if statuses.get("/healthz") is not None:
        assert statuses["/healthz"] == 200, statuses


def api_container(docs: Docs) -> dict[str, Any]:
    return only(docs, "Deployment", "-api")["spec"]["template"]["spec"]["containers"][0]


def pod_env(docs: Docs, pod_spec: dict[str, Any], container: dict[str, Any]) -> dict[str, str]:
    """The environment the container gets: envFrom ConfigMaps, then env (literals and Secret keys)."""
    env: dict[str, str] = {}
    for src in container.get("envFrom", []):
        env.update(only(docs, "ConfigMap", src["configMapRef"]["name"].removeprefix("apipack"))["data"])
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
            continue
        ref = item["valueFrom"]["secretKeyRef"]
        secrets = find(docs, "Secret", ref["name"])
        env[item["name"]] = (secrets[0]["stringData"][ref["key"]] if secrets
                             else EXISTING_SECRET_VALUES[ref["name"]])
    return env


def settings_from_env(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    import os

    for key in list(os.environ):
        if key.startswith("APIPACK_"):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings()


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_chart_sets_only_real_settings(name: str, rendered: dict[str, Docs]) -> None:
    docs = rendered[name]
    set_by_chart: set[str] = set()
    for cm in find(docs, "ConfigMap"):
        set_by_chart |= {k for k in cm["data"] if k.startswith("APIPACK_")}
    for workload in find(docs, "Deployment") + find(docs, "Job"):
        for container in workload["spec"]["template"]["spec"]["containers"]:
            set_by_chart |= {e["name"] for e in container.get("env", []) if e["name"].startswith("APIPACK_")}
    assert set_by_chart, "the chart sets no APIPACK_* variable"
    unknown = set_by_chart - SETTING_VARS
    assert not unknown, f"not fields of apipack.settings.Settings: {sorted(unknown)}"


def test_values_settings_are_settings() -> None:
    import yaml

    values = yaml.safe_load((REPO / "helm" / "apipack" / "values.yaml").read_text())
    unknown = set(values["settings"]) - set(Settings.model_fields)
    assert not unknown, f"values.yaml settings that Settings does not have: {sorted(unknown)}"


def test_values_schema_allows_only_real_settings() -> None:
    """values.schema.json refuses unknown `settings` keys at install time; its list must be real."""
    import json

    schema = json.loads((REPO / "helm" / "apipack" / "values.schema.json").read_text())
    allowed = set(schema["properties"]["settings"]["propertyNames"]["enum"])
    unknown = allowed - set(Settings.model_fields)
    assert not unknown, f"values.schema.json allows settings that Settings does not have: {sorted(unknown)}"
    # settings the chart owns or that are secrets are not to be set as plain values
    assert not allowed & {"host", "port", "index_dir", "redis_url", "api_keys", "openai_api_key"}


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_pod_settings_agree_with_the_manifests(name: str, rendered: dict[str, Docs], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               dockerfile: ParsedDockerfile) -> None:
    docs = rendered[name]
    deployment = only(docs, "Deployment", "-api")
    pod = deployment["spec"]["template"]["spec"]
    container = api_container(docs)
    env = dockerfile.env("service") | pod_env(docs, pod, container)  # the pod's env over the image's
    settings = settings_from_env(env, monkeypatch)

    # port and address: the service listens where the probes and the Service look
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert settings.port == ports["http"]
    assert settings.host == "0.0.0.0"
    # graceful shutdown fits in the time Kubernetes gives before SIGKILL
    assert settings.shutdown_grace_s < pod["terminationGracePeriodSeconds"]

    mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    if VALUE_SETS[name].get("index", {}).get("persistence", {}).get("enabled", True):
        assert str(settings.index_dir) in mounts, "the index folder is the mounted volume"
        assert "persistentVolumeClaim" in volumes[mounts[str(settings.index_dir)]["name"]]
    else:
        assert str(settings.index_dir) == dockerfile.env("service")["APIPACK_INDEX_DIR"]
    # with a read-only root filesystem, every folder the service writes is a mounted volume
    if container["securityContext"].get("readOnlyRootFilesystem"):
        for writable in (settings.cache_dir, Path(env["HF_HOME"]), Path(env["XDG_CACHE_HOME"])):
            assert any(writable.is_relative_to(m) for m in mounts), f"{writable} is not writable"

    if settings.api_keys_file is not None:
        keys_dir = str(settings.api_keys_file.parent)
        assert keys_dir in mounts and mounts[keys_dir].get("readOnly")
        secret_volume = volumes[mounts[keys_dir]["name"]]["secret"]
        assert settings.api_keys_file.name in {i["path"] for i in secret_volume["items"]}

    if settings.backend == "openai":
        vllm_svc = only(docs, "Service", "-vllm")
        url = f"http://{vllm_svc['metadata']['name']}:{vllm_svc['spec']['ports'][0]['port']}/v1"
        assert settings.openai_base_url == url
    redis_url = settings.redis_url.get_secret_value() if settings.redis_url else None
    if find(docs, "Service", "apipack-redis"):
        assert redis_url == f"redis://apipack-redis:{only(docs, 'Service', '-redis')['spec']['ports'][0]['port']}/0"


@pytest.mark.parametrize("name", ["default", "everything"])
def test_probes_are_routes_of_the_app(name: str, rendered: dict[str, Docs], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, dockerfile: ParsedDockerfile) -> None:
    docs = rendered[name]
    pod = only(docs, "Deployment", "-api")["spec"]["template"]["spec"]
    container = api_container(docs)
    settings = settings_from_env(dockerfile.env("service") | pod_env(docs, pod, container), monkeypatch)
    # the app is built with the pod's settings; the keys file gets the chart's Secret content
    update: dict[str, Any] = {"index_dir": tmp_path / "index", "cache_dir": tmp_path / "cache"}
    if settings.api_keys_file is not None:
        keys = tmp_path / "api_keys"
        secrets = find(docs, "Secret")
        keys.write_text(secrets[0]["stringData"]["api_keys"] if secrets else EXISTING_SECRET_VALUES["my-keys"])
        update["api_keys_file"] = keys
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    probes = {kind: container[kind] for kind in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert probes["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert probes["readinessProbe"]["httpGet"]["path"] == "/readyz"
    paths = sorted({p["httpGet"]["path"] for p in probes.values()}
                   | {e["path"] for m in find(docs, "ServiceMonitor", "apipack-api") for e in m["spec"]["endpoints"]})
    assert_served(probe_statuses(settings.model_copy(update=update), paths))
    for probe in probes.values():
        assert probe["httpGet"]["port"] in ports or probe["httpGet"]["port"] == settings.port


def _exec_form(args: str) -> list[str]:
    import json

    return json.loads(args)


def test_image_entry_point_is_the_real_serve_command(dockerfile: ParsedDockerfile,
                                                     rendered: dict[str, Docs]) -> None:
    from apipack.cli.main import build_parser

    entry = _exec_form(dockerfile.of("ENTRYPOINT", "service")[-1].args)
    cmd = _exec_form(dockerfile.of("CMD", "service")[-1].args)
    assert entry[0] == "apipack", "the console script of pyproject.toml"
    try:
        args = build_parser().parse_args(entry[1:] + cmd)
    except SystemExit:
        pytest.fail(f"`{shlex.join(entry + cmd)}` is not a command of the CLI")
    assert args.command == "serve" and callable(args.handler)
    # the chart runs the same command
    container = api_container(rendered["default"])
    assert container["command"] + container["args"] == entry + cmd


def test_index_job_runs_a_real_command(rendered: dict[str, Docs], monkeypatch: pytest.MonkeyPatch,
                                       dockerfile: ParsedDockerfile) -> None:
    from apipack.cli.main import build_parser

    for name in ("default", "everything"):
        docs = rendered[name]
        job = find(docs, "Job")[0]
        container = job["spec"]["template"]["spec"]["containers"][0]
        settings = settings_from_env(dockerfile.env("service") | pod_env(docs, job["spec"]["template"]["spec"],
                                                                         container), monkeypatch)
        mounts = [m["mountPath"] for m in container["volumeMounts"]]
        assert any(settings.cache_dir.is_relative_to(m) for m in mounts), "the build's cache must be writable"
        assert container["command"] == ["apipack"]
        try:
            args = build_parser().parse_args(container["args"])
        except SystemExit:
            pytest.fail(f"`apipack {shlex.join(container['args'])}` is not a command of the CLI")
        assert args.command == "index" and callable(args.handler)
        index_mount = {m["mountPath"] for m in container["volumeMounts"]}
        assert container["args"][container["args"].index("--out") + 1] in index_mount
        # the specs folder is a mounted volume or a folder the image was given by a COPY
        specs = Path(args.inputs[0])
        copied = {shlex.split(i.args)[-1] for i in dockerfile.of("COPY", "service")}
        assert any(specs.is_relative_to(m) for m in index_mount) or str(specs) in copied, specs


def test_image_index_build_is_a_real_command(dockerfile: ParsedDockerfile) -> None:
    from apipack.cli.main import build_parser

    runs = [shlex.split(i.args) for i in dockerfile.of("RUN", "with-index")]
    builds = [words for words in runs if words[:3] == ["apipack", "index", "build"]]
    assert len(builds) == 1, runs
    try:
        args = build_parser().parse_args(builds[0][1:])
    except SystemExit:
        pytest.fail(f"`{shlex.join(builds[0])}` is not a command of the CLI")
    assert callable(args.handler)
    assert str(args.out) == dockerfile.env("with-index")["APIPACK_INDEX_DIR"], "the image serves what it built"


def test_image_settings_agree(dockerfile: ParsedDockerfile, monkeypatch: pytest.MonkeyPatch) -> None:
    env = dockerfile.env("service")
    unknown = {k for k in env if k.startswith("APIPACK_")} - SETTING_VARS
    assert not unknown, f"Dockerfile ENV that Settings does not have: {sorted(unknown)}"
    settings = settings_from_env(env, monkeypatch)
    exposed = {int(p.split("/")[0]) for i in dockerfile.of("EXPOSE", "service") for p in i.args.split()}
    assert exposed == {settings.port}
    assert settings.host == "0.0.0.0", "a container must listen beyond its loopback"
    health = dockerfile.of("HEALTHCHECK", "service")[-1].args
    assert "/healthz" in health and "APIPACK_PORT" in health
    user = dockerfile.of("USER", "service")[-1].args.split(":")[0]
    chart_values = (REPO / "helm" / "apipack" / "values.yaml").read_text()
    assert f"runAsUser: {user}" in chart_values, "the chart runs the image's user"


def test_healthcheck_path_is_a_route(dockerfile: ParsedDockerfile, tmp_path: Path) -> None:
    health = dockerfile.of("HEALTHCHECK", "service")[-1].args
    paths = re.findall(r"http://[^/'\"]+(/[\w/]*)", health)
    assert paths == ["/healthz"], paths
    assert_served(probe_statuses(Settings(index_dir=tmp_path / "index", cache_dir=tmp_path / "cache"), paths))
