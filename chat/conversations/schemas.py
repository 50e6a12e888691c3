"""Request and response bodies of the REST chat API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from core.types import JsonData, Text
from orchestrator.contract import InputRequest, OutboundMessage

MAX_TEXT_CHARS = 4096
MAX_PREFILL_BYTES = 16 * 1024
ClientMessageId = str


PREVIEW_PREFIXES = ("preview:", "preview-bot:")  # end_user_ids only previews may have


class ConversationStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: str | None = Field(None, pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$",
                                 description="One of the bot's languages; default: the bot's.")
    end_user_id: Text | None = Field(
        None, min_length=1, max_length=128,
        description="Your id for the person: user-scoped variables follow it across "
        "conversations.")
    variables: dict[Text, JsonData] = Field(
        default_factory=dict, max_length=100,
        description="Prefilled variables: only the scenario's declared conversation-scope "
        "ones (a user- or bot-scope, undeclared or system variable, or a value that does not "
        "fit its type, is a 422). At most 100, 16 KiB as JSON.")

    @model_validator(mode="after")
    def _variables_fit(self) -> ConversationStart:
        size = len(orjson.dumps(self.variables))
        if size > MAX_PREFILL_BYTES:
            raise ValueError(f"variables take {size:,} bytes as JSON; at most "
                             f"{MAX_PREFILL_BYTES:,}")
        if self.end_user_id is not None and self.channel != "preview" and \
                self.end_user_id.startswith(PREVIEW_PREFIXES):
            # Those are the authors' previews' own: a person must not share their variables.
            raise ValueError(f"end_user_id may not start with {' or '.join(PREVIEW_PREFIXES)}"
                             ": those ids are the builder's previews' own")
        return self
    channel: str = Field("rest", pattern=r"^[a-z][a-z0-9_-]{0,31}$")
    scenario_id: uuid.UUID | None = Field(
        None, description="Start in this scenario instead of the bot's main one.")


class MessageIn(BaseModel):
    """One thing the person sends: `text`, a `choice_id` (a button or choice they picked) or a
    channel `payload`. Text starting with `/` is a command (`/start`, `/help`, ...)."""

    model_config = ConfigDict(extra="forbid")

    text: Text | None = Field(None, min_length=1)
    choice_id: Text | None = Field(None, min_length=1, max_length=64)
    payload: JsonData = None
    client_message_id: Text = Field(
        min_length=1, max_length=128,
        description="Unique per message from your side; a retry with the same id returns the "
        "first answer and runs nothing again.")

    @model_validator(mode="after")
    def _exactly_one(self) -> MessageIn:
        given = [n for n in ("text", "choice_id", "payload")
                 if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("send exactly one of text, choice_id or payload")
        return self


class MessageOut(OutboundMessage):
    seq: int = Field(description="Position in the conversation's history.")


class TurnAnswer(BaseModel):
    conversation_id: uuid.UUID
    messages: list[MessageOut]
    input: InputRequest | None = Field(description="What the conversation waits for now.")
    ended: bool
    status: Literal["active", "waiting", "handoff", "ended"]
    inbound_seq: int | None = Field(
        None, description="Where the person's message was stored in the history.")
    duplicate: bool = Field(
        False, description="True when this answers a client_message_id seen before.")
    # The turn's socket frames, built once by the service for every socket that shows the
    # conversation; not part of the REST answer.
    _frames: list[dict[str, Any]] | None = PrivateAttr(None)
    # Deferred jobs the turn started, with their context: run once the turn is stored.
    _jobs: Any = PrivateAttr(None)
    # A notice the turn gives once it is stored: (event, org_id, bot_id, language, summary).
    _notice: Any = PrivateAttr(None)
    # The answer as JSON-ready data, where the turn built it (as stored for replays): the
    # REST fast path sends it without a model dump.
    _json: dict[str, Any] | None = PrivateAttr(None)
    # The person's message as stored, where the turn changed it (a voice message with the
    # transcript the speech service heard): echoed to the person's sockets as stored.
    _inbound: dict[str, Any] | None = PrivateAttr(None)


class HistoryItem(BaseModel):
    seq: int
    direction: Literal["in", "out", "operator"]
    body: dict[str, Any]
    created_at: datetime


class HistoryPage(BaseModel):
    items: list[HistoryItem]
    next_after_seq: int | None = Field(description="Pass as after_seq for the next page.")


class TraceTurn(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    client_message_id: str | None
    version_id: uuid.UUID | None
    event: dict[str, Any]
    trace: list[Any]
    errors: list[Any]
    variable_changes: dict[str, Any]
    duration_ms: float
    created_at: datetime


class TracePage(BaseModel):
    items: list[TraceTurn]


class ConversationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    bot_id: uuid.UUID
    scenario_id: uuid.UUID
    version_id: uuid.UUID
    end_user_id: str | None
    channel: str
    language: str
    status: str
    created_at: datetime
    last_activity_at: datetime


class ConversationPage(BaseModel):
    items: list[ConversationRead]


class UserMoodPeriod(BaseModel):
    start: date = Field(description="The day, the Monday of the week, or the 1st of the month.")
    messages: int
    average_score: float | None = Field(description="-1 (very negative) .. +1 (very positive).")
    negative: int
    neutral: int
    positive: int


class UserMood(BaseModel):
    """How one person's messages to the bot sounded, per period (UTC days)."""

    bot_id: uuid.UUID
    end_user_id: str
    period: Literal["day", "week", "month"]
    since: date
    until: date
    messages: int
    average_score: float | None
    trend: Literal["improving", "worsening", "steady"] | None = Field(
        description="The later half of the periods against the earlier half.")
    items: list[UserMoodPeriod] = Field(description="Periods with messages, oldest first.")


class BotMoodPeriod(BaseModel):
    start: date
    conversations: int = Field(description="Conversations started in the period whose person "
                                           "wrote something scored.")
    negative_conversations: int = Field(description="Of those, the ones whose messages sound "
                                                    "negative on average.")
    negative_share: float | None
    messages: int
    average_score: float | None


class BotMood(BaseModel):
    """The bot's conversations by mood, per period of the day they started (UTC)."""

    bot_id: uuid.UUID
    period: Literal["day", "week", "month"]
    since: date
    until: date
    conversations: int
    negative_conversations: int
    negative_share: float | None
    items: list[BotMoodPeriod]


class OperatorMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Text = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    author_name: Text = Field(
        "Operator", min_length=1, max_length=60,
        description="The name the person sees beside the message (never the operator's "
        "account, id or email).")


class PreviewStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(
        None, ge=1, description="A published version to try; default: the draft as it is "
        "now (validated as a publish would be, without publishing).")
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$",
                                 description="One of the bot's languages; default: the bot's.")
    variables: dict[Text, JsonData] = Field(
        default_factory=dict, max_length=100,
        description="Prefilled conversation-scope variables, as when starting a conversation.")


class PreviewStarted(BaseModel):
    conversation_id: uuid.UUID
    scenario_id: uuid.UUID
    version_id: uuid.UUID = Field(description="What the conversation runs: the version's id, "
                                  "or the id of the draft revision frozen for it.")
    version: int | None = Field(description="The version number; null for the draft.")
    revision: int | None = Field(description="The draft revision it runs; null for a version.")
    resume_token: str = Field(
        description="Joins the conversation over the chat socket (`/ws/v1/chat?key=<the "
        "bot's chat key>`, hello with `resume: {token, last_seq: 0}`), as the widget does.")
    answer: TurnAnswer = Field(description="The bot's first messages and what it waits for.")
