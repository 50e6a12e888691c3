"""The second looks' pool (nlu/second_looks.py): no more looks at once than threads, a bounded
wait, round-robin between organizations, one organization's burst shed before another's
messages, and callers that leave never leak a thread."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

from nlu.second_looks import SecondLook, SecondLookPool, second_looks, second_looks_waiting

# The pool's estimate of one look before any is measured: 25 ms.
LOOK = 0.025


class HeldLooks:
    """A look that waits until the test lets it finish; records the order looks started."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.running = 0
        self.most_at_once = 0
        self._gates: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def gate(self, text: str) -> threading.Event:
        with self._lock:
            return self._gates.setdefault(text, threading.Event())

    def __call__(self, text: str) -> np.ndarray:
        with self._lock:
            self.started.append(text)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            if not self.gate(text).wait(10):
                raise TimeoutError(text)
            return np.array([float(len(text))])
        finally:
            with self._lock:
                self.running -= 1

    def finish(self, text: str) -> None:
        self.gate(text).set()

    def finish_all(self) -> None:
        with self._lock:
            gates = list(self._gates.values())
        for gate in gates:
            gate.set()


async def until(condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition was not met in time")


@pytest.fixture
def looks():  # type: ignore[no-untyped-def]
    held = HeldLooks()
    yield held
    held.finish_all()


async def test_waiting_messages_are_served_round_robin_between_organizations(looks) -> None:  # type: ignore[no-untyped-def]
    pool = SecondLookPool(threads=1, max_wait=10)
    try:
        first = asyncio.create_task(pool.run(looks, "a1", "org-a"))
        await until(lambda: looks.started == ["a1"])
        later = [asyncio.create_task(pool.run(looks, text, tenant)) for text, tenant in
                 (("a2", "org-a"), ("a3", "org-a"), ("a4", "org-a"), ("b1", "org-b"))]
        await asyncio.sleep(0.05)
        assert looks.started == ["a1"]
        for text in ("a1", "a2", "b1", "a3", "a4"):
            await until(lambda text=text: text in looks.started)
            looks.finish(text)
        results = [await first] + [await task for task in later]
        assert looks.started == ["a1", "a2", "b1", "a3", "a4"]
        assert [(r.outcome, float(r.scores[0])) for r in results] == [("taken", 2.0)] * 5
        assert looks.most_at_once == 1
    finally:
        pool.close()


async def test_a_full_wait_sheds_the_busiest_organizations_newest_message(looks) -> None:  # type: ignore[no-untyped-def]
    """Three may wait (80 ms at 25 ms a look). Organization A fills them; its next message is
    answered by the first look at once; B's first takes the place of A's newest; B's second,
    with A down to two waiting, is shed itself."""
    pool = SecondLookPool(threads=1, max_wait=3.2 * LOOK)
    shed_before = second_looks.labels("shed")._value.get()
    try:
        a1 = asyncio.create_task(pool.run(looks, "a1", "org-a"))
        await until(lambda: looks.started == ["a1"])
        a_waiting = [asyncio.create_task(pool.run(looks, f"a{n}", "org-a")) for n in (2, 3, 4)]
        await asyncio.sleep(0.02)
        assert (await asyncio.wait_for(pool.run(looks, "a5", "org-a"), 1)).outcome == "shed"
        b1 = asyncio.create_task(pool.run(looks, "b1", "org-b"))
        assert (await asyncio.wait_for(a_waiting[2], 1)).outcome == "shed"  # room for b1
        assert (await asyncio.wait_for(pool.run(looks, "b2", "org-b"), 1)).outcome == "shed"
        assert second_looks.labels("shed")._value.get() - shed_before == 3
        for text in ("a1", "a2", "b1", "a3"):
            await until(lambda text=text: text in looks.started)
            looks.finish(text)
        assert [(await task).outcome for task in (a1, b1, *a_waiting[:2])] == ["taken"] * 4
        assert looks.started == ["a1", "a2", "b1", "a3"]
    finally:
        pool.close()


async def test_callers_that_leave_free_their_place_and_their_thread(looks) -> None:  # type: ignore[no-untyped-def]
    pool = SecondLookPool(threads=1, max_wait=10)
    waiting_before = second_looks_waiting._value.get()
    try:
        running = asyncio.create_task(pool.run(looks, "r", "org"))
        await until(lambda: looks.started == ["r"])
        left = asyncio.create_task(pool.run(looks, "left", "org"))
        stays = asyncio.create_task(pool.run(looks, "stays", "org"))
        await asyncio.sleep(0.02)
        assert second_looks_waiting._value.get() - waiting_before == 2
        left.cancel()
        running.cancel()  # its caller leaves; the encoder cannot be stopped
        await asyncio.gather(left, running, return_exceptions=True)
        assert second_looks_waiting._value.get() - waiting_before == 1
        await asyncio.sleep(0.05)
        assert looks.started == ["r"], "a thread was given out while its look still ran"
        looks.finish("r")
        await until(lambda: "stays" in looks.started)
        looks.finish("stays")
        assert float((await stays).scores[0]) == 5.0
        assert "left" not in looks.started
        assert second_looks_waiting._value.get() == waiting_before
        assert looks.most_at_once == 1
    finally:
        pool.close()


async def test_a_message_given_a_thread_as_its_caller_leaves_passes_it_on(looks) -> None:  # type: ignore[no-untyped-def]
    """The thread given to a waiting message whose caller is cancelled at that moment goes to
    the next message once free, never lost."""
    pool = SecondLookPool(threads=1, max_wait=10)
    try:
        running = asyncio.create_task(pool.run(looks, "r", "org"))
        await until(lambda: looks.started == ["r"])
        reserved = asyncio.create_task(pool.run(looks, "reserved", "org"))
        nxt = asyncio.create_task(pool.run(looks, "next", "org"))
        await asyncio.sleep(0.02)
        looks.finish("r")
        await running
        # The thread went to "reserved": its caller leaves before or after its look started
        # (either way the thread must come back).
        reserved.cancel()
        await asyncio.gather(reserved, return_exceptions=True)
        looks.finish("reserved")
        await until(lambda: "next" in looks.started)
        looks.finish("next")
        assert (await nxt).outcome == "taken"
        assert looks.most_at_once == 1
    finally:
        pool.close()


async def test_closing_answers_the_waiting_with_their_first_look(looks) -> None:  # type: ignore[no-untyped-def]
    pool = SecondLookPool(threads=1, max_wait=10)
    running = asyncio.create_task(pool.run(looks, "r", "org"))
    await until(lambda: looks.started == ["r"])
    waiting = asyncio.create_task(pool.run(looks, "w", "org"))
    await asyncio.sleep(0.02)
    pool.close()
    assert (await asyncio.wait_for(waiting, 1)).outcome == "closed"
    assert (await pool.run(looks, "after", "org")).outcome == "closed"
    looks.finish("r")
    await asyncio.gather(running, return_exceptions=True)


async def test_a_failing_look_is_counted_and_answered_by_the_first_look() -> None:
    pool = SecondLookPool(threads=2, max_wait=1)
    failed_before = second_looks.labels("failed")._value.get()

    def broken(text: str) -> np.ndarray:
        raise RuntimeError("the encoder broke")
    try:
        assert await pool.run(broken, "x", "org") == SecondLook(None, "failed")
        assert second_looks.labels("failed")._value.get() - failed_before == 1
        assert float((await pool.run(lambda t: np.array([1.0]), "y", "org")).scores[0]) == 1.0
    finally:
        pool.close()
