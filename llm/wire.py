"""OpenAI's Chat Completions protocol, streamed directly, for the providers that speak it
(`openai`, `openai_compatible`, `azure`): server-sent events read off the connection and
parsed with orjson.

litellm's streaming wrapper costs about 2 ms of CPU per piece of an answer (the openai SDK
builds a model of every chunk, litellm rebuilds, logs and prices it): 65 ms for a 30-piece
answer against 16 ms for the same answer unstreamed, so one core could stream to only a few
dozen conversations at a model's pace. This reads the same events for a few microseconds a
piece (bench/llm_streaming.py). Unstreamed calls, and streams from Gemini and Anthropic, go
through litellm.

Connections are pinned to addresses the operator's policy allows (modules' PinnedBackend):
the check and the connection use the same lookup, so a provider's name cannot resolve to an
allowed address when checked and to an internal one when connected."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpcore
import orjson

KINDS = frozenset({"openai", "openai_compatible", "azure"})
OPENAI_BASE = "https://api.openai.com/v1"
MAX_ERROR_BYTES = 64 * 1024
MAX_EVENT_BYTES = 1024 * 1024  # one event longer than this is not a chat chunk


class WireError(Exception):
    """The provider refused or broke the call: `status` (0: no HTTP answer) and its reason."""

    def __init__(self, status: int, reason: str, *, context_too_long: bool = False) -> None:
        super().__init__(reason)
        self.status = status
        self.context_too_long = context_too_long


@dataclass(slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(slots=True)
class Piece:
    text: str | None = None
    finish_reason: str | None = None
    usage: Usage | None = None


class Wire:
    """A connection pool for model providers' streams, pinned by the address policy."""

    def __init__(self, policy: Any, max_connections: int = 512) -> None:
        from modules.contract import PinnedBackend

        self._pool = httpcore.AsyncConnectionPool(
            max_connections=max_connections, max_keepalive_connections=64,
            keepalive_expiry=30.0, http1=True, http2=False,
            network_backend=PinnedBackend(policy))

    async def close(self) -> None:
        await self._pool.aclose()

    async def stream(self, provider: Any, messages: list[dict[str, Any]], *, timeout: float,
                     max_tokens: int | None = None, temperature: float | None = None,
                     stop: list[str] | None = None) -> AsyncIterator[Piece]:
        """The answer's pieces (text, the finish reason, the usage the provider counted)."""
        url, headers = _address(provider)
        body: dict[str, Any] = {"model": provider.model, "messages": messages, "stream": True,
                                "stream_options": {"include_usage": True}}
        if max_tokens is not None:
            body["max_tokens"] = max_tokens
        if temperature is not None:
            body["temperature"] = temperature
        if stop:
            body["stop"] = stop
        extensions = {"timeout": {"connect": timeout, "read": timeout, "write": timeout,
                                  "pool": timeout}}
        try:
            async with self._pool.stream("POST", url, headers=headers,
                                         content=orjson.dumps(body),
                                         extensions=extensions) as response:
                if response.status >= 400:
                    raise _refusal(response.status, await _read_some(response))
                async for piece in _events(response):
                    yield piece
        except httpcore.TimeoutException:
            raise WireError(0, f"no answer within {timeout:.1f} s") from None
        except (httpcore.NetworkError, httpcore.ProtocolError) as exc:
            raise WireError(0, f"the connection failed: {type(exc).__name__} {exc}") from None


def _address(provider: Any) -> tuple[str, list[tuple[bytes, bytes]]]:
    headers = [(b"content-type", b"application/json"), (b"accept", b"text/event-stream")]
    key = provider.key or "none"
    if provider.kind == "azure":
        base = (provider.api_base or "").rstrip("/")
        url = (f"{base}/openai/deployments/{quote(provider.model, safe='')}/chat/completions"
               f"?api-version={quote(provider.api_version or '2024-10-21', safe='')}")
        headers.append((b"api-key", key.encode()))
    else:
        url = (provider.api_base or OPENAI_BASE).rstrip("/") + "/chat/completions"
        headers.append((b"authorization", b"Bearer " + key.encode()))
    return url, headers


async def _read_some(response: httpcore.Response) -> bytes:
    body = b""
    async for chunk in response.aiter_stream():
        body += chunk
        if len(body) > MAX_ERROR_BYTES:
            break
    return body[:MAX_ERROR_BYTES]


def _refusal(status: int, body: bytes) -> WireError:
    """The provider's error, as OpenAI's body describes it (`error.message`, `error.code`)."""
    message, code = body.decode("utf-8", "replace")[:300], None
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        error = orjson.loads(body).get("error")
        if isinstance(error, dict):
            message, code = str(error.get("message") or message), error.get("code")
        elif isinstance(error, str):
            message = error
    too_long = code == "context_length_exceeded" or "maximum context length" in message
    return WireError(status, f"HTTP {status}: {message}", context_too_long=too_long)


async def _events(response: httpcore.Response) -> AsyncIterator[Piece]:
    """Server-sent events: `data: <chunk>` lines, until `data: [DONE]`. A stream that ends
    without it was cut off (the caller keeps what came and says so)."""
    buffer = b""
    finished = False
    async for chunk in response.aiter_stream():
        if finished:
            continue  # read to the end, so that the connection goes back to the pool
        buffer += chunk
        if len(buffer) > MAX_EVENT_BYTES and b"\n" not in buffer:
            raise WireError(0, "the provider sent an event longer than 1 MB")
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if not line.startswith(b"data:"):
                continue  # comments, event names, blank separators
            data = line[5:].strip()
            if data == b"[DONE]":
                finished = True
                break
            try:
                event = orjson.loads(data)
            except orjson.JSONDecodeError:
                raise WireError(0, "the provider sent an event that is not JSON") from None
            if not isinstance(event, dict):
                continue
            if isinstance(event.get("error"), dict | str):
                error = event["error"]
                raise WireError(0, "the provider stopped: " + str(
                    error.get("message") if isinstance(error, dict) else error)[:300])
            piece = Piece()
            usage = event.get("usage")
            if isinstance(usage, dict):
                piece.usage = Usage(int(usage.get("prompt_tokens") or 0),
                                    int(usage.get("completion_tokens") or 0))
            choices = event.get("choices")
            if choices and isinstance(choices[0], dict):
                choice = choices[0]
                delta = choice.get("delta")
                if isinstance(delta, dict) and isinstance(delta.get("content"), str):
                    piece.text = delta["content"]
                piece.finish_reason = choice.get("finish_reason")
            yield piece
    if not finished:
        raise WireError(0, "the stream ended before the provider finished")
