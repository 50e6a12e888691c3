"""Service calls of a turn: where a block's `ServiceCall` becomes a call to the service's
contract client, under the block's time limit, the service's bulkhead (bounded concurrency)
and circuit breaker. Every way a call can go wrong ends as a `ServiceOutcome` (``error`` or
``timeout`` with a message for the bot's author), never as an exception in the turn: the
block then leaves through its ports, and a conversation is never stuck on a service.

Services register a client under their name (`Dispatcher.register`); the engine never sees
them. In the embedded mode the clients are in-process; in the distributed one, HTTP clients
of the same protocol."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

from core.resilience import Breakers, Bulkhead, BulkheadFull, CircuitOpen
from core.runtime import outside_the_database
from orchestrator.contract import ServiceCall, ServiceOutcome, TurnContext

log = structlog.get_logger("rozmova.orchestrator.dispatch")


class ServiceCallError(Exception):
    """The service could not do the work; the message is for the bot's author (it goes to
    the trace and to the block's `error` port). ``logs`` are what the work printed."""

    def __init__(self, message: str, *, logs: list[str] | None = None) -> None:
        super().__init__(message)
        self.logs = logs or []


@dataclass(frozen=True)
class ServiceResult:
    """What a service client returns: the value, and what the work printed."""

    value: Any = None
    logs: list[str] = field(default_factory=list)


class ServiceClient(Protocol):
    async def call(self, operation: str, request: Mapping[str, Any],
                   context: TurnContext, *, timeout: float) -> ServiceResult:
        """Do `operation`; raise ServiceCallError with a readable reason when it fails.
        The dispatcher also enforces `timeout`; a client should stop its own work by then."""
        ...


@dataclass(frozen=True)
class ServiceLimits:
    concurrency: int = 64        # calls in flight per process
    queue: int = 256             # calls that may wait for a slot
    wait_seconds: float = 1.0    # how long one may wait
    failure_threshold: int = 5   # failures (errors the service owns, timeouts) that open it
    reset_seconds: float = 15.0  # how long it stays open before one probe


class Dispatcher:
    """The process's service clients, each behind its bulkhead and circuit breaker."""

    def __init__(self) -> None:
        self._clients: dict[str, ServiceClient] = {}
        self._bulkheads: dict[str, Bulkhead] = {}
        self._breakers: dict[str, Breakers] = {}

    def register(self, name: str, client: ServiceClient,
                 limits: ServiceLimits = ServiceLimits()) -> None:
        self._clients[name] = client
        self._bulkheads[name] = Bulkhead(f"service:{name}", limits.concurrency,
                                         queue=limits.queue, wait_seconds=limits.wait_seconds)
        self._breakers[name] = Breakers(f"service:{name}", max_size=64,
                                        failure_threshold=limits.failure_threshold,
                                        reset_seconds=limits.reset_seconds)

    def services(self) -> list[str]:
        return sorted(self._clients)

    async def call(self, call: ServiceCall, context: TurnContext) -> ServiceOutcome:
        started = time.perf_counter()
        client = self._clients.get(call.service)
        if client is None:
            return _outcome("error", started, error=f"no service '{call.service}' runs here "
                            f"(known: {', '.join(self.services()) or 'none'})")
        # One breaker per service and operation: a broken HTTP API must not stop scripts.
        breaker = self._breakers[call.service].get(call.operation)
        try:
            breaker.check()
        except CircuitOpen as exc:
            return _outcome("error", started, error=(
                f"'{call.service}' ({call.operation}) failed repeatedly and is paused for "
                f"{max(1, round(exc.retry_after))} s"))
        try:
            # The turn's database slot is given back while the service works.
            async with outside_the_database(), self._bulkheads[call.service].slot():
                async with asyncio.timeout(call.timeout_seconds):
                    result = await client.call(call.operation, call.request, context,
                                               timeout=call.timeout_seconds)
        except BulkheadFull:
            breaker.release()  # not tried: no verdict on the service
            return _outcome("error", started, error=(
                f"'{call.service}' is at capacity on this server; try again shortly"))
        except TimeoutError:
            breaker.record_failure()
            return _outcome("timeout", started, error=(
                f"'{call.service}' ({call.operation}) did not answer within "
                f"{call.timeout_seconds:g} s"))
        except ServiceCallError as exc:
            # The work failed on its own terms (a script threw, an API answered 404): the
            # service itself is fine.
            breaker.record_success()
            return _outcome("error", started, error=str(exc), logs=exc.logs)
        except asyncio.CancelledError:
            breaker.release()  # no verdict on the service
            raise
        except Exception as exc:  # noqa: BLE001  (a broken service is an error port)
            breaker.record_failure()
            log.warning("dispatch.failed", service=call.service, operation=call.operation,
                        error=type(exc).__name__)
            return _outcome("error", started, error=(
                f"'{call.service}' ({call.operation}) failed: {type(exc).__name__}"))
        breaker.record_success()
        return _outcome("ok", started, value=result.value, logs=result.logs)


def _outcome(status: str, started: float, *, value: Any = None, error: str | None = None,
             logs: list[str] | None = None) -> ServiceOutcome:
    return ServiceOutcome(status=status, value=value, error=error,  # type: ignore[arg-type]
                          milliseconds=round((time.perf_counter() - started) * 1000, 3),
                          logs=list(logs or ()))
