"""Deferred calls: a block whose work outlasts a turn (a long transcription, a slow model).
The turn ends with what was said so far and the conversation waits on the block; the person
who writes meanwhile is told the answer is coming; the job's outcome comes back as a
`service_result` event through the normal turn path (lock, one write), once: a repeated
delivery is a duplicate; a result for a conversation that restarted changes nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from core.security import Role
from orchestrator.extension import (
    Executor,
    ServiceCall,
    ServiceOutcome,
    ServiceResult,
    call_service,
    follow,
    outcome_port,
    text_message,
)
from tests.integration.test_chat_api import start
from tests.integration.test_service_blocks import bot_with_scenario


class SlowService:
    """Answers each job when its gate opens."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.calls: list[dict[str, Any]] = []

    async def call(self, operation: str, request: Any, context: Any, *,
                   timeout: float) -> ServiceResult:
        self.calls.append(dict(request))
        await self.gate.wait()
        return ServiceResult(value=len(self.calls) * 21, logs=[f"{operation} done"])


class Deferring(Executor):
    """Stands in for a transcription block: asks for its work after the turn."""

    type_name = "script"

    def enter(self, block: Any, ctx: Any) -> Any:
        return call_service(ServiceCall(service="slow", operation="transcribe",
                                        request={"said": ctx.get("said")}, deferred=True,
                                        timeout_seconds=30),
                            [text_message("One moment, listening…", block.id)])

    def complete(self, block: Any, outcome: ServiceOutcome, ctx: Any) -> Any:
        if outcome.status == "ok":
            ctx.set("result", outcome.value)
        return follow(outcome_port(block, outcome))


DOCUMENT = {
    "schema_version": 2, "entry": {"start": "work"},
    "variables": [{"name": "result", "type": "number"}, {"name": "said", "type": "string"}],
    "blocks": [
        {"id": "work", "type": "script", "settings": {"code": "return null;",
                                                      "outputs": ["result"]}},
        {"id": "done", "type": "message", "settings": {"text": {
            "en": "Done: {{result}}", "uk": "Готово: {{result}}"}}},
        {"id": "ask", "type": "input", "settings": {
            "kind": "text", "variable": "said", "prompt": {"en": "Next?", "uk": "Далі?"}}},
    ],
    "edges": [{"source": "work", "port": "ok", "target": "done"},
              {"source": "done", "target": "ask"}],
}


def install(app: Any) -> SlowService:
    orchestrator = app.state.clients["orchestrator"]
    orchestrator.engine.executors.register(Deferring(), replace=True)
    slow = SlowService()
    orchestrator.dispatcher.register("slow", slow)
    return slow


async def history(client: Any, chat: Any, headers: dict, until: str) -> list[dict]:
    url = f"/api/v1/conversations/{chat.id}/messages"
    for _ in range(200):
        items = (await client.get(url, params={"limit": 100}, headers=headers)).json()["items"]
        if any(i["body"].get("text") == until for i in items):
            return items
        await asyncio.sleep(0.02)
    raise AssertionError(f"{until!r} never arrived: {items}")


async def test_a_deferred_job_answers_after_its_turn(app, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    slow = install(app)
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, DOCUMENT)
    answer, chat = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == ["One moment, listening…"]
    assert answer["status"] == "waiting" and answer["input"] is None

    # The person writes while the job runs: told to wait; nothing else changes.
    meanwhile = await chat.send(text="hello?")
    assert [m["text"] for m in meanwhile["messages"]] == [
        "Still working on it; the answer will come here shortly."]
    for _ in range(50):
        if slow.calls:
            break
        await asyncio.sleep(0.01)
    assert slow.calls == [{"said": None}]  # one job, not one per message

    slow.gate.set()
    items = await history(client, chat, headers, "Done: 21")
    texts = [i["body"].get("text") for i in items if i["direction"] == "out"]
    assert texts[-2:] == ["Done: 21", "Next?"]
    assert texts.count("Done: 21") == 1
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    calls = [s["call"] for t in trace["items"] for s in t["trace"] if s.get("call")]
    assert [(c["service"], c["operation"], c["status"], c["logs"]) for c in calls] == [
        ("slow", "transcribe", "ok", ["transcribe done"])]

    # A second delivery of the same job is a duplicate: nothing runs or is said again.
    service = app.state.conversations
    from chat.conversations.service import ChatScope
    from orchestrator.contract import InboundEvent

    again = await service.send(
        scope=ChatScope(org_id=owner.org_id), conversation_id=__import__("uuid").UUID(chat.id),
        event=InboundEvent(kind="service_result", payload={
            "job": "work:1", "outcome": {"status": "ok", "value": 99}}),
        client_message_id="job:work:1")
    assert again.duplicate
    later = await client.get(f"/api/v1/conversations/{chat.id}/messages",
                             params={"limit": 100}, headers=headers)
    assert [i["body"].get("text") for i in later.json()["items"]].count("Done: 21") == 1


async def test_a_result_for_a_restarted_conversation_changes_nothing(
        app, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    slow = install(app)
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, DOCUMENT)
    _, chat = await start(client, headers, language="en")
    restarted = await chat.send(text="/start")  # a new job (work:2) replaces the first
    assert [m["text"] for m in restarted["messages"]] == ["One moment, listening…"]
    slow.gate.set()
    items = await history(client, chat, headers, "Done: 42")  # the second job's answer
    texts = [i["body"].get("text") for i in items if i["direction"] == "out"]
    assert "Done: 21" not in texts and texts.count("Done: 42") == 1


async def test_a_deferred_result_reaches_the_socket_that_waits_for_it(
        app, settings, runtime, make_actor) -> None:  # type: ignore[no-untyped-def]
    """Over a live server's chat socket: the turn answers at once, and the job's outcome
    arrives on the same socket later, as frames of its own turn."""
    import httpx

    from tests.conftest import serve
    from tests.realtime.test_websocket_protocol import open_chat

    server, task, port = await serve(settings, runtime, app=app)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            slow = install(app)
            owner = await make_actor(Role.owner)
            headers = await bot_with_scenario(client, owner, DOCUMENT)
        chat, frames = await open_chat(port, headers["X-Chat-Key"], language="en")
        said = [f["message"]["text"] for f in frames if f["type"] == "message"]
        assert said == ["One moment, listening…"]
        waiting = [f for f in frames if f["type"] == "input"][-1]
        assert waiting["status"] == "waiting" and waiting["input"] is None
        slow.gate.set()
        later = await chat.until("input")
        said = [f["message"]["text"] for f in later if f["type"] == "message"]
        assert said == ["Done: 21", "Next?"]
        assert later[-1]["input"]["kind"] == "text"
        await chat.ws.close()
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


class QuickDeferring(Deferring):
    """A job with a short limit, for the lost-job test."""

    def enter(self, block: Any, ctx: Any) -> Any:
        return call_service(ServiceCall(service="slow", operation="transcribe",
                                        request={"said": ctx.get("said")}, deferred=True,
                                        timeout_seconds=0.3),
                            [text_message("One moment, listening…", block.id)])


async def test_a_job_lost_with_its_server_ends_in_the_timeout_port(
        app, client, make_actor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The instance running a job stops (here: its task is cancelled, as a crash would end
    it): the conversation's timer, armed at the job's limit and a grace, fires and the block
    leaves by `timeout`; a result arriving after that changes nothing."""
    import uuid as uuid_module

    from chat.conversations.service import ChatScope
    from orchestrator.contract import InboundEvent
    from orchestrator.engine.interpreter import Engine

    monkeypatch.setattr(Engine, "job_grace_seconds", 0.2)
    orchestrator = app.state.clients["orchestrator"]
    orchestrator.engine.executors.register(QuickDeferring(), replace=True)
    slow = SlowService()
    orchestrator.dispatcher.register("slow", slow)
    owner = await make_actor(Role.owner)
    document = {**DOCUMENT, "blocks": [*DOCUMENT["blocks"], {
        "id": "lost", "type": "message", "settings": {"text": {
            "en": "That took too long; please try again.", "uk": "Задовго; спробуйте ще."}}}],
        "edges": [*DOCUMENT["edges"], {"source": "work", "port": "timeout", "target": "lost"},
                  {"source": "lost", "target": "ask"}]}
    headers = await bot_with_scenario(client, owner, document)
    answer, chat = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == ["One moment, listening…"]
    service = app.state.conversations
    for job in list(service._jobs):  # the server running the job stops
        job.cancel()
    await asyncio.sleep(0.7)  # past the job's limit and the grace
    assert await service.fire_due_timeouts() == 1
    items = await history(client, chat, headers, "That took too long; please try again.")
    texts = [i["body"].get("text") for i in items if i["direction"] == "out"]
    assert texts[-2:] == ["That took too long; please try again.", "Next?"]
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [lost] = [s for t in trace["items"] for s in t["trace"]
              if s.get("call") and s["call"]["status"] == "timeout"]
    assert "never came back" in lost["call"]["error"]

    late = await service.send(
        scope=ChatScope(org_id=owner.org_id), conversation_id=uuid_module.UUID(chat.id),
        event=InboundEvent(kind="service_result", payload={
            "job": "work:1", "outcome": {"status": "ok", "value": 99}}),
        client_message_id="job:work:1")
    assert late.messages == []
    after = await history(client, chat, headers, "Next?")
    assert not any("Done" in (i["body"].get("text") or "") for i in after)
