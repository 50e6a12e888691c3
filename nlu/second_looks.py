"""Where the intent classifier's second looks run on a server: threads of their own, a bounded
wait, and a fair share of both for every organization.

The second look (nlu/meaning.py) keeps a core busy for about 25 ms a message, so a server
answers a few dozen a second per thread. A burst of messages the first look is unsure of
would otherwise queue without bound: people wait seconds, and while they wait their calls
hold the nlu service's concurrency, so even the messages the first look is sure of queue
behind them (bench/nlu_load.py measured both). Instead:

- a message whose wait for a thread would pass `max_wait` (the messages waiting times the
  encoder's recent time per look, over the threads) is answered by its first look alone, at
  once: a burst costs accuracy, not latency;
- the waiting messages are served round-robin across organizations, and when the wait is
  full, a message of an organization with fewer waiting takes the place of the newest one of
  the organization with the most (which is answered by its first look): one bot's burst
  cannot take the second look from everyone else's conversations."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import structlog
from prometheus_client import Counter, Gauge, Histogram

from core.metrics import registry

log = structlog.get_logger(__name__)

second_looks = Counter(
    "rozmova_nlu_second_looks", "Messages the intent classifier's first look was unsure of, by "
    "outcome: `taken` (the encoder's second look answered), `shed` (the wait for it would "
    "have been too long, or its place went to another organization's message: the first "
    "look answered alone), `failed`.", ["outcome"], registry=registry)
second_looks_waiting = Gauge(
    "rozmova_nlu_second_looks_waiting", "Second looks waiting for the encoder's threads.",
    registry=registry)
second_look_seconds = Histogram(
    "rozmova_nlu_second_look_seconds", "From asked to answered (wait and encoder), per message.",
    registry=registry, buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))

Scores = np.ndarray | None


@dataclass(frozen=True, slots=True)
class SecondLook:
    """What became of a message's second look: `scores` where it was `taken` (None where the
    encoder is missing), else None: `shed` (the wait was full), `failed`, `closed`."""

    scores: Scores
    outcome: Literal["taken", "shed", "failed", "closed"]


class SecondLookPool:
    """At most `threads` second looks at the encoder at once; the others wait, `max_wait`
    seconds at most (expected), served round-robin by tenant (the organization)."""

    def __init__(self, *, threads: int = 1, max_wait: float = 0.25) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="nlu-second-look")
        self._threads = threads
        self._free = threads
        self._max_wait = max_wait
        # Per tenant, its waiting messages' futures, oldest first; the tenants in the order
        # they are next served. A future's result: True, go (a thread is reserved for it);
        # False, shed.
        self._queues: OrderedDict[Hashable, deque[asyncio.Future[bool]]] = OrderedDict()
        self._waiting = 0
        # Seconds one look takes at the encoder, a moving average (the machine's speed and
        # its load both show in it); 25 ms until measured.
        self._look_seconds = 0.025
        self._closed = False

    def expected_wait(self) -> float:
        """How long a message asking now would wait for a thread, in seconds."""
        if self._free > 0:
            return 0.0
        return (self._waiting + 1) * self._look_seconds / self._threads

    async def run(self, look: Callable[[str], Scores], text: str,
                  tenant: Hashable = None) -> SecondLook:
        """`look(text)` on one of the pool's threads; no scores where the message is shed (the
        caller answers with its first look), the look failed, or the pool is closed."""
        if self._closed:
            return SecondLook(None, "closed")
        loop = asyncio.get_running_loop()
        asked = loop.time()
        if self._free > 0 and not self._waiting:
            self._free -= 1
        elif not await self._wait_turn(tenant, loop):
            if self._closed:
                return SecondLook(None, "closed")
            second_looks.labels("shed").inc()
            return SecondLook(None, "shed")

        def timed() -> Scores:
            started = time.perf_counter()
            try:
                return look(text)
            finally:
                self._look_seconds += 0.1 * (time.perf_counter() - started - self._look_seconds)

        def finished(_: Future[Any]) -> None:
            # A thread is free when its work ends, not when its caller stops waiting (a
            # block's time limit cancels the wait; the encoder cannot be stopped).
            try:
                loop.call_soon_threadsafe(self._release)
            except RuntimeError:  # the loop closed meanwhile
                pass

        try:
            future = self._pool.submit(timed)
        except RuntimeError:  # shut down
            self._release()
            return SecondLook(None, "closed")
        future.add_done_callback(finished)
        try:
            scores = await asyncio.wrap_future(future)
        except Exception as error:  # noqa: BLE001 - the first look still answers
            second_looks.labels("failed").inc()
            log.warning("nlu.second_look_failed", error=str(error))
            return SecondLook(None, "failed")
        second_looks.labels("taken").inc()
        second_look_seconds.observe(loop.time() - asked)
        return SecondLook(scores, "taken")

    async def _wait_turn(self, tenant: Hashable, loop: asyncio.AbstractEventLoop) -> bool:
        """Queues the message; True once a thread is reserved for it, False where it is shed
        (now, or later to make room for another tenant's message)."""
        if self.expected_wait() > self._max_wait and not self._make_room(tenant):
            return False
        turn: asyncio.Future[bool] = loop.create_future()
        self._queues.setdefault(tenant, deque()).append(turn)
        self._waiting += 1
        second_looks_waiting.inc()
        try:
            return await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled() and turn.result():
                self._release()  # reserved for a caller that left: the next one gets it
            else:
                self._forget(tenant, turn)
            raise

    def _make_room(self, tenant: Hashable) -> bool:
        """Sheds the newest waiting message of the tenant with the most waiting, where that
        tenant would still have more waiting than `tenant` will; False where none has."""
        mine = len(self._queues.get(tenant, ()))
        largest = max(self._queues, key=lambda key: len(self._queues[key]), default=None)
        if largest is None or largest == tenant or len(self._queues[largest]) <= mine + 1:
            return False
        dropped = self._queues[largest].pop()
        self._dequeued(largest)
        dropped.set_result(False)
        return True

    def _forget(self, tenant: Hashable, turn: asyncio.Future[bool]) -> None:
        queue = self._queues.get(tenant)
        if queue is not None and turn in queue:
            queue.remove(turn)
            self._dequeued(tenant)

    def _dequeued(self, tenant: Hashable) -> None:
        self._waiting -= 1
        second_looks_waiting.dec()
        if not self._queues[tenant]:
            del self._queues[tenant]

    def _release(self) -> None:
        """A thread is free: it goes to the oldest message of the next tenant in turn."""
        self._free += 1
        while self._free > 0 and self._queues:
            tenant, queue = next(iter(self._queues.items()))
            turn = queue.popleft()
            self._dequeued(tenant)
            if tenant in self._queues:
                self._queues.move_to_end(tenant)
            if not turn.done():
                self._free -= 1
                turn.set_result(True)

    def close(self) -> None:
        self._closed = True
        for queue in self._queues.values():
            for turn in queue:
                second_looks_waiting.dec()
                if not turn.done():
                    turn.set_result(False)
        self._queues.clear()
        self._waiting = 0
        self._pool.shutdown(wait=False, cancel_futures=True)
