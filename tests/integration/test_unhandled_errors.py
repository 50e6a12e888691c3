"""An unexpected error in an endpoint, under uvicorn on a real socket: one log event (with the
request id), a 500 problem+json, and the keep-alive connection serves the next request."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
import structlog


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    body = await asyncio.wait_for(reader.readexactly(int(headers.get("content-length", 0))), 10)
    return status, headers, body


@pytest.fixture
async def failing_server(settings, runtime):  # type: ignore[no-untyped-def]
    from gateway.app import create_app
    from tests.conftest import serve

    app = create_app(settings, runtime=runtime)

    async def boom() -> None:
        raise RuntimeError("a bug in an endpoint")

    app.add_api_route("/boom", boom)
    server, task, port = await serve(settings, runtime, app=app)
    yield port
    server.should_exit = True
    await asyncio.wait_for(task, 30)


async def test_an_unexpected_error_is_logged_once_and_keeps_the_connection(
        failing_server, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.ERROR)
    reader, writer = await asyncio.open_connection("127.0.0.1", failing_server)
    try:
        with structlog.testing.capture_logs() as events:
            writer.write(b"GET /boom HTTP/1.1\r\nHost: t\r\nX-Request-ID: req-boom-1\r\n\r\n")
            await writer.drain()
            status, headers, body = await _read_response(reader)
            await asyncio.sleep(0.2)  # anything logged after the response went out
        assert status == 500
        assert headers["content-type"] == "application/problem+json"
        assert headers["x-request-id"] == "req-boom-1"
        assert json.loads(body)["code"] == "internal"
        assert headers.get("connection", "").lower() != "close"

        unhandled = [e for e in events if e.get("log_level") in ("error", "critical")]
        assert [e["event"] for e in unhandled] == ["http.unhandled"], unhandled
        assert unhandled[0].get("exc_info"), unhandled
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], \
            [r.getMessage() for r in caplog.records]

        # The same TCP connection answers the next request.
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        await writer.drain()
        status, _, body = await _read_response(reader)
        assert status == 200 and json.loads(body) == {"status": "ok"}
    finally:
        writer.close()
