"""The conformance corpus: conversations written as data (`cases/*.json`, format in
README.md), played through the pure engine turn by turn. Each case is one test; a further
test checks that the corpus as a whole exercises every built-in block type, port, event,
command and language, counting only what the engine's trace shows actually ran."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from orchestrator.contract import (
    ConversationState,
    InboundEvent,
    TurnContext,
    TurnResult,
)
from orchestrator.blocks import default_executors
from orchestrator.dispatch import Dispatcher
from orchestrator.engine import CompiledScenario, Engine, compile_document
from orchestrator.engine.executor import ExecutorRegistry
from orchestrator.engine.interpreter import PendingTurn
from orchestrator.engine.phrases import help_text
from scenarios.format import validate_document

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
# Fixed facts, so that {{ today }} and the like read the same on every run.
NOW = datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC)
BOT_ID = uuid.UUID("00000000-0000-0000-0000-0000000000b0")
CONVERSATION_ID = uuid.UUID("00000000-0000-0000-0000-0000000000c0")
MAIN = "main"

ACTIONS = ("person", "choice", "command", "event", "payload")
BOT_KEYS = {"bot", "input", "ended", "buttons", "choices", "types", "delay", "errors",
            "variables", "user_variables", "language", "no_input_seconds"}
CASE_KEYS = {"title", "covers", "languages", "default_language", "language", "scenario",
             "scenario_file", "scenarios", "variables", "user_variables", "transcript",
             "validate", "xfail", "name", "context"}

BLOCK_TYPES = ("message", "input", "condition", "set_variable", "jump", "wait", "handoff",
               "end", "set_language")
INPUT_KINDS = ("text", "number", "email", "phone", "date", "choice")
OPERATORS = ("equals", "not_equals", "contains", "not_contains", "starts_with", "ends_with",
             "greater", "greater_or_equal", "less", "less_or_equal", "matches", "is_set",
             "is_not_set", "is_empty")
# What the corpus as a whole must exercise.
REQUIRED = frozenset(
    [f"block:{t}" for t in BLOCK_TYPES]
    + [f"port:{p}" for p in ("next", "invalid", "true", "false", "button", "jump")]
    + [f"event:{e}" for e in ("start", "fallback", "timeout", "no_input", "error",
                              "handback")]
    + [f"command:{c}" for c in ("start", "restart", "help", "declared")]
    + [f"input:{k}" for k in INPUT_KINDS]
    + [f"op:{o}" for o in OPERATORS]
    + [f"condition:{c}" for c in ("all", "any", "not")]
    + ["language:uk", "language:en"])
# Prefixes whose claims are checked against the run; `feature:` tags are descriptive only.
VERIFIED_PREFIXES = ("block", "port", "event", "command", "input", "op", "condition",
                     "language")
HELP_TITLES = tuple(help_text(language, ()).splitlines()[0] for language in ("uk", "en"))


# --- loading -------------------------------------------------------------------------------------

def case_files() -> list[Path]:
    return sorted(CASES.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    case = json.loads(path.read_text(encoding="utf-8"))
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
    for key in ("title", "covers", "languages", "default_language", "language", "transcript"):
        assert key in case, f"{path.name}: '{key}' is required"
    assert ("scenario" in case) != ("scenario_file" in case), \
        f"{path.name}: give exactly one of 'scenario' or 'scenario_file'"
    for claim in case["covers"]:
        prefix = claim.partition(":")[0]
        assert prefix in (*VERIFIED_PREFIXES, "feature"), \
            f"{path.name}: unknown kind of claim {claim!r}"
    transcript = case["transcript"]
    assert transcript and _is_bot(transcript[0]), \
        f"{path.name}: the transcript begins with the bot's reply to the start"
    for n, step in enumerate(transcript, 1):
        if _is_bot(step):
            unknown = set(step) - BOT_KEYS
            assert not unknown, f"{path.name}: step {n} has unknown keys {sorted(unknown)}"
            assert "input" in step, f"{path.name}: step {n} must say which input it awaits"
            assert n == 1 or not _is_bot(transcript[n - 2]), \
                f"{path.name}: step {n} is a second bot reply in a row"
        else:
            assert len(step) == 1 and next(iter(step)) in ACTIONS, \
                f"{path.name}: step {n} is neither a person's action nor a bot reply: {step}"
            assert n < len(transcript) and _is_bot(transcript[n]), \
                f"{path.name}: step {n} (a person's action) must be followed by the bot's reply"
    return case


def _is_bot(step: Mapping[str, Any]) -> bool:
    return "bot" in step


def params() -> Iterator[Any]:
    for path in case_files():
        case = load(path)
        marks = []
        if case.get("xfail"):
            marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
        yield pytest.param(path, id=path.stem, marks=marks)


# --- playing -------------------------------------------------------------------------------------

@dataclass
class Run:
    """What happened, for the checks and the coverage."""

    observed: set[str] = field(default_factory=set)
    log: list[str] = field(default_factory=list)


def _document(case: Mapping[str, Any]) -> dict[str, Any]:
    if "scenario_file" in case:
        return json.loads((ROOT / case["scenario_file"]).read_text(encoding="utf-8"))
    return case["scenario"]


def _compile(name: str, doc: Mapping[str, Any], case: Mapping[str, Any]) -> CompiledScenario:
    languages, default = case["languages"], case["default_language"]
    validate = case.get("validate", True)
    if validate:
        report = validate_document(doc, languages, default)
        problems = [f"{issue.code} at {issue.path}: {issue.message}" for issue in report.errors]
        assert not problems, f"scenario {name!r} does not validate:\n  " + "\n  ".join(problems)
    return compile_document(doc, version_id=uuid.uuid5(uuid.NAMESPACE_URL, f"corpus/{name}"),
                            name=name, languages=languages, default_language=default,
                            validate=validate, executors=_executors())


def _executors() -> ExecutorRegistry:
    """The built-in executors and the modules service's (script, http), as the gateway
    installs them."""
    from modules.blocks import EXECUTORS

    registry = default_executors()
    for executor in EXECUTORS:
        registry.register(executor)
    return registry


class _Services:
    """Service blocks run for real: the modules service (its sandbox, its guarded HTTP client
    that reaches only public addresses) on a loop of the case's own."""

    def __init__(self) -> None:
        from modules.http import AddressPolicy, SafeHttpClient
        from modules.sandbox import Sandbox
        from modules.service import ModulesService

        self.loop = asyncio.new_event_loop()
        self.service = ModulesService(Sandbox(workers=1), SafeHttpClient(AddressPolicy()), None)
        self.dispatcher = Dispatcher()
        self.dispatcher.register("modules", self.service)

    def settle(self, engine: Engine, result: Any, context: TurnContext) -> TurnResult:
        while isinstance(result, PendingTurn):
            outcome = self.loop.run_until_complete(self.dispatcher.call(result.call, context))
            result = engine.resume_turn(result, outcome)
        return result

    def close(self) -> None:
        self.loop.run_until_complete(self.service.close())
        self.loop.close()


def _event(step: Mapping[str, Any]) -> InboundEvent:
    if "person" in step:
        return InboundEvent(kind="text", text=step["person"])
    if "choice" in step:
        return InboundEvent(kind="choice", choice_id=step["choice"])
    if "command" in step:
        return InboundEvent(kind="command", command=step["command"])
    if "payload" in step:
        return InboundEvent(kind="payload", payload=step["payload"])
    return InboundEvent(kind=step["event"])


def _describe(step: Mapping[str, Any] | None) -> str:
    if step is None:
        return "the conversation started"
    key, value = next(iter(step.items()))
    if key == "person":
        return f"the person typed {value!r}"
    if key == "choice":
        return f"the person pressed {value!r}"
    if key == "command":
        return f"the person sent /{str(value).lstrip('/')}"
    if key == "payload":
        return f"the channel sent the payload {json.dumps(value, ensure_ascii=False)}"
    return f"the event {value!r} arrived"


def _actual(result: TurnResult, state: ConversationState,
            user: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "bot": [m.text for m in result.messages if m.type == "text"],
        "input": result.input.kind if result.input is not None else None,
        "ended": result.ended,
        "buttons": [b.id for m in result.messages for b in [*m.buttons, *m.quick_replies]],
        "choices": [c.id for c in result.input.choices] if result.input is not None else [],
        "types": [m.type for m in result.messages],
        "delay": [m.seconds for m in result.messages if m.type == "delay"],
        "errors": [e.code for e in result.errors],
        "variables": dict(state.variables),
        "user_variables": dict(user),
        "language": state.language,
        "no_input_seconds": state.no_input_seconds,
    }


def _compare(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[str]:
    """The differences, one block per field; texts, input and ended are always shown so that
    a failure reads as the whole reply, with ✗ on what differs."""
    checks = dict(expected)
    checks.setdefault("ended", False)
    checks.setdefault("errors", [])
    lines, wrong = [], False
    for key in ("bot", "input", "ended", "buttons", "choices", "types", "delay", "errors",
                "language", "no_input_seconds"):
        if key not in checks:
            continue
        differs = checks[key] != actual[key]
        wrong = wrong or differs
        if differs or key in ("bot", "input", "ended"):
            mark = "✗" if differs else " "
            lines.append(f"  {mark} {key}:\n      expected {_json(checks[key])}"
                         f"\n      actual   {_json(actual[key])}")
    for key in ("variables", "user_variables"):
        for name, value in checks.get(key, {}).items():
            got = actual[key].get(name, "<absent>")
            if got != value or type(got) is not type(value):
                wrong = True
                lines.append(f"  ✗ {key}.{name}: expected {_json(value)}, actual {_json(got)}")
    return lines if wrong else []


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _ops(condition: Any) -> Iterator[str]:
    """Operators and combinators of a condition tree (settings models, walked as dicts)."""
    data = condition.model_dump(by_alias=True) if hasattr(condition, "model_dump") else condition
    if isinstance(data, dict):
        for key in ("all", "any"):
            if isinstance(data.get(key), list):
                yield f"condition:{key}"
                for part in data[key]:
                    yield from _ops(part)
                return
        if "not" in data:
            yield "condition:not"
            yield from _ops(data["not"])
            return
        if "op" in data:
            yield f"op:{data['op']}"


def _observe(run: Run, result: TurnResult, event: InboundEvent,
             before: ConversationState, scenarios: Mapping[str, CompiledScenario],
             language: str) -> None:
    """What this turn demonstrably exercised, read from the trace and the result."""
    seen = run.observed
    by_name = scenarios
    for step in result.trace:
        compiled = by_name.get(step.scenario)
        block = compiled.blocks.get(step.block_id) if compiled is not None else None
        seen.add(f"block:{step.type}")
        if step.port is not None:
            standard = step.port in ("next", "invalid", "true", "false", "jump")
            seen.add(f"port:{step.port}" if standard else "port:button")
        if block is not None and step.type == "input" and step.error is None:
            seen.add(f"input:{block.settings.kind}")
        if block is not None and step.type == "condition" and step.error is None:
            for rule in block.settings.when:
                seen.update(_ops(rule))
            if len(block.settings.when) > 1:
                seen.add(f"condition:{block.settings.mode}")
        if step.error == "fallback":
            seen.add("event:fallback")
    ran = {(s.scenario, s.block_id) for s in result.trace}

    def handler_ran(kind: str) -> bool:
        return any((name, compiled.handler(kind)) in ran for name, compiled in by_name.items()
                   if compiled.handler(kind) is not None)

    if event.kind == "start" and result.trace:
        seen.add("event:start")
    if event.kind == "text" and before.waiting_block is None and handler_ran("fallback"):
        seen.add("event:fallback")
    if event.kind == "timeout" and handler_ran("timeout"):
        seen.add("event:timeout")
    if event.kind == "no_input" and (handler_ran("no_input") or any(
            s.error == "no_input" for s in result.trace)):
        seen.add("event:no_input")
    if event.kind == "handback" and any(s.type == "handoff" and s.port == "next"
                                        for s in result.trace):
        seen.add("event:handback")
    if any(e.code in ("block.failed", "turn.step_limit") for e in result.errors):
        seen.add("event:error")
    if event.kind == "command":
        name = (event.command or "").strip().lstrip("/").lower()
        if name in ("start", "restart") and result.trace:
            seen.add(f"command:{name}")
        elif name == "help" and result.messages and (result.messages[0].text or "") \
                .startswith(HELP_TITLES):
            seen.add("command:help")
        elif result.trace and any(name in c.commands for c in by_name.values()):
            seen.add("command:declared")
    if result.messages:
        seen.add(f"language:{language}")


def play(path: Path) -> Run:
    services = _Services()
    try:
        return _play(path, services)
    finally:
        services.close()


def _play(path: Path, services: _Services) -> Run:
    case = load(path)
    languages, default, language = case["languages"], case["default_language"], case["language"]
    main_name = case.get("name", MAIN)
    documents = {main_name: _document(case), **case.get("scenarios", {})}
    scenarios = {name: _compile(name, doc, case) for name, doc in documents.items()}
    by_version = {s.version_id: s for s in scenarios.values()}
    engine = Engine(_executors(), clock=lambda: 0)
    main = scenarios[main_name]
    prefill = case.get("variables") or {}
    state = engine.start_state(main, language, prefill)
    # As the in-process client does: every scenario the main one can reach is pinned up front.
    state = state.model_copy(update={"pins": {s.name: s.version_id for s in scenarios.values()}})
    user: dict[str, Any] = dict(case.get("user_variables") or {})
    bot: dict[str, Any] = {}
    context = TurnContext(conversation_id=CONVERSATION_ID, bot_id=BOT_ID, user_id="corpus-user",
                          channel="rest", now=NOW, default_language=default,
                          languages=languages, **case.get("context", {}))
    run = Run()

    def turn(event: InboundEvent) -> TurnResult:
        nonlocal state
        ctx = context.model_copy(update={"user_variables": dict(user),
                                         "bot_variables": dict(bot)})
        before = state
        result = services.settle(engine, engine.run_turn(by_version, state, event, ctx), ctx)
        state = result.state
        user.update(result.user_variable_changes)
        bot.update(result.bot_variable_changes)
        _observe(run, result, event, before, scenarios, language)
        return result

    action: Mapping[str, Any] | None = None
    for n, step in enumerate(case["transcript"], 1):
        if not _is_bot(step):
            action = step
            continue
        event = _event(action) if action is not None else InboundEvent(
            kind="start", payload=dict(prefill) if prefill else None)
        result = turn(event)
        actual = _actual(result, state, user)
        run.log.append(f"step {n}: {_describe(action)} -> "
                       f"{json.dumps(actual['bot'], ensure_ascii=False)}")
        problems = _compare(step, actual)
        if problems:
            pytest.fail(f"{path.stem}: step {n}, after {_describe(action)}, the bot did not "
                        "answer as expected:\n" + "\n".join(problems)
                        + "\n  (trace: " + " → ".join(
                            f"{s.block_id}[{s.port or s.error or '·'}]" for s in result.trace)
                        + ")\n  so far:\n    " + "\n    ".join(run.log), pytrace=False)
        if result.ended:
            _check_nothing_runs(path, n, engine, by_version, state, context, user, bot)
        action = None
    _check_claims(path, case, run)
    return run


def _check_nothing_runs(path: Path, n: int, engine: Engine,
                        scenarios: Mapping[uuid.UUID, CompiledScenario],
                        state: ConversationState, context: TurnContext,
                        user: Mapping[str, Any], bot: Mapping[str, Any]) -> None:
    """After the end, whatever the person sends or the clock does runs no block and leaves the
    state as it was (only /start, /restart and declared commands begin again)."""
    ctx = context.model_copy(update={"user_variables": dict(user), "bot_variables": dict(bot)})
    for probe in (InboundEvent(kind="text", text="ще щось / anything else?"),
                  InboundEvent(kind="choice", choice_id="next"),
                  InboundEvent(kind="timeout"), InboundEvent(kind="handback")):
        result = engine.run_turn(scenarios, state, probe, ctx)
        if result.messages or result.trace or result.state != state or not result.ended:
            pytest.fail(f"{path.stem}: step {n} ended the conversation, but a later "
                        f"{probe.kind} event still ran: messages "
                        f"{[m.text for m in result.messages]}, trace "
                        f"{[s.block_id for s in result.trace]}, ended={result.ended}",
                        pytrace=False)


def _check_claims(path: Path, case: Mapping[str, Any], run: Run) -> None:
    claimed = {c for c in case["covers"] if c.partition(":")[0] in VERIFIED_PREFIXES}
    unproven = sorted(claimed - run.observed)
    if unproven:
        pytest.fail(f"{path.stem}: 'covers' claims what the run did not exercise: {unproven}"
                    f"\n  observed: {sorted(run.observed)}", pytrace=False)


# --- tests ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", list(params()))
def test_case(path: Path) -> None:
    play(path)


def test_corpus_covers_the_engine() -> None:
    claimed: set[str] = set()
    observed: set[str] = set()
    for path in case_files():
        case = load(path)
        if case.get("xfail"):
            continue  # a case that does not pass proves nothing
        claimed.update(case["covers"])
        observed.update(play(path).observed)
    assert not REQUIRED - claimed, f"no case claims {sorted(REQUIRED - claimed)}"
    assert not REQUIRED - observed, f"no case exercises {sorted(REQUIRED - observed)}"


def test_case_names_are_unique_and_tidy() -> None:
    stems = [p.stem for p in case_files()]
    assert stems, "the corpus has no cases"
    assert all(s == s.lower() and " " not in s for s in stems), stems
