"""Costs of the JavaScript sandbox (modules.sandbox).

Figures: the warm path of a trivial run for one caller (p50/p99, split into the time in the
worker and the rest: pipes, process wake-ups, asyncio, encoding), the cost of the fresh
runtime each run gets (made off the run's path), the syntax check, and runs per second with
100 concurrent callers; the same for a run with a 20-field JSON input. Reproduce with:

    .venv/bin/python bench/sandbox.py                  # --runs N, --workers N

``--engine-probe`` runs the hostile cases of the engine comparison in docs/sandbox.md against
whichever ``quickjs`` module is importable, each case in its own process:

    PYTHONPATH=/tmp/quickjs-1.19.4 .venv/bin/python bench/sandbox.py --engine-probe
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from modules.sandbox import Sandbox, ScriptLimits
from modules.sandbox.worker import load_script

TRIVIAL = "return 1"
FIELDS = {f"field{i}": (f"value number {i}" if i % 2 else i * 1.5) for i in range(20)}
TWENTY = "return {n: Object.keys(order).length, first: order.field1, sum: order.field0 + order.field2}"


def percentiles(samples_us: list[float]) -> str:
    ordered = sorted(samples_us)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {p50:7.1f} µs   p99 {p99:7.1f} µs"


async def one_caller(box: Sandbox, source: str, params: dict, runs: int, pause: float) -> None:
    """Runs one after another from one caller, ``pause`` seconds apart (0: back to back, each
    run then also waits for the worker to make the fresh runtime the previous one used)."""
    for _ in range(200):
        await box.run(source, params)
    total, inside = [], []
    for _ in range(runs):
        if pause:
            await asyncio.sleep(pause)
        started = time.perf_counter()
        outcome = await box.run(source, params)
        total.append((time.perf_counter() - started) * 1e6)
        inside.append(outcome.duration_ms * 1000)
        assert outcome.ok, outcome.error
    rest = [t - i for t, i in zip(total, inside, strict=True)]
    label = f"{pause * 1000:g} ms apart" if pause else "back to back"
    print(f"  {label}:")
    print(f"    round trip          {percentiles(total)}")
    print(f"    in the worker       {percentiles(inside)}   (compile, run, convert)")
    print(f"    the rest            {percentiles(rest)}   (pipes, wake-ups, asyncio, JSON,"
          " waiting for a fresh runtime)")


def _workers_cpu(box: Sandbox) -> float:
    import psutil

    total = 0.0
    for pid in box.worker_pids():
        times = psutil.Process(pid).cpu_times()
        total += times.user + times.system
    return total


async def many_callers(box: Sandbox, source: str, params: dict, callers: int, runs: int) -> None:
    per_caller = max(1, runs // callers)

    async def caller() -> None:
        for _ in range(per_caller):
            outcome = await box.run(source, params)
            assert outcome.ok, outcome.error

    cpu, workers_cpu = os.times(), _workers_cpu(box)
    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    elapsed = time.perf_counter() - started
    after, workers_after = os.times(), _workers_cpu(box)
    done = per_caller * callers
    parent = (after.user - cpu.user + after.system - cpu.system) / done * 1e6
    workers = (workers_after - workers_cpu) / done * 1e6
    print(f"  {callers} callers, {box.workers} workers: {done / elapsed:8.0f} runs/s "
          f"({done} runs in {elapsed:.2f} s; CPU per run: parent {parent:.0f} µs, "
          f"workers {workers:.0f} µs)")


def fresh_runtime(runs: int) -> None:
    import _quickjs

    prelude = load_script("prelude.js")
    parts = [load_script(name) for name in ("console.js", "result.js", "describe.js")]
    bare, full, freed = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        context = _quickjs.Context()
        bare.append((time.perf_counter() - started) * 1e6)
        started = time.perf_counter()
        context = _quickjs.Context()
        context.eval(prelude)("init", *parts)
        full.append((time.perf_counter() - started) * 1e6)
        started = time.perf_counter()
        del context
        freed.append((time.perf_counter() - started) * 1e6)
    print(f"  new runtime           {percentiles(bare)}")
    print(f"  new runtime + driver  {percentiles(full)}   (made between runs, off the path)")
    print(f"  freeing one           {percentiles(freed)}")


def syntax_check(box: Sandbox, runs: int) -> None:
    samples = []
    source = "const total = price * qty;\nif (total > 100) { return {total, discount: 0.1} }\nreturn {total}"
    for _ in range(runs):
        started = time.perf_counter()
        assert box.check(source, ["price", "qty"]) is None
        samples.append((time.perf_counter() - started) * 1e6)
    print(f"  check (3 lines)       {percentiles(samples)}")


async def bench(runs: int, workers: int) -> None:
    box = Sandbox(workers=workers, default_limits=ScriptLimits())
    try:
        started = time.perf_counter()
        await box.start()
        print(f"start {workers} workers: {(time.perf_counter() - started) * 1000:.0f} ms")
        print("trivial run (`return 1`), one caller:")
        await one_caller(box, TRIVIAL, {}, runs, 0.001)
        await one_caller(box, TRIVIAL, {}, runs, 0)
        print("20-field JSON input, one caller:")
        await one_caller(box, TWENTY, {"order": FIELDS}, runs, 0.001)
        await one_caller(box, TWENTY, {"order": FIELDS}, runs, 0)
        print("throughput:")
        await many_callers(box, TRIVIAL, {}, 100, runs * 2)
        await many_callers(box, TWENTY, {"order": FIELDS}, 100, runs * 2)
        print("in-process:")
        fresh_runtime(min(runs, 2000))
        syntax_check(box, min(runs, 2000))
    finally:
        await box.close()


PROBE = r"""
import sys, time, quickjs
code = sys.argv[1]
ctx = quickjs.Context()
ctx.set_time_limit(0.5)
ctx.set_memory_limit(16 * 2**20)
ctx.set_max_stack_size(256 * 2**10)
started = time.perf_counter()
try:
    value = ctx.eval(code)
    if isinstance(value, quickjs.Object):
        value = value.json()
    result = "value " + repr(value)[:40]
except Exception as failed:
    result = (type(failed).__name__ + ": " + str(failed).splitlines()[0])[:60]
print(f"{(time.perf_counter() - started) * 1000:8.0f} ms  {result}")
"""

CASES = [
    ("infinite loop", "while (true) {}"),
    ("loop in try/finally", "try { while (true) {} } finally { while (true) {} }"),
    ("catastrophic regex", "/(a+)+$/.test('a'.repeat(30) + '!')"),
    ("string doubling", "let s = 'x'; while (true) s += s;"),
    ("array push", "const a = []; while (true) a.push(1);"),
    ("object graph", "const o = {}; for (let i = 0; ; i++) o['k' + i] = {i};"),
    ("deep recursion", "function f() { return f() } f()"),
    ("Array(2**30).join", "Array(2 ** 30).join('')"),
    ("Function-constructor escape", ("new Function('}); globalThis.pwned = 1; (function () {');"
                                     " typeof pwned")),
    ("host names", ("[typeof require, typeof process, typeof std, typeof fetch,"
                    " typeof setTimeout].join()")),
]


def engine_probe() -> None:
    import quickjs

    print(f"engine: {Path(quickjs.__file__).parent}")
    for name, code in CASES:
        try:
            line = subprocess.run([sys.executable, "-c", PROBE, code], capture_output=True,
                                  text=True, timeout=40, check=False).stdout.strip()
        except subprocess.TimeoutExpired:
            line = "   >40000 ms  still running: killed"
        print(f"{name:28} {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engine-probe", action="store_true")
    args = parser.parse_args()
    if args.engine_probe:
        engine_probe()
        return
    asyncio.run(bench(args.runs, args.workers))


if __name__ == "__main__":
    main()
