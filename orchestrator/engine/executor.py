"""What a block executor is: the `Step` it returns, the `BlockFailure` it raises, the context
it reads and writes variables through, and the registry that maps block type names to
executors (so other services add executors for their own block types without touching the
engine)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol

from orchestrator.contract import (
    InboundEvent,
    InputRequest,
    OutboundMessage,
    ServiceCall,
    ServiceOutcome,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

    from orchestrator.engine.compile import CompiledBlock, CompiledScenario

# Step kinds. Plain strings compared by value; the engine dispatches on them once per block.
FOLLOW = "follow"      # continue through `port`
WAIT = "wait"          # stop the turn, waiting on this block for `request`
REPROMPT = "reprompt"  # (resume only) the answer did not fit: emit, keep waiting
FALLBACK = "fallback"  # (resume only) the event is not for this block
END = "end"            # the conversation ends
HANDOFF = "handoff"    # an operator takes over until `handback`
CALL = "call"          # run scenario `scenario` (and come back if `return_after`)
SERVICE = "service"    # ask a service for work (`call`); the engine suspends the turn here and
                       # resumes with the outcome through `Executor.complete`


class Step(NamedTuple):
    """What running a block decided. A tuple, because one is built per block on the hot
    path."""

    kind: str
    port: str | None = None
    messages: tuple[OutboundMessage, ...] | list[OutboundMessage] = ()
    request: InputRequest | None = None
    scenario: str | None = None
    return_after: bool = False
    call: ServiceCall | None = None


NEXT = Step(FOLLOW, "next")
NOT_MINE = Step(FALLBACK)


def follow(port: str, messages: tuple[OutboundMessage, ...] | list[OutboundMessage] = ()) -> Step:
    return Step(FOLLOW, port, messages)


def wait(request: InputRequest,
         messages: tuple[OutboundMessage, ...] | list[OutboundMessage] = ()) -> Step:
    return Step(WAIT, None, messages, request)


def call_service(call: ServiceCall,
                 messages: tuple[OutboundMessage, ...] | list[OutboundMessage] = ()) -> Step:
    """Ask a service for work; `messages` (a "one moment", say) go out with the turn."""
    return Step(SERVICE, None, messages, call=call)


def outcome_port(block: CompiledBlock, outcome: ServiceOutcome) -> str:
    """The port a finished call leaves through: ``ok``, ``timeout`` (or ``error`` where no
    ``timeout`` edge is drawn) or ``error``. A failure with no edge to take fails the block,
    so the scenario's error handler (or the apology) answers instead of a silent stop."""
    if outcome.status == "ok":
        return "ok"
    if outcome.status == "timeout" and "timeout" in block.ports:
        return "timeout"
    if "error" in block.ports:
        return "error"
    raise BlockFailure(outcome.error or f"the call ended with '{outcome.status}'")


JS_TIMEOUT_MS = 1000


def javascript_call(expression: str, ctx: BlockContext) -> ServiceCall:
    """A JavaScript expression of a built-in block (a condition, a set_variable), for the
    modules service's sandbox: `vars` holds what the scenario may read."""
    return ServiceCall(service="modules", operation="script",
                       # The newline: a trailing // comment must not swallow the parenthesis.
                       request={"code": f"return ({expression}\n);",
                                "vars": readable_variables(ctx), "timeout_ms": JS_TIMEOUT_MS},
                       timeout_seconds=JS_TIMEOUT_MS / 1000 + 1.0)


def readable_variables(ctx: BlockContext) -> dict[str, Any]:
    """What code run for a block may read: the scenario's declared variables (every scope)
    and the system's."""
    from scenarios.format import SYSTEM_VARIABLES

    names = [*ctx.scenario.variables, *SYSTEM_VARIABLES]
    return {name: ctx.get(name) for name in dict.fromkeys(names)}


def reprompt(request: InputRequest,
             messages: tuple[OutboundMessage, ...] | list[OutboundMessage] = ()) -> Step:
    return Step(REPROMPT, None, messages, request)


class BlockFailure(Exception):
    """A block could not do its job (bad data, a missing scenario, an expression error). The
    engine records it and runs the error handler; the message is for the bot's author."""


class VariableTypeError(BlockFailure):
    """A value does not fit the declared type of the variable it was to be stored in (raised
    by `BlockContext.set`). An input block catches it to ask again; elsewhere it fails the
    block like any other BlockFailure."""


class BlockContext(Protocol):
    """What an executor may see of the turn in progress."""

    language: str
    default_language: str
    attempts: int

    @property
    def now(self) -> datetime: ...
    @property
    def scenario(self) -> CompiledScenario: ...

    def render(self, text: Mapping[str, str] | None) -> str | None: ...
    def render_template(self, template: str) -> str: ...
    def get(self, ref: str) -> Any: ...
    def set(self, ref: str, value: Any) -> None: ...
    def set_language(self, code: str) -> None: ...
    def note_input(self, text: str | None) -> None: ...
    def note_choice(self, choice_id: str | None) -> None: ...
    def evaluate(self, tree: Any, source: str) -> Any: ...
    def require_scenario(self, name: str) -> CompiledScenario: ...


class Executor:
    """Runs one block type. Executors hold no per-conversation state: everything they keep
    between turns goes through the context (variables, attempts)."""

    type_name: ClassVar[str] = ""
    # A voice message answering this block (while it waits) is transcribed first and reaches
    # `resume` as the text it says: input blocks, buttons that take typed answers.
    hears_voice: ClassVar[bool] = False

    def prepare(self, settings: BaseModel, block_id: str) -> Any:
        """Precompute what `enter`/`resume` need (compiled regexes, parsed expressions); stored
        in the compiled block as `plan`. Runs once per published version."""
        return None

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        raise NotImplementedError

    def resume(self, block: CompiledBlock, event: InboundEvent, ctx: BlockContext) -> Step:
        """An event arrived while the conversation waits on this block."""
        return NOT_MINE

    def request(self, block: CompiledBlock, ctx: BlockContext) -> InputRequest | None:
        """What the conversation waits for while on this block (shown again after /help)."""
        return None

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        """A call this block asked for (a `call_service` step) has ended. By default the
        block leaves through `outcome_port`; blocks that map results into variables (or ask
        for another call) override it."""
        return follow(outcome_port(block, outcome))

    def no_input(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        """The block's own answer time passed without an answer: a step through a port of
        its own, or NOT_MINE for the scenario's no_input handler (else it asks again)."""
        return NOT_MINE


class ExecutorRegistry:
    """Executors by block type name."""

    def __init__(self, executors: Mapping[str, Executor] | None = None) -> None:
        self._executors: dict[str, Executor] = dict(executors or {})

    def register(self, executor: Executor, *, name: str | None = None,
                 replace: bool = False) -> Executor:
        key = name or executor.type_name
        if not key:
            raise ValueError("an executor needs a block type name")
        if key in self._executors and not replace:
            raise ValueError(f"an executor for block type {key!r} is already registered")
        self._executors[key] = executor
        return executor

    def register_missing(self, executors: Iterable[Executor]) -> None:
        """Each executor whose block type has none yet (a service installed twice keeps the
        first)."""
        for executor in executors:
            if executor.type_name not in self._executors:
                self.register(executor)

    def get(self, name: str) -> Executor | None:
        return self._executors.get(name)

    def names(self) -> list[str]:
        return list(self._executors)

    def copy(self) -> ExecutorRegistry:
        return ExecutorRegistry(self._executors)

    def __contains__(self, name: object) -> bool:
        return name in self._executors

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._executors))

    def __len__(self) -> int:
        return len(self._executors)
