"""A voice message answering a Telegram bot, end to end: the fake Bot API delivers the update
to the platform's webhook (a real server under uvicorn), the platform fetches the recording
with getFile and the file route (python-telegram-bot), ffmpeg decodes it, the offline engine
(faster-whisper, tiny.en) transcribes it on the live queue, and the scenario's input block
takes the words as if typed. What was heard is stored with the person's message (history) and
the call is in the trace; a recording nothing can be heard in is answered with a request to
type, and the question still waits."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.channels.test_telegram_delivery import connect, text
from tests.channels.test_telegram_webhook import PERSON, TOKEN, stack  # noqa: F401  (fixture)
from tests.stt.spoken import silence, spoken

pytestmark = pytest.mark.slow

NAME_SCENARIO: dict[str, Any] = {
    "schema_version": 2, "entry": {"start": "name"},
    "variables": [{"name": "name", "type": "string"}],
    "blocks": [
        {"id": "name", "type": "input", "settings": {
            "kind": "text", "variable": "name",
            "prompt": {"uk": "Як вас звати?", "en": "What is your name?"}}},
        {"id": "greet", "type": "message", "settings": {"text": {
            "uk": "Ви сказали: {{name}}", "en": "You said: {{name}}"}}}],
    "edges": [{"source": "name", "target": "greet"}, {"source": "greet", "target": "name"}]}


async def name_bot(base: str, owner) -> str:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        bot = (await api.post("/api/v1/bots", json={"name": "voice"},
                              headers=owner.headers)).json()
        created = await api.post(f"/api/v1/bots/{bot['id']}/scenarios", json={
            "name": "main", "document": NAME_SCENARIO}, headers=owner.headers)
        assert created.status_code == 201, created.text
        published = await api.post(f"/api/v1/scenarios/{created.json()['id']}/publish",
                                   json={}, headers=owner.headers)
        assert published.status_code == 201, published.text
        return bot["id"]


async def said_after(fake, count: int, timeout: float = 60.0) -> list[str]:  # type: ignore[no-untyped-def]
    """The texts the bot sent, once there are at least `count`."""
    for _ in range(int(timeout / 0.05)):
        texts = [c.params["text"] for c in fake.sent("sendMessage")]
        if len(texts) >= count:
            return texts
        await asyncio.sleep(0.05)
    pytest.fail(f"the bot sent {[c.params.get('text') for c in fake.sent('sendMessage')]}, "
                f"expected {count} messages")


def voice(fake, data: bytes) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    message = fake.voice_message(data, duration=2)
    message["from"] = PERSON
    message["chat"] = {"id": PERSON["id"], "type": "private", "first_name": "Olena"}
    return message


async def test_a_voice_answer_is_heard_and_taken_as_typed(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, _ = stack
    bot_id = await name_bot(base, owner)
    await connect(base, owner, bot_id)
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(1, "/start")))
    assert (await said_after(fake, 1))[-1] == "What is your name?"

    answer = await fake.deliver(TOKEN, fake.update(TOKEN, message=voice(
        fake, spoken("my name is bob"))), timeout=90)
    assert answer.status_code == 200
    texts = await said_after(fake, 3)
    assert texts[1].lower().startswith("you said: my name is bob"), texts
    assert texts[2] == "What is your name?"
    assert len(fake.file_downloads) == 1  # fetched once, through getFile's path
    assert [c.params["file_id"] for c in fake.sent("getFile")] == [
        next(iter(fake.files))]

    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        listed = (await api.get(f"/api/v1/bots/{bot_id}/conversations",
                                headers=owner.headers)).json()
        conversation_id = listed["items"][0]["id"]
        history = (await api.get(f"/api/v1/conversations/{conversation_id}/messages",
                                 headers=owner.headers)).json()["items"]
        trace = (await api.get(f"/api/v1/conversations/{conversation_id}/trace",
                               headers=owner.headers)).json()["items"]
    [heard] = [m for m in history if m["direction"] == "in" and m["body"]["kind"] == "audio"]
    assert heard["body"]["text"].lower().startswith("my name is bob")
    transcript = heard["body"]["transcript"]
    assert transcript["engine"].startswith("whisper") and 0 < transcript["confidence"] <= 1
    assert heard["body"]["payload"]["source"] == "voice"  # the messenger's reference kept
    calls = [step["call"] for turn in trace for step in turn["trace"] if step.get("call")]
    assert [(c["service"], c["operation"], c["status"]) for c in calls] == [
        ("stt", "transcribe", "ok")]


async def test_nothing_heard_asks_to_type_and_the_question_still_waits(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, _ = stack
    bot_id = await name_bot(base, owner)
    await connect(base, owner, bot_id)
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(1, "/start")))
    await said_after(fake, 1)
    # Silence, then bytes that are not audio at all: each is a polite request to type.
    await fake.deliver(TOKEN, fake.update(TOKEN, message=voice(fake, silence())), timeout=90)
    texts = await said_after(fake, 2)
    assert texts[1] == "Sorry, I could not hear that. Please type it."
    await fake.deliver(TOKEN, fake.update(TOKEN, message=voice(fake, b"not a recording" * 50)),
                       timeout=90)
    texts = await said_after(fake, 3)
    assert texts[2] == "Sorry, I could not hear that. Please type it."
    # The question was never left: a typed answer is taken.
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(9, "Olena")))
    texts = await said_after(fake, 5)
    assert texts[3:5] == ["You said: Olena", "What is your name?"]
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        listed = (await api.get(f"/api/v1/bots/{bot_id}/conversations",
                                headers=owner.headers)).json()
        history = (await api.get(
            f"/api/v1/conversations/{listed['items'][0]['id']}/messages",
            headers=owner.headers)).json()["items"]
    unheard = [m["body"] for m in history if m["body"].get("kind") == "audio"]
    assert len(unheard) == 2 and all(b["transcript"]["text"] is None for b in unheard)
    assert "not_audio" in unheard[1]["transcript"]["error"] or \
        "audio" in unheard[1]["transcript"]["error"], unheard[1]
