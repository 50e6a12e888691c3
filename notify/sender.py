"""Sending a notice to an organization's targets, e-mail and webhooks, and what came of each.

This is the package's API::

    from notify.sender import EmailTarget, Notice, Sender, WebhookTarget
    deliveries = await Sender().send(notice, [EmailTarget(...), WebhookTarget(...)])

Targets are served at the same time, each on its own: one slow or failing target never
delays or spoils another, and ``send`` returns one ``Delivery`` per target, in the targets'
order, instead of raising for a target's failure.

A target gets ``retries`` more attempts after the first when the failure may pass (a
refused connection, a timeout, a 5xx, 408 or 429 answer, an SMTP 4xx), waiting
``backoff * 2**n`` seconds (±20 % jitter, so that many notices failing at once do not come back
at once), or what ``Retry-After`` asks up to 30 s; a receiver asking for longer has it as the
reason of a failed delivery. A failure that would repeat (an unknown recipient, a 4xx answer,
an address the caller's check refuses, a redirect) is not retried.

Bounded: a target's whole delivery, waits included, takes at most its ``timeout`` times its
number of attempts, and each attempt at most its ``timeout``; so a ``send`` takes at most the
longest of those. The summary is cut to 20,000 characters."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import httpx
import structlog
from prometheus_client import Counter

from core.metrics import registry
from notify import email, webhook
from notify.email import EmailTarget
from notify.templates import EVENTS, Event
from notify.webhook import AddressCheck, WebhookTarget, verify_signature

__all__ = ["Delivery", "EmailTarget", "Notice", "Sender", "WebhookTarget", "verify_signature"]

log = structlog.get_logger(__name__)

deliveries = Counter("rozmova_notify_deliveries", "Notices delivered to an organization's "
                     "targets, by channel (email, webhook) and outcome (ok, failed).",
                     ["kind", "outcome"], registry=registry)

MAX_SUMMARY_CHARS = 20_000
MAX_RETRY_AFTER = 30.0
JITTER = 0.2
# Less than this left before a target's deadline is not worth an attempt.
MIN_ATTEMPT_SECONDS = 0.05
# Fixed for good: a notice's id must stay the same across releases (receivers deduplicate).
NAMESPACE = uuid.UUID("1e4bb72b-e178-4b27-ae45-1243f5153c25")

Kind = Literal["email", "webhook"]
Verdict = tuple[str, bool, float | None]   # reason, worth retrying, seconds to wait


@dataclass(frozen=True, kw_only=True)
class Notice:
    """Something an organization hears about one of its bots' conversations."""

    event: Event
    org_id: uuid.UUID
    bot_id: uuid.UUID | None      # None: not about a bot (an upload's report)
    bot_name: str
    conversation_id: uuid.UUID    # the conversation; for "recording_report", the recording
    language: str                 # "uk" | "en" (others fall back to en)
    summary: str | None = None    # the report's text for "report"; the reason for a failure
    link: str | None = None       # where an operator opens the conversation
    occurred_at: datetime         # naive means UTC

    def __post_init__(self) -> None:
        if self.event not in EVENTS:
            raise ValueError(f"unknown event {self.event!r}; one of {', '.join(EVENTS)}")
        moment = self.occurred_at
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        object.__setattr__(self, "occurred_at", moment)
        if self.summary is not None and len(self.summary) > MAX_SUMMARY_CHARS:
            object.__setattr__(self, "summary", self.summary[:MAX_SUMMARY_CHARS - 1] + "…")

    @property
    def id(self) -> uuid.UUID:
        """The same for the same event of the same conversation at the same moment: a receiver
        that gets it twice (a retry, a notice sent again) can tell."""
        return uuid.uuid5(NAMESPACE, f"{self.conversation_id}:{self.event}:"
                                     f"{self.occurred_at.isoformat()}")


@dataclass(frozen=True)
class Delivery:
    """What came of one target. ``target`` names it without credentials; ``error`` says why it
    failed, or, for an e-mail that went out, which recipients the server refused while it
    took the others."""

    target_kind: Kind
    target: str
    ok: bool
    attempts: int
    error: str | None = None


class Sender:
    """Delivers notices. ``http`` is used for webhooks if given (and left open), else a client
    of its own per ``send``; ``address_check(url)`` is awaited before each webhook attempt and
    refuses by raising (its message becomes the reason)."""

    def __init__(self, *, retries: int = 3, backoff: float = 1.0,
                 http: httpx.AsyncClient | None = None,
                 address_check: Callable[[str], Awaitable[None]] | None = None) -> None:
        if retries < 0 or backoff < 0:
            raise ValueError("retries and backoff cannot be negative")
        self.retries = retries
        self.backoff = backoff
        self._http = http
        self._address_check: AddressCheck | None = address_check

    async def send(self, notice: Notice,
                   targets: Sequence[EmailTarget | WebhookTarget]) -> list[Delivery]:
        """One ``Delivery`` per target, in order. Raises only for a target that is neither
        kind (a mistake of the caller's, found before anything is sent)."""
        for target in targets:
            if not isinstance(target, (EmailTarget, WebhookTarget)):
                raise TypeError(f"not a notice target: {type(target).__name__}")
        if self._http is None and any(isinstance(t, WebhookTarget) for t in targets):
            # trust_env off: a proxy from the environment would carry the request past the
            # address check to wherever it likes.
            async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as http:
                return await self._send_all(notice, targets, http)
        return await self._send_all(notice, targets, self._http)

    async def _send_all(self, notice: Notice, targets: Sequence[EmailTarget | WebhookTarget],
                        http: httpx.AsyncClient | None) -> list[Delivery]:
        return list(await asyncio.gather(*(self._deliver(notice, target, http)
                                           for target in targets)))

    async def _deliver(self, notice: Notice, target: EmailTarget | WebhookTarget,
                       http: httpx.AsyncClient | None) -> Delivery:
        if isinstance(target, EmailTarget):
            kind: Kind = "email"
            shown = email.describe(target)
        else:
            kind, shown = "webhook", webhook.describe(target)
        try:
            delivery = await self._attempts(notice, target, kind, shown, http)
        except Exception as exc:  # a bug of ours must not cost the other targets their news
            log.exception("notify.delivery_crashed", kind=kind, target=shown)
            delivery = Delivery(kind, shown, False, 0, f"internal error: {type(exc).__name__}")
        secret = target.password if isinstance(target, EmailTarget) else target.secret
        if secret and delivery.error and secret in delivery.error:
            delivery = Delivery(kind, shown, delivery.ok, delivery.attempts,
                                delivery.error.replace(secret, "***"))
        deliveries.labels(kind, "ok" if delivery.ok else "failed").inc()
        facts = {"kind": kind, "target": shown, "notice": notice.event,
                 "notice_id": str(notice.id), "org_id": str(notice.org_id),
                 "attempts": delivery.attempts}
        if delivery.ok:
            log.info("notify.delivered", **facts, note=delivery.error)
        else:
            log.warning("notify.undelivered", **facts, error=delivery.error)
        return delivery

    async def _attempts(self, notice: Notice, target: EmailTarget | WebhookTarget, kind: Kind,
                        shown: str, http: httpx.AsyncClient | None) -> Delivery:
        attempt: Callable[[float], Awaitable[str | None]]
        verdict: Callable[[Exception], Verdict]
        # What cannot be sent at all (a bad address, a bad URL) fails before any attempt.
        try:
            if isinstance(target, EmailTarget):
                message = email.compose(notice, target)
                attempt = lambda budget: email.attempt(message, target, budget)  # noqa: E731
                verdict = email.verdict
            else:
                assert http is not None
                webhook.check_url(target.url)
                content = webhook.body(notice)
                attempt = lambda budget: webhook.attempt(  # noqa: E731
                    target, notice, content, http, self._address_check, budget)
                verdict = webhook.verdict
        except ValueError as exc:
            return Delivery(kind, shown, False, 0, str(exc))
        return await self._retrying(kind, shown, attempt, verdict, target.timeout)

    async def _retrying(self, kind: Kind, shown: str,
                        attempt: Callable[[float], Awaitable[str | None]],
                        verdict: Callable[[Exception], Verdict], timeout: float) -> Delivery:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout * (self.retries + 1)
        attempts = 0
        while True:
            budget = min(timeout, deadline - loop.time())
            attempts += 1
            try:
                # The libraries' own timeouts bound each step; this bounds the attempt whole.
                async with asyncio.timeout(budget):
                    note = await attempt(budget)
            except TimeoutError as exc:
                reason, retry, wait = _timed_out(exc, budget), True, None
            except Exception as exc:
                reason, retry, wait = verdict(exc)
            else:
                return Delivery(kind, shown, True, attempts, note)
            if not retry or attempts > self.retries:
                break
            if wait is not None and wait > MAX_RETRY_AFTER:
                reason += f"; it asked to wait {wait:.0f} s, longer than {MAX_RETRY_AFTER:.0f} s"
                break
            if wait is None:
                wait = self.backoff * 2 ** (attempts - 1) * random.uniform(1 - JITTER, 1 + JITTER)
            if loop.time() + wait + MIN_ATTEMPT_SECONDS >= deadline:
                reason += "; no time left for another attempt"
                break
            await asyncio.sleep(wait)
        return Delivery(kind, shown, False, attempts, reason)


def _timed_out(exc: TimeoutError, budget: float) -> str:
    detail = str(exc)
    return f"no answer within {budget:.1f} s" + (f": {detail}" if detail else "")
