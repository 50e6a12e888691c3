"""The REST chat API: start a conversation, send messages, read history and traces, and the
operator side of a handoff."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from chat.conversations.schemas import (
    MAX_TEXT_CHARS, BotMood, ConversationPage, ConversationRead, ConversationStart, HistoryItem,
    HistoryPage, MessageIn, OperatorMessage, PreviewStart, PreviewStarted, TracePage, TraceTurn,
    TurnAnswer, UserMood,
)
from chat.conversations.service import PREVIEW_CHANNEL, ChatScope
from chat.conversations.sse import streamed_turn
from chat.realtime import tokens
from chat.dependencies import Conversations, Scope
from core.errors import InvalidInput, PayloadTooLarge
from core.http import Editor, Operator, RuntimeDep, Viewer, only_query, problem_responses
from core.types import AfterSeq
from orchestrator.contract import InboundEvent

router = APIRouter(prefix="/api/v1", tags=["chat"])
# The bot's public chat key, or organization credentials.
_CHAT_SECURITY = {"security": [{"chatKey": []}, {"bearer": []}]}


def to_event(body: MessageIn) -> InboundEvent:
    """A person's message as the event the engine sees (`/word` is a command)."""
    if body.text is not None:
        if len(body.text) > MAX_TEXT_CHARS:
            raise PayloadTooLarge(f"the text is {len(body.text)} characters; the limit is "
                                  f"{MAX_TEXT_CHARS}", limit=MAX_TEXT_CHARS)
        text = body.text.strip()
        if text.startswith("/") and 1 < len(text) <= 33 and " " not in text:
            return InboundEvent(kind="command", command=text[1:].lower(), text=text)
        return InboundEvent(kind="text", text=body.text)
    if body.choice_id is not None:
        return InboundEvent(kind="choice", choice_id=body.choice_id)
    return InboundEvent(kind="payload", payload=body.payload)


def _public(body: ConversationStart | None) -> ConversationStart:
    if body is not None and body.channel == PREVIEW_CHANNEL:
        raise InvalidInput("channel 'preview' is the builder's own (POST "
                           "/api/v1/scenarios/{id}/preview starts one)",
                           errors=[{"path": "/channel", "message": "reserved"}])
    return body or ConversationStart()


@router.post("/bots/{bot_id}/conversations", response_model=TurnAnswer, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422), openapi_extra=_CHAT_SECURITY)
async def start_conversation(bot_id: uuid.UUID, scope: Scope, service: Conversations,
                             body: ConversationStart | None = None):
    """Start a conversation on the live version of the bot's main scenario (pinned for the
    conversation's life). Authenticate with the bot's `X-Chat-Key` or organization
    credentials (operator role or higher). The answer holds the bot's first messages and
    what it waits for."""
    scope.require_speaker()
    return await service.start(scope=scope, bot_id=bot_id, body=_public(body))


@router.post("/conversations", response_model=TurnAnswer, status_code=201,
             responses=problem_responses(401, 404, 409, 422),
             openapi_extra={"security": [{"chatKey": []}]})
async def start_with_chat_key(scope: Scope, service: Conversations,
                              body: ConversationStart | None = None):
    """Start a conversation with the bot whose `X-Chat-Key` you send (no bot id needed)."""
    if scope.bot_id is None:
        raise InvalidInput("send the bot's X-Chat-Key, or use POST "
                           "/api/v1/bots/{bot_id}/conversations with organization credentials")
    return await service.start(scope=scope, bot_id=scope.bot_id, body=_public(body))


@router.post("/conversations/{conversation_id}/messages", response_model=TurnAnswer,
             responses={**problem_responses(401, 403, 404, 409, 413, 422), 200: {
                 "description": "The turn's answer, once it is stored; with `Accept: "
                 "text/event-stream`, Server-Sent Events instead: `partial` (a piece of an "
                 "answer being written), then `answer` (this same body) or `error` "
                 "(problem+json).",
                 "content": {"text/event-stream": {"schema": {"type": "string"}}}}},
             openapi_extra=_CHAT_SECURITY)
async def send_message(conversation_id: uuid.UUID, body: MessageIn, scope: Scope,
                       service: Conversations, request: Request):
    """Send what the person said. One conversation's messages are handled one at a time, in
    order; a repeated `client_message_id` returns the first answer without running anything
    again. An invalid answer to a question is not an error: the bot asks again. With
    organization credentials this needs the operator role or higher.

    Ask with `Accept: text/event-stream` to see a language model's answer as it is written
    (see docs/chat-api.md, "Streaming")."""
    scope.require_speaker()
    event = to_event(body)
    if "text/event-stream" in request.headers.get("accept", ""):
        return await streamed_turn(service, scope, conversation_id, event,
                                   body.client_message_id)
    answer = await service.send(scope=scope, conversation_id=conversation_id,
                                event=event, client_message_id=body.client_message_id)
    # Serialised once, here: the hot path skips FastAPI's re-validation of the return value.
    return Response(answer.model_dump_json(), media_type="application/json")


@router.post("/conversations/{conversation_id}/voice", response_model=TurnAnswer,
             responses=problem_responses(401, 403, 404, 409, 413, 422, 429, 503),
             dependencies=[only_query("client_message_id")],
             openapi_extra={**_CHAT_SECURITY, "requestBody": {"required": True, "content": {
                 "audio/*": {"schema": {"type": "string", "format": "binary"}}}}})
async def send_voice(conversation_id: uuid.UUID, scope: Scope, service: Conversations,
                     request: Request,
                     client_message_id: Annotated[str, Query(
                         min_length=1, max_length=128, pattern=r"^[^\x00-\x1f]+$",
                         description="As for a text message: a resend returns the first "
                         "answer and runs nothing again.")]):
    """Send a voice message: the body is the recording (OGG/Opus, WebM, M4A, MP3, WAV; at
    most 1 MiB, two minutes). Answered like a typed message once it is heard and stored: a
    question waiting for text gets the words (the person's message keeps them: see the
    history), a recording nothing can be heard in is asked to be typed."""
    from chat.dependencies import voice_media
    from chat.voice import MAX_VOICE_BYTES, MIME_TYPES, VoiceRejected
    from core.errors import ServiceUnavailable

    scope.require_speaker()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not kind.startswith(MIME_TYPES):
        raise InvalidInput("send the recording itself as the body with its audio type "
                           f"(Content-Type: audio/ogg, audio/webm, ...), not {kind or 'none'}")
    media = voice_media(request.app)
    if media is None:
        raise ServiceUnavailable("this server does not take voice messages", dependency="stt")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_VOICE_BYTES:
        raise PayloadTooLarge(f"a voice message is limited to {MAX_VOICE_BYTES // 1024} KB",
                              limit=MAX_VOICE_BYTES)
    audio = bytearray()
    async for chunk in request.stream():
        audio += chunk
        if len(audio) > MAX_VOICE_BYTES:
            raise PayloadTooLarge(f"a voice message is limited to {MAX_VOICE_BYTES // 1024} "
                                  "KB", limit=MAX_VOICE_BYTES)
    # Only a conversation the caller may speak in keeps a recording (404 otherwise).
    await service.latest_answer(scope=scope, conversation_id=conversation_id)
    try:
        payload = await media.keep(conversation_id, bytes(audio), kind, client_message_id)
    except VoiceRejected as exc:
        raise InvalidInput(str(exc)) from None
    answer = await service.send(scope=scope, conversation_id=conversation_id,
                                event=InboundEvent(kind="audio", payload=payload),
                                client_message_id=client_message_id)
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get("/conversations/{conversation_id}/messages", response_model=HistoryPage,
            responses=problem_responses(401, 404, 422), openapi_extra=_CHAT_SECURITY)
async def history(
    conversation_id: uuid.UUID, scope: Scope, service: Conversations,
    after_seq: AfterSeq = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
):
    """Everything said in the conversation, oldest first, from `after_seq`."""
    return await service.history(scope=scope, conversation_id=conversation_id,
                                 after_seq=after_seq, limit=limit)


@router.get("/conversations/{conversation_id}/trace", response_model=TracePage,
            responses=problem_responses(401, 403, 404, 422))
async def trace(conversation_id: uuid.UUID, principal: Viewer, service: Conversations,
                limit: Annotated[int, Query(ge=1, le=200)] = 50):
    """Per turn, newest first: the event, blocks run with their timings and ports, variable
    changes and errors. Organization credentials only: traces show variable values."""
    turns = await service.trace(scope=ChatScope(org_id=principal.org_id),
                                conversation_id=conversation_id, limit=limit)
    return TracePage(items=[TraceTurn.model_validate(t) for t in turns])


@router.get("/bots/{bot_id}/conversations", response_model=ConversationPage,
            responses=problem_responses(401, 404, 422))
async def list_conversations(
    bot_id: uuid.UUID, principal: Viewer, service: Conversations,
    status: Annotated[str | None, Query(pattern="^(active|waiting|handoff|ended)$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    preview: Annotated[bool, Query(description="List authors' preview conversations "
                                               "instead of people's.")] = False,
):
    """The bot's conversations, most recently active first; `status=handoff` lists the ones
    waiting for an operator. Authors' previews are not among them (`preview=true` lists
    those)."""
    rows = await service.list_for_bot(scope=ChatScope(org_id=principal.org_id), bot_id=bot_id,
                                      status=status, limit=limit, preview=preview)
    return ConversationPage(items=[ConversationRead.model_validate(r) for r in rows])


_PERIOD = Annotated[Literal["day", "week", "month"], Query(
    description="Sum up per UTC day, ISO week (from Monday) or calendar month.")]
_SINCE = Annotated[date | None, Query(description="First day (UTC), inclusive; default: 30 "
                                      "days, 12 weeks or 12 months before `until`.")]
_UNTIL = Annotated[date | None, Query(description="Last day (UTC), inclusive; default today.")]


@router.get("/bots/{bot_id}/users/{end_user_id}/mood", response_model=UserMood,
            responses=problem_responses(401, 404, 422))
async def user_mood(bot_id: uuid.UUID,
                    end_user_id: Annotated[str, Path(min_length=1, max_length=128)],
                    principal: Viewer, service: Conversations, period: _PERIOD = "day",
                    since: _SINCE = None, until: _UNTIL = None):
    """How one person's messages sounded across their conversations with the bot: per period,
    the messages, their average sentiment score (-1..+1) and the count of each label, and
    whether their mood is improving, worsening or steady. Only messages stored while the
    bot's `sentiment` setting was on are counted."""
    return await service.mood(scope=ChatScope(org_id=principal.org_id), bot_id=bot_id,
                              end_user_id=end_user_id, since=since, until=until,
                              period=period)


@router.get("/bots/{bot_id}/mood", response_model=BotMood,
            responses=problem_responses(401, 404, 422))
async def bot_mood(bot_id: uuid.UUID, principal: Viewer, service: Conversations,
                   period: _PERIOD = "day", since: _SINCE = None, until: _UNTIL = None):
    """The bot's conversations by mood: per period of the day they started, how many there
    were and which share of them sounded negative (the average score of the person's
    messages at or below -0.05)."""
    return await service.mood(scope=ChatScope(org_id=principal.org_id), bot_id=bot_id,
                              end_user_id=None, since=since, until=until, period=period)


@router.post("/conversations/{conversation_id}/operator/messages", response_model=HistoryItem,
             status_code=201, responses=problem_responses(401, 403, 404, 409, 422))
async def operator_message(conversation_id: uuid.UUID, body: OperatorMessage, principal: Operator,
                           service: Conversations):
    """An operator writes to the person while the conversation is handed off."""
    return await service.post_operator_message(
        scope=ChatScope(org_id=principal.org_id), conversation_id=conversation_id,
        text=body.text, author_name=body.author_name, actor=principal.actor)


@router.post("/conversations/{conversation_id}/handback", response_model=TurnAnswer,
             responses=problem_responses(401, 403, 404, 409))
async def handback(conversation_id: uuid.UUID, principal: Operator, service: Conversations):
    """The operator is done: the scenario continues after the handoff block."""
    return await service.handback(scope=ChatScope(org_id=principal.org_id),
                                  conversation_id=conversation_id)


@router.post("/scenarios/{scenario_id}/preview", response_model=PreviewStarted, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422, 503))
async def start_preview(scenario_id: uuid.UUID, principal: Editor, service: Conversations,
                        runtime: RuntimeDep, request: Request,
                        body: PreviewStart | None = None):
    """Try the scenario before publishing it: a conversation on its draft as it is now (or on
    a published `version`), nothing published. The draft must be runnable: its errors come
    back as a 422 with each one's JSON pointer, as a publish would report them. The
    conversation is the author's own (`end_user_id` `preview:<user>`, channel `preview`): it
    is left out of the bot's conversation list and its traffic. Continue it with `POST
    /api/v1/conversations/{id}/messages` (these credentials) or over the chat socket with the
    `resume_token`; `GET .../trace` shows each turn's blocks."""
    body = body or PreviewStart()
    scenarios = request.app.state.clients["scenarios"]
    version = await scenarios.preview_version(
        org_id=principal.org_id, scenario_id=scenario_id, number=body.version,
        author=principal.actor)
    who = principal.user_id or principal.api_key_id
    answer = await service.start(
        scope=ChatScope(org_id=principal.org_id), bot_id=version.bot_id,
        body=ConversationStart(language=body.language, variables=body.variables,
                               end_user_id=f"preview:{who}", channel=PREVIEW_CHANNEL,
                               scenario_id=version.scenario_id),
        version_id=version.id)
    return PreviewStarted(
        conversation_id=answer.conversation_id, scenario_id=version.scenario_id,
        version_id=version.id, version=version.number or None,
        revision=version.preview_revision, answer=answer,
        resume_token=tokens.issue(runtime.settings.signing_key(), answer.conversation_id,
                                  version.bot_id,
                                  ttl_seconds=runtime.settings.ws_resume_token_ttl_seconds))
