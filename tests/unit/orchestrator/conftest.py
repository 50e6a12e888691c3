"""Fixtures for the engine's tests: documents built in a few lines, compiled without a
database, and a small driver that plays a conversation turn by turn."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from orchestrator.contract import ConversationState, InboundEvent, TurnContext, TurnResult
from orchestrator.engine import CompiledScenario, Engine, compile_document

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "support-bot.json"
NOW = datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC)
BOT_ID = uuid.UUID("00000000-0000-0000-0000-0000000000b0")
CONVERSATION_ID = uuid.UUID("00000000-0000-0000-0000-0000000000c0")


def document(blocks: list[dict[str, Any]], edges: list[tuple[str, str, str]] | None = None, *,
             start: str | None = None, variables: list[dict[str, Any]] | None = None,
             commands: dict[str, str] | None = None,
             events: dict[str, str] | None = None) -> dict[str, Any]:
    """A format v1 document; edges as (source, port, target)."""
    return {
        "schema_version": 2,
        "entry": {"start": start or blocks[0]["id"], "commands": commands or {},
                  "events": events or {}},
        "variables": variables or [],
        "blocks": blocks,
        "edges": [{"source": s, "port": p, "target": t} for s, p, t in edges or []],
    }


def block(id: str, type: str, **settings: Any) -> dict[str, Any]:
    return {"id": id, "type": type, "settings": settings}


def say(id: str, en: str, uk: str | None = None, **more: Any) -> dict[str, Any]:
    return block(id, "message", text={"en": en, "uk": uk or f"uk:{en}"}, **more)


def text(en: str, uk: str | None = None) -> dict[str, str]:
    return {"en": en, "uk": uk or f"uk:{en}"}


def compile_doc(doc: Mapping[str, Any], name: str = "main", *, validate: bool = True,
                languages: tuple[str, ...] = ("en", "uk"),
                default_language: str = "en") -> CompiledScenario:
    return compile_document(doc, version_id=uuid.uuid5(uuid.NAMESPACE_URL, name), name=name,
                            languages=languages, default_language=default_language,
                            validate=validate)


def context(language_default: str = "en", **more: Any) -> TurnContext:
    return TurnContext(conversation_id=CONVERSATION_ID, bot_id=BOT_ID, user_id="u1",
                       channel="telegram", now=NOW, default_language=language_default,
                       languages=["en", "uk"], **more)


class Chat:
    """Plays one conversation: keeps the state and the user/bot variables between turns."""

    def __init__(self, *scenarios: CompiledScenario, language: str = "en",
                 engine: Engine | None = None, variables: dict[str, Any] | None = None,
                 default_language: str = "en") -> None:
        self.engine = engine or Engine(clock=lambda: 0)
        self.main = scenarios[0]
        self.scenarios = {s.version_id: s for s in scenarios}
        state = self.engine.start_state(self.main, language, variables)
        self.state: ConversationState = state.model_copy(
            update={"pins": {s.name: s.version_id for s in scenarios}})
        self.context = context(default_language)
        self.user: dict[str, Any] = {}
        self.bot: dict[str, Any] = {}
        self.last: TurnResult | None = None
        self.prefill = dict(variables or {})

    def send(self, event: InboundEvent) -> TurnResult:
        ctx = self.context.model_copy(update={"user_variables": dict(self.user),
                                              "bot_variables": dict(self.bot)})
        result = self.engine.run_turn(self.scenarios, self.state, event, ctx)
        self.state = result.state
        self.user.update(result.user_variable_changes)
        self.bot.update(result.bot_variable_changes)
        self.last = result
        return result

    def start(self, **payload: Any) -> TurnResult:
        # As the client does: prefilled variables ride on the start event.
        values = {**self.prefill, **payload}
        return self.send(InboundEvent(kind="start", payload=values or None))

    def say(self, words: str) -> TurnResult:
        return self.send(InboundEvent(kind="text", text=words))

    def choose(self, choice_id: str) -> TurnResult:
        return self.send(InboundEvent(kind="choice", choice_id=choice_id))

    def command(self, name: str) -> TurnResult:
        return self.send(InboundEvent(kind="command", command=name))

    @property
    def vars(self) -> dict[str, Any]:
        return self.state.variables


def texts(result: TurnResult) -> list[str | None]:
    return [m.text for m in result.messages if m.type == "text"]


@pytest.fixture
def engine() -> Engine:
    return Engine(clock=lambda: 0)
