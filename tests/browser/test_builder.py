"""The visual builder in a real browser against a real `rozmova serve`: log in, create a bilingual
bot and a scenario, build it on the canvas (a block from the palette, its texts in both
languages, a connection dragged between ports), autosave, chat with the draft in the test
panel while the waiting block is highlighted, publish, and the 409 path when someone else
saved the draft meanwhile.

Needs Debian's `chromium` on PATH and a built builder (`cd builder-ui && npm ci && npm run
build`); skipped otherwise. Screenshots go to `test-artifacts/`."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.browser.test_widget import (  # noqa: F401  (_clean_state, browser: fixtures)
    ARTIFACTS,
    CHROMIUM,
    LAUNCH_ARGS,
    PASSWORD,
    ROOT,
    TIMEOUT_MS,
    Server,
    _clean_state,
    browser,
    free_port,
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


@pytest.fixture(scope="module")
def telegram() -> Iterator[str]:
    """`rozmova dev fake-telegram`: a pretend Telegram (token 1:local-demo) on a port."""
    port = free_port()
    fake = subprocess.Popen([sys.executable, "-m", "gateway.cli", "dev", "fake-telegram",
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/_chat/1:local-demo", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        yield base
    finally:
        fake.terminate()
        fake.wait(30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, telegram: str) -> Iterator[str]:
    running = Server(tmp_path_factory.mktemp("builder-server"))
    running.env["ROZMOVA_TELEGRAM_API_URL"] = telegram
    running.start()
    try:
        yield running.base
    finally:
        running.stop()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@functools.cache
def _token(server: str) -> str:
    """One login per server for the tests' own API calls: logins are rate limited per
    account and address, and the browser sessions log in too."""
    answer = httpx.post(f"{server}/api/v1/auth/login", json={
        "email": "admin@example.com", "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def api(server: str) -> httpx.Client:
    return httpx.Client(base_url=f"{server}/api/v1", timeout=10,
                        headers={"Authorization": f"Bearer {_token(server)}"})


def log_in(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/builder")
    page.get_by_test_id("login-email").fill("admin@example.com")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("bots-list")).to_be_visible()


def saved(page) -> None:  # type: ignore[no-untyped-def]
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")


def add_block(page, block_type: str, block_id: str, texts: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    """A block from the palette, selected, with its texts (a message's text, an input's
    question) written in each language."""
    page.get_by_test_id(f"palette-{block_type}").click()
    node = page.get_by_test_id(f"node-{block_id}")
    expect(node).to_be_visible()
    node.click()
    for language, text in (texts or {}).items():
        page.get_by_test_id(f"inspector-text-{language}").fill(text)


def connect(page, source: str, port: str, target: str) -> None:  # type: ignore[no-untyped-def]
    """Drag from a block's port to another block's input, with every block in view first
    (the canvas's fit-view control)."""
    page.locator(".react-flow__controls-fitview").click()
    page.get_by_test_id(f"handle-{source}-{port}").drag_to(
        page.get_by_test_id(f"handle-{target}-in"))


def stored(server: str, scenario_id: str) -> dict:
    with api(server) as http:
        found = http.get(f"/scenarios/{scenario_id}").json()
    return found.get("draft") or found.get("document")


def test_build_test_and_publish_a_bilingual_bot(server: str, page) -> None:  # type: ignore[no-untyped-def]
    """The issue's path: log in, a bilingual bot, message → input → condition → two messages
    built on the canvas, a validation error seen and fixed, the draft in the test chat with
    the highlight moving, publish, a second version, the diff, and a rollback to version 1."""
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
    scenario_id = page.url.rsplit("/", 1)[-1]

    # message (the starter's greeting) -> input -> condition -> two messages.
    add_block(page, "input", "input_1", {"uk": "Як вас звати?", "en": "What is your name?"})
    connect(page, "greeting", "next", "input_1")
    add_block(page, "condition", "condition_1")  # (by default: is the language the bot's?)
    connect(page, "input_1", "next", "condition_1")
    add_block(page, "message", "message_1")
    connect(page, "condition_1", "true", "message_1")
    saved(page)
    # The new message has no text yet: the validation panel says so, at that block.
    problem = page.get_by_test_id("validation-item").filter(has_text="message_1")
    expect(problem.first).to_be_visible()
    problem.first.click()
    expect(page.get_by_test_id("inspector")).to_have_attribute("data-block-id", "message_1")
    page.get_by_test_id("inspector-text-uk").fill("Раді бачити, {{answer}}!")
    page.get_by_test_id("inspector-text-en").fill("Good to see you, {{answer}}!")
    saved(page)
    expect(page.get_by_test_id("validation-item").filter(has_text="message_1")).to_have_count(0)
    add_block(page, "message", "message_2", {"uk": "Hello in English, {{answer}}!",
                                             "en": "Hello, {{answer}}!"})
    connect(page, "condition_1", "false", "message_2")
    saved(page)
    document = stored(server, scenario_id)
    assert [b["id"] for b in document["blocks"]] == [
        "greeting", "input_1", "condition_1", "message_1", "message_2"]
    assert sorted((e["source"], e["port"], e["target"]) for e in document["edges"]) == [
        ("condition_1", "false", "message_2"), ("condition_1", "true", "message_1"),
        ("greeting", "next", "input_1"), ("input_1", "next", "condition_1")]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "builder-editor.png"))

    # The draft in the test chat, over the widget's WebSocket (resuming the preview): the
    # waiting block lights up, then the path it took.
    sockets: list = []
    sent: list[dict] = []
    received: list[dict] = []
    rest_turns: list[str] = []

    def on_socket(ws) -> None:  # type: ignore[no-untyped-def]
        sockets.append(ws)
        ws.on("framesent", lambda payload: sent.append(json.loads(payload)))
        ws.on("framereceived", lambda payload: received.append(json.loads(payload)))

    page.on("websocket", on_socket)
    page.on("request", lambda request: rest_turns.append(request.url)
            if request.method == "POST" and request.url.endswith("/messages") else None)
    page.get_by_test_id("test-start").click()
    messages = page.get_by_test_id("chat-message")
    expect(messages.filter(has_text="Як вас звати?")).to_be_visible()
    expect(page.get_by_test_id("node-input_1")).to_have_attribute("data-waiting", "true")
    expect(page.get_by_test_id("test-connection")).to_have_attribute("data-state", "online")
    assert [ws.url.split("?")[0] for ws in sockets] == [
        server.replace("http", "ws", 1) + "/ws/v1/chat"]
    hello = sent[0]
    assert hello["type"] == "hello" and hello["batch"] is True
    assert hello["resume"]["last_seq"] >= 1  # the greeting came with POST /preview
    welcome = next(f for f in received if f["type"] == "welcome")
    assert welcome["resumed"] is True

    def frames() -> list[dict]:  # what the server sent, batches unwrapped
        return [i for f in received for i in (f["frames"] if f["type"] == "batch" else [f])]

    def inputs(count: int) -> list[dict]:
        """The server's `input` frames, once there are `count` (Playwright reports a frame a
        little after the page has handled it)."""
        for _ in range(100):
            found = [f for f in frames() if f["type"] == "input"]
            if len(found) >= count:
                break
            page.wait_for_timeout(50)
        return found

    # the highlight follows the socket's `input` frames
    assert [f["input"]["block_id"] for f in inputs(1)] == ["input_1"]
    page.get_by_test_id("chat-input").fill("Олена")
    page.get_by_test_id("chat-send").click()
    expect(messages.filter(has_text="Раді бачити, Олена!")).to_be_visible()
    assert [f.get("text") for f in sent if f["type"] == "message"] == ["Олена"]
    assert rest_turns == []  # the turn went over the socket, not REST
    expect(messages.filter(has_text="Як вас звати?")).to_have_count(1)  # nothing shown twice
    assert [f["ended"] for f in inputs(2)] == [False, True]
    expect(page.get_by_test_id("chat-ended")).to_be_visible()
    expect(page.get_by_test_id("node-condition_1")).to_have_attribute("data-visited", "true")
    expect(page.get_by_test_id("node-input_1")).not_to_have_attribute("data-waiting", "true")
    page.get_by_test_id("trace-toggle").last.click()
    expect(page.get_by_test_id("trace-step").filter(has_text="condition_1").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "builder-test-chat.png"))

    # Version 1, then a change published as version 2.
    page.get_by_test_id("publish-changelog").fill("Перша версія")
    page.get_by_test_id("publish-button").click()
    expect(page.get_by_test_id("publish-result")).to_have_attribute("data-version", "1")
    page.get_by_test_id("node-message_1").click()
    page.get_by_test_id("inspector-text-uk").fill("Вітаємо, {{answer}}!")
    saved(page)
    page.get_by_test_id("publish-changelog").fill("Інше привітання")
    page.get_by_test_id("publish-button").click()
    expect(page.get_by_test_id("publish-result")).to_have_attribute("data-version", "2")

    # The diff of version 1 against the draft marks the changed block; roll back to 1.
    page.get_by_test_id("tab-versions").click()
    first = page.get_by_test_id("version-row").filter(
        has=page.locator('[data-version="1"]')) if False else page.locator(
        '[data-testid="version-row"][data-version="1"]')
    expect(page.locator('[data-testid="version-row"][data-version="2"]')).to_have_attribute(
        "data-live", "true")
    first.get_by_test_id("version-diff").click()
    expect(page.get_by_test_id("node-message_1")).to_have_attribute("data-diff", "changed")
    expect(page.get_by_test_id("node-input_1")).not_to_have_attribute("data-diff", "changed")
    page.get_by_test_id("diff-close").click()
    first.get_by_test_id("version-rollback").click()
    page.get_by_test_id("rollback-confirm").click()
    expect(page.get_by_test_id("rollback-result")).to_have_attribute("data-version", "3")
    with api(server) as http:
        assert http.get(f"/scenarios/{scenario_id}").json()["live_version"] == 3
        live = http.get(f"/scenarios/{scenario_id}/versions/3").json()
        texts = {b["id"]: b["settings"].get("text") for b in live["document"]["blocks"]}
        assert texts["message_1"]["uk"] == "Раді бачити, {{answer}}!"  # version 1's
    assert problems == []


def test_a_second_session_editing_the_same_draft_gets_the_conflict_nothing_lost(
        server: str, browser) -> None:  # type: ignore[no-untyped-def]
    with api(server) as http:
        bot = http.post("/bots", json={"name": "Конфлікт", "default_language": "uk",
                                       "languages": ["uk", "en"]}).json()
        scenario = http.post(f"/bots/{bot['id']}/scenarios", json={"name": "main"}).json()
    sessions = []
    for _ in range(2):  # two authors (or two windows), each logged in on its own
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        log_in(page, server)
        page.goto(f"{server}/builder#/scenarios/{scenario['id']}")
        expect(page.get_by_test_id("node-greeting")).to_be_visible()
        saved(page)
        sessions.append((context, page))
    (_, first), (_, second) = sessions
    try:
        first.get_by_test_id("palette-message").click()
        expect(first.get_by_test_id("node-message_1")).to_be_visible()
        saved(first)
        # The second session still edits revision 1: its save is refused, and it says so.
        second.get_by_test_id("palette-input").click()
        expect(second.get_by_test_id("conflict-banner")).to_be_visible()
        expect(second.get_by_test_id("node-input_1")).to_be_visible()  # its edit is kept
        second.screenshot(path=str(ARTIFACTS / "builder-conflict.png"))
        # "Reload theirs": the first session's draft, and nothing of it lost.
        second.get_by_test_id("conflict-reload").click()
        expect(second.get_by_test_id("node-message_1")).to_be_visible()
        saved(second)
        assert [b["id"] for b in stored(server, scenario["id"])["blocks"]] == [
            "greeting", "message_1"]
        # Editing goes on from there, in either session.
        second.get_by_test_id("palette-input").click()
        saved(second)
        assert [b["id"] for b in stored(server, scenario["id"])["blocks"]] == [
            "greeting", "message_1", "input_1"]
    finally:
        for context, _ in sessions:
            context.close()


def test_a_bots_channels_and_widget_from_its_settings(server: str, telegram: str,
                                                      page) -> None:  # type: ignore[no-untyped-def]
    """The demo bot's settings: the embed snippet with its chat key, allowed origins saved,
    and Telegram connected in polling mode against the pretend Telegram, where a person then
    talks to the bot; then disconnected."""
    log_in(page, server)
    page.get_by_test_id("bot-row").filter(has_text="Demo").click()
    page.get_by_test_id("bot-tab-settings").click()
    expect(page.get_by_test_id("embed-snippet")).to_contain_text('data-bot="rzc_demo"')
    expect(page.get_by_test_id("embed-snippet")).to_contain_text(f"{server}/widget.js")
    page.get_by_test_id("origins-add").click()
    page.get_by_test_id("origins-input").last.fill("https://shop.example.com")
    page.get_by_test_id("origins-save").click()
    expect(page.get_by_test_id("widget-saved")).to_be_visible()
    with api(server) as http:
        demo = next(b for b in http.get("/bots").json()["items"] if b["name"] == "Demo")
        assert "https://shop.example.com" in demo["settings"]["allowed_origins"]

    page.get_by_test_id("telegram-token").fill("1:local-demo")
    page.get_by_test_id("telegram-mode").select_option("polling")
    page.get_by_test_id("telegram-connect").click()
    expect(page.get_by_test_id("telegram-status")).to_have_attribute("data-status", "active")
    expect(page.get_by_test_id("channel-telegram")).to_contain_text("local_demo_bot")
    assert "1:local-demo" not in page.content()  # the token is never shown back
    page.screenshot(path=str(ARTIFACTS / "builder-bot-settings.png"))
    httpx.post(f"{telegram}/_say/1:local-demo", json={"text": "/start"})
    for _ in range(100):
        said = httpx.get(f"{telegram}/_chat/1:local-demo").json()
        if said:
            break
        time.sleep(0.1)
    assert said and said[0]["text"].startswith("Hi! I am the coffee shop demo bot.")
    page.get_by_test_id("telegram-disconnect").click()
    page.get_by_test_id("telegram-disconnect-confirm").click()
    expect(page.get_by_test_id("telegram-connect")).to_be_visible()


def test_undo_redo_and_copy_paste_between_scenarios(server: str, page) -> None:  # type: ignore[no-untyped-def]
    with api(server) as http:
        bot = http.post("/bots", json={"name": "Буфер", "default_language": "uk",
                                       "languages": ["uk", "en"]}).json()
        source = http.post(f"/bots/{bot['id']}/scenarios", json={"name": "one"}).json()
        target = http.post(f"/bots/{bot['id']}/scenarios", json={"name": "two"}).json()
    log_in(page, server)
    page.goto(f"{server}/builder#/scenarios/{source['id']}")
    expect(page.get_by_test_id("node-greeting")).to_be_visible()
    add_block(page, "message", "message_1", {"uk": "Копія", "en": "A copy"})
    saved(page)
    page.get_by_test_id("undo").click()  # the texts, then the block itself
    page.get_by_test_id("undo").click()
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("node-message_1")).to_have_count(0)
    saved(page)
    assert [b["id"] for b in stored(server, source["id"])["blocks"]] == ["greeting"]
    for _ in range(3):
        page.get_by_test_id("redo").click()
    expect(page.get_by_test_id("node-message_1")).to_be_visible()
    saved(page)
    assert stored(server, source["id"])["blocks"][1]["settings"]["text"] == {
        "uk": "Копія", "en": "A copy"}
    # Copied here, pasted into another scenario of the bot.
    page.get_by_test_id("node-message_1").click()
    page.get_by_test_id("copy").click()
    page.goto(f"{server}/builder#/scenarios/{target['id']}")
    expect(page.get_by_test_id("node-greeting")).to_be_visible()
    page.get_by_test_id("paste").click()
    expect(page.get_by_test_id("paste-notice")).to_be_visible()
    saved(page)
    pasted = stored(server, target["id"])["blocks"]
    assert len(pasted) == 2 and pasted[1]["settings"]["text"] == {"uk": "Копія", "en": "A copy"}


def test_intents_tried_and_an_entity_renamed_in_the_nlu_panel(server: str, page) -> None:  # type: ignore[no-untyped-def]
    """The intents-and-entities panel against the real server: a phrase tried against the
    section as edited (its intent, and the fallback for an unrelated one), then an entity
    renamed with the blocks naming it following, saved."""
    from tests.nlu.test_intent_block import INTENTS

    city = {"name": "city", "kind": "list", "values": [
        {"value": "Kyiv", "synonyms": {"uk": ["Київ"], "en": ["Kyiv"]}}]}
    document = {
        "schema_version": 2, "entry": {"start": "ask"},
        "variables": [{"name": "said", "type": "string"}, {"name": "found", "type": "any"}],
        "nlu": {"intents": INTENTS, "entities": [city]},
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "said", "prompt": {"uk": "Так?", "en": "Yes?"}}},
            {"id": "where", "type": "entities", "settings": {"entities": ["city", "number"]}},
            {"id": "route", "type": "intent", "settings": {
                "intents": [i["name"] for i in INTENTS]}},
            {"id": "done", "type": "message", "settings": {"text": {"uk": "Так.", "en": "Yes."}}},
        ],
        "edges": [{"source": "ask", "target": "where"},
                  {"source": "where", "port": "found", "target": "route"},
                  {"source": "where", "port": "not_found", "target": "route"},
                  *({"source": "route", "port": port, "target": "done"}
                    for port in [i["name"] for i in INTENTS] + ["fallback"])],
    }
    with api(server) as http:
        bot = http.post("/bots", json={"name": "Наміри", "default_language": "uk",
                                       "languages": ["uk", "en"]}).json()
        created = http.post(f"/bots/{bot['id']}/scenarios",
                            json={"name": "main", "document": document})
        assert created.status_code == 201, created.text
        scenario = created.json()
    log_in(page, server)
    page.goto(f"{server}/builder#/scenarios/{scenario['id']}")
    expect(page.get_by_test_id("node-route")).to_be_visible()
    # The intent block is drawn with a port per intent, none of them broken.
    for port in [i["name"] for i in INTENTS] + ["fallback", "error"]:
        expect(page.get_by_test_id(f"handle-route-{port}")).to_have_count(1)
    expect(page.get_by_test_id("node-route").locator(".port--stray")).to_have_count(0)
    expect(page.get_by_test_id("nlu-manager")).to_be_visible()

    panel = page.get_by_test_id("nlu-try")
    panel.get_by_test_id("nlu-try-text").fill("коли приїде моє замовлення?")
    panel.get_by_test_id("nlu-try-submit").click()
    expect(panel.get_by_test_id("nlu-try-intent")).to_have_attribute("data-intent",
                                                                      "order_status")
    expect(panel.get_by_test_id("nlu-try-row").first).to_have_attribute("data-intent",
                                                                        "order_status")
    panel.get_by_test_id("nlu-try-text").fill("розкажи анекдот про пінгвінів")
    panel.get_by_test_id("nlu-try-submit").click()
    expect(panel.get_by_test_id("nlu-try-intent")).to_have_attribute("data-intent", "")
    panel.get_by_test_id("nlu-try-text").fill("доставте в Київ")
    panel.get_by_test_id("nlu-try-submit").click()
    expect(panel.get_by_test_id("nlu-try-entities")).to_contain_text("Kyiv")
    page.screenshot(path=str(ARTIFACTS / "builder-nlu-try.png"))
    # The check-up of the section's intents: every intent listed with its share recognised.
    page.get_by_test_id("nlu-check-submit").click()
    expect(page.get_by_test_id("nlu-check-accuracy")).to_be_visible()
    expect(page.get_by_test_id("nlu-check-row")).to_have_count(len(INTENTS))
    page.get_by_test_id("nlu-check").screenshot(path=str(ARTIFACTS / "builder-nlu-check.png"))

    page.get_by_test_id("nlu-entity-name-0").fill("town")
    expect(page.get_by_test_id("nlu-entity-rename-box-0")).to_contain_text("where")
    page.get_by_test_id("nlu-entity-rename-0").click()
    saved(page)
    draft = stored(server, scenario["id"])
    assert [e["name"] for e in draft["nlu"]["entities"]] == ["town"]
    where = next(b for b in draft["blocks"] if b["id"] == "where")
    assert where["settings"]["entities"] == ["town", "number"]

    # The intent block routes by the section's intents picked from a list: one unticked,
    # its port goes (its edge stays, drawn as broken, for the author to remove).
    page.get_by_test_id("node-route").click()
    page.get_by_test_id("intent-pick-cancel").uncheck()
    saved(page)
    route = next(b for b in stored(server, scenario["id"])["blocks"] if b["id"] == "route")
    assert route["settings"]["intents"] == ["change_address", "order_status"]
    expect(page.get_by_test_id("node-route").locator(".port--stray")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "builder-intent-picker.png"))
