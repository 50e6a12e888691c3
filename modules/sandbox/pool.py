"""The parent side: a pool of worker processes and the runs queued for them.

- At most ``workers`` runs at once, each in its own process; further runs wait in FIFO order,
  at most ``queue_limit`` of them (past it a run gets ``unavailable`` at once). A free worker
  is handed to the longest waiter; no timer runs while waiting.
- The parent's deadline is wall-clock: ``time_ms + grace_ms`` after a run was sent, its worker
  is killed (SIGKILL) and the run gets ``timeout``. The engine's own limit counts CPU time,
  so it stops most runs first, with a position in the author's source; the deadline catches
  the rest (a builtin that never checks its interrupt, a busy machine).
- A worker that dies (a crash, a resource limit) gives its run ``killed``. A worker lost in a
  run is replaced in the background before its slot is freed; workers start lazily.
- Everything here runs on the event loop without blocking it: pipes are read by asyncio
  protocols, a reply is decoded in the callback that completes it."""

from __future__ import annotations

import asyncio
import collections
import importlib.util
import json
import os
import re
import signal
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
import structlog

from modules.sandbox import syntax
from modules.sandbox.errors import ERROR_KINDS, ScriptError
from modules.sandbox.limits import MAX_MEMORY_BYTES, ScriptLimits
from modules.sandbox.outcome import ScriptOutcome
from modules.sandbox.source import check_names, check_source, error_from_reply
from modules.sandbox.worker import HEADER

log = structlog.get_logger("rozmova.modules.sandbox")

_WORKER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker.py")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_PHASES = frozenset({"syntax", "input", "runtime", "output", "engine", "internal"})
_THROWN = frozenset({"error", "value", "null", "engine", "internal", "output", "size"})
DEFAULT_LIMITS = ScriptLimits()


class _Closed(Exception):
    pass


def _module_dirs(*names: str) -> list[str]:
    """The sys.path entries the worker needs to import ``names``, and nothing more."""
    dirs: list[str] = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        path = os.path.dirname(spec.origin)
        if spec.submodule_search_locations is not None:  # a package: its parent directory
            path = os.path.dirname(path)
        if path not in dirs:
            dirs.append(path)
    return dirs


def _well_formed(value: Any) -> Any:
    """Lone surrogates (which JSON.stringify escapes, and which UTF-8 cannot carry) replaced
    by U+FFFD, in strings and keys."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_well_formed(item) for item in value]
    if isinstance(value, dict):
        return {_well_formed(key): _well_formed(item) for key, item in value.items()}
    return value


def _decode_value(data: bytes) -> tuple[Any, str | None]:
    """The result from its JSON, or why it cannot be read (orjson stops at 1,024 levels)."""
    if not data:
        return None, None
    try:
        return orjson.loads(data), None
    except orjson.JSONDecodeError as failed:
        reason = str(failed)
    if "surrogate" in reason:
        try:
            return _well_formed(json.loads(data)), None
        except (ValueError, RecursionError):
            reason = "recursion"
    if "recursion" in reason:
        return None, "the result is nested too deeply (more than 1,000 levels)"
    return None, "the result could not be read as JSON"


def _clip_utf8(text: str, size: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= size:
        return text
    return data[:size].decode("utf-8", "ignore")


def _logs(raw: Any, limits: ScriptLimits) -> tuple[str, ...] | None:
    """The console lines, bounded again here in UTF-8 bytes (the worker counts UTF-16
    units); None when the worker sent something else."""
    if not isinstance(raw, list):
        return None
    kept: list[str] = []
    room = limits.log_bytes
    for line in raw[:limits.log_entries]:
        if not isinstance(line, str):
            return None
        if room <= 0:
            break
        clipped = _clip_utf8(line, room)
        if clipped != line:
            clipped = _clip_utf8(clipped, max(room - 3, 0)) + "\u2026"
        kept.append(clipped)
        room -= len(clipped.encode("utf-8"))
    return tuple(kept)


class _Run:
    __slots__ = ("deadline", "future", "id", "limits", "sent", "source")

    def __init__(self, run_id: int, source: str, limits: ScriptLimits,
                 future: asyncio.Future[ScriptOutcome]) -> None:
        self.id = run_id
        self.source = source
        self.limits = limits
        self.future = future
        self.sent = 0.0
        self.deadline: asyncio.TimerHandle | None = None


class _Worker(asyncio.SubprocessProtocol):
    """One worker process and the run it is doing."""

    def __init__(self, pool: Sandbox) -> None:
        self.pool = pool
        self.loop = pool._loop
        self.transport: asyncio.SubprocessTransport | None = None
        self.stdin: asyncio.WriteTransport | None = None
        self.buffer = bytearray()
        self.stderr = bytearray()
        self.ready: asyncio.Future[None] = self.loop.create_future()
        self.exited: asyncio.Future[None] = self.loop.create_future()
        self.run: _Run | None = None
        self.alive = True
        self.pid: int | None = None

    # asyncio.SubprocessProtocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.pid = self.transport.get_pid()  # type: ignore[union-attr]
        self.stdin = self.transport.get_pipe_transport(0)  # type: ignore[union-attr,assignment]

    def pipe_data_received(self, fd: int, data: bytes | bytearray) -> None:
        if fd == 2:
            self.stderr += data
            del self.stderr[:-4096]
            return
        if not self.alive:
            return
        self.buffer += data
        while len(self.buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self.buffer)
            if size > self._max_reply():
                self._lose("the worker sent an invalid reply", kind="killed")
                return
            if len(self.buffer) < HEADER.size + size:
                return
            frame = bytes(self.buffer[HEADER.size:HEADER.size + size])
            del self.buffer[:HEADER.size + size]
            self._frame(frame)
            if not self.alive:
                return

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        # The exit (and how: a signal, a status) is reported by process_exited. Killing here
        # would reap the process first (Popen.send_signal polls it) and lose its status.
        if fd == 1 and self.alive:
            self.loop.call_later(1.0, self._silent)

    def _silent(self) -> None:
        if self.alive and not self.exited.done():
            self._lose("the worker closed its output", kind="killed")

    def process_exited(self) -> None:
        code = self.transport.get_returncode() if self.transport else None
        if self.alive:
            reason = "the worker process stopped"
            if code is not None and code < 0:
                try:
                    reason += f" ({signal.Signals(-code).name})"
                except ValueError:
                    reason += f" (signal {-code})"
            elif code is not None:
                reason += f" (exit status {code})"
            self._lose(reason, kind="killed", exit_code=code)
        if not self.exited.done():
            self.exited.set_result(None)

    # runs

    def _max_reply(self) -> int:
        limits = self.run.limits if self.run else self.pool.default_limits
        # The value's JSON (UTF-16 units, up to 3 bytes each), the lines (escaped, up to 6
        # bytes a unit, plus quotes and commas), the error's fields and the envelope.
        return (3 * limits.output_bytes + 6 * limits.log_bytes + 3 * limits.log_entries
                + 128 * 2**10)

    def submit(self, run: _Run, payload: bytes) -> None:
        self.run = run
        run.sent = self.loop.time()
        grace = self.pool.grace_ms
        run.deadline = self.loop.call_at(run.sent + (run.limits.time_ms + grace) / 1000,
                                         self._deadline)
        assert self.stdin is not None
        self.stdin.write(HEADER.pack(len(payload)) + payload)

    def _deadline(self) -> None:
        run = self.run
        if run is None or not self.alive:
            return
        self._lose(f"the script ran longer than its limit of {run.limits.time_ms} ms",
                   kind="timeout")

    def _frame(self, frame: bytes) -> None:
        if not self.ready.done():
            try:
                ok = orjson.loads(frame).get("ready") is True
            except (orjson.JSONDecodeError, AttributeError):
                ok = False
            if ok:
                self.ready.set_result(None)
            else:
                self._lose("the worker did not start", kind="unavailable")
            return
        run = self.run
        if run is None:
            self._lose("the worker sent a reply nobody asked for", kind="killed")
            return
        try:
            outcome = self._outcome(run, frame)
        except Exception:  # a reply this code cannot read must still end the run
            log.exception("sandbox.reply.unreadable", pid=self.pid)
            outcome = None
        if outcome is None:
            self._lose("the worker sent an invalid reply", kind="killed")
            return
        self.run = None
        if run.deadline is not None:
            run.deadline.cancel()
        if not run.future.done():
            run.future.set_result(outcome)
        self.pool._worker_free(self)

    def _outcome(self, run: _Run, frame: bytes) -> ScriptOutcome | None:
        """The run's outcome from the worker's reply, every field checked; None when the
        reply is malformed (the worker is then treated as compromised)."""
        head, _, value_bytes = frame.partition(b"\n")
        try:
            reply = orjson.loads(head)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(reply, dict) or reply.get("id") != run.id:
            return None
        envelope, elapsed = reply.get("r"), reply.get("ms")
        if not isinstance(envelope, dict) or not isinstance(elapsed, int | float):
            return None
        limits = run.limits
        logs = _logs(envelope.get("logs"), limits)
        if logs is None:
            return None
        elapsed = float(elapsed)
        if envelope.get("ok") is True:
            if len(value_bytes) > limits.output_bytes:
                error = ScriptError("output", f"the result is larger than its limit of "
                                              f"{limits.output_bytes} bytes of JSON")
                return ScriptOutcome(error=error, logs=logs, duration_ms=elapsed)
            value, problem = _decode_value(value_bytes)
            if problem is not None:
                return ScriptOutcome(error=ScriptError("output", problem), logs=logs,
                                     duration_ms=elapsed)
            return ScriptOutcome(value=value, logs=logs, duration_ms=elapsed)
        phase, error = envelope.get("phase"), envelope.get("error")
        if envelope.get("ok") is not False or phase not in _PHASES or not isinstance(error, dict):
            return None
        fields = {key: error.get(key) for key in ("thrown", "name", "message", "stack")}
        if fields["thrown"] not in _THROWN or not all(
                isinstance(fields[key], str) for key in ("name", "message", "stack")):
            return None
        fields = {key: _well_formed(text) for key, text in fields.items()}
        scripted = error_from_reply(phase, fields, run.source, limits)
        return ScriptOutcome(error=scripted, logs=logs, duration_ms=elapsed)

    def _lose(self, message: str, *, kind: str, exit_code: int | None = None) -> None:
        """The worker is done for: killed now, its run (if any) answered with ``kind``."""
        if not self.alive:
            return
        self.alive = False
        if self.transport is not None:
            try:
                self.transport.kill()
            except ProcessLookupError:
                pass
        if not self.ready.done():
            self.ready.set_exception(RuntimeError(message))
            self.ready.exception()  # retrieved: a failed start is reported by the spawner
        run, self.run = self.run, None
        if run is not None:
            if run.deadline is not None:
                run.deadline.cancel()
            assert kind in ERROR_KINDS
            elapsed = (self.loop.time() - run.sent) * 1000
            if not run.future.done():
                error = ScriptError(kind, message)  # type: ignore[arg-type]
                run.future.set_result(ScriptOutcome(error=error, duration_ms=elapsed))
            report = log.info if kind == "timeout" else log.warning
            report("sandbox.worker.lost", pid=self.pid, reason=message, kind=kind,
                   exit_code=exit_code, stderr=self.stderr[-1000:].decode("utf-8", "replace"))
        self.pool._worker_lost(self, busy=run is not None)


class Sandbox:
    """Runs author JavaScript in a pool of worker processes.

    ``run`` never raises for anything the script or the caller's data does: every failure is
    a ``ScriptOutcome`` with an error. ``check`` compiles without running. Bind a sandbox to
    one event loop (the first ``run`` does); ``close`` ends its workers."""

    def __init__(self, *, workers: int = 2, default_limits: ScriptLimits = DEFAULT_LIMITS,
                 queue_limit: int = 256, grace_ms: int = 250,
                 address_space_bytes: int = 2 * MAX_MEMORY_BYTES + 512 * 2**20,
                 start_timeout_s: float = 10.0, python: str | None = None) -> None:
        if workers < 1 or queue_limit < 0 or grace_ms < 0:
            raise ValueError("workers must be positive; queue_limit and grace_ms not negative")
        self.workers = workers
        self.default_limits = default_limits
        self.queue_limit = queue_limit
        self.grace_ms = grace_ms
        self.address_space_bytes = address_space_bytes
        self.start_timeout_s = start_timeout_s
        self.python = python or sys.executable
        self._loop: asyncio.AbstractEventLoop = None  # type: ignore[assignment]
        self._slots = workers
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._idle: list[_Worker] = []
        # Every worker whose process has not been reaped yet, live or dying.
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._next_id = 0
        self._paths: list[str] | None = None

    # public

    def check(self, source: str, param_names: Sequence[str]) -> ScriptError | None:
        """Compile ``source`` as the body of a function of ``param_names``; None when it
        compiles. Runs nothing; see ``modules.sandbox.syntax`` for its cost."""
        return syntax.check(source, param_names, self.default_limits)

    def worker_pids(self) -> list[int]:
        """The process ids of the live workers (for metrics and tests)."""
        return [w.pid for w in self._all if w.alive and w.pid is not None]

    async def start(self) -> None:
        """Start every worker now rather than on first use (optional)."""
        self._bind()
        while not self._closed and len(self.worker_pids()) < self.workers and self._slots > 0:
            self._slots -= 1
            try:
                self._idle.append(await self._spawn())
            except _Closed:
                return
            finally:
                self._release_slot()

    async def run(self, source: str, params: Mapping[str, Any],
                  limits: ScriptLimits | None = None, *, seed: int | None = None
                  ) -> ScriptOutcome:
        """Run ``source`` as the body of a function whose parameters are the keys of
        ``params``, in order, with copies of their values (through JSON). ``seed`` makes
        Math.random reproducible."""
        limits = limits or self.default_limits
        if not isinstance(params, Mapping):
            return ScriptOutcome(error=ScriptError("input", "the parameters must be a mapping"))
        names = list(params)
        problem = check_source(source, limits) or check_names(names)
        if problem is not None:
            return ScriptOutcome(error=problem)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            return ScriptOutcome(error=ScriptError("input", "the seed must be an integer"))
        try:
            params_json = orjson.dumps(list(params.values()))
        except (TypeError, orjson.JSONEncodeError) as failed:
            return ScriptOutcome(error=ScriptError(
                "input", f"the parameters cannot be converted to JSON ({failed})"))
        if len(params_json) > limits.input_bytes:
            return ScriptOutcome(error=ScriptError(
                "input", f"the parameters are {len(params_json)} bytes of JSON, more than "
                         f"the limit of {limits.input_bytes}"))
        self._bind()
        if self._closed:
            return _unavailable("the sandbox is closed")
        try:
            await self._acquire()
        except _Closed:
            return _unavailable("the sandbox is closed")
        except OverflowError:
            return _unavailable(f"the sandbox is busy: {len(self._waiters)} scripts are "
                                "already waiting")
        try:
            worker = self._idle.pop() if self._idle else await self._spawn()
        except BaseException as failed:
            self._release_slot()
            if isinstance(failed, _Closed):
                return _unavailable("the sandbox is closed")
            if isinstance(failed, Exception):
                return _unavailable(f"the sandbox could not start a worker ({failed})")
            raise
        self._next_id += 1
        header = orjson.dumps({
            "id": self._next_id, "src": source, "names": names, "t": limits.time_ms,
            "m": limits.memory_bytes, "s": limits.stack_bytes, "o": limits.output_bytes,
            "le": limits.log_entries, "lb": limits.log_bytes,
            "seed": -1 if seed is None else seed & 0xFFFFFFFF,
        })
        future: asyncio.Future[ScriptOutcome] = self._loop.create_future()
        worker.submit(_Run(self._next_id, source, limits, future), header + b"\0" + params_json)
        return await future

    async def close(self) -> None:
        """Stop every worker (SIGKILL: they hold nothing worth saving); runs in flight and
        waiting get ``unavailable``."""
        if self._closed:
            return
        self._closed = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(_Closed())
        for task in list(self._tasks):
            task.cancel()
        workers = list(self._all)
        for worker in workers:
            run, worker.run = worker.run, None
            if run is not None:
                if run.deadline is not None:
                    run.deadline.cancel()
                if not run.future.done():
                    run.future.set_result(_unavailable("the sandbox was closed during the run"))
            worker.alive = False
            if worker.transport is not None:
                try:
                    worker.transport.kill()
                except ProcessLookupError:
                    pass
        if workers:
            await asyncio.wait([asyncio.ensure_future(w.exited) for w in workers], timeout=5)
        for worker in workers:
            if worker.transport is not None:
                worker.transport.close()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        self._all.clear()
        self._idle.clear()

    # slots: a run holds one from before it takes a worker until the worker is free again

    def _bind(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop:
            raise RuntimeError("a Sandbox serves the event loop that first used it")

    async def _acquire(self) -> None:
        if self._slots > 0 and not self._waiters:
            self._slots -= 1
            return
        if len(self._waiters) >= self.queue_limit:
            raise OverflowError
        waiter = self._loop.create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release_slot()  # it was handed over just as the caller gave up
            else:
                try:
                    self._waiters.remove(waiter)
                except ValueError:
                    pass
            raise

    def _release_slot(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._slots += 1

    def _worker_free(self, worker: _Worker) -> None:
        if self._closed:
            return
        self._idle.append(worker)
        self._release_slot()

    def _worker_lost(self, worker: _Worker, *, busy: bool) -> None:
        if worker in self._idle:
            self._idle.remove(worker)

        def reaped(_: object) -> None:
            if worker.transport is not None:
                worker.transport.close()
            self._all.discard(worker)

        worker.exited.add_done_callback(reaped)
        if self._closed or not busy:
            return
        # The slot stays taken until a replacement is ready, so the next run finds a warm
        # worker and the pool never holds more processes than slots.
        task = self._loop.create_task(self._replace())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self) -> None:
        try:
            self._idle.append(await self._spawn())
        except Exception as failed:  # noqa: BLE001  (the next run tries again and reports it)
            log.warning("sandbox.worker.start_failed", error=str(failed))
        finally:
            if not self._closed:
                self._release_slot()

    async def _spawn(self) -> _Worker:
        if self._closed:
            raise _Closed
        if self._paths is None:
            self._paths = _module_dirs("_quickjs", "orjson")
        config = json.dumps({"parent": os.getpid(), "address_space": self.address_space_bytes,
                             "paths": self._paths})
        worker = _Worker(self)
        started = time.perf_counter()
        await self._loop.subprocess_exec(
            lambda: worker, self.python, "-I", "-S", _WORKER_SCRIPT, config,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env={}, cwd="/", start_new_session=True)
        self._all.add(worker)
        try:
            await asyncio.wait_for(asyncio.shield(worker.ready), self.start_timeout_s)
        except BaseException:
            worker._lose("the worker did not start", kind="unavailable")
            raise
        if self._closed:
            worker._lose("the sandbox is closed", kind="unavailable")
            raise _Closed
        log.debug("sandbox.worker.started", pid=worker.pid,
                  ms=round((time.perf_counter() - started) * 1000, 1))
        return worker


def _unavailable(message: str) -> ScriptOutcome:
    return ScriptOutcome(error=ScriptError("unavailable", message))
