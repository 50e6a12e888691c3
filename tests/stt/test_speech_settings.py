"""An organization chooses its speech engines and their order among those the server runs:
its voice messages and uploads go to them (the first, then its fallbacks); other
organizations keep the server's order. Google Cloud Speech is the fake gRPC server here."""

from __future__ import annotations

import pytest

from core.security import Role
from stt.fake_google import FakeSpeechServer
from tests.stt.spoken import spoken
from tests.stt.test_transcriptions_api import finished


@pytest.fixture
async def google_app(settings, monkeypatch):  # type: ignore[no-untyped-def]
    """An app whose server runs both engines (whisper first), Google at the fake."""
    import httpx
    from asgi_lifespan import LifespanManager

    from gateway.app import create_app

    fake = FakeSpeechServer().start()
    own = settings.model_copy(update={"stt_engines": "whisper,google",
                                      "stt_google_endpoint": fake.address,
                                      "stt_google_timeout_seconds": 5.0})
    app = create_app(own)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=60):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://test", timeout=60) as client:
            yield client, fake
    fake.stop()


async def test_an_organization_chooses_its_engines(google_app, make_actor) -> None:  # type: ignore[no-untyped-def]
    client, fake = google_app
    owner = await make_actor(Role.owner)
    other = await make_actor(Role.owner)
    viewer = await make_actor(Role.viewer, org_id=owner.org_id)
    got = (await client.get("/api/v1/speech/settings", headers=owner.headers)).json()
    assert got == {"engines": ["whisper", "google"], "available": ["whisper", "google"],
                   "default": True}
    for body, reason in [({"engines": ["azure"]}, "does not run on this server"),
                         ({"engines": ["google", "google"]}, "each engine once"),
                         ({"engines": []}, "engines")]:
        refused = await client.put("/api/v1/speech/settings", json=body, headers=owner.headers)
        assert refused.status_code == 422 and reason in refused.text, refused.text
    assert (await client.put("/api/v1/speech/settings", json={"engines": ["google"]},
                             headers=viewer.headers)).status_code == 403
    chosen = await client.put("/api/v1/speech/settings",
                              json={"engines": ["google", "whisper"]}, headers=owner.headers)
    assert chosen.status_code == 200 and chosen.json()["default"] is False

    fake.answer("the order number is forty two", 0.9)
    sent = await client.post("/api/v1/transcriptions?language=uk-UA", content=spoken("hello"),
                             headers={**owner.headers, "Content-Type": "audio/ogg"})
    body = await finished(client, owner.headers, sent.json()["id"])
    assert body["status"] == "done" and body["result"]["engine"] == "google"
    assert body["text"] == "the order number is forty two"
    assert fake.requests[-1].language_code == "uk-UA"
    asked = len(fake.requests)

    # Another organization keeps the server's order: whisper, Google not asked.
    theirs = await client.post("/api/v1/transcriptions?language=en-US",
                               content=spoken("yes please"),
                               headers={**other.headers, "Content-Type": "audio/ogg"})
    body = await finished(client, other.headers, theirs.json()["id"])
    assert body["result"]["engine"].startswith("whisper") and "yes" in body["text"].lower()
    assert len(fake.requests) == asked

    # Google down: the organization's fallback (whisper) answers.
    import grpc

    fake.fail(grpc.StatusCode.UNAVAILABLE, "down", times=10)
    again = await client.post("/api/v1/transcriptions?language=en-US",
                              content=spoken("my name is bob"),
                              headers={**owner.headers, "Content-Type": "audio/ogg"})
    body = await finished(client, owner.headers, again.json()["id"])
    assert body["result"]["engine"].startswith("whisper") and "bob" in body["text"].lower()
