"""Voice messages in conversations: where a recording's bytes come from, and the speech
service's client on the orchestrator's dispatcher.

A voice message reaches the engine as an `audio` event whose payload says where the
recording is, never the recording itself (a history row stays small): a messenger's file
(Telegram's `file_id`, fetched with getFile when it is heard) or a recording the widget sent
over its socket (kept in the shared cache for `KEPT_SECONDS` under the conversation, so any
instance can hear it). When the conversation waits on a block that takes text, the engine asks
`stt` to transcribe it (`orchestrator.engine.interpreter`, `_heard`); `VoiceClient` fetches
the bytes for that conversation and hands them to the speech service's live queue, ahead of
bulk uploads."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import structlog
from sqlalchemy import select

from core.runtime import Runtime
from orchestrator.contract import TurnContext
from orchestrator.extension import ServiceCallError, ServiceResult

log = structlog.get_logger(__name__)

KEPT_SECONDS = 15 * 60          # a widget's recording, until it is heard
MAX_VOICE_BYTES = 1024 * 1024   # a widget's recording (a minute of Opus is ~250 KB)
MAX_FILE_BYTES = 10 * 1024 * 1024  # a messenger's voice message or audio file
MIME_TYPES = ("audio/", "video/webm", "video/mp4", "application/ogg")
# What stt.audio refuses a recording for: the recording's fault, not the service's.
NOTHING_TO_HEAR = frozenset({"silence", "not_audio", "unsupported_codec", "too_long",
                             "truncated", "too_large"})


class VoiceRejected(ValueError):
    """A recording the platform does not take (too big, not audio); the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _key(conversation_id: uuid.UUID, media: str) -> str:
    return f"voice:{conversation_id}:{media}"


class VoiceMedia:
    """Where recordings of conversations are read from."""

    def __init__(self, runtime: Runtime,
                 messenger_file: Callable[[uuid.UUID, uuid.UUID, Mapping[str, Any], int],
                                          Awaitable[bytes]] | None = None) -> None:
        self._runtime = runtime
        # (conversation, bot, payload, max bytes) -> the recording: the channel layer's.
        self.messenger_file = messenger_file

    async def keep(self, conversation_id: uuid.UUID, audio: bytes,
                   mime_type: str | None, client_message_id: str | None = None
                   ) -> dict[str, Any]:
        """Keep a recording sent over the widget's socket or the REST API; the `audio`
        event's payload. Named after the client's message id where there is one: a message
        sent again (a reconnecting widget) replaces its copy instead of keeping a second."""
        if not audio:
            raise VoiceRejected("bad_frame", "the voice message is empty")
        if len(audio) > MAX_VOICE_BYTES:
            raise VoiceRejected("too_long", f"a voice message is limited to "
                                            f"{MAX_VOICE_BYTES // 1024} KB")
        mime = (mime_type or "").strip().lower()[:100]
        if mime and not mime.startswith(MIME_TYPES):
            raise VoiceRejected("bad_frame", f"'{mime}' is not an audio type")
        media = (hashlib.sha256(client_message_id.encode()).hexdigest()[:24]
                 if client_message_id else secrets.token_urlsafe(12))
        await self._runtime.cache.set(_key(conversation_id, media), audio,
                                      ttl_seconds=KEPT_SECONDS)
        payload: dict[str, Any] = {"type": "audio", "source": "widget", "media": media,
                                   "file_size": len(audio)}
        if mime:
            payload["mime_type"] = mime
        return payload

    async def fetch(self, payload: Mapping[str, Any], context: TurnContext) -> bytes:
        """The recording an `audio` event's payload names, for the conversation in
        `context` only; ServiceCallError says why it cannot be had."""
        media = payload.get("media")
        if isinstance(media, str) and payload.get("source") == "widget":
            audio = await self._runtime.cache.get(_key(context.conversation_id, media))
            if audio is None:
                raise ServiceCallError(f"the recording is no longer kept (recordings wait "
                                       f"{KEPT_SECONDS // 60} minutes to be heard)")
            return audio
        messenger = isinstance(payload.get("file_id"), str) or (
            isinstance(media, str) and media.startswith(("https://", "http://")))
        if messenger and self.messenger_file is not None:
            size = payload.get("file_size", payload.get("size"))
            if isinstance(size, int) and size > MAX_FILE_BYTES:
                raise ServiceCallError(f"the recording is {size // 1024} KB; voice messages "
                                       f"are heard up to {MAX_FILE_BYTES // 1024 // 1024} MB")
            return await self.messenger_file(context.conversation_id, context.bot_id,
                                             payload, MAX_FILE_BYTES)
        raise ServiceCallError("this message names no recording that can be fetched")


class VoiceClient:
    """The dispatcher's client for `stt`: `transcribe` a conversation's voice message, within
    the per-conversation and per-bot rates (every transcription costs the server's shared
    live pool: a flood from one place must not make everyone else's voice wait)."""

    def __init__(self, stt: Any, media: VoiceMedia, limiter: Any = None,
                 per_conversation: int = 12, per_bot: int = 600) -> None:
        self._stt = stt  # stt.contract.SttService
        self._media = media
        self._limiter = limiter
        self._rates = (f"{per_conversation}/minute", f"{per_bot}/minute")

    async def _within_rates(self, context: TurnContext) -> None:
        if self._limiter is None:
            return
        from core.errors import RateLimited

        try:
            await self._limiter.hit(self._rates[0], "voice-conversation",
                                    str(context.conversation_id), what="voice messages")
            await self._limiter.hit(self._rates[1], "voice-bot", str(context.bot_id),
                                    what="voice messages")
        except RateLimited as exc:
            raise ServiceCallError(f"too many voice messages: {exc.detail}") from None
        except Exception as exc:  # noqa: BLE001  (the counter is away: heard anyway)
            log.warning("chat.voice_rate_unavailable", error=type(exc).__name__)

    async def call(self, operation: str, request: Mapping[str, Any], context: TurnContext,
                   *, timeout: float) -> ServiceResult:
        from stt.contract import JobFailed

        if operation != "transcribe":
            raise ServiceCallError(f"the speech service has no operation '{operation}'")
        payload = request.get("audio")
        if not isinstance(payload, Mapping):
            raise ServiceCallError("no recording was given")
        await self._within_rates(context)
        audio = await self._media.fetch(payload, context)
        language = request.get("language")
        try:
            result = await self._stt.live(audio, language if isinstance(language, str)
                                          else None, org_id=context.org_id)
        except JobFailed as exc:
            if exc.code in NOTHING_TO_HEAR:
                # The service did its work: there is nothing to hear in this recording (the
                # person is asked again, or the block leaves through `no_speech`).
                return ServiceResult(value={"text": None, "reason": f"{exc.code}: {exc}"})
            raise ServiceCallError(f"{exc.code}: {exc}") from None
        # Words with their times stay out of the trace and the history: text and confidence
        # are what a scenario uses.
        return ServiceResult(value={k: result.get(k) for k in (
            "text", "confidence", "language", "seconds", "engine")})


async def stored_chat_connection(runtime: Runtime, conversation_id: uuid.UUID
                                 ) -> uuid.UUID | None:
    """The messenger connection a conversation runs on (None for the widget and the API)."""
    from chat.channels.models import ChannelChat

    async with runtime.sessionmaker() as session:
        return (await session.execute(select(ChannelChat.connection_id).where(
            ChannelChat.conversation_id == conversation_id).limit(1))).scalar_one_or_none()
