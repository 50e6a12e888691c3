"""The limits of one run. Every run has all of them; a caller that passes none gets the
sandbox's defaults."""

from __future__ import annotations

from dataclasses import dataclass

# Ceilings the worker processes are built for: a worker's address space (RLIMIT_AS) leaves
# room for the largest memory limit, and QuickJS's stack limit must stay well inside the
# worker's real 8 MiB stack, or deep recursion would crash the process instead of raising.
MAX_TIME_MS = 60_000
MAX_MEMORY_BYTES = 512 * 2**20
MAX_STACK_BYTES = 4 * 2**20
MIN_MEMORY_BYTES = 1 * 2**20
MIN_STACK_BYTES = 16 * 2**10


@dataclass(frozen=True)
class ScriptLimits:
    """``time_ms`` is wall-clock time for the whole run (compiling, running, converting the
    result). ``memory_bytes`` bounds the JavaScript heap of the run, the engine's own context
    (about 100 KiB) included. ``input_bytes`` bounds the JSON of the parameters."""

    time_ms: int = 1000
    memory_bytes: int = 16 * 2**20
    stack_bytes: int = 256 * 2**10
    output_bytes: int = 64 * 2**10
    source_bytes: int = 64 * 2**10
    log_entries: int = 50
    log_bytes: int = 8 * 2**10
    input_bytes: int = 1 * 2**20

    def __post_init__(self) -> None:
        checks = (
            ("time_ms", self.time_ms, 1, MAX_TIME_MS),
            ("memory_bytes", self.memory_bytes, MIN_MEMORY_BYTES, MAX_MEMORY_BYTES),
            ("stack_bytes", self.stack_bytes, MIN_STACK_BYTES, MAX_STACK_BYTES),
            ("output_bytes", self.output_bytes, 0, MAX_MEMORY_BYTES),
            ("source_bytes", self.source_bytes, 1, 16 * 2**20),
            ("log_entries", self.log_entries, 0, 10_000),
            ("log_bytes", self.log_bytes, 0, 16 * 2**20),
            ("input_bytes", self.input_bytes, 2, MAX_MEMORY_BYTES),
        )
        for name, value, low, high in checks:
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"{name} must be an integer from {low} to {high}")
