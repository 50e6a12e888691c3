"""The LLM service's contract: its block type (`llm`), and how the composition root plugs the
service into an orchestrator (`install`): the block type's executor on the engine, the
service's client on the dispatcher, reading the organization's providers, secrets and the
shared cache."""

from __future__ import annotations

from typing import Any

from llm.blocks import BLOCK_TYPES, EXECUTORS, SERVICE, register_block_types
from llm.service import LlmService
from orchestrator.extension import ServiceLimits

__all__ = ["BLOCK_TYPES", "SERVICE", "LlmService", "RecordingReports", "install",
           "register_block_types"]


class RecordingReports:
    """Reports on uploaded recordings (the speech service's uploads that ask for one): the
    organization's provider writes it; a `recording_report` notice tells its targets."""

    def __init__(self, service: LlmService, notifier: Any = None) -> None:
        self._service = service
        self._notifier = notifier

    async def check(self, org_id: Any, provider: str) -> None:
        await self._service.check_provider(org_id, provider)

    async def write(self, *, org_id: Any, recording_id: Any, provider: str, text: str,
                    instructions: str | None, language: str) -> dict[str, Any]:
        return await self._service.summarise_recording(
            org_id=org_id, recording_id=recording_id, provider=provider, text=text,
            instructions=instructions, language=language)

    def notify(self, *, org_id: Any, recording_id: Any, language: str, summary: str) -> None:
        if self._notifier is not None:
            self._notifier.notify("recording_report", org_id=org_id, bot_id=None,
                                  conversation_id=recording_id, language=language,
                                  summary=summary)


def install(orchestrator: Any, settings: Any, sessionmaker: Any, secrets: Any,
            cache: Any = None, limiter: Any = None, transcript: Any = None,
            notifier: Any = None) -> LlmService:
    """Run `llm` blocks on `orchestrator` (an in-process orchestrator client). A provider's
    address is checked like an HTTP block's (public, or allowed by ROZMOVA_HTTP_ALLOW).
    `transcript(conversation_id, limit)` gives a block the conversation so far."""
    from modules.contract import AddressPolicy

    orchestrator.engine.executors.register_missing(EXECUTORS)
    policy = AddressPolicy([e for e in settings.http_allow.split(",") if e.strip()])
    service = LlmService(sessionmaker, secrets, cache, policy, limiter, transcript, notifier)
    # A model answers in seconds: many calls wait at once, bounded so that a slow provider
    # cannot hold every conversation's turn (the bulkhead answers `error` beyond it).
    orchestrator.dispatcher.register(SERVICE, service, ServiceLimits(
        concurrency=256, queue=1024, wait_seconds=10.0))
    return service
