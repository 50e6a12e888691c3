"""An organization's LLM providers: stored, listed, changed, removed, and resolved into the
chain a call walks (the provider, then its fallbacks, each with its key from the
organization's secrets)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from llm.client import Provider
from llm.models import LlmProvider
from llm.schemas import ProviderPut

MAX_CHAIN = 6


async def get_all(session: AsyncSession, org_id: uuid.UUID) -> list[LlmProvider]:
    return list(await session.scalars(select(LlmProvider).where(
        LlmProvider.org_id == org_id).order_by(LlmProvider.name)))


async def get_or_raise(session: AsyncSession, org_id: uuid.UUID, name: str) -> LlmProvider:
    found = await session.scalar(select(LlmProvider).where(
        LlmProvider.org_id == org_id, LlmProvider.name == name))
    if found is None:
        raise NotFound(f"no LLM provider '{name}' in your organization")
    return found


async def put(session: AsyncSession, org_id: uuid.UUID, name: str, body: ProviderPut
              ) -> tuple[LlmProvider, bool]:
    if name in body.fallbacks:
        raise InvalidInput(f"provider '{name}' cannot fall back to itself")
    known = {p.name for p in await get_all(session, org_id)} | {name}
    missing = [f for f in body.fallbacks if f not in known]
    if missing:
        raise InvalidInput(f"fallbacks name providers the organization does not have: "
                           f"{', '.join(missing)}")
    found = await session.scalar(select(LlmProvider).where(
        LlmProvider.org_id == org_id, LlmProvider.name == name).with_for_update())
    created = found is None
    if found is None:
        found = LlmProvider(org_id=org_id, name=name, **body.model_dump())
        session.add(found)
    else:
        for key, value in body.model_dump().items():
            setattr(found, key, value)
    await session.flush()
    return found, created


async def delete(session: AsyncSession, provider: LlmProvider) -> None:
    users = [p.name for p in await get_all(session, provider.org_id)
             if provider.name in (p.fallbacks or [])]
    if users:
        raise InvalidInput(f"providers {', '.join(users)} fall back to '{provider.name}'; "
                           "change them first")
    await session.delete(provider)
    await session.flush()


async def chain(session: AsyncSession, org_id: uuid.UUID, name: str, secrets: Any
                ) -> list[Provider]:
    """The provider and its fallbacks (theirs too, breadth first, each once), with keys."""
    rows = {p.name: p for p in await get_all(session, org_id)}
    if name not in rows:
        raise LookupError(f"the organization has no LLM provider '{name}' (add it at "
                          "PUT /api/v1/llm/providers/{name})")
    order: list[str] = []
    queue = [name]
    while queue and len(order) < MAX_CHAIN:
        current = queue.pop(0)
        if current in order or current not in rows:
            continue
        order.append(current)
        queue.extend(rows[current].fallbacks or [])
    out = []
    for provider_name in order:
        row = rows[provider_name]
        key = None
        if row.secret:
            key = await secrets.reveal(org_id, row.secret) if secrets is not None else None
            if key is None:
                raise LookupError(f"provider '{row.name}' reads its key from the secret "
                                  f"'{row.secret}', which the organization does not have")
        out.append(Provider(name=row.name, kind=row.kind, model=row.model,
                            api_base=row.api_base, api_version=row.api_version, key=key,
                            timeout=row.timeout_seconds, input_cost=row.input_cost,
                            output_cost=row.output_cost, breaker=f"{org_id}:{row.name}",
                            max_concurrency=row.max_concurrency,
                            calls_per_minute=row.calls_per_minute))
    return out


async def check_addresses(providers: Sequence[Provider], policy: Any) -> None:
    """A provider's address must be one the platform may call for an author: public, or
    allowed by the operator (the same policy as HTTP blocks). Raises PermissionError."""
    from modules.contract import HttpRefused, check_url

    for provider in providers:
        if provider.api_base is None or policy is None:
            continue
        try:
            await check_url(policy, provider.api_base)
        except HttpRefused as exc:
            raise PermissionError(f"provider '{provider.name}': {exc}") from None
