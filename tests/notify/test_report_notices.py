"""A conversation's report reaches the organization by e-mail (a real SMTP server on
127.0.0.1) and by a signed webhook, end to end: the report block through the REST chat API,
the LLM through litellm against the fake server, the targets through the notifications API;
and the targets API's checks."""

from __future__ import annotations

import asyncio
import json
import uuid
from core.security import Role
from llm.fake_server import FakeOpenAI, Reply
from notify.sender import verify_signature
from tests.integration.test_chat_api import start
from tests.llm.test_llm_block import KEY, provider, scenario, texts
from tests.integration.test_service_blocks import bot_with_scenario
from tests.notify.test_notify import Mailbox, bodies, receiving, smtp_server

HOOK_KEY = "whsec-0123456789"


async def test_a_report_reaches_the_smtp_server_and_the_webhook(client, app, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    mailbox = Mailbox()
    async with FakeOpenAI(valid_keys={KEY}) as fake, receiving() as receiver:
        with smtp_server(mailbox) as port:
            await provider(client, owner, fake)
            await client.put("/api/v1/secrets/HOOK_KEY", json={"value": HOOK_KEY},
                             headers=owner.headers)
            mail = await client.put("/api/v1/notifications/targets/ops-mail", json={
                "kind": "email", "events": ["report"], "host": "127.0.0.1", "port": port,
                "sender": "bots@shop.example", "recipients": ["ops@shop.example"]},
                headers=owner.headers)
            assert mail.status_code == 201, mail.text
            hook = await client.put("/api/v1/notifications/targets/crm", json={
                "kind": "webhook", "events": ["report", "handoff"], "url": receiver.url,
                "secret": "HOOK_KEY"}, headers=owner.headers)
            assert hook.status_code == 201, hook.text
            document = scenario({"say": False, "cache": False})
            document["blocks"].append({"id": "sum_up", "type": "report", "settings": {
                "provider": "local", "store_in": "answer"}})
            document["edges"] += [{"source": "model", "port": "next", "target": "sum_up"},
                                  {"source": "sum_up", "port": "next", "target": "after"}]
            headers = await bot_with_scenario(client, owner, document)
            _, chat = await start(client, headers, language="uk")
            fake.script(None, [Reply(text="ok"),
                               Reply(text="Клієнтка просить повернути гроші за A-17.")])
            reply = await chat.send(text="поверніть гроші за A-17")
            assert texts(reply)[0] == "Done: Клієнтка просить повернути гроші за A-17."
            await app.state.clients["notify"].drain()
            for _ in range(50):
                if mailbox.received and receiver.requests:
                    break
                await asyncio.sleep(0.1)
    [(sender, recipients, message)] = mailbox.received
    assert sender == "bots@shop.example" and recipients == ["ops@shop.example"]
    assert "Звіт про розмову" in message["Subject"]
    text, html = bodies(message)
    assert "Клієнтка просить повернути гроші за A-17." in text and chat.id in text
    assert "A-17" in html
    [request] = receiver.requests
    assert verify_signature(HOOK_KEY, request.headers["x-rozmova-timestamp"], request.body,
                            request.headers["x-rozmova-signature"])
    body = json.loads(request.body)
    assert body["event"] == "report" and body["conversation_id"] == chat.id
    assert body["summary"] == "Клієнтка просить повернути гроші за A-17."
    assert body["language"] == "uk"


async def test_targets_are_checked_and_scoped(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    viewer = await make_actor(Role.viewer, org_id=owner.org_id)
    stranger = await make_actor(Role.owner)
    for body, reason in [
        ({"kind": "email", "events": ["report"]}, "needs host, port, sender and recipients"),
        ({"kind": "webhook", "events": ["report"], "url": "https://crm.example/hook"},
         "needs url and the secret"),
        ({"kind": "webhook", "events": ["lunch"], "url": "https://x.example", "secret": "S"},
         "events"),
        ({"kind": "email", "events": ["report"], "host": "smtp.example", "port": 25,
          "sender": "a@b.example", "recipients": ["x@y.example\r\nBcc: evil@z.example"]},
         "recipients")]:
        refused = await client.put("/api/v1/notifications/targets/t", json=body,
                                   headers=owner.headers)
        assert refused.status_code == 422 and reason in refused.text, refused.text
    good = {"kind": "webhook", "events": ["handoff"], "url": "https://crm.example/hook",
            "secret": "HOOK_KEY", "bot_id": str(uuid.uuid4())}
    assert (await client.put("/api/v1/notifications/targets/crm", json=good,
                             headers=viewer.headers)).status_code == 403
    assert (await client.put("/api/v1/notifications/targets/crm", json=good,
                             headers=owner.headers)).status_code == 201
    assert (await client.put("/api/v1/notifications/targets/crm", json=good,
                             headers=owner.headers)).status_code == 200
    listed = (await client.get("/api/v1/notifications/targets", headers=viewer.headers)).json()
    assert [t["name"] for t in listed] == ["crm"]
    assert (await client.get("/api/v1/notifications/targets",
                             headers=stranger.headers)).json() == []
    assert (await client.delete("/api/v1/notifications/targets/crm",
                                headers=stranger.headers)).status_code == 404
    assert (await client.delete("/api/v1/notifications/targets/crm",
                                headers=owner.headers)).status_code == 204


async def test_a_handoff_is_announced_to_the_webhook(client, app, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    document = {"schema_version": 2, "entry": {"start": "ask"},
                "variables": [{"name": "said", "type": "string"}],
                "blocks": [
                    {"id": "ask", "type": "input", "settings": {
                        "kind": "text", "variable": "said",
                        "prompt": {"uk": "Чим допомогти?", "en": "How can I help?"}}},
                    {"id": "human", "type": "handoff", "settings": {}}],
                "edges": [{"source": "ask", "target": "human"}]}
    async with receiving() as receiver:
        await client.put("/api/v1/secrets/HOOK_KEY", json={"value": HOOK_KEY},
                         headers=owner.headers)
        await client.put("/api/v1/notifications/targets/desk", json={
            "kind": "webhook", "events": ["handoff"], "url": receiver.url,
            "secret": "HOOK_KEY"}, headers=owner.headers)
        headers = await bot_with_scenario(client, owner, document)
        _, chat = await start(client, headers, language="en")
        reply = await chat.send(text="I need a human")
        assert reply["status"] == "handoff"
        await chat.send(text="hello?")  # already with an operator: no second notice
        await app.state.clients["notify"].drain()
        for _ in range(50):
            if receiver.requests:
                break
            await asyncio.sleep(0.1)
    [request] = receiver.requests
    body = json.loads(request.body)
    assert (body["event"], body["conversation_id"], body["language"]) == (
        "handoff", chat.id, "en")
    assert verify_signature(HOOK_KEY, request.headers["x-rozmova-timestamp"], request.body,
                            request.headers["x-rozmova-signature"])
