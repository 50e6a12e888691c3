"""Conversation logic: start a conversation, handle one inbound event under the
conversation's lock with idempotency, persist everything the turn produced in one
transaction, and serve history, traces and operator actions."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Protocol

import orjson
import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chat.conversations import mood
from chat.conversations.models import Conversation, ConversationMessage, Turn
from chat.conversations.schemas import (
    ConversationStart,
    HistoryItem,
    HistoryPage,
    MessageOut,
    TurnAnswer,
)
from chat.conversations.store import GroupCommits, Snapshot, TurnPlan, turn_store
from chat.conversations.warm import Warm, WarmConversations
from chat.realtime.frames import (
    conversation_name,
    history_frame,
    person_view,
    request_body,
    turn_frames,
)
from chat.realtime.hub import news
from core.db import transaction, utcnow
from core.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceUnavailable
from core.fast import constructor
from core.ids import new_id
from core.locks import Held
from core.streams import Sink, Streams
from core.runtime import Runtime
from core.security import Role
from core.tasks import stop
from orchestrator.contract import (
    MEDIA_KINDS,
    ConversationState,
    InboundEvent,
    InputRequest,
    OrchestratorClient,
    OutboundMessage,
    ScenarioNotRunnable,
    ScenariosUnavailable,
    ServiceCall,
    TurnContext,
    TurnResult,
    heard_in,
)
from scenarios.contract import BOT_CACHE_PREFIX, BotInfo, ScenariosClient, bot_cache_key

log = structlog.get_logger("rozmova.chat")

# A turn waits this long for the previous one of the same conversation; a crashed holder's
# lease runs out after LOCK_LEASE so no conversation stays wedged.
# Authors' conversations with a draft (or a version) from the builder: not traffic.
PREVIEW_CHANNEL = "preview"


def preview_key(user_key: str) -> str:
    """Where a preview's bot-scope values are kept: a row of user-scope values under a key
    that no person's conversation may take (see schemas.PREVIEW_PREFIXES)."""
    return f"preview-bot:{user_key}"


async def _see_preview_values(store: Any, conversation: Snapshot) -> None:
    """A preview sees the bot's values with its own writes over them; the writes are kept on
    the snapshot for the turn's record to add to."""
    own, _ = await store.variables(conversation.bot_id, preview_key(conversation.user_key))
    conversation.preview_values = own
    if own:
        conversation.bot_values = {**conversation.bot_values, **own}
# What the person said is history; a timeout or an operator's handback is not.
PERSON_EVENTS = frozenset({"text", "choice", "payload", "command", *MEDIA_KINDS})
# What an operator takes over from the scenario while the conversation is handed off.
_SAID = frozenset({"text", "choice", "payload", *MEDIA_KINDS})
# Answered by the engine even while an operator has the conversation.
BUILTIN_COMMANDS = frozenset({"start", "restart", "help"})
LOCK_WAIT_SECONDS = 10.0
VOICE_SECONDS = 60.0  # hearing a voice message for an operator (as the engine's own limit)
LOCK_LEASE_SECONDS = 30.0


class ConversationEnded(Conflict):
    code, title = "conversation_ended", "Conversation ended"


class NotRunnable(Conflict):
    code, title = "not_runnable", "Nothing to run"


@dataclass(frozen=True, slots=True)
class ChatScope:
    """Who may touch which conversations: a chat key reaches one bot; organization
    credentials reach every bot of the organization."""

    org_id: uuid.UUID
    bot_id: uuid.UUID | None = None
    # The caller's role with organization credentials; None with a chat key (which speaks
    # as the person, in its one bot).
    role: Role | None = None

    def allows(self, org_id: uuid.UUID, bot_id: uuid.UUID) -> bool:
        return org_id == self.org_id and (self.bot_id is None or self.bot_id == bot_id)

    def require_speaker(self) -> None:
        """Starting a conversation or speaking in one with organization credentials acts on
        a customer's conversation: operators and above only, never a viewer."""
        if self.role is not None and not self.role.allows(Role.operator):
            raise Forbidden(f"speaking in conversations needs the operator role or higher; "
                            f"you have {self.role.value}")


def user_key(end_user_id: str | None, conversation_id: uuid.UUID) -> str:
    """Whose user-scoped variables these are. A person the channel does not identify keeps
    them for this conversation only."""
    return end_user_id if end_user_id is not None else f"anonymous:{conversation_id}"


def inbound_body(event: InboundEvent) -> dict[str, Any]:
    """`event.model_dump(mode="json", exclude_none=True)`, by hand (once per message): a
    payload is JSON already (`JsonValue`)."""
    body: dict[str, Any] = {"kind": event.kind}
    for name in ("text", "choice_id", "payload", "command"):
        value = getattr(event, name)
        if value is not None:
            body[name] = value
    return body


_construct_context = constructor(TurnContext)
_construct_message = constructor(MessageOut)


# --- the engine's results as stored JSON (the hot path: no validation, no model_dump) -------

def _button(button: Any) -> dict[str, Any]:
    out = {"id": button.id, "label": button.label}
    if button.url is not None:
        out["url"] = button.url
    return out


def stored_body(message: OutboundMessage) -> dict[str, Any]:
    """A bot message as history stores it: only the fields it has (no nulls, no empty
    lists); the same as `model_dump(exclude_none, exclude_defaults)` with `type` kept."""
    body: dict[str, Any] = {"type": message.type}
    for name in ("text", "url", "seconds", "block_id", "stream_id", "incomplete"):
        value = getattr(message, name)
        if value is not None:
            body[name] = value
    if message.buttons:
        body["buttons"] = [_button(b) for b in message.buttons]
    if message.quick_replies:
        body["quick_replies"] = [_button(b) for b in message.quick_replies]
    return body


def body_for_answer(message: OutboundMessage) -> dict[str, Any]:
    """Every field, as the REST answer (and a replay of it) has them."""
    return {"type": message.type, "text": message.text, "url": message.url,
            "buttons": [{"id": b.id, "label": b.label, "url": b.url} for b in message.buttons],
            "quick_replies": [{"id": b.id, "label": b.label, "url": b.url}
                              for b in message.quick_replies],
            "seconds": message.seconds, "block_id": message.block_id,
            "stream_id": message.stream_id, "incomplete": message.incomplete}




def state_json(state: ConversationState) -> dict[str, Any]:
    """The state as stored; `ConversationState.model_validate` reads it back exactly."""
    return {
        "format": state.format, "status": state.status, "language": state.language,
        "frames": [{"version_id": str(f.version_id), "scenario": f.scenario, "block": f.block,
                    "return_block": f.return_block, "resume_block": f.resume_block,
                    "resume_attempts": f.resume_attempts} for f in state.frames],
        "waiting_block": state.waiting_block, "attempts": state.attempts,
        "variables": state.variables,
        "pins": {name: str(version) for name, version in state.pins.items()},
        "no_input_seconds": state.no_input_seconds,
        "pending_job": state.pending_job, "jobs_started": state.jobs_started,
    }


class Insight(Protocol):
    language: str | None
    language_confidence: float

    def stored(self) -> dict[str, Any]: ...


class MessageReader(Protocol):
    """Reads a person's text before the scenario runs (the NLU service's `read_message`,
    wired by the composition root): its language and sentiment, kept with the message."""

    def __call__(self, text: str, *, languages: list[str], language: str, sentiment: bool,
                 detect_language: bool) -> Insight: ...


class Fanout(Protocol):
    """Where news of a turn goes besides the answer: this app's sockets directly, the other
    instances that show the conversation through the lock's release (see chat.realtime.hub)."""

    id: str

    async def deliver_local(self, conversation_id: uuid.UUID, frames: list[dict[str, Any]],
                            origin: str | None) -> None: ...

    async def publish(self, members: list[str], message: bytes) -> None: ...

    async def ensure_listening(self, wait_seconds: float = 5.0) -> None: ...


def streaming_name(conversation_id: uuid.UUID) -> str:
    """The presence of the instance whose turn streams an answer in the conversation."""
    return f"streaming:{conversation_id}"


def _trace_json(step: Any) -> dict[str, Any]:
    """A trace step as stored: plain data (a service call's record included)."""
    data = step.__dict__
    if data.get("call") is not None:
        return {**data, "call": dict(data["call"].__dict__)}
    return data


class _WarmWriteFailed(Exception):
    """A turn run on a remembered conversation could not be written."""


class ConversationService:
    def __init__(self, runtime: Runtime, orchestrator: OrchestratorClient,
                 scenarios: ScenariosClient, hub: Fanout | None = None,
                 reader: MessageReader | None = None, notifier: Any = None) -> None:
        self._runtime = runtime
        self._notifier = notifier  # notify's Notifier: a handoff, a failing conversation
        self._hub = hub
        self._reader = reader
        self._commits = GroupCommits()  # the group commit of this service's turns
        self._jobs: set[asyncio.Task[None]] = set()  # deferred jobs under way
        self._orchestrator = orchestrator
        self._scenarios = scenarios
        self._bots: dict[uuid.UUID, tuple[float, BotInfo]] = {}
        # Conversations whose last turn this instance wrote, as it wrote them: their next
        # turn here skips reading them back (chat.conversations.warm).
        self.warm = WarmConversations(runtime.settings.warm_conversations)
        self.streams = Streams()  # turns under way here that show answers as they come
        # A change to a bot (publish, settings, delete) drops its copy on every instance
        # when it commits; the lifetime only bounds what a lost message could cost.
        runtime.invalidation.register(self._forget_bot)

    async def close(self) -> None:
        """Stop deferred jobs under way (their conversations keep waiting: a restart of the
        conversation recovers) and the embedded mode's turn thread once what it holds is
        written."""
        await stop(list(self._jobs))
        await asyncio.to_thread(self._commits.close)

    # --- deferred jobs ----------------------------------------------------------------------

    def _launch(self, answer: TurnAnswer) -> None:
        """Run the deferred jobs a stored turn started (see `DeferredJob`)."""
        pending, answer._jobs = answer._jobs, None
        if not pending:
            return
        jobs, context, scope = pending
        for job in jobs:
            task = asyncio.create_task(self._run_job(job, context, scope),
                                       name=f"job {job.job}")
            self._jobs.add(task)
            task.add_done_callback(self._jobs.discard)

    async def _run_job(self, job: Any, context: TurnContext, scope: ChatScope) -> None:
        """Do the job, then deliver its outcome as the conversation's `service_result` event
        through the normal turn path: the lock orders it with the person's messages, the
        client message id `job:<id>` makes a repeated delivery a no-op."""
        outcome = await self._orchestrator.run_job(job, context)
        event = InboundEvent(kind="service_result", payload={
            "job": job.job, "service": job.call.service, "operation": job.call.operation,
            "outcome": outcome.model_dump(mode="json")})
        for attempt in range(6):
            try:
                await self.send(scope=scope, conversation_id=context.conversation_id,
                                event=event, client_message_id=f"job:{job.job}")
                return
            except (NotFound, ConversationEnded, Conflict):
                return  # the conversation is gone or over: nobody waits for this
            except ServiceUnavailable:
                await asyncio.sleep(min(30.0, 0.5 * 2 ** attempt))
            except Exception:  # noqa: BLE001  (logged; the conversation keeps waiting)
                break
        log.warning("chat.job.undelivered", conversation_id=str(context.conversation_id),
                    job=job.job)

    def _forget_bot(self, cache_key: str) -> None:
        if cache_key.startswith(BOT_CACHE_PREFIX):
            try:
                self._bots.pop(uuid.UUID(cache_key.removeprefix(BOT_CACHE_PREFIX)), None)
            except ValueError:
                pass

    async def bot(self, bot_id: uuid.UUID) -> BotInfo | None:
        """Bot facts change rarely and every turn needs them: keep them a few seconds."""
        cached = self._bots.get(bot_id)
        now = time.monotonic()
        if cached and cached[0] > now:
            return cached[1]
        cache_key = bot_cache_key(bot_id)
        generation = self._runtime.invalidation.generation(cache_key)
        bot = await self._scenarios.get_bot(bot_id)
        if bot is not None and self._runtime.invalidation.generation(cache_key) == generation:
            if len(self._bots) > 10_000:
                self._bots.clear()
            self._bots[bot_id] = (now + self._runtime.settings.bot_cache_seconds, bot)
        return bot

    # --- starting ---------------------------------------------------------------------------

    async def start(self, *, scope: ChatScope, bot_id: uuid.UUID,
                    body: ConversationStart, version_id: uuid.UUID | None = None
                    ) -> TurnAnswer:
        """A new conversation on the live version of the bot's main scenario (or of
        `body.scenario_id`), or on `version_id`: a version or a preview of the draft."""
        bot = await self.bot(bot_id)
        if bot is None or not scope.allows(bot.org_id, bot.id):
            raise NotFound(f"no bot {bot_id} here")
        language = body.language or bot.default_language
        if language not in bot.languages:
            raise InvalidInput(f"language '{language}' is not one of the bot's languages "
                               f"{bot.languages}")
        scenario_id = body.scenario_id or bot.main_scenario_id
        if scenario_id is None:
            raise NotRunnable(f"bot '{bot.name}' has no scenario yet; create and publish one")
        conversation_id = new_id()
        key = user_key(body.end_user_id, conversation_id)
        started = time.perf_counter()
        async with turn_store(self._runtime, self._commits) as store:
            user_vars, bot_vars = await store.variables(bot.id, key)
            preview_values = None
            if body.channel == PREVIEW_CHANNEL:
                preview_values, _ = await store.variables(bot.id, preview_key(key))
                bot_vars = {**bot_vars, **preview_values}
            context = self._context(bot, conversation_id, body.end_user_id, body.channel,
                                    user_vars, bot_vars)
            try:
                result = await self._orchestrator.start(
                    scenario_id=scenario_id, context=context, language=language,
                    variables=dict(body.variables), version_id=version_id)
            except ScenarioNotRunnable as exc:
                raise NotRunnable(str(exc)) from None
            except ScenariosUnavailable as exc:
                raise ServiceUnavailable(f"{exc}; try again shortly") from None
            refused = [e.message for e in result.errors if e.code == "variable.invalid"]
            if refused:
                # Nothing is stored: the caller fixes the request and starts again.
                raise InvalidInput(f"variables: {refused[0]}",
                                   errors=[{"path": "/variables", "message": m}
                                           for m in refused])
            now = utcnow()
            conversation = Snapshot(
                id=conversation_id, org_id=bot.org_id, bot_id=bot.id, scenario_id=scenario_id,
                version_id=result.version_id, end_user_id=body.end_user_id, user_key=key,
                channel=body.channel, language=language, status="active", state={},
                message_seq=0, turn_seq=0, last_activity_at=now, timeout_at=None,
                user_values=user_vars, bot_values=bot_vars, is_new=True,
                preview_values=preview_values)
            answer = await self._record(store, conversation, bot, InboundEvent(kind="start"),
                                        None, result, started, store_inbound=False)
        self._launch(answer)
        return answer

    # --- one inbound event ------------------------------------------------------------------

    async def send(self, *, scope: ChatScope, conversation_id: uuid.UUID, event: InboundEvent,
                   client_message_id: str | None, origin: str | None = None,
                   sinks: list[Sink] | None = None) -> TurnAnswer:
        """Handle one event under the conversation's lock, then tell every socket that shows
        the conversation what happened, except ``origin``, which answers its own socket
        directly (with the frames built here, `answer._frames`): sockets on other instances
        through the lock's release, in the same Redis round trip; this app's own sockets
        directly.

        While the turn runs, an answer a service writes piece by piece (an LLM's) is shown
        to the conversation's sockets and to ``sinks`` (core.streams); something new the
        person says ends such an answer where it is, so that this message runs next."""
        frames = None
        hub = self._hub
        busy = None
        if event.kind in PERSON_EVENTS:
            # Something new from the person ends an answer under way, here or elsewhere.
            self.streams.interrupt(conversation_id, client_message_id)
            if hub is not None:
                async def busy() -> None:
                    await self._runtime.locks.tell(
                        streaming_name(conversation_id), hub.id, orjson.dumps({
                            "conversation_id": str(conversation_id),
                            "interrupt": client_message_id or ""}))
        async with self._runtime.locks.hold(conversation_name(conversation_id),
                                            wait_seconds=LOCK_WAIT_SECONDS,
                                            lease_seconds=LOCK_LEASE_SECONDS,
                                            on_busy=busy) as held:
            # The stamp goes unless this turn writes the conversation and remembers it.
            held.clear_stamp()
            turn_sinks = list(sinks or ())
            opened = closed = None
            if hub is not None:
                turn_sinks.append(self._socket_sink(conversation_id, held))
                # While it streams, this instance is where an interruption is sent.
                presence, name = self._runtime.presence, streaming_name(conversation_id)

                async def opened() -> None:
                    await hub.ensure_listening()
                    await presence.join(name, hub.id)

                async def closed() -> None:
                    await presence.leave(name, hub.id)
            async with self.streams.turn(conversation_id, turn_sinks, client_message_id,
                                         opened, closed) as stream:
                try:
                    answer = await self._turn(scope, conversation_id, event,
                                              client_message_id, held)
                except BaseException:
                    if stream.opened:  # what was shown of it will not be stored
                        await asyncio.shield(stream.discard())
                    raise
            if not answer.duplicate and (answer.messages or answer.inbound_seq is not None):
                def build() -> list[dict[str, Any]]:
                    return turn_frames(answer, answer._inbound or inbound_body(event),
                                       client_message_id)

                # Built only for a socket that shows the conversation: the asking one,
                # another on this instance, one elsewhere, or one elsewhere that joins
                # while the lock is held (its news is then built at the release).
                elsewhere = hub is not None and held.others_present(hub.id)
                if origin is not None or elsewhere or (
                        hub is not None and hub.shows(conversation_id)):
                    frames = answer._frames = build()
                if elsewhere:
                    held.announce(hub.id, news(conversation_id, frames, origin))
                elif hub is not None:
                    held.announce_later(hub.id, lambda: news(
                        conversation_id, frames if frames is not None else build(), origin))
        if frames is not None and hub is not None:
            await hub.deliver_local(conversation_id, frames, origin)
        self._launch(answer)
        self._tell(answer)
        return answer

    def _socket_sink(self, conversation_id: uuid.UUID, held: Held) -> Sink:
        """Pieces of an answer to the sockets that show the conversation: this app's
        directly, other instances' through their channels (those present when the turn
        took the lock; one that joins later gets the final message)."""
        hub = self._hub
        assert hub is not None
        elsewhere = [m for m in held.members or () if m != hub.id]

        async def sink(frame: dict[str, Any]) -> None:
            if elsewhere:
                await hub.publish(elsewhere, news(conversation_id, [frame]))
            await hub.deliver_local(conversation_id, [frame], None)

        return sink

    def _tell(self, answer: TurnAnswer) -> None:
        """The organization's notice of what the stored turn did (a handoff, a failure), sent
        in the background by the notifier the composition root wired."""
        notice, answer._notice = answer._notice, None
        if notice is None or self._notifier is None:
            return
        event, org_id, bot_id, language, summary = notice
        self._notifier.notify(event, org_id=org_id, bot_id=bot_id,
                              conversation_id=answer.conversation_id, language=language,
                              summary=summary)

    async def _turn(self, scope: ChatScope, conversation_id: uuid.UUID, event: InboundEvent,
                    client_message_id: str | None, held: Held) -> TurnAnswer:
        warm = self.warm.take(conversation_id, held.stamp, client_message_id)
        if warm is None:
            return await self._turn_from(scope, conversation_id, event, client_message_id,
                                         held, None)
        try:
            return await self._turn_from(scope, conversation_id, event, client_message_id,
                                         held, warm)
        except _WarmWriteFailed as failed:
            self.warm.went_stale()
            # What this instance remembered was not what is stored (a turn elsewhere whose
            # release could not stamp, or an id from before it remembered): the long way.
            log.info("chat.turn.warm_retry", conversation_id=str(conversation_id),
                     error=type(failed.__cause__).__name__)
            return await self._turn_from(scope, conversation_id, event, client_message_id,
                                         held, None)

    async def _turn_from(self, scope: ChatScope, conversation_id: uuid.UUID,
                         event: InboundEvent, client_message_id: str | None, held: Held,
                         warm: Warm | None) -> TurnAnswer:
        started = time.perf_counter()
        async with turn_store(self._runtime, self._commits) as store:
            if warm is not None:
                conversation, replay_data = warm.snapshot, None
                if warm.state is not None and conversation.status == "handoff":
                    conversation.state = state_json(warm.state)  # operators' turns store it
            else:
                # One read brings the conversation, a stored answer for a repeated
                # client_message_id, and the user's and bot's variables.
                conversation, replay_data = await store.snapshot(conversation_id,
                                                                 client_message_id)
                if conversation is not None and conversation.channel == PREVIEW_CHANNEL:
                    await _see_preview_values(store, conversation)
            if conversation is None or not scope.allows(conversation.org_id,
                                                        conversation.bot_id):
                raise NotFound(f"no conversation {conversation_id} here")
            if replay_data is not None:
                replay = TurnAnswer.model_validate(replay_data)
                replay.duplicate = True
                replay._json = {**replay_data, "duplicate": True}
                return replay
            if event.kind == "timeout" and (conversation.timeout_at is None
                                            or conversation.timeout_at > utcnow()):
                # Another instance fired it, or the person wrote meanwhile.
                return TurnAnswer(conversation_id=conversation.id, messages=[], input=None,
                                  ended=conversation.status == "ended",
                                  status=conversation.status)
            if event.kind == "handback" and conversation.status != "handoff":
                # Checked here, under the lock, so two operators cannot both hand back.
                raise Conflict("the conversation is not with an operator; nothing to hand back")
            if conversation.status == "ended":
                raise ConversationEnded(
                    "this conversation has ended; start a new one with POST "
                    f"/api/v1/bots/{conversation.bot_id}/conversations")
            bot = await self.bot(conversation.bot_id)
            if bot is None:
                raise NotFound(f"no conversation {conversation_id} here")
            read = self._read(bot, conversation.language, event)
            if conversation.status == "handoff" and (
                    event.kind in _SAID
                    or (event.kind == "command" and not self._runs_in_handoff(bot, event))):
                heard = (await self._hear_for_operators(conversation, bot, event)
                         if event.kind == "audio" else None)
                return await self._to_operators(store, conversation, event,
                                                client_message_id, started, read, heard)
            # The state as the engine left it, where this instance remembers it (the engine
            # never changes a state it is given); else validated from what is stored.
            state = (warm.state if warm is not None and warm.state is not None
                     else ConversationState.model_validate(conversation.state))
            switch = read.get("switch_language")
            if switch is not None and switch != state.language:
                state = state.model_copy(update={"language": switch})
            if event.kind == "timeout" and state.no_input_seconds is not None:
                # The deadline that passed was the waiting block's own answer time.
                event = InboundEvent(kind="no_input")
            expiry = timedelta(seconds=int(bot.settings.get("expiry_seconds", 7 * 86_400)))
            restart = (utcnow() - conversation.last_activity_at > expiry
                       and bot.settings.get("on_expiry", "restart") == "restart")
            if warm is not None and (warm.shares_variables or restart):
                # Other conversations change these: read as they are now.
                conversation.user_values, conversation.bot_values = await store.variables(
                    conversation.bot_id, conversation.user_key)
                if conversation.channel == PREVIEW_CHANNEL:
                    await _see_preview_values(store, conversation)
            context = self._context(bot, conversation.id, conversation.end_user_id,
                                    conversation.channel, conversation.user_values,
                                    conversation.bot_values)
            try:
                if restart:
                    # Expired: begin again on today's live version (a preview on the draft
                    # or version it previews: never on what people are served).
                    result = await self._orchestrator.start(
                        scenario_id=conversation.scenario_id, context=context,
                        language=conversation.language,
                        version_id=(conversation.version_id
                                    if conversation.channel == PREVIEW_CHANNEL else None))
                    conversation.version_id = result.version_id or conversation.version_id
                else:
                    result = await self._orchestrator.advance(state=state, event=event,
                                                              context=context)
            except ScenarioNotRunnable as exc:
                raise NotRunnable(str(exc)) from None
            except ScenariosUnavailable as exc:
                raise ServiceUnavailable(f"{exc}; try again shortly") from None
            if (conversation.status == "handoff" and event.kind == "command"
                    and result.state.status == "handoff" and not result.trace
                    and not result.messages):
                # Not a command of the scenario: what the person typed, for the operator.
                return await self._to_operators(store, conversation, event,
                                                client_message_id, started, read)
            return await self._record(store, conversation, bot, event,
                                      client_message_id, result, started,
                                      store_inbound=event.kind in PERSON_EVENTS,
                                      held=held, warm=warm, read=read)

    async def handback(self, *, scope: ChatScope, conversation_id: uuid.UUID) -> TurnAnswer:
        return await self.send(scope=scope, conversation_id=conversation_id,
                               event=InboundEvent(kind="handback"), client_message_id=None)

    async def post_operator_message(self, *, scope: ChatScope, conversation_id: uuid.UUID,
                                    text: str, author_name: str, actor: str) -> HistoryItem:
        async with self._runtime.locks.hold(conversation_name(conversation_id),
                                            wait_seconds=LOCK_WAIT_SECONDS,
                                            lease_seconds=LOCK_LEASE_SECONDS) as held:
            held.clear_stamp()  # this writes the conversation: nobody's memory of it holds
            self.warm.forget(conversation_id)
            async with transaction(self._runtime.sessionmaker) as session:
                conversation = await self._get(session, scope, conversation_id)
                if conversation.status != "handoff":
                    raise Conflict("operators can write only while the conversation is handed "
                                   "off to them")
                conversation.message_seq += 1
                message = ConversationMessage(
                    conversation_id=conversation.id, seq=conversation.message_seq,
                    direction="operator",
                    # The person sees author_name; actor (the account) is for the audit only.
                    body={"type": "text", "text": text, "author": author_name, "actor": actor})
                session.add(message)
                conversation.last_activity_at = utcnow()
                await session.flush()
                item = HistoryItem(seq=message.seq, direction="operator", body=message.body,
                                   created_at=message.created_at)
            frames = [history_frame(item)]
            if self._hub is not None:
                held.announce(self._hub.id, news(conversation_id, frames))
        if self._hub is not None:
            await self._hub.deliver_local(conversation_id, frames, None)
        return item

    async def fire_due_timeouts(self, limit: int = 100) -> int:
        """Run the timeout handler of conversations silent past their bot's timeout. Safe on
        several instances at once: each turn re-checks under the conversation's lock."""
        async with self._runtime.sessionmaker() as session:
            due = list(await session.execute(
                select(Conversation.id, Conversation.org_id)
                .where(Conversation.timeout_at <= utcnow()).limit(limit)))
        fired = 0
        for conversation_id, org_id in due:
            try:
                await self.send(scope=ChatScope(org_id=org_id), conversation_id=conversation_id,
                                event=InboundEvent(kind="timeout"), client_message_id=None)
                fired += 1
            except Exception:  # one broken conversation must not stop the others
                log.exception("chat.timeout.failed", conversation_id=str(conversation_id))
        return fired

    # --- reading ----------------------------------------------------------------------------

    async def history(self, *, scope: ChatScope, conversation_id: uuid.UUID, after_seq: int,
                      limit: int) -> HistoryPage:
        # In the turns' admission queue: under a crowd, reads wait in order too.
        async with self._runtime.turn_slot(), self._runtime.sessionmaker() as session:
            await self._get(session, scope, conversation_id)
            rows = list(await session.scalars(
                select(ConversationMessage)
                .where(ConversationMessage.conversation_id == conversation_id,
                       ConversationMessage.seq > after_seq)
                .order_by(ConversationMessage.seq).limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        # A chat key reads as the person: operators appear by name, never by account.
        view = person_view if scope.role is None else dict
        return HistoryPage(
            items=[HistoryItem(seq=r.seq, direction=r.direction, body=view(r.body),
                               created_at=r.created_at) for r in rows],
            next_after_seq=rows[-1].seq if more and rows else None)

    async def latest_answer(self, *, scope: ChatScope,
                            conversation_id: uuid.UUID) -> dict[str, Any] | None:
        """The answer of the conversation's last turn: what it waits for now."""
        async with self._runtime.turn_slot(), self._runtime.sessionmaker() as session:
            await self._get(session, scope, conversation_id)
            return await session.scalar(
                select(Turn.response).where(Turn.conversation_id == conversation_id)
                .order_by(Turn.seq.desc()).limit(1))

    async def trace(self, *, scope: ChatScope, conversation_id: uuid.UUID, limit: int) -> list[Turn]:
        async with self._runtime.sessionmaker() as session:
            await self._get(session, scope, conversation_id)
            return list(await session.scalars(
                select(Turn).where(Turn.conversation_id == conversation_id)
                .order_by(Turn.seq.desc()).limit(limit)))

    async def list_for_bot(self, *, scope: ChatScope, bot_id: uuid.UUID, status: str | None,
                           limit: int, preview: bool = False) -> list[Conversation]:
        bot = await self.bot(bot_id)
        if bot is None or not scope.allows(bot.org_id, bot.id):
            raise NotFound(f"no bot {bot_id} in your organization")
        async with self._runtime.sessionmaker() as session:
            query = select(Conversation).where(
                Conversation.bot_id == bot_id,
                (Conversation.channel == PREVIEW_CHANNEL) if preview
                else (Conversation.channel != PREVIEW_CHANNEL))
            if status:
                query = query.where(Conversation.status == status)
            return list(await session.scalars(
                query.order_by(Conversation.last_activity_at.desc()).limit(limit)))

    async def mood(self, *, scope: ChatScope, bot_id: uuid.UUID, end_user_id: str | None,
                   since: Any, until: Any, period: Any) -> dict[str, Any]:
        """Mood trends of one person (`end_user_id`) or of the whole bot (None); see
        chat.conversations.mood."""
        bot = await self.bot(bot_id)
        if bot is None or not scope.allows(bot.org_id, bot.id):
            raise NotFound(f"no bot {bot_id} in your organization")
        try:
            since, until = mood.default_range(since, until, period, utcnow().date())
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        async with self._runtime.sessionmaker() as session:
            if end_user_id is not None:
                buckets = await mood.user_mood(session, bot_id=bot_id, end_user_id=end_user_id,
                                               since=since, until=until, period=period)
            else:
                buckets = await mood.bot_mood(session, bot_id=bot_id, since=since,
                                              until=until, period=period)
        items = [b.to_json() for b in buckets]
        out: dict[str, Any] = {"bot_id": bot_id, "period": period, "since": since,
                               "until": until, "items": items}
        if end_user_id is not None:
            messages = sum(b.messages for b in buckets)
            out.update(end_user_id=end_user_id, messages=messages,
                       average_score=round(sum(b.score_sum for b in buckets) / messages, 4)
                       if messages else None,
                       trend=mood.trend([i["average_score"] for i in items]))
        else:
            total = sum(b.conversations for b in buckets)
            negative = sum(b.negative_conversations for b in buckets)
            out.update(conversations=total, negative_conversations=negative,
                       negative_share=round(negative / total, 4) if total else None)
        return out

    # --- internals --------------------------------------------------------------------------

    @staticmethod
    async def _get(session: AsyncSession, scope: ChatScope,
                   conversation_id: uuid.UUID) -> Conversation:
        conversation = await session.get(Conversation, conversation_id)
        if conversation is None or not scope.allows(conversation.org_id, conversation.bot_id):
            # Someone else's conversation answers exactly like a missing one.
            raise NotFound(f"no conversation {conversation_id} here")
        return conversation

    @staticmethod
    def _context(bot: BotInfo, conversation_id: uuid.UUID, end_user_id: str | None,
                 channel: str, user_vars: dict[str, Any],
                 bot_vars: dict[str, Any]) -> TurnContext:
        return _construct_context(
            conversation_id=conversation_id, bot_id=bot.id, org_id=bot.org_id,
            user_id=end_user_id,
            channel=channel, now=utcnow(), default_language=bot.default_language,
            languages=bot.languages, user_variables=user_vars, bot_variables=bot_vars,
            commands_in_handoff=bool(bot.settings.get("commands_in_handoff", False)))

    def _read(self, bot: BotInfo, language: str, event: InboundEvent) -> dict[str, Any]:
        """What the NLU service reads in a person's text: `stored` (sentiment, language, kept
        with the message) and `switch_language` when the bot answers in the language the
        person writes in and it changed with confidence."""
        if self._reader is None or event.kind != "text" or not event.text:
            return {}
        settings = bot.settings
        switching = bool(settings.get("switch_language", False)) and len(bot.languages) > 1
        insight = self._reader(event.text, languages=bot.languages, language=language,
                               sentiment=bool(settings.get("sentiment", True)),
                               detect_language=switching or bool(
                                   settings.get("detect_language", True)))
        out: dict[str, Any] = {"stored": insight.stored()}
        if switching and insight.language in bot.languages and insight.language_confidence \
                >= float(settings.get("language_confidence", 0.8)):
            out["switch_language"] = insight.language
        return out

    @staticmethod
    def _runs_in_handoff(bot: BotInfo, event: InboundEvent) -> bool:
        """During a handoff the built-in commands always answer; the scenario's own ones only
        when the bot says so (else the operator reads them as text)."""
        name = (event.command or "").strip().lstrip("/").lower()
        return name in BUILTIN_COMMANDS or bool(bot.settings.get("commands_in_handoff", False))

    async def _hear_for_operators(self, conversation: Snapshot, bot: BotInfo,
                                  event: InboundEvent) -> dict[str, Any] | None:
        """A voice message while an operator has the conversation: what it says, stored with
        it for the operator (the scenario does not run, so the engine does not hear it)."""
        dispatcher = getattr(self._orchestrator, "dispatcher", None)
        if dispatcher is None or "stt" not in dispatcher.services() \
                or not isinstance(event.payload, dict):
            return None
        context = self._context(bot, conversation.id, conversation.end_user_id,
                                conversation.channel, conversation.user_values,
                                conversation.bot_values)
        return heard_in(await dispatcher.call(ServiceCall(
            service="stt", operation="transcribe", timeout_seconds=VOICE_SECONDS,
            request={"audio": event.payload, "language": conversation.language}), context))

    async def _to_operators(self, store: Any, conversation: Snapshot, event: InboundEvent,
                            client_message_id: str | None, started: float,
                            read: dict[str, Any] | None = None,
                            heard: dict[str, Any] | None = None) -> TurnAnswer:
        """While an operator has the conversation, the scenario does not run: the message is
        stored, and the hub pushes it to whoever watches the conversation."""
        seq = conversation.message_seq + 1
        body = inbound_body(event)
        if heard is not None:  # a voice message, with what it says for the operator
            body["transcript"] = heard
            if heard.get("text"):
                body["text"] = heard["text"]
        answer = TurnAnswer(
            conversation_id=conversation.id, messages=[], ended=False, status="handoff",
            input=InputRequest(kind="handoff",
                               block_id=conversation.state.get("waiting_block") or ""),
            inbound_seq=seq)
        now = utcnow()
        await store.write(TurnPlan(
            conversation=conversation, now=now,
            values={"version_id": conversation.version_id, "status": conversation.status,
                    "state": conversation.state, "message_seq": seq,
                    "turn_seq": conversation.turn_seq + 1, "last_activity_at": now,
                    "timeout_at": None},
            messages=[{"id": new_id(), "seq": seq, "direction": "in",
                       "body": {**body, **read["stored"]} if read else body}],
            turn=self._turn_row(conversation.turn_seq + 1, client_message_id,
                                conversation.version_id, body, answer, [], [], {}, started)))
        if heard is not None:
            answer._inbound = body
        return answer

    @staticmethod
    def _turn_row(seq: int, client_message_id: str | None, version_id: uuid.UUID | None,
                  event_body: dict[str, Any], answer: TurnAnswer | dict[str, Any],
                  trace: list[Any], errors: list[Any], changes: dict[str, Any],
                  started: float) -> dict[str, Any]:
        response = answer if isinstance(answer, dict) else answer.model_dump(mode="json")
        return {"id": new_id(), "seq": seq, "client_message_id": client_message_id,
                "version_id": version_id, "event": event_body, "response": response,
                "trace": trace, "errors": errors, "variable_changes": changes,
                "duration_ms": round((time.perf_counter() - started) * 1000, 3)}

    async def _record(self, store: Any, conversation: Snapshot, bot: BotInfo,
                      event: InboundEvent, client_message_id: str | None, result: TurnResult,
                      started: float, *, store_inbound: bool, held: Held | None = None,
                      warm: Warm | None = None, read: dict[str, Any] | None = None
                      ) -> TurnAnswer:
        """Everything a turn produced, written by the store in one go. The engine's results
        are valid by construction, so they are turned into rows and the answer as plain data,
        without validating them again (this runs for every message)."""
        now = utcnow()
        seq = conversation.message_seq
        rows: list[dict[str, Any]] = []
        event_body = inbound_body(event)
        heard = result.heard
        if heard is not None:
            # A voice message: stored with what was heard in it, and read (sentiment,
            # language) as the words it says.
            event_body["transcript"] = heard
            if heard.get("text"):
                event_body["text"] = heard["text"]
                read = self._read(bot, conversation.language,
                                  InboundEvent(kind="text", text=heard["text"]))
        inbound_seq = None
        if store_inbound:
            seq += 1
            inbound_seq = seq
            rows.append({"id": new_id(), "seq": seq, "direction": "in",
                         "body": {**event_body, **read["stored"]} if read else event_body})
        out: list[MessageOut] = []
        shown: list[dict[str, Any]] = []
        for message in result.messages:
            seq += 1
            body = stored_body(message)
            rows.append({"id": new_id(), "seq": seq, "direction": "out", "body": body})
            out.append(_construct_message(**message.__dict__, seq=seq))
            shown.append({**body_for_answer(message), "seq": seq})
        state = result.state
        status = state.status
        answer = TurnAnswer.model_construct(
            conversation_id=conversation.id, messages=out, input=result.input,
            ended=result.ended, status=status, inbound_seq=inbound_seq, duplicate=False)
        response = {"conversation_id": str(conversation.id), "messages": shown,
                    "input": request_body(result.input), "ended": result.ended,
                    "status": status, "inbound_seq": inbound_seq, "duplicate": False}
        answer._json = response
        if heard is not None:
            answer._inbound = event_body
        # Waiting: the block's own answer time if it has one (then `no_input`), else the
        # bot's inactivity timeout; a timeout that just fired is not armed again.
        timeout = state.no_input_seconds or float(
            bot.settings.get("conversation_timeout_seconds", 1800))
        values = {
            "version_id": conversation.version_id or result.version_id, "status": status,
            "state": state_json(state), "message_seq": seq,
            "turn_seq": conversation.turn_seq + 1, "last_activity_at": now,
            "timeout_at": (now + timedelta(seconds=timeout)
                           if status == "waiting" and event.kind != "timeout" else None),
            "ended_at": now if result.ended else None,
            "language": state.language,
        }
        user_values = ({**conversation.user_values, **result.user_variable_changes}
                       if result.user_variable_changes else None)
        bot_values = ({**conversation.bot_values, **result.bot_variable_changes}
                      if result.bot_variable_changes else None)
        preview_values = None
        if bot_values is not None and conversation.channel == PREVIEW_CHANNEL:
            # An author's preview never changes the bot's shared values: what it writes is
            # kept for that author's previews only (read back over the bot's own values).
            preview_values = (preview_key(conversation.user_key),
                              {**(conversation.preview_values or {}),
                               **result.bot_variable_changes})
        try:
            await store.write(TurnPlan(
                conversation=conversation, values=values, messages=rows, now=now,
                turn=self._turn_row(
                    conversation.turn_seq + 1, client_message_id,
                    result.version_id or conversation.version_id, event_body, response,
                    [_trace_json(s) for s in result.trace],
                    [e.__dict__ for e in result.errors],
                    dict(result.variable_changes), started),
                user_values=user_values,
                bot_values=bot_values if preview_values is None else None,
                preview_values=preview_values))
        except Exception as exc:
            if warm is not None:
                raise _WarmWriteFailed from exc
            raise
        if held is not None and self.warm.size:
            stamp = self.warm.keep(replace(
                conversation, version_id=values["version_id"], status=status,
                state=values["state"], message_seq=seq, turn_seq=values["turn_seq"],
                last_activity_at=now, timeout_at=values["timeout_at"],
                language=values["language"] or conversation.language,
                user_values=user_values if user_values is not None else conversation.user_values,
                bot_values=bot_values if bot_values is not None else conversation.bot_values,
                preview_values=(preview_values[1] if preview_values is not None
                                else conversation.preview_values),
                is_new=False), client_message_id, result.shares_variables, warm, state)
            if stamp is not None:
                held.restamp(stamp)
        for error in result.errors:
            log.warning("chat.turn.error", conversation_id=str(conversation.id),
                        code=error.code, block_id=error.block_id)
        if status == "handoff" and conversation.status != "handoff" \
                and conversation.channel != PREVIEW_CHANNEL:
            answer._notice = ("handoff", conversation.org_id, conversation.bot_id,
                              state.language, None)
        elif result.errors and conversation.channel != PREVIEW_CHANNEL:
            answer._notice = ("conversation_failed", conversation.org_id, conversation.bot_id,
                              state.language, "; ".join(e.message for e in result.errors)[:2000])
        if result.jobs:
            answer._jobs = (result.jobs, self._context(
                bot, conversation.id, conversation.end_user_id, conversation.channel, {}, {}),
                ChatScope(org_id=conversation.org_id, bot_id=conversation.bot_id))
        return answer
