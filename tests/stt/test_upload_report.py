"""An upload that ends in a report: the recording is transcribed, the organization's model
(litellm against the fake OpenAI server) writes a report on the transcript with the
uploader's instructions, the report is kept with the transcription, and the organization's
webhook for `recording_report` hears of it (signed). A bot's own target does not: the upload
belongs to no bot."""

from __future__ import annotations

import asyncio
import json

from core.security import Role
from llm.fake_server import FakeOpenAI, Reply
from notify.sender import verify_signature
from tests.llm.test_llm_block import KEY, provider
from tests.notify.test_notify import receiving
from tests.stt.spoken import spoken

HOOK_KEY = "whsec-0123456789"


async def finished(client, headers, transcription_id: str) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(600):
        body = (await client.get(f"/api/v1/transcriptions/{transcription_id}",
                                 headers=headers)).json()
        report = (body.get("result") or {}).get("report") or {}
        if body["status"] == "failed" or report.get("status") in ("done", "failed"):
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"not finished: {body}")


async def test_an_upload_ends_in_a_report_and_a_notice(client, app, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    async with FakeOpenAI(valid_keys={KEY}) as fake, receiving() as receiver:
        await provider(client, owner, fake)
        await client.put("/api/v1/secrets/HOOK_KEY", json={"value": HOOK_KEY},
                         headers=owner.headers)
        hook = await client.put("/api/v1/notifications/targets/crm", json={
            "kind": "webhook", "events": ["recording_report", "report"], "url": receiver.url,
            "secret": "HOOK_KEY"}, headers=owner.headers)
        assert hook.status_code == 201, hook.text
        fake.script(None, [Reply(text="Bob introduced himself; nothing is open.")])
        sent = await client.post(
            "/api/v1/transcriptions?language=en-US&report=local&instructions=Name+the+speaker",
            content=spoken("my name is bob"),
            headers={**owner.headers, "Content-Type": "audio/ogg"})
        assert sent.status_code == 202, sent.text
        assert sent.json()["result"]["report"] == {
            "status": "requested", "provider": "local", "instructions": "Name the speaker"}
        done = await finished(client, owner.headers, sent.json()["id"])
        await app.state.clients["notify"].drain()
        for _ in range(50):
            if receiver.requests:
                break
            await asyncio.sleep(0.1)
        [asked] = fake.requests
    assert done["status"] == "done" and "bob" in done["text"].lower()
    report = done["result"]["report"]
    assert report["status"] == "done" and report["provider"] == "local"
    assert report["text"] == "Bob introduced himself; nothing is open."
    prompt = json.dumps(asked.body)
    assert "Name the speaker" in prompt and "my name is bob" in prompt.lower()
    assert "in English" in prompt
    [request] = receiver.requests
    assert verify_signature(HOOK_KEY, request.headers["x-rozmova-timestamp"], request.body,
                            request.headers["x-rozmova-signature"])
    body = json.loads(request.body)
    assert body["event"] == "recording_report" and body["recording_id"] == done["id"]
    assert body["bot_id"] is None and body["conversation_id"] is None
    assert body["summary"] == "Bob introduced himself; nothing is open."


async def test_a_report_needs_a_provider_the_organization_has(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    audio = spoken("hello there")
    for query, reason in [("report=nowhere", "nowhere"),
                          ("instructions=Be+brief", "instructions go with report"),
                          ("report=bad%20name", "report")]:
        answer = await client.post(f"/api/v1/transcriptions?{query}", content=audio,
                                   headers={**owner.headers, "Content-Type": "audio/ogg"})
        assert answer.status_code == 422, (query, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert reason in answer.json()["detail"] + json.dumps(answer.json().get("errors")), \
            (query, answer.json())
    listed = (await client.get("/api/v1/transcriptions", headers=owner.headers)).json()
    assert listed == []  # nothing was stored


async def test_a_failing_model_leaves_the_transcript_and_says_why(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    async with FakeOpenAI(valid_keys={KEY}) as fake:
        await provider(client, owner, fake)
        fake.script(None, [Reply(status=500)] * 6)
        sent = await client.post("/api/v1/transcriptions?language=en-US&report=local",
                                 content=spoken("yes please"),
                                 headers={**owner.headers, "Content-Type": "audio/ogg"})
        done = await finished(client, owner.headers, sent.json()["id"])
    assert done["status"] == "done" and "yes" in done["text"].lower()
    assert done["result"]["report"]["status"] == "failed"
    assert done["result"]["report"]["error"]
