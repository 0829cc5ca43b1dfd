"""Headless Chromium loads the playground, asks for a call and reads the code shown."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.heavy]


def test_ask_for_a_call_and_read_the_code(browser, served_url) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, 20)
    browser.get(served_url + "/")
    wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
    languages = [o.get_attribute("value") for o in Select(browser.find_element(By.ID, "language")).options]
    assert len(languages) == 10 and "python" in languages
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#api-list option")) == 2)  # API picker filled

    browser.find_element(By.ID, "instruction").send_keys("mark a task as done")
    Select(browser.find_element(By.ID, "language")).select_by_value("curl")
    browser.find_element(By.ID, "api").send_keys("todo.example.org")  # as picked from the list
    browser.find_element(By.ID, "go").click()
    wait.until(ec.visibility_of_element_located((By.ID, "result")))
    code = wait.until(lambda d: d.find_element(By.ID, "code").text or None)
    assert code.startswith("curl --request POST")
    assert "https://todo.example.org/api/tasks/{id}/complete" in code
    assert browser.find_elements(By.CSS_SELECTOR, "#code .hl-url")  # highlighted
    assert "POST /tasks/{id}/complete" in browser.find_element(By.ID, "endpoint").text
    assert browser.find_element(By.ID, "check").text.startswith("valid")
    assert browser.find_elements(By.CSS_SELECTOR, "#examples li")


def test_errors_are_shown_not_swallowed(browser, served_url) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(served_url + "/")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
    browser.find_element(By.ID, "instruction").send_keys("list pets")
    browser.find_element(By.ID, "api").send_keys("no-such-api")
    browser.find_element(By.ID, "go").click()
    message = wait.until(lambda d: d.find_element(By.ID, "error").text or None)
    assert "unknown API 'no-such-api'" in message
