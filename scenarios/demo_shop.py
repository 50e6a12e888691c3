"""The coffee shop's till: a small HTTP API that the demo bot's `http` block places its orders
with, so that a newcomer sees an integration work (and fail over to its `error` port) without
an account anywhere. It listens on 127.0.0.1 only, on `ROZMOVA_DEMO_SHOP_PORT`, and runs in
the server's process while the demo bot is seeded.

API: ``POST /orders`` with ``{"name": str, "cups": int, "total": number}`` answers 201 with
``{"order": "A-101", "ready_in_minutes": 3, "cups": .., "total": ..}``; anything malformed
answers 422 with a problem document; ``GET /health`` answers 200."""

from __future__ import annotations

import asyncio
import itertools
import json
from http import HTTPStatus
from typing import Any

import h11

from core.logging import get_logger

log = get_logger(__name__)

_MAX_BODY = 16 * 1024
_READ_TIMEOUT = 5.0


class DemoShop:
    """The till. `start` binds it (port 0: any free port) and returns the port."""

    def __init__(self) -> None:
        self._server: asyncio.AbstractServer | None = None
        self._numbers = itertools.count(101)

    async def start(self, port: int, host: str = "127.0.0.1") -> int:
        self._server = await asyncio.start_server(self._serve, host, port)
        bound = self._server.sockets[0].getsockname()[1]
        log.info("demo_shop.started", url=f"http://{host}:{bound}")
        return int(bound)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def answer(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """The status and JSON document for one request."""
        if path == "/health" and method == "GET":
            return 200, {"status": "ok"}
        if path != "/orders":
            return 404, _problem(404, f"no {path} here; orders go to POST /orders")
        if method != "POST":
            return 405, _problem(405, "orders are placed with POST")
        try:
            order = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return 422, _problem(422, "the body is not JSON")
        cups = order.get("cups") if isinstance(order, dict) else None
        if not isinstance(cups, int) or isinstance(cups, bool) or not 1 <= cups <= 10:
            return 422, _problem(422, "cups must be a whole number from 1 to 10")
        return 201, {"order": f"A-{next(self._numbers)}", "ready_in_minutes": 2 + cups,
                     "cups": cups, "total": order.get("total")}

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_BODY)
        try:
            request, body = None, b""
            while True:
                event = connection.next_event()
                if event is h11.NEED_DATA:
                    data = await asyncio.wait_for(reader.read(4096), _READ_TIMEOUT)
                    connection.receive_data(data)
                    continue
                if isinstance(event, h11.Request):
                    request = event
                elif isinstance(event, h11.Data):
                    body += event.data
                    if len(body) > _MAX_BODY:
                        raise h11.RemoteProtocolError("body too large")
                elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                    break
            if request is None:
                return
            status, document = self.answer(request.method.decode(), request.target.decode()
                                           .split("?")[0], body)
        except (h11.RemoteProtocolError, TimeoutError, ConnectionError):
            status, document = 400, _problem(400, "malformed or incomplete request")
        payload = json.dumps(document).encode()
        kind = "application/problem+json" if status >= 400 else "application/json"
        head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: {kind}\r\n"
                f"content-length: {len(payload)}\r\nconnection: close\r\n\r\n")
        try:
            writer.write(head.encode() + payload)
            await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()


def _problem(status: int, detail: str) -> dict[str, Any]:
    return {"type": "about:blank", "title": "Demo shop", "status": status, "detail": detail}
