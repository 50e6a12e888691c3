"""The distributed mode's upload queue (a Redis stream with a consumer group) against a real
Redis: uploads spread over instances, each done once; an instance that stops mid-work has its
upload taken over by another; one that keeps dying is given up; audio that expired is said so.
Skipped without ROZMOVA_TEST_REDIS_URL."""

from __future__ import annotations

import asyncio
import os
import secrets
import uuid

import pytest

from stt.stream import UploadStream

pytestmark = pytest.mark.skipif("ROZMOVA_TEST_REDIS_URL" not in os.environ,
                                reason="ROZMOVA_TEST_REDIS_URL is not set")


@pytest.fixture
async def redis():  # type: ignore[no-untyped-def]
    from redis.asyncio import Redis

    client = Redis.from_url(os.environ["ROZMOVA_TEST_REDIS_URL"])
    prefix = f"rozmova-stream-{secrets.token_hex(4)}:"
    yield client, prefix
    keys = [k async for k in client.scan_iter(f"{prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


class Recorder:
    def __init__(self, hang: set[uuid.UUID] | None = None) -> None:
        self.done: list[tuple[uuid.UUID, bytes, str | None]] = []
        self.given_up: list[tuple[uuid.UUID, str]] = []
        self.started: list[uuid.UUID] = []
        self.hang = hang or set()

    async def work(self, transcription_id: uuid.UUID, audio: bytes, language: str | None) -> None:
        self.started.append(transcription_id)
        if transcription_id in self.hang:
            await asyncio.Event().wait()  # until cancelled: the instance stops
        self.done.append((transcription_id, audio, language))

    async def give_up(self, transcription_id: uuid.UUID, code: str, reason: str) -> None:
        assert reason
        self.given_up.append((transcription_id, code))


async def until(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    pytest.fail("the condition never held")


async def test_uploads_spread_over_instances_each_done_once(redis) -> None:  # type: ignore[no-untyped-def]
    client, prefix = redis
    first, second = Recorder(), Recorder()
    a = UploadStream(client, prefix, workers=1, consumer="a")
    b = UploadStream(client, prefix, workers=1, consumer="b")
    ids = [uuid.uuid4() for _ in range(6)]
    for n, transcription_id in enumerate(ids):
        await a.add(transcription_id, f"audio {n}".encode(), "en-US" if n % 2 else None)
    a.start(first.work, first.give_up)
    b.start(second.work, second.give_up)
    await until(lambda: len(first.done) + len(second.done) == 6)
    await asyncio.sleep(0.3)
    done = first.done + second.done
    assert sorted(d[0] for d in done) == sorted(ids)  # each once
    assert {d[1] for d in done} == {f"audio {n}".encode() for n in range(6)}
    assert {d[2] for d in done} == {"en-US", None}
    await a.close()
    await b.close()
    # Nothing is left behind: no entries, no audio.
    assert await client.xlen(f"{prefix}stt:uploads") == 0
    assert not [k async for k in client.scan_iter(f"{prefix}stt:audio:*")]


async def test_an_upload_of_a_stopped_instance_is_taken_over(redis) -> None:  # type: ignore[no-untyped-def]
    client, prefix = redis
    stuck = uuid.uuid4()
    dying = Recorder(hang={stuck})
    a = UploadStream(client, prefix, workers=1, consumer="a", claim_idle_seconds=0.5,
                     heartbeat_seconds=0.1)
    await a.add(stuck, b"long meeting", "uk-UA")
    a.start(dying.work, dying.give_up)
    await until(lambda: dying.started == [stuck])
    await asyncio.sleep(1.0)  # a's heartbeats keep it: nobody takes it over meanwhile
    watcher = Recorder()
    b = UploadStream(client, prefix, workers=1, consumer="b", claim_idle_seconds=0.5)
    b.start(watcher.work, watcher.give_up)
    await asyncio.sleep(1.0)
    assert watcher.started == []  # still a's
    await a.close()  # a stops: its heartbeats stop
    await until(lambda: [d[0] for d in watcher.done] == [stuck])
    assert watcher.done[0][1:] == (b"long meeting", "uk-UA")
    await b.close()


async def test_an_upload_that_keeps_dying_is_given_up_and_expired_audio_said_so(redis) -> None:  # type: ignore[no-untyped-def]
    client, prefix = redis
    cursed, expired = uuid.uuid4(), uuid.uuid4()
    seed = UploadStream(client, prefix, workers=1, consumer="seed")
    await seed.add(cursed, b"crashes the worker", None)
    for n in range(3):  # three instances each die while working on it
        dying = Recorder(hang={cursed})
        stream = UploadStream(client, prefix, workers=1, consumer=f"dying-{n}",
                              claim_idle_seconds=0.2, heartbeat_seconds=10)
        stream.start(dying.work, dying.give_up)
        await until(lambda: dying.started == [cursed])
        await stream.close()
        await asyncio.sleep(0.3)
    await seed.add(expired, b"gone", None)
    await client.delete(f"{prefix}stt:audio:{expired}")
    last = Recorder()
    stream = UploadStream(client, prefix, workers=1, consumer="last", claim_idle_seconds=0.2)
    stream.start(last.work, last.give_up)
    await until(lambda: len(last.given_up) == 2)
    assert sorted(last.given_up) == sorted([(cursed, "interrupted"), (expired, "expired")])
    assert last.started == []
    await stream.close()
    assert await client.xlen(f"{prefix}stt:uploads") == 0
