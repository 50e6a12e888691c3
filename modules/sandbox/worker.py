"""The worker process: runs author JavaScript, one run at a time, on QuickJS (quickjs-ng).

Started by the parent as ``python -I -S worker.py <config JSON>``: no site, no ``.pth`` files,
no import of the application; ``sys.path`` gets only the directories of the engine and of
orjson. This module also serves the parent (framing, the function wrapper), so it imports
nothing but the standard library at module level.

Protocol, over the worker's stdin and stdout: frames of a 4-byte big-endian length and a
payload. The first frame out is ``{"ready": ...}``. A request is a JSON header, a NUL byte
and the parameters' JSON array (handed to JavaScript as text, never parsed here). A reply is
``{"id":N,"ms":F,"r":<outcome>}``, a newline and the result's JSON (empty when there is none).

Every run gets a fresh QuickJS runtime (with the driver, prelude.js), so no state of one run
can reach another. Making one costs ~175 µs and freeing one ~25 µs, most of a run's CPU; both
happen while no request waits, and two spare runtimes are kept, so a run rarely waits for
one (only runs sent back to back, faster than the worker can make runtimes). Limits in layers:
QuickJS's own (memory, stack, an interrupt after ``time_ms`` of CPU time), process limits set
here (address space, CPU seconds re-armed per run, no files, no new processes, no core
dumps), and the parent's wall-clock deadline, which kills the process."""

from __future__ import annotations

import os
import re
import struct
import sys
import time
from pathlib import Path

HEADER = struct.Struct(">I")
SCRIPTS = Path(__file__).parent
# Fresh runtimes kept ready: a burst of runs does not wait for one to be made.
SPARE_RUNTIMES = 2
# The author's first line is line 2 of the text the engine compiles.
FIRST_SOURCE_LINE = 2


def wrap(source: str, names: list[str] | tuple[str, ...], label: str) -> str:
    """The text the engine compiles: a strict function of ``names`` whose body holds the
    author's source inside a block labelled ``label``, which the last line breaks out of.

    A body cannot close the function early and run code outside it (QuickJS's Function
    constructor, like this concatenation, would allow ``}); evil(); (function(){``): to get
    out, the source must close the labelled block, and then ``break <label>`` is a syntax
    error, unless the source names the label, which is random for each compilation. So a
    text that compiles is one function expression, and evaluating it runs nothing."""
    return (f'(function({",".join(names)}){{"use strict";{label}:{{\n'
            f"{source}\nbreak {label};}}}})")


def new_label() -> str:
    return "L" + os.urandom(8).hex()


def load_script(name: str) -> str:
    """One of the driver's JavaScript files, without comments and joined into one line: every
    frame of the driver is then on line 1, where no author code is (the author's source starts
    on line 2 of its own compilation). The files use block comments only and explicit
    semicolons, so joining lines changes nothing else."""
    text = (SCRIPTS / name).read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


_ENGINE_ERROR = re.compile(r"^([A-Za-z]*Error|InternalError): (.*)$")


def split_engine_error(text: str) -> tuple[str, str, str]:
    """(name, message, stack) from the binding's exception text: ``Name: message`` on the
    first line, the stack after it."""
    head, _, stack = text.partition("\n")
    match = _ENGINE_ERROR.match(head)
    if match:
        return match.group(1), match.group(2), stack
    return "", head, stack


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _harden(config: dict) -> None:
    """Process limits and flags, set once the imports are done."""
    import resource
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the parent
    except (OSError, AttributeError):
        pass
    if os.getppid() != config["parent"]:
        sys.exit(0)  # the parent died before the death signal was armed
    limits = [
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_FSIZE, 0),
        (resource.RLIMIT_NOFILE, 16),
        (resource.RLIMIT_NPROC, 0),
        (resource.RLIMIT_AS, config["address_space"]),
    ]
    for which, value in limits:
        try:
            _, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass


def main() -> None:
    import gc
    import json
    import select

    config = json.loads(sys.argv[1])
    # Private copies of the pipes; 0 and 1 point to /dev/null so that nothing else (a stray
    # print, a library) can write into the protocol.
    requests, replies = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)

    sys.path[:0] = config["paths"]
    import resource

    import _quickjs
    import orjson

    _harden(config)
    prelude, parts = load_script("prelude.js"), [
        load_script(name) for name in ("console.js", "result.js", "describe.js")]
    seeding = load_script("seed.js")
    loads, dumps = orjson.loads, orjson.dumps
    JSException = _quickjs.JSException
    cpu_limit = resource.RLIMIT_CPU
    cpu_hard = resource.getrlimit(cpu_limit)[1]
    # QuickJS's stack limit must stay inside the real stack, or recursion crashes the process.
    stack_soft = resource.getrlimit(resource.RLIMIT_STACK)[0]
    stack_room = (1 << 62) if stack_soft == resource.RLIM_INFINITY else stack_soft - (512 << 10)
    process_time, perf_counter = time.process_time, time.perf_counter
    incoming = select.poll()
    incoming.register(requests, select.POLLIN)

    def fresh() -> tuple[object, object]:
        context = _quickjs.Context()
        driver = context.eval(prelude)
        driver("init", *parts)
        return context, driver

    spare = [fresh()]
    retired: list[tuple[object, object]] = []
    gc.freeze()
    ready = dumps({"ready": True, "pid": os.getpid()})
    _write_all(replies, HEADER.pack(len(ready)) + ready)

    while True:
        # Between runs, one step at a time while no request waits: retire the used runtimes
        # (freeing one takes ~30 µs, more after a large heap), make spare ones (~150 µs).
        while not incoming.poll(0):
            if retired:
                retired.pop()
            elif len(spare) < SPARE_RUNTIMES:
                spare.append(fresh())
            else:
                break
        head = _read_exact(requests, HEADER.size)
        if head is None:
            return
        payload = _read_exact(requests, HEADER.unpack(head)[0])
        if payload is None:
            return
        cut = payload.index(b"\0")
        request = loads(payload[:cut])
        params = payload[cut + 1:].decode("utf-8")
        time_ms = request["t"]
        # A second, coarser time limit in case the engine is stuck in a builtin that does
        # not check its interrupt, and the parent is gone: SIGXCPU ends the process.
        soft = int(process_time()) + time_ms // 1000 + 3
        if cpu_hard == resource.RLIM_INFINITY or soft < cpu_hard:
            resource.setrlimit(cpu_limit, (soft, cpu_hard))
        context, driver = spare.pop() if spare else fresh()
        context.set_memory_limit(request["m"])  # type: ignore[attr-defined]
        context.set_max_stack_size(min(request["s"], stack_room))  # type: ignore[attr-defined]
        context.set_time_limit(time_ms / 1000)  # type: ignore[attr-defined]
        wrapped = wrap(request["src"], request["names"], new_label())
        started = perf_counter()
        try:
            if request["seed"] >= 0:
                driver("seed", seeding, request["seed"])  # type: ignore[operator]
            text = driver("run", wrapped, params, request["o"], request["le"],  # type: ignore[operator]
                          request["lb"])
            if text[0] == "!":
                # Something was thrown: say what, in what is left of the time limit.
                left = time_ms / 1000 - (perf_counter() - started)
                context.set_time_limit(max(left, 0.005))  # type: ignore[attr-defined]
                detail = driver("describe")  # type: ignore[operator]
                logs = driver("logs")  # type: ignore[operator]
                text = f'{{"ok":false,"phase":"{text[1:]}","error":{detail},"logs":{logs}}}\n'
        except JSException as stopped:
            # Stopped by the engine past any catch (the time limit), or an error the driver
            # could not report (memory ran out while it did).
            name, message, stack = split_engine_error(str(stopped))
            try:
                logs = driver("logs")  # type: ignore[operator]
            except Exception:  # noqa: BLE001  (the lines are a courtesy; the error goes out)
                logs = "[]"
            error = dumps({"thrown": "engine", "name": name, "message": message[:2000],
                           "stack": stack[:4000]})
            text = f'{{"ok":false,"phase":"engine","error":{error.decode()},"logs":{logs}}}\n'
        except Exception as failed:  # noqa: BLE001  (every request gets a reply)
            error = dumps({"thrown": "internal", "name": type(failed).__name__,
                           "message": str(failed)[:2000], "stack": ""})
            text = f'{{"ok":false,"phase":"internal","error":{error.decode()},"logs":[]}}\n'
        elapsed = (perf_counter() - started) * 1000
        envelope, _, value = text.partition("\n")
        reply = f'{{"id":{request["id"]},"ms":{elapsed:.3f},"r":{envelope}}}\n{value}'.encode()
        _write_all(replies, HEADER.pack(len(reply)) + reply)
        retired.append((context, driver))
        del context, driver


if __name__ == "__main__":
    main()
