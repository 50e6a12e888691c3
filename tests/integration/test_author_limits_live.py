"""One author cannot stall every tenant: a published scenario carrying the payloads of the
security review runs in one conversation, against uvicorn on a real socket, while another
conversation keeps answering at its normal pace. Each payload ends in the scenario's error
handler with the reason (never a 500), and the turn's trace records it."""

from __future__ import annotations

import asyncio
import time

from core.security import Role
from tests.integration.test_chat_api import bot_with, echo_document, start, texts

# The review's payloads, as set_variable expressions (each would be accepted when saved: their
# size is only known when they run).
EXPRESSIONS = [
    "'%0999999999d' % 1",                       # 14 s and 4 GB before
    "(10**12)**100",                            # the start of the chained squares
    "'a' * 10**9",
    "2 ** 10**9",
    "10**12 ** 100",
    "str(" + " * ".join(["10**250"] * 18) + ")",  # 4,500 digits: a 500 before
    "1e308 * 10",
    "'%(a)999999999s' % o",
]
SQUARES = 13  # x = x * x, thirteen times, from 10**20
LONG = 4000   # characters of the catastrophic-regex input (28 stalled 4.5 s before)
BOUND = 1.0   # seconds: the other conversation's every turn answers within this (or within
              # three times its slowest turn before the payloads, on a machine that slow)


def attack_document() -> dict:
    text = lambda s: {"uk": s, "en": s}  # noqa: E731
    blocks: list[dict] = [
        {"id": "q", "type": "input", "settings": {
            "kind": "text", "variable": "answer", "prompt": text("Which?")}},
        {"id": "ok", "type": "message", "settings": {"text": text("survived {{ x }}")}},
        {"id": "back", "type": "jump", "settings": {"block": "q"}},
        {"id": "oops", "type": "message", "settings": {"text": text("Sorry: {{ error_message }}")}},
        # The input pattern and the `matches` of the review.
        {"id": "qp", "type": "input", "settings": {
            "kind": "text", "variable": "answer", "prompt": text("Pattern?"),
            "pattern": "(a+)+"}},
        {"id": "qm", "type": "input", "settings": {
            "kind": "text", "variable": "answer", "prompt": text("Matches?")}},
        {"id": "m", "type": "condition", "settings": {"when": [
            {"left": {"var": "answer"}, "op": "matches", "right": {"value": "^(a+)+$"}}]}},
        {"id": "seed", "type": "set_variable", "settings": {"variable": "x", "expression": "10**20"}},
    ]
    edges = [("ok", "next", "back"), ("oops", "next", "q"), ("qp", "next", "ok"),
             ("qp", "invalid", "ok"), ("qm", "next", "m"), ("m", "true", "ok"),
             ("m", "false", "ok")]
    routes = [(f"p{i}", expression) for i, expression in enumerate(EXPRESSIONS)]
    for name, expression in routes:
        blocks.append({"id": name, "type": "set_variable",
                       "settings": {"variable": "x", "expression": expression}})
        edges.append((name, "next", "ok"))
    for i in range(SQUARES):
        blocks.append({"id": f"sq{i}", "type": "set_variable",
                       "settings": {"variable": "x", "expression": "x * x"}})
        edges.append((f"sq{i}", "next", f"sq{i + 1}" if i + 1 < SQUARES else "ok"))
    edges.append(("seed", "next", "sq0"))
    targets = [name for name, _ in routes] + ["seed", "qp", "qm"]
    edges.append(("q", "next", "r0"))
    for i, target in enumerate(targets):
        blocks.append({"id": f"r{i}", "type": "condition", "settings": {"when": [
            {"left": {"var": "answer"}, "op": "equals", "right": {"value": target}}]}})
        edges.append((f"r{i}", "true", target))
        edges.append((f"r{i}", "false", f"r{i + 1}" if i + 1 < len(targets) else "ok"))
    return {
        "schema_version": 2, "entry": {"start": "q", "events": {"error": "oops"}},
        "variables": [{"name": "answer", "type": "string"}, {"name": "x", "type": "any"},
                      {"name": "o", "type": "object", "default": {"a": "x"}},
                      {"name": "error_message", "type": "string"}],
        "blocks": blocks,
        "edges": [{"source": s, "port": p, "target": t} for s, p, t in edges],
    }


async def test_payloads_fail_into_the_handler_while_others_keep_their_pace(  # type: ignore[no-untyped-def]
        live_client, make_actor) -> None:
    owner = await make_actor(Role.owner)
    _, _, attack_headers = await bot_with(live_client, owner, attack_document())
    _, _, calm_headers = await bot_with(live_client, owner, echo_document())
    _, attacker = await start(live_client, attack_headers, language="en")
    first, calm = await start(live_client, calm_headers, language="en")
    assert texts(first) == ["Say"]

    answers: dict[str, list[str]] = {}
    done = asyncio.Event()

    async def attack() -> None:
        try:
            for name in [f"p{i}" for i in range(len(EXPRESSIONS))] + ["seed"]:
                answers[name] = texts(await attacker.send(text=name))
            answers["qp"] = texts(await attacker.send(text="qp"))
            answers["qp-long"] = texts(await attacker.send(text="a" * LONG + "!"))
            answers["qp-short"] = texts(await attacker.send(text="a" * 28 + "!"))
            answers["qp-fits"] = texts(await attacker.send(text="aaaa"))
            for size in (28, LONG):
                await attacker.send(text="qm")
                answers[f"qm-{size}"] = texts(await attacker.send(text="a" * size + "!"))
        finally:
            done.set()

    latencies: list[float] = []
    said = 0

    async def chat_calmly(turns: int = 5) -> None:
        nonlocal said
        for _ in range(10_000):
            if done.is_set() and turns <= 0:
                break
            turns -= 1
            said += 1
            started = time.perf_counter()
            answer = await calm.send(text=f"hello {said}")
            latencies.append(time.perf_counter() - started)
            assert texts(answer) == [f"echo: hello {said}", "Say"]

    done.set()
    await chat_calmly()  # the pace before any payload runs
    bound = max(BOUND, 3 * max(latencies))
    done.clear()
    latencies.clear()
    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(attack(), chat_calmly()), 60)
    elapsed = time.perf_counter() - started

    assert max(latencies) < bound, (bound, latencies)
    assert elapsed < 30
    for i in range(len(EXPRESSIONS)):
        said = answers[f"p{i}"]
        assert said[0].startswith(f"Sorry: block 'p{i}' (set_variable) failed: the expression"), said
        assert said[-1] == "Which?"
    assert answers["seed"][0].startswith("Sorry: block 'sq3' (set_variable) failed"), answers["seed"]
    assert "300 digits" in answers["seed"][0]
    assert answers["qp"] == ["Pattern?"]
    assert answers["qp-long"][-1] == "Pattern?" and answers["qp-short"][-1] == "Pattern?"
    assert answers["qp-fits"][0].startswith("survived"), answers["qp-fits"]
    assert answers["qm-28"][0].startswith("survived") and answers[f"qm-{LONG}"][0].startswith(
        "survived")

    turns = (await live_client.get(f"/api/v1/conversations/{attacker.id}/trace",
                                   headers=owner.headers)).json()["items"]
    failed = [step for turn in turns for step in turn["trace"] if step.get("error")]
    assert {step["block_id"] for step in failed} >= {f"p{i}" for i in range(len(EXPRESSIONS))}
    assert all(step["error"] for step in failed)
