"""Many people at once: 500 sessions started together against the server under uvicorn (the
load client runs in a process of its own), each a WebSocket hello and two turns, then a turn
and the history over REST on the same conversation; on whichever database and Redis the
suite runs on. Not one may fail: no 500, no 503, no socket closed by the flood limit."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

from core.security import Role
from tests.integration.test_chat_api import bot_with, echo_document

SESSIONS = 500
CLIENT = Path(__file__).with_name("chat_load.py")


@pytest.fixture
def plain_logs():  # type: ignore[no-untyped-def]
    """Log lines as production writes them (JSON, no pretty tracebacks with locals): a
    failure under load must not cost the server seconds of rendering."""
    import structlog

    saved = structlog.get_config()
    structlog.configure(processors=[structlog.processors.add_log_level,
                                    structlog.processors.format_exc_info,
                                    structlog.processors.JSONRenderer()])
    yield
    structlog.configure(**saved)


@pytest.mark.slow
async def test_500_concurrent_sessions_without_an_error(live_server, live_client, make_actor,
                                                        plain_logs) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(live_client, owner, echo_document())
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(CLIENT), "--base", live_server, "--key", headers["X-Chat-Key"],
        "--sessions", str(SESSIONS), "--turns", "2",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(), 120)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0, err.decode()[-2000:]
    report = json.loads(out)
    print(f"\nload: {report}")
    assert report["errors"] == 0, report
    assert report["ok"] == SESSIONS, report
