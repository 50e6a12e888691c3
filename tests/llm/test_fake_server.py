"""The fake OpenAI-compatible server (llm/fake_server.py), driven by the clients the platform
uses against real providers: litellm and the official `openai` package. What they read must
be what OpenAI sends (checked against OpenAI's OpenAPI document in ../shared where it is
present), and every failure a test can script must reach them as a real provider's would:
the exception class, the Retry-After, the timeout, the cut stream.

litellm is imported here only (about 2.5 s and 170 MB), on first use; its own retries are
turned off in every call (`num_retries=0, max_retries=0`), else an error costs up to three
requests and the Retry-After waits between them."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from llm.fake_server import (MAX_BODY_BYTES, FakeOpenAI, Reply, SchemaError, example,
                             strict_check, words)

OPENAPI = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "openai" / "openapi.yaml"
ROOT = Path(__file__).resolve().parents[2]
HELLO = [{"role": "system", "content": "You are terse."},
         {"role": "user", "content": "hello brave new world"}]
NO_RETRIES = {"num_retries": 0, "max_retries": 0}

# A structured-output schema with what scenarios ask for: nested objects, enums, arrays,
# bounds, formats, references and a nullable field; strict, as OpenAI wants it.
ORDER_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "required": ["intent", "items", "customer", "urgent", "note", "total"],
    "properties": {
        "intent": {"type": "string", "enum": ["order", "cancel", "ask"]},
        "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"}},
        "customer": {"type": "object", "additionalProperties": False,
                     "required": ["name", "email", "age"],
                     "properties": {"name": {"type": "string", "minLength": 10},
                                    "email": {"type": "string", "format": "email"},
                                    "age": {"type": "integer", "minimum": 18,
                                            "maximum": 120}}},
        "urgent": {"type": "boolean"},
        "note": {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]},
        "total": {"type": "number", "exclusiveMinimum": 0},
    },
    "$defs": {"item": {"type": "object", "additionalProperties": False,
                       "required": ["sku", "quantity"],
                       "properties": {"sku": {"type": "string"},
                                      "quantity": {"type": "integer", "minimum": 1,
                                                   "multipleOf": 2}}}},
}


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def litellm() -> Any:
    # Before the import: else litellm fetches its price table from the network.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    module = pytest.importorskip("litellm")
    module.suppress_debug_info = True  # no "Give Feedback / Get Help" banner per error
    return module


@pytest.fixture(scope="session")
def openai() -> Any:
    return pytest.importorskip("openai")


@pytest.fixture(scope="module")
async def serving() -> AsyncIterator[FakeOpenAI]:
    # One server for the module (stopping uvicorn takes 0.1-0.2 s), forgotten between tests.
    async with FakeOpenAI() as server:
        yield server


@pytest.fixture
def fake(serving: FakeOpenAI) -> FakeOpenAI:
    serving.reset()
    serving.valid_keys = None
    return serving


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    """OpenAI's component schemas as JSON Schema (the document mixes OpenAPI 3.0's `nullable`
    into 3.1; jsonschema does not know it)."""
    if not OPENAPI.exists():
        pytest.skip(f"{OPENAPI} is absent (../shared/data is not beside this checkout)")
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # 1 s instead of 10 for 3 MB
    with OPENAPI.open(encoding="utf-8") as stream:
        document = yaml.load(stream, Loader=loader)
    return {"components": {"schemas": _nullable(document["components"]["schemas"])}}


def _nullable(node: Any) -> Any:
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def conforms(openapi: dict[str, Any], name: str, instance: Any) -> None:
    schema = {**openapi, "$ref": f"#/components/schemas/{name}"}
    jsonschema.Draft202012Validator(schema).validate(instance)


async def call(litellm: Any, fake: FakeOpenAI, messages: list[dict[str, Any]] | None = None,
               *, model: str = "fake-small", api_key: str = "k", **options: Any) -> Any:
    return await litellm.acompletion(model=f"openai/{model}", api_base=fake.base_url,
                                     api_key=api_key, messages=messages or HELLO,
                                     **{**NO_RETRIES, **options})


async def raw_events(fake: FakeOpenAI, body: dict[str, Any]) -> list[str]:
    """The `data:` payloads of a streamed answer, as sent."""
    async with httpx.AsyncClient(timeout=5) as http:
        answer = await http.post(f"{fake.base_url}/chat/completions", json=body,
                                 headers={"Authorization": "Bearer k"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/event-stream")
    frames = answer.text.split("\n\n")
    assert frames[-1] == ""  # each event ends with a blank line
    assert all(frame.startswith("data: ") for frame in frames[:-1])
    return [frame[len("data: "):] for frame in frames[:-1]]


# --- litellm ----------------------------------------------------------------------------------


async def test_litellm_gets_the_echo_with_usage(litellm: Any, fake: FakeOpenAI) -> None:
    answer = await call(litellm, fake)
    assert answer.choices[0].message.content == "Echo: hello brave new world"
    assert answer.choices[0].finish_reason == "stop"
    characters = len("You are terse.") + len("hello brave new world")
    assert answer.usage.prompt_tokens == math.ceil(characters / 4)
    assert answer.usage.completion_tokens == 5  # "Echo:", " hello", " brave", " new", " world"
    assert answer.usage.total_tokens == answer.usage.prompt_tokens + 5
    assert answer.model.endswith("fake-small")


async def test_litellm_streams_the_words_in_order(litellm: Any, fake: FakeOpenAI) -> None:
    stream = await call(litellm, fake, stream=True, stream_options={"include_usage": True})
    chunks = [chunk async for chunk in stream]
    pieces = [c.choices[0].delta.content for c in chunks
              if c.choices and c.choices[0].delta.content]
    assert pieces == ["Echo:", " hello", " brave", " new", " world"]
    assert [c.choices[0].finish_reason for c in chunks if c.choices and
            c.choices[0].finish_reason] == ["stop"]
    usage = [c.usage for c in chunks if getattr(c, "usage", None)]
    assert usage and usage[-1].completion_tokens == 5
    assert usage[-1].prompt_tokens == math.ceil(35 / 4)
    # litellm puts the stream back together the way a caller of its helper would
    rebuilt = litellm.stream_chunk_builder(chunks, messages=HELLO)
    assert rebuilt.choices[0].message.content == "Echo: hello brave new world"


async def test_what_is_streamed_on_the_wire(fake: FakeOpenAI) -> None:
    events = await raw_events(fake, {"model": "fake-small", "messages": HELLO, "stream": True,
                                     "stream_options": {"include_usage": True}})
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks
                   if c["choices"]) == "Echo: hello brave new world"
    assert chunks[-2]["choices"][0] == {"index": 0, "delta": {}, "logprobs": None,
                                        "finish_reason": "stop"}
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] == 9 + 5
    assert all(c["usage"] is None for c in chunks[:-1])
    assert len({c["id"] for c in chunks}) == 1
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    # without include_usage: no usage key at all, as OpenAI streams
    plain = await raw_events(fake, {"model": "m", "messages": HELLO, "stream": True})
    assert all("usage" not in json.loads(e) for e in plain[:-1])


async def test_scripts_are_answered_in_order_per_model(litellm: Any, fake: FakeOpenAI) -> None:
    fake.script("fake-large", [Reply(text="large one"), Reply(json={"n": 2})])
    fake.script(None, Reply(text="any model"))
    small = await call(litellm, fake)
    large = [await call(litellm, fake, model="fake-large") for _ in range(3)]
    assert small.choices[0].message.content == "any model"
    assert [a.choices[0].message.content for a in large] == [
        "large one", '{"n": 2}', "Echo: hello brave new world"]
    assert fake.pending("fake-large") == fake.pending() == 0


async def test_requests_are_recorded_without_the_key(litellm: Any, fake: FakeOpenAI) -> None:
    await litellm.acompletion(model="openai/fake-small", api_base=fake.base_url,
                              api_key="sk-secret-value", messages=HELLO, temperature=0.2,
                              max_tokens=50, seed=7, **NO_RETRIES)
    [received] = fake.requests
    assert (received.method, received.path, received.status) == (
        "POST", "/v1/chat/completions", 200)
    assert received.model == "fake-small"
    assert received.body["messages"] == HELLO
    assert (received.body["temperature"], received.body["max_tokens"]) == (0.2, 50)
    assert received.body["seed"] == 7
    assert received.headers["authorization"] == "Bearer ***"
    assert received.headers["content-type"] == "application/json"
    assert "sk-secret-value" not in json.dumps(received.headers)


# --- structured answers -----------------------------------------------------------------------


async def test_json_schema_answers_are_valid_against_the_schema(litellm: Any,
                                                                fake: FakeOpenAI) -> None:
    form = {"type": "json_schema",
            "json_schema": {"name": "order", "schema": ORDER_SCHEMA, "strict": True}}
    answer = await call(litellm, fake, response_format=form)
    document = json.loads(answer.choices[0].message.content)
    jsonschema.Draft202012Validator(ORDER_SCHEMA,
                                    format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["intent"] == "order" and document["urgent"] is True
    assert fake.requests[0].body["response_format"] == form  # litellm passes it as it is


async def test_json_object_mode(litellm: Any, fake: FakeOpenAI) -> None:
    ask = [{"role": "user", "content": "Answer in JSON: hi"}]
    answer = await call(litellm, fake, ask, response_format={"type": "json_object"})
    assert json.loads(answer.choices[0].message.content) == {"answer": "Echo: Answer in JSON: hi"}
    # OpenAI refuses JSON mode when no message mentions JSON; so does the fake
    with pytest.raises(litellm.BadRequestError, match="must contain the word 'json'"):
        await call(litellm, fake, response_format={"type": "json_object"})


async def test_a_scripted_reply_can_break_the_json(litellm: Any, fake: FakeOpenAI) -> None:
    fake.script(None, Reply(text="not json"))
    form = {"type": "json_schema",
            "json_schema": {"name": "order", "schema": ORDER_SCHEMA, "strict": True}}
    answer = await call(litellm, fake, response_format=form)
    assert answer.choices[0].message.content == "not json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.choices[0].message.content)


async def test_a_strict_schema_openai_refuses_is_refused(litellm: Any, fake: FakeOpenAI) -> None:
    loose = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    form = {"type": "json_schema", "json_schema": {"name": "loose", "schema": loose,
                                                   "strict": True}}
    with pytest.raises(litellm.BadRequestError, match="additionalProperties"):
        await call(litellm, fake, response_format=form)
    form["json_schema"]["strict"] = False  # not strict: accepted as it is
    answer = await call(litellm, fake, response_format=form)
    assert json.loads(answer.choices[0].message.content) == {"a": "example"}


@pytest.mark.parametrize("schema", [
    {"type": "object", "properties": {}},
    {"type": "array", "items": {"type": "integer", "minimum": 5, "maximum": 5}},
    {"type": "array", "minItems": 3, "uniqueItems": True, "items": {"type": "string"}},
    {"type": ["null", "string"], "minLength": 12},
    {"const": {"fixed": [1, 2]}},
    {"type": "number", "minimum": -3.5, "maximum": -1.25},
    {"type": "integer", "exclusiveMinimum": 7, "multipleOf": 5},
    {"allOf": [{"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
               {"properties": {"b": {"type": "string", "format": "uuid"}}, "required": ["b"]}]},
    {"oneOf": [{"type": "null"}, {"type": "object", "required": ["x"],
                                  "properties": {"x": {"enum": [3, 4]}}}]},
    {"type": "object", "required": ["tree"], "properties": {"tree": {"$ref": "#/$defs/node"}},
     "$defs": {"node": {"type": "object", "required": ["label"],
                        "properties": {"label": {"type": "string"},
                                       "children": {"type": "array",
                                                    "items": {"$ref": "#/$defs/node"}}}}}},
    {"type": "object", "required": ["extra"], "additionalProperties": {"type": "boolean"}},
    {"type": "string", "format": "date-time"},
])
def test_example_satisfies_the_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker()).validate(example(schema))


@pytest.mark.parametrize("schema", [
    False,
    {"type": "integer", "minimum": 3, "maximum": 2},
    {"type": "object", "required": ["me"], "properties": {"me": {"$ref": "#"}}},
    {"$ref": "#/$defs/missing"},
])
def test_example_says_when_no_value_fits(schema: Any) -> None:
    with pytest.raises(SchemaError):
        example(schema)


def test_strict_check_names_the_place() -> None:
    strict_check(ORDER_SCHEMA)
    bad = json.loads(json.dumps(ORDER_SCHEMA))
    bad["$defs"]["item"]["required"] = ["sku"]
    with pytest.raises(SchemaError, match=r"\$defs', 'item'.*Missing 'quantity'"):
        strict_check(bad)
    with pytest.raises(SchemaError, match="type"):
        strict_check({"type": "array", "items": {}})


# --- failures ---------------------------------------------------------------------------------


async def test_an_unknown_key_is_an_authentication_error(litellm: Any) -> None:
    async with FakeOpenAI(valid_keys={"good-key"}) as fake:
        with pytest.raises(litellm.AuthenticationError) as raised:
            await call(litellm, fake)
        assert raised.value.status_code == 401
        answer = await call(litellm, fake, api_key="good-key")
        assert answer.choices[0].message.content.startswith("Echo:")
        assert [r.status for r in fake.requests] == [401, 200]
        async with httpx.AsyncClient() as http:
            missing = await http.post(f"{fake.base_url}/chat/completions", json={})
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "invalid_api_key"
    assert missing.json()["error"]["type"] == "invalid_request_error"
    assert missing.json()["error"]["param"] is None


async def test_rate_limit_carries_retry_after(litellm: Any, fake: FakeOpenAI) -> None:
    fake.script(None, [Reply(status=429, retry_after=3)] * 2)
    with pytest.raises(litellm.RateLimitError) as raised:
        await call(litellm, fake)
    assert raised.value.status_code == 429
    assert raised.value.response.headers["retry-after"] == "3"
    assert len(fake.requests) == 1 and fake.pending() == 1  # retries off: asked once


async def test_server_error(litellm: Any, fake: FakeOpenAI) -> None:
    fake.script(None, [Reply(status=500), Reply(status=500)])
    with pytest.raises(litellm.InternalServerError):
        await call(litellm, fake)
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{fake.base_url}/chat/completions",
                                 json={"model": "m", "messages": HELLO},
                                 headers={"Authorization": "Bearer k"})
    assert answer.status_code == 500
    assert answer.json() == {"error": {"message": "The server had an error",
                                       "type": "server_error", "param": None, "code": None}}


async def test_a_slow_reply_meets_the_client_timeout(litellm: Any, fake: FakeOpenAI) -> None:
    fake.script(None, Reply(delay=5))
    started = time.perf_counter()
    with pytest.raises(litellm.Timeout):
        await call(litellm, fake, timeout=0.3)
    assert time.perf_counter() - started < 4  # well before the 5 s delay (slack for load)
    for _ in range(100):  # the fake notices the client leaving and answers no one
        if fake.requests[0].gone:
            break
        await asyncio.sleep(0.01)
    assert fake.requests[0].gone and fake.requests[0].status is None
    # the delay alone is not an error: a patient client gets the answer
    fake.script(None, Reply(delay=0.2, text="late"))
    answer = await call(litellm, fake, timeout=3)
    assert answer.choices[0].message.content == "late"


async def test_a_dropped_stream(litellm: Any, fake: FakeOpenAI,
                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    fake.script(None, Reply(text="one two three four five", drop_after=3))
    stream = await call(litellm, fake, stream=True)
    arrived: list[str] = []
    with pytest.raises(Exception) as raised:  # noqa: PT011 (which class: asserted below)
        async for chunk in stream:
            arrived.append(chunk.choices[0].delta.content or "")
    # three chunks went out (the role, "one", " two"); litellm reports the cut connection as
    # a mid-stream failure, a ServiceUnavailableError (503) for its fallbacks
    assert "".join(arrived) == "one two"
    assert isinstance(raised.value, (litellm.ServiceUnavailableError,
                                     litellm.APIConnectionError))
    # on the wire: the chunks before the drop, no [DONE], and a broken chunked body
    fake.script(None, Reply(text="one two three four five", drop_after=2))
    async with httpx.AsyncClient(timeout=5) as http:
        async with http.stream("POST", f"{fake.base_url}/chat/completions",
                               json={"model": "m", "messages": HELLO, "stream": True},
                               headers={"Authorization": "Bearer k"}) as answer:
            received = b""
            with pytest.raises(httpx.RemoteProtocolError):
                async for data in answer.aiter_bytes():
                    received += data
    events = [e for e in received.decode().split("\n\n") if e]
    assert len(events) == 2 and b"[DONE]" not in received
    assert json.loads(events[1][len("data: "):])["choices"][0]["delta"]["content"] == "one"
    # the fake closed the connection itself: uvicorn logs no application error for it
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_stream_delay_paces_the_chunks(litellm: Any, fake: FakeOpenAI) -> None:
    fake.script(None, [Reply(text="a b c", stream_delay=0.1), Reply(text="a b c",
                                                                   stream_delay=1)])
    started = time.perf_counter()
    chunks = [c async for c in await call(litellm, fake, stream=True)]
    assert 0.4 <= time.perf_counter() - started < 5  # 5 gaps of 0.1 s between 6 events
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "a b c"
    # a gap longer than the client's timeout ends the stream with litellm.Timeout
    with pytest.raises(litellm.Timeout):
        async for _ in await call(litellm, fake, stream=True, timeout=0.3):
            pass


async def test_max_tokens_and_stop_cut_the_answer(litellm: Any, fake: FakeOpenAI) -> None:
    answer = await call(litellm, fake, max_tokens=2)
    assert answer.choices[0].message.content == "Echo: hello"
    assert answer.choices[0].finish_reason == "length"
    assert answer.usage.completion_tokens == 2
    stream = await call(litellm, fake, stream=True, max_tokens=3)
    chunks = [c async for c in stream]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == (
        "Echo: hello brave")
    assert [c.choices[0].finish_reason for c in chunks
            if c.choices and c.choices[0].finish_reason] == ["length"]
    stopped = await call(litellm, fake, stop=[" new", "zzz"])
    assert stopped.choices[0].message.content == "Echo: hello brave"
    assert stopped.choices[0].finish_reason == "stop"


# --- the official client ----------------------------------------------------------------------


async def test_the_openai_client(openai: Any, fake: FakeOpenAI) -> None:
    # Strict validation: the client checks every answer against its own types.
    client = openai.AsyncOpenAI(base_url=fake.base_url, api_key="k", max_retries=0,
                                _strict_response_validation=True)
    try:
        answer = await client.chat.completions.create(model="fake-small", messages=HELLO,
                                                      max_completion_tokens=4)
        assert answer.choices[0].message.content == "Echo: hello brave new"
        assert answer.choices[0].finish_reason == "length"
        assert answer.usage is not None and answer.usage.completion_tokens == 4
        stream = await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": [
                {"type": "text", "text": "two"}, {"type": "text", "text": "parts"}]}],
            stream=True, stream_options={"include_usage": True})
        chunks = [chunk async for chunk in stream]
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == (
            "Echo: two parts")
        assert chunks[-1].usage is not None and chunks[-1].usage.prompt_tokens == 3  # "two parts"
        models = [m.id async for m in client.models.list()]
        assert models == ["fake-small", "fake-large", "gpt-4o-mini"]
        fake.script(None, Reply(status=429))
        with pytest.raises(openai.RateLimitError):
            await client.chat.completions.create(model="fake-small", messages=HELLO)
        with pytest.raises(openai.BadRequestError) as refused:
            await client.chat.completions.create(model="fake-small", messages=[])
        assert refused.value.code == "empty_array" and refused.value.param == "messages"
    finally:
        await client.close()


# --- OpenAI's document ------------------------------------------------------------------------


@pytest.mark.shared_data
async def test_answers_conform_to_openais_document(openapi: dict[str, Any], litellm: Any,
                                                  fake: FakeOpenAI) -> None:
    headers = {"Authorization": "Bearer k"}
    async with httpx.AsyncClient(timeout=5) as http:
        answer = await http.post(f"{fake.base_url}/chat/completions", headers=headers,
                                 json={"model": "fake-small", "messages": HELLO, "n": 2})
        conforms(openapi, "CreateChatCompletionResponse", answer.json())
        assert [c["index"] for c in answer.json()["choices"]] == [0, 1]
        models = await http.get(f"{fake.base_url}/models", headers=headers)
        conforms(openapi, "ListModelsResponse", models.json())
        for body in ({"model": "m"}, {"model": "m", "messages": HELLO, "temprature": 1},
                     {"model": "m", "messages": [{"role": "robot", "content": "x"}]},
                     {"model": "m", "messages": HELLO, "max_tokens": "5"},
                     {"model": "m", "messages": HELLO, "stream_options": {}}):
            refused = await http.post(f"{fake.base_url}/chat/completions", headers=headers,
                                      json=body)
            assert refused.status_code == 400, body
            conforms(openapi, "ErrorResponse", refused.json())
        fake.script(None, Reply(status=429))
        limited = await http.post(f"{fake.base_url}/chat/completions", headers=headers,
                                  json={"model": "m", "messages": HELLO})
        conforms(openapi, "ErrorResponse", limited.json())
    events = await raw_events(fake, {"model": "fake-small", "messages": HELLO, "stream": True,
                                     "stream_options": {"include_usage": True}})
    for event in events[:-1]:
        conforms(openapi, "CreateChatCompletionStreamResponse", json.loads(event))
    # and what litellm sends is a request OpenAI's document accepts
    await call(litellm, fake, stream=True, max_tokens=5, temperature=0.5, stop=["x"],
               response_format={"type": "json_schema", "json_schema": {
                   "name": "order", "schema": ORDER_SCHEMA, "strict": True}})
    conforms(openapi, "CreateChatCompletionRequest", fake.requests[-1].body)


# --- limits and lifecycle ---------------------------------------------------------------------


async def test_a_body_over_a_megabyte_is_refused(fake: FakeOpenAI) -> None:
    big = {"model": "m", "messages": [{"role": "user", "content": "x" * MAX_BODY_BYTES}]}
    async with httpx.AsyncClient(timeout=5) as http:
        answer = await http.post(f"{fake.base_url}/chat/completions", json=big,
                                 headers={"Authorization": "Bearer k"})

        async def chunked() -> Any:  # no Content-Length to check first
            for _ in range(5):
                yield b" " * (MAX_BODY_BYTES // 4)

        streamed = await http.post(f"{fake.base_url}/chat/completions", content=chunked(),
                                   headers={"Authorization": "Bearer k"})
    assert answer.status_code == streamed.status_code == 413
    assert answer.json()["error"]["code"] == "request_too_large"


async def test_stopping_does_not_wait_for_a_scripted_delay(litellm: Any) -> None:
    fake = FakeOpenAI()
    await fake.start()
    fake.script(None, Reply(delay=60))
    pending = asyncio.create_task(call(litellm, fake, timeout=30))
    while not fake.requests:
        await asyncio.sleep(0.01)
    started = time.perf_counter()
    await fake.stop()
    assert time.perf_counter() - started < 1.5  # not uvicorn's 2 s graceful timeout, nor 60 s
    await asyncio.wait_for(asyncio.gather(pending, return_exceptions=True), 5)


def test_words_give_the_text_back() -> None:
    for text in ("", "  ", "one", " lead and trail  ", "a\nb\t c", '{"a": [1, 2]}'):
        assert "".join(words(text)) == text


def test_the_demo_server_runs_from_the_shell() -> None:
    process = subprocess.Popen([sys.executable, "-m", "llm.fake_server", "--port", "0",
                                "--key", "demo"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "http://127.0.0.1:" in line and line.split()[4].endswith("/v1")
        base_url = line.split()[4]
        answer = httpx.post(f"{base_url}/chat/completions", timeout=5,
                            headers={"Authorization": "Bearer demo"},
                            json={"model": "fake-small", "messages": HELLO})
        assert answer.json()["choices"][0]["message"]["content"] == "Echo: hello brave new world"
        assert httpx.get(f"{base_url}/models", timeout=5).status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=5)
        if process.stdout is not None:
            process.stdout.close()
