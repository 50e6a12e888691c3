"""Throughput of the pure orchestrator engine on one core, for blocks that do no I/O.

Two scenarios: a long chain (message → condition → set_variable, repeated) and a counted loop
(message → set_variable → condition back to the message) ending at an input block. Each turn
is a `start` event run by `Engine.run_turn`; the figure is blocks run per second of turn time,
with per-turn p50/p99. Reproduce with:

    .venv/bin/python bench/engine.py            # add --profile for a cProfile of the hot path
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orchestrator.contract import InboundEvent, TurnContext  # noqa: E402
from orchestrator.engine import Engine, compile_document  # noqa: E402

TARGET = 100_000
TEXT = {"en": "Step {{ n }} for {{ name }}", "uk": "Крок {{ n }} для {{ name }}"}
VARIABLES = [{"name": "n", "type": "number", "default": 0},
             {"name": "name", "type": "string", "default": "Ann"}]
ASK = {"id": "ask", "type": "input", "settings": {
    "kind": "text", "prompt": {"en": "Anything else?", "uk": "Щось іще?"}, "variable": "name"}}


def chain(triples: int) -> dict:
    blocks, edges = [], []
    for i in range(triples):
        blocks += [
            {"id": f"m{i}", "type": "message", "settings": {"text": TEXT}},
            {"id": f"c{i}", "type": "condition", "settings": {"when": [
                {"left": {"var": "n"}, "op": "less", "right": {"value": 10**9}}]}},
            {"id": f"s{i}", "type": "set_variable",
             "settings": {"variable": "n", "expression": "n + 1"}},
        ]
        edges += [{"source": f"m{i}", "port": "next", "target": f"c{i}"},
                  {"source": f"c{i}", "port": "true", "target": f"s{i}"},
                  {"source": f"c{i}", "port": "false", "target": "ask"},
                  {"source": f"s{i}", "port": "next",
                   "target": f"m{i + 1}" if i + 1 < triples else "ask"}]
    blocks.append(ASK)
    return {"schema_version": 2, "entry": {"start": "m0"}, "variables": VARIABLES,
            "blocks": blocks, "edges": edges}


def loop(rounds: int) -> dict:
    blocks = [
        {"id": "m", "type": "message", "settings": {"text": TEXT}},
        {"id": "s", "type": "set_variable", "settings": {"variable": "n", "value": 1}},
        {"id": "inc", "type": "set_variable",
         "settings": {"variable": "n", "expression": "n + 1"}},
        {"id": "c", "type": "condition", "settings": {"when": [
            {"left": {"var": "n"}, "op": "less", "right": {"value": rounds}}]}},
        ASK,
    ]
    edges = [{"source": "m", "port": "next", "target": "inc"},
             {"source": "inc", "port": "next", "target": "c"},
             {"source": "c", "port": "true", "target": "m"},
             {"source": "c", "port": "false", "target": "ask"}]
    return {"schema_version": 2, "entry": {"start": "m"}, "variables": VARIABLES,
            "blocks": blocks, "edges": edges}


def measure(name: str, doc: dict, turns: int, *, validate: bool) -> float:
    compiled = compile_document(doc, version_id=uuid.uuid4(), name=name, languages=["uk", "en"],
                                default_language="en", validate=validate)
    engine = Engine(max_steps_per_turn=10_000)
    scenarios = {compiled.version_id: compiled}
    context = TurnContext(conversation_id=uuid.uuid4(), bot_id=uuid.uuid4(),
                          now=datetime(2025, 1, 1, tzinfo=UTC), default_language="en",
                          languages=["en", "uk"])
    state = engine.start_state(compiled, "uk")
    event = InboundEvent(kind="start")
    for _ in range(max(3, turns // 10)):  # warm up
        engine.run_turn(scenarios, state, event, context)
    durations: list[int] = []
    blocks = 0
    for _ in range(turns):
        started = time.perf_counter_ns()
        result = engine.run_turn(scenarios, state, event, context)
        durations.append(time.perf_counter_ns() - started)
        blocks += len(result.trace)
        assert not result.errors, result.errors
    total = sum(durations) / 1e9
    per_turn = sorted(durations)
    rate = blocks / total
    p99 = per_turn[min(len(per_turn) - 1, int(len(per_turn) * 0.99))] / 1e3
    print(f"{name:<34} {blocks / turns:>6.0f} blocks/turn  {rate:>10,.0f} blocks/s  "
          f"{1e6 / rate:>5.2f} µs/block  p50 {statistics.median(per_turn) / 1e3:>8.1f} µs/turn  "
          f"p99 {p99:>8.1f} µs/turn")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, one core, target ≥ {TARGET:,} blocks/s")
    runs = [
        ("chain (message/condition/set) x300", chain(100), args.turns, True),
        ("chain (message/condition/set) x30", chain(10), args.turns * 10, True),
        # The loop has no input on it, which validation refuses; it is bounded by its counter.
        ("loop of 3 blocks x100 rounds", loop(100), args.turns, False),
    ]
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
    rates = [measure(*run[:3], validate=run[3]) for run in runs]
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
    worst = min(rates)
    verdict = "meets" if worst >= TARGET else "BELOW"
    print(f"slowest: {worst:,.0f} blocks/s — {verdict} the target of {TARGET:,}")
    print("reproduce: .venv/bin/python bench/engine.py")


if __name__ == "__main__":
    main()
