"""An LLM answer streaming into the website widget in a real browser: a real `rozmova serve`
asks the fake OpenAI-compatible server (`python -m llm.fake_server --stream-delay 0.08`, which
echoes the last user message one word a chunk), and the widget shows the answer growing in a
busy bubble, then the stored message taking its place (same stream id, no duplicate), and the
conversation goes on. A message typed while an answer is written shows at once and gets its
own whole answer, and cuts the first answer short ("answer interrupted").

Needs Debian's `chromium` on PATH and a built widget (`cd builder-ui && npm ci && npm run
build`); skipped otherwise. The screenshot goes to `test-artifacts/widget-streaming.png`."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser.test_widget import (  # noqa: F401  (_clean_state, browser, page: fixtures)
    ARTIFACTS,
    CHROMIUM,
    PASSWORD,
    ROOT,
    TIMEOUT_MS,
    WIDGET,
    Server,
    _clean_state,
    browser,
    free_port,
    log,
    page,
    say,
    widget,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
expect = sync_api.expect
expect.set_options(timeout=TIMEOUT_MS)

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not WIDGET.is_file(), reason=f"the widget is not built ({WIDGET} is missing: "
                       "cd builder-ui && npm ci && npm run build)"),
]

STREAM_DELAY = 0.08  # seconds between the fake's chunks (one a word)
# 12 words: the echo ("Echo: " + these) is 14 words, about 1.1 s written out.
TWELVE = "the quick brown fox jumps over the lazy dog near the river"
# 40 words: about 3.4 s written out, long enough to be cut short.
FORTY = " ".join(f"word{i}" for i in range(40))

# The streaming bubble and its text, read in one go inside the shadow root (null when there
# is none): a locator would wait for a bubble that the stored message has just replaced.
READ_STREAM = """() => {
  const root = document.querySelector('[data-rozmova-widget]')?.shadowRoot;
  const el = root?.querySelector('.msg.streaming[data-stream-id]');
  if (!el) return null;
  return {id: el.dataset.streamId, busy: el.getAttribute('aria-busy'), classes: [...el.classList],
          text: el.querySelector('.bub')?.textContent ?? ''};
}"""


def scenario() -> dict[str, Any]:
    """Ask, answer with the model (said, streamed), ask again (tests/llm/test_streaming.py)."""
    return {
        "schema_version": 2, "entry": {"start": "ask"},
        "variables": [{"name": "said", "type": "string"}],
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "said", "prompt": {"uk": "Так?", "en": "Yes?"}}},
            {"id": "model", "type": "llm", "settings": {
                "provider": "local", "mode": "generate", "say": True,
                "prompt": {"uk": "{{said}}", "en": "{{said}}"}, "cache": False}},
            {"id": "failed", "type": "message", "settings": {"text": {
                "uk": "Збій моделі.", "en": "The model failed."}}}],
        "edges": [{"source": "ask", "target": "model"},
                  {"source": "model", "port": "next", "target": "ask"},
                  {"source": "model", "port": "error", "target": "failed"},
                  {"source": "model", "port": "timeout", "target": "failed"},
                  {"source": "failed", "target": "ask"}]}


@pytest.fixture(scope="module")
def fake_llm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`python -m llm.fake_server` in its own process; yields its port."""
    port = free_port()
    output = tmp_path_factory.mktemp("fake-llm") / "fake.log"
    with output.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "llm.fake_server", "--port", str(port),
             "--stream-delay", str(STREAM_DELAY)],
            cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    try:
        # It says so once it listens.
        deadline = time.monotonic() + 30
        while f"Fake OpenAI-compatible API at http://127.0.0.1:{port}/v1" not in output.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the fake LLM server did not start: " + output.read_text())
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, fake_llm: int) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("streaming-server"))
    # The fake listens on loopback, which the platform refuses unless the operator allows it.
    running.env["ROZMOVA_HTTP_ALLOW"] = f"127.0.0.1:{fake_llm}"
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def chat_key(platform: Server, fake_llm: int) -> str:
    """An owner's provider (the fake), a published streaming bot, and its chat key."""
    with httpx.Client(base_url=platform.base, timeout=20) as http:
        login = http.post("/api/v1/auth/login",
                          json={"email": "admin@example.com", "password": PASSWORD})
        login.raise_for_status()
        http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"

        def ok(response: httpx.Response, *statuses: int) -> dict[str, Any]:
            assert response.status_code in (statuses or (200, 201)), (
                response.request.method, response.request.url, response.status_code, response.text)
            return response.json()

        ok(http.put("/api/v1/secrets/LLM_KEY", json={"value": "sk-anything"}))
        ok(http.put("/api/v1/llm/providers/local", json={
            "kind": "openai_compatible", "model": "fake-small",
            "api_base": f"http://127.0.0.1:{fake_llm}/v1", "secret": "LLM_KEY",
            "timeout_seconds": 20}))
        # Reached at all (the address allowed, the key accepted): a clear failure here rather
        # than "The model failed." in the browser.
        tested = ok(http.post("/api/v1/llm/providers/local/test"))
        assert tested.get("ok") is True, tested
        bot = ok(http.post("/api/v1/bots", json={
            "name": "Streaming", "default_language": "en", "languages": ["en", "uk"]}))
        created = ok(http.post(f"/api/v1/bots/{bot['id']}/scenarios",
                               json={"name": "main", "document": scenario()}), 201)
        ok(http.post(f"/api/v1/scenarios/{created['id']}/publish", json={}), 201)
        key = ok(http.get(f"/api/v1/bots/{bot['id']}/chat-key"))["key"]
        # One answer over REST first: the server's first streamed model call stalls its event
        # loop for a moment (litellm's lazy set-up), which would hand the browser the first
        # words of the first answer in one piece.
        chat = {"X-Chat-Key": key}
        started = ok(http.post("/api/v1/conversations", json={"language": "en"}, headers=chat))
        answered = ok(http.post(f"/api/v1/conversations/{started['conversation_id']}/messages",
                                json={"text": "warm up", "client_message_id": "warm-up"},
                                headers=chat))
        assert [m.get("text") for m in answered["messages"]][:1] == ["Echo: warm up"], answered
        return key


def open_chat(page, platform: Server, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The platform's own demo page (its origin needs no allow-list) with the bot's widget,
    open; English, since the page's browser context is en-US. Returns the page's errors."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{platform.base}/demo?key={key}")
    expect(widget(page).get_by_role("dialog")).to_be_visible()
    expect(log(page)).to_contain_text("Yes?")
    expect(widget(page).locator(".rz")).to_have_attribute("data-status", "online")
    return problems


def final(page, stream_id: str):  # type: ignore[no-untyped-def]
    return log(page).locator(f'.msg[data-stream-id="{stream_id}"]:not(.streaming)')


def answer_to(page, text: str):  # type: ignore[no-untyped-def]
    """The bot's stored (not streaming) answer echoing `text`."""
    return log(page).locator(".msg.out[data-stream-id]:not(.streaming)").filter(
        has=page.locator(".bub", has_text=f"Echo: {text}"))


def test_an_answer_grows_in_the_widget_and_the_stored_message_replaces_it(
        platform: Server, chat_key: str, page) -> None:  # type: ignore[no-untyped-def]
    problems = open_chat(page, platform, chat_key)
    full = f"Echo: {TWELVE}"
    say(page, TWELVE)

    # The answer's bubble: a bot message, busy while it is written.
    expect(log(page).locator(".msg.streaming[data-stream-id]")).to_have_count(1)
    # Poll it while it is written, recording each text seen.
    seen: list[str] = []
    stream_id: str | None = None
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while (state := page.evaluate(READ_STREAM)) is not None:
        assert time.monotonic() < deadline, f"still streaming after {TIMEOUT_MS} ms: {seen}"
        stream_id = stream_id or state["id"]
        assert state["id"] == stream_id and state["busy"] == "true", state
        assert state["classes"] == ["msg", "out", "streaming"], state
        if state["text"] and (not seen or seen[-1] != state["text"]):
            seen.append(state["text"])
        page.wait_for_timeout(25)
    assert stream_id, "the streaming bubble was gone before it was read"
    # Every text seen is a prefix of the answer (the last may be all of it: the bubble holds
    # the whole text until the stored message takes its place), each longer than the one
    # before, and at least two were proper prefixes: it grew in the browser, not at once.
    assert all(t and full.startswith(t) for t in seen), seen
    assert all(len(a) < len(b) for a, b in zip(seen, seen[1:])), seen
    assert len([t for t in seen if t != full]) >= 2, seen

    # The stored message took the bubble's place: same stream id, once, not busy.
    done = final(page, stream_id)
    expect(done.locator(".bub")).to_have_text(full)
    expect(log(page).locator(f'[data-stream-id="{stream_id}"]')).to_have_count(1)
    expect(log(page).locator(".msg.streaming")).to_have_count(0)
    expect(done).not_to_have_attribute("aria-busy", "true")
    expect(done.locator(".note.incomplete")).to_have_count(0)
    assert log(page).locator(".msg.in", has_text=TWELVE).count() == 1

    # The conversation goes on: a second message, its own whole answer.
    expect(widget(page).locator("form input")).to_be_enabled()
    say(page, "and again")
    expect(answer_to(page, "and again").locator(".bub")).to_have_text("Echo: and again")
    expect(log(page).locator(".msg.streaming")).to_have_count(0)
    assert log(page).locator(".msg.out[data-stream-id]").count() == 2
    assert problems == []


def write_while_streaming(page, first: str, second: str) -> str:  # type: ignore[no-untyped-def]
    """Sends `first`, waits until some of its answer is shown (beyond the first piece), sends
    `second` while it is still written; returns the first answer's stream id."""
    say(page, first)
    bubble = log(page).locator(".msg.streaming[data-stream-id]")
    expect(bubble.locator(".bub")).to_contain_text("word1")
    stream_id = bubble.get_attribute("data-stream-id")
    assert stream_id
    expect(widget(page).locator("form input")).to_be_enabled()  # not locked while it streams
    say(page, second)
    # The person's words show at once.
    expect(log(page).locator(".msg.in", has_text=second)).to_be_visible()
    return stream_id


def test_a_message_sent_while_an_answer_streams_gets_its_own_answer(
        platform: Server, chat_key: str, page) -> None:  # type: ignore[no-untyped-def]
    problems = open_chat(page, platform, chat_key)
    full = f"Echo: {FORTY}"
    stream_id = write_while_streaming(page, FORTY, "stop please")

    # The second message's own whole answer, not marked; after it, nothing is left streaming.
    second = answer_to(page, "stop please")
    expect(second.locator(".bub")).to_have_text("Echo: stop please")
    expect(second.locator(".note.incomplete")).to_have_count(0)
    assert second.get_attribute("data-stream-id") != stream_id
    expect(log(page).locator(".msg.streaming")).to_have_count(0)
    # The first answer was stored (whole or cut short): in the bubble's place, once.
    first = final(page, stream_id)
    expect(first).to_have_count(1)
    expect(log(page).locator(f'[data-stream-id="{stream_id}"]')).to_have_count(1)
    text = first.locator(".bub").text_content() or ""
    assert text and full.startswith(text), text
    assert log(page).locator(".msg.in", has_text="stop please").count() == 1
    assert log(page).locator(".msg.in", has_text=FORTY).count() == 1
    expect(widget(page).locator("form input")).to_be_enabled()
    assert problems == []

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-streaming.png"))


def test_a_new_message_cuts_the_answer_short_in_the_widget(
        platform: Server, chat_key: str, page) -> None:  # type: ignore[no-untyped-def]
    open_chat(page, platform, chat_key)
    full = f"Echo: {FORTY}"
    stream_id = write_while_streaming(page, FORTY, "stop please")
    # Once the second answer is there, the first one is final either way.
    expect(answer_to(page, "stop please").locator(".bub")).to_have_text("Echo: stop please")
    cut = final(page, stream_id)
    expect(cut).to_have_count(1)
    text = cut.locator(".bub").text_content() or ""
    # Kept as far as it was written, marked interrupted.
    assert text and full.startswith(text) and len(text) < len(full), (
        f"the answer was written to the end ({len(text.split())} words) although the person "
        "wrote again while it streamed")
    assert cut.locator(".note.incomplete").count() == 1
    expect(cut.locator(".note.incomplete")).to_have_text("answer interrupted")
