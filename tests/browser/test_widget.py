"""The website chat widget in a real browser against a real `rozmova serve`: the demo
conversation across a page reload, isolation from the host page's CSS, keyboard use, and
embedding on an allowed and a refused third-party origin.

Needs Debian's `chromium` on PATH and a built widget (`cd builder-ui && npm ci && npm run
build`); skipped otherwise."""

from __future__ import annotations

import functools
import http.server
import re
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
WIDGET = Path(os.environ.get("ROZMOVA_WIDGET_PATH") or ROOT / "builder-ui" / "dist" / "widget.js")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium")
PASSWORD = "browser-test-pass"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
TIMEOUT_MS = 15_000

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
expect = sync_api.expect
expect.set_options(timeout=TIMEOUT_MS)

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not WIDGET.is_file(), reason=f"the widget is not built ({WIDGET} is missing: "
                       "cd builder-ui && npm ci && npm run build)"),
]


@pytest.fixture(autouse=True)
def _clean_state() -> Iterator[None]:
    """Replaces the suite's async table cleanup: these tests use their own server process, and
    Playwright's sync API keeps an event loop running that pytest-asyncio cannot enter."""
    yield


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `rozmova serve` process on its own data directory; it can be stopped and started
    again on the same port (same origin, same database)."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "ROZMOVA_DATA_DIR": str(data), "ROZMOVA_ADMIN_PASSWORD": PASSWORD,
                    "ROZMOVA_DATABASE_URL": "", "ROZMOVA_REDIS_URL": "",
                    "ROZMOVA_DEMO_SHOP_PORT": str(free_port())}
        self.cli = [sys.executable, "-m", "gateway.cli"]
        self.log_path = data / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        subprocess.run([*self.cli, "migrate"], env=self.env, check=True, timeout=120, cwd=ROOT,
                       capture_output=True)

    def start(self) -> None:
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen([*self.cli, "serve", "--port", str(self.port)],
                                            env=self.env, cwd=ROOT, stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail("the server exited: " + self.log_path.read_text())
            try:
                if httpx.get(f"{self.base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("the server did not become ready: " + self.log_path.read_text())
        if httpx.get(f"{self.base}/widget.js", timeout=5).status_code != 200:
            pytest.fail("GET /widget.js does not serve the widget (is chat.web.router mounted?)")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("browser-server"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(running: Server) -> str:
    if running.process is None:  # a restart test failed half-way
        running.start()
    return running.base


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
    # English for predictable texts: the widget follows navigator.language.
    context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def static_site(tmp_path: Path) -> Iterator[callable]:
    """Starts plain static sites (each on its own port, i.e. its own origin)."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(html: str) -> str:
        root = tmp_path / f"site{len(servers)}"
        root.mkdir()
        (root / "index.html").write_text(html, encoding="utf-8")
        handler = functools.partial(_QuietHandler, directory=str(root))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def widget(page):  # type: ignore[no-untyped-def]
    return page.locator("[data-rozmova-widget]")


def log(page):  # type: ignore[no-untyped-def]
    return widget(page).locator("[role=log]")


def say(page, text: str) -> None:  # type: ignore[no-untyped-def]
    field = widget(page).locator("form input")
    field.fill(text)
    field.press("Enter")


def test_demo_order_survives_a_reload(server: str, page) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/demo")
    dialog = widget(page).get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(log(page)).to_contain_text("Shall we order a coffee?")

    widget(page).get_by_role("button", name="Order a coffee").click()
    expect(log(page)).to_contain_text("What should I call you?")
    say(page, "Olena")
    expect(log(page)).to_contain_text("How many cups, Olena?")
    expect(widget(page).locator("form input")).to_have_attribute("inputmode", "numeric")
    say(page, "25")
    expect(log(page)).to_contain_text("Please enter a number from 1 to 10.")
    say(page, "2")
    expect(log(page)).to_contain_text("your order: 2 ☕, 90 UAH to pay")

    # Mid-conversation reload: the stored history is shown and the conversation goes on.
    page.reload()
    expect(log(page)).to_contain_text("Please enter a number from 1 to 10.")
    expect(log(page)).to_contain_text("90 UAH to pay")
    expect(widget(page).locator(".rz")).to_have_attribute("data-status", "online")
    widget(page).get_by_role("button", name="Yes", exact=True).click()
    expect(log(page)).to_contain_text("Where should I send the receipt?")
    expect(widget(page).locator("form input")).to_have_attribute("type", "email")
    say(page, "olena@example.com")
    expect(log(page)).to_contain_text(re.compile(
        r"Thank you, Olena! Order A-\d+ is in, ready in 4 minutes\. The receipt went to "
        r"olena@example\.com"))
    expect(widget(page).get_by_role("button", name="Start again")).to_be_visible()
    expect(log(page).locator(".msg").last).to_be_in_viewport()  # the log follows the end
    expect(widget(page).locator("form input")).to_be_hidden()
    # Each text once: the optimistic copy and the server's echo were merged.
    assert log(page).locator(".msg.in", has_text="olena@example.com").count() == 1

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-demo.png"))

    # "Start again" begins a new conversation in place of the ended one.
    widget(page).get_by_role("button", name="Start again").click()
    expect(log(page)).not_to_contain_text("Thank you")
    expect(log(page)).to_contain_text("Shall we order a coffee?")
    expect(widget(page).locator("form input")).to_be_visible()
    assert problems == []


def test_host_page_css_does_not_reach_the_widget(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/demo/isolation")
    expect(log(page)).to_contain_text("Shall we order a coffee?")
    red = "rgb(255, 0, 0)"
    # The hostile rules are in force on the page itself...
    assert page.eval_on_selector("body > button", "b => getComputedStyle(b).color") == red
    # ...and not inside the widget.
    choice = widget(page).get_by_role("button", name="Order a coffee")
    style = choice.evaluate("b => { const s = getComputedStyle(b);"
                            " return {color: s.color, font: s.fontFamily, border: s.borderTopStyle} }")
    assert style["color"] != red
    assert "serif" != style["font"].strip().lower()
    assert style["border"] == "solid"  # `button { all: unset }` did not strip it
    send = widget(page).get_by_role("button", name="Send")
    assert send.evaluate("b => getComputedStyle(b).color") != red
    # And the widget's styles stay inside: the page's text is still red and serif.
    assert page.eval_on_selector("h1", "h => getComputedStyle(h).fontFamily") == "serif"


def test_keyboard_opens_and_escape_closes(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/demo?open=false")
    launcher = widget(page).locator("button.launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    focused = "() => document.querySelector('[data-rozmova-widget]').shadowRoot.activeElement?.className || ''"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "launcher":
            break
    else:
        pytest.fail("Tab never reached the launcher")
    page.keyboard.press("Enter")
    expect(widget(page).get_by_role("dialog")).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(log(page)).to_contain_text("Shall we order a coffee?")
    page.wait_for_function("() => document.querySelector('[data-rozmova-widget]')"
                           ".shadowRoot.activeElement?.tagName === 'INPUT'")
    page.keyboard.press("Escape")
    expect(widget(page).get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert page.evaluate(focused) == "launcher"


def _allow_origin(server: str, origin: str) -> None:
    with httpx.Client(base_url=server, timeout=10) as http:
        login = http.post("/api/v1/auth/login",
                          json={"email": "admin@example.com", "password": PASSWORD})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        bots = http.get("/api/v1/bots", headers=headers)
        bots.raise_for_status()
        demo = next(b for b in bots.json()["items"] if b["name"] == "Demo")
        patched = http.patch(f"/api/v1/bots/{demo['id']}", headers=headers,
                             json={"settings": {"allowed_origins": [origin]}})
        patched.raise_for_status()
    # The chat service keeps bot facts for a few seconds: wait until the handshake from that
    # origin is accepted, so that the browser's first attempt is the one that counts.
    from websockets.sync.client import connect

    url = server.replace("http://", "ws://") + "/ws/v1/chat?key=rzc_demo"
    deadline = time.monotonic() + 15
    while True:
        try:
            with connect(url, origin=origin, open_timeout=5, proxy=None):
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_embedded_on_an_allowed_origin_and_refused_elsewhere(server: str, page, static_site) -> None:  # type: ignore[no-untyped-def]
    snippet = (f'<!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head>'
               f'<body><h1>Shop</h1><script src="{server}/widget.js" data-bot="rzc_demo" async>'
               f'</script></body></html>')
    allowed = static_site(snippet)
    refused = static_site(snippet)
    _allow_origin(server, allowed)

    page.goto(allowed)
    widget(page).locator("button.launcher").click()
    expect(log(page)).to_contain_text("Shall we order a coffee?")
    expect(widget(page).locator(".rz")).to_have_attribute("data-status", "online")

    page.goto(refused)
    widget(page).locator("button.launcher").click()
    expect(widget(page).locator(".rz")).to_have_attribute("data-status", "error")
    expect(widget(page).get_by_role("status")).to_contain_text("Cannot reach the chat")
    assert log(page).locator(".msg").count() == 0


def test_a_server_restart_is_survived_and_queued_messages_are_sent(
        running: Server, server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/demo")
    widget(page).get_by_role("button", name="Order a coffee").click()
    expect(log(page)).to_contain_text("What should I call you?")

    running.stop()
    try:
        expect(widget(page).locator(".rz")).to_have_attribute("data-status", "reconnecting")
        expect(widget(page).get_by_role("status")).to_contain_text("Reconnecting")
        say(page, "Olena")  # typed while the server is down: shown at once, queued
        expect(log(page).locator(".msg.in", has_text="Olena")).to_contain_text("Sending")
    finally:
        running.start()
    expect(log(page)).to_contain_text("How many cups, Olena?")
    expect(widget(page).locator(".rz")).to_have_attribute("data-status", "online")
    assert log(page).locator(".msg.in", has_text="Olena").count() == 1
    assert log(page).locator(".msg.out", has_text="What should I call you?").count() == 1
