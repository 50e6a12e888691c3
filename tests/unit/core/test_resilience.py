"""Circuit breakers (on a fake clock), the breaker registry and bulkheads."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import generate_latest

from core.metrics import registry
from core.resilience import (
    Breakers,
    Bulkhead,
    BulkheadFull,
    CircuitBreaker,
    CircuitOpen,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def breaker(clock: FakeClock, name: str = "svc", **settings: float) -> CircuitBreaker:
    options = {"failure_threshold": 3, "window_seconds": 10.0, "reset_seconds": 5.0} | settings
    return CircuitBreaker(name, clock=clock, **options)  # type: ignore[arg-type]


def fail(b: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        b.check()
        b.record_failure()


def test_opens_after_threshold_failures_and_refuses_with_retry_after():
    clock = FakeClock()
    b = breaker(clock)
    fail(b, 2)
    assert b.state == "closed"
    fail(b, 1)
    assert b.state == "open"
    clock.advance(2)
    with pytest.raises(CircuitOpen) as refused:
        b.check()
    assert refused.value.name == "svc"
    assert refused.value.retry_after == pytest.approx(3.0)
    assert refused.value.headers["Retry-After"] == "3"
    assert b.opened_count == 1


def test_a_success_forgets_earlier_failures():
    clock = FakeClock()
    b = breaker(clock)
    fail(b, 2)
    b.check()
    b.record_success()
    fail(b, 2)
    assert b.state == "closed"


def test_failures_older_than_the_window_do_not_count():
    clock = FakeClock()
    b = breaker(clock)
    fail(b, 2)
    clock.advance(10.5)
    fail(b, 2)
    assert b.state == "closed"
    fail(b, 1)
    assert b.state == "open"


def test_half_open_lets_one_probe_through_and_its_success_closes():
    clock = FakeClock()
    b = breaker(clock)
    fail(b, 3)
    clock.advance(5)
    assert b.state == "half_open"
    b.check()  # the probe
    with pytest.raises(CircuitOpen):
        b.check()  # a second caller while the probe is out
    b.record_success()
    assert b.state == "closed"
    b.check()
    b.check()


def test_half_open_probe_failure_reopens_for_the_full_reset_time():
    clock = FakeClock()
    b = breaker(clock)
    fail(b, 3)
    clock.advance(6)
    b.check()
    b.record_failure()
    assert b.state == "open"
    assert b.opened_count == 2
    clock.advance(4.9)
    with pytest.raises(CircuitOpen):
        b.check()
    clock.advance(0.1)
    assert b.state == "half_open"


def test_a_released_probe_lets_the_next_caller_probe():
    clock = FakeClock()
    b = breaker(clock)
    fail(b, 3)
    clock.advance(5)
    b.check()
    b.release()
    b.check()


def test_a_probe_never_reported_stops_blocking_after_reset_seconds():
    clock = FakeClock()
    b = breaker(clock)
    fail(b, 3)
    clock.advance(5)
    b.check()
    clock.advance(4)
    with pytest.raises(CircuitOpen):
        b.check()
    clock.advance(1)
    b.check()


def test_late_results_while_open_change_nothing():
    clock = FakeClock()
    b = breaker(clock)
    fail(b, 3)
    b.record_success()
    b.record_failure()
    assert b.state == "open"
    assert b.opened_count == 1


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        CircuitBreaker("x", failure_threshold=0)
    with pytest.raises(ValueError):
        Breakers("x", reset_seconds=0)


def test_breakers_keep_one_per_key_and_forget_the_least_recently_used():
    clock = FakeClock()
    breakers = Breakers("unit-lru", max_size=2, failure_threshold=1, clock=clock)
    a = breakers.get("a")
    assert breakers.get("a") is a
    assert a.name == "unit-lru:a"
    breakers.get("b")
    breakers.get("a")  # a is now the most recently used
    breakers.get("c")
    assert len(breakers) == 2
    assert breakers.get("a") is a
    assert {b.name for b in breakers} == {"unit-lru:a", "unit-lru:c"}
    a.record_failure()
    assert breakers.get("a").state == "open"


def test_metrics_show_live_breakers_and_their_state():
    clock = FakeClock()
    breakers = Breakers("unit-metrics", max_size=1, failure_threshold=1, reset_seconds=5,
                        clock=clock)
    breakers.get("first").record_failure()
    text = generate_latest(registry).decode()
    assert 'rozmova_circuit_state{name="unit-metrics:first"} 2.0' in text
    assert 'rozmova_circuit_opened_total{name="unit-metrics:first"} 1.0' in text
    clock.advance(5)
    text = generate_latest(registry).decode()
    assert 'rozmova_circuit_state{name="unit-metrics:first"} 1.0' in text
    breakers.get("second")  # forgets "first": its labels go with it
    text = generate_latest(registry).decode()
    assert "unit-metrics:first" not in text
    assert 'rozmova_circuit_state{name="unit-metrics:second"} 0.0' in text


async def test_bulkhead_admits_limit_then_refuses_without_a_queue():
    bulkhead = Bulkhead("unit-no-queue", 2)
    async with bulkhead.slot(), bulkhead.slot():
        assert bulkhead.in_use == 2
        with pytest.raises(BulkheadFull) as full:
            async with bulkhead.slot():
                pass
        assert full.value.limit == 2
        assert full.value.name == "unit-no-queue"
    assert bulkhead.in_use == 0


async def test_bulkhead_queue_is_served_in_arrival_order():
    bulkhead = Bulkhead("unit-fifo", 1, queue=3, wait_seconds=5)
    order: list[int] = []
    gate = asyncio.Event()

    async def call(number: int) -> None:
        async with bulkhead.slot():
            order.append(number)
            await gate.wait()

    first = asyncio.create_task(call(0))
    await asyncio.sleep(0)
    waiters = []
    for number in (1, 2, 3):
        waiters.append(asyncio.create_task(call(number)))
        await asyncio.sleep(0)
    assert bulkhead.in_use == 1 and bulkhead.waiting == 3
    gate.set()
    await asyncio.gather(first, *waiters)
    assert order == [0, 1, 2, 3]
    assert bulkhead.in_use == 0 and bulkhead.waiting == 0


async def test_bulkhead_refuses_at_once_when_the_queue_is_full():
    bulkhead = Bulkhead("unit-queue-full", 1, queue=1, wait_seconds=5)
    async with bulkhead.slot():
        waiter = asyncio.create_task(bulkhead.slot().__aenter__())
        await asyncio.sleep(0)
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(BulkheadFull):
            async with bulkhead.slot():
                pass
        assert loop.time() - started < 0.1
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
    assert bulkhead.in_use == 0 and bulkhead.waiting == 0


async def test_bulkhead_wait_times_out():
    bulkhead = Bulkhead("unit-wait", 1, queue=1, wait_seconds=0.05)
    async with bulkhead.slot():
        with pytest.raises(BulkheadFull, match="within 0.05 s"):
            async with bulkhead.slot():
                pass
        assert bulkhead.waiting == 0
    assert bulkhead.in_use == 0
    async with bulkhead.slot():
        assert bulkhead.in_use == 1


async def test_cancelling_a_waiter_does_not_leak_a_slot():
    bulkhead = Bulkhead("unit-cancel", 1, queue=2, wait_seconds=5)
    entered: list[str] = []

    async def call(label: str) -> None:
        async with bulkhead.slot():
            entered.append(label)

    async with bulkhead.slot():
        cancelled = asyncio.create_task(call("cancelled"))
        kept = asyncio.create_task(call("kept"))
        await asyncio.sleep(0)
        cancelled.cancel()
        await asyncio.sleep(0)
        assert bulkhead.waiting == 1
    await kept
    assert cancelled.cancelled()
    assert entered == ["kept"]
    assert bulkhead.in_use == 0 and bulkhead.waiting == 0


async def test_a_waiter_cancelled_just_after_being_handed_the_slot_passes_it_on():
    bulkhead = Bulkhead("unit-handoff", 1, queue=2, wait_seconds=5)
    entered: list[str] = []

    async def call(label: str) -> None:
        async with bulkhead.slot():
            entered.append(label)

    holder = bulkhead.slot()
    await holder.__aenter__()
    unlucky = asyncio.create_task(call("unlucky"))
    after = asyncio.create_task(call("after"))
    await asyncio.sleep(0)
    await holder.__aexit__(None, None, None)  # hands the slot to "unlucky"...
    unlucky.cancel()  # ...which is cancelled before it runs
    await asyncio.gather(unlucky, after, return_exceptions=True)
    assert entered == ["after"]
    assert bulkhead.in_use == 0 and bulkhead.waiting == 0


def test_bulkhead_settings_are_checked():
    with pytest.raises(ValueError):
        Bulkhead("x", 0)
    with pytest.raises(ValueError):
        Bulkhead("x", 1, queue=2)
