"""Uploading recordings for transcription through the API, against a real server process
(uvicorn): stored before the answer, transcribed in the background by the offline engine,
followed to the end; what is not usable audio is refused at once with a reason; another
organization sees none of it."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import pytest

from core.security import Role
from tests.conftest import shared_data

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason=(
    "ffmpeg is not installed (apt-get install ffmpeg; .ci/run does)"))


def tone(tmp_path: Path, seconds: float = 1.5) -> bytes:
    out = tmp_path / "tone.ogg"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                    f"sine=frequency=330:duration={seconds}", "-ac", "1", "-ar", "48000",
                    "-c:a", "libopus", str(out)], check=True)
    return out.read_bytes()


async def finished(client, headers, transcription_id: str) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(600):
        body = (await client.get(f"/api/v1/transcriptions/{transcription_id}",
                                 headers=headers)).json()
        if body["status"] in ("done", "failed"):
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"still {body['status']}")


async def test_an_upload_is_stored_then_transcribed(live_client, make_actor, tmp_path) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    stranger = await make_actor(Role.owner)
    sent = await live_client.post("/api/v1/transcriptions?language=en-US", content=tone(tmp_path),
                                  headers={**owner.headers, "Content-Type": "audio/ogg"})
    assert sent.status_code == 202, sent.text
    row = sent.json()
    assert row["status"] in ("queued", "running") and row["language"] == "en-US"
    assert row["bytes"] > 0 and row["text"] is None
    # Stored before the answer: readable at once, by its organization only.
    listed = (await live_client.get("/api/v1/transcriptions", headers=owner.headers)).json()
    assert [r["id"] for r in listed] == [row["id"]]
    hidden = await live_client.get(f"/api/v1/transcriptions/{row['id']}",
                                   headers=stranger.headers)
    assert hidden.status_code == 404
    done = await finished(live_client, owner.headers, row["id"])
    assert done["status"] == "done" and done["progress"] == 1.0, done
    assert done["result"]["engine"] == "whisper"
    assert abs(done["result"]["seconds"] - 1.5) < 0.1
    assert done["finished_at"] is not None


async def test_speech_comes_back_as_its_words(live_client, make_actor) -> None:  # type: ignore[no-untyped-def]
    audio = shared_data("audio", "en", "jfk.flac").read_bytes()
    owner = await make_actor(Role.operator)
    sent = await live_client.post("/api/v1/transcriptions", content=audio,
                                  headers={**owner.headers, "Content-Type": "audio/flac"})
    assert sent.status_code == 202, sent.text
    done = await finished(live_client, owner.headers, sent.json()["id"])
    assert "ask not what your country can do for you" in done["text"].lower()
    words = done["result"]["words"]
    assert words and all(0 <= w["confidence"] <= 1 for w in words)
    assert [w["start"] for w in words] == sorted(w["start"] for w in words)


async def test_what_is_not_usable_audio_is_refused_at_once(live_client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    for body, kind, status, says in (
            (b"just some text, not a recording", "audio/ogg", 422, "not_audio"),
            (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "audio/mpeg", 422, "not_audio"),
            (b"OggS", "text/plain", 422, "audio type"),
            (b"", "audio/ogg", 422, "empty"),
            (b"\x00" * (26 * 1024 * 1024), "audio/wav", 413, "limit")):
        answer = await live_client.post("/api/v1/transcriptions", content=body,
                                        headers={**owner.headers, "Content-Type": kind})
        assert answer.status_code == status, (kind, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert says in answer.json()["detail"], answer.json()
    # Nothing of them was stored.
    assert (await live_client.get("/api/v1/transcriptions", headers=owner.headers)).json() == []
    viewer = await make_actor(Role.viewer, org_id=owner.org_id)
    refused = await live_client.post("/api/v1/transcriptions", content=b"x",
                                     headers={**viewer.headers, "Content-Type": "audio/ogg"})
    assert refused.status_code == 403
