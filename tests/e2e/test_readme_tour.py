"""The README's tour, run verbatim (but for the password and port) against a real
`rozmova serve` process started the way `make run` starts it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_readme_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make run", "make test"]


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    port = free_port()
    env = {**os.environ, "ROZMOVA_DATA_DIR": str(tmp_path), "ROZMOVA_ADMIN_PASSWORD":
           "tour-password-123", "ROZMOVA_LOG_JSON": "true", "ROZMOVA_DATABASE_URL": "",
           "ROZMOVA_REDIS_URL": "", "ROZMOVA_DEMO_SHOP_PORT": str(free_port())}
    cli = [sys.executable, "-m", "gateway.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, timeout=120, cwd=ROOT,
                   capture_output=True)
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not become ready: " + (tmp_path / "server.log").read_text())
        yield port, tmp_path / "server.log"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_the_tour_works(server) -> None:  # type: ignore[no-untyped-def]
    port, log_path = server
    tour = re.search(r"<!-- tour:start -->\n```bash\n(.*?)```", README, re.S).group(1)
    script = tour.replace("paste the password make run printed", "tour-password-123")
    script = script.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    validate, publish, versions = [json.loads(line) for line in result.stdout.splitlines()]
    assert validate["valid"] is True and validate["errors"] == []
    assert publish["number"] == 1 and publish["live"] is True
    assert [v["number"] for v in versions["items"]] == [1]
    assert versions["items"][0]["changelog"] == "First version"
    # Logs are JSON lines carrying request ids, and the password never shows in them.
    lines = [json.loads(x) for x in log_path.read_text().splitlines() if x.startswith("{")]
    requests = [x for x in lines if x.get("event") == "http.request"]
    assert requests and all(x.get("request_id") for x in requests)
    assert "tour-password-123" not in log_path.read_text()


def test_the_demo_chat_works(server) -> None:  # type: ignore[no-untyped-def]
    port, _ = server
    block = re.search(r"<!-- chat:start -->\n```bash\n(.*?)```", README, re.S).group(1)
    script = block.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(answers) == 6
    name, _, not_a_number, cups, confirm, done = answers
    assert name["input"]["kind"] == "text"
    assert not_a_number["input"]["block_id"] == "ask_cups"
    assert "Please enter a number from 1 to 10." in [m.get("text") for m in not_a_number["messages"]]
    texts = [m.get("text") for m in cups["messages"]]
    assert "5 cups or more: 10% off!" in texts
    assert "Olena, your order: 6 ☕, 243 UAH to pay. Confirm?" in texts
    assert confirm["input"]["kind"] == "email"
    assert done["ended"] is True
    # The order went to the demo till the server runs (an http block), which numbered it.
    assert re.fullmatch(r"Thank you, Olena! Order A-\d+ is in, ready in 8 minutes\. The "
                        r"receipt went to olena@example\.com\. Have a nice day!",
                        done["messages"][0]["text"]), done["messages"][0]["text"]
