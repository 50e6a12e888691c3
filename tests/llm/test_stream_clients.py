"""The two ways an answer is streamed, held to the same behaviour against the fake
OpenAI-compatible server: llm.wire (OpenAI's protocol read directly, for openai, azure and
compatible servers) and litellm (Gemini, Anthropic). Pieces in order with the provider's own
token counts; a provider that fails before its first piece hands over to the next; a drop
keeps what came, marked; a prompt too long for the model says so; the person writing again
ends the answer; the wire connects only where the address policy allows."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.streams import Streams
from llm import client as llm_client
from llm.fake_server import FakeOpenAI, Reply
from llm.wire import Wire
from modules.contract import AddressPolicy

KEY = "sk-stream-0123456789abcdef"
WORDS = " ".join(f"word{i}" for i in range(20))
MESSAGES = [{"role": "user", "content": "hello"}]


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(valid_keys={KEY}) as server:
        yield server


@pytest.fixture(params=["wire", "litellm"])
async def wire(request) -> AsyncIterator[Wire | None]:  # type: ignore[no-untyped-def]
    if request.param == "litellm":
        yield None
        return
    made = Wire(AddressPolicy(["127.0.0.1"]))
    yield made
    await made.close()


def chain(fake: FakeOpenAI, *keys: str) -> list[llm_client.Provider]:
    return [llm_client.Provider(name=f"p{i}", kind="openai_compatible", model="fake-small",
                                api_base=fake.base_url, key=key, timeout=10)
            for i, key in enumerate(keys)]


async def streamed(providers: list[llm_client.Provider], wire: Wire | None,
                   interrupt_after: int | None = None) -> tuple[Any, list[dict[str, Any]]]:
    frames: list[dict[str, Any]] = []
    streams = Streams()

    async def sink(frame: dict[str, Any]) -> None:
        frames.append(frame)
        if interrupt_after is not None and len(frames) >= interrupt_after:
            streams.interrupt(conversation)

    conversation = uuid.uuid4()
    async with streams.turn(conversation, [sink]) as turn:
        writer = await turn.open("answer", interval=0)  # a frame per piece: all are seen
        done = await llm_client.stream(providers, MESSAGES, writer, wire=wire,
                                       max_tokens=100)
    return done, frames


def joined(frames: list[dict[str, Any]]) -> str:
    offset, text = 0, ""
    for frame in frames:
        assert frame["offset"] == offset, frames
        offset += len(frame["text"])
        text += frame["text"]
    return text


async def test_pieces_in_order_with_the_providers_counts(fake, wire) -> None:  # type: ignore[no-untyped-def]
    fake.script(None, [Reply(text=WORDS)])
    done, frames = await streamed(chain(fake, KEY), wire)
    assert done.text == joined(frames) == WORDS and not done.incomplete
    assert len(frames) >= 20 and frames[-1]["end"] is True
    assert (done.completion_tokens, done.finish_reason) == (20, "stop")
    assert done.prompt_tokens > 0
    sent = fake.requests[-1].body
    assert sent["stream"] is True and sent["stream_options"] == {"include_usage": True}


async def test_a_provider_failing_before_its_first_piece_hands_over(fake, wire) -> None:  # type: ignore[no-untyped-def]
    fake.script(None, [Reply(status=500), Reply(text="from the spare")])
    done, frames = await streamed(chain(fake, KEY, KEY), wire)
    assert (done.text, done.provider) == ("from the spare", "p1")
    [(name, reason)] = done.failed
    assert name == "p0" and "(500)" in reason
    # A wrong key: the provider's reason, never the key.
    with pytest.raises(llm_client.ChainFailed) as failed:
        await streamed(chain(fake, "sk-wrong-key-123456789"), wire)
    assert "AuthenticationError (401)" in str(failed.value)
    assert "sk-wrong" not in str(failed.value)


async def test_a_dropped_stream_keeps_what_came_and_asks_no_one_again(fake, wire) -> None:  # type: ignore[no-untyped-def]
    fake.script(None, [Reply(text=WORDS, drop_after=6)])
    asked = len(fake.requests)
    done, frames = await streamed(chain(fake, KEY, KEY), wire)
    assert done.incomplete and done.finish_reason == "dropped"
    assert done.text == joined(frames) and done.text and WORDS.startswith(done.text)
    assert done.text != WORDS and len(fake.requests) == asked + 1
    assert done.completion_tokens > 0  # estimated: the provider never sent its count


async def test_a_prompt_too_long_for_the_model_says_so(fake, wire) -> None:  # type: ignore[no-untyped-def]
    fake.script(None, [Reply(status=400, message="This model's maximum context length is "
                                                 "64 tokens. However, you requested 900.")])
    with pytest.raises(llm_client.ContextTooLong):
        await streamed(chain(fake, KEY, KEY), wire)


async def test_the_person_writing_again_ends_the_answer(fake, wire) -> None:  # type: ignore[no-untyped-def]
    fake.script(None, [Reply(text=WORDS, stream_delay=0.05)])
    done, frames = await asyncio.wait_for(streamed(chain(fake, KEY), wire, interrupt_after=3),
                                          10)
    assert done.incomplete and done.finish_reason == "interrupted"
    assert done.text == joined(frames) and 0 < len(done.text) < len(WORDS)


async def test_the_wire_connects_only_where_the_policy_allows(fake) -> None:  # type: ignore[no-untyped-def]
    closed = Wire(AddressPolicy([]))  # 127.0.0.1 is private: refused unless allowed
    try:
        with pytest.raises(llm_client.ChainFailed) as failed:
            await streamed(chain(fake, KEY), closed)
    finally:
        await closed.close()
    assert "127.0.0.1" in str(failed.value) and not fake.requests
