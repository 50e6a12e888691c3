"""Why a run gave no value. A failure is a value (``ScriptError``), never an exception: the
caller routes it (a block's error port) and shows ``message`` to the scenario's author."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ErrorKind = Literal[
    "syntax",       # the source does not compile (or is nested too deeply to parse)
    "runtime",      # the script threw
    "timeout",      # the script ran past time_ms
    "memory",       # the script ran past memory_bytes
    "stack",        # the script nested calls past stack_bytes
    "output",       # the result is not JSON-compatible or larger than output_bytes
    "input",        # the caller's source, parameter names or values cannot be run
    "killed",       # the worker process died under the run (a crash, a resource limit)
    "unavailable",  # no worker could take the run (queue full, sandbox closed, start failed)
]

ERROR_KINDS: frozenset[str] = frozenset(ErrorKind.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ScriptError:
    """``line`` and ``column`` are 1-based, in the author's source; the column counts Unicode
    code points. ``stack`` holds only frames of the author's code, as ``at name (script:L:C)``."""

    kind: ErrorKind
    message: str
    line: int | None = None
    column: int | None = None
    stack: str | None = None

    @property
    def place(self) -> str:
        """Where in the author's source, for a message: `line 3, column 7`, or ``""``."""
        return f"line {self.line}, column {self.column}" if self.line else ""
