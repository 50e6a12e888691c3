"""The step engine: one turn of one conversation, run over compiled scenarios. Pure and
synchronous: state and event in, messages, the awaited input and the new state out; no I/O,
no clock but `context.now` (the trace's timings are measurement; the only behaviour they drive
is the turn's time limit). A turn never
raises and never loops: block failures go to the scenario's error handler or end the turn with
an apology, and hard caps bound the blocks one turn may run and the time they may take."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from scenarios.format import SYSTEM_VARIABLES
from scenarios.format.templates import resolve_reference
from scenarios.format.values import match_language

from orchestrator.contract import (
    MEDIA_KINDS,
    STATE_FORMAT,
    CallTrace,
    ConversationState,
    DeferredJob,
    Frame,
    InboundEvent,
    InputRequest,
    OutboundMessage,
    ServiceCall,
    ServiceOutcome,
    heard_in,
    TurnContext,
    TurnError,
    TurnResult,
)
from orchestrator.engine import phrases
from orchestrator.engine.compile import (
    CompiledBlock,
    CompiledScenario,
    compile_version,
    global_command,
    global_intent_call,
    global_scenario,
)
from orchestrator.engine.executor import (
    CALL,
    END,
    FALLBACK,
    FOLLOW,
    HANDOFF,
    REPROMPT,
    SERVICE,
    WAIT,
    BlockFailure,
    ExecutorRegistry,
    Step,
    VariableTypeError,
)
from orchestrator.engine.expressions import ExpressionError, ExpressionEvaluator
from orchestrator.engine.outbound import (
    button,
    construct_frame,
    construct_result,
    construct_state,
    input_request,
    message,
    text_message,
    trace_step,
    turn_error,
)
from orchestrator.engine.rendering import pick_language, render_template
from orchestrator.engine.values import coerce, walk_path, with_path

MAX_FRAMES = 16
"""How deep scenarios may call each other (jumps with return)."""
MAX_TURN_SECONDS = 0.5
"""How long the blocks of one turn may run (the error handler then gets a fifth of it). Time
spent waiting for a service call does not count: the call has its own time limit."""
MAX_CALLS_PER_TURN = 8
"""How many service calls one turn may make (a loop through a script block stops here)."""
VOICE_SECONDS = 60.0
"""How long a voice message's transcription may take (a two-minute message on a busy
machine), its queueing for a worker included."""
MAX_HEARD_CHARS = 4096

_MISSING: Any = object()
_RESTART_COMMANDS = ("start", "restart")
_PERSON_EVENTS = frozenset({"text", "choice", "payload", "command", *MEDIA_KINDS})
RESTART_CHOICE = "/start"
"""The id of the "Start again" button the engine offers when a conversation cannot go on (no
option of a scenario can have it: option ids have no slash)."""


def _trace_call(turn: _Turn, block: CompiledBlock, outcome: ServiceOutcome, service: str,
                operation: str) -> None:
    """A service call's outcome in the turn's trace, at the block that asked for it."""
    turn.trace.append((block.id, block.type, turn.compiled.name, None,
                       outcome.milliseconds * 1000, outcome.error,
                       CallTrace(service=service, operation=operation, status=outcome.status,
                                 milliseconds=outcome.milliseconds, error=outcome.error,
                                 logs=list(outcome.logs))))


def _restart_offer(state: ConversationState) -> InputRequest:
    """What a conversation that cannot go on waits for: the "Start again" button."""
    restart = button(RESTART_CHOICE, phrases.stuck(state.language)[1])
    block_id = state.frames[-1].block if state.frames else None
    return input_request("buttons", block_id or "", [restart])


class _Failure(Exception):
    """Ends the normal run of a turn; carries what goes into `TurnResult.errors`."""

    def __init__(self, error: TurnError) -> None:
        super().__init__(error.message)
        self.error = error


class _Suspend(Exception):
    """A block asked a service for work: unwinds the turn's run to `run_turn`, which hands
    the suspended turn (`PendingTurn`) to the orchestrator's client."""

    def __init__(self, turn: _Turn, block: CompiledBlock, call: ServiceCall,
                 cap_left: int, voice: InboundEvent | None = None,
                 said: str | None = None) -> None:
        super().__init__(call.service)
        self.turn = turn
        self.block = block
        self.call = call
        self.cap_left = cap_left
        self.voice = voice  # the person's voice message, being transcribed for `block`
        self.said = said  # its transcript, being checked for a global intent


class PendingTurn:
    """A turn suspended at a block that asked a service for work (`call`). Nothing of it is
    stored: the orchestrator's client makes the call and gives the outcome back to
    `Engine.resume_turn`, which goes on at the same block; the turn is persisted once, after
    its last call. Holds the turn in progress, so it is only valid in this process."""

    __slots__ = ("turn", "original", "block", "call", "cap_left", "remaining_ns", "voice",
                 "said")

    def __init__(self, turn: _Turn, original: ConversationState, block: CompiledBlock,
                 call: ServiceCall, cap_left: int, remaining_ns: int,
                 voice: InboundEvent | None = None, said: str | None = None) -> None:
        self.turn = turn
        self.original = original
        self.block = block
        self.call = call
        self.cap_left = cap_left
        self.remaining_ns = remaining_ns
        self.voice = voice
        self.said = said

    @property
    def block_id(self) -> str:
        return self.block.id


class _Frame:
    __slots__ = ("version_id", "scenario", "block", "return_block", "resume_block",
                 "resume_attempts")

    def __init__(self, version_id: uuid.UUID, scenario: str, block: str | None,
                 return_block: str | None, resume_block: str | None = None,
                 resume_attempts: int = 0) -> None:
        self.version_id = version_id
        self.scenario = scenario
        self.block = block
        self.return_block = return_block
        self.resume_block = resume_block
        self.resume_attempts = resume_attempts


class _Turn:
    """The turn in progress, and the context block executors see (see `BlockContext`)."""

    __slots__ = (
        "scenarios", "context", "language", "default_language", "frames", "compiled", "root",
        "variables", "user_vars", "bot_vars", "user_before", "bot_before", "messages", "trace",
        "errors", "attempts", "status", "waiting_block", "input", "pins", "in_handler",
        "evaluator", "deadline", "asked_again", "from_person", "ended_on_purpose", "left",
        "carry", "handed_off", "calls", "pending_job", "jobs_started", "jobs", "heard",
    )

    def __init__(self, engine: Engine, scenarios: Mapping[uuid.UUID, CompiledScenario],
                 state: ConversationState, context: TurnContext) -> None:
        self.scenarios = scenarios
        self.context = context
        self.language = state.language
        self.default_language = context.default_language
        self.frames = [_Frame(f.version_id, f.scenario, f.block, f.return_block,
                              f.resume_block, f.resume_attempts)
                       for f in state.frames]
        self.compiled: CompiledScenario = None  # type: ignore[assignment]  # set by the engine
        self.root: CompiledScenario = None  # type: ignore[assignment]
        self.variables: dict[str, Any] = dict(state.variables)
        self.user_vars: dict[str, Any] = context.user_variables
        self.bot_vars: dict[str, Any] = context.bot_variables
        self.user_before: dict[str, Any] = {}
        self.bot_before: dict[str, Any] = {}
        self.messages: list[OutboundMessage] = []
        self.trace: list[tuple[Any, ...]] = []
        self.errors: list[TurnError] = []
        self.attempts = state.attempts
        self.status = state.status
        self.waiting_block = state.waiting_block
        self.input: InputRequest | None = None
        self.pins = dict(state.pins)
        self.in_handler = False
        self.evaluator = engine.evaluator
        self.deadline = engine.clock() + engine.turn_ns
        # The block asked again after its own no_input: its answer time is not armed twice.
        self.asked_again: str | None = None
        self.from_person = False  # the event is something the person sent
        self.ended_on_purpose = False  # by an end block, not by a path that stopped
        # (block, attempts) of the wait last left, and of the block about to ask again: the
        # person's used tries survive a handler, a command or a fallback in between.
        self.left: tuple[str | None, int] = (None, 0)
        self.carry: tuple[str | None, int] = (None, 0)
        # The handoff block the conversation was with an operator on when the turn began.
        self.handed_off = state.waiting_block if state.status == "handoff" else None
        self.calls = 0  # service calls made so far in this turn
        # A deferred job the conversation waits for (its block is `waiting_block`), how many
        # the conversation started (job ids are `<block>:<n>`), and those this turn starts.
        self.pending_job = state.pending_job
        self.jobs_started = state.jobs_started
        self.jobs: list[DeferredJob] = []
        self.heard: dict[str, Any] | None = None  # a voice message's transcript (TurnResult)

    # --- what executors read ----------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self.context.now

    @property
    def scenario(self) -> CompiledScenario:
        return self.compiled

    def render(self, text: Mapping[str, str] | None) -> str | None:
        if text is None:
            return None
        chosen = text.get(self.language)
        if chosen is None:
            chosen = pick_language(text, self.language, self.default_language)
        if "{{" in chosen:
            return render_template(chosen, self.get)
        return chosen

    def render_template(self, template: str) -> str:
        return render_template(template, self.get)

    def get(self, ref: str) -> Any:
        if "[" in ref:  # `answers[i]`, `order["total"]`: indexes read through get as well
            return resolve_reference(ref, self.get)
        if "." in ref:
            parts = ref.split(".")
            return walk_path(self._value(parts[0]), parts[1:])
        return self._value(ref)

    def _value(self, name: str) -> Any:
        value = self.variables.get(name, _MISSING)
        if value is not _MISSING:
            return value
        declaration = self.compiled.variables.get(name) or self.root.variables.get(name)
        if declaration is not None:
            if declaration.scope == "user":
                return self.user_vars.get(name, declaration.default)
            if declaration.scope == "bot":
                return self.bot_vars.get(name, declaration.default)
            return declaration.default
        if name in SYSTEM_VARIABLES:
            return self.system(name)
        return None

    def system(self, name: str) -> Any:
        context = self.context
        if name == "language":
            return self.language
        if name == "channel":
            return context.channel
        if name == "conversation_id":
            return str(context.conversation_id)
        if name == "user_id":
            return context.user_id
        if name == "bot_id":
            return str(context.bot_id)
        if name == "now":
            return context.now.isoformat()
        if name == "today":
            return context.now.date().isoformat()
        # last_input, last_choice: kept with the conversation's variables.
        return self.variables.get(name)

    # --- what executors change ----------------------------------------------------------------

    def set(self, ref: str, value: Any) -> None:
        root, dot, rest = ref.partition(".")
        if root in SYSTEM_VARIABLES:
            raise BlockFailure(f"'{root}' is a system variable and cannot be changed")
        declaration = self.compiled.variables.get(root) or self.root.variables.get(root)
        type_ = declaration.type if declaration is not None and not dot else "any"
        try:
            value = coerce(value, type_)
        except ValueError as exc:
            raise VariableTypeError(f"variable '{root}' holds a {type_}: {exc}") from None
        scope = declaration.scope if declaration is not None else "conversation"
        if scope == "conversation":
            store = self.variables
        else:
            before = self.user_before if scope == "user" else self.bot_before
            if not before:  # first write to this scope in the turn: copy, never mutate input
                if scope == "user":
                    self.user_vars = dict(self.user_vars)
                else:
                    self.bot_vars = dict(self.bot_vars)
            store = self.user_vars if scope == "user" else self.bot_vars
            if root not in before:
                before[root] = store.get(root, declaration.default)  # type: ignore[union-attr]
        if dot:
            value = with_path(store.get(root), rest.split("."), value)
        store[root] = value

    def set_language(self, code: str) -> None:
        """Switch the conversation to one of the bot's languages ("en", or "en-GB" for a bot
        with "en"); later texts, built-in phrases and re-prompts follow it."""
        languages = self.context.languages or [self.default_language]
        chosen = match_language(code, languages)
        if chosen is None:
            wanted = code.strip()
            shown = wanted if len(wanted) <= 40 else wanted[:37] + "..."
            raise BlockFailure(f"'{shown}' is not one of the bot's languages "
                               f"({', '.join(languages)})")
        self.language = chosen

    def note_input(self, text: str | None) -> None:
        self.variables["last_input"] = text

    def note_choice(self, choice_id: str | None) -> None:
        self.variables["last_choice"] = choice_id

    def evaluate(self, tree: Any, source: str) -> Any:
        try:
            return self.evaluator.evaluate(tree, source, self.get, self.context.now)
        except ExpressionError as exc:
            raise BlockFailure(f"the expression {source!r} failed: {exc}") from None

    def require_scenario(self, name: str) -> CompiledScenario:
        version_id = self.pins.get(name)
        compiled = self.scenarios.get(version_id) if version_id is not None else None
        if compiled is None:
            raise BlockFailure(f"scenario '{name}' is not published")
        return compiled


JOB_GRACE_SECONDS = 5.0
"""How long past its own time limit a deferred job's outcome may take to come back (its turn
queues like any other) before the job counts as lost: the instance running it stopped."""


class Engine:
    """Runs turns. Holds no conversation: everything a conversation needs is in the state
    passed in and returned, so one engine serves every conversation of the process."""

    job_grace_seconds = JOB_GRACE_SECONDS

    def __init__(self, executors: ExecutorRegistry | None = None, max_steps_per_turn: int = 500,
                 *, clock: Callable[[], int] = time.perf_counter_ns,
                 max_turn_seconds: float = MAX_TURN_SECONDS) -> None:
        if executors is None:
            from orchestrator.blocks import default_executors

            executors = default_executors()
        if max_steps_per_turn < 1:
            raise ValueError("max_steps_per_turn must be at least 1")
        self.executors = executors
        self.max_steps = max_steps_per_turn
        # The error handler gets a fresh but smaller budget: it should say sorry, not work.
        self.handler_steps = min(max_steps_per_turn, max(10, max_steps_per_turn // 10))
        self.clock = clock
        # Turns run on the event loop: one that computes for long delays every other
        # conversation of the process. Each block is bounded; this bounds their sum.
        self.turn_ns = int(max_turn_seconds * 1e9)
        self.handler_ns = self.turn_ns // 5
        self.evaluator = ExpressionEvaluator()

    def compile(self, version: Any, *, languages: list[str] | tuple[str, ...],
                default_language: str) -> CompiledScenario:
        return compile_version(version, languages=languages, default_language=default_language,
                               executors=self.executors)

    def start_state(self, compiled: CompiledScenario, language: str,
                    variables: Mapping[str, Any] | None = None) -> ConversationState:
        """A fresh conversation on `compiled`, before its `start` event runs."""
        values = compiled.initial_variables()
        for name, value in (variables or {}).items():
            declaration = compiled.variables.get(name)
            if declaration is not None and declaration.scope == "conversation":
                values[name] = value
        return ConversationState(
            status="active", language=language,
            frames=[Frame(version_id=compiled.version_id, scenario=compiled.name,
                          block=compiled.start)],
            variables=values, pins={compiled.name: compiled.version_id})

    # --- a turn ------------------------------------------------------------------------------

    def run_turn(self, scenarios: Mapping[uuid.UUID, CompiledScenario],
                 state: ConversationState, event: InboundEvent,
                 context: TurnContext) -> TurnResult | PendingTurn:
        """The turn's result, or a `PendingTurn` where a block asked a service for work
        (then `resume_turn` with the call's outcome, until a result comes back)."""
        try:
            return self._turn(scenarios, state, event, context)
        except _Suspend as suspended:
            return self._pending(suspended, state)
        except Exception as exc:  # the last guard: whatever happened, the turn returns
            return self._broken(state, exc)

    def resume_turn(self, pending: PendingTurn, outcome: ServiceOutcome
                    ) -> TurnResult | PendingTurn:
        """Go on with a suspended turn at the block that asked for the call: the block's
        `complete` decides the port (or asks for another call)."""
        original = pending.original
        try:
            return self._complete(pending, outcome)
        except _Suspend as suspended:
            return self._pending(suspended, original)
        except Exception as exc:  # the last guard, as in run_turn
            return self._broken(original, exc)

    def _broken(self, state: ConversationState, exc: Exception) -> TurnResult:
        error = turn_error("turn.failed", f"the turn failed: {type(exc).__name__}: {exc}")
        return self._unchanged(state, None, messages=[
            text_message(phrases.apology(state.language), None)], errors=[error])

    def _pending(self, suspended: _Suspend, original: ConversationState) -> PendingTurn:
        turn = suspended.turn
        return PendingTurn(turn, original, suspended.block, suspended.call, suspended.cap_left,
                           max(0, turn.deadline - self.clock()), suspended.voice,
                           suspended.said)

    def _suspend(self, turn: _Turn, block: CompiledBlock, step: Step, start: int,
                 cap_left: int) -> None:
        """Stop the turn at `block` until its call's outcome comes back (raises _Suspend);
        for a deferred call, end the turn waiting on the block (returns None)."""
        if step.call is None:
            self._fail(turn, block, BlockFailure("the block asked for a call without one"),
                       start)
        turn.calls += 1
        if turn.calls > MAX_CALLS_PER_TURN:
            self._fail(turn, block, BlockFailure(
                f"more than {MAX_CALLS_PER_TURN} service calls in one turn; stopped before "
                f"calling '{step.call.service}' again"), start)  # type: ignore[union-attr]
        if step.call.deferred:  # type: ignore[union-attr]
            # The turn ends here, waiting on the block; the outcome comes back as a
            # `service_result` event once the job is done.
            turn.jobs_started += 1
            job = f"{block.id}:{turn.jobs_started}"
            turn.jobs.append(DeferredJob(job=job, block_id=block.id,
                                         call=step.call))  # type: ignore[arg-type]
            turn.pending_job = job
            return self._apply(turn, block, Step(WAIT, None, step.messages, None), start)
        if step.messages:
            turn.messages.extend(step.messages)
        raise _Suspend(turn, block, step.call, cap_left)  # type: ignore[arg-type]

    def _complete(self, pending: PendingTurn, outcome: ServiceOutcome) -> TurnResult:
        turn, block, original, call = (pending.turn, pending.block, pending.original,
                                       pending.call)
        turn.deadline = self.clock() + pending.remaining_ns  # waiting did not count
        if pending.voice is not None:
            return self._heard(turn, original, block, outcome, pending.voice)
        if pending.said is not None:
            return self._understood(turn, original, block, outcome, pending.said)
        return self._outcome_reaches(turn, original, block, outcome, call.service,
                                     call.operation, pending.cap_left)

    def _outcome_reaches(self, turn: _Turn, original: ConversationState,
                         block: CompiledBlock, outcome: ServiceOutcome, service: str,
                         operation: str, cap: int) -> TurnResult:
        """A call's outcome (in the turn, or a deferred job's later) reaches the block that
        asked for it: the call goes to the trace, the block's `complete` picks the way on."""
        start = self.clock()
        _trace_call(turn, block, outcome, service, operation)
        try:
            try:
                step = block.executor.complete(block, outcome, turn)
            except Exception as exc:
                self._fail(turn, block, exc, start)
            if step.kind == SERVICE:
                target = self._suspend(turn, block, step, start, cap)
            else:
                if step.kind != REPROMPT and turn.waiting_block == block.id:
                    self._leave_waiting(turn)  # the answer was taken (see _resume)
                target = self._apply(turn, block, step, start)
            if target is not None:
                self._drive(turn, target, cap)
        except _Failure as failure:
            turn.errors.append(failure.error)
            return self._recover(turn, original)
        return self._result(turn, original)

    def _turn(self, scenarios: Mapping[uuid.UUID, CompiledScenario], state: ConversationState,
              event: InboundEvent, context: TurnContext) -> TurnResult:
        turn = _Turn(self, scenarios, state, context)
        if not turn.frames:
            return self._missing(state, "the conversation has no scenario to run")
        for frame in turn.frames:
            if frame.version_id not in scenarios:
                return self._missing(state, f"version {frame.version_id} of scenario "
                                            f"'{frame.scenario}' is not loaded")
        turn.root = scenarios[turn.frames[0].version_id]
        turn.compiled = scenarios[turn.frames[-1].version_id]
        kind = event.kind
        turn.from_person = kind in _PERSON_EVENTS

        if kind == "choice" and event.choice_id == RESTART_CHOICE:
            # The "Start again" button of a conversation that could not go on.
            kind, event = "command", InboundEvent.model_construct(
                kind="command", text=None, choice_id=None, payload=None, command="start")
        if kind == "command":
            commanded = self._command(turn, state, event)
            if commanded is not None:
                return commanded
            # An unknown command is something the person typed.
            event = InboundEvent.model_construct(
                kind="text", text="/" + (event.command or "").lstrip("/"), choice_id=None,
                payload=None, command=None)
            kind = "text"

        if kind == "start":
            return self._restart(turn, state, event, None)
        if turn.status == "ended":
            return self._unchanged(state, turn)
        if kind == "service_result":
            return self._job_done(turn, state, event)
        if turn.pending_job is not None and kind in _PERSON_EVENTS \
                and turn.status == "waiting":
            # The block waits for its job, not for the person: the answer comes by itself.
            return self._unchanged(state, turn, messages=[
                text_message(phrases.working(turn.language), None)])
        if kind == "timeout" or kind == "no_input":
            if turn.status == "handoff":
                return self._unchanged(state, turn)  # the operator has the conversation
            if kind == "no_input":
                return self._no_input(turn, state)
            located = self._locate(turn, lambda c: c.timeout)
            if located is None:
                return self._unchanged(state, turn)
            waiting = turn.waiting_block
            self._leave_waiting(turn)
            return self._go(turn, state, block_id=self._call_handler(turn, located, waiting))
        if kind == "handback":
            if turn.status != "handoff" or turn.waiting_block is None:
                return self._unchanged(state, turn)
            return self._go(turn, state, event=event)
        if turn.status == "handoff":
            # The chat service forwards what the person says to the operators.
            return self._unchanged(state, turn)
        if turn.waiting_block is None:
            located = self._locate(turn, lambda c: c.fallback)
            if located is None:
                # Nothing waits and nothing handles it (a failure before anything was asked):
                # never silence; offer to begin again.
                return self._stuck(turn, state)
            self._unwind(turn, located[0])
            return self._go(turn, state, block_id=located[1])
        return self._go(turn, state, event=event)

    def _job_done(self, turn: _Turn, original: ConversationState,
                  event: InboundEvent) -> TurnResult:
        """A deferred job's outcome: the block waiting for it goes on (`complete`); a result
        for a job the conversation no longer waits for (it restarted) changes nothing."""
        payload = event.payload if isinstance(event.payload, dict) else {}
        job = payload.get("job")
        block_id = turn.waiting_block
        if turn.pending_job is None or job != turn.pending_job or turn.status != "waiting" \
                or block_id is None or block_id not in turn.compiled.blocks:
            return self._unchanged(original, turn)
        block = turn.compiled.blocks[block_id]
        try:
            outcome = ServiceOutcome.model_validate(payload.get("outcome") or {})
        except ValueError:
            outcome = ServiceOutcome(status="error", error="the job's outcome was unreadable")
        turn.pending_job = None
        self._leave_waiting(turn)
        return self._outcome_reaches(turn, original, block, outcome,
                                     str(payload.get("service") or "job"),
                                     str(payload.get("operation") or job), self.max_steps)

    def _restart(self, turn: _Turn, original: ConversationState, event: InboundEvent,
                 block_id: str | None) -> TurnResult:
        root = turn.root
        turn.frames = [_Frame(root.version_id, root.name, block_id or root.start, None)]
        turn.compiled = root
        turn.variables = root.initial_variables()
        turn.pending_job = None  # a result still on its way is for the old conversation
        self._leave_waiting(turn)
        if isinstance(event.payload, dict):
            for name, value in event.payload.items():
                # Whoever starts a conversation (a widget page, anyone with the chat key) may
                # fill only this conversation's own declared variables, never the person's
                # (user scope), the bot's (shared by every conversation) or the system's.
                declaration = root.variables.get(name)
                if declaration is None or declaration.scope != "conversation":
                    what = ("is not declared" if declaration is None else
                            f"has the scope '{declaration.scope}'")
                    turn.errors.append(turn_error(
                        "variable.invalid", f"variable '{name}' cannot be prefilled: it {what}; "
                        "only the scenario's declared conversation variables can"))
                    continue
                try:
                    turn.set(name, value)
                except BlockFailure as exc:
                    turn.errors.append(turn_error("variable.invalid", str(exc)))
        return self._go(turn, original, block_id=block_id or root.start)

    def _no_input(self, turn: _Turn, original: ConversationState) -> TurnResult:
        """The waiting block's own answer time passed: its `no_input` port if connected, else
        the scenario's no_input handler (then the question asks again), else the question
        asks again. Either way its answer time is not armed a second time for this wait.
        For a block waiting on a deferred job, the answer time is the job's limit and a grace:
        past it the job is lost (its instance stopped), and the block leaves by `timeout`."""
        waiting = turn.waiting_block
        block = turn.compiled.blocks.get(waiting) if waiting is not None else None
        if turn.status != "waiting" or block is None:
            return self._unchanged(original, turn)
        if turn.pending_job is not None:
            job, turn.pending_job = turn.pending_job, None
            self._leave_waiting(turn)
            return self._outcome_reaches(turn, original, block, ServiceOutcome(
                status="timeout", error="the job's outcome never came back (the server "
                "running it may have stopped); a result arriving later is ignored"),
                "job", job, self.max_steps)
        start = self.clock()
        try:
            step = block.executor.no_input(block, turn)
        except Exception as exc:  # noqa: BLE001  (a failing block goes to the error handler)
            try:
                self._fail(turn, block, exc, start)
            except _Failure as failure:
                turn.errors.append(failure.error)
                return self._recover(turn, original)
        turn.asked_again = waiting
        self._leave_waiting(turn)
        if step.kind == FOLLOW:
            self._trace(turn, block, step.port, start, "no_input")
            target = block.ports.get(step.port)  # type: ignore[arg-type]
            return self._go(turn, original, block_id=target if target is not None
                            else self._end_frame(turn))
        self._trace(turn, block, None, start, "no_input")
        located = self._locate(turn, lambda c: c.no_input)
        if located is None:
            turn.carry = turn.left
            return self._go(turn, original, block_id=waiting)
        return self._go(turn, original, block_id=self._call_handler(turn, located, waiting))

    def _stuck(self, turn: _Turn, original: ConversationState, text: str | None = None,
               errors: list[TurnError] | None = None) -> TurnResult:
        """The conversation cannot go on from where it stands: say so (or `text`), with a
        button that begins again (RESTART_CHOICE), and leave the state as it was."""
        request = _restart_offer(original)
        return self._unchanged(
            original, None, messages=[message(
                "text", text=text or phrases.stuck(original.language)[0],
                buttons=request.choices)],
            errors=errors, trace=turn.trace, request=request)

    @staticmethod
    def _leave_waiting(turn: _Turn) -> None:
        turn.left = (turn.waiting_block, turn.attempts)
        turn.status = "active"
        turn.waiting_block = None
        turn.attempts = 0
        turn.input = None

    @staticmethod
    def _locate(turn: _Turn, pick: Callable[[CompiledScenario], str | None]
                ) -> tuple[int, str] | None:
        """The innermost frame whose scenario declares the entry point, and its block."""
        for index in range(len(turn.frames) - 1, -1, -1):
            compiled = turn.scenarios[turn.frames[index].version_id]
            block_id = pick(compiled)
            if block_id is not None:
                return index, block_id
        return None

    @staticmethod
    def _call_handler(turn: _Turn, located: tuple[int, str], waiting: str | None) -> str:
        """Run an event handler as a call from where the conversation stands, so that when
        its path ends the block the person was answering (``waiting``) asks again, even when
        the handler belongs to an outer scenario."""
        index, handler = located
        if waiting is None:
            Engine._unwind(turn, index)
            return handler
        owner = turn.frames[index]  # the scenario that declares the handler
        turn.frames[-1].resume_block = waiting
        turn.frames[-1].resume_attempts = turn.left[1] if turn.left[0] == waiting else 0
        turn.frames.append(_Frame(owner.version_id, owner.scenario, handler, None))
        turn.compiled = turn.scenarios[owner.version_id]
        return handler

    @staticmethod
    def _unwind(turn: _Turn, index: int) -> None:
        del turn.frames[index + 1:]
        turn.frames[-1].return_block = None
        turn.compiled = turn.scenarios[turn.frames[-1].version_id]

    def _go(self, turn: _Turn, original: ConversationState, *, block_id: str | None = None,
            event: InboundEvent | None = None) -> TurnResult:
        try:
            if event is not None:
                self._resume(turn, event)
            else:
                self._drive(turn, block_id, self.max_steps)
        except _Failure as failure:
            turn.errors.append(failure.error)
            return self._recover(turn, original)
        return self._result(turn, original)

    def _resume(self, turn: _Turn, event: InboundEvent) -> None:
        block_id = turn.waiting_block
        block = turn.compiled.blocks.get(block_id)  # type: ignore[arg-type]
        if block is None:
            raise _Failure(turn_error(
                "block.failed", f"the conversation waits on block '{block_id}', which scenario "
                f"'{turn.compiled.name}' does not have", block_id))
        if event.kind == "text":
            turn.note_input(event.text)  # also for the fallback handler to read
        elif event.kind == "audio" and block.executor.hears_voice \
                and isinstance(event.payload, dict):
            # Heard first: the speech service transcribes it, then the block gets the text
            # (see _heard). The turn is suspended meanwhile, as for any service call.
            turn.calls += 1
            raise _Suspend(turn, block, ServiceCall(
                service="stt", operation="transcribe",
                request={"audio": event.payload, "language": turn.language},
                timeout_seconds=VOICE_SECONDS), self.max_steps, voice=event)
        start = self.clock()
        try:
            step = block.executor.resume(block, event, turn)
        except Exception as exc:
            self._fail(turn, block, exc, start)
        if step.kind == FALLBACK:
            self._trace(turn, block, None, start, "fallback")
            located = self._locate(turn, lambda c: c.fallback)
            self._leave_waiting(turn)
            if located is None:
                # Re-enter the block: it says its piece again and keeps waiting.
                turn.carry = turn.left
                self._drive(turn, block.id, self.max_steps)
            else:
                self._drive(turn, self._call_handler(turn, located, block.id), self.max_steps)
            return
        if step.kind != REPROMPT and step.kind != SERVICE:
            # (A block that asks a service about the answer keeps waiting, with its tries,
            # until the outcome says whether the answer is taken: see _outcome_reaches.)
            self._leave_waiting(turn)
        target = self._apply(turn, block, step, start)
        if target is not None:
            self._drive(turn, target, self.max_steps)

    def _command(self, turn: _Turn, state: ConversationState, event: InboundEvent
                 ) -> TurnResult | None:
        """A command (`/help`, a global intent's name) runs its handler; None for a command
        the scenario does not know."""
        name = (event.command or "").strip().lstrip("/").lower()
        if name in _RESTART_COMMANDS:
            return self._restart(turn, state, event, turn.root.commands.get(name))
        # A global intent is reached like a command (the orchestrator turns a message that
        # means one into its command, _understood a voice message that does; `/name` typed
        # works too).
        located = self._locate(turn, lambda c: c.commands.get(name)
                               or c.global_intents.get(name))
        if located is not None and (turn.status != "handoff"
                                    or turn.context.commands_in_handoff):
            if event.text:
                turn.note_input(event.text)  # what the person said, for the handler
            # Like an event handler: when the command's path ends, the person is back where
            # they were (the question asks again, the operator keeps the conversation); only
            # an end block ends the conversation.
            waiting = turn.waiting_block if turn.status in ("waiting", "handoff") else None
            self._leave_waiting(turn)
            return self._go(turn, state, block_id=self._call_handler(turn, located, waiting))
        if name == "help":
            help_text = phrases.help_text(turn.language, turn.root.commands)
            return self._unchanged(state, turn, messages=[text_message(help_text, None)])
        return None

    def _heard(self, turn: _Turn, original: ConversationState, block: CompiledBlock,
               outcome: ServiceOutcome, voice: InboundEvent) -> TurnResult:
        """The transcript of a voice message reaches the block that waits, as if typed; a
        message nothing could be heard in (silence, noise, a recording that is not audio, the
        speech service down) asks the person to type it, and the block keeps waiting with
        the tries it had: the person did nothing wrong."""
        _trace_call(turn, block, outcome, "stt", "transcribe")
        # Engines end what they hear as a sentence ("Bob."); an answer typed has no full stop.
        heard = turn.heard = heard_in(
            outcome, lambda said: said.strip()[:MAX_HEARD_CHARS].rstrip(".!…").strip())
        text = heard["text"]
        if text:
            # What was said may mean one of the scenario's global intents ("help", "talk to
            # a person"), as a typed message may: the NLU service is asked first.
            scenario = global_scenario(turn.scenarios, turn.frames)
            if scenario is not None:
                turn.calls += 1
                raise _Suspend(turn, block, global_intent_call(scenario, text),
                               self.max_steps, said=text)
            return self._go(turn, original, event=InboundEvent(kind="text", text=text))
        turn.messages.append(text_message(phrases.not_heard(turn.language), block.id))
        turn.input = self._current_request(turn, original)
        return self._result(turn, original)

    def _understood(self, turn: _Turn, original: ConversationState, block: CompiledBlock,
                    outcome: ServiceOutcome, said: str) -> TurnResult:
        """A voice message's transcript that means a global intent runs it like the typed
        message would; otherwise (or when NLU could not answer in time) the block that
        waits takes it as typed."""
        _trace_call(turn, block, outcome, "nlu", "classify")
        scenario = global_scenario(turn.scenarios, turn.frames)
        command = global_command(scenario, outcome, said) if scenario is not None else None
        if command is not None:
            commanded = self._command(turn, original, command)
            if commanded is not None:
                return commanded
        return self._go(turn, original, event=InboundEvent(kind="text", text=said))

    def _drive(self, turn: _Turn, block_id: str | None, cap: int) -> None:
        """Run blocks from `block_id` until one waits, the conversation ends or the cap."""
        clock = self.clock
        compiled = turn.compiled
        blocks = compiled.blocks
        trace = turn.trace.append
        messages = turn.messages
        steps = 0
        while block_id is not None:
            block = blocks.get(block_id)
            if block is None:
                raise _Failure(turn_error(
                    "block.failed", f"block '{block_id}' does not exist in scenario "
                    f"'{compiled.name}'", block_id))
            steps += 1
            if steps > cap:
                raise _Failure(turn_error(
                    "turn.step_limit", f"more than {cap} blocks ran in one turn without waiting "
                    f"for the person; stopped at block '{block_id}' of scenario "
                    f"'{compiled.name}'", block_id))
            start = clock()
            if start > turn.deadline:
                raise _Failure(turn_error(
                    "turn.time_limit", f"the turn ran longer than {self.turn_ns / 1e9:g} s "
                    f"({steps - 1} blocks); stopped at block '{block_id}' of scenario "
                    f"'{compiled.name}'", block_id))
            carried = turn.carry
            if carried[0] is not None:  # asked again: its used tries count in its request
                turn.carry = (None, 0)
                if carried[0] == block_id:
                    turn.attempts = carried[1]
            try:
                step = block.executor.enter(block, turn)
            except Exception as exc:
                self._fail(turn, block, exc, start)
            if step[0] == FOLLOW:  # the common case, kept inline
                if step[2]:
                    messages.extend(step[2])
                port = step[1]
                block_id = block.ports.get(port)
                trace((block.id, block.type, compiled.name, port,
                       (clock() - start) / 1000, None))
                if block_id is None:
                    block_id = self._end_frame(turn)
                    compiled = turn.compiled
                    blocks = compiled.blocks
                continue
            # A block entered afresh starts its count again; one asking again after a
            # handler, a command or a fallback keeps the tries it had used.
            turn.attempts = carried[1] if carried[0] == block.id else 0
            if step[0] == SERVICE:
                block_id = self._suspend(turn, block, step, start, cap - steps)
            else:
                block_id = self._apply(turn, block, step, start)
            compiled = turn.compiled
            blocks = compiled.blocks

    def _apply(self, turn: _Turn, block: CompiledBlock, step: Step, start: int) -> str | None:
        """Carry out a step; the block to run next, if any."""
        kind = step.kind
        if kind == SERVICE:  # asked by a waiting block on the person's answer
            return self._suspend(turn, block, step, start, self.max_steps)
        if step.messages and not (kind == HANDOFF and turn.handed_off == block.id):
            # (A path that leads back into the handoff the conversation is already in, from
            # a command during it, says nothing again: the operator has it already.)
            turn.messages.extend(step.messages)
        if kind == FOLLOW:
            target = block.ports.get(step.port)  # type: ignore[arg-type]
            self._trace(turn, block, step.port, start, None)
            return target if target is not None else self._end_frame(turn)
        if kind == WAIT or kind == REPROMPT or kind == HANDOFF:
            frames = turn.frames
            if (len(frames) > 1 and frames[-2].resume_block is not None
                    and frames[-2].version_id == frames[-1].version_id):
                # An event handler led to a block that waits: from here the conversation
                # simply continues there, as if the handler had been a jump.
                frames.pop()
                frames[-1].resume_block = None
                frames[-1].resume_attempts = 0
            turn.status = "handoff" if kind == HANDOFF else "waiting"
            turn.waiting_block = block.id
            turn.input = step.request
            turn.frames[-1].block = block.id
            self._trace(turn, block, None, start, None)
            return None
        if kind == END:
            turn.ended_on_purpose = True
            turn.status = "ended"
            turn.waiting_block = None
            turn.input = None
            turn.frames[-1].block = block.id
            self._trace(turn, block, None, start, None)
            return None
        if kind == CALL:
            try:
                callee = turn.require_scenario(step.scenario or "")
                if step.return_after and len(turn.frames) >= MAX_FRAMES:
                    raise BlockFailure(f"scenarios call each other more than {MAX_FRAMES} "
                                       "levels deep")
            except BlockFailure as exc:
                self._fail(turn, block, exc, start)
            frames = turn.frames
            frame = _Frame(callee.version_id, callee.name, callee.start, None)
            frames[-1].block = block.id
            if step.return_after:
                frames[-1].return_block = block.id
                frames.append(frame)
            elif len(frames) > 1:
                frames[-1] = frame  # a jump without return replaces the finished caller
            else:
                frames.append(frame)  # the main scenario stays at the bottom for /start
            turn.compiled = callee
            self._trace(turn, block, None, start, None)
            return callee.start
        self._fail(turn, block, BlockFailure(f"unknown step kind {kind!r}"), start)
        return None  # pragma: no cover  (_fail raises)

    def _end_frame(self, turn: _Turn) -> str | None:
        """A port with no edge ends the frame: back to the caller's jump block `next` port,
        or the end of the conversation."""
        frames = turn.frames
        while len(frames) > 1:
            frames.pop()
            caller = frames[-1]
            turn.compiled = turn.scenarios[caller.version_id]
            resume, caller.resume_block = caller.resume_block, None
            attempts, caller.resume_attempts = caller.resume_attempts, 0
            if resume is not None:
                # An event handler finished: the block the person was answering asks again;
                # an operator's conversation simply goes back to the operator.
                caller.block = resume
                turn.carry = (resume, attempts)
                block = turn.compiled.blocks.get(resume)
                if turn.pending_job is not None and \
                        turn.pending_job.rpartition(":")[0] == resume:
                    # Its job is still running: wait for it again (entering the block again
                    # would start a second job).
                    turn.status = "waiting"
                    turn.waiting_block = resume
                    turn.input = None
                    return None
                if block is not None and block.type == "handoff":
                    turn.status = "handoff"
                    turn.waiting_block = resume
                    turn.input = block.executor.request(block, turn)
                    return None
                return resume
            jump_id, caller.return_block = caller.return_block, None
            if jump_id is None:
                continue
            jump = turn.compiled.blocks.get(jump_id)
            target = jump.ports.get("next") if jump is not None else None
            if target is not None:
                caller.block = target
                return target
        turn.status = "ended"
        turn.waiting_block = None
        turn.input = None
        return None

    def _trace(self, turn: _Turn, block: CompiledBlock, port: str | None, start: int,
               error: str | None) -> None:
        turn.trace.append((block.id, block.type, turn.compiled.name, port,
                           (self.clock() - start) / 1000, error))

    def _fail(self, turn: _Turn, block: CompiledBlock, exc: BaseException, start: int) -> None:
        reason = str(exc) if isinstance(exc, BlockFailure) else f"{type(exc).__name__}: {exc}"
        self._trace(turn, block, None, start, reason)
        raise _Failure(turn_error(
            "block.failed", f"block '{block.id}' ({block.type}) failed: {reason}", block.id))

    # --- after a failure -------------------------------------------------------------------------

    def _recover(self, turn: _Turn, original: ConversationState) -> TurnResult:
        if not turn.in_handler:
            # The handler starts from where the conversation stood before this turn.
            turn.frames = [_Frame(f.version_id, f.scenario, f.block, f.return_block,
                                  f.resume_block, f.resume_attempts) for f in original.frames]
            turn.compiled = turn.scenarios[turn.frames[-1].version_id]
            located = self._locate(turn, lambda c: c.error)
            if located is not None:
                turn.in_handler = True
                turn.deadline = self.clock() + self.handler_ns
                failed = turn.errors[-1]
                # The handler starts from the variables before the turn too: a turn's changes
                # are kept whole or not at all. What the person sent stays readable.
                said = {name: turn.variables[name] for name in ("last_input", "last_choice")
                        if name in turn.variables}
                turn.variables = {**original.variables, **said}
                turn.user_vars, turn.bot_vars = (turn.context.user_variables,
                                                 turn.context.bot_variables)
                turn.user_before, turn.bot_before = {}, {}
                turn.language = original.language
                turn.messages = []  # nothing was delivered yet: the handler speaks for the turn
                turn.jobs = []  # nor was any job started
                turn.pending_job, turn.jobs_started = original.pending_job, original.jobs_started
                waiting = original.waiting_block if original.status == "waiting" else None
                self._leave_waiting(turn)
                handler = self._call_handler(turn, located, waiting)
                for name, value in (("error_message", failed.message),
                                    ("error_block", failed.block_id)):
                    if name in turn.compiled.variables:
                        try:
                            turn.set(name, value)
                        except BlockFailure:
                            pass
                try:
                    self._drive(turn, handler, self.handler_steps)
                    return self._result(turn, original)
                except _Failure as failure:
                    turn.errors.append(failure.error)
        # No handler, or it failed too: say sorry and leave the conversation where it was,
        # with something the person can do: the question they were answering, asked again,
        # or (when nothing was asked yet) an offer to begin again.
        apology = text_message(phrases.apology(original.language), None)
        if original.status == "waiting" and original.waiting_block is not None:
            again, request = self._ask_again(original, turn.scenarios, turn.context)
            return self._unchanged(original, None, messages=[apology, *again],
                                   errors=turn.errors, trace=turn.trace,
                                   scenarios=turn.scenarios, context=turn.context,
                                   request=request)
        if original.status == "active":
            return self._stuck(turn, original, apology.text, errors=turn.errors)
        return self._unchanged(original, None, messages=[apology],
                               errors=turn.errors, trace=turn.trace, scenarios=turn.scenarios,
                               context=turn.context)

    def _ask_again(self, state: ConversationState,
                   scenarios: Mapping[uuid.UUID, CompiledScenario], context: TurnContext
                   ) -> tuple[list[OutboundMessage], InputRequest | None]:
        """The waiting block's question once more, entered on a scratch turn so that nothing
        it does touches the state; nothing if it cannot ask."""
        try:
            scratch = _Turn(self, scenarios, state, context)
            scratch.root = scenarios[scratch.frames[0].version_id]
            scratch.compiled = scenarios[scratch.frames[-1].version_id]
            block = scratch.compiled.blocks[state.waiting_block]  # type: ignore[index]
            step = block.executor.enter(block, scratch)
        except Exception:  # noqa: BLE001  (only a courtesy: the apology still goes out)
            return [], None
        if step.kind != WAIT:
            return [], None
        return list(step.messages), step.request

    def _missing(self, state: ConversationState, reason: str) -> TurnResult:
        return self._unchanged(state, None, messages=[
            text_message(phrases.apology(state.language), None)],
            errors=[turn_error("scenario.missing", reason)])

    # --- results -----------------------------------------------------------------------------

    def _unchanged(self, state: ConversationState, turn: _Turn | None, *,
                   messages: list[OutboundMessage] | None = None,
                   errors: list[TurnError] | None = None, trace: list[tuple[Any, ...]] | None = None,
                   scenarios: Mapping[uuid.UUID, CompiledScenario] | None = None,
                   context: TurnContext | None = None,
                   request: InputRequest | None = None) -> TurnResult:
        """The state as it came in: the turn decided nothing (or failed)."""
        if turn is None and scenarios is not None and context is not None:
            turn = _Turn(self, scenarios, state, context)
            if turn.frames and all(f.version_id in scenarios for f in turn.frames):
                turn.root = scenarios[turn.frames[0].version_id]
                turn.compiled = scenarios[turn.frames[-1].version_id]
            else:
                turn = None
        if request is None and turn is not None:
            request = self._current_request(turn, state)
        root = turn.root if turn is not None else None
        return construct_result(
            messages=messages or [], input=request, state=state,
            ended=state.status == "ended", user_variable_changes={}, bot_variable_changes={},
            variable_changes={}, trace=[trace_step(*t) for t in trace or ()],
            errors=errors or [], version_id=root.version_id if root is not None else (
                state.frames[0].version_id if state.frames else None), jobs=[],
            shares_variables=True, heard=None)

    @staticmethod
    def _current_request(turn: _Turn, state: ConversationState) -> InputRequest | None:
        if state.status == "active" and state.waiting_block is None:
            # Between turns only a conversation that could not go on is active: it still
            # offers to begin again (after /help, say).
            return _restart_offer(state)
        if state.status not in ("waiting", "handoff") or state.waiting_block is None:
            return None
        block = turn.compiled.blocks.get(state.waiting_block)
        if block is None:
            return None
        try:
            return block.executor.request(block, turn)
        except Exception:  # only a hint for the channel; never worth failing the turn
            return None

    def _result(self, turn: _Turn, original: ConversationState) -> TurnResult:
        status = turn.status
        waiting = status == "waiting" or status == "handoff"
        if status == "ended" and turn.from_person and not turn.messages \
                and not turn.ended_on_purpose:
            # A path that just stopped (a port with no edge) after the person spoke: tell
            # them, rather than end in silence. An end block is the author's choice.
            turn.messages.append(text_message(phrases.ended(turn.language), None))
        frames = [construct_frame(version_id=f.version_id, scenario=f.scenario,
                                        block=f.block, return_block=f.return_block,
                                        resume_block=f.resume_block,
                                        resume_attempts=f.resume_attempts)
                  for f in turn.frames]
        no_input = None
        if status == "waiting" and turn.input is not None \
                and turn.asked_again != turn.waiting_block:
            no_input = turn.input.no_input_seconds
        elif status == "waiting" and turn.pending_job is not None:
            # The conversation's timer, armed by the chat service, catches a job that is lost.
            started = [j for j in turn.jobs if j.job == turn.pending_job]
            if started:
                no_input = started[0].call.timeout_seconds + self.job_grace_seconds
        state = construct_state(
            format=STATE_FORMAT, status=status, language=turn.language, frames=frames,
            waiting_block=turn.waiting_block if waiting else None,
            attempts=turn.attempts if waiting else 0, variables=turn.variables, pins=turn.pins,
            no_input_seconds=no_input,
            pending_job=turn.pending_job if status == "waiting" else None,
            jobs_started=turn.jobs_started)
        changes: dict[str, list[Any]] = {}
        before, after = original.variables, turn.variables
        for name, value in after.items():
            old = before.get(name, _MISSING)
            if old is _MISSING:
                changes[name] = [None, value]
            elif old != value or type(old) is not type(value):
                changes[name] = [old, value]
        for name in before.keys() - after.keys():
            changes[name] = [before[name], None]
        user_changes = self._scope_changes(turn.user_before, turn.user_vars, changes)
        bot_changes = self._scope_changes(turn.bot_before, turn.bot_vars, changes)
        return construct_result(
            messages=turn.messages, input=turn.input if waiting else None, state=state,
            ended=status == "ended", user_variable_changes=user_changes,
            bot_variable_changes=bot_changes, variable_changes=changes,
            trace=[trace_step(*t) for t in turn.trace], errors=turn.errors,
            version_id=turn.root.version_id, jobs=turn.jobs,
            shares_variables=any(s.shares_variables for s in turn.scenarios.values()),
            heard=turn.heard)

    @staticmethod
    def _scope_changes(before: dict[str, Any], values: dict[str, Any],
                       changes: dict[str, list[Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, old in before.items():
            new = values.get(name)
            if old != new or type(old) is not type(new):
                out[name] = new
                changes[name] = [old, new]
        return out
