"""The `transcribe` block end to end on Telegram (fake Bot API, real server, offline engine):
a short voice message is heard within the turn, a long one after it (deferred: "one moment"
first, the transcript as the conversation's next event), a typed answer is taken where the
block allows it, and nothing heard leaves through `no_speech`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.channels.test_telegram_delivery import connect, text
from tests.channels.test_telegram_voice import said_after, voice
from tests.channels.test_telegram_webhook import TOKEN, stack  # noqa: F401  (fixture)
from tests.stt.spoken import silence, spoken

pytestmark = pytest.mark.slow


def note_scenario(**settings: Any) -> dict[str, Any]:
    return {
        "schema_version": 2, "entry": {"start": "note"},
        "variables": [{"name": "note", "type": "object"}],
        "blocks": [
            {"id": "note", "type": "transcribe", "settings": {
                "variable": "note", "prompt": {"uk": "Говоріть.", "en": "Speak."},
                **settings}},
            {"id": "heard", "type": "message", "settings": {"text": {
                "uk": "Почуто: {{note.text}}", "en": "Heard: {{note.text}}"}}},
            {"id": "silent", "type": "message", "settings": {"text": {
                "uk": "Тиша.", "en": "Silence."}}}],
        "edges": [{"source": "note", "target": "heard"},
                  {"source": "note", "port": "no_speech", "target": "silent"},
                  {"source": "heard", "target": "note"}, {"source": "silent", "target": "note"}]}


async def note_bot(base: str, owner, **settings: Any) -> str:  # type: ignore[no-untyped-def]
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        bot = (await api.post("/api/v1/bots", json={"name": "notes"},
                              headers=owner.headers)).json()
        created = await api.post(f"/api/v1/bots/{bot['id']}/scenarios", json={
            "name": "main", "document": note_scenario(**settings)}, headers=owner.headers)
        assert created.status_code == 201, created.text
        published = await api.post(f"/api/v1/scenarios/{created.json()['id']}/publish",
                                   json={}, headers=owner.headers)
        assert published.status_code == 201, published.text
        return bot["id"]


async def test_short_long_typed_and_silent_recordings(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, _ = stack
    bot_id = await note_bot(base, owner)
    await connect(base, owner, bot_id)
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(1, "/start")))
    assert await said_after(fake, 1) == ["Speak."]

    await fake.deliver(TOKEN, fake.update(TOKEN, message=voice(fake, spoken("yes please"))),
                       timeout=90)
    texts = await said_after(fake, 3)
    assert texts[1].lower().startswith("heard: yes, please"), texts
    assert texts[2] == "Speak."

    # Said to last 25 s: heard after the turn; the person is told at once.
    long = voice(fake, spoken("my name is bob"))
    long["voice"]["duration"] = 25
    answer = await fake.deliver(TOKEN, fake.update(TOKEN, message=long), timeout=30)
    assert answer.status_code == 200
    texts = await said_after(fake, 6)
    assert texts[3] == "Listening to your message, one moment…"
    assert texts[4].lower().startswith("heard: my name is bob"), texts
    assert texts[5] == "Speak."

    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(7, "typed instead")))
    texts = await said_after(fake, 8)
    assert texts[6:8] == ["Heard: typed instead", "Speak."]

    await fake.deliver(TOKEN, fake.update(TOKEN, message=voice(fake, silence())), timeout=90)
    texts = await said_after(fake, 10)
    assert texts[8:10] == ["Silence.", "Speak."]


async def test_text_refused_where_only_voice_is_taken(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, _ = stack
    bot_id = await note_bot(base, owner, accept_text=False)
    await connect(base, owner, bot_id)
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(1, "/start")))
    await said_after(fake, 1)
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(2, "typed")))
    texts = await said_after(fake, 2)
    assert texts[1] == "Please send a voice message."
