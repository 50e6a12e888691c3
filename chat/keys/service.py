"""Chat keys: create, rotate, and resolve a key to its bot (cached, since every chat request
carries one)."""

from __future__ import annotations

import json
import secrets
import time
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chat.keys.models import ChatKey
from core.db import utcnow
from core.runtime import Runtime

KEY_PREFIX = "rzc_"
CACHE_TTL_SECONDS = 60.0


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(24)


async def get(*, session: AsyncSession, bot_id: uuid.UUID) -> ChatKey | None:
    return await session.get(ChatKey, bot_id)


async def rotate(*, session: AsyncSession, runtime: Runtime, bot_id: uuid.UUID,
                 org_id: uuid.UUID, key: str | None = None) -> ChatKey:
    """Give the bot a new key (the old one stops working at once on this instance, and
    within the cache lifetime everywhere)."""
    current = await session.get(ChatKey, bot_id)
    if current is not None:
        await runtime.cache.delete(f"chat-key:{current.key}")
        forget(current.key)
        current.key = key or new_key()
        current.created_at = utcnow()
    else:
        current = ChatKey(bot_id=bot_id, org_id=org_id, key=key or new_key())
        session.add(current)
    await session.flush()
    return current


# Every chat request carries a key: a few seconds in process memory spare the shared cache
# a round trip per request; a rotation reaches other instances within this time.
_LOCAL_SECONDS = 5.0
_local: dict[str, tuple[float, tuple[uuid.UUID, uuid.UUID] | None]] = {}


async def resolve(*, runtime: Runtime, key: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(bot_id, org_id) of a chat key, or None."""
    now = time.monotonic()
    hit = _local.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    found = await _resolve_shared(runtime, key)
    if len(_local) > 10_000:
        _local.clear()
    _local[key] = (now + (_LOCAL_SECONDS if found else 1.0), found)
    return found


def forget(key: str) -> None:
    _local.pop(key, None)


async def _resolve_shared(runtime: Runtime, key: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    cache_key = f"chat-key:{key}"
    cached = await runtime.cache.get(cache_key)
    if cached is not None:
        data = json.loads(cached)
        return (uuid.UUID(data[0]), uuid.UUID(data[1])) if data else None
    async with runtime.sessionmaker() as session:
        row = (await session.execute(
            select(ChatKey.bot_id, ChatKey.org_id).where(ChatKey.key == key))).first()
    value = [str(row[0]), str(row[1])] if row else []
    # Unknown keys are cached too (briefly), so guessing keys costs no database reads.
    await runtime.cache.set(cache_key, json.dumps(value).encode(),
                            ttl_seconds=CACHE_TTL_SECONDS if row else 5.0)
    return (row[0], row[1]) if row else None
