"""The modules service's contract: its block types (`script`, `http`, `module`), and how the
composition root plugs the service into an orchestrator: the block types into the scenario
format's registry, their executors into the orchestrator's engine, the service's client into
its dispatcher (`install`)."""

from __future__ import annotations

from typing import Any

from core.config import Settings
from modules.blocks import BLOCK_TYPES, EXECUTORS, SERVICE, register_block_types
from modules.http.exceptions import HttpRefused
from modules.http.pinning import PinnedBackend, check_url, pinned_transport
from modules.http.policy import AddressPolicy
from modules.service import ModulesService, Secrets
from orchestrator.extension import ServiceLimits

# AddressPolicy, check_url and PinnedBackend: which addresses a call the platform makes for an
# author may reach (the LLM service checks a provider's address with them and streams over
# connections pinned to checked addresses; notices check their targets').
__all__ = ["BLOCK_TYPES", "SERVICE", "AddressPolicy", "HttpRefused", "ModulesService",
           "PinnedBackend", "check_url", "install", "pinned_transport",
           "register_block_types"]


def install(orchestrator: Any, settings: Settings, secrets: Secrets | None,
            sessionmaker: Any = None, cache: Any = None) -> ModulesService:
    """Run `script`, `http` and `module` blocks on `orchestrator` (an in-process orchestrator
    client): their executors on its engine, this service's client on its dispatcher. With a
    `sessionmaker` (the database's), `module` blocks find the organization's published
    modules; without one they fail. `cache` (the runtime's: Redis when configured) keeps the
    results of modules that ask for it (`cache_seconds`). Returns the service, whose `close` stops the sandbox's
    workers."""
    from modules.http import AddressPolicy, SafeHttpClient
    from modules.sandbox import Sandbox

    orchestrator.engine.executors.register_missing(EXECUTORS)
    allow = [entry for entry in settings.http_allow.split(",") if entry.strip()]
    if settings.demo_shop_url is not None:  # the demo bot's till, that port only
        allow.append(settings.demo_shop_url.removeprefix("http://"))
    library = None
    if sessionmaker is not None:
        from modules.library.loader import ModuleLoader

        library = ModuleLoader(sessionmaker)
    service = ModulesService(Sandbox(workers=settings.sandbox_workers),
                             SafeHttpClient(AddressPolicy(allow)), secrets, library, cache)
    orchestrator.dispatcher.register(SERVICE, service, ServiceLimits(
        concurrency=max(4, settings.sandbox_workers * 8), queue=256, wait_seconds=2.0))
    return service
