"""What a run gives back: a JSON value or an error, the console lines, and the time it took."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modules.sandbox.errors import ScriptError


@dataclass(frozen=True)
class ScriptOutcome:
    """``value`` is made of dict, list, str, int, float, bool and None; ``duration_ms`` is the
    time the run spent in its worker (compiling, running, converting the result), or until
    the parent stopped it; waiting in the queue is not counted."""

    value: Any = None
    error: ScriptError | None = None
    logs: tuple[str, ...] = ()
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None
