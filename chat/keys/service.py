"""Chat keys: create, rotate, and resolve a key to its bot (cached, since every chat request
carries one)."""

from __future__ import annotations

import json
import secrets
import time
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chat.keys.models import ChatKey, chat_key_cache_key
from core.db import utcnow
from core.runtime import Runtime

KEY_PREFIX = "rzc_"
CACHE_TTL_SECONDS = 60.0


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(24)


async def get(*, session: AsyncSession, bot_id: uuid.UUID) -> ChatKey | None:
    return await session.get(ChatKey, bot_id)


async def rotate(*, session: AsyncSession, bot_id: uuid.UUID, org_id: uuid.UUID,
                 key: str | None = None) -> ChatKey:
    """Give the bot a new key. The old one stops working on every instance once this
    commits: the flush marks both keys' cached copies (see ``chat.keys.models``)."""
    current = await session.get(ChatKey, bot_id)
    if current is not None:
        current.key = key or new_key()
        current.created_at = utcnow()
    else:
        current = ChatKey(bot_id=bot_id, org_id=org_id, key=key or new_key())
        session.add(current)
    await session.flush()
    return current


# Every chat request carries a key: a few seconds in process memory spare the shared cache
# a round trip per request. Rotations and deletions drop these copies on every instance
# (core.invalidation); the lifetime only bounds what a lost invalidation message could cost.
_LOCAL_SECONDS = 5.0
_local: dict[str, tuple[float, tuple[uuid.UUID, uuid.UUID] | None]] = {}
_registered: set[int] = set()


def _forget_cached(cache_key: str) -> None:
    if cache_key.startswith("chat-key:"):
        _local.pop(cache_key.removeprefix("chat-key:"), None)


def _watch(runtime: Runtime) -> None:
    if id(runtime) not in _registered:
        _registered.add(id(runtime))
        runtime.invalidation.register(_forget_cached)


async def resolve(*, runtime: Runtime, key: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(bot_id, org_id) of a chat key, or None."""
    _watch(runtime)
    now = time.monotonic()
    hit = _local.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    cache_key = chat_key_cache_key(key)
    generation = runtime.invalidation.generation(cache_key)
    found = await _resolve_shared(runtime, key, generation)
    if runtime.invalidation.generation(cache_key) == generation:
        # No rotation committed while we read: the answer is current enough to keep.
        if len(_local) > 10_000:
            _local.clear()
        _local[key] = (now + (_LOCAL_SECONDS if found else 1.0), found)
    return found


async def _resolve_shared(runtime: Runtime, key: str,
                          generation: int) -> tuple[uuid.UUID, uuid.UUID] | None:
    cache_key = chat_key_cache_key(key)
    cached = await runtime.cache.get(cache_key)
    if cached is not None:
        data = json.loads(cached)
        return (uuid.UUID(data[0]), uuid.UUID(data[1])) if data else None
    async with runtime.sessionmaker() as session:
        row = (await session.execute(
            select(ChatKey.bot_id, ChatKey.org_id).where(ChatKey.key == key))).first()
    value = [str(row[0]), str(row[1])] if row else []
    if runtime.invalidation.generation(cache_key) == generation:
        # Unknown keys are cached too (briefly), so guessing keys costs no database reads;
        # a key created later drops that entry when it commits.
        await runtime.cache.set(cache_key, json.dumps(value).encode(),
                                ttl_seconds=CACHE_TTL_SECONDS if row else 5.0)
    return (row[0], row[1]) if row else None
