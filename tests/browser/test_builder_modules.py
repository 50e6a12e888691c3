"""The builder's module library and secrets in a real browser against a real `rozmova serve`:
log in, create a module (a bad name refused at its field first), type code with a syntax error
and see it marked at its line, fix it, add a test case, run the tests, publish, see version 1
with its code; then store a secret and see it listed, its value never shown.

Needs Debian's `chromium` on PATH and a built builder (`make widget`, or `cd builder-ui && npm
ci && npm run build`); skipped otherwise. Screenshots go to `test-artifacts/`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.test_builder import BUILDER, api, log_in, page  # noqa: F401  (page: fixture)
from tests.browser.test_widget import (  # noqa: F401  (_clean_state, browser: fixtures)
    ARTIFACTS,
    CHROMIUM,
    TIMEOUT_MS,
    Server,
    _clean_state,
    browser,
)

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the playwright package is not installed")
expect = sync_api.expect
expect.set_options(timeout=TIMEOUT_MS)

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None,
                       reason="chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not (BUILDER / "index.html").is_file(),
                       reason=f"the builder is not built ({BUILDER} is missing: "
                       "cd builder-ui && npm ci && npm run build)"),
]

BROKEN = "const rate = 1.2;\nreturn {total: input.price +* rate};"
FIXED = "const rate = 1.2;\nreturn {total: input.price * rate};"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    running = Server(tmp_path_factory.mktemp("builder-modules-server"))
    running.start()
    try:
        yield running.base
    finally:
        running.stop()


def saved(page) -> None:  # type: ignore[no-untyped-def]
    expect(page.get_by_test_id("module-save-status")).to_have_attribute("data-state", "saved")


def write_code(page, code: str) -> None:  # type: ignore[no-untyped-def]
    """Replaces the code in CodeMirror by typing it, as a person would."""
    content = page.get_by_test_id("module-code-editor").locator(".cm-content")
    content.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(code)


def test_a_module_written_tested_and_published_and_a_secret_stored(server: str, page) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, server)

    # The library, from the header; a name the server would refuse is marked at its field.
    page.get_by_test_id("nav-modules").click()
    expect(page.get_by_test_id("modules-empty")).to_be_visible()
    page.get_by_test_id("module-name").fill("Price VAT")
    expect(page.get_by_test_id("module-name-error")).to_be_visible()
    expect(page.get_by_test_id("module-name")).to_have_attribute("aria-invalid", "true")
    page.get_by_test_id("module-name").fill("price_with_vat")
    expect(page.get_by_test_id("module-name-error")).to_have_count(0)
    page.get_by_test_id("module-description").fill("Adds VAT")
    page.get_by_test_id("module-create-submit").click()
    expect(page.get_by_test_id("module-editor")).to_be_visible()
    assert page.url.endswith("#/modules/price_with_vat")
    expect(page.get_by_test_id("module-valid")).to_be_visible()  # "return input;"

    # Code that does not parse: saved a moment later, and the error marked at its line.
    write_code(page, BROKEN)
    saved(page)
    error = page.get_by_test_id("module-problem")
    expect(error).to_have_attribute("data-line", "2")
    expect(error).to_contain_text("Line 2")
    editor = page.get_by_test_id("module-code-editor")
    expect(editor.locator(".cm-lintRange-error")).to_have_count(1)
    expect(editor.locator(".cm-lint-marker-error")).to_be_visible()
    assert editor.locator(".cm-line").nth(1).locator(".cm-lintRange-error").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "builder-module-error.png"))
    with api(server) as http:
        stored = http.get("/modules/price_with_vat").json()
        assert stored["code"] == BROKEN

    # Fixed (and saved with Ctrl+S): no more problems.
    write_code(page, FIXED)
    page.keyboard.press("Control+S")
    saved(page)
    expect(page.get_by_test_id("module-valid")).to_be_visible()
    expect(page.get_by_test_id("module-problem")).to_have_count(0)
    expect(editor.locator(".cm-lintRange-error")).to_have_count(0)

    # A test case, run: it passes.
    page.get_by_test_id("case-add").click()
    case = page.get_by_test_id("test-case")
    case.get_by_test_id("case-name").fill("ten")
    case.get_by_test_id("case-input").fill('{"price": 10}')
    case.get_by_test_id("case-expected").fill('{"total": 12}')
    page.get_by_test_id("module-run-tests").click()
    result = page.get_by_test_id("test-result")
    expect(result).to_have_attribute("data-passed", "true")
    expect(page.get_by_test_id("test-summary")).to_have_text("1 of 1 passed.")
    expect(result.get_by_test_id("test-result-output")).to_contain_text('"total": 12')

    # Published as version 1, listed with its code.
    page.get_by_test_id("module-publish-changelog").fill("First version")
    page.get_by_test_id("module-publish").click()
    expect(page.get_by_test_id("module-publish-result")).to_have_attribute("data-version", "1")
    expect(page.get_by_test_id("module-latest")).to_have_attribute("data-version", "1")
    version = page.locator('[data-testid="module-version"][data-version="1"]')
    expect(version).to_contain_text("First version")
    expect(version).to_contain_text("admin@example.com")  # who published, by name
    version.get_by_test_id("module-version-view").click()
    expect(version.get_by_test_id("module-version-editor")).to_contain_text("input.price * rate")
    page.get_by_test_id("module-title").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "builder-module-editor.png"))
    with api(server) as http:
        published = http.get("/modules/price_with_vat/versions/1").json()
        assert published["code"] == FIXED and published["changelog"] == "First version"
        assert http.get("/modules/price_with_vat").json()["test_cases"] == [
            {"name": "ten", "input": {"price": 10}, "expected": {"total": 12}}]

    # The list shows it published.
    page.get_by_test_id("module-back").click()
    row = page.locator('[data-testid="module-item"][data-module="price_with_vat"]')
    expect(row.get_by_test_id("module-row-version")).to_have_text("Version 1")

    # A secret: stored, listed by name, its value never shown.
    page.get_by_test_id("library-tab-secrets").click()
    expect(page.get_by_test_id("secrets-empty")).to_be_visible()
    page.get_by_test_id("secret-name").fill("CRM_TOKEN")
    page.get_by_test_id("secret-value").fill("s3cret-crm-value")
    page.get_by_test_id("secret-save").click()
    expect(page.get_by_test_id("secret-item-name")).to_have_text(["CRM_TOKEN"])
    expect(page.get_by_test_id("secret-value")).to_have_value("")
    assert "s3cret-crm-value" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "builder-secrets.png"))
    with api(server) as http:
        assert [s["name"] for s in http.get("/secrets").json()] == ["CRM_TOKEN"]
    assert problems == []
