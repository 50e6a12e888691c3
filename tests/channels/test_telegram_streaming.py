"""A language model's answer in Telegram as it is written: one message, sent with the first
piece and edited as the answer grows (paced), then edited into the stored final text by the
delivery, never sent twice. Real python-telegram-bot against the fake Bot API, litellm
against the fake OpenAI server, a real platform server."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from chat.channels.telegram import stream as telegram_stream
from llm.fake_server import FakeOpenAI, Reply
from tests.channels.test_telegram_delivery import connect, text
from tests.channels.test_telegram_webhook import TOKEN, stack  # noqa: F401  (a fixture)
from tests.llm.test_llm_block import KEY
from tests.llm.test_streaming import WORDS, chat_scenario


async def llm_bot(base: str, owner, fake: FakeOpenAI) -> str:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        assert (await api.put("/api/v1/secrets/LLM_KEY", json={"value": KEY},
                              headers=owner.headers)).status_code in (200, 201)
        put = await api.put("/api/v1/llm/providers/local", json={
            "kind": "openai_compatible", "model": "fake-small", "api_base": fake.base_url,
            "secret": "LLM_KEY", "timeout_seconds": 10}, headers=owner.headers)
        assert put.status_code in (200, 201), put.text
        bot = (await api.post("/api/v1/bots", json={"name": "streaming"},
                              headers=owner.headers)).json()
        created = await api.post(f"/api/v1/bots/{bot['id']}/scenarios", json={
            "name": "main", "document": chat_scenario()}, headers=owner.headers)
        assert created.status_code == 201, created.text
        published = await api.post(f"/api/v1/scenarios/{created.json()['id']}/publish",
                                   json={}, headers=owner.headers)
        assert published.status_code == 201, published.text
        return bot["id"]


async def test_an_answer_grows_in_one_message_and_ends_as_the_stored_text(
        stack, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fake_telegram, base, owner, _ = stack
    monkeypatch.setattr(telegram_stream, "EDIT_SECONDS", 0.15)
    async with FakeOpenAI(valid_keys={KEY}) as fake:
        bot_id = await llm_bot(base, owner, fake)
        await connect(base, owner, bot_id)
        await fake_telegram.deliver(TOKEN, fake_telegram.update(TOKEN, message=text(1, "/start")),
                                    timeout=30)
        fake.script(None, [Reply(text=WORDS, stream_delay=0.04)])
        await fake_telegram.deliver(TOKEN, fake_telegram.update(TOKEN, message=text(2, "story")),
                                    timeout=30)
        for _ in range(300):
            if WORDS in [t for t, _ in fake_telegram.texts.values()]:
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail(f"the answer never became whole: {fake_telegram.texts}")
        await asyncio.sleep(0.3)  # nothing more arrives after it
    sent = [c.params["text"] for c in fake_telegram.sent("sendMessage")]
    edits = [c.params["text"] for c in fake_telegram.sent("editMessageText")]
    # The answer's message was sent once, with its first words, then edited as it grew.
    answer_sends = [t for t in sent if t.startswith("word0")]
    assert len(answer_sends) == 1 and answer_sends[0] != WORDS, sent
    assert len(edits) >= 2, edits
    grown = [answer_sends[0], *edits]
    assert all(b.startswith(a) and len(b) > len(a) for a, b in zip(grown, grown[1:])), grown
    assert edits[-1] == WORDS
    # Paced: far fewer edits than pieces (30 words), never an edit that changed nothing.
    assert len(edits) < 20
    assert not [c for c in fake_telegram.calls if c.status == 400]
