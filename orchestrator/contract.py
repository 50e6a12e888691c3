"""The orchestrator's public contract: what goes into a turn (state, event, variables) and what
comes out (messages for the person, the input awaited, the new state, variable changes and a
trace). The chat service persists and delivers; the orchestrator only decides."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, JsonValue

STATE_FORMAT = 1


# What people send through messengers besides text (see InboundEvent).
MEDIA_KINDS = ("image", "audio", "video", "file", "location", "contact")


class InboundEvent(BaseModel):
    """One thing that happened in a conversation.

    * ``start``: a new conversation (or ``/start``/``/restart``) begins at the entry block;
    * ``text``: the person typed something; ``choice``: they pressed a button or picked a
      choice (``choice_id``); ``payload``: a channel sent structured data;
    * ``image``, ``audio`` (a voice message too), ``video``, ``file``, ``location``,
      ``contact``: what a messenger brings besides text; ``payload`` holds its details as
      plain JSON (a file by the messenger's reference or URL, ``latitude``/``longitude``,
      ``phone_number``...). A block that does not take one answers with its fallback;
    * ``command``: ``/name`` (without the slash in ``command``);
    * ``timeout``: the person was inactive for the bot's timeout;
    * ``no_input``: the block the conversation waits on had its own answer time
      (``InputRequest.no_input_seconds``) and it passed without an answer;
    * ``handback``: an operator hands a handed-off conversation back to the scenario;
    * ``service_result``: a deferred job finished (internal: ``payload`` holds ``job``, its
      id, and ``outcome``, a `ServiceOutcome`); the block that asked for it goes on.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["start", "text", "choice", "payload", "command", "timeout", "no_input",
                  "handback", "service_result", *MEDIA_KINDS]  # type: ignore[valid-type]
    text: str | None = None
    choice_id: str | None = None
    payload: JsonValue = None
    command: str | None = None


class Button(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    url: str | None = None


class OutboundMessage(BaseModel):
    """Something for the person, already rendered in the conversation's language.

    ``delay`` asks the channel to pause ``seconds`` before what follows (where it can: the
    widget shows typing, Telegram delivery waits; the REST API only reports it)."""

    model_config = ConfigDict(frozen=True)

    type: Literal["text", "image", "file", "video", "audio", "delay", "handoff"]
    text: str | None = None
    url: str | None = None
    buttons: list[Button] = Field(default_factory=list)
    quick_replies: list[Button] = Field(default_factory=list)
    seconds: float | None = None
    block_id: str | None = None
    # An answer shown while it was written (an LLM's): the final message replaces the pieces
    # the channel showed under this id (see docs/websocket-protocol.md, "partial").
    stream_id: str | None = None
    # The answer ended early (its provider's stream dropped, or the person wrote again):
    # what was said is kept as it is, never said again.
    incomplete: bool | None = None


class InputRequest(BaseModel):
    """What the conversation waits for after this turn."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["text", "number", "email", "phone", "date", "choice", "buttons", "handoff"]
    block_id: str
    choices: list[Button] = Field(default_factory=list)
    attempts_left: int | None = None
    # The block's own answer time: past it without an answer, a `no_input` event arrives
    # (the chat service arms it; None means only the bot's conversation timeout applies).
    no_input_seconds: float | None = None


class ServiceCall(BaseModel):
    """What a block asks of a service (see "Blocks that call a service" in the architecture):
    the engine suspends the turn at the block, the orchestrator's client makes the call under
    ``timeout_seconds``, the service's bulkhead and circuit breaker, and the engine resumes at
    the block with a `ServiceOutcome`."""

    model_config = ConfigDict(frozen=True)

    service: str                    # a registered service: "modules", later "nlu", "llm", ...
    operation: str                  # what of it: "script", "http", "module", ...
    request: dict[str, Any] = Field(default_factory=dict)   # JSON, the service's own schema
    timeout_seconds: float = Field(default=5.0, gt=0, le=3600)
    # Work that outlasts a turn (a long recording, a slow model): the turn ends with what
    # was said so far, the conversation waits on the block, and the outcome comes back later
    # as a `service_result` event through the normal turn path.
    deferred: bool = False


class DeferredJob(BaseModel):
    """A deferred call a turn started: the chat service runs it once the turn is stored and
    delivers its outcome as a `service_result` event (idempotent by ``job``)."""

    job: str
    block_id: str
    call: ServiceCall


class ServiceOutcome(BaseModel):
    """How a call ended: ``ok`` with the service's ``value``, or ``error``/``timeout`` with a
    message for the bot's author (and for the trace)."""

    model_config = ConfigDict(frozen=True)

    status: Literal["ok", "error", "timeout"]
    value: JsonValue = None
    error: str | None = None
    milliseconds: float = 0.0
    logs: list[str] = Field(default_factory=list)  # e.g. a script's console.log, bounded


def heard_in(outcome: ServiceOutcome, clean: Callable[[str], str] = str.strip
             ) -> dict[str, Any]:
    """What a `stt` / `transcribe` call heard in a person's voice message, as it is stored
    with the message (`TurnResult.heard`): `text` (`clean`ed; None when nothing was heard),
    `confidence`, `engine`, `language`, `seconds`, and `error` when there is no text."""
    value = outcome.value if isinstance(outcome.value, dict) else {}
    text = value.get("text") if outcome.status == "ok" else None
    text = clean(text) if isinstance(text, str) else ""
    heard: dict[str, Any] = {"text": text or None, **{k: value[k] for k in (
        "confidence", "engine", "language", "seconds") if value.get(k) is not None}}
    if not text:
        heard["error"] = (outcome.error or value.get("reason")
                          or "no speech was heard in the recording")
    return heard


class CallTrace(BaseModel):
    """A service call in the turn's trace."""

    service: str
    operation: str
    status: Literal["ok", "error", "timeout"]
    milliseconds: float
    error: str | None = None
    logs: list[str] = Field(default_factory=list)


class TraceStep(BaseModel):
    block_id: str
    type: str
    scenario: str
    port: str | None = None
    microseconds: float
    error: str | None = None
    call: CallTrace | None = None   # the block asked a service: how that call went


class TurnError(BaseModel):
    code: str  # e.g. "block.failed", "turn.step_limit", "scenario.missing"
    message: str
    block_id: str | None = None


class Frame(BaseModel):
    """One level of the scenario call stack (a jump to another scenario pushes a frame)."""

    version_id: uuid.UUID
    scenario: str
    block: str | None = None           # where this frame stands (waiting, or returned to)
    return_block: str | None = None    # in the caller frame: the jump block to continue from
    # In the caller frame: the block the person was answering when an event handler
    # (fallback, timeout, error) ran; when the handler's path ends, that block asks again.
    resume_block: str | None = None
    # ... and the attempts it had used, so a handler or command in between does not give the
    # person fresh tries.
    resume_attempts: int = 0


class ConversationState(BaseModel):
    """Everything the engine needs to continue a conversation; JSON round-trips exactly."""

    format: int = STATE_FORMAT
    status: Literal["active", "waiting", "handoff", "ended"] = "active"
    language: str
    frames: list[Frame]
    waiting_block: str | None = None
    attempts: int = 0
    variables: dict[str, Any] = Field(default_factory=dict)  # conversation scope
    pins: dict[str, uuid.UUID] = Field(
        default_factory=dict, description="Other scenarios' versions, pinned at first jump.")
    no_input_seconds: float | None = Field(
        None, description="The waiting block's own answer time: the chat service sends "
        "`no_input` (instead of `timeout`) when it passes without an answer.")
    pending_job: str | None = Field(
        None, description="The deferred job the conversation waits for on `waiting_block`.")
    jobs_started: int = 0


class TurnContext(BaseModel):
    """What the engine may read besides the state: other scopes' variables and system facts."""

    conversation_id: uuid.UUID
    bot_id: uuid.UUID
    org_id: uuid.UUID | None = None  # whose module library and secrets service calls use
    user_id: str | None = None
    channel: str = "rest"
    now: datetime
    default_language: str
    languages: list[str]
    user_variables: dict[str, Any] = Field(default_factory=dict)
    bot_variables: dict[str, Any] = Field(default_factory=dict)
    # The bot's setting: while an operator has the conversation, the scenario's own commands
    # run (and come back to the operator) instead of reaching the operator as text. The
    # built-in /start, /restart and /help always answer.
    commands_in_handoff: bool = False


class TurnResult(BaseModel):
    messages: list[OutboundMessage]
    input: InputRequest | None
    state: ConversationState
    ended: bool
    user_variable_changes: dict[str, Any] = Field(default_factory=dict)
    bot_variable_changes: dict[str, Any] = Field(default_factory=dict)
    variable_changes: dict[str, list[Any]] = Field(
        default_factory=dict, description="name -> [before, after], every scope, for the trace")
    trace: list[TraceStep] = Field(default_factory=list)
    errors: list[TurnError] = Field(default_factory=list)
    version_id: uuid.UUID | None = None
    jobs: list[DeferredJob] = Field(default_factory=list)  # to run once the turn is stored
    heard: dict[str, Any] | None = Field(None, description=(
        "The person's voice message as the speech service heard it, when the turn "
        "transcribed one: `text` (None when nothing could be heard), `confidence`, "
        "`engine`, `language`, `seconds`, or `error`. Stored with the person's message."))
    shares_variables: bool = Field(
        True, description="Whether the scenarios of the turn declare user- or bot-scope "
        "variables (which other conversations change): the caller must read them afresh "
        "for the next turn rather than remember them.")


class ScenarioNotRunnable(Exception):
    """The bot has no main scenario, or it has no live version yet."""


class ScenariosUnavailable(Exception):
    """The scenarios service did not answer in time: retry later."""


class OrchestratorClient(Protocol):
    async def start(
        self, *, scenario_id: uuid.UUID, context: TurnContext, language: str,
        variables: dict[str, Any] | None = None, version_id: uuid.UUID | None = None,
    ) -> TurnResult:
        """Begin a conversation on the scenario's live version, or on `version_id` (a
        version or a preview of the draft), pinned from here on."""
        ...

    async def advance(
        self, *, state: ConversationState, event: InboundEvent, context: TurnContext
    ) -> TurnResult:
        """Continue a conversation with one event."""
        ...

    async def run_job(self, job: DeferredJob, context: TurnContext) -> ServiceOutcome:
        """Do a deferred job's call (after its turn was stored); never raises."""
        ...


def in_process_client(scenarios: Any, cache_size: int = 256) -> OrchestratorClient:
    """The embedded implementation, built on a scenarios-service client. Services whose
    blocks the engine suspends for register their clients on its `dispatcher`."""
    from orchestrator.client import InProcessOrchestrator

    return InProcessOrchestrator(scenarios, cache_size=cache_size)
