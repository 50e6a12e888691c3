"""The demo coffee shop's till, as the demo bot's http block and anything else on the machine
reach it: orders numbered in turn, malformed requests answered with a problem document, and
no client able to hold it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from scenarios.demo_shop import DemoShop


@pytest.fixture
async def till():  # type: ignore[no-untyped-def]
    shop = DemoShop()
    port = await shop.start(0)
    yield f"http://127.0.0.1:{port}", port
    await shop.close()


async def test_orders_are_numbered_and_timed_by_cups(till) -> None:  # type: ignore[no-untyped-def]
    url, _ = till
    async with httpx.AsyncClient(timeout=5) as http:
        first = await http.post(f"{url}/orders", json={"name": "Olena", "cups": 3, "total": 135})
        second = await http.post(f"{url}/orders", json={"name": "Max", "cups": 1, "total": 45})
        health = await http.get(f"{url}/health")
    assert first.status_code == 201 and first.headers["content-type"] == "application/json"
    assert first.json() == {"order": "A-101", "ready_in_minutes": 5, "cups": 3, "total": 135}
    assert second.json()["order"] == "A-102"
    assert health.json() == {"status": "ok"}


@pytest.mark.parametrize(("method", "path", "body", "status", "detail"), [
    ("POST", "/orders", b"{not json", 422, "not JSON"),
    ("POST", "/orders", b'{"cups": 0}', 422, "cups must be"),
    ("POST", "/orders", b'{"cups": true}', 422, "cups must be"),
    ("POST", "/orders", b'[1, 2]', 422, "cups must be"),
    ("GET", "/orders", b"", 405, "POST"),
    ("POST", "/admin", b"", 404, "POST /orders"),
])
async def test_bad_requests_get_a_problem_document(till, method, path, body, status,  # type: ignore[no-untyped-def]
                                                   detail) -> None:
    url, _ = till
    async with httpx.AsyncClient(timeout=5) as http:
        answer = await http.request(method, url + path, content=body)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    assert detail in answer.json()["detail"]


async def test_garbage_oversized_and_silent_clients_do_not_hold_the_till(till) -> None:  # type: ignore[no-untyped-def]
    url, port = till
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"\x00\x01 not http at all\r\n\r\n")
    await writer.drain()
    assert (await asyncio.wait_for(reader.read(), 5)).startswith(b"HTTP/1.1 400 ")
    writer.close()
    # A body past the limit is refused rather than buffered.
    async with httpx.AsyncClient(timeout=5) as http:
        big = await http.post(f"{url}/orders", content=b"x" * (64 * 1024))
    assert big.status_code == 400
    # A client that connects and says nothing does not keep others waiting.
    _, silent = await asyncio.open_connection("127.0.0.1", port)
    async with httpx.AsyncClient(timeout=5) as http:
        assert (await http.get(f"{url}/health")).status_code == 200
    silent.close()
