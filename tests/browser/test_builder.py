"""The visual builder in a real browser against a real `rozmova serve`: log in, create a bilingual
bot and a scenario, build it on the canvas (a block from the palette, its texts in both
languages, a connection dragged between ports), autosave, chat with the draft in the test
panel while the waiting block is highlighted, publish, and the 409 path when someone else
saved the draft meanwhile.

Needs Debian's `chromium` on PATH and a built builder (`cd builder-ui && npm ci && npm run
build`); skipped otherwise. Screenshots go to `test-artifacts/`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.browser.test_widget import (
    ARTIFACTS,
    CHROMIUM,
    LAUNCH_ARGS,
    PASSWORD,
    ROOT,
    TIMEOUT_MS,
    Server,
)

BUILDER = Path(os.environ.get("ROZMOVA_BUILDER_DIR") or ROOT / "builder-ui" / "dist" / "builder")

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


@pytest.fixture(autouse=True)
def _clean_state() -> Iterator[None]:
    """These tests use their own server process (see tests/browser/test_widget.py)."""
    yield


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    running = Server(tmp_path_factory.mktemp("builder-server"))
    running.start()
    try:
        yield running.base
    finally:
        running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def api(server: str) -> httpx.Client:
    token = httpx.post(f"{server}/api/v1/auth/login", json={
        "email": "admin@example.com", "password": PASSWORD}).json()["access_token"]
    return httpx.Client(base_url=f"{server}/api/v1", timeout=10,
                        headers={"Authorization": f"Bearer {token}"})


def log_in(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/builder")
    page.get_by_test_id("login-email").fill("admin@example.com")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("bots-list")).to_be_visible()


def saved(page) -> None:  # type: ignore[no-untyped-def]
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")


def test_build_test_and_publish_a_bilingual_bot(server: str, page) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    wrong = page.goto(f"{server}/builder")
    assert wrong is not None and wrong.status == 200
    page.get_by_test_id("login-email").fill("admin@example.com")
    page.get_by_test_id("login-password").fill("not the password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_be_visible()
    log_in(page, server)

    # A bot that speaks Ukrainian (default) and English, and a scenario for it.
    page.get_by_test_id("bot-name").fill("Кав'ярня")
    page.get_by_test_id("bot-default-language").select_option("uk")
    for language in ("uk", "en"):
        box = page.get_by_test_id(f"bot-language-{language}")
        if not box.is_checked():
            box.check()
    page.get_by_test_id("bot-create-submit").click()
    page.get_by_test_id("bot-row").filter(has_text="Кав'ярня").click()
    page.get_by_test_id("scenario-name").fill("main")
    page.get_by_test_id("scenario-create-submit").click()
    page.get_by_test_id("scenario-row").filter(has_text="main").click()
    expect(page.get_by_test_id("editor")).to_be_visible()
    expect(page.get_by_test_id("node-greeting")).to_be_visible()
    saved(page)

    # An input from the palette, its question in both languages, connected after the greeting.
    page.get_by_test_id("palette-input").click()
    node = page.get_by_test_id("node-input_1")
    expect(node).to_be_visible()
    node.click()
    page.get_by_test_id("inspector-text-uk").fill("Як вас звати?")
    page.get_by_test_id("inspector-text-en").fill("What is your name?")
    page.get_by_test_id("handle-greeting-next").drag_to(page.get_by_test_id("handle-input_1-in"))
    saved(page)
    with api(server) as http:
        scenario_id = page.url.rsplit("/", 1)[-1]
        draft = http.get(f"/scenarios/{scenario_id}").json()
        document = draft.get("draft") or draft.get("document")
        assert [b["id"] for b in document["blocks"]] == ["greeting", "input_1"]
        assert document["edges"] == [{"source": "greeting", "port": "next",
                                      "target": "input_1"}]
        assert document["blocks"][1]["settings"]["prompt"] == {
            "uk": "Як вас звати?", "en": "What is your name?"}
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "builder-editor.png"))

    # The draft in the test panel: the bot speaks, the waiting block lights up.
    page.get_by_test_id("test-start").click()
    messages = page.get_by_test_id("chat-message")
    expect(messages.filter(has_text="Як вас звати?")).to_be_visible()
    expect(page.get_by_test_id("node-input_1")).to_have_attribute("data-waiting", "true")
    page.get_by_test_id("chat-input").fill("Олена")
    page.get_by_test_id("chat-send").click()
    expect(messages.filter(has_text="Олена")).to_be_visible()
    expect(page.get_by_test_id("chat-ended")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "builder-test-chat.png"))

    # Publish it: version 1.
    page.get_by_test_id("publish-changelog").fill("Перша версія")
    page.get_by_test_id("publish-button").click()
    expect(page.get_by_test_id("publish-result")).to_have_attribute("data-version", "1")
    with api(server) as http:
        assert http.get(f"/scenarios/{scenario_id}").json()["live_version"] == 1
    assert problems == []


def test_a_draft_saved_elsewhere_meanwhile_is_a_conflict_nothing_lost(server: str,
                                                                      page) -> None:  # type: ignore[no-untyped-def]
    with api(server) as http:
        bot = http.post("/bots", json={"name": "Конфлікт", "default_language": "uk",
                                       "languages": ["uk", "en"]}).json()
        scenario = http.post(f"/bots/{bot['id']}/scenarios", json={"name": "main"}).json()
    log_in(page, server)
    page.goto(f"{server}/builder#/scenarios/{scenario['id']}")
    expect(page.get_by_test_id("node-greeting")).to_be_visible()
    saved(page)
    # Someone else saves the draft (another tab, another author, the API).
    with api(server) as http:
        current = http.get(f"/scenarios/{scenario['id']}")
        document = current.json().get("draft") or current.json().get("document")
        document["blocks"][0]["settings"]["text"]["uk"] = "Змінено деінде"
        answer = http.put(f"/scenarios/{scenario['id']}/draft", json=document,
                          headers={"If-Match": current.headers["etag"]})
        assert answer.status_code == 200, answer.text
    # This page edits its own (older) copy: the save is refused, and the page says so.
    page.get_by_test_id("palette-message").click()
    expect(page.get_by_test_id("conflict-banner")).to_be_visible()
    expect(page.get_by_test_id("node-message_1")).to_be_visible()  # the edit is kept
    page.get_by_test_id("conflict-keep").click()
    saved(page)
    with api(server) as http:
        stored = http.get(f"/scenarios/{scenario['id']}").json()
        document = stored.get("draft") or stored.get("document")
        assert [b["id"] for b in document["blocks"]] == ["greeting", "message_1"]
