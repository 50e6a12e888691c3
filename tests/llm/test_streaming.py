"""An LLM answer shown while it is written: pieces over the WebSocket in order, the final
message replacing them, a dropped stream kept and marked incomplete (never asked again), and
the person's new message cutting an answer short. Against a real server (uvicorn) and the
fake OpenAI-compatible server through litellm."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import connect

from core.security import Role
from llm.fake_server import Reply
from tests.llm.test_llm_block import KEY, fake, provider  # noqa: F401  (fixture)
from tests.integration.test_service_blocks import bot_with_scenario
from tests.realtime.test_websocket_protocol import Client

WORDS = " ".join(f"word{i}" for i in range(30))


def chat_scenario(**llm: Any) -> dict[str, Any]:
    """Ask, answer with the model (said, streamed), ask again."""
    return {
        "schema_version": 2, "entry": {"start": "ask"},
        "variables": [{"name": "said", "type": "string"}],
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "said", "prompt": {"uk": "Так?", "en": "Yes?"}}},
            {"id": "model", "type": "llm", "settings": {
                "provider": "local", "prompt": {"uk": "{{said}}", "en": "{{said}}"},
                "cache": False, **llm}},
            {"id": "failed", "type": "message", "settings": {"text": {
                "uk": "Збій моделі.", "en": "The model failed."}}}],
        "edges": [{"source": "ask", "target": "model"},
                  {"source": "model", "port": "next", "target": "ask"},
                  {"source": "model", "port": "error", "target": "failed"},
                  {"source": "model", "port": "timeout", "target": "failed"},
                  {"source": "failed", "target": "ask"}]}


async def open_socket(port: int, key: str) -> Client:
    ws = await connect(f"ws://127.0.0.1:{port}/ws/v1/chat?key={key}")
    client = Client(ws)
    await client.send(type="hello", v=1, language="en")
    await client.until("input")
    return client


def partials(frames: list[dict], stream_id: str | None = None) -> list[dict]:
    return [f for f in frames if f["type"] == "partial"
            and (stream_id is None or f["stream_id"] == stream_id)]


def streamed(frames: list[dict]) -> list[dict]:
    return [f["message"] for f in frames if f["type"] == "message"
            and f["direction"] == "out" and f["message"].get("stream_id")]


async def test_pieces_arrive_in_order_and_the_final_message_replaces_them(
        client, server, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    headers = await bot_with_scenario(client, owner, chat_scenario())
    socket = await open_socket(server, headers["X-Chat-Key"])
    fake.script(None, [Reply(text=WORDS, stream_delay=0.01)])
    frames = await socket.say(text="tell me a long story")
    [final] = streamed(frames)
    pieces = partials(frames, final["stream_id"])
    assert len(pieces) >= 2, [f["type"] for f in frames]  # shown while written, not at once
    # In order and without gaps: each piece starts where the last one ended.
    offset = 0
    for piece in pieces:
        assert piece["offset"] == offset and piece["block_id"] == "model"
        offset += len(piece["text"])
    assert pieces[-1].get("end") is True
    assert "".join(p["text"] for p in pieces) == final["text"] == WORDS
    assert "incomplete" not in final
    # Every piece came before the stored message, and that before the input state.
    kinds = [f["type"] for f in frames]
    assert kinds.index("message", kinds.index("partial")) > max(
        i for i, k in enumerate(kinds) if k == "partial")
    # The stream was asked for, with its usage counted.
    assert fake.requests[-1].body["stream"] is True
    usage = (await client.get("/api/v1/llm/usage", headers=owner.headers)).json()
    assert usage["completion_tokens"] == 30
    await socket.ws.close()


async def test_a_dropped_stream_is_kept_marked_incomplete_and_never_asked_again(
        client, server, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    await provider(client, owner, fake, name="spare")
    await provider(client, owner, fake, fallbacks=["spare"])
    headers = await bot_with_scenario(client, owner, chat_scenario())
    socket = await open_socket(server, headers["X-Chat-Key"])
    fake.script(None, [Reply(text=WORDS, drop_after=6)])
    asked = len(fake.requests)
    frames = await socket.say(text="go")
    [final] = streamed(frames)
    assert final["incomplete"] is True
    assert final["text"] and WORDS.startswith(final["text"]) and final["text"] != WORDS
    assert "".join(p["text"] for p in partials(frames)) == final["text"]
    # The fallback provider was not asked to say it all again.
    assert len(fake.requests) == asked + 1
    # The stored history has it as it was shown, marked.
    [welcome] = [f for f in socket.frames if f["type"] == "welcome"]
    history = await client.get(f"/api/v1/conversations/{welcome['conversation_id']}"
                               "/messages", headers=owner.headers)
    [stored] = [i["body"] for i in history.json()["items"] if i["body"].get("stream_id")]
    assert (stored["text"], stored["incomplete"]) == (final["text"], True)
    await socket.ws.close()


async def test_a_new_message_cuts_the_answer_short_and_runs_next(
        client, server, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    import time

    owner = await make_actor(Role.owner)
    await provider(client, owner, fake, timeout_seconds=30)
    headers = await bot_with_scenario(client, owner, chat_scenario())
    socket = await open_socket(server, headers["X-Chat-Key"])
    fake.script(None, [Reply(text=WORDS, stream_delay=0.2)])  # 6 s to say it all
    await socket.send(type="message", client_message_id="first", text="a long one")
    while (await socket.recv())["type"] != "partial":
        pass
    # The same socket, while its last message is being answered.
    sent = time.monotonic()
    await socket.send(type="message", client_message_id="second", text="stop, another")
    await socket.until("input")
    cut_after = time.monotonic() - sent
    await socket.until("input")
    answers = streamed(socket.frames)
    assert answers[0]["incomplete"] is True and len(answers[0]["text"]) < len(WORDS)
    assert cut_after < 2, cut_after  # ended at once, not by the end of the answer (6 s)
    # The second message ran after the first answer was stored: its own answer, whole.
    assert answers[1]["text"] == "Echo: stop, another" and "incomplete" not in answers[1]
    await socket.ws.close()


async def test_the_rest_api_streams_server_sent_events_when_asked(
        client, live_client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    headers = await bot_with_scenario(client, owner, chat_scenario())
    started = await live_client.post("/api/v1/conversations", json={"language": "en"},
                                     headers=headers)
    conversation = started.json()["conversation_id"]
    fake.script(None, [Reply(text=WORDS, stream_delay=0.01)])
    events: list[tuple[str, Any]] = []
    async with live_client.stream(
            "POST", f"/api/v1/conversations/{conversation}/messages",
            json={"text": "stream it", "client_message_id": "s1"},
            headers={**headers, "Accept": "text/event-stream"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name = None
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[6:])))
    names = [n for n, _ in events]
    assert names[-1] == "answer" and names.count("partial") >= 2
    pieces = [d for n, d in events if n == "partial"]
    answer = events[-1][1]
    [said] = [m for m in answer["messages"] if m.get("stream_id")]
    assert "".join(p["text"] for p in pieces) == said["text"] == WORDS
    # Stored before it was sent: the same id again is the same answer, nothing runs twice.
    again = await live_client.post(f"/api/v1/conversations/{conversation}/messages",
                                   json={"text": "stream it", "client_message_id": "s1"},
                                   headers=headers)
    assert again.json()["duplicate"] is True and again.json()["messages"] == answer["messages"]
    # A refusal before any piece keeps its status and problem body.
    missing = await live_client.post(
        "/api/v1/conversations/00000000-0000-4000-8000-000000000000/messages",
        json={"text": "hi", "client_message_id": "m"},
        headers={**headers, "Accept": "text/event-stream"})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    # A block that does not stream answers as one event.
    fake.script(None, [Reply(text="short")])


async def test_a_message_through_another_instance_cuts_the_answer_short(
        settings, runtime, client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    """The answer streams from instance A (the person's socket); their next message arrives
    through instance B's REST API, waits for A's turn, and A ends its answer at once instead
    of writing it to the end. With Redis configured, B is another runtime and the request to
    stop crosses Redis."""
    import time

    import httpx

    from core.runtime import Runtime
    from tests.conftest import serve

    owner = await make_actor(Role.owner)
    await provider(client, owner, fake, timeout_seconds=30)
    headers = await bot_with_scenario(client, owner, chat_scenario())
    other = Runtime.from_settings(settings) if settings.redis_url else runtime
    a, a_task, a_port = await serve(settings, runtime)
    b, b_task, b_port = await serve(settings, other)
    try:
        socket = await open_socket(a_port, headers["X-Chat-Key"])
        [welcome] = [f for f in socket.frames if f["type"] == "welcome"]
        fake.script(None, [Reply(text=WORDS, stream_delay=0.3)])  # 9 s to say it all
        await socket.send(type="message", client_message_id="long", text="a long one")
        while (await socket.recv())["type"] != "partial":
            pass
        started = time.monotonic()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{b_port}",
                                     timeout=30) as http:
            answer = await http.post(
                f"/api/v1/conversations/{welcome['conversation_id']}/messages",
                json={"text": "never mind", "client_message_id": "next"}, headers=headers)
        waited = time.monotonic() - started
        assert answer.status_code == 200, answer.text
        assert [m["text"] for m in answer.json()["messages"]][0] == "Echo: never mind"
        assert waited < 3, waited  # not the 9 s the whole answer takes
        await socket.until("input")
        [cut] = [m for m in streamed(socket.frames) if m.get("incomplete")]
        assert cut["text"] and WORDS.startswith(cut["text"]) and cut["text"] != WORDS
        await socket.ws.close()
    finally:
        for srv, task in ((a, a_task), (b, b_task)):
            srv.should_exit = True
            await asyncio.wait_for(task, 30)
        if other is not runtime:
            await other.close()
