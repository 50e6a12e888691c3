"""FastAPI dependencies of the chat routers: the conversation service and the caller's
chat scope (a bot's chat key, or organization credentials)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Request

from chat.channels.service import Channels
from chat.conversations.service import ChatScope, ConversationService
from chat.keys import service as keys_service
from chat.realtime.hub import Hub
from core.errors import NotFound, Unauthorized
from core.http import get_runtime


def conversation_service(app: Any) -> ConversationService:
    """One per app; built on first use from the wired clients."""
    state = app.state
    service = getattr(state, "conversations", None)
    if service is None:
        clients = state.clients
        service = ConversationService(state.runtime, clients["orchestrator"],
                                      clients["scenarios"], hub=realtime_hub(app),
                                      reader=clients.get("message_reader"),
                                      notifier=clients.get("notify"))
        # The person's new message, arriving on another instance, ends an answer here.
        realtime_hub(app).on_interrupt = service.streams.interrupt
        state.conversations = service
        _hear_voice(app)
    return service


def _hear_voice(app: Any) -> None:
    """Voice messages of conversations: the speech service (when the app has one) as the
    dispatcher's `stt` client, reading recordings from the widget's store or the
    conversation's messenger (chat.voice)."""
    from chat.voice import VoiceClient, VoiceMedia

    state = app.state

    async def messenger_file(conversation_id: uuid.UUID, bot_id: uuid.UUID, payload: Any,
                             max_bytes: int) -> bytes:
        return await channels(app).voice_file(conversation_id, bot_id, payload, max_bytes)

    state.voice_media = VoiceMedia(state.runtime, messenger_file)
    stt = state.clients.get("stt")
    dispatcher = getattr(state.clients["orchestrator"], "dispatcher", None)
    if stt is not None and dispatcher is not None and "stt" not in dispatcher.services():
        from orchestrator.extension import ServiceLimits

        # Live voice messages queue in the speech service itself (its live pool); the
        # bulkhead only bounds how many turns wait on it at once.
        settings = state.runtime.settings
        client = VoiceClient(stt, state.voice_media, state.runtime.limiter,
                             settings.stt_voice_per_conversation_per_minute,
                             settings.stt_voice_per_bot_per_minute)
        dispatcher.register("stt", client, ServiceLimits(
            concurrency=32, queue=128, wait_seconds=2.0, failure_threshold=5,
            reset_seconds=30.0))


def voice_media(app: Any) -> Any:
    """Where the widget keeps recordings until they are heard (None: no voice here)."""
    conversation_service(app)
    return getattr(app.state, "voice_media", None) if "stt" in app.state.clients else None


def channels(app: Any) -> Channels:
    """The app's messenger channel layer; one per app, built on first use."""
    layer = getattr(app.state, "channels", None)
    if layer is None:
        layer = app.state.channels = Channels(app.state.runtime, conversation_service(app),
                                              app.state.clients["scenarios"])
    return layer


async def own_bot(request: Request, bot_id: uuid.UUID, org_id: uuid.UUID) -> None:
    """404 unless the bot belongs to the caller's organization (another organization's bot
    answers exactly like a missing one)."""
    bot = await conversation_service(request.app).bot(bot_id)
    if bot is None or bot.org_id != org_id:
        raise NotFound(f"no bot {bot_id} in your organization")


def realtime_hub(app: Any) -> Hub:
    hub = getattr(app.state, "chat_hub", None)
    if hub is None:
        runtime = app.state.runtime
        hub = app.state.chat_hub = Hub(runtime.pubsub, runtime.presence)
    return hub


async def get_conversations(request: Request) -> ConversationService:
    # Async on purpose: FastAPI runs plain-function dependencies in a thread pool.
    return conversation_service(request.app)


async def chat_scope(request: Request) -> ChatScope:
    key = request.headers.get("x-chat-key")
    runtime = get_runtime(request)
    if key is not None:
        found = await keys_service.resolve(runtime=runtime, key=key.strip())
        if found is None:
            raise Unauthorized("the chat key is not valid (it may have been rotated)")
        return ChatScope(org_id=found[1], bot_id=found[0])
    if "authorization" not in request.headers and "x-api-key" not in request.headers:
        raise Unauthorized("send the bot's chat key as X-Chat-Key, or organization "
                           "credentials as Authorization: Bearer ...")
    async with runtime.sessionmaker() as session, session.begin():
        principal = await request.app.state.principal_resolver.resolve(request, session)
    return ChatScope(org_id=principal.org_id, role=principal.role)


Conversations = Annotated[ConversationService, Depends(get_conversations)]
Scope = Annotated[ChatScope, Depends(chat_scope)]
