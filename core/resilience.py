"""Resilience primitives for calls to other services (the JavaScript sandbox, outside HTTP APIs,
NLU, LLM providers): a circuit breaker, a registry of breakers keyed by service or host, and a
bulkhead bounding the calls in flight. Pure asyncio, no I/O.

Their state is exported to Prometheus (``core.metrics.registry``) by one collector that reads
the live objects when scraped: a breaker's move from open to half-open shows without a call
having to happen, and the label sets are exactly the live breakers and bulkheads (a
``Breakers`` registry holds at most ``max_size``), so cardinality stays bounded.

A breaker keeps no timers: time is read from ``clock`` when it is asked, which also makes it
testable with a fake clock."""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
import time
import weakref
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Literal

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from core.errors import ServiceUnavailable
from core.metrics import registry

__all__ = ["Breakers", "Bulkhead", "BulkheadFull", "CircuitBreaker", "CircuitOpen", "State"]

State = Literal["closed", "open", "half_open"]
_STATE_VALUE: dict[State, int] = {"closed": 0, "half_open": 1, "open": 2}


class CircuitOpen(ServiceUnavailable):
    """The service behind breaker ``name`` failed repeatedly; calls are refused for
    ``retry_after`` more seconds (then one probe is let through)."""

    code, title = "circuit_open", "Service failing"

    def __init__(self, name: str, retry_after: float) -> None:
        super().__init__(f"{name} is failing; calls are paused for {retry_after:.1f} s",
                         dependency=name)
        self.name = name
        self.retry_after = retry_after
        self.headers["Retry-After"] = str(max(1, math.ceil(retry_after)))


class BulkheadFull(ServiceUnavailable):
    """All ``limit`` slots of bulkhead ``name`` are taken and its queue is full (or the wait
    for a slot ran out)."""

    code, title = "busy", "Too many calls in flight"

    def __init__(self, name: str, limit: int, detail: str | None = None) -> None:
        super().__init__(detail or f"{name} has {limit} calls in flight; try again shortly",
                         dependency=name)
        self.name = name
        self.limit = limit
        self.headers["Retry-After"] = "1"


class CircuitBreaker:
    """Counts failures of calls to one service and stops calling it for a while after too many.

    - closed: calls pass. ``failure_threshold`` failures within ``window_seconds`` with no
      success in between open the circuit (a success forgets earlier failures).
    - open: ``check`` raises ``CircuitOpen`` for ``reset_seconds``.
    - half_open: ``check`` lets one probe through at a time; its success closes the circuit,
      its failure opens it again for ``reset_seconds``.

    The caller reports every call that passed ``check`` with ``record_success`` or
    ``record_failure``, or with ``release`` when it ended without saying anything about the
    service (cancelled, refused before it reached the service). A probe that is never reported
    stops blocking others after ``reset_seconds``."""

    def __init__(self, name: str, *, failure_threshold: int = 5, window_seconds: float = 30.0,
                 reset_seconds: float = 15.0, clock: Callable[[], float] = time.monotonic) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if window_seconds <= 0 or reset_seconds <= 0:
            raise ValueError("window_seconds and reset_seconds must be positive")
        self.name = name
        self.failure_threshold = failure_threshold
        self.window_seconds = window_seconds
        self.reset_seconds = reset_seconds
        self._clock = clock
        self._failures: deque[float] = deque()
        self._opened_at: float | None = None
        self._probe_since: float | None = None
        self.opened_count = 0
        _live.add(self)

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at < self.reset_seconds:
            return "open"
        return "half_open"

    def check(self) -> None:
        """Raise ``CircuitOpen`` unless a call may go to the service now."""
        if self._opened_at is None:
            return
        now = self._clock()
        remaining = self._opened_at + self.reset_seconds - now
        if remaining > 0:
            raise CircuitOpen(self.name, remaining)
        if self._probe_since is not None:
            probe_remaining = self._probe_since + self.reset_seconds - now
            if probe_remaining > 0:
                raise CircuitOpen(self.name, probe_remaining)
        self._probe_since = now

    def record_success(self) -> None:
        if self._opened_at is None:
            self._failures.clear()
        elif self.state == "half_open":
            self._opened_at = None
            self._probe_since = None
            self._failures.clear()
        # While open, a call that started before the circuit opened proves nothing: the probe
        # decides.

    def record_failure(self) -> None:
        now = self._clock()
        if self._opened_at is not None:
            if now - self._opened_at >= self.reset_seconds:
                self._open(now)
            return
        self._failures.append(now)
        while self._failures and self._failures[0] <= now - self.window_seconds:
            self._failures.popleft()
        if len(self._failures) >= self.failure_threshold:
            self._open(now)

    def release(self) -> None:
        """The call that passed ``check`` ended without a verdict: free the half-open probe."""
        self._probe_since = None

    def _open(self, now: float) -> None:
        self._opened_at = now
        self._probe_since = None
        self._failures.clear()
        self.opened_count += 1

    def __repr__(self) -> str:
        return f"CircuitBreaker({self.name!r}, state={self.state!r})"


class Breakers:
    """One breaker per key (a service, a host), all with the same settings, named
    ``{prefix}:{key}``. At most ``max_size`` are kept, the least recently used forgotten
    first: keys can come from authors (host names), so the set must not grow without bound.
    A forgotten breaker's state is lost (it starts closed when its key comes back)."""

    def __init__(self, prefix: str, *, max_size: int = 256, **settings: Any) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self.prefix = prefix
        self.max_size = max_size
        self._settings = settings
        CircuitBreaker(f"{prefix}:settings-check", **settings)  # fail now on bad settings
        self._breakers: OrderedDict[str, CircuitBreaker] = OrderedDict()

    def get(self, key: str) -> CircuitBreaker:
        breaker = self._breakers.get(key)
        if breaker is None:
            breaker = CircuitBreaker(f"{self.prefix}:{key}", **self._settings)
            self._breakers[key] = breaker
            while len(self._breakers) > self.max_size:
                self._breakers.popitem(last=False)
        else:
            self._breakers.move_to_end(key)
        return breaker

    def __len__(self) -> int:
        return len(self._breakers)

    def __iter__(self) -> Iterator[CircuitBreaker]:
        return iter(list(self._breakers.values()))


class Bulkhead:
    """At most ``limit`` calls inside at once; up to ``queue`` more wait for a slot in arrival
    order, each at most ``wait_seconds``; past that, ``BulkheadFull`` at once. A freed slot is
    handed straight to the first waiter, so a newcomer cannot overtake the queue."""

    def __init__(self, name: str, limit: int, *, queue: int = 0,
                 wait_seconds: float = 0.0) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if queue < 0:
            raise ValueError("queue must not be negative")
        if queue and wait_seconds <= 0:
            raise ValueError("a queue needs a positive wait_seconds")
        self.name = name
        self.limit = limit
        self.queue = queue
        self.wait_seconds = wait_seconds
        self._in_use = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self.rejected_count = 0
        _live.add(self)

    @property
    def in_use(self) -> int:
        return self._in_use

    @property
    def waiting(self) -> int:
        return sum(1 for waiter in self._waiters if not waiter.done())

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self._acquire()
        try:
            yield
        finally:
            self._release()

    async def _acquire(self) -> None:
        if self._in_use < self.limit and not self.waiting:
            self._in_use += 1
            return
        if self.waiting >= self.queue:
            self.rejected_count += 1
            raise BulkheadFull(self.name, self.limit)
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(self.wait_seconds):
                await waiter
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                # The slot was handed over just as the wait ended: pass it on, or it leaks.
                self._release()
            else:
                waiter.cancel()
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
            if isinstance(exc, TimeoutError):
                self.rejected_count += 1
                raise BulkheadFull(
                    self.name, self.limit,
                    f"{self.name} had no free slot within {self.wait_seconds:g} s") from None
            raise

    def _release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot changes hands; in_use stays
                return
        self._in_use -= 1

    def __repr__(self) -> str:
        return f"Bulkhead({self.name!r}, in_use={self._in_use}, waiting={self.waiting})"


class _Live:
    """The breakers and bulkheads alive in this process, for the collector. Scrapes may run on
    another thread than the event loop, hence the lock around adding and copying."""

    def __init__(self) -> None:
        self._objects: weakref.WeakSet[CircuitBreaker | Bulkhead] = weakref.WeakSet()
        self._lock = threading.Lock()

    def add(self, thing: CircuitBreaker | Bulkhead) -> None:
        with self._lock:
            self._objects.add(thing)

    def snapshot(self) -> list[CircuitBreaker | Bulkhead]:
        with self._lock:
            return list(self._objects)


_live = _Live()


class _ResilienceCollector(Collector):
    def collect(self) -> Iterator[Any]:
        states: dict[str, int] = {}
        opened: dict[str, int] = {}
        in_use: dict[str, int] = {}
        waiting: dict[str, int] = {}
        rejected: dict[str, int] = {}
        # A name can briefly have two objects (a forgotten breaker still finishing a call):
        # report the worse state and the sum of the counts.
        for thing in _live.snapshot():
            if isinstance(thing, CircuitBreaker):
                states[thing.name] = max(states.get(thing.name, 0), _STATE_VALUE[thing.state])
                opened[thing.name] = opened.get(thing.name, 0) + thing.opened_count
            else:
                in_use[thing.name] = in_use.get(thing.name, 0) + thing.in_use
                waiting[thing.name] = waiting.get(thing.name, 0) + thing.waiting
                rejected[thing.name] = rejected.get(thing.name, 0) + thing.rejected_count
        yield _family(GaugeMetricFamily, "rozmova_circuit_state",
                      "Circuit breaker state: 0 closed, 1 half-open, 2 open.", states)
        yield _family(CounterMetricFamily, "rozmova_circuit_opened",
                      "Times a circuit breaker opened.", opened)
        yield _family(GaugeMetricFamily, "rozmova_bulkhead_in_use",
                      "Calls inside a bulkhead.", in_use)
        yield _family(GaugeMetricFamily, "rozmova_bulkhead_waiting",
                      "Calls waiting for a bulkhead slot.", waiting)
        yield _family(CounterMetricFamily, "rozmova_bulkhead_rejected",
                      "Calls refused by a full bulkhead.", rejected)


def _family(kind: Any, metric: str, documentation: str, values: dict[str, int]) -> Any:
    family = kind(metric, documentation, labels=["name"])
    for name, value in sorted(values.items()):
        family.add_metric([name], value)
    return family


registry.register(_ResilienceCollector())
