"""A fake OpenAI-compatible API on 127.0.0.1, for tests and local demos: no model provider is
reachable from here, so real clients (litellm, the official `openai` package) are pointed at
this server, which speaks the Chat Completions wire protocol as OpenAI's OpenAPI document
describes it (`POST /v1/chat/completions`, with and without server-sent events, and
`GET /v1/models`).

Its answers are deterministic, so tests can assert them: `Echo: <the last user message>` by
default, a JSON document valid against the request's JSON Schema when the request asks for
structured output, or replies a test queued with `script()`: a text, a JSON value, an HTTP
error (401, 429 with `Retry-After`, 500, ...), a delay before the answer or between streamed
chunks, a stream cut off mid-way. Every request is recorded (`requests`, the key left out),
so a test can check what the platform sent.

It keeps OpenAI's rules where a real provider would refuse a request the platform might send:
unknown parameters, malformed messages, `json_object` without the word "json" in the
messages, a strict JSON Schema whose objects do not close `additionalProperties` or leave a
property out of `required`, `stream_options` without `stream`, and bodies over 1 MB. Token
counts are estimates (prompt: characters / 4 rounded up; answer: one token per word), which
`max_tokens` / `max_completion_tokens` use too.

In tests: ``async with FakeOpenAI() as fake: ... fake.base_url ...``. From the shell:
``python -m llm.fake_server --port 8090`` prints the base URL to give a client."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import math
import re
import socket
import sys
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

DEFAULT_MODELS = ("fake-small", "fake-large")
MAX_BODY_BYTES = 1024 * 1024
MODEL_CREATED = 1_700_000_000  # a fixed `created` for listed models: answers stay comparable
SYSTEM_FINGERPRINT = "fp_fake"
_ERROR_STATUSES = {400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504}

# The top-level fields of CreateChatCompletionRequest (and of the model response properties
# it includes) in OpenAI's OpenAPI document: anything else is refused, as OpenAI does, so a
# misspelt parameter fails here rather than against a real provider.
REQUEST_FIELDS = frozenset({
    "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
    "max_completion_tokens", "max_tokens", "messages", "metadata", "modalities", "model",
    "moderation", "n", "parallel_tool_calls", "prediction", "presence_penalty",
    "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention", "reasoning_effort",
    "response_format", "safety_identifier", "seed", "service_tier", "stop", "store", "stream",
    "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user",
    "verbosity", "web_search_options",
})
_ROLES = ("developer", "system", "user", "assistant", "tool", "function")
_USER_PARTS = ("text", "image_url", "input_audio", "file")
_SCHEMA_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_WORD = re.compile(r"\s*\S+")


# --- what tests script and what the fake records -----------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One scripted answer. `text` (or `json`, serialized) replaces the default content, even
    when the request asks for structured output: `Reply(text="not json")` is how a test gets
    invalid JSON. A `status` other than 200 answers with OpenAI's error for it instead.

    `delay`: seconds before answering (a client with a shorter timeout gives up);
    `stream_delay`: seconds between streamed chunks; `drop_after`: a stream closes its
    connection after that many chunks, without `[DONE]`; `retry_after`: the 429's
    `Retry-After` (whole seconds, as OpenAI's document types it); `message`: the error's."""

    text: str | None = None
    json: Any = None
    status: int = 200
    delay: float = 0.0
    stream_delay: float = 0.0
    drop_after: int | None = None
    retry_after: int = 1
    message: str | None = None

    def __post_init__(self) -> None:
        if self.text is not None and self.json is not None:
            raise ValueError("a reply has a text or a JSON value, not both")
        if self.status != 200 and self.status not in _ERROR_STATUSES:
            raise ValueError(f"status {self.status} is not one the fake answers with")
        if self.delay < 0 or self.stream_delay < 0:
            raise ValueError("delays are not negative")
        if self.drop_after is not None and self.drop_after < 0:
            raise ValueError("drop_after counts chunks: 0 or more")
        if self.retry_after < 1:
            raise ValueError("Retry-After is at least 1 second")


@dataclass
class Received:
    """A request as the fake received it. `headers` have lower-case names and no key (an
    `authorization` header reads `Bearer ***`); `body` is the parsed JSON (None for a GET or
    an unreadable body); `status` is what the fake answered, None while it has not; `gone`:
    the client left before the answer (or the stream's end), a timeout on its side."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any = None
    status: int | None = None
    gone: bool = False

    @property
    def model(self) -> str | None:
        return self.body.get("model") if isinstance(self.body, dict) else None


class SchemaError(ValueError):
    """A JSON Schema the fake cannot produce an instance of (or, in strict mode, one OpenAI
    would refuse)."""


class _ApiError(Exception):
    def __init__(self, status: int, message: str, *, type_: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = (
            status, message, type_, param, code)
        self.headers = dict(headers or {})

    def response(self) -> JSONResponse:
        return JSONResponse({"error": {"message": self.message, "type": self.type,
                                       "param": self.param, "code": self.code}},
                            status_code=self.status, headers=self.headers)


# --- the server -------------------------------------------------------------------------------


class FakeOpenAI:
    """The fake API; `app` is its ASGI application. As an async context manager it serves on a
    free port of 127.0.0.1 (`port`, `base_url`) until the block ends.

    `valid_keys`: the API keys accepted (any non-empty key when None)."""

    def __init__(self, valid_keys: Iterable[str] | None = None, *,
                 models: Sequence[str] = DEFAULT_MODELS, stream_delay: float = 0.0) -> None:
        self.valid_keys = None if valid_keys is None else frozenset(valid_keys)
        # Seconds between the streamed chunks of an answer no test scripted: a demo shows
        # the words arriving.
        self.stream_delay = stream_delay
        self.requests: list[Received] = []
        self.port: int | None = None
        self._default_models = tuple(models)
        self._models: dict[str, None] = dict.fromkeys(models)  # ordered, first seen first
        self._scripts: dict[str | None, deque[Reply]] = {}
        self._ids = itertools.count(1)
        self._closing = asyncio.Event()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.app = Starlette(routes=[
            Route("/v1/chat/completions", self._chat_completions, methods=["POST"]),
            Route("/v1/models", self._list_models, methods=["GET"]),
            Route("/v1/models/{model:path}", self._get_model, methods=["GET"]),
            Route("/{path:path}", self._unknown,
                  methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        ])

    # --- setting up -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("the fake is not serving")
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def models(self) -> list[str]:
        """The models listed by `GET /v1/models`: the defaults, then those requests named."""
        return list(self._models)

    def script(self, model: str | None, replies: Reply | Iterable[Reply]) -> None:
        """Queue replies for requests naming `model` (None: any model), answered in order,
        one per request. A model's own queue goes before the one for any model; with both
        empty the default answer comes back."""
        queue = self._scripts.setdefault(model, deque())
        queue.extend([replies] if isinstance(replies, Reply) else replies)

    def pending(self, model: str | None = None) -> int:
        """How many scripted replies for `model` (None: for any model) are still queued."""
        return len(self._scripts.get(model, ()))

    def reset(self) -> None:
        """Forget the scripted replies, the recorded requests and the models seen."""
        self._scripts.clear()
        self.requests.clear()
        self._models = dict.fromkeys(self._default_models)

    # --- running --------------------------------------------------------------------------

    async def __aenter__(self) -> FakeOpenAI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self, host: str = "127.0.0.1", port: int = 0, *,
                    access_log: bool = False) -> None:
        """Serve in a task of the running loop; `port` 0 takes a free one."""
        if self._task is not None:
            raise RuntimeError("the fake is already serving")
        # Bound here rather than by uvicorn: the port is known before serving, and no other
        # process can take it between choosing and binding.
        sock = _bind(host, port)
        self.port = sock.getsockname()[1]
        self._closing = asyncio.Event()
        self._server = uvicorn.Server(_config(self.app, access_log=access_log))
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():  # it failed to start: say why
                self._task.result()
                raise RuntimeError("the fake stopped while starting")
            await asyncio.sleep(0.005)

    async def stop(self) -> None:
        """Stop serving: scripted delays end at once, open connections are closed."""
        if self._server is None or self._task is None:
            return
        self._closing.set()
        self._server.should_exit = True
        try:
            await asyncio.wait_for(self._task, timeout=10)
        finally:
            self._server = self._task = None

    # --- routes ---------------------------------------------------------------------------

    async def _chat_completions(self, request: Request) -> Response:
        received = self._record(request)
        try:
            response = await self._complete(request, received)
        except _ApiError as error:
            response = error.response()
        if response is None:  # the client gave up during the delay: nobody to answer
            return Response(status_code=499)
        if not isinstance(response, _EventStream):  # a stream records its status as it starts
            received.status = response.status_code
        return response

    async def _complete(self, request: Request, received: Received) -> Response | None:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            raise _too_large()
        self._authorize(request)
        body = _parse(await _read_body(request))
        received.body = body
        _validate(body)
        model = body["model"]
        self._models.setdefault(model, None)
        reply = self._next_reply(model)
        if reply.delay:
            gone = _Disconnect(request.receive)
            try:
                await _pause(reply.delay, gone.event, self._closing)
            finally:
                gone.stop()
            if gone.event.is_set():
                received.gone = True
                return None
        if reply.status != 200:
            raise _scripted_error(reply)
        answer = self._answer(body, reply)
        if body.get("stream"):
            return _EventStream(self, answer, reply, received)
        return JSONResponse(answer.completion(), headers=answer.headers)

    async def _list_models(self, request: Request) -> Response:
        received = self._record(request)
        try:
            self._authorize(request)
        except _ApiError as error:
            received.status = error.status
            return error.response()
        received.status = 200
        return JSONResponse({"object": "list", "data": [_model(m) for m in self._models]})

    async def _get_model(self, request: Request) -> Response:
        received = self._record(request)
        try:
            self._authorize(request)
            model = request.path_params["model"]
            if model not in self._models:
                raise _ApiError(404, f"The model `{model}` does not exist or you do not have "
                                     "access to it.", code="model_not_found")
        except _ApiError as error:
            received.status = error.status
            return error.response()
        received.status = 200
        return JSONResponse(_model(model))

    async def _unknown(self, request: Request) -> Response:
        received = self._record(request)
        received.status = 404
        return _ApiError(404, f"Invalid URL ({request.method} {request.url.path})").response()

    # --- answering ------------------------------------------------------------------------

    def _record(self, request: Request) -> Received:
        headers = {}
        for name, value in request.headers.items():
            if name in ("authorization", "api-key", "x-api-key"):
                scheme = value.split(" ", 1)[0] if " " in value else ""
                value = f"{scheme} ***".strip()
            headers[name] = value
        received = Received(request.method, request.url.path, headers)
        self.requests.append(received)
        return received

    def _authorize(self, request: Request) -> None:
        header = request.headers.get("authorization", "")
        scheme, _, key = header.partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise _ApiError(401, "You didn't provide an API key. You need to provide your API "
                                 "key in an Authorization header using Bearer auth (i.e. "
                                 "Authorization: Bearer YOUR_KEY).", code="invalid_api_key")
        if self.valid_keys is not None and key not in self.valid_keys:
            # OpenAI shows the key's last four characters only; so does the fake.
            raise _ApiError(401, f"Incorrect API key provided: ...{key[-4:]}.",
                            code="invalid_api_key")

    def _next_reply(self, model: str) -> Reply:
        for queue in (self._scripts.get(model), self._scripts.get(None)):
            if queue:
                return queue.popleft()
        return Reply(stream_delay=self.stream_delay)

    def _answer(self, body: dict[str, Any], reply: Reply) -> _Answer:
        if reply.text is not None:
            content = reply.text
        elif reply.json is not None:
            content = json.dumps(reply.json, ensure_ascii=False)
        else:
            content = _default_content(body)
        pieces, finish = _generate(content, body)
        number = next(self._ids)
        return _Answer(id=f"chatcmpl-fake{number:06d}", request_id=f"req_fake{number:06d}",
                       created=int(time.time()), model=body["model"], pieces=pieces,
                       finish_reason=finish, n=body.get("n") or 1,
                       prompt_tokens=prompt_tokens(body["messages"]),
                       include_usage=bool((body.get("stream_options") or {}).get(
                           "include_usage")))

    def _drop(self, scope: Scope) -> bool:
        """Close the TCP connection of the request `scope` belongs to, as a provider whose
        connection breaks mid-stream does: uvicorn only closes a connection on its own when an
        application fails (and logs that as an error), so the fake finds the connection among
        the server's and closes its transport (what was written before still goes out)."""
        if self._server is None:
            return False
        for connection in list(self._server.server_state.connections):
            if getattr(connection, "client", None) == tuple(scope.get("client") or ()):
                transport = getattr(connection, "transport", None)
                if transport is not None:
                    transport.close()
                    return True
        return False


@dataclass
class _Answer:
    id: str
    request_id: str
    created: int
    model: str
    pieces: list[str]
    finish_reason: str
    n: int
    prompt_tokens: int
    include_usage: bool

    @property
    def headers(self) -> dict[str, str]:
        return {"x-request-id": self.request_id, "openai-processing-ms": "1"}

    def usage(self) -> dict[str, Any]:
        completion = len(self.pieces) * self.n
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": completion,
                "total_tokens": self.prompt_tokens + completion,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                              "accepted_prediction_tokens": 0,
                                              "rejected_prediction_tokens": 0}}

    def completion(self) -> dict[str, Any]:
        """The non-streamed answer: a `chat.completion` object."""
        message = {"role": "assistant", "content": "".join(self.pieces), "refusal": None,
                   "annotations": []}
        return {"id": self.id, "object": "chat.completion", "created": self.created,
                "model": self.model,
                "choices": [{"index": i, "message": dict(message), "logprobs": None,
                             "finish_reason": self.finish_reason} for i in range(self.n)],
                "usage": self.usage(), "service_tier": "default",
                "system_fingerprint": SYSTEM_FINGERPRINT}

    def chunks(self) -> list[dict[str, Any]]:
        """The streamed answer: the role first, then a chunk per word, then the finish
        reason (each for every choice), then the usage when the request asked for it."""
        deltas: list[tuple[dict[str, Any], str | None]] = [
            ({"role": "assistant", "content": "", "refusal": None}, None)]
        deltas += [({"content": piece}, None) for piece in self.pieces]
        deltas.append(({}, self.finish_reason))
        chunks = [self._chunk([{"index": i, "delta": delta, "logprobs": None,
                                "finish_reason": finish}])
                  for delta, finish in deltas for i in range(self.n)]
        if self.include_usage:
            chunks.append(self._chunk([], self.usage()))
        return chunks

    def _chunk(self, choices: list[dict[str, Any]],
               usage: dict[str, Any] | None = None) -> dict[str, Any]:
        chunk = {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
                 "model": self.model, "service_tier": "default",
                 "system_fingerprint": SYSTEM_FINGERPRINT, "choices": choices}
        if self.include_usage:
            chunk["usage"] = usage  # null on every chunk but the last, as OpenAI sends it
        return chunk


class _EventStream(StreamingResponse):
    """Server-sent events: `data: <chunk>` per chunk, then `data: [DONE]`; paced by the
    reply's `stream_delay`, cut off after `drop_after` chunks."""

    def __init__(self, fake: FakeOpenAI, answer: _Answer, reply: Reply,
                 received: Received) -> None:
        super().__init__(iter(()), media_type="text/event-stream",
                         headers={**answer.headers, "cache-control": "no-cache"})
        self.fake, self.reply, self.received = fake, reply, received
        self.events = [_event(chunk) for chunk in answer.chunks()] + [b"data: [DONE]\n\n"]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.received.status = 200
        gone = _Disconnect(receive)
        try:
            await send({"type": "http.response.start", "status": self.status_code,
                        "headers": self.raw_headers})
            # [DONE] is never sent on a dropped stream: a drop cuts before it at the latest.
            drop = (None if self.reply.drop_after is None
                    else min(self.reply.drop_after, len(self.events) - 1))
            for number, event in enumerate(self.events):
                if number == drop:
                    await self._drop(scope, send, gone)
                    return
                if number and self.reply.stream_delay and not await _pause(
                        self.reply.stream_delay, gone.event, self.fake._closing):
                    if gone.event.is_set():
                        self.received.gone = True
                        return  # the client left: nobody to write to
                    # The server stops: end the stream as a broken connection would.
                    await self._drop(scope, send, gone)
                    return
                if gone.event.is_set():
                    self.received.gone = True
                    return
                await send({"type": "http.response.body", "body": event, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            gone.stop()

    async def _drop(self, scope: Scope, send: Send, gone: _Disconnect) -> None:
        if self.fake._drop(scope):
            # Returning before uvicorn sees the connection lost would make it log an
            # incomplete response as an application error.
            await _pause(2.0, gone.event)
        else:  # not under the fake's own server: an incomplete response is all it can do
            await send({"type": "http.response.body", "body": b"", "more_body": True})


class _Disconnect:
    """Watches the client's side of a request: `event` is set once it has gone."""

    def __init__(self, receive: Receive) -> None:
        self.event = asyncio.Event()
        self._receive = receive
        self._task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        with contextlib.suppress(Exception):
            while (await self._receive())["type"] != "http.disconnect":
                pass
            self.event.set()

    def stop(self) -> None:
        self._task.cancel()


async def _pause(seconds: float, *interrupts: asyncio.Event) -> bool:
    """Sleep `seconds`; False if one of `interrupts` was set first."""
    waits = [asyncio.create_task(event.wait()) for event in interrupts]
    try:
        done, _ = await asyncio.wait(waits, timeout=seconds,
                                     return_when=asyncio.FIRST_COMPLETED)
        return not done
    finally:
        for task in waits:
            task.cancel()


# --- requests ---------------------------------------------------------------------------------


async def _read_body(request: Request) -> bytes:
    """The body, refused past MAX_BODY_BYTES however it is sent (chunked bodies carry no
    length to check first)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _too_large()
    return bytes(body)


def _too_large() -> _ApiError:
    return _ApiError(413, f"The request body is larger than {MAX_BODY_BYTES} bytes.",
                     code="request_too_large")


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise _ApiError(400, "We could not parse the JSON body of your request. (HINT: This "
                             "likely means you aren't using your HTTP library correctly. The "
                             "OpenAI API expects a JSON payload, but what was sent was not "
                             "valid JSON.)")
    return body


def _validate(body: dict[str, Any]) -> None:
    """Refuse what OpenAI refuses (400), with its error codes: what a real provider would not
    accept should not pass here."""
    for name in body:
        if name not in REQUEST_FIELDS:
            raise _ApiError(400, f"Unrecognized request argument supplied: {name}", param=name,
                            code="unknown_parameter")
    for name in ("model", "messages"):
        if body.get(name) is None:
            raise _ApiError(400, f"Missing required parameter: '{name}'.", param=name,
                            code="missing_required_parameter")
    if not isinstance(body["model"], str) or not body["model"]:
        raise _invalid_type("model", "a non-empty string", body["model"])
    messages = body["messages"]
    if not isinstance(messages, list):
        raise _invalid_type("messages", "an array", messages)
    if not messages:
        raise _ApiError(400, "Invalid 'messages': empty array. Expected an array with minimum "
                             "length 1, but got an empty array instead.", param="messages",
                        code="empty_array")
    for index, message in enumerate(messages):
        _validate_message(message, f"messages[{index}]")
    for name in ("stream", "logprobs", "store", "parallel_tool_calls"):
        _optional(body, name, bool, "a boolean")
    for name, low, high in (("max_tokens", 1, None), ("max_completion_tokens", 1, None),
                            ("n", 1, 128), ("top_logprobs", 0, 20)):
        _optional_number(body, name, low, high, integer=True)
    for name, low, high in (("temperature", 0, 2), ("top_p", 0, 1),
                            ("frequency_penalty", -2, 2), ("presence_penalty", -2, 2)):
        _optional_number(body, name, low, high, integer=False)
    stop = body.get("stop")
    if stop is not None and not isinstance(stop, str) and not (
            isinstance(stop, list) and 1 <= len(stop) <= 4
            and all(isinstance(s, str) for s in stop)):
        raise _invalid_type("stop", "a string or an array of 1 to 4 strings", stop)
    options = body.get("stream_options")
    if options is not None:
        if not isinstance(options, dict):
            raise _invalid_type("stream_options", "an object", options)
        if not body.get("stream"):
            raise _ApiError(400, "The 'stream_options' parameter is only allowed when 'stream' "
                                 "is enabled.", param="stream_options", code="invalid_value")
        _optional(options, "include_usage", bool, "a boolean", "stream_options.include_usage")
    _validate_response_format(body)


def _validate_message(message: Any, where: str) -> None:
    if not isinstance(message, dict):
        raise _invalid_type(where, "an object", message)
    role = message.get("role")
    if role not in _ROLES:
        raise _ApiError(400, f"Invalid value: {json.dumps(role)}. Supported values are: "
                             + ", ".join(f"'{r}'" for r in _ROLES) + ".",
                        param=f"{where}.role", code="invalid_value")
    content = message.get("content")
    if content is None:
        if role in ("assistant", "function"):
            pass  # an assistant message may carry tool calls only
        else:
            raise _ApiError(400, f"Missing required parameter: '{where}.content'.",
                            param=f"{where}.content", code="missing_required_parameter")
    elif isinstance(content, list):
        if not content:
            raise _ApiError(400, f"Invalid '{where}.content': empty array. Expected an array "
                                 "with minimum length 1, but got an empty array instead.",
                            param=f"{where}.content", code="empty_array")
        kinds = _USER_PARTS if role == "user" else ("text", "refusal")
        for n, part in enumerate(content):
            at = f"{where}.content[{n}]"
            if not isinstance(part, dict) or part.get("type") not in kinds:
                raise _ApiError(400, f"Invalid '{at}': expected an object with a type among "
                                     + ", ".join(kinds) + ".", param=at, code="invalid_value")
            if part["type"] == "text" and not isinstance(part.get("text"), str):
                raise _invalid_type(f"{at}.text", "a string", part.get("text"))
    elif not isinstance(content, str):
        raise _invalid_type(f"{where}.content", "a string or an array of content parts",
                            content)
    if message.get("name") is not None and not isinstance(message["name"], str):
        raise _invalid_type(f"{where}.name", "a string", message["name"])
    if role == "tool" and not isinstance(message.get("tool_call_id"), str):
        raise _ApiError(400, f"Missing required parameter: '{where}.tool_call_id'.",
                        param=f"{where}.tool_call_id", code="missing_required_parameter")
    if role == "function" and not isinstance(message.get("name"), str):
        raise _ApiError(400, f"Missing required parameter: '{where}.name'.",
                        param=f"{where}.name", code="missing_required_parameter")


def _validate_response_format(body: dict[str, Any]) -> None:
    form = body.get("response_format")
    if form is None:
        return
    if not isinstance(form, dict):
        raise _invalid_type("response_format", "an object", form)
    kind = form.get("type")
    if kind not in ("text", "json_object", "json_schema"):
        raise _ApiError(400, f"Invalid value: {json.dumps(kind)}. Supported values are: "
                             "'text', 'json_object' and 'json_schema'.",
                        param="response_format.type", code="invalid_value")
    if kind == "json_object" and "json" not in json.dumps(
            [m.get("content") for m in body["messages"]], ensure_ascii=False).lower():
        raise _ApiError(400, "'messages' must contain the word 'json' in some form, to use "
                             "'response_format' of type 'json_object'.", param="messages")
    if kind != "json_schema":
        return
    spec = form.get("json_schema")
    if not isinstance(spec, dict):
        raise _ApiError(400, "Missing required parameter: 'response_format.json_schema'.",
                        param="response_format.json_schema",
                        code="missing_required_parameter")
    name = spec.get("name")
    if not isinstance(name, str) or not _SCHEMA_NAME.match(name):
        raise _ApiError(400, "Invalid 'response_format.json_schema.name': a string of 1 to 64 "
                             "letters, digits, underscores and dashes is expected.",
                        param="response_format.json_schema.name", code="invalid_value")
    schema = spec.get("schema", {})
    if not isinstance(schema, dict):
        raise _invalid_type("response_format.json_schema.schema", "an object", schema)
    try:
        if spec.get("strict"):
            strict_check(schema)
        example(schema)
    except SchemaError as error:
        raise _ApiError(400, f"Invalid schema for response_format '{name}': {error}",
                        param="response_format", code="invalid_json_schema") from error


def _optional(body: dict[str, Any], name: str, kind: type, expected: str,
              param: str | None = None) -> None:
    if body.get(name) is not None and not isinstance(body[name], kind):
        raise _invalid_type(param or name, expected, body[name])


def _optional_number(body: dict[str, Any], name: str, low: float, high: float | None, *,
                     integer: bool) -> None:
    value = body.get(name)
    if value is None:
        return
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise _invalid_type(name, "an integer" if integer else "a number", value)
    if value < low or (high is not None and value > high):
        bound = f"at least {low}" if high is None else f"between {low} and {high}"
        raise _ApiError(400, f"Invalid '{name}': {value}. Expected a value {bound}.",
                        param=name, code="invalid_value")


def _invalid_type(param: str, expected: str, value: Any) -> _ApiError:
    got = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
           list: "an array", dict: "an object", type(None): "null"}.get(type(value), "a value")
    return _ApiError(400, f"Invalid type for '{param}': expected {expected}, but got {got} "
                          "instead.", param=param, code="invalid_type")


def _scripted_error(reply: Reply) -> _ApiError:
    status = reply.status
    if status == 401:
        return _ApiError(401, reply.message or "Incorrect API key provided.",
                         code="invalid_api_key")
    if status == 429:
        return _ApiError(429, reply.message or "Rate limit reached for requests. Please try "
                                               "again later.",
                         type_="requests", code="rate_limit_exceeded",
                         headers={"retry-after": str(reply.retry_after)})
    if status >= 500:
        return _ApiError(status, reply.message or "The server had an error",
                         type_="server_error")
    return _ApiError(status, reply.message or "The request was refused.")


# --- answers ----------------------------------------------------------------------------------


def text_of(content: Any) -> str:
    """A message's text: its content string, or its text parts joined by a space."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(part["text"] for part in content
                        if isinstance(part, dict) and isinstance(part.get("text"), str))
    return ""


def prompt_tokens(messages: Sequence[Mapping[str, Any]]) -> int:
    """The prompt's token estimate: its messages' characters / 4, rounded up."""
    return math.ceil(sum(len(text_of(m.get("content"))) for m in messages) / 4)


def _default_content(body: dict[str, Any]) -> str:
    last = next((text_of(m.get("content")) for m in reversed(body["messages"])
                 if m.get("role") == "user"), "")
    form = body.get("response_format") or {}
    if form.get("type") == "json_schema":
        return json.dumps(example(form["json_schema"].get("schema", {})), ensure_ascii=False)
    if form.get("type") == "json_object":
        return json.dumps({"answer": f"Echo: {last}"}, ensure_ascii=False)
    return f"Echo: {last}"


def _generate(content: str, body: dict[str, Any]) -> tuple[list[str], str]:
    """The answer as word-sized pieces (tokens, for the fake) and its finish reason: cut at
    the first stop string, then at the token limit."""
    finish = "stop"
    stop = body.get("stop")
    stops = [stop] if isinstance(stop, str) else (stop or [])
    cuts = [content.find(s) for s in stops if s and s in content]
    if cuts:
        content = content[:min(cuts)]
    pieces = words(content)
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    if limit is not None and len(pieces) > limit:
        pieces, finish = pieces[:limit], "length"
    return pieces, finish


def words(text: str) -> list[str]:
    """`text` in word-sized pieces, each with the whitespace before it; joined, they give
    `text` back."""
    pieces = _WORD.findall(text)
    rest = text[sum(map(len, pieces)):]
    if rest:  # trailing whitespace
        if pieces:
            pieces[-1] += rest
        else:
            pieces = [rest]
    return pieces


def _model(model: str) -> dict[str, Any]:
    return {"id": model, "object": "model", "created": MODEL_CREATED, "owned_by": "rozmova-fake"}


def _event(chunk: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(chunk, ensure_ascii=False,
                                  separators=(",", ":")).encode() + b"\n\n"


# --- JSON Schema instances --------------------------------------------------------------------

_FORMATS = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "time": "00:00:00Z",
            "email": "user@example.com", "uri": "https://example.com",
            "url": "https://example.com", "hostname": "example.com", "ipv4": "192.0.2.1",
            "ipv6": "2001:db8::1", "uuid": "00000000-0000-4000-8000-000000000000",
            "duration": "PT1M"}
_MAX_DEPTH = 40
_OPTIONAL_DEPTH = 3  # optional properties are filled this deep; required ones always


def example(schema: Any) -> Any:
    """A small instance of `schema` (JSON Schema as OpenAI's structured outputs use it): the
    first enum value or const, "example" strings (or a value of the string's format),
    numbers within their bounds, `true`, arrays of one item, objects with their required
    properties (and optional ones near the top). Raises SchemaError when it cannot."""
    return _instance(schema, schema, 0)


def _instance(schema: Any, root: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise SchemaError("the schema nests too deep (a recursion without a way out?)")
    if schema is True or schema == {}:
        return "example"
    if schema is False or not isinstance(schema, dict):
        raise SchemaError("a schema that no value satisfies")
    if "$ref" in schema:
        target = _resolve(root, schema["$ref"])
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return _instance(_merge([target, rest]) if rest else target, root, depth + 1)
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if isinstance(schema.get("allOf"), list):
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        parts = [_resolve(root, p["$ref"]) if isinstance(p, dict) and "$ref" in p else p
                 for p in schema["allOf"]]
        return _instance(_merge([rest, *parts]), root, depth + 1)
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            options = schema[key]
            # A value rather than null when the schema allows both: a more useful example.
            ordered = ([o for o in options if not _is_null(o)]
                       + [o for o in options if _is_null(o)])
            rest = {k: v for k, v in schema.items() if k != key}
            for option in ordered:
                try:
                    return _instance(_merge([rest, option]) if rest else option, root,
                                     depth + 1)
                except SchemaError:
                    continue
            raise SchemaError(f"no option of {key} can be satisfied")
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"] or ["null"]
        kind = kinds[0]
    if kind is None:
        kind = ("object" if "properties" in schema else "array" if "items" in schema
                else "string")
    if kind == "null":
        return None
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return _number(schema, integer=kind == "integer")
    if kind == "string":
        return _string(schema)
    if kind == "array":
        return _array(schema, root, depth)
    if kind == "object":
        return _object(schema, root, depth)
    raise SchemaError(f"unknown type {kind!r}")


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"


def _resolve(root: Any, ref: Any) -> Any:
    if not isinstance(ref, str) or not ref.startswith("#"):
        raise SchemaError(f"only references inside the schema are followed, not {ref!r}")
    node = root
    for token in ref[1:].split("/")[1:] if ref != "#" else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or token not in node:
            raise SchemaError(f"the reference {ref} leads nowhere")
        node = node[token]
    return node


def _merge(schemas: Sequence[Any]) -> dict[str, Any]:
    """allOf's parts in one schema: properties and required lists united, other keywords
    from the last part that has them (good enough for an example, not a full intersection)."""
    merged: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in schemas:
        if part is True:
            continue
        if not isinstance(part, dict):
            raise SchemaError("a schema that no value satisfies")
        for key, value in part.items():
            if key == "properties" and isinstance(value, dict):
                properties.update(value)
            elif key == "required" and isinstance(value, list):
                required += [r for r in value if r not in required]
            else:
                merged[key] = value
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged


def _number(schema: dict[str, Any], *, integer: bool) -> int | float:
    """0 when the bounds allow it, else a value at or just inside them (a multiple of
    `multipleOf` when given)."""
    low, high = schema.get("minimum"), schema.get("maximum")
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    step = schema.get("multipleOf")
    step = step if isinstance(step, (int, float)) and step > 0 else None

    def fits(value: float) -> bool:
        return ((low is None or value >= low) and (high is None or value <= high)
                and (ex_low is None or value > ex_low) and (ex_high is None or value < ex_high)
                and (step is None or math.isclose(value / step, round(value / step))))

    floors = [b for b in (low, ex_low) if isinstance(b, (int, float))]
    ceilings = [b for b in (high, ex_high) if isinstance(b, (int, float))]
    candidates: list[float] = [0]
    for b in floors:
        candidates += [b, b + 1, b + 0.5]
    for b in ceilings:
        candidates += [b, b - 1, b - 0.5]
    if floors and ceilings:
        candidates.append((max(floors) + min(ceilings)) / 2)
    if step is not None:
        candidates += [math.ceil(c / step) * step for c in list(candidates)]
    for value in candidates:
        if integer:
            if not float(value).is_integer():
                continue
            value = int(value)
        if fits(value):
            return value
    raise SchemaError("no number fits the bounds")


def _string(schema: dict[str, Any]) -> str:
    value = _FORMATS.get(schema.get("format", ""), "example")
    least, most = schema.get("minLength"), schema.get("maxLength")
    if isinstance(least, int) and len(value) < least:
        value += "x" * (least - len(value))
    if isinstance(most, int) and len(value) > most:
        if isinstance(least, int) and least > most:
            raise SchemaError("minLength is above maxLength")
        value = value[:most]
    return value


def _array(schema: dict[str, Any], root: Any, depth: int) -> list[Any]:
    least = schema.get("minItems") if isinstance(schema.get("minItems"), int) else 0
    most = schema.get("maxItems") if isinstance(schema.get("maxItems"), int) else None
    count = max(1, least) if most is None else min(max(1, least), most)
    prefix = schema.get("prefixItems") if isinstance(schema.get("prefixItems"), list) else []
    items = schema.get("items", {})
    out = [_instance(p, root, depth + 1) for p in prefix[:count]]
    while len(out) < count:
        out.append(_instance(items, root, depth + 1))
    if schema.get("uniqueItems") and len(out) > 1 and all(isinstance(v, str) for v in out):
        out = [v if i == 0 else f"{v}{i}" for i, v in enumerate(out)]
    return out


def _object(schema: dict[str, Any], root: Any, depth: int) -> dict[str, Any]:
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    required = [r for r in schema.get("required", []) if isinstance(r, str)]
    extra = schema.get("additionalProperties", True)
    out: dict[str, Any] = {}
    for name in required:
        sub = properties.get(name, extra if isinstance(extra, dict) else {})
        out[name] = _instance(sub, root, depth + 1)
    if depth < _OPTIONAL_DEPTH:
        for name, sub in properties.items():
            if name not in out:
                with contextlib.suppress(SchemaError):
                    out[name] = _instance(sub, root, depth + 1)
    return out


def strict_check(schema: Any) -> None:
    """Refuse a schema OpenAI's strict structured outputs refuse: the root must be an object,
    and every object must set `additionalProperties: false` and list each of its properties in
    `required`. Raises SchemaError with where and why."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    if kind != "object":
        raise SchemaError("schema must be a JSON Schema of 'type: \"object\"', got "
                          f"'type: {json.dumps(kind)}'.")
    _strict_walk(schema, ())


def _strict_walk(node: Any, context: tuple[str, ...]) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            _strict_walk(item, (*context, str(index)))
        return
    if not isinstance(node, dict):
        return
    types = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
    if "object" in types or "properties" in node:
        where = f"In context={context}, "
        if node.get("additionalProperties") is not False:
            raise SchemaError(f"{where}'additionalProperties' is required to be supplied and "
                              "to be false.")
        properties = node.get("properties") or {}
        missing = [p for p in properties if p not in (node.get("required") or [])]
        if missing:
            raise SchemaError(f"{where}'required' is required to be supplied and to be an "
                              "array including every key in properties. Missing "
                              f"'{missing[0]}'.")
    for key in ("properties", "$defs", "definitions", "patternProperties"):
        if isinstance(node.get(key), dict):
            for name, sub in node[key].items():
                _strict_walk(sub, (*context, key, name))
    for key in ("items", "anyOf", "oneOf", "allOf", "prefixItems", "not"):
        if key in node:
            _strict_walk(node[key], (*context, key))


# --- serving ----------------------------------------------------------------------------------


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def _config(app: Any, *, access_log: bool) -> uvicorn.Config:
    # log_config=None leaves the process's logging alone (tests capture it); a short graceful
    # shutdown, since a client may keep a scripted slow answer's connection open.
    return uvicorn.Config(app, log_config=None, lifespan="off", access_log=access_log,
                          timeout_graceful_shutdown=2, timeout_keep_alive=5)


async def _serve_forever(host: str, port: int, keys: Sequence[str],
                         stream_delay: float = 0.0) -> None:
    fake = FakeOpenAI(valid_keys=keys or None, stream_delay=stream_delay)
    await fake.start(host, port, access_log=True)
    assert fake._task is not None
    shown = f"[{host}]" if ":" in host else host
    print(f"Fake OpenAI-compatible API at http://{shown}:{fake.port}/v1 "
          f"(keys: {', '.join(keys) if keys else 'any'}; models: "
          f"{', '.join(fake.models)}). Ctrl+C stops it.", flush=True)
    try:
        await fake._task  # uvicorn handles Ctrl+C and ends the task
    finally:
        await fake.stop()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m llm.fake_server",
                                     description="A fake OpenAI-compatible API for local "
                                                 "demos: echoes, schema-valid JSON, streaming.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090, help="0 takes a free port")
    parser.add_argument("--key", action="append", default=[],
                        help="an API key to accept (repeatable); any non-empty key when none")
    parser.add_argument("--stream-delay", type=float, default=0.0, metavar="SECONDS",
                        help="between streamed chunks (one a word), to watch answers arrive")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(args.host, args.port, args.key, args.stream_delay))


if __name__ == "__main__":
    main(sys.argv[1:])
