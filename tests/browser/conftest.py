"""Fixtures for browser tests: the real app (sample-spec index, grounded backend) served by uvicorn
on a free port, and headless Chromium."""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from apipack.settings import Settings
from service.app import create_app
from tests.integration.service.real_index import sample_index
from tests.integration.service.servers import free_port, wait_until

CHROME_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900")


@pytest.fixture(scope="session")
def served_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    index_dir = tmp_path_factory.mktemp("browser") / "index"
    shutil.copytree(sample_index(), index_dir, symlinks=True)
    app = create_app(Settings(index_dir=index_dir, rate_limit_per_minute=0), configure_logs=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(url + "/readyz", timeout=2).status_code == 200, 120, "uvicorn")
    yield url
    server.should_exit = True
    thread.join(15)


@pytest.fixture(scope="session")
def an_endpoint(served_url: str) -> dict:
    """One indexed endpoint with a summary, its API, and the answer the API itself gives for it."""
    for api in httpx.get(served_url + "/apis", params={"limit": 5000}).json()["data"]:
        detail = httpx.get(f"{served_url}/apis/{api['id']}").json()
        for ep in detail["endpoints"]:
            if len(ep["summary"] or "") > 8:
                body = {"instruction": ep["summary"], "api": api["id"], "language": "curl"}
                answer = httpx.post(served_url + "/generate", json=body, timeout=60).json()
                if answer["status"] == "ok":
                    return {"api": api, "endpoint": ep, "answer": answer}
    raise RuntimeError("no endpoint with a summary answers in the sample index")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    profile = tempfile.mkdtemp(prefix="apipack-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
