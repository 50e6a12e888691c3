"""The NLU service's contract: its block types (`intent`), and how the composition root plugs
the service into an orchestrator: the block types into the scenario format's registry, their
executors into the orchestrator's engine, the service's client into its dispatcher
(`install`)."""

from __future__ import annotations

from typing import Any

from nlu.blocks import BLOCK_TYPES, EXECUTORS, SERVICE, register_block_types
from nlu.service import NluService
from orchestrator.extension import ServiceLimits

__all__ = ["BLOCK_TYPES", "SERVICE", "NluService", "install", "register_block_types"]


def install(orchestrator: Any) -> NluService:
    """Run `intent` blocks on `orchestrator` (an in-process orchestrator client)."""
    orchestrator.engine.executors.register_missing(EXECUTORS)
    service = NluService()
    # Classifying takes a fraction of a millisecond; training (once per version's intents)
    # runs in a thread. The bulkhead bounds how many conversations wait on one at a time.
    orchestrator.dispatcher.register(SERVICE, service, ServiceLimits(
        concurrency=64, queue=512, wait_seconds=5.0))
    return service
