"""The LLM service's API: an organization's model providers (which model, where, with which of
its secrets, falling back to which), a connection test, and the tokens and cost its bots
spent. Reading takes the viewer role; changing providers the editor role, like secrets."""

from __future__ import annotations

import time
import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.http import Admin, DbSession, Editor, Viewer, problem_responses
from llm import client as llm_client
from llm import providers
from llm.models import LlmQuota, LlmReport, LlmUsage
from llm.service import usage_since
from llm.schemas import ConnectionTest, ProviderPath, ProviderPut, ProviderRead

router = APIRouter(prefix="/api/v1/llm", tags=["llm"])
# What the service keeps about conversations and bots, under their own paths.
reports = APIRouter(prefix="/api/v1", tags=["llm"])


@router.get("/providers", response_model=list[ProviderRead], responses=problem_responses(401))
async def list_providers(principal: Viewer, session: DbSession):
    """The organization's providers by name (their keys stay in the secrets)."""
    return await providers.get_all(session, principal.org_id)


@router.get("/providers/{name}", response_model=ProviderRead,
            responses=problem_responses(401, 404))
async def get_provider(name: ProviderPath, principal: Viewer, session: DbSession):
    return await providers.get_or_raise(session, principal.org_id, name)


@router.put("/providers/{name}", response_model=ProviderRead,
            responses={201: {"model": ProviderRead, "description": "Created"},
                       **problem_responses(401, 403, 409, 422)})
async def put_provider(name: ProviderPath, body: ProviderPut, principal: Editor,
                       session: DbSession, response: Response):
    """Create or replace a provider: 201 when new, 200 when replaced. Its key is read from the
    named secret, so rotating the secret needs no change here. Calls use the change (or the
    rotated secret) from the next one on, on every instance: the commit drops the copies
    instances keep (llm.service)."""
    provider, created = await providers.put(session, principal.org_id, name, body)
    if created:
        response.status_code = status.HTTP_201_CREATED
    return provider


@router.delete("/providers/{name}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(401, 403, 404, 422))
async def delete_provider(name: ProviderPath, principal: Editor, session: DbSession) -> Response:
    """Remove a provider no other provider falls back to; blocks that name it take their
    `error` port from then on."""
    provider = await providers.get_or_raise(session, principal.org_id, name)
    await providers.delete(session, provider)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/providers/{name}/test", response_model=ConnectionTest,
             responses=problem_responses(401, 403, 404))
async def test_provider(name: ProviderPath, principal: Editor, session: DbSession,
                        request: Request):
    """Ask the provider (this one, without its fallbacks) for a one-word answer: `ok` with
    the time it took, or the provider's reason (a wrong key, an unknown model, no answer)."""
    row = await providers.get_or_raise(session, principal.org_id, name)
    service = request.app.state.clients["llm"]
    started = time.perf_counter()
    try:
        [provider] = [p for p in await providers.chain(session, principal.org_id, name,
                                                       service.secrets) if p.name == name]
        await providers.check_addresses([provider], service.policy)
        completion = await llm_client.complete(
            [provider], [{"role": "user", "content": "Answer with one word: OK"}],
            max_tokens=5, deadline=time.monotonic() + min(provider.timeout, 20.0))
    except (LookupError, PermissionError) as exc:
        return ConnectionTest(ok=False, provider=name, model=row.model,
                              milliseconds=_since(started), error=str(exc))
    except llm_client.ChainFailed as exc:
        return ConnectionTest(ok=False, provider=name, model=row.model,
                              milliseconds=_since(started), error=exc.failures[0][1])
    return ConnectionTest(ok=True, provider=name, model=row.model,
                          milliseconds=_since(started), answer=completion.text[:100])


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


class UsageRow(BaseModel):
    day: date
    bot_id: str
    provider: str
    calls: int
    cached: int
    prompt_tokens: int
    completion_tokens: int
    cost: float


class UsagePage(BaseModel):
    since: date
    until: date
    calls: int
    prompt_tokens: int
    completion_tokens: int
    cost: float
    items: list[UsageRow]


@router.get("/usage", response_model=UsagePage, responses=problem_responses(401, 422))
async def usage(principal: Viewer, session: DbSession, request: Request,
                since: Annotated[date | None, Query(description="Default: 30 days ago.")] = None,
                until: Annotated[date | None, Query(description="Default: today (UTC).")] = None):
    """What the organization's bots spent on models per UTC day, bot and provider: calls
    (of them answered from the cache), tokens and cost in dollars."""
    until = until or utcnow().date()
    since = since or until - timedelta(days=29)
    if since > until or (until - since).days > 400:
        raise InvalidInput("since must be before until, at most 400 days apart")
    service = _service(request)
    if service is not None:  # this instance's counts, written about once a second: now
        await service.flush_usage()
    rows = list(await session.scalars(select(LlmUsage).where(
        LlmUsage.org_id == principal.org_id, LlmUsage.day >= since, LlmUsage.day <= until)
        .order_by(LlmUsage.day, LlmUsage.provider)))
    items = [UsageRow(day=r.day, bot_id=str(r.bot_id), provider=r.provider, calls=r.calls,
                      cached=r.cached, prompt_tokens=r.prompt_tokens,
                      completion_tokens=r.completion_tokens, cost=round(r.cost, 6))
             for r in rows]
    return UsagePage(since=since, until=until, calls=sum(r.calls for r in items),
                     prompt_tokens=sum(r.prompt_tokens for r in items),
                     completion_tokens=sum(r.completion_tokens for r in items),
                     cost=round(sum(r.cost for r in items), 6), items=items)


class QuotaPut(BaseModel):
    """The organization's limits on models; null: no limit. A block over a limit takes its
    `error` port with the reason; answers from the cache are never refused."""

    model_config = {"extra": "forbid"}

    calls_per_minute: int | None = Field(None, ge=1, le=1_000_000)
    tokens_per_day: int | None = Field(None, ge=1, le=10**12)
    cost_per_month: float | None = Field(None, ge=0, le=10**9, description="Dollars, UTC month.")
    bot_tokens_per_day: int | None = Field(None, ge=1, le=10**12, description=(
        "Tokens each bot may use a day (UTC), within the organization's: one bot that runs "
        "away cannot use up the others' day."))


class QuotaRead(QuotaPut):
    tokens_today: int = Field(description="Tokens the organization's bots used today (UTC).")
    cost_this_month: float = Field(description="Dollars spent this month (UTC).")


def _service(request: Request) -> Any:
    """The LLM service of this instance (None in an app without it)."""
    return getattr(request.app.state, "clients", {}).get("llm")


async def _spent(request: Request, session: DbSession, org_id: Any) -> dict[str, Any]:
    """What the organization used this month, with this instance's counts not written yet."""
    first = utcnow().date().replace(day=1)
    service = _service(request)
    if service is None:
        return await usage_since(session, org_id, first)
    return await service.spent(session, org_id, first)  # type: ignore[no-any-return]


def _quota_read(quota: LlmQuota | None, spent: dict[str, Any]) -> QuotaRead:
    return QuotaRead(calls_per_minute=quota.calls_per_minute if quota else None,
                     tokens_per_day=quota.tokens_per_day if quota else None,
                     cost_per_month=quota.cost_per_month if quota else None,
                     bot_tokens_per_day=quota.bot_tokens_per_day if quota else None,
                     tokens_today=spent["today_tokens"],
                     cost_this_month=round(spent["month_cost"], 6))


@router.get("/quota", response_model=QuotaRead, responses=problem_responses(401))
async def get_quota(principal: Viewer, session: DbSession, request: Request):
    """The organization's limits and what it has used of them."""
    return _quota_read(await session.get(LlmQuota, principal.org_id),
                       await _spent(request, session, principal.org_id))


@router.put("/quota", response_model=QuotaRead, responses=problem_responses(401, 403, 422))
async def put_quota(body: QuotaPut, principal: Admin, session: DbSession, request: Request):
    """Set the organization's limits (the admin role: they decide what it may spend). Calls
    use them from the next one on, on every instance (the commit drops kept copies)."""
    # Read before this transaction writes: with SQLite, a write of the counts under way would
    # wait for this transaction's lock while this read waited for that write.
    spent = await _spent(request, session, principal.org_id)
    quota = await session.get(LlmQuota, principal.org_id, with_for_update=True)
    if quota is None:
        quota = LlmQuota(org_id=principal.org_id)
        session.add(quota)
    quota.calls_per_minute = body.calls_per_minute
    quota.tokens_per_day = body.tokens_per_day
    quota.cost_per_month = body.cost_per_month
    quota.bot_tokens_per_day = body.bot_tokens_per_day
    await session.flush()
    return _quota_read(quota, spent)


class ReportRead(BaseModel):
    model_config = {"from_attributes": True}

    id: uuid.UUID
    conversation_id: uuid.UUID
    bot_id: uuid.UUID
    block_id: str
    language: str
    text: str
    provider: str
    model: str
    messages: int
    created_at: datetime


@reports.get("/conversations/{conversation_id}/reports", response_model=list[ReportRead],
            responses=problem_responses(401, 404, 422))
async def conversation_reports(conversation_id: uuid.UUID, principal: Viewer,
                               session: DbSession, request: Request,
                               limit: Annotated[int, Query(ge=1, le=100)] = 20):
    """The conversation's reports (the `report` block), newest first."""
    transcript = request.app.state.clients["llm"].transcript
    owner = await transcript.owner(conversation_id) if transcript is not None else None
    if owner is None or owner[0] != principal.org_id:
        # Another organization's conversation answers exactly like a missing one.
        raise NotFound(f"no conversation {conversation_id} in your organization")
    return list(await session.scalars(select(LlmReport).where(
        LlmReport.org_id == principal.org_id, LlmReport.conversation_id == conversation_id)
        .order_by(LlmReport.created_at.desc()).limit(limit)))


@reports.get("/bots/{bot_id}/reports", response_model=list[ReportRead],
            responses=problem_responses(401, 404, 422))
async def bot_reports(bot_id: uuid.UUID, principal: Viewer, session: DbSession,
                      request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 50):
    """The bot's latest reports, newest first."""
    bot = await request.app.state.clients["scenarios"].get_bot(bot_id)
    if bot is None or bot.org_id != principal.org_id:
        raise NotFound(f"no bot {bot_id} in your organization")
    return list(await session.scalars(select(LlmReport).where(
        LlmReport.org_id == principal.org_id, LlmReport.bot_id == bot_id)
        .order_by(LlmReport.created_at.desc()).limit(limit)))
