"""The JavaScript sandbox: author scripts (a script block, conditions, reusable JS modules) run
on QuickJS (quickjs-ng) in a pool of worker processes, each run in a fresh runtime with limits
on time, memory, stack, output and logs, and nothing of the host within reach: no files,
network, timers, modules or Python. JSON in, JSON out. See docs/sandbox.md."""

from modules.sandbox.errors import ErrorKind, ScriptError
from modules.sandbox.limits import ScriptLimits
from modules.sandbox.outcome import ScriptOutcome
from modules.sandbox.pool import Sandbox

__all__ = ["ErrorKind", "Sandbox", "ScriptError", "ScriptLimits", "ScriptOutcome"]
