"""Headless Chromium loads the playground, asks for a call and reads the code shown."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.heavy]


def _ready(browser, url: str):  # noqa: ANN001, ANN202
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url + "/")
    wait = WebDriverWait(browser, 30)
    wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
    return wait


def test_ask_for_a_call_and_read_the_code(browser, served_url, an_endpoint) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    wait = _ready(browser, served_url)
    languages = [o.get_attribute("value") for o in Select(browser.find_element(By.ID, "language")).options]
    assert len(languages) == 10 and "python" in languages
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#api-list option")) > 0)  # API picker filled

    api, ep, expected = an_endpoint["api"], an_endpoint["endpoint"], an_endpoint["answer"]
    browser.find_element(By.ID, "instruction").send_keys(ep["summary"])
    Select(browser.find_element(By.ID, "language")).select_by_value("curl")
    browser.find_element(By.ID, "api").send_keys(api["id"])  # as picked from the list
    browser.find_element(By.ID, "go").click()
    wait.until(ec.visibility_of_element_located((By.ID, "result")))
    code = wait.until(lambda d: d.find_element(By.ID, "code").text or None)
    assert code.startswith("curl --request")
    assert code == expected["code"]  # what the API answers is what the page shows
    assert browser.find_elements(By.CSS_SELECTOR, "#code .hl-url")  # highlighted
    shown = browser.find_element(By.ID, "endpoint").text
    assert f"{expected['endpoint']['method']} {expected['endpoint']['path']}" in shown
    assert browser.find_element(By.ID, "check").text.startswith(expected["check"]["status"])
    assert browser.find_element(By.ID, "api-name").text.endswith(f"[{api['id']}]")
    browser.find_element(By.ID, "copy").click()
    wait.until(lambda d: d.find_element(By.ID, "copy").text == "Copied")


def test_errors_are_shown_not_swallowed(browser, served_url) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    wait = _ready(browser, served_url)
    browser.find_element(By.ID, "instruction").send_keys("list pets")
    browser.find_element(By.ID, "api").send_keys("no-such-api")
    browser.find_element(By.ID, "go").click()
    message = wait.until(lambda d: d.find_element(By.ID, "error").text or None)
    assert "unknown API 'no-such-api'" in message
