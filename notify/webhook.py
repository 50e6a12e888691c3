"""Notices by webhook: a signed JSON POST to the organization's URL.

The body is one JSON object (UTF-8)::

    {"id": "…", "event": "report", "org_id": "…", "bot_id": "…", "bot_name": "…",
     "conversation_id": "…", "language": "uk", "summary": "…" | null, "link": "…" | null,
     "occurred_at": "2025-03-14T09:05:00+00:00"}

with the headers ``X-Rozmova-Event`` (the event), ``X-Rozmova-Delivery`` (the notice's id),
``X-Rozmova-Timestamp`` (Unix seconds when this attempt was signed) and
``X-Rozmova-Signature: sha256=<hex>``, the HMAC-SHA256, keyed with the webhook's secret, of
the timestamp, a full stop and the raw body: ``f"{timestamp}.{body}"``.

How a receiver checks a delivery:

1. Read the raw body as it came, before parsing it: re-serialised JSON would not match.
2. Compute ``hmac(secret, timestamp + "." + body, sha256)`` in hex and compare it with the
   header's value after ``sha256=`` in constant time (Python: ``hmac.compare_digest``).
3. Refuse a timestamp more than 5 minutes (300 s) from your clock, either way: a recorded
   request cannot be replayed later.
4. Deduplicate by ``X-Rozmova-Delivery``: a retry sends the same id and body again, signed
   anew with its own timestamp.
5. Answer 2xx quickly. 408, 429 and 5xx are retried (``Retry-After`` is honoured up to 30 s),
   other answers are not; redirects are not followed.

In Python, ``verify_signature`` does steps 2 and 3::

    ok = verify_signature(secret, request.headers["X-Rozmova-Timestamp"], await request.body(),
                          request.headers["X-Rozmova-Signature"])

The sender's ``address_check`` is awaited with the URL before each attempt, so the platform
can refuse private addresses (SSRF); a refusal is a failed delivery, not retried."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

if TYPE_CHECKING:
    from notify.sender import Notice

SIGNATURE_PREFIX = "sha256="
TOLERANCE_SECONDS = 300
USER_AGENT = "Rozmova-Webhooks/1"
RETRIED_STATUSES = frozenset({408, 429})
SNIPPET_BYTES = 300  # of a refusing answer's body, for the reason; the rest is not read

AddressCheck = Callable[[str], Awaitable[None]]


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    secret: str = field(repr=False)
    timeout: float = 10.0            # one attempt, from the address check to the answer


class Refused(Exception):
    """The caller's address check refused the URL."""


class Rejected(Exception):
    """The receiver answered with a status other than 2xx."""

    def __init__(self, status: int, phrase: str, snippet: str, retry_after: float | None,
                 location: str | None) -> None:
        super().__init__(f"{status} {phrase}")
        self.status = status
        self.phrase = phrase
        self.snippet = snippet
        self.retry_after = retry_after
        self.location = location


def describe(target: WebhookTarget) -> str:
    """The URL as a delivery shows it: no user, password, query or fragment (a token may hide
    there)."""
    try:
        parts = urlsplit(target.url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(not a valid URL)"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}{parts.path}"


def check_url(url: str) -> None:
    """Raise ``ValueError`` unless ``url`` is an absolute http(s) URL."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError("a webhook URL must be an absolute http:// or https:// URL")


def body(notice: Notice) -> bytes:
    """The JSON body, as signed and sent."""
    return json.dumps({
        "id": str(notice.id),
        "event": notice.event,
        "org_id": str(notice.org_id),
        "bot_id": str(notice.bot_id) if notice.bot_id is not None else None,
        "bot_name": notice.bot_name,
        # A recording's report is about an upload, not a conversation.
        **({"conversation_id": None, "recording_id": str(notice.conversation_id)}
           if notice.event == "recording_report"
           else {"conversation_id": str(notice.conversation_id)}),
        "language": notice.language,
        "summary": notice.summary,
        "link": notice.link,
        "occurred_at": notice.occurred_at.isoformat(),
    }, ensure_ascii=False, separators=(",", ":")).encode()


def sign(secret: str, timestamp: int | str, content: bytes) -> str:
    """The ``X-Rozmova-Signature`` value of ``content`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + content, hashlib.sha256)
    return SIGNATURE_PREFIX + digest.hexdigest()


def verify_signature(secret: str, timestamp: int | str, body: bytes | str, signature: str, *,
                     tolerance: float = TOLERANCE_SECONDS, now: float | None = None) -> bool:
    """Whether ``signature`` (the ``X-Rozmova-Signature`` header) is ours for ``body`` (the raw
    request body) and ``timestamp`` (the ``X-Rozmova-Timestamp`` header), and the timestamp is
    within ``tolerance`` seconds of ``now`` (default: the clock)."""
    timestamp = str(timestamp).strip()
    if not timestamp.isascii() or not timestamp.isdigit():
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        return False
    content = body.encode() if isinstance(body, str) else body
    # Compared as bytes: compare_digest refuses str with non-ASCII characters.
    return hmac.compare_digest(sign(secret, timestamp, content).encode(),
                               signature.strip().encode())


async def attempt(target: WebhookTarget, notice: Notice, content: bytes, http: httpx.AsyncClient,
                  address_check: AddressCheck | None, timeout: float) -> None:
    """POST ``content`` once; raise ``Refused``, ``Rejected`` or httpx's error."""
    if address_check is not None:
        try:
            await address_check(target.url)
        except Exception as exc:
            raise Refused(str(exc) or type(exc).__name__) from None
    # Signed per attempt: a retry after a wait still falls within the receiver's tolerance.
    timestamp = int(time.time())
    request = http.build_request("POST", target.url, content=content, timeout=timeout, headers={
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Rozmova-Event": notice.event,
        "X-Rozmova-Delivery": str(notice.id),
        "X-Rozmova-Timestamp": str(timestamp),
        "X-Rozmova-Signature": sign(target.secret, timestamp, content),
    })
    # Streamed so that a receiver answering with a large body is not read whole.
    response = await http.send(request, stream=True, follow_redirects=False)
    try:
        if 200 <= response.status_code < 300:
            return
        raise Rejected(response.status_code, response.reason_phrase,
                       await _snippet(response), _retry_after(response),
                       response.headers.get("location"))
    finally:
        await response.aclose()


def verdict(exc: Exception) -> tuple[str, bool, float | None]:
    """(reason, worth retrying, seconds to wait or None for the usual backoff)."""
    if isinstance(exc, Refused):
        return f"the address check refused the URL: {exc}", False, None
    if isinstance(exc, Rejected):
        reason = f"the receiver answered {exc}"
        if 300 <= exc.status < 400:
            return f"{reason} (redirects are not followed; it points to {exc.location})", \
                False, None
        if exc.snippet:
            reason += f": {exc.snippet}"
        retried = exc.status in RETRIED_STATUSES or exc.status >= 500
        return reason, retried, exc.retry_after if retried else None
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer in time ({type(exc).__name__})", True, None
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return f"not a URL that can be posted to: {exc}", False, None
    if isinstance(exc, httpx.TransportError):
        return f"could not reach the receiver: {type(exc).__name__}: {exc}", True, None
    return f"{type(exc).__name__}: {exc}", False, None


async def _snippet(response: httpx.Response) -> str:
    read = b""
    async for chunk in response.aiter_bytes():
        read += chunk
        if len(read) >= SNIPPET_BYTES:
            break
    text = read[:SNIPPET_BYTES].decode("utf-8", "replace")
    return " ".join(text.split())


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds the receiver asks to wait (``Retry-After``: seconds or an HTTP date)."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
