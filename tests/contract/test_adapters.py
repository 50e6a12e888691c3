"""One contract suite for every cache, lock, rate-limit and pub/sub implementation: the
in-process ones always, the Redis ones when ROZMOVA_TEST_REDIS_URL is set."""

from __future__ import annotations

import asyncio
import os
import secrets

import pytest
from redis.asyncio import Redis

from core.cache import MemoryCache, RedisCache
from core.errors import RateLimited
from core.events import MemoryPubSub, RedisPubSub
from core.locks import LockTimeout, MemoryLocks, RedisLocks
from core.presence import MemoryPresence, RedisPresence, member_channel
from core.ratelimit import RateLimiter

REDIS_URL = os.environ.get("ROZMOVA_TEST_REDIS_URL")
BACKENDS = ["memory", pytest.param("redis", marks=pytest.mark.skipif(
    not REDIS_URL, reason="ROZMOVA_TEST_REDIS_URL is not set"))]


@pytest.fixture(params=BACKENDS)
async def backend(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    prefix = f"rozmova-contract-{secrets.token_hex(4)}:"
    if request.param == "memory":
        presence, pubsub = MemoryPresence(), MemoryPubSub()
        yield {"cache": MemoryCache(), "locks": MemoryLocks(presence, pubsub), "pubsub": pubsub,
               "limiter": RateLimiter.in_memory(), "presence": presence}
        return
    redis = Redis.from_url(REDIS_URL, socket_timeout=2)
    limiter = RateLimiter.redis(REDIS_URL, prefix)
    yield {"cache": RedisCache(redis, prefix), "locks": RedisLocks(redis, prefix),
           "pubsub": RedisPubSub(redis, prefix), "limiter": limiter,
           "presence": RedisPresence(redis, prefix)}
    keys = [k async for k in redis.scan_iter(match=prefix + "*")]
    if keys:
        await redis.delete(*keys)
    await limiter.reset()
    await redis.aclose()


async def test_cache_set_get_delete_and_expiry(backend) -> None:  # type: ignore[no-untyped-def]
    cache = backend["cache"]
    assert await cache.get("missing") is None
    await cache.set("k", b"v1")
    assert await cache.get("k") == b"v1"
    await cache.set("k", b"v2")
    assert await cache.get("k") == b"v2"
    await cache.delete("k")
    assert await cache.get("k") is None
    await cache.set("short", b"x", ttl_seconds=0.05)
    assert await cache.get("short") == b"x"
    await asyncio.sleep(0.12)
    assert await cache.get("short") is None


async def test_lock_serializes_holders_in_turn(backend) -> None:  # type: ignore[no-untyped-def]
    locks = backend["locks"]
    inside = 0
    most_inside = 0
    order: list[int] = []

    async def worker(n: int) -> None:
        nonlocal inside, most_inside
        async with locks.hold("conversation:1", wait_seconds=5, lease_seconds=5):
            inside += 1
            most_inside = max(most_inside, inside)
            await asyncio.sleep(0.005)
            order.append(n)
            inside -= 1

    await asyncio.gather(*(worker(n) for n in range(10)))
    assert most_inside == 1
    assert sorted(order) == list(range(10))


async def test_lock_wait_times_out_with_a_clear_error(backend) -> None:  # type: ignore[no-untyped-def]
    locks = backend["locks"]
    async with locks.hold("busy", wait_seconds=1, lease_seconds=5):
        with pytest.raises(LockTimeout, match="busy"):
            async with locks.hold("busy", wait_seconds=0.1, lease_seconds=5):
                pass
    async with locks.hold("busy", wait_seconds=0.5, lease_seconds=5):
        pass  # free again once the first holder left


async def test_rate_limiter_refuses_past_the_rate_with_retry_after(backend) -> None:  # type: ignore[no-untyped-def]
    limiter = backend["limiter"]
    for _ in range(3):
        await limiter.hit("3/minute", "login", "a@example.org")
    with pytest.raises(RateLimited) as caught:
        await limiter.hit("3/minute", "login", "a@example.org")
    assert 1 <= int(caught.value.headers["Retry-After"]) <= 60
    await limiter.hit("3/minute", "login", "b@example.org")  # other keys are unaffected


async def test_pubsub_delivers_to_every_subscriber_of_the_channel(backend) -> None:  # type: ignore[no-untyped-def]
    pubsub = backend["pubsub"]
    async with pubsub.subscribe("conv-1") as first, pubsub.subscribe("conv-1") as second, \
            pubsub.subscribe("conv-2") as other:
        await asyncio.sleep(0.05)  # Redis subscriptions are confirmed asynchronously
        await pubsub.publish("conv-1", b"hello")
        assert await first.get(timeout=2) == b"hello"
        assert await second.get(timeout=2) == b"hello"
        assert await other.get(timeout=0.1) is None


async def test_a_release_announces_to_the_other_present_members_only(backend) -> None:  # type: ignore[no-untyped-def]
    """The news of a lock's holder reaches every member present at the name but the
    announcer, on release (one round trip with Redis); members elsewhere hear nothing."""
    locks, pubsub, presence = backend["locks"], backend["pubsub"], backend["presence"]
    await presence.join("conversation:1", "a")
    await presence.join("conversation:1", "b")
    await presence.join("conversation:2", "c")
    heard: dict[str, list[bytes]] = {"a": [], "b": [], "c": []}

    async def listen(member: str, ready: asyncio.Event) -> None:
        async with pubsub.subscribe(member_channel(member)) as subscription:
            ready.set()
            while True:
                message = await subscription.get(timeout=0.5)
                if message is None:
                    return
                heard[member].append(message)

    readies = {m: asyncio.Event() for m in heard}
    tasks = [asyncio.create_task(listen(m, readies[m])) for m in heard]
    await asyncio.gather(*(r.wait() for r in readies.values()))
    await asyncio.sleep(0.05)  # Redis confirms a subscription asynchronously
    async with locks.hold("conversation:1") as held:
        held.announce("a", b"news-1")
    await presence.leave("conversation:1", "b")
    async with locks.hold("conversation:1") as held:
        held.announce("a", b"news-2")  # nobody else shows it now
    async with locks.hold("conversation:1"):
        pass  # nothing to announce
    await asyncio.gather(*tasks)
    assert heard == {"a": [], "b": [b"news-1"], "c": []}


async def test_news_is_built_only_for_someone_present_or_joining_meanwhile(backend) -> None:  # type: ignore[no-untyped-def]
    """A holder that found nobody else present defers building its news; the release builds
    and publishes it only if a member joined while the lock was held."""
    locks, pubsub, presence = backend["locks"], backend["pubsub"], backend["presence"]
    await presence.join("conversation:9", "a")
    built: list[str] = []
    heard: list[bytes] = []

    def news(text: str):  # type: ignore[no-untyped-def]
        def build() -> bytes:
            built.append(text)
            return text.encode()
        return build

    ready = asyncio.Event()

    async def listen() -> None:
        async with pubsub.subscribe(member_channel("b")) as subscription:
            ready.set()
            while (message := await subscription.get(timeout=0.5)) is not None:
                heard.append(message)

    task = asyncio.create_task(listen())
    await ready.wait()
    await asyncio.sleep(0.05)
    async with locks.hold("conversation:9") as held:
        assert not held.others_present("a")
        held.announce_later("a", news("alone"))
    async with locks.hold("conversation:9") as held:
        assert not held.others_present("a")
        await presence.join("conversation:9", "b")  # a socket elsewhere opens meanwhile
        held.announce_later("a", news("joined"))
    async with locks.hold("conversation:9") as held:
        assert held.others_present("a") and held.others_present("b")
        held.announce("a", b"present")
    await task
    assert built == ["joined"]
    assert heard == [b"joined", b"present"]


async def test_a_lock_taken_over_after_its_lease_is_not_released_by_the_old_holder(
        backend) -> None:  # type: ignore[no-untyped-def]
    if isinstance(backend["locks"], MemoryLocks):
        pytest.skip("one process cannot lose a lease: the in-process lock has none")
    locks = backend["locks"]
    order: list[str] = []
    async with locks.hold("slow", lease_seconds=0.1):
        await asyncio.sleep(0.25)  # the lease ran out: another instance may take it

        other = RedisLocks(locks._redis, locks._prefix)  # another instance

        async def take() -> None:
            async with other.hold("slow", wait_seconds=1, lease_seconds=5):
                order.append("taken")
                await asyncio.sleep(0.2)
                order.append("done")

        task = asyncio.create_task(take())
        await asyncio.sleep(0.05)
    # The old holder's release must not have freed the new holder's lock (a third
    # instance, so that only Redis can refuse it).
    with pytest.raises(LockTimeout):
        async with RedisLocks(locks._redis, locks._prefix).hold("slow", wait_seconds=0.05):
            pass
    await task
    assert order == ["taken", "done"]


async def test_a_lock_hands_the_next_holder_the_stamp_the_last_one_left(backend) -> None:  # type: ignore[no-untyped-def]
    locks = backend["locks"]
    async with locks.hold("c1") as held:
        assert held.stamp is None  # never stamped
        held.restamp(b"A:1")
    async with locks.hold("c1") as held:
        assert held.stamp == b"A:1"  # nothing said: the stamp stays
    async with locks.hold("c1") as held:
        assert held.stamp == b"A:1"
        held.clear_stamp()
    async with locks.hold("c1") as held:
        assert held.stamp is None
        held.restamp(b"B:7")
    async with locks.hold("c2") as held:
        assert held.stamp is None  # stamps are per name
    # A holder that fails still leaves what it asked for: the turn's code decides.
    with pytest.raises(RuntimeError):
        async with locks.hold("c1") as held:
            held.clear_stamp()
            raise RuntimeError("the turn failed")
    async with locks.hold("c1") as held:
        assert held.stamp is None


async def test_a_holder_that_lost_its_lease_leaves_no_stamp(backend) -> None:  # type: ignore[no-untyped-def]
    """Someone else may have held the name meanwhile: whatever the late holder remembers,
    nobody may trust a stamp it leaves."""
    if isinstance(backend["locks"], MemoryLocks):
        pytest.skip("one process cannot lose a lease: the in-process lock has none")
    locks = backend["locks"]
    async with locks.hold("c3") as held:
        held.restamp(b"A:1")
    async with locks.hold("c3", lease_seconds=0.05) as held:
        assert held.stamp == b"A:1"
        await asyncio.sleep(0.15)
        held.restamp(b"A:2")
    async with locks.hold("c3") as held:
        assert held.stamp is None


async def test_memory_locks_forget_the_stamps_of_names_used_longest_ago() -> None:
    locks = MemoryLocks(max_stamps=2)
    for name in ("a", "b", "c"):
        async with locks.hold(name) as held:
            held.restamp(name.encode())
    stamps = {}
    for name in ("a", "b", "c"):
        async with locks.hold(name) as held:
            stamps[name] = held.stamp
    assert stamps == {"a": None, "b": b"b", "c": b"c"}
