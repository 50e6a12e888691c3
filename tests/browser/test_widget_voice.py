"""Answering a bot by voice in the website widget, in a real browser against a real `rozmova
serve`: Chromium records with MediaRecorder from a fake microphone that plays speech made by
espeak-ng ("my name is alice"), the widget sends the recording as one binary frame, the
server transcribes it (faster-whisper, tiny.en) and the scenario takes the transcript as if
typed: the person's bubble shows it, and the bot's answer uses it. And a server that takes no
voice (its welcome says nothing of `voice`) gets no microphone.

Needs Debian's `chromium` and `espeak-ng` on PATH and a built widget (`cd builder-ui && npm ci
&& npm run build`); skipped otherwise. The screenshot goes to
`test-artifacts/widget-voice.png`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.test_widget import (  # noqa: F401  (_clean_state: a fixture)
    ARTIFACTS,
    CHROMIUM,
    LAUNCH_ARGS,
    PASSWORD,
    TIMEOUT_MS,
    WIDGET,
    Server,
    _clean_state,
    log,
    widget,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
expect = sync_api.expect
expect.set_options(timeout=TIMEOUT_MS)

ESPEAK = shutil.which("espeak-ng")

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not WIDGET.is_file(), reason=f"the widget is not built ({WIDGET} is missing: "
                       "cd builder-ui && npm ci && npm run build)"),
    pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng): "
                       "it speaks the fake microphone's words"),
]

# English (the tiny.en model) and words Whisper gets right from espeak's voice.
SPOKEN = "my name is alice"
NAME = re.compile("alice", re.IGNORECASE)
RECORD_SECONDS = 3.0
# A transcription: the model's first load, decoding the recording, Whisper on a busy CPU.
HEARD_MS = 60_000


def scenario() -> dict[str, Any]:
    """Ask for a name (a text input), greet with it, ask again."""
    return {
        "schema_version": 2, "entry": {"start": "ask"},
        "variables": [{"name": "name", "type": "string"}],
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "name",
                "prompt": {"en": "What is your name?", "uk": "Як вас звати?"}}},
            {"id": "greet", "type": "message", "settings": {"text": {
                "en": "Nice to meet you, {{name}}", "uk": "Приємно познайомитися, {{name}}"}}}],
        "edges": [{"source": "ask", "target": "greet"}, {"source": "greet", "target": "ask"}]}


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SPOKEN as a WAV: espeak-ng's speech with silence around it. Chromium plays the file in
    a loop as the microphone; the silence keeps a 3 s recording to one whole sentence."""
    folder = tmp_path_factory.mktemp("voice")
    said = folder / "said.wav"
    subprocess.run([ESPEAK, "-v", "en-us", "-s", "140", "-w", str(said), SPOKEN], check=True,
                   timeout=60, capture_output=True)
    with wave.open(str(said), "rb") as source:
        params = source.getparams()
        frames = source.readframes(source.getnframes())

    def silence(seconds: float) -> bytes:  # whole samples of every channel
        return bytes(params.sampwidth * params.nchannels * int(params.framerate * seconds))

    padded = folder / "microphone.wav"
    with wave.open(str(padded), "wb") as out:
        out.setparams(params)
        out.writeframes(silence(0.25) + frames + silence(2))
    return padded


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("voice-server"))
    running.env["ROZMOVA_STT_ENGINES"] = "whisper"  # the offline engine, whatever the shell says
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def chat_key(platform: Server, speech: Path) -> str:
    """A published English bot asking for a name, its chat key; and the speech engine warmed
    up with the same recording (the model loads on its first transcription), which shows too
    that the server hears the name in it."""
    with httpx.Client(base_url=platform.base, timeout=30) as http:
        login = http.post("/api/v1/auth/login",
                          json={"email": "admin@example.com", "password": PASSWORD})
        login.raise_for_status()
        http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"

        def ok(response: httpx.Response, *statuses: int) -> dict[str, Any]:
            assert response.status_code in (statuses or (200, 201)), (
                response.request.method, response.request.url, response.status_code, response.text)
            return response.json()

        bot = ok(http.post("/api/v1/bots", json={
            "name": "Voice", "default_language": "en", "languages": ["en", "uk"]}))
        created = ok(http.post(f"/api/v1/bots/{bot['id']}/scenarios",
                               json={"name": "main", "document": scenario()}), 201)
        ok(http.post(f"/api/v1/scenarios/{created['id']}/publish", json={}), 201)
        key = ok(http.get(f"/api/v1/bots/{bot['id']}/chat-key"))["key"]

        job = ok(http.post("/api/v1/transcriptions", params={"language": "en"},
                           content=speech.read_bytes(), headers={"Content-Type": "audio/wav"}),
                 202)
        deadline = time.monotonic() + HEARD_MS / 1000
        while job["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline, f"the warm-up transcription took too long: {job}"
            time.sleep(0.3)
            job = ok(http.get(f"/api/v1/transcriptions/{job['id']}"))
        assert job["status"] == "done" and NAME.search(job["text"] or ""), job
        return key


@pytest.fixture(scope="module")
def voice_browser(speech: Path) -> Iterator[object]:
    """Chromium whose microphone plays `speech`, permission granted without asking (its own
    launch: the shared browser has no fake microphone)."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            *LAUNCH_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={speech}"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(voice_browser, platform: Server):  # type: ignore[no-untyped-def]
    context = voice_browser.new_context(locale="en-US", viewport={"width": 1100, "height": 800})
    context.grant_permissions(["microphone"], origin=platform.base)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def open_chat(page, platform: Server, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The platform's demo page with the bot's widget, open and online; the page's errors."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{platform.base}/demo?key={key}")
    expect(widget(page).get_by_role("dialog")).to_be_visible()
    expect(log(page)).to_contain_text("What is your name?")
    expect(widget(page).locator(".rz")).to_have_attribute("data-status", "online")
    return problems


def test_a_spoken_answer_is_transcribed_and_answered(
        platform: Server, chat_key: str, page) -> None:  # type: ignore[no-untyped-def]
    problems = open_chat(page, platform, chat_key)
    mic = widget(page).get_by_role("button", name="Record a voice message")
    expect(mic).to_be_visible()
    expect(widget(page).locator("form input")).to_be_visible()  # next to the text field

    mic.click()
    # Recording: the same button, now to stop, showing the seconds so far.
    stop = widget(page).get_by_role("button", name="Stop recording and send")
    expect(stop).to_be_visible()
    expect(stop).to_have_class(re.compile(r"\brec\b"))
    expect(stop).to_contain_text(re.compile(r"0:0[0-9]"))
    page.wait_for_timeout(RECORD_SECONDS * 1000)
    expect(stop).not_to_contain_text("0:00")  # the time went on
    stop.click()

    # The person's message shows at once, then with what the server heard.
    mine = log(page).locator(".msg.in")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("🎤")
    expect(mine).to_contain_text(NAME, timeout=HEARD_MS)
    expect(mine.locator(".bub")).to_have_text(re.compile(r"^🎤 \S"))
    answer = log(page).locator(".msg.out", has_text="Nice to meet you")
    expect(answer).to_contain_text(NAME, timeout=HEARD_MS)
    # Once each: the optimistic bubble became the echo, nothing failed.
    expect(log(page).locator(".msg.in")).to_have_count(1)
    expect(log(page).locator(".msg.failed")).to_have_count(0)
    # Asked again: the microphone is back to its idle state for the next answer.
    expect(log(page).locator(".msg.out", has_text="What is your name?")).to_have_count(2)
    expect(mic).to_be_visible()
    assert problems == [], problems

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-voice.png"))

    # The transcript is history: a reload shows it again.
    page.reload()
    expect(log(page).locator(".msg.in")).to_contain_text(NAME)
    expect(log(page).locator(".msg.out", has_text="Nice to meet you")).to_contain_text(NAME)
    expect(mic).to_be_visible()


def test_no_microphone_when_the_server_takes_no_voice(
        platform: Server, chat_key: str, page) -> None:  # type: ignore[no-untyped-def]
    """The welcome without `bot.voice` (what a server without a speech engine sends),
    made here by taking it out of the real welcome on its way to the page: the browser can
    record, the server's word decides."""
    seen: list[dict[str, Any]] = []

    def without_voice(route) -> None:  # type: ignore[no-untyped-def]
        server = route.connect_to_server()

        def to_page(message: str | bytes) -> None:
            if isinstance(message, str):
                frame = json.loads(message)
                if frame.get("type") == "welcome" and isinstance(frame.get("bot"), dict):
                    seen.append(dict(frame["bot"]))
                    frame["bot"].pop("voice", None)
                    message = json.dumps(frame)
            route.send(message)

        server.on_message(to_page)

    page.route_web_socket(re.compile(r"/ws/v1/chat"), without_voice)
    problems = open_chat(page, platform, chat_key)
    assert seen and "voice" in seen[0], f"the server's own welcome offers voice: {seen}"
    expect(widget(page).locator("form input")).to_be_visible()
    expect(widget(page).locator("button.mic")).to_be_hidden()
    # Typing still answers.
    field = widget(page).locator("form input")
    field.fill("Bob")
    field.press("Enter")
    expect(log(page).locator(".msg.out", has_text="Nice to meet you")).to_contain_text("Bob")
    assert problems == [], problems
