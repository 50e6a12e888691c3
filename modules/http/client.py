"""The HTTP client scenario blocks use to call outside APIs, guarded so that an author cannot
turn the platform into a proxy into its own network (SSRF).

- Only http and https; no credentials in the URL; hosts normalised (``policy.parse_host``).
- Every connection is pinned to an address checked by the ``AddressPolicy``
  (``pinning.PinnedBackend``); redirects are followed here, one hop at a time, each hop
  checked and pinned again, at most ``max_redirects``, never from https to http.
- Credentials (Authorization, Proxy-Authorization, Cookie and the headers the caller names
  in ``secret_headers``) are not sent past a redirect to another origin.
- ``timeout_seconds`` bounds the whole call (connection, redirects, retries, the body);
  bodies are read up to ``max_response_bytes``. Bodies are not decompressed: the client asks
  for ``identity`` unless the caller sets Accept-Encoding, so a small compressed answer
  cannot expand past the limit.
- Idempotent methods are retried on connection failures, timeouts of one attempt and 502,
  503, 504, with capped exponential backoff and jitter, while the deadline allows.
- A circuit breaker per host stops calling a host that keeps failing (connection failures,
  timeouts, 5xx).
- No cookie jar, no environment proxies: nothing of one call leaks into another.

Logs name the method, host, status and timings; never header values, URLs' paths or queries
(API keys travel there) or bodies."""

from __future__ import annotations

import asyncio
import math
import random
import ssl
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Self

import httpcore
import httpx
import structlog

from core.resilience import Breakers, CircuitOpen
from modules.http.exceptions import HttpFailed, HttpRefused
from modules.http.pinning import PinnedBackend, Resolver
from modules.http.policy import AddressPolicy, parse_host

log = structlog.get_logger("rozmova.modules.http")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
METHODS = IDEMPOTENT_METHODS | {"POST", "PATCH"}
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({502, 503, 504})
# Framing and routing headers come from the URL and the body, never from the caller: a Host
# of the caller's choosing would not match the checked name.
_CONTROLLED_HEADERS = frozenset({
    "host", "content-length", "transfer-encoding", "connection", "keep-alive", "te",
    "upgrade", "proxy-connection", "trailer",
})
_BODY_HEADERS = frozenset({"content-type", "content-encoding", "content-language"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class HttpLimits:
    timeout_seconds: float = 10.0
    max_response_bytes: int = 1 * 2**20
    max_redirects: int = 3
    retries: int = 2
    backoff_seconds: float = 0.2
    backoff_cap_seconds: float = 2.0

    def __post_init__(self) -> None:
        if self.timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        if self.max_response_bytes < 0 or self.max_redirects < 0 or self.retries < 0:
            raise ValueError("max_response_bytes, max_redirects and retries must not be negative")
        if self.backoff_seconds < 0 or self.backoff_cap_seconds < 0:
            raise ValueError("backoff times must not be negative")

    def backoff(self, retry: int) -> float:
        """The pause before retry number ``retry`` (from 1): doubling from ``backoff_seconds``
        up to ``backoff_cap_seconds``, then between half and all of it at random, so that
        callers failing together do not retry together."""
        ceiling = min(self.backoff_cap_seconds, self.backoff_seconds * 2 ** (retry - 1))
        return ceiling * (0.5 + random.random() / 2)


@dataclass(frozen=True)
class HttpResult:
    """The final answer. ``headers`` have lower-case names (repeated ones joined with ", "),
    ``url`` is the last hop's, ``attempts`` counts every request sent (retries and redirect
    hops included)."""

    status: int
    headers: dict[str, str]
    body: bytes
    url: str
    elapsed_ms: float
    attempts: int

    def json(self) -> Any:
        import json

        try:
            return json.loads(self.body)
        except ValueError as exc:  # JSONDecodeError, or bytes in no Unicode encoding
            content_type = self.headers.get("content-type", "no content type")
            where = f" at position {exc.pos}" if isinstance(exc, json.JSONDecodeError) else ""
            raise HttpFailed(
                "not_json", f"the answer from {httpx.URL(self.url).host} is not JSON "
                f"({content_type}, {len(self.body)} bytes; invalid{where})") from None


@dataclass
class _Hop:
    method: str
    url: httpx.URL
    headers: list[tuple[str, str]]
    body: bytes | None


@dataclass
class _Call:
    limits: HttpLimits
    loop: asyncio.AbstractEventLoop
    deadline: float
    host: str
    attempts: int = 0


class SafeHttpClient:
    """One per process (it pools connections); ``aclose`` at shutdown.

    ``verify`` is the TLS context (default: certifi's CAs, hostname checked); ``breakers``
    the per-host circuit breakers (default: 5 failures within 30 s open a host's circuit for
    15 s, at most 256 hosts remembered)."""

    def __init__(self, policy: AddressPolicy, *, resolver: Resolver | None = None,
                 breakers: Breakers | None = None, limits: HttpLimits = HttpLimits(),
                 verify: ssl.SSLContext | None = None, max_connections: int = 100) -> None:
        self._limits = limits
        self._breakers = Breakers("http", max_size=256) if breakers is None else breakers
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=verify or httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=min(20, max_connections),
            # A kept-alive connection stays pinned to the address checked when it opened.
            keepalive_expiry=30.0,
            http1=True, http2=False,
            network_backend=PinnedBackend(policy, resolver),
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def request(self, method: str, url: str, *,
                      headers: Mapping[str, str] | None = None,
                      params: Mapping[str, Any] | None = None,
                      json: Any = None, content: bytes | None = None,
                      limits: HttpLimits | None = None,
                      secret_headers: Collection[str] = ()) -> HttpResult:
        """Send one request and follow its redirects; raise ``HttpRefused`` when it may not
        be sent, ``HttpFailed`` when it gets no usable answer. A 4xx or 5xx answer is a
        result, not an error (after the retries for 502, 503, 504)."""
        limits = limits or self._limits
        method = method.upper()
        if method not in METHODS:
            raise HttpRefused(f"the {method} method is not allowed")
        if json is not None and content is not None:
            raise ValueError("pass json or content, not both")
        try:
            draft = httpx.Request(method, url, headers=headers, params=params, json=json,
                                  content=content)
        except httpx.InvalidURL as exc:
            raise HttpRefused(f"not a valid URL: {exc}") from None
        hop = _Hop(method, _target(draft.url), _caller_headers(draft.headers),
                   draft.content or None)
        if isinstance(secret_headers, str):
            secret_headers = [secret_headers]
        secret_names = CREDENTIAL_HEADERS | {name.lower() for name in secret_headers}
        loop = asyncio.get_running_loop()
        call = _Call(limits, loop, loop.time() + limits.timeout_seconds, hop.url.host)
        started = time.perf_counter()
        try:
            async with asyncio.timeout_at(call.deadline):
                result = await self._follow(hop, call, secret_names, started)
        except TimeoutError:
            log.info("http.failed", method=method, host=call.host, kind="timeout",
                     attempts=call.attempts)
            raise HttpFailed("timeout", f"{call.host} gave no complete answer within "
                                        f"{limits.timeout_seconds:g} s") from None
        except HttpRefused as exc:
            log.info("http.refused", method=method, host=call.host, reason=exc.reason)
            raise
        except HttpFailed as exc:
            log.info("http.failed", method=method, host=call.host, kind=exc.kind,
                     attempts=call.attempts)
            raise
        log.info("http.request", method=method, host=call.host, status=result.status,
                 attempts=result.attempts, elapsed_ms=round(result.elapsed_ms, 1))
        return result

    async def _follow(self, hop: _Hop, call: _Call, secret_names: frozenset[str],
                      started: float) -> HttpResult:
        redirects = 0
        while True:
            call.host = hop.url.host
            response = await self._send(hop, call)
            location = _header(response, b"location")
            if response.status in _REDIRECT_STATUSES and location is not None:
                await response.aclose()
                if redirects >= call.limits.max_redirects:
                    raise HttpFailed("too_many_redirects",
                                     f"more than {call.limits.max_redirects} redirects "
                                     f"(the last one from {call.host})")
                redirects += 1
                hop = _redirected(hop, response.status, location, secret_names)
                continue
            body = await self._read(response, call)
            headers: dict[str, str] = {}
            for raw_name, raw_value in response.headers:
                name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
            return HttpResult(response.status, headers, body, str(hop.url),
                              (time.perf_counter() - started) * 1000, call.attempts)

    async def _send(self, hop: _Hop, call: _Call) -> httpcore.Response:
        """One hop: its attempts, the breaker consulted before each and told after."""
        breaker = self._breakers.get(hop.url.host)
        retriable = hop.method in IDEMPOTENT_METHODS
        tries = 0
        while True:
            tries += 1
            try:
                breaker.check()
            except CircuitOpen as exc:
                raise HttpFailed(
                    "circuit_open", f"{call.host} failed repeatedly; requests to it are "
                    f"paused for {math.ceil(exc.retry_after)} s") from None
            call.attempts += 1
            failure: HttpFailed | None = None
            try:
                response = await self._pool.handle_async_request(_core_request(hop, call))
            except HttpRefused:
                breaker.release()
                raise
            except httpcore.TimeoutException:
                breaker.record_failure()
                failure = HttpFailed("timeout", f"{call.host} did not answer in time")
            except httpcore.ConnectError:
                breaker.record_failure()
                failure = HttpFailed("connect", f"could not connect to {call.host}")
            except (httpcore.ProtocolError, httpcore.NetworkError):
                breaker.record_failure()
                failure = HttpFailed("protocol", f"{call.host} broke off the exchange")
            except asyncio.CancelledError:
                # The deadline ran out (the host's slowness) or the caller gave up (no verdict).
                if call.loop.time() >= call.deadline:
                    breaker.record_failure()
                else:
                    breaker.release()
                raise
            except BaseException:
                breaker.release()
                raise
            # Retry only if the pause still leaves time before the deadline: a retry cut
            # short would turn an answer (a 503) into a timeout.
            delay = call.limits.backoff(tries)
            can_retry = (retriable and tries <= call.limits.retries
                         and call.loop.time() + delay < call.deadline)
            if failure is not None:
                if not can_retry:
                    raise failure
            else:
                if response.status >= 500:
                    breaker.record_failure()
                else:
                    breaker.record_success()
                if response.status not in _RETRY_STATUSES or not can_retry:
                    return response
                await response.aclose()
            await asyncio.sleep(delay)

    async def _read(self, response: httpcore.Response, call: _Call) -> bytes:
        limit = call.limits.max_response_bytes
        too_large = HttpFailed("too_large", f"the answer from {call.host} is larger than "
                                            f"{limit} bytes")
        try:
            declared = _header(response, b"content-length")
            if declared is not None and declared.strip().isdigit() and int(declared) > limit:
                raise too_large
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_stream():
                size += len(chunk)
                if size > limit:
                    raise too_large
                chunks.append(chunk)
            return b"".join(chunks)
        except httpcore.TimeoutException:
            raise HttpFailed("timeout", f"{call.host} did not finish its answer in time") from None
        except (httpcore.ProtocolError, httpcore.NetworkError):
            raise HttpFailed("protocol", f"{call.host} broke off its answer") from None
        finally:
            await response.aclose()


def _target(url: httpx.URL) -> httpx.URL:
    """``url`` checked for scheme and credentials, with its host in canonical form (an
    address written as one, a name in lower case without a trailing dot) and no fragment."""
    if url.scheme not in _DEFAULT_PORTS:
        raise HttpRefused(f"only http and https URLs are allowed (got {url.scheme or 'none'})")
    if url.userinfo:
        raise HttpRefused("credentials in the URL are not allowed; send them in a header")
    if url.port == 0:
        raise HttpRefused("port 0 is not allowed")
    host = parse_host(url.raw_host.decode("ascii"))
    return url.copy_with(host=str(host), fragment=None)


def _origin(url: httpx.URL) -> tuple[str, str, int]:
    return url.scheme, url.host, url.port or _DEFAULT_PORTS[url.scheme]


def _caller_headers(headers: httpx.Headers) -> list[tuple[str, str]]:
    kept = [(name, value) for name, value in headers.multi_items()
            if name.lower() not in _CONTROLLED_HEADERS]
    present = {name.lower() for name, _ in kept}
    if "accept-encoding" not in present:
        kept.append(("accept-encoding", "identity"))
    if "user-agent" not in present:
        kept.append(("user-agent", "Rozmova"))
    return kept


def _redirected(hop: _Hop, status: int, location: str, secret_names: frozenset[str]) -> _Hop:
    try:
        url = _target(hop.url.join(location))
    except httpx.InvalidURL:
        raise HttpRefused(f"{hop.url.host} redirected to an invalid URL") from None
    if hop.url.scheme == "https" and url.scheme == "http":
        raise HttpRefused(
            f"{hop.url.host} redirected from https to http ({url.host}); not allowed")
    method, headers, body = hop.method, hop.headers, hop.body
    # What browsers do: 303 turns anything but HEAD into GET, 301 and 302 turn POST into GET;
    # 307 and 308 repeat the request as it was.
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        method, body = "GET", None
        headers = [(n, v) for n, v in headers if n.lower() not in _BODY_HEADERS]
    if _origin(url) != _origin(hop.url):
        headers = [(n, v) for n, v in headers if n.lower() not in secret_names]
    return _Hop(method, url, headers, body)


def _core_request(hop: _Hop, call: _Call) -> httpcore.Request:
    request = httpx.Request(hop.method, hop.url, headers=hop.headers, content=hop.body)
    remaining = max(0.001, call.deadline - call.loop.time())
    return httpcore.Request(
        method=request.method,
        url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                         port=request.url.port, target=request.url.raw_path),
        headers=request.headers.raw,
        content=request.stream,  # type: ignore[arg-type]  # httpx.ByteStream is async-iterable
        extensions={"timeout": dict.fromkeys(("connect", "read", "write", "pool"), remaining)},
    )


def _header(response: httpcore.Response, name: bytes) -> str | None:
    for key, value in response.headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None
