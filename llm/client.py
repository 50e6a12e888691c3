"""Calls to models through litellm, along a chain of providers: the block's provider, then its
fallbacks in order, each under its own timeout, until one answers.

litellm is imported here only, on the first call (about 2.5 s and 170 MB), with its model price
table read from the package instead of the network. Its own retries are off: the chain is the
retry, and a provider that fails is not asked again within the same call. An error names the
provider and litellm's reason; a key never appears in it (it is cut out if a provider echoes
it)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import structlog
from prometheus_client import Counter

from core.metrics import registry
from llm.wire import KINDS as WIRE_KINDS
from llm.wire import WireError

log = structlog.get_logger(__name__)

# By provider kind: the label sets stay few, whatever the number of organizations.
calls = Counter("rozmova_llm_calls", "Calls to model providers by kind and outcome (ok, "
                "error, timeout, skipped: its circuit was open).", ["kind", "outcome"],
                registry=registry)
tokens = Counter("rozmova_llm_tokens", "Tokens models read (prompt) and wrote (completion).",
                 ["kind", "direction"], registry=registry)
cost = Counter("rozmova_llm_cost_dollars", "What model calls cost, in dollars.", ["kind"],
               registry=registry)

_lock = threading.Lock()
_litellm: Any = None

PREFIX = {"openai": "openai", "openai_compatible": "openai", "azure": "azure",
          "gemini": "gemini", "anthropic": "anthropic"}


def litellm() -> Any:
    global _litellm
    if _litellm is None:
        with _lock:
            if _litellm is None:
                # Before the import: else litellm fetches its price table from the network and
                # leaves a retrying thread behind when there is none.
                os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
                os.environ.setdefault("LITELLM_TELEMETRY", "False")
                import litellm as module

                module.telemetry = False
                module.suppress_debug_info = True
                module.drop_params = True  # a parameter a provider lacks is left out, not fatal
                _litellm = module
    return _litellm


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    kind: str
    model: str
    api_base: str | None = None
    api_version: str | None = None
    key: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    input_cost: float | None = None    # dollars per million tokens
    output_cost: float | None = None
    breaker: str | None = None         # its circuit breaker's key (organization and name)
    max_concurrency: int | None = None  # the provider's own limits (llm.models.LlmProvider)
    calls_per_minute: int | None = None

    @property
    def litellm_model(self) -> str:
        return f"{PREFIX[self.kind]}/{self.model}"


@dataclass(slots=True)
class Completion:
    text: str
    provider: str
    model: str
    finish_reason: str | None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    milliseconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (provider, reason) before it
    incomplete: bool = False  # a streamed answer that ended early (see `stream`)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "provider": self.provider, "model": self.model,
                "incomplete": self.incomplete,
                "finish_reason": self.finish_reason, "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens, "cost": self.cost,
                "milliseconds": round(self.milliseconds, 1), "failed": self.failed}


class ContextTooLong(Exception):
    """The provider says the prompt is longer than the model's context: another provider of
    the chain would not help the same prompt, a shorter one would."""


class ChainFailed(Exception):
    """No provider of the chain answered; `failures` are (provider, reason) in order."""

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in failures))
        self.failures = failures


async def complete(chain: Sequence[Provider], messages: list[dict[str, Any]], *,
                   max_tokens: int | None = None, temperature: float | None = None,
                   stop: list[str] | None = None, response_format: dict[str, Any] | None = None,
                   deadline: float | None = None, breakers: Any = None,
                   admit: Admit | None = None) -> Completion:
    """The first answer along the chain. `deadline` (time.monotonic()) bounds the whole call:
    a provider gets its own timeout or what is left, whichever is shorter. With `breakers`
    (core.resilience.Breakers), a provider that failed again and again is skipped for a
    while instead of making every conversation wait for its timeout. With `admit`, each
    provider's own limits are kept: one at its limit is passed over for the next."""
    # The first call imports litellm (seconds): in a worker thread, so other conversations'
    # turns go on meanwhile; later calls find it imported.
    module = _litellm or await asyncio.to_thread(litellm)
    failures: list[tuple[str, str]] = []
    async with contextlib.aclosing(
            _attempts(chain, deadline, breakers, failures, admit)) as attempts:
        async for provider, left, breaker in attempts:
            started = time.perf_counter()
            try:
                response = await asyncio.wait_for(module.acompletion(
                    model=provider.litellm_model, messages=messages, api_base=provider.api_base,
                    api_version=provider.api_version, api_key=provider.key or "none",
                    max_tokens=max_tokens, temperature=temperature, stop=stop or None,
                    response_format=response_format, timeout=left, num_retries=0,
                    max_retries=0), timeout=left + 0.5)
            except (TimeoutError, asyncio.TimeoutError):
                failures.append((provider.name, f"no answer within {left:.1f} s"))
                _failed(breaker, provider, "timeout")
                continue
            except asyncio.CancelledError:
                if breaker is not None:
                    breaker.release()
                raise
            except Exception as exc:  # litellm's exceptions; each a reason to try the next
                if isinstance(exc, module.ContextWindowExceededError):
                    if breaker is not None:
                        breaker.release()  # the prompt's fault, not the provider's
                    raise ContextTooLong(_reason(exc, provider)) from None
                failures.append((provider.name, _reason(exc, provider)))
                log.info("llm.provider_failed", provider=provider.name, error=type(exc).__name__)
                _failed(breaker, provider, "error")
                continue
            if breaker is not None:
                breaker.record_success()
            return _counted(provider, _completion(module, response, provider, started, failures))
    raise ChainFailed(failures)


async def stream(chain: Sequence[Provider], messages: list[dict[str, Any]], writer: Any, *,
                 max_tokens: int | None = None, temperature: float | None = None,
                 stop: list[str] | None = None, deadline: float | None = None,
                 breakers: Any = None, wire: Any = None,
                 admit: Admit | None = None) -> Completion:
    """`complete`, with the answer's pieces given to `writer` (a core.streams.StreamWriter)
    as they arrive. A provider that fails before its first piece hands over to the next one
    of the chain; once pieces were shown, nothing is asked again (the person would read the
    answer twice): a stream that drops, or runs out of time, ends the answer there, and the
    person writing again (`writer.turn.interrupted`) does too. Such an answer is kept with
    `incomplete` set and the reason in `finish_reason` (``dropped``, ``timeout``,
    ``interrupted``). With `wire` (llm.wire.Wire), providers that speak OpenAI's protocol
    stream through it instead of litellm (a fraction of the CPU per piece)."""
    # litellm is needed for the providers the wire does not speak, and for its price table
    # (a local model's server has no price there): a deployment of local models only never
    # imports it.
    module = _litellm
    if module is None and any(_needs_litellm(p, wire) for p in chain):
        module = await asyncio.to_thread(litellm)
    failures: list[tuple[str, str]] = []
    interrupted: asyncio.Event = writer.turn.interrupted
    async with contextlib.aclosing(
            _attempts(chain, deadline, breakers, failures, admit)) as attempts:
        async for provider, left, breaker in attempts:
            if interrupted.is_set():
                if breaker is not None:
                    breaker.release()
                break
            started = time.perf_counter()
            pieces: list[str] = []
            state: dict[str, Any] = {"usage": None, "finish": None}
            response: Any = None

            async def read() -> None:
                nonlocal response
                if wire is not None and provider.kind in WIRE_KINDS:
                    async for part in wire.stream(provider, messages, timeout=left,
                                                  max_tokens=max_tokens, temperature=temperature,
                                                  stop=stop):
                        if part.usage is not None:
                            state["usage"] = part.usage
                        if part.finish_reason:
                            state["finish"] = part.finish_reason
                        if part.text:
                            pieces.append(part.text)
                            await writer.add(part.text)
                    return
                response = await module.acompletion(
                    model=provider.litellm_model, messages=messages, api_base=provider.api_base,
                    api_version=provider.api_version, api_key=provider.key or "none",
                    max_tokens=max_tokens, temperature=temperature, stop=stop or None,
                    timeout=left, num_retries=0, max_retries=0, stream=True,
                    stream_options={"include_usage": True})
                async for chunk in response:
                    usage = getattr(chunk, "usage", None)
                    if usage is not None:
                        state["usage"] = usage
                    choices = getattr(chunk, "choices", None)
                    if not choices:
                        continue
                    choice = choices[0]
                    if getattr(choice, "finish_reason", None):
                        state["finish"] = choice.finish_reason
                    piece = getattr(getattr(choice, "delta", None), "content", None)
                    if piece:
                        pieces.append(piece)
                        await writer.add(piece)

            reading = asyncio.ensure_future(read())
            waiting = asyncio.ensure_future(interrupted.wait())
            try:
                done, _ = await asyncio.wait({reading, waiting}, timeout=left,
                                             return_when=asyncio.FIRST_COMPLETED)
            except asyncio.CancelledError:
                for task in (reading, waiting):
                    task.cancel()
                if breaker is not None:
                    breaker.release()
                raise
            waiting.cancel()
            ended: str | None = None
            if reading not in done:
                reading.cancel()
                with contextlib.suppress(BaseException):
                    await reading
                ended = "interrupted" if interrupted.is_set() else "timeout"
            elif (error := reading.exception()) is not None:
                if not pieces and ((module is not None
                                    and isinstance(error, module.ContextWindowExceededError)) or (
                        isinstance(error, WireError) and error.context_too_long)):
                    if breaker is not None:
                        breaker.release()
                    raise ContextTooLong(_reason(error, provider)) from None
                ended = "dropped"
            if response is not None and ended is not None:
                with contextlib.suppress(Exception):
                    await response.aclose()  # the connection goes, the provider stops writing
            if ended is not None and not pieces:
                # Nothing was shown: the next provider of the chain may still answer.
                if ended == "interrupted":
                    if breaker is not None:
                        breaker.release()
                    break
                reason = (f"no answer within {left:.1f} s" if ended == "timeout"
                          else _reason(reading.exception(), provider))  # type: ignore[arg-type]
                failures.append((provider.name, reason))
                log.info("llm.provider_failed", provider=provider.name, error=ended)
                _failed(breaker, provider, "timeout" if ended == "timeout" else "error")
                continue
            if breaker is not None:
                if ended in ("dropped", "timeout"):
                    breaker.record_failure()
                else:
                    breaker.record_success()
            await writer.close()
            done_ = _streamed(module, provider, messages, "".join(pieces), state, started,
                              failures)
            if ended is not None:
                done_.finish_reason, done_.incomplete = ended, True
            return _counted(provider, done_)
    if interrupted.is_set() and not failures:
        raise Interrupted()
    raise ChainFailed(failures)


def _needs_litellm(provider: Provider, wire: Any) -> bool:
    priced = provider.input_cost is not None or provider.output_cost is not None
    return (wire is None or provider.kind not in WIRE_KINDS
            or (provider.kind != "openai_compatible" and not priced))


class Interrupted(Exception):
    """The person wrote again before the answer's first piece."""


class ProviderBusy(Exception):
    """The provider is at one of its own limits now: the call goes to the next one."""


Admit = Callable[[Provider], AbstractAsyncContextManager[None]]
"""Holds a provider's slot for one call, or raises ProviderBusy (see LlmService.admit)."""


async def _attempts(chain: Sequence[Provider], deadline: float | None, breakers: Any,
                    failures: list[tuple[str, str]], admit: Admit | None = None
                    ) -> AsyncIterator[tuple[Provider, float, Any]]:
    """The chain's providers to try in turn, with the time each may take and its breaker
    (checked: one whose circuit is open is skipped, with the reason in `failures`), each
    admitted by `admit` for the time it is tried (one at its limit is skipped likewise).
    Iterate under `contextlib.aclosing`, so that a slot is given back however the loop
    ends."""
    from core.resilience import CircuitOpen

    for provider in chain:
        left = provider.timeout if deadline is None else min(provider.timeout,
                                                             deadline - time.monotonic())
        if left <= 0.05:
            failures.append((provider.name, "no time left"))
            return
        breaker = breakers.get(provider.breaker) if breakers is not None \
            and provider.breaker else None
        if breaker is not None:
            try:
                breaker.check()
            except CircuitOpen as exc:
                failures.append((provider.name, f"skipped: it failed repeatedly; tried again "
                                                f"in {exc.retry_after:.0f} s"))
                calls.labels(provider.kind, "skipped").inc()
                continue
        if admit is None:
            yield provider, left, breaker
            continue
        slot = admit(provider)
        try:
            await slot.__aenter__()
        except ProviderBusy as exc:
            if breaker is not None:
                breaker.release()  # not asked: no verdict on it
            failures.append((provider.name, f"skipped: {exc}"))
            calls.labels(provider.kind, "skipped").inc()
            continue
        try:
            yield provider, left, breaker
        finally:
            await slot.__aexit__(None, None, None)


def _counted(provider: Provider, done: Completion) -> Completion:
    calls.labels(provider.kind, "ok").inc()
    tokens.labels(provider.kind, "prompt").inc(done.prompt_tokens)
    tokens.labels(provider.kind, "completion").inc(done.completion_tokens)
    cost.labels(provider.kind).inc(done.cost)
    return done


def _streamed(module: Any, provider: Provider, messages: list[dict[str, Any]], text: str,
              state: dict[str, Any], started: float,
              failures: list[tuple[str, str]]) -> Completion:
    """A streamed answer as a Completion: tokens as the provider counted them in its last
    piece, or estimated (four characters a token) when the stream ended before it."""
    usage = state["usage"]
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0) if usage is not None else \
        -(-sum(len(str(m.get("content", ""))) for m in messages) // 4)
    written = int(getattr(usage, "completion_tokens", 0) or 0) if usage is not None else \
        -(-len(text) // 4)
    if provider.input_cost is not None or provider.output_cost is not None:
        price = (prompt * (provider.input_cost or 0) + written
                 * (provider.output_cost or 0)) / 1e6
    elif module is None:
        price = 0.0  # a local model's server, with no prices given: free here
    else:
        try:
            price = sum(module.cost_per_token(model=provider.litellm_model,
                                              prompt_tokens=prompt, completion_tokens=written))
        except Exception:  # a model litellm has no price for (a local one): free here
            price = 0.0
    return Completion(text=text, provider=provider.name, model=provider.model,
                      finish_reason=state["finish"], prompt_tokens=prompt,
                      completion_tokens=written, cost=float(price),
                      milliseconds=(time.perf_counter() - started) * 1000, failed=failures)


def _failed(breaker: Any, provider: Provider, outcome: str) -> None:
    if breaker is not None:
        breaker.record_failure()
    calls.labels(provider.kind, outcome).inc()


def _completion(module: Any, response: Any, provider: Provider, started: float,
                failures: list[tuple[str, str]]) -> Completion:
    choice = response.choices[0]
    text = choice.message.content or ""
    usage = getattr(response, "usage", None)
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
    if provider.input_cost is not None or provider.output_cost is not None:
        cost = (prompt * (provider.input_cost or 0) + completion_tokens
                * (provider.output_cost or 0)) / 1e6
    else:
        # litellm priced the response already (its logging does, for every call): computing it
        # again cost about 2 ms of CPU per call.
        hidden = getattr(response, "_hidden_params", None) or {}
        cost = hidden.get("response_cost")
        if cost is None:
            try:
                cost = module.completion_cost(completion_response=response)
            except Exception:  # a model litellm has no price for (a local one): free here
                cost = 0.0
        cost = float(cost or 0.0)
    return Completion(text=text, provider=provider.name, model=provider.model,
                      finish_reason=getattr(choice, "finish_reason", None),
                      prompt_tokens=prompt, completion_tokens=completion_tokens, cost=cost,
                      milliseconds=(time.perf_counter() - started) * 1000, failed=failures)


def _reason(exc: Exception, provider: Provider) -> str:
    """litellm's reason in one line, with the key cut out if the provider echoed it."""
    status = getattr(exc, "status_code", None)
    message = str(getattr(exc, "message", None) or exc).replace("\n", " ").strip()
    if isinstance(exc, WireError):
        status, message = None, message.removeprefix(f"HTTP {exc.status}: ")
        kind = {400: "BadRequestError", 401: "AuthenticationError", 403: "PermissionDenied",
                404: "NotFoundError", 429: "RateLimitError"}.get(exc.status)
        kind = kind or ("ServiceUnavailable" if exc.status >= 500 else "ConnectionError")
        prefix = f"{kind} ({exc.status})" if exc.status else kind
    if provider.key:
        message = message.replace(provider.key, "[key]")
        if len(provider.key) > 8:
            message = message.replace(provider.key[:8], "[key]")
    if not isinstance(exc, WireError):
        kind = type(exc).__name__
        prefix = f"{kind} ({status})" if status else kind
    return f"{prefix}: {message[:300]}"
