"""Sentiment and language of every person's message, end to end through the REST chat API:
stored with the message, a conversation that switches language when the bot asks for it, and
the mood trends of a person and of a bot (per day, week and month)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import update

from chat.conversations.models import ConversationMessage
from core.security import Role
from tests.integration.test_chat_api import start

ECHO = {"schema_version": 2, "entry": {"start": "ask"},
        "variables": [{"name": "said", "type": "string"}],
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "said",
                "prompt": {"uk": "Слухаю.", "en": "Listening."}}},
            {"id": "echo", "type": "message", "settings": {
                "text": {"uk": "Ви сказали: {{said}}", "en": "You said: {{said}}"}}}],
        "edges": [{"source": "ask", "target": "echo"}, {"source": "echo", "target": "ask"}]}


async def echo_bot(client, owner, **settings: Any) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    bot = (await client.post("/api/v1/bots", json={
        "name": f"mood-{uuid.uuid4().hex[:6]}", "languages": ["uk", "en"],
        "default_language": "uk", "settings": settings}, headers=owner.headers)).json()
    created = (await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                 json={"name": "main", "document": ECHO},
                                 headers=owner.headers)).json()
    published = await client.post(f"/api/v1/scenarios/{created['id']}/publish", json={},
                                  headers=owner.headers)
    assert published.status_code == 201, published.text
    key = (await client.get(f"/api/v1/bots/{bot['id']}/chat-key",
                            headers=owner.headers)).json()["key"]
    return bot["id"], {"X-Chat-Key": key}


async def inbound(client, owner, conversation_id: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    page = (await client.get(f"/api/v1/conversations/{conversation_id}/messages",
                             headers=owner.headers)).json()
    return [item for item in page["items"] if item["direction"] == "in"]


async def move_back(runtime, conversation_id: str, days: int) -> None:  # type: ignore[no-untyped-def]
    """What a conversation said, as if said `days` ago."""
    async with runtime.sessionmaker() as session, session.begin():
        rows = (await session.execute(
            ConversationMessage.__table__.select().where(
                ConversationMessage.conversation_id == uuid.UUID(conversation_id)))).all()
        for row in rows:
            await session.execute(update(ConversationMessage).where(
                ConversationMessage.id == row.id).values(
                created_at=row.created_at.replace(tzinfo=UTC) - timedelta(days=days)))


async def test_each_message_carries_its_sentiment_and_language(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, headers = await echo_bot(client, owner)
    _, chat = await start(client, headers, language="uk", end_user_id="olena")
    await chat.send(text="Дякую, все чудово, ви найкращі!")
    await chat.send(text="Це жахливо, замовлення знову зламане, я дуже злий")
    await chat.send(text="ok")
    said = await inbound(client, owner, chat.id)
    assert [m["body"]["sentiment"]["label"] for m in said] == ["positive", "negative",
                                                               said[2]["body"]["sentiment"]["label"]]
    assert said[0]["body"]["sentiment"]["score"] > 0.3 > -0.3 > said[1]["body"]["sentiment"]["score"]
    assert said[0]["body"]["detected_language"]["code"] == "uk"
    # Too short to tell: no language is claimed for it.
    assert said[2]["body"].get("detected_language", {}).get("confidence", 0) < 0.8


async def test_the_conversation_follows_the_persons_language_when_the_bot_asks(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, switching = await echo_bot(client, owner, switch_language=True)
    _, chat = await start(client, switching, language="uk")
    reply = await chat.send(text="Hello, I would like to check the status of my order please")
    assert [m["text"] for m in reply["messages"]][0].startswith("You said:"), reply
    reply = await chat.send(text="ok")  # too short to switch back
    assert reply["messages"][0]["text"].startswith("You said:")
    reply = await chat.send(text="Добрий день, хочу дізнатися, де моє замовлення")
    assert reply["messages"][0]["text"].startswith("Ви сказали:")
    # Without the setting the conversation keeps the language it started in.
    _, steady = await echo_bot(client, owner)
    _, chat = await start(client, steady, language="uk")
    reply = await chat.send(text="Hello, I would like to check the status of my order please")
    assert reply["messages"][0]["text"].startswith("Ви сказали:")


async def test_a_persons_mood_per_day_week_and_month(client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot_id, headers = await echo_bot(client, owner)
    # Ten days ago unhappy, today happy; another person's messages are not theirs.
    _, old = await start(client, headers, language="uk", end_user_id="taras")
    await old.send(text="Жахливий сервіс, я дуже розчарований")
    await old.send(text="Поверніть гроші, це погано")
    await move_back(runtime, old.id, 10)
    _, new = await start(client, headers, language="en", end_user_id="taras")
    await new.send(text="Thank you, everything works great now!")
    _, other = await start(client, headers, language="uk", end_user_id="someone-else")
    await other.send(text="Все погано")

    url = f"/api/v1/bots/{bot_id}/users/taras/mood"
    days = (await client.get(url, headers=owner.headers)).json()
    today = datetime.now(UTC).date()
    assert days["period"] == "day" and days["until"] == today.isoformat()
    assert days["since"] == (today - timedelta(days=29)).isoformat()
    assert [i["start"] for i in days["items"]] == [(today - timedelta(days=10)).isoformat(),
                                                    today.isoformat()]
    first, last = days["items"]
    assert (first["messages"], first["negative"], first["positive"]) == (2, 2, 0)
    assert (last["messages"], last["positive"]) == (1, 1)
    assert first["average_score"] < 0 < last["average_score"]
    assert days["messages"] == 3 and days["trend"] == "improving"

    months = (await client.get(url, params={"period": "month"}, headers=owner.headers)).json()
    assert sum(i["messages"] for i in months["items"]) == 3
    assert all(date.fromisoformat(i["start"]).day == 1 for i in months["items"])
    weeks = (await client.get(url, params={"period": "week"}, headers=owner.headers)).json()
    assert all(date.fromisoformat(i["start"]).weekday() == 0 for i in weeks["items"])
    assert len(weeks["items"]) == 2
    # A range that leaves out the old days.
    recent = (await client.get(url, params={"since": (today - timedelta(days=3)).isoformat()},
                               headers=owner.headers)).json()
    assert [i["messages"] for i in recent["items"]] == [1] and recent["trend"] is None
    nobody = (await client.get(f"/api/v1/bots/{bot_id}/users/nobody/mood",
                               headers=owner.headers)).json()
    assert nobody["items"] == [] and nobody["average_score"] is None


async def test_a_bots_share_of_negative_conversations(client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot_id, headers = await echo_bot(client, owner)
    for text in ("Це жахливо, я дуже злий", "Terrible, the worst support ever",
                 "Дякую, чудово!"):
        _, chat = await start(client, headers, language="uk")
        await chat.send(text=text)
    _, yesterday = await start(client, headers, language="en")
    await yesterday.send(text="Great, thanks a lot!")
    await move_back(runtime, yesterday.id, 1)
    # The conversation itself started yesterday too: conversations count on the day they began.
    from chat.conversations.models import Conversation
    async with runtime.sessionmaker() as session, session.begin():
        await session.execute(update(Conversation).where(
            Conversation.id == uuid.UUID(yesterday.id)).values(
            created_at=datetime.now(UTC) - timedelta(days=1)))
    mood = (await client.get(f"/api/v1/bots/{bot_id}/mood", headers=owner.headers)).json()
    today = datetime.now(UTC).date()
    by_day = {i["start"]: i for i in mood["items"]}
    assert by_day[today.isoformat()]["conversations"] == 3
    assert by_day[today.isoformat()]["negative_conversations"] == 2
    assert by_day[today.isoformat()]["negative_share"] == round(2 / 3, 4)
    assert by_day[(today - timedelta(days=1)).isoformat()]["negative_conversations"] == 0
    assert (mood["conversations"], mood["negative_conversations"]) == (4, 2)
    assert mood["negative_share"] == 0.5


async def test_mood_requests_are_checked_and_scoped(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    stranger = await make_actor(Role.owner)
    bot_id, _ = await echo_bot(client, owner)
    base = f"/api/v1/bots/{bot_id}"
    for path in (f"{base}/mood", f"{base}/users/x/mood"):
        hidden = await client.get(path, headers=stranger.headers)
        assert hidden.status_code == 404 and "no bot" in hidden.json()["detail"]
        assert (await client.get(path)).status_code == 401
    backwards = await client.get(f"{base}/mood", params={"since": "2026-05-02",
                                                         "until": "2026-05-01"},
                                 headers=owner.headers)
    assert backwards.status_code == 422
    assert backwards.headers["content-type"].startswith("application/problem+json")
    assert "after until" in backwards.json()["detail"]
    too_long = await client.get(f"{base}/mood", params={"since": "2020-01-01",
                                                        "until": "2026-01-01"},
                                headers=owner.headers)
    assert too_long.status_code == 422 and "at most 400 days" in too_long.json()["detail"]
    bad = await client.get(f"{base}/mood", params={"period": "year"}, headers=owner.headers)
    assert bad.status_code == 422


async def test_without_the_setting_nothing_is_scored(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot_id, headers = await echo_bot(client, owner, sentiment=False, detect_language=False)
    _, chat = await start(client, headers, language="uk", end_user_id="quiet")
    await chat.send(text="Це жахливо")
    [said] = await inbound(client, owner, chat.id)
    assert "sentiment" not in said["body"] and "detected_language" not in said["body"]
    mood = (await client.get(f"/api/v1/bots/{bot_id}/users/quiet/mood",
                             headers=owner.headers)).json()
    assert mood["items"] == []


async def test_the_person_never_sees_what_was_read_in_their_words(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, headers = await echo_bot(client, owner)
    _, chat = await start(client, headers, language="uk")
    await chat.send(text="Це жахливо, я дуже злий")
    as_person = (await client.get(f"/api/v1/conversations/{chat.id}/messages",
                                  headers=headers)).json()
    [said] = [i for i in as_person["items"] if i["direction"] == "in"]
    assert said["body"] == {"kind": "text", "text": "Це жахливо, я дуже злий"}
    [stored] = await inbound(client, owner, chat.id)
    assert stored["body"]["sentiment"]["label"] == "negative"
