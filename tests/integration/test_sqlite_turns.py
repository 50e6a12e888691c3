"""The embedded mode's turn thread (chat.conversations.sqlite_store): group commit, one bad
turn failing alone, rows that the ORM reads exactly as SQLAlchemy would have written them, and
a thread that ends when idle and comes back with the next turn."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from chat.conversations.models import (
    Conversation,
    ConversationMessage,
    Turn,
    UserVariables,
)
from chat.conversations.sqlite_store import SqliteTurns
from chat.conversations.store import TurnPlan
from core.ids import new_id
from core.security import Role
from tests.integration.test_chat_api import bot_with, echo_document, start

pytestmark = pytest.mark.usefixtures("_sqlite_only")


@pytest.fixture
def _sqlite_only(settings) -> None:  # type: ignore[no-untyped-def]
    if not settings.is_sqlite:
        pytest.skip("the turn thread is the embedded mode's (SQLite) store")


def turns_for(runtime, **kwargs) -> SqliteTurns:  # type: ignore[no-untyped-def]
    return SqliteTurns(Path(runtime.engine.url.database), **kwargs)


async def started(client, make_actor, count: int) -> list[uuid.UUID]:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(client, owner, echo_document())
    ids = []
    for _ in range(count):
        _, chat = await start(client, headers, language="en")
        ids.append(uuid.UUID(chat.id))
    return ids


def plan_for(snapshot, text: str, *, seq: int | None = None,  # type: ignore[no-untyped-def]
             user_values: dict | None = None) -> TurnPlan:
    now = datetime.now(UTC)
    first = snapshot.message_seq + 1 if seq is None else seq
    return TurnPlan(
        conversation=snapshot, now=now,
        values={"version_id": snapshot.version_id, "status": "waiting",
                "state": {**snapshot.state, "note": text}, "message_seq": first + 1,
                "turn_seq": snapshot.turn_seq + 1, "last_activity_at": now,
                "timeout_at": now + timedelta(minutes=30), "ended_at": None, "language": None},
        messages=[{"id": new_id(), "seq": first, "direction": "in",
                   "body": {"kind": "text", "text": text}},
                  {"id": new_id(), "seq": first + 1, "direction": "out",
                   "body": {"kind": "text", "text": f"echo: {text}", "буква": "ї"}}],
        turn={"id": new_id(), "seq": snapshot.turn_seq + 1, "client_message_id": f"c-{text}",
              "version_id": snapshot.version_id, "event": {"kind": "text", "text": text},
              "response": {"said": text}, "trace": [{"block": "ask"}], "errors": [],
              "variable_changes": {"said": text}, "duration_ms": 1.5},
        user_values=user_values)


async def test_turns_of_many_conversations_commit_together_and_read_back_through_the_orm(
        client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    ids = await started(client, make_actor, 12)
    turns = turns_for(runtime)
    try:
        snapshots = await asyncio.gather(*(turns.snapshot(i, None) for i in ids))
        for (snapshot, replay), conversation_id in zip(snapshots, ids, strict=True):
            assert replay is None and snapshot.id == conversation_id
            assert snapshot.last_activity_at.tzinfo is not None
        await asyncio.gather(*(turns.write(plan_for(s, f"t{n}", user_values={"n": n}))
                               for n, (s, _) in enumerate(snapshots)))
    finally:
        await asyncio.to_thread(turns.close)

    async with runtime.sessionmaker() as session:
        for n, ((snapshot, _), conversation_id) in enumerate(zip(snapshots, ids, strict=True)):
            conversation = await session.get(Conversation, conversation_id)
            assert conversation.state["note"] == f"t{n}"
            assert conversation.message_seq == snapshot.message_seq + 2
            assert conversation.language == snapshot.language  # None kept the language
            assert conversation.timeout_at > conversation.last_activity_at
            messages = (await session.scalars(select(ConversationMessage).where(
                ConversationMessage.conversation_id == conversation_id,
                ConversationMessage.seq > snapshot.message_seq).order_by(
                ConversationMessage.seq))).all()
            assert [m.body["text"] for m in messages] == [f"t{n}", f"echo: t{n}"]
            assert messages[1].body["буква"] == "ї"
            turn = (await session.scalars(select(Turn).where(
                Turn.conversation_id == conversation_id,
                Turn.client_message_id == f"c-t{n}"))).one()
            assert turn.response == {"said": f"t{n}"} and turn.version_id == snapshot.version_id
            assert turn.created_at.tzinfo is not None
            values = await session.get(UserVariables, (snapshot.bot_id, snapshot.user_key))
            assert values.values == {"n": n}

    # The stored answer comes back for a repeated client message id.
    again = turns_for(runtime)
    try:
        snapshot, replay = await again.snapshot(ids[3], "c-t3")
        assert replay == {"said": "t3"} and snapshot.state["note"] == "t3"
        assert await again.snapshot(uuid.uuid4(), None) == (None, None)
        assert await again.variables(snapshot.bot_id, snapshot.user_key) == ({"n": 3}, {})
        assert await again.variables(snapshot.bot_id, "nobody") == ({}, {})
    finally:
        await asyncio.to_thread(again.close)


async def test_a_turn_that_cannot_be_stored_fails_alone(client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    ids = await started(client, make_actor, 6)
    turns = turns_for(runtime)
    try:
        snapshots = [s for s, _ in await asyncio.gather(*(turns.snapshot(i, None) for i in ids))]
        # The third reuses a message number its conversation already has: a unique violation.
        plans = [plan_for(s, f"ok{n}") for n, s in enumerate(snapshots)]
        plans[2] = plan_for(snapshots[2], "bad", seq=snapshots[2].message_seq)
        outcomes = await asyncio.gather(*(turns.write(p) for p in plans),
                                        return_exceptions=True)
    finally:
        await asyncio.to_thread(turns.close)
    assert [type(o).__name__ for o in outcomes] == [
        "NoneType", "NoneType", "IntegrityError", "NoneType", "NoneType", "NoneType"]
    async with runtime.sessionmaker() as session:
        for n, conversation_id in enumerate(ids):
            conversation = await session.get(Conversation, conversation_id)
            # Nothing of the failed turn was stored; every other turn was.
            assert conversation.state.get("note") == (None if n == 2 else f"ok{n}")


async def test_the_thread_ends_when_idle_and_returns_with_the_next_turn(
        client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    [conversation_id] = await started(client, make_actor, 1)
    turns = turns_for(runtime, idle_seconds=0.05)

    def running() -> int:
        return sum(1 for t in threading.enumerate() if t.name == "sqlite-turns" and t.is_alive()
                   and t is getattr(turns, "_thread", None))

    try:
        snapshot, _ = await turns.snapshot(conversation_id, None)
        for _ in range(100):
            await asyncio.sleep(0.02)
            if turns._thread is None:
                break
        assert turns._thread is None and running() == 0
        await turns.write(plan_for(snapshot, "after-idle"))  # a new thread takes it
        snapshot, _ = await turns.snapshot(conversation_id, None)
        assert snapshot.state["note"] == "after-idle"
    finally:
        await asyncio.to_thread(turns.close)
    assert turns._thread is None
    with pytest.raises(RuntimeError, match="closed"):
        await turns.snapshot(conversation_id, None)


async def test_a_cancelled_turn_still_stores_what_it_sent_to_be_written(
        client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    [conversation_id] = await started(client, make_actor, 1)
    turns = turns_for(runtime)
    try:
        snapshot, _ = await turns.snapshot(conversation_id, None)
        writing = asyncio.ensure_future(turns.write(plan_for(snapshot, "cancelled")))
        await asyncio.sleep(0)
        writing.cancel()
        # The thread finishes the job; the next read sees it.
        for _ in range(100):
            snapshot, _ = await turns.snapshot(conversation_id, None)
            if snapshot.state.get("note") == "cancelled":
                break
            await asyncio.sleep(0.01)
        assert snapshot.state.get("note") == "cancelled"
    finally:
        await asyncio.to_thread(turns.close)
