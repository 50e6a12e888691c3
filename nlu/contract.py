"""The NLU service's contract: its block types (`intent`), and how the composition root plugs
the service into an orchestrator: the block types into the scenario format's registry, their
executors into the orchestrator's engine, the service's client into its dispatcher
(`install`); what it reads in every person's message (`read_message`); what publishing a
version starts (`on_publish`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nlu.blocks import BLOCK_TYPES, EXECUTORS, SERVICE, intent_models, register_block_types
from nlu.insight import MessageInsight, preload, read_message, warm_up_intents
from nlu.meaning import ENCODER_INSTANCE
from nlu.pruning import pruning
from nlu.service import NluService
from orchestrator.extension import ServiceLimits

__all__ = ["BLOCK_TYPES", "SERVICE", "MessageInsight", "NluService", "install", "on_publish",
           "preload", "pruning", "read_message", "register_block_types", "warm_up_intents"]


def install(orchestrator: Any, sessionmaker: Any = None, *, second_look: bool = True,
            second_look_threads: int = 1, second_look_wait_ms: int = 250,
            encoder_cache: int | None = None) -> NluService:
    """Run `intent` blocks on `orchestrator` (an in-process orchestrator client); trained
    models are stored through `sessionmaker` (None: kept in memory only). `second_look`:
    the sentence encoder for unsure messages (settings.nlu_second_look), on
    `second_look_threads` threads, a message waiting for one `second_look_wait_ms` at most;
    `encoder_cache`: the process's encoder keeps that many embeddings (None: as it is)."""
    orchestrator.engine.executors.register_missing(EXECUTORS)
    if encoder_cache is not None:
        ENCODER_INSTANCE.cache_size = encoder_cache
    service = NluService(sessionmaker=sessionmaker, second_look=second_look,
                         second_look_threads=second_look_threads,
                         second_look_wait_ms=second_look_wait_ms)
    # Classifying takes a fraction of a millisecond, or ~25 ms in a worker thread when the
    # second look is needed; training (once per version's intents) runs in a thread. The
    # bulkhead bounds how many conversations wait on one at a time.
    orchestrator.dispatcher.register(SERVICE, service, ServiceLimits(
        concurrency=64, queue=512, wait_seconds=5.0))
    return service


def on_publish(service: NluService) -> Callable[[dict[str, Any]], list[str]]:
    """What the scenarios service calls once a version is published (its document): its
    intent models start training in the background. Returns their digests."""
    def published(document: dict[str, Any]) -> list[str]:
        return service.train_in_background(intent_models(document))
    return published
