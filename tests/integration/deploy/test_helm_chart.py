"""The Helm chart: `helm lint`, rendering, Kubernetes schema validation, internal references.

Helm is Helm's own Go SDK inside helm-python-sdk's shared library; the schemas are the offline
copies inside kubernetes-validate, checked in strict mode (unknown fields refused) against the
oldest Kubernetes the chart claims (Chart.yaml kubeVersion) and the newest the package knows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import kubernetes_validate
import kubernetes_validate.utils as kv_utils
import pytest
import yaml

from .conftest import CHART, RELEASE, VALUE_SETS, find, only

Docs = list[dict[str, Any]]
# Kinds whose schema is not Kubernetes' own (CRDs): checked by test_service_monitor instead.
CRD_KINDS = {"ServiceMonitor"}


def kube_versions() -> list[str]:
    claimed = yaml.safe_load((CHART / "Chart.yaml").read_text())["kubeVersion"]
    oldest = claimed.lstrip(">=").split("-")[0]
    return [oldest, kv_utils.latest_version()]


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_helm_lint_strict(name: str) -> None:
    import helm_python

    for version in kube_versions():
        report = helm_python.lint(str(CHART), VALUE_SETS[name], strict=True, kube_version=f"v{version}")
        problems = [m for m in report["messages"] if m["severity"] >= 2] + report["errors"]
        assert report["total_charts_linted"] == 1
        assert problems == [], problems


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_manifests_match_kubernetes_schema(name: str, rendered: dict[str, Docs]) -> None:
    docs = rendered[name]
    assert len(docs) >= 5
    validated = 0
    for doc in docs:
        if doc["kind"] in CRD_KINDS:
            continue
        for version in kube_versions():
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                where = ".".join(str(p) for p in exc.path)
                pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} vs Kubernetes {version}: {where}: {exc.message}")
        validated += 1
    assert validated == len([d for d in docs if d["kind"] not in CRD_KINDS])


def test_schema_check_is_live() -> None:
    """A Deployment with a misspelt field fails the same call (so passing means something)."""
    bad = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
           "spec": {"selector": {"matchLabels": {"a": "b"}}, "replica": 2,
                    "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c"}]}}}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, kube_versions()[-1], strict=True)


def _pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    return workload["spec"]["template"]["metadata"]["labels"]


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_references_resolve(name: str, rendered: dict[str, Docs]) -> None:
    """Services, HPA, PDB, ConfigMaps, Secrets and claims point at objects the chart renders
    (or that values name as existing ones)."""
    docs = rendered[name]
    values = VALUE_SETS[name]
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    workloads = find(docs, "Deployment")
    pods = workloads + [{"spec": j["spec"]} for j in find(docs, "Job")]

    for svc in find(docs, "Service"):
        targets = [w for w in workloads if _selects(svc["spec"]["selector"], _pod_labels(w))]
        assert len(targets) == 1, f"Service {svc['metadata']['name']} selects {len(targets)} Deployments"
        container_ports = {p["name"] for c in targets[0]["spec"]["template"]["spec"]["containers"]
                           for p in c.get("ports", [])}
        for port in svc["spec"]["ports"]:
            assert port["targetPort"] in container_ports
    for pdb in find(docs, "PodDisruptionBudget"):
        assert [w for w in workloads if _selects(pdb["spec"]["selector"]["matchLabels"], _pod_labels(w))]
    for hpa in find(docs, "HorizontalPodAutoscaler"):
        ref = hpa["spec"]["scaleTargetRef"]
        assert (ref["kind"], ref["name"]) in names
        target = only(docs, "Deployment", ref["name"].removeprefix(RELEASE))
        assert "replicas" not in target["spec"], "the HPA owns the replica count"
    for ing in find(docs, "Ingress"):
        for rule in ing["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                assert ("Service", path["backend"]["service"]["name"]) in names

    existing_secrets = {v.get("existingSecret") for v in (values.get("apiKeys", {}),
                                                         values.get("redis", {}).get("external", {}),
                                                         values.get("vllm", {}).get("hfToken", {}))}
    existing_claims = {"company-specs"}
    for pod in pods:
        spec = pod["spec"]["template"]["spec"]
        for vol in spec.get("volumes", []):
            if "persistentVolumeClaim" in vol:
                claim = vol["persistentVolumeClaim"]["claimName"]
                assert ("PersistentVolumeClaim", claim) in names or claim in existing_claims, claim
            if "secret" in vol:
                secret = vol["secret"]["secretName"]
                assert ("Secret", secret) in names or secret in existing_secrets, secret
        mounted = {v["name"] for v in spec.get("volumes", [])}
        for container in spec["containers"]:
            assert {m["name"] for m in container.get("volumeMounts", [])} <= mounted
            for src in container.get("envFrom", []):
                assert ("ConfigMap", src["configMapRef"]["name"]) in names
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    secret = ref["name"]
                    if ("Secret", secret) in names:
                        data = only(docs, "Secret", secret.removeprefix(RELEASE))["stringData"]
                        assert ref["key"] in data, f"{secret} has no key {ref['key']}"
                    else:
                        assert secret in existing_secrets, secret


def test_default_install_shape(rendered: dict[str, Docs]) -> None:
    docs = rendered["default"]
    kinds = sorted({d["kind"] for d in docs})
    assert kinds == sorted({"ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Job", "PersistentVolumeClaim",
                            "PodDisruptionBudget", "Service", "ServiceAccount"}), kinds
    assert {d["metadata"]["name"] for d in find(docs, "Deployment")} == {"apipack-api", "apipack-redis"}
    settings = only(docs, "ConfigMap", "-settings")["data"]
    assert settings["APIPACK_REDIS_URL"] == "redis://apipack-redis:6379/0"
    assert settings["APIPACK_BACKEND"] == "grounded"
    assert "APIPACK_API_KEYS_FILE" not in settings, "no keys configured: the API asks for none"
    pvc = only(docs, "PersistentVolumeClaim", "-index")
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]


def test_vllm_serves_the_model_the_api_asks_for(rendered: dict[str, Docs]) -> None:
    docs = rendered["vllm"]
    vllm = only(docs, "Deployment", "-vllm")
    container = vllm["spec"]["template"]["spec"]["containers"][0]
    assert container["image"].startswith("vllm/vllm-openai:")
    args = container["args"]
    model = yaml.safe_load((CHART / "values.yaml").read_text())["vllm"]["model"]
    assert model == "apipack/API-Pack-Model" and args[0] == model
    assert args[args.index("--tensor-parallel-size") + 1] == "1"
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 1
    settings = only(docs, "ConfigMap", "-settings")["data"]
    assert settings["APIPACK_BACKEND"] == "openai"
    served = args[args.index("--served-model-name") + 1]
    assert settings["APIPACK_OPENAI_MODEL"] == served
    svc = only(docs, "Service", "-vllm")
    port = svc["spec"]["ports"][0]["port"]
    assert settings["APIPACK_OPENAI_BASE_URL"] == f"http://{svc['metadata']['name']}:{port}/v1"
    assert str(port) == args[args.index("--port") + 1]


def test_vllm_values_reach_its_arguments(rendered: dict[str, Docs]) -> None:
    docs = rendered["everything"]
    container = only(docs, "Deployment", "-vllm")["spec"]["template"]["spec"]["containers"][0]
    args = container["args"]
    assert args[args.index("--tensor-parallel-size") + 1] == "2"
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 2
    assert "--enable-lora" in args and args[args.index("--lora-modules") + 1] == "stripe=/models/adapters/stripe"
    assert args[args.index("--max-lora-rank") + 1] == "64"
    assert args[-1] == "--enable-prefix-caching"
    assert only(docs, "ConfigMap", "-settings")["data"]["APIPACK_OPENAI_MODEL"] == "stripe"
    assert {"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": "hf-token", "key": "token"}}} in container["env"]


def test_external_redis_comes_from_a_secret(rendered: dict[str, Docs]) -> None:
    docs = rendered["external-redis"]
    assert not [d for d in docs if d["metadata"]["name"].endswith("-redis")], "no bundled Redis"
    assert "APIPACK_REDIS_URL" not in only(docs, "ConfigMap", "-settings")["data"]
    api = only(docs, "Deployment", "-api")["spec"]["template"]["spec"]["containers"][0]
    ref = next(e for e in api["env"] if e["name"] == "APIPACK_REDIS_URL")["valueFrom"]["secretKeyRef"]
    secret = only(docs, "Secret", "-secrets")
    assert ref["name"] == secret["metadata"]["name"]
    assert secret["stringData"][ref["key"]] == VALUE_SETS["external-redis"]["redis"]["external"]["url"]


def test_service_monitor(rendered: dict[str, Docs]) -> None:
    """Not in Kubernetes' schema (a Prometheus Operator CRD): the fields it needs, checked here."""
    docs = rendered["everything"]
    monitors = find(docs, "ServiceMonitor")
    assert {m["metadata"]["name"] for m in monitors} == {"apipack-api", "apipack-vllm"}
    for mon in monitors:
        assert mon["apiVersion"] == "monitoring.coreos.com/v1"
        assert mon["metadata"]["labels"]["release"] == "prometheus"
        services = [s for s in find(docs, "Service")
                    if _selects(mon["spec"]["selector"]["matchLabels"], s["metadata"]["labels"])]
        assert len(services) == 1
        port_names = {p["name"] for p in services[0]["spec"]["ports"]}
        for endpoint in mon["spec"]["endpoints"]:
            assert endpoint["port"] in port_names and endpoint["path"] == "/metrics"
    assert not find(rendered["default"], "ServiceMonitor")


def test_api_keys_secret_file(rendered: dict[str, Docs]) -> None:
    docs = rendered["everything"]
    secret = only(docs, "Secret", "-secrets")
    lines = [ln for ln in secret["stringData"]["api_keys"].splitlines() if ln.strip()]
    assert lines == VALUE_SETS["everything"]["apiKeys"]["keys"]


@pytest.mark.parametrize(("values", "message"), [
    ({"vllm": {"enabled": True, "tensorParallelSize": 4, "gpuCount": 2}}, "gpuCount"),
    ({"redis": {"enabled": False}}, "shared Redis"),
    ({"vllm": {"enabled": True, "tensorParalelSize": 2}}, "tensorParalelSize"),  # values.schema.json
    ({"settings": {"topk": 5}}, "topk"),
])
def test_refused_configurations(values: dict[str, Any], message: str,
                                render: Callable[[dict[str, Any]], Docs]) -> None:
    import helm_python

    with pytest.raises(helm_python.HelmError, match=message):
        render(values)
