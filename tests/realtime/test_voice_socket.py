"""Voice messages over the chat socket (the widget's way): a binary frame with a JSON header,
a newline and the recording, against a real server under uvicorn. The recording is kept in the
shared cache under the conversation, heard by the offline engine (ffmpeg decodes WebM/Opus as
browsers record it) and answered like typed text; the person's own message comes back with
what was heard. Bad frames are refused with a reason and the socket stays open."""

from __future__ import annotations

import json

import pytest

from tests.realtime.test_websocket_protocol import open_chat, texts
from tests.stt.spoken import silence, spoken

pytestmark = pytest.mark.slow


def voice_frame(audio: bytes, client_message_id: str, mime_type: str = "audio/webm;codecs=opus",
                **header) -> bytes:  # type: ignore[no-untyped-def]
    head = {"type": "voice", "client_message_id": client_message_id, "mime_type": mime_type,
            **header}
    return json.dumps(head).encode() + b"\n" + audio


async def test_a_voice_answer_over_the_socket_is_heard_and_echoed(server, demo_key) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = demo_key
    client, first = await open_chat(server, key, language="en")
    assert first[0]["bot"]["voice"] == {"max_bytes": 1024 * 1024, "max_seconds": 60}
    await client.say(choice_id="order")  # "What should I call you?"
    await client.ws.send(voice_frame(spoken("Bob", "webm"), "v1"))
    frames = await client.until("input", timeout=60)
    [ack] = [f for f in frames if f["type"] == "ack"]
    assert ack["client_message_id"] == "v1" and ack["duplicate"] is False
    [mine] = [f for f in frames if f["type"] == "message" and f["direction"] == "in"]
    assert mine["message"]["type"] == "audio" and mine["message"]["text"] == "Bob"
    assert mine["client_message_id"] == "v1" and mine["seq"] == ack["seq"]
    assert texts(frames) == ["How many cups, Bob? (1 to 10)"]
    assert frames[-1]["input"]["kind"] == "number"

    # The same message again (a widget reconnecting): acknowledged, not heard twice.
    await client.ws.send(voice_frame(spoken("Bob", "webm"), "v1"))
    again = await client.until("input", timeout=30)
    assert [f for f in again if f["type"] == "ack"][0]["duplicate"] is True
    assert texts(again) == []  # the answer was shown already

    # Nothing to hear: asked to type; the question still waits, its tries untouched.
    await client.ws.send(voice_frame(silence(2.0, "webm"), "v2"))
    frames = await client.until("input", timeout=60)
    assert texts(frames) == ["Sorry, I could not hear that. Please type it."]
    assert frames[-1]["input"]["kind"] == "number"
    [mine] = [f for f in frames if f["type"] == "message" and f["direction"] == "in"]
    assert mine["message"]["type"] == "audio" and "text" not in mine["message"]
    frames = await client.say(text="2")
    assert texts(frames)[-1].startswith("Bob, your order: 2")
    await client.ws.close()


async def test_bad_voice_frames_are_refused_and_the_socket_stays(server, demo_key) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = demo_key
    client, _ = await open_chat(server, key, language="en")
    cases = [
        (b"\x00\x01 no header", "bad_frame"),
        (b'{"type": "message"}\n' + b"\x00" * 10, "bad_frame"),
        (b"not json\n" + b"\x00" * 10, "bad_frame"),
        (voice_frame(b"\x00" * 10, "m1", mime_type="image/png"), "bad_frame"),
        (voice_frame(b"", "m2"), "bad_frame"),
        (voice_frame(b"\x00" * 10, "x" * 500), "bad_frame"),  # an id past its limit
        (voice_frame(b"\x00" * (1024 * 1024 + 1), "m3"), "too_long"),
    ]
    for frame, code in cases:
        await client.ws.send(frame)
        reply = await client.recv(timeout=10)
        assert reply["type"] == "error" and reply["code"] == code, (frame[:40], reply)
        assert reply["message"]
    frames = await client.say(choice_id="order")  # still talking
    assert texts(frames) == ["What should I call you?"]
    await client.ws.close()
