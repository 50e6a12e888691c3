"""The transcriptions API: upload a recording, follow its progress, read its transcript."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.errors import InvalidInput, NotFound
from core.http import (
    DbSession,
    Editor,
    UploadingOperator,
    Viewer,
    only_query,
    problem_responses,
)
from stt.models import SpeechSettings, Transcription

router = APIRouter(prefix="/api/v1/transcriptions", tags=["speech"])

LANGUAGE = r"^[a-z]{2}(-[A-Z]{2})?$"
AUDIO_TYPES = ("audio/", "video/webm", "video/mp4", "video/ogg", "application/ogg",
               "application/octet-stream")


class TranscriptionRead(BaseModel):
    model_config = {"from_attributes": True}

    id: uuid.UUID
    status: str = Field(description="queued, running, done or failed")
    language: str | None
    bytes: int
    progress: float = Field(description="0 to 1")
    text: str | None = Field(None, description="The transcript, once done.")
    result: dict[str, Any] | None = Field(None, description=(
        "Words with their times (seconds) and confidence, the engine, the audio's length; "
        "with a report asked for, `report`: {status: requested, running, done or failed, "
        "provider, text, model, error}."))
    error_code: str | None = Field(None, description=(
        "not_audio, truncated, too_long, too_large, unsupported_codec, silence, timeout, "
        "engine_failed, interrupted"))
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None


def _service(request: Request) -> Any:
    return request.app.state.clients["stt"]


@router.post("", response_model=TranscriptionRead, status_code=status.HTTP_202_ACCEPTED,
             responses=problem_responses(401, 403, 413, 415, 422),
             dependencies=[only_query("language", "report", "instructions")],
             openapi_extra={"requestBody": {"required": True, "content": {
                 "audio/*": {"schema": {"type": "string", "format": "binary"}}}}})
async def upload(request: Request, principal: UploadingOperator,
                 language: Annotated[str | None, Query(
                     pattern=LANGUAGE, description="uk-UA, en-US, uk, en ...; absent: "
                     "the engine tells")] = None,
                 report: Annotated[str | None, Query(
                     pattern=r"^[a-z][a-z0-9_-]{0,63}$",
                     description="One of the organization's LLM providers: once transcribed, "
                     "it writes a report on the recording (`report` in the result), and "
                     "the organization's notice targets for `recording_report` hear of it."
                     )] = None,
                 instructions: Annotated[str | None, Query(
                     max_length=2000, description="What the report must say besides the "
                     "usual (with `report`).")] = None):
    """Upload a recording (the body is the file: OGG/Opus, WebM, M4A/AAC, MP3, WAV, FLAC; up
    to the server's upload limit, 25 MB by default, and three hours). It is stored before
    this answers (202) and transcribed in the background, after the live conversations'
    voice messages: follow it at GET /api/v1/transcriptions/{id}."""
    if instructions is not None and report is None:
        raise InvalidInput("instructions go with report: name the provider that writes it")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not kind.startswith(AUDIO_TYPES):
        raise InvalidInput(f"send the recording itself as the body with its audio type "
                           f"(Content-Type: audio/ogg, audio/mpeg, ...), not {kind or 'none'}")
    audio = await request.body()
    if not audio:
        raise InvalidInput("the body is empty: send the recording")
    row = await _service(request).submit(org_id=principal.org_id,
                                         user_id=principal.user_id,
                                         audio=audio, language=language, report=report,
                                         instructions=instructions)
    return TranscriptionRead.model_validate(row)


@router.get("", response_model=list[TranscriptionRead], responses=problem_responses(401, 422),
            dependencies=[only_query("limit")])
async def list_transcriptions(principal: Viewer, session: DbSession,
                              limit: Annotated[int, Query(ge=1, le=200)] = 50):
    """The organization's uploads, newest first."""
    rows = await session.scalars(select(Transcription).where(
        Transcription.org_id == principal.org_id).order_by(
        Transcription.created_at.desc()).limit(limit))
    return [TranscriptionRead.model_validate(r) for r in rows]


@router.get("/{transcription_id}", response_model=TranscriptionRead,
            responses=problem_responses(401, 404, 422), dependencies=[only_query()])
async def get_transcription(transcription_id: uuid.UUID, principal: Viewer,
                            session: DbSession):
    """Its state and, once done, its transcript."""
    row = await session.get(Transcription, transcription_id)
    if row is None or row.org_id != principal.org_id:
        raise NotFound(f"no transcription {transcription_id} in your organization")
    return TranscriptionRead.model_validate(row)


settings_router = APIRouter(prefix="/api/v1/speech", tags=["speech"])


class SpeechSettingsBody(BaseModel):
    engines: list[str] = Field(min_length=1, max_length=4, description=(
        "The engines to ask, in order: the first, then its fallbacks (of `available`)."))


class SpeechSettingsRead(SpeechSettingsBody):
    available: list[str] = Field(description="The engines this server runs, in its order.")
    default: bool = Field(description="True when the organization has not chosen: the "
                                      "server's order applies.")


@settings_router.get("/settings", response_model=SpeechSettingsRead,
                     responses=problem_responses(401), dependencies=[only_query()])
async def get_speech_settings(request: Request, principal: Viewer, session: DbSession):
    """Which speech engines the organization's voice messages and uploads go to, in order."""
    available = _service(request).queue.names()
    row = await session.get(SpeechSettings, principal.org_id)
    chosen = [e for e in (row.engines if row is not None else []) if e in available]
    return SpeechSettingsRead(engines=chosen or available, available=available,
                              default=not chosen)


@settings_router.put("/settings", response_model=SpeechSettingsRead,
                     responses=problem_responses(401, 403, 422), dependencies=[only_query()])
async def put_speech_settings(request: Request, body: SpeechSettingsBody, principal: Editor,
                              session: DbSession):
    """Choose the engines and their order (say `["google", "whisper"]`: Google Cloud Speech
    first, the offline engine when it fails). Only engines this server runs."""
    service = _service(request)
    available = service.queue.names()
    unknown = [e for e in body.engines if e not in available]
    if unknown:
        raise InvalidInput(f"engines: {unknown[0]!r} does not run on this server; it runs "
                           f"{', '.join(available)}")
    if len(set(body.engines)) != len(body.engines):
        raise InvalidInput("engines: each engine once")
    row = await session.get(SpeechSettings, principal.org_id)
    if row is None:
        session.add(SpeechSettings(org_id=principal.org_id, engines=list(body.engines)))
    else:
        row.engines = list(body.engines)
    await session.flush()
    service.forget_settings(principal.org_id)
    return SpeechSettingsRead(engines=list(body.engines), available=available, default=False)
