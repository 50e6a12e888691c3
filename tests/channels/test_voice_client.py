"""The dispatcher's speech client: recordings are fetched for their own conversation only,
voice messages are bounded per conversation and per bot, and what cannot be heard in a
recording is an answer (nothing heard), not a failure of the service."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from chat.voice import VoiceClient, VoiceMedia, VoiceRejected
from core.cache import MemoryCache
from core.ratelimit import RateLimiter
from orchestrator.contract import TurnContext
from orchestrator.extension import ServiceCallError
from stt.jobs import JobFailed


class Heard:
    def __init__(self, fail: JobFailed | None = None) -> None:
        self.calls: list[tuple[bytes, str | None, Any]] = []
        self.fail = fail

    async def live(self, audio: bytes, language: str | None, org_id: Any = None) -> dict:
        self.calls.append((audio, language, org_id))
        if self.fail is not None:
            raise self.fail
        return {"text": "hello", "confidence": 0.9, "language": "en", "seconds": 1.0,
                "engine": "whisper", "words": [{"text": "hello"}]}


def context(conversation_id: uuid.UUID, bot_id: uuid.UUID) -> TurnContext:
    return TurnContext(conversation_id=conversation_id, bot_id=bot_id, org_id=uuid.uuid4(),
                       now=datetime.now(UTC), default_language="en", languages=["en"])


@pytest.fixture
def media() -> VoiceMedia:
    return VoiceMedia(SimpleNamespace(cache=MemoryCache()))  # type: ignore[arg-type]


async def test_a_recording_is_heard_for_its_own_conversation_only(media) -> None:  # type: ignore[no-untyped-def]
    heard = Heard()
    client = VoiceClient(heard, media)
    mine, other, bot = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    payload = await media.keep(mine, b"OggS recording", "audio/ogg")
    assert payload["source"] == "widget" and payload["mime_type"] == "audio/ogg"
    result = await client.call("transcribe", {"audio": payload, "language": "en"},
                               context(mine, bot), timeout=5)
    assert result.value == {"text": "hello", "confidence": 0.9, "language": "en",
                            "seconds": 1.0, "engine": "whisper"}  # no words in the trace
    assert heard.calls[0][:2] == (b"OggS recording", "en")
    with pytest.raises(ServiceCallError, match="no longer kept"):
        await client.call("transcribe", {"audio": payload}, context(other, bot), timeout=5)
    with pytest.raises(ServiceCallError, match="no operation"):
        await client.call("translate", {"audio": payload}, context(mine, bot), timeout=5)


async def test_a_message_sent_again_replaces_its_kept_copy(media) -> None:  # type: ignore[no-untyped-def]
    """A reconnecting widget sends its voice frame again: the copy is named after the
    client's message id, so the cache holds one recording, not one per try."""
    conversation = uuid.uuid4()
    first = await media.keep(conversation, b"OggS first try", "audio/ogg", "v1")
    again = await media.keep(conversation, b"OggS second try", "audio/ogg", "v1")
    other = await media.keep(conversation, b"OggS another", "audio/ogg", "v2")
    assert first["media"] == again["media"] != other["media"]
    assert len(media._runtime.cache._items) == 2
    assert await media.fetch(first, context(conversation, uuid.uuid4())) == b"OggS second try"
    unnamed = {(await media.keep(conversation, b"OggS", None))["media"] for _ in range(2)}
    assert len(unnamed) == 2  # no message id: each kept on its own


async def test_voice_messages_are_bounded_per_conversation_and_per_bot(media) -> None:  # type: ignore[no-untyped-def]
    client = VoiceClient(Heard(), media, RateLimiter.in_memory(), per_conversation=2,
                         per_bot=3)
    bot = uuid.uuid4()
    first, second = uuid.uuid4(), uuid.uuid4()
    async def say(conversation: uuid.UUID) -> Any:
        payload = await media.keep(conversation, b"audio", None)
        return await client.call("transcribe", {"audio": payload}, context(conversation, bot),
                                 timeout=5)
    await say(first)
    await say(first)
    with pytest.raises(ServiceCallError, match="too many voice messages"):
        await say(first)
    await say(second)  # the bot's third
    with pytest.raises(ServiceCallError, match="too many voice messages"):
        await say(second)  # the bot's fourth: over its share


async def test_nothing_to_hear_is_an_answer_and_engine_failures_are_errors(media) -> None:  # type: ignore[no-untyped-def]
    conversation, bot = uuid.uuid4(), uuid.uuid4()
    payload = await media.keep(conversation, b"audio", None)
    silent = VoiceClient(Heard(JobFailed("silence", "the recording is silent")), media)
    result = await silent.call("transcribe", {"audio": payload}, context(conversation, bot),
                               timeout=5)
    assert result.value == {"text": None, "reason": "silence: the recording is silent"}
    broken = VoiceClient(Heard(JobFailed("engine_failed", "whisper: boom")), media)
    with pytest.raises(ServiceCallError, match="engine_failed"):
        await broken.call("transcribe", {"audio": payload}, context(conversation, bot),
                          timeout=5)


async def test_recordings_are_bounded_and_typed(media) -> None:  # type: ignore[no-untyped-def]
    conversation = uuid.uuid4()
    with pytest.raises(VoiceRejected) as empty:
        await media.keep(conversation, b"", None)
    assert empty.value.code == "bad_frame"
    with pytest.raises(VoiceRejected) as big:
        await media.keep(conversation, b"\0" * (1024 * 1024 + 1), None)
    assert big.value.code == "too_long"
    with pytest.raises(VoiceRejected, match="not an audio type"):
        await media.keep(conversation, b"GIF89a", "image/gif")
