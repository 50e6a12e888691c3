"""The `llm` service's client for the orchestrator's dispatcher: `complete` a block's prompt in
one of three modes.

* generate: the model's text;
* structured: a JSON object valid against the block's JSON Schema (an invalid answer gets one
  repair request with the validator's complaint, then the block's `error` port);
* classify: one of the block's classes, or none (the block's `fallback`).

Every answer is cached (Redis when configured, in-process otherwise) under a key over the
organization, the providers' models, the messages and the parameters, unless the block opts
out; a cached answer costs nothing and is counted as such. Tokens and cost are added up per
organization, bot, provider and day (`llm_usage`, written about once a second: llm.usage).

What each call reads of the organization's settings (its providers with their keys, its
quota) is kept a few seconds per process, and dropped at once, on every instance, when a
commit changes them (core.invalidation): a provider, the quota or a secret changed through
the API is used by the very next call."""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import streams
from core.db import cached_as, utcnow
from core.errors import RateLimited, RozmovaError
from core.resilience import Breakers, Bulkhead, BulkheadFull
from llm import client as llm_client
from llm import providers as llm_providers
from llm.models import LlmProvider, LlmQuota, LlmReport
from llm.usage import book_for, usage_since
from orchestrator.extension import ServiceCallError, ServiceResult, TurnContext

__all__ = ["LlmService", "usage_since", "within_budget"]

log = structlog.get_logger(__name__)

CACHE_PREFIX = "llm:answer:"
LANGUAGE_NAMES = {"uk": "Ukrainian", "en": "English", "ru": "Russian", "pl": "Polish",
                  "de": "German"}
REPORT_INSTRUCTIONS = (
    "You write a short report on a conversation between a person and a bot, for the operator "
    "who follows up on it: what the person wanted, what the bot did, what is still open, and "
    "details the operator needs (names, numbers, dates, order ids). Plain text, no more than "
    "ten lines. Write the report in {language}.")
RECORDING_INSTRUCTIONS = (
    "You write a short report on a recorded call or meeting from its transcript (which may "
    "have recognition errors), for the person who follows up on it: what it was about, what "
    "was decided or asked, what is still open, and details they need (names, numbers, dates). "
    "Plain text, no more than fifteen lines. Write the report in {language}.")
UPLOADS_BOT = uuid.UUID(int=0)  # whose usage an upload's report is counted under
MAX_PROMPT_CHARS = 100_000
PROVIDER_WAIT_SECONDS = 2.0  # for a slot of a provider's max_concurrency
# An organization's providers (with their keys) and quota, kept per process this long at most:
# a change is seen at once through the invalidation bus; the lifetime only bounds what a lost
# invalidation message (Redis away) could cost.
SETTINGS_SECONDS = 5.0
SETTINGS_KEPT = 10_000  # organizations' chains (and quotas) kept at most

# The cache keys (core.invalidation) whose invalidation drops what is kept of an organization:
# its providers and quota (declared below, so that any commit that changes them drops them)
# and its secrets (which the gateway owns and declares under this key: gateway/secrets).
SETTINGS_KEY = "llm-settings:"
SECRETS_KEY = "org-secrets:"
cached_as(LlmProvider, lambda row: [f"{SETTINGS_KEY}{row.org_id}"])
cached_as(LlmQuota, lambda row: [f"{SETTINGS_KEY}{row.org_id}"])


_MISSING = object()


class _Kept:
    """Values kept `seconds` at most, `size` of them at most (the oldest go first), by keys
    whose first item is an organization's id."""

    def __init__(self, seconds: float, size: int) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: tuple[Any, ...]) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return _MISSING
        if entry[0] < time.monotonic():
            self._entries.pop(key, None)
            return _MISSING
        return entry[1]

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        self._entries.pop(key, None)
        while len(self._entries) >= self.size:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = (time.monotonic() + self.seconds, value)

    def drop(self, org_id: uuid.UUID) -> None:
        for key in [k for k in self._entries if k[0] == org_id]:  # type: ignore[index]
            del self._entries[key]

    def clear(self) -> None:
        self._entries.clear()


@dataclass(frozen=True, slots=True)
class _Quota:
    calls_per_minute: int | None
    tokens_per_day: int | None
    cost_per_month: float | None
    bot_tokens_per_day: int | None


class LlmService:
    """`ServiceClient` of the `llm` service."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession] | None, secrets: Any,
                 cache: Any = None, policy: Any = None, limiter: Any = None,
                 transcript: Any = None, notifier: Any = None) -> None:
        self._sessionmaker = sessionmaker
        self._notifier = notifier  # notify's Notifier: a report reaches the organization
        self.transcript = transcript  # chat's Transcript: the conversation so far
        self.secrets = secrets
        self._cache = cache
        self.policy = policy
        self._limiter = limiter
        # One breaker per organization's provider: five failures in 30 s pause it for 30 s.
        self.breakers = Breakers("llm", failure_threshold=5, window_seconds=30.0,
                                 reset_seconds=30.0)
        self._wire: Any = None
        self._bulkheads: dict[str, Bulkhead] = {}  # providers' own (max_concurrency)
        self._chains = _Kept(SETTINGS_SECONDS, SETTINGS_KEPT)  # (org, provider): its chain
        self._quotas = _Kept(SETTINGS_SECONDS, SETTINGS_KEPT)  # (org,): its quota, or None
        # Bumped by every invalidation of kept settings: a read that started before one does
        # not keep what it read (it may be from before the change).
        self._settings_epoch = 0
        # The process's counts not written yet (shared by the apps it serves: llm.usage).
        self.usage = book_for(sessionmaker) if sessionmaker is not None else None
        # The runtime's sessions carry its invalidation bus (core.runtime).
        invalidation = getattr(sessionmaker, "kw", {}).get("info", {}).get("invalidation")
        if invalidation is not None:  # held weakly: a service that goes away unregisters
            invalidation.register(self._settings_changed)

    def _settings_changed(self, key: str) -> None:
        """An invalidation (this instance's commit, or another instance's through the bus)."""
        if key.startswith(SETTINGS_KEY):
            org = key[len(SETTINGS_KEY):]
        elif key.startswith(SECRETS_KEY):
            org = key[len(SECRETS_KEY):]
        else:
            return
        self._settings_epoch += 1
        try:
            org_id = uuid.UUID(org)
        except ValueError:
            self._chains.clear()
            self._quotas.clear()
            return
        self._chains.drop(org_id)
        self._quotas.drop(org_id)

    @property
    def wire(self) -> Any:
        """Streams from providers that speak OpenAI's protocol (llm.wire), made on first use;
        None without an address policy (the service then streams through litellm)."""
        if self._wire is None and self.policy is not None:
            from llm.wire import Wire

            self._wire = Wire(self.policy)
        return self._wire

    @contextlib.asynccontextmanager
    async def admit(self, provider: llm_client.Provider) -> AsyncIterator[None]:
        """A call within the provider's own limits: calls a minute (counted where the
        organization's are, in Redis when configured) and calls in flight on this server
        (a bulkhead per organization's provider, waiting up to PROVIDER_WAIT_SECONDS for a
        slot). Raises ProviderBusy, and the chain goes on to the fallbacks."""
        if provider.calls_per_minute and self._limiter is not None:
            try:
                await self._limiter.hit(f"{provider.calls_per_minute}/minute", "llm-provider",
                                        str(provider.breaker), what="calls")
            except RateLimited:
                raise llm_client.ProviderBusy(
                    f"over its limit of {provider.calls_per_minute} calls a minute") from None
            except RozmovaError as exc:
                raise llm_client.ProviderBusy(f"its calls cannot be counted now: "
                                              f"{exc.detail}") from None
        if not provider.max_concurrency:
            yield
            return
        key = str(provider.breaker)
        bulkhead = self._bulkheads.get(key)
        if bulkhead is None or bulkhead.limit != provider.max_concurrency:
            bulkhead = self._bulkheads[key] = Bulkhead(
                f"llm provider {provider.name}", provider.max_concurrency,
                queue=4 * provider.max_concurrency, wait_seconds=PROVIDER_WAIT_SECONDS)
            while len(self._bulkheads) > 10_000:  # organizations' providers come and go
                self._bulkheads.pop(next(iter(self._bulkheads)))
        slot = bulkhead.slot()
        try:
            await slot.__aenter__()
        except BulkheadFull:
            raise llm_client.ProviderBusy(
                f"{provider.max_concurrency} calls to it are in flight already") from None
        try:
            yield
        finally:
            await slot.__aexit__(None, None, None)

    async def close(self) -> None:
        if self.usage is not None:
            await self.usage.close()  # what was counted and not written yet
        if self._wire is not None:
            await self._wire.close()

    async def flush_usage(self) -> None:
        """Writes this process's counts now (before a listing of `llm_usage`)."""
        if self.usage is not None:
            await self.usage.flush()

    async def spent(self, session: AsyncSession, org_id: uuid.UUID, first: date,
                    bot_id: uuid.UUID | None = None) -> dict[str, Any]:
        """`usage_since` with what this process counted and has not written yet."""
        if self.usage is None:
            return await usage_since(session, org_id, first, bot_id)
        return await self.usage.spent(session, org_id, first, bot_id)

    async def call(self, operation: str, request: Mapping[str, Any], context: TurnContext, *,
                   timeout: float) -> ServiceResult:
        if operation == "report":
            return await self._report(request, context, time.monotonic() + timeout)
        if operation != "complete":
            raise ServiceCallError(f"the llm service has no operation '{operation}'")
        deadline = time.monotonic() + timeout
        mode = request.get("mode", "generate")
        messages = request.get("messages")
        if not isinstance(messages, list) or not messages:
            raise ServiceCallError("complete needs the block's messages")
        if sum(len(str(m.get("content", ""))) for m in messages) > MAX_PROMPT_CHARS:
            raise ServiceCallError(f"the prompt is over {MAX_PROMPT_CHARS:,} characters")
        if context.org_id is None or self._sessionmaker is None:
            raise ServiceCallError("LLM blocks need the bot's organization and its providers")
        chain = await self._chain(context.org_id, str(request.get("provider")))
        history = within_budget(await self._history(context, request.get("history")),
                                request.get("history_tokens"))
        params = {"max_tokens": request.get("max_tokens"),
                  "temperature": request.get("temperature"), "stop": request.get("stop")}
        schema = request.get("schema") if mode == "structured" else None
        if mode == "structured":
            params["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "answer", "schema": schema, "strict": False}}
        # The conversation so far goes between the instructions and the question.
        system = [m for m in messages[:-1] if m.get("role") == "system"]
        messages = [*system, *history, *messages[len(system):]]
        key = _cache_key(context.org_id, chain, messages, params) \
            if request.get("cache", True) else None
        answer, cached = await self._cached(key), True
        writer = None
        if answer is None:
            cached = False
            await self._within_quota(context.org_id, context.bot_id)
            # An answer said to the person is shown as it is written, where the turn's
            # caller can show it (a socket, Server-Sent Events, a messenger's edits); a
            # cached one is whole at once.
            turn = streams.current() if mode == "generate" and request.get("stream") else None
            if turn is not None:
                writer = await turn.open(str(request.get("block_id") or ""))
            answer, messages = await self._fitting(chain, messages, len(system),
                                                   len(history), params, deadline, writer)
            if mode == "structured":
                answer = await self._structured(chain, messages, params, answer, schema,
                                                deadline)
            if key is not None and not answer.get("incomplete"):
                await self._remember(key, answer, request.get("cache_seconds", 3600))
        self._count(context, answer, cached)
        value: dict[str, Any] = {"text": answer["text"], "provider": answer["provider"],
                                 "model": answer["model"], "cached": cached,
                                 "finish_reason": answer.get("finish_reason"),
                                 "tokens": answer["prompt_tokens"] + answer["completion_tokens"]}
        if writer is not None:
            value["stream_id"] = writer.stream_id
        if answer.get("incomplete"):
            value["incomplete"] = True
        if mode == "structured":
            value["data"] = answer["data"]
        elif mode == "classify":
            value["class"] = _pick_class(answer["text"], request.get("classes") or [])
        return ServiceResult(value=value, logs=[f"{name} failed: {reason}"
                                                for name, reason in answer.get("failed", [])])

    async def _chain(self, org_id: uuid.UUID, name: str) -> list[llm_client.Provider]:
        """The provider and its fallbacks with their keys, kept a few seconds (see
        SETTINGS_SECONDS); their addresses are checked at every call."""
        assert self._sessionmaker is not None
        kept = self._chains.get((org_id, name))
        if kept is _MISSING:
            epoch = self._settings_epoch
            async with self._sessionmaker() as session:
                try:
                    kept = tuple(await llm_providers.chain(session, org_id, name,
                                                           self.secrets))
                except LookupError as exc:
                    raise ServiceCallError(str(exc)) from None
            if self._settings_epoch == epoch:
                self._chains.put((org_id, name), kept)
        chain = list(kept)
        try:
            await llm_providers.check_addresses(chain, self.policy)
        except PermissionError as exc:
            raise ServiceCallError(str(exc)) from None
        return chain

    async def _report(self, request: Mapping[str, Any], context: TurnContext,
                      deadline: float) -> ServiceResult:
        """The conversation summed up, stored with it; never cached (it changes every turn)."""
        if context.org_id is None or self._sessionmaker is None or self.transcript is None:
            raise ServiceCallError("reports need the bot's organization and its conversations")
        chain = await self._chain(context.org_id, str(request.get("provider")))
        given = request.get("transcript")
        if isinstance(given, list):
            said = [m for m in given if isinstance(m, dict) and m.get("content")]
            if not said:
                raise ServiceCallError("the transcript variable is empty: nothing to report")
        else:
            wanted = request.get("messages")
            said = await self._history(context, wanted if isinstance(wanted, int) else 100)
            if not said:
                raise ServiceCallError("there is nothing in the conversation to report yet")
        language = str(request.get("language") or "en")
        instructions = request.get("instructions")
        system = (REPORT_INSTRUCTIONS.format(language=LANGUAGE_NAMES.get(language, language))
                  + (f"\n\n{instructions}" if isinstance(instructions, str) and instructions
                     else ""))
        lines = "\n".join(("Person: " if m["role"] == "user" else "Bot: ") + m["content"]
                          for m in said)[-MAX_PROMPT_CHARS:]
        await self._within_quota(context.org_id, context.bot_id)
        answer = await self._complete(
            chain, [{"role": "system", "content": system},
                    {"role": "user", "content": f"The conversation:\n{lines}"}],
            {"max_tokens": request.get("max_tokens"), "temperature": None, "stop": None},
            deadline)
        self._count(context, answer, False)
        report = LlmReport(org_id=context.org_id, bot_id=context.bot_id,
                           conversation_id=context.conversation_id,
                           block_id=str(request.get("block_id") or "")[:64], language=language,
                           text=answer["text"], provider=answer["provider"],
                           model=answer["model"], messages=len(said))
        async with self._sessionmaker() as session, session.begin():
            session.add(report)
        if self._notifier is not None:
            self._notifier.notify("report", org_id=context.org_id, bot_id=context.bot_id,
                                  conversation_id=context.conversation_id, language=language,
                                  summary=answer["text"])
        return ServiceResult(value={"text": answer["text"], "report_id": str(report.id),
                                    "provider": answer["provider"]},
                             logs=[f"{name} failed: {reason}"
                                   for name, reason in answer.get("failed", [])])

    async def check_provider(self, org_id: uuid.UUID, name: str) -> None:
        """Raises ValueError with the reason when the organization cannot use `name`."""
        try:
            await self._chain(org_id, name)
        except ServiceCallError as exc:
            raise ValueError(str(exc)) from None

    async def summarise_recording(self, *, org_id: uuid.UUID, recording_id: uuid.UUID,
                                  provider: str, text: str, instructions: str | None,
                                  language: str, timeout: float = 120.0) -> dict[str, Any]:
        """A report on a transcribed recording (an upload: a call, a meeting), by the
        organization's `provider` and its fallbacks, within its quota; counted in its usage
        under the nil bot (uploads belong to no bot). Raises ServiceCallError with the
        reason."""
        if self._sessionmaker is None:
            raise ServiceCallError("reports need the organization's providers")
        chain = await self._chain(org_id, provider)
        system = (RECORDING_INSTRUCTIONS.format(language=LANGUAGE_NAMES.get(language, language))
                  + (f"\n\n{instructions}" if instructions else ""))
        await self._within_quota(org_id)
        answer = await self._complete(
            chain, [{"role": "system", "content": system},
                    {"role": "user", "content": f"The transcript:\n{text[-MAX_PROMPT_CHARS:]}"}],
            {"max_tokens": 800, "temperature": None, "stop": None},
            time.monotonic() + timeout)
        self._count(TurnContext.model_construct(
            conversation_id=recording_id, bot_id=UPLOADS_BOT, org_id=org_id), answer, False)
        return {"text": answer["text"], "provider": answer["provider"],
                "model": answer["model"]}

    async def _history(self, context: TurnContext, wanted: Any) -> list[dict[str, str]]:
        if not isinstance(wanted, int) or wanted <= 0 or self.transcript is None:
            return []
        try:
            return await self.transcript(context.conversation_id, wanted)
        except Exception as exc:  # without its history the model still answers
            log.warning("llm.history_unavailable", error=type(exc).__name__)
            return []

    async def _fitting(self, chain: list[llm_client.Provider], messages: list[Any],
                       start: int, history: int, params: dict[str, Any], deadline: float,
                       writer: Any = None) -> tuple[dict[str, Any], list[Any]]:
        """The answer, with the history window shrunk (oldest half first) while the model
        says the prompt is longer than its context; with none left, an error that says so."""
        while True:
            try:
                return await self._complete(chain, messages, params, deadline,
                                            writer), messages
            except llm_client.ContextTooLong as exc:
                if history == 0:
                    raise ServiceCallError(
                        "the prompt is longer than the model's context even without the "
                        f"conversation's history: {exc}") from None
                drop = (history + 1) // 2
                messages = messages[:start] + messages[start + drop:]
                history -= drop
                log.info("llm.history_shrunk", kept=history)

    async def _within_quota(self, org_id: uuid.UUID, bot_id: uuid.UUID | None = None) -> None:
        """Raises ServiceCallError (the block's `error` port, with the reason) when the
        organization is over one of its limits. Cached answers are free and never refused."""
        assert self._sessionmaker is not None
        quota = await self._quota(org_id)
        if quota is None:
            return
        if quota.calls_per_minute and self._limiter is not None:
            try:
                await self._limiter.hit(f"{quota.calls_per_minute}/minute", "llm",
                                        str(org_id), what="LLM calls")
            except RateLimited as exc:
                raise ServiceCallError(
                    f"over the organization's limit of {quota.calls_per_minute} LLM "
                    f"calls a minute; {exc.detail}") from None
            except RozmovaError as exc:  # the counter's store is down: not uncounted
                raise ServiceCallError(f"LLM calls cannot be counted now: {exc.detail}") \
                    from None
        if quota.tokens_per_day is None and quota.cost_per_month is None \
                and quota.bot_tokens_per_day is None:
            return
        async with self._sessionmaker() as session:
            spent = await self.spent(session, org_id, utcnow().date().replace(day=1), bot_id)
        if quota.tokens_per_day is not None and spent["today_tokens"] >= quota.tokens_per_day:
            raise ServiceCallError(
                f"the organization's {quota.tokens_per_day:,} LLM tokens for today are used "
                f"({spent['today_tokens']:,}); the limit resets at midnight UTC")
        if quota.bot_tokens_per_day is not None and \
                spent["bot_today_tokens"] >= quota.bot_tokens_per_day:
            raise ServiceCallError(
                f"this bot's {quota.bot_tokens_per_day:,} LLM tokens for today are used "
                f"({spent['bot_today_tokens']:,}); the limit resets at midnight UTC")
        if quota.cost_per_month is not None and spent["month_cost"] >= quota.cost_per_month:
            raise ServiceCallError(
                f"the organization's LLM budget of ${quota.cost_per_month:,.2f} for this month "
                f"is spent (${spent['month_cost']:,.2f})")

    async def _quota(self, org_id: uuid.UUID) -> _Quota | None:
        """The organization's limits (None: it set none), kept a few seconds."""
        assert self._sessionmaker is not None
        kept = self._quotas.get((org_id,))
        if kept is not _MISSING:
            return kept  # type: ignore[no-any-return]
        epoch = self._settings_epoch
        async with self._sessionmaker() as session:
            row = await session.get(LlmQuota, org_id)
            quota = None if row is None else _Quota(row.calls_per_minute, row.tokens_per_day,
                                                    row.cost_per_month, row.bot_tokens_per_day)
        if self._settings_epoch == epoch:
            self._quotas.put((org_id,), quota)
        return quota

    async def _complete(self, chain: list[llm_client.Provider], messages: list[Any],
                        params: dict[str, Any], deadline: float,
                        writer: Any = None) -> dict[str, Any]:
        try:
            if writer is None:
                completion = await llm_client.complete(chain, messages, deadline=deadline,
                                                       breakers=self.breakers,
                                                       admit=self.admit, **params)
            else:
                completion = await llm_client.stream(
                    chain, messages, writer, deadline=deadline, breakers=self.breakers,
                    wire=self.wire, admit=self.admit,
                    **{k: v for k, v in params.items() if k != "response_format"})
        except llm_client.ChainFailed as exc:
            raise ServiceCallError(f"no provider answered: {exc}") from None
        except llm_client.Interrupted:
            # The person wrote again before a word of it: nothing to say, nothing to repeat.
            return {"text": "", "provider": chain[0].name, "model": chain[0].model,
                    "finish_reason": "interrupted", "incomplete": True, "prompt_tokens": 0,
                    "completion_tokens": 0, "cost": 0.0, "failed": []}
        return completion.to_json()

    async def _structured(self, chain: list[llm_client.Provider], messages: list[Any],
                          params: dict[str, Any], answer: dict[str, Any], schema: Any,
                          deadline: float) -> dict[str, Any]:
        """The answer's JSON, valid against the schema; one repair request, then an error."""
        data, problem = _checked_json(answer["text"], schema)
        if problem is None:
            return {**answer, "data": data}
        repair = [*messages, {"role": "assistant", "content": answer["text"][:20_000]},
                  {"role": "user", "content": "That answer is not valid: " + problem
                   + ". Answer again with only the JSON object, valid against the schema."}]
        again = await self._complete(chain, repair, params, deadline)
        again["prompt_tokens"] += answer["prompt_tokens"]
        again["completion_tokens"] += answer["completion_tokens"]
        again["cost"] += answer["cost"]
        data, problem = _checked_json(again["text"], schema)
        if problem is not None:
            raise ServiceCallError(f"the model's answer is not valid JSON for the block's "
                                   f"schema, even after one repair: {problem}")
        return {**again, "data": data, "repaired": True}

    async def _cached(self, key: str | None) -> dict[str, Any] | None:
        if key is None or self._cache is None:
            return None
        try:
            raw = await self._cache.get(key)
        except Exception as exc:  # a cache outage costs a model call, never the answer
            log.warning("llm.cache_unavailable", error=type(exc).__name__)
            return None
        return orjson.loads(raw) if raw else None

    async def _remember(self, key: str, answer: dict[str, Any], seconds: Any) -> None:
        if self._cache is None:
            return
        try:
            await self._cache.set(key, orjson.dumps(answer), ttl_seconds=float(seconds or 3600))
        except Exception as exc:
            log.warning("llm.cache_unavailable", error=type(exc).__name__)

    def _count(self, context: TurnContext, answer: dict[str, Any], cached: bool) -> None:
        """Adds the call to the organization's accounting (one row per bot, provider, day),
        written within about a second (llm.usage)."""
        if self.usage is None or context.org_id is None:
            return
        try:
            if cached:
                self.usage.add(context.org_id, context.bot_id, answer["provider"],
                               utcnow().date(), cached=1)
            else:
                self.usage.add(context.org_id, context.bot_id, answer["provider"],
                               utcnow().date(), prompt_tokens=answer["prompt_tokens"],
                               completion_tokens=answer["completion_tokens"],
                               cost=answer["cost"])
        except Exception as exc:  # accounting must not cost the person the answer
            log.warning("llm.usage_not_counted", error=type(exc).__name__)


def within_budget(history: list[dict[str, str]], tokens: Any) -> list[dict[str, str]]:
    """The newest messages of `history` whose text fits in `tokens` (four characters a
    token, as the providers' tokenizers give for most text: a budget, not a count)."""
    if not isinstance(tokens, int) or tokens <= 0:
        return history
    left, kept = tokens * 4, 0
    for message in reversed(history):
        left -= len(message.get("content") or "") + 4  # a message's own framing
        if left < 0:
            break
        kept += 1
    return history[len(history) - kept:] if kept else []


def _cache_key(org_id: uuid.UUID, chain: list[llm_client.Provider], messages: list[Any],
               params: dict[str, Any]) -> str:
    material = orjson.dumps({"org": str(org_id),
                             "models": [(p.kind, p.model, p.api_base) for p in chain],
                             "messages": messages, "params": params},
                            option=orjson.OPT_SORT_KEYS)
    return CACHE_PREFIX + hashlib.sha256(material).hexdigest()


def _checked_json(text: str, schema: Any) -> tuple[Any, str | None]:
    """The JSON in `text` and None, or None and why it is not valid against `schema`."""
    import jsonschema

    candidate = text.strip()
    if candidate.startswith("```"):  # some models fence their JSON
        candidate = candidate.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(candidate)
    except ValueError as exc:
        return None, f"it is not JSON ({exc.msg} at character {exc.pos})"
    try:
        jsonschema.validate(data, schema or {"type": "object"})
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "the answer"
        return None, f"{where}: {exc.message[:200]}"
    except jsonschema.SchemaError as exc:
        return None, f"the block's schema is not valid: {exc.message[:200]}"
    return data, None


def _pick_class(text: str, classes: list[str]) -> str | None:
    """The class the model named: its answer exactly, else the one class name it contains."""
    answer = text.strip().strip("`'\".").strip().lower()
    names = {c.lower(): c for c in classes}
    if answer in names:
        return names[answer]
    said = [c for key, c in names.items() if key in answer]
    return said[0] if len(said) == 1 else None
