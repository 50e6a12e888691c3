"""Webhooks go through connections pinned to addresses the policy allows: the check and the
connection use one lookup, so a name cannot pass as a public address and then connect to an
internal one (DNS rebinding). Here the policy itself refuses or admits 127.0.0.1 at connect
time, with no address check before the attempt."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from modules.contract import AddressPolicy, pinned_transport
from notify.sender import Notice, Sender, WebhookTarget
from tests.conftest import free_port


async def test_a_webhook_connects_only_where_the_policy_allows() -> None:
    import uvicorn

    received: list[bytes] = []

    async def hook(request: Request) -> Response:
        received.append(await request.body())
        return Response(status_code=204)

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=[Route("/hook", hook,
                                                                   methods=["POST"])]),
                                           host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    # A name that resolves to the loopback address, as a rebinding name would at connect time.
    async def resolve(host: str, _port: int) -> list:
        from ipaddress import ip_address

        return [ip_address("127.0.0.1")]

    notice = Notice(event="report", org_id=uuid.uuid4(), bot_id=uuid.uuid4(), bot_name="b",
                    conversation_id=uuid.uuid4(), language="en", summary="done",
                    occurred_at=datetime(2026, 11, 26, 12, 0))
    target = WebhookTarget(url=f"http://hooks.example.com:{port}/hook", secret="k" * 32)
    try:
        for allow, delivered in (([], False), ([f"127.0.0.1:{port}"], True)):
            async with httpx.AsyncClient(transport=pinned_transport(AddressPolicy(allow),
                                                                    resolve),
                                         follow_redirects=False, trust_env=False) as http:
                [delivery] = await Sender(retries=0, http=http).send(notice, [target])
            assert delivery.ok is delivered, delivery
            if not delivered:
                assert "127.0.0.1" in (delivery.error or ""), delivery.error
        assert len(received) == 1  # only the allowed one reached the receiver
    finally:
        server.should_exit = True
        await task
