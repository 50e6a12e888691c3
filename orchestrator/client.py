"""The in-process orchestrator client: loads published versions through the scenarios
contract, compiles them (cached by version id), pins the scenarios a conversation can jump to,
and runs turns on the pure engine. The awaits are calls to the scenarios client, each under a
timeout, and the service calls that blocks ask for (`orchestrator.dispatch`), which the engine
suspends the turn for."""

from __future__ import annotations

import asyncio
import uuid
from collections import OrderedDict
from typing import Any, Generic, TypeVar

import structlog

from scenarios.contract import PublishedVersion, ScenariosClient

from orchestrator.contract import (
    ConversationState,
    DeferredJob,
    InboundEvent,
    ScenarioNotRunnable,
    ScenariosUnavailable,
    ServiceOutcome,
    TurnContext,
    TurnResult,
)
from orchestrator.engine.compile import (
    CompiledScenario,
    global_command,
    global_intent_call,
    global_scenario,
)
from orchestrator.dispatch import Dispatcher
from orchestrator.engine.interpreter import Engine, PendingTurn

log = structlog.get_logger(__name__)

K = TypeVar("K")
V = TypeVar("V")


class _Recent(Generic[K, V]):
    """A small LRU map: compiled versions are immutable, so entries never go stale."""

    def __init__(self, size: int) -> None:
        self._size = max(1, size)
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class InProcessOrchestrator:
    """`OrchestratorClient` for the embedded mode (and the core of the HTTP one)."""

    def __init__(self, scenarios: ScenariosClient, engine: Engine | None = None,
                 cache_size: int = 256, *, timeout: float = 5.0,
                 dispatcher: Dispatcher | None = None) -> None:
        self._scenarios = scenarios
        self.engine = engine or Engine()
        self._timeout = timeout
        # Blocks that call a service: the engine suspends there, this client makes the call.
        self.dispatcher = dispatcher or Dispatcher()
        self._compiled: _Recent[tuple[uuid.UUID, str, tuple[str, ...]], CompiledScenario] = \
            _Recent(cache_size)
        # Frames name versions by id; versions seen recently are kept so that a turn does not
        # ask the scenarios service again (published versions never change).
        self._versions: _Recent[uuid.UUID, PublishedVersion] = _Recent(cache_size * 4)

    async def start(self, *, scenario_id: uuid.UUID, context: TurnContext, language: str,
                    variables: dict[str, Any] | None = None,
                    version_id: uuid.UUID | None = None) -> TurnResult:
        version = await self._call(
            self._scenarios.get_live_version(scenario_id) if version_id is None
            else self._scenarios.get_version_by_id(version_id))
        if version is not None and (version.bot_id != context.bot_id
                                    or version.scenario_id != scenario_id):
            # A caller names the scenario; it must be one of this bot's, never another's.
            version = None
        if version is None:
            raise ScenarioNotRunnable(
                f"Scenario {scenario_id} has no published version to run for this bot; "
                "publish it first.")
        compiled = await self._compile(version, context)
        scenarios = {compiled.version_id: compiled}
        language = _supported(language, context)
        state = self.engine.start_state(compiled, language, variables)
        pins = await self._pin(compiled, dict(state.pins), scenarios, context)
        state = state.model_copy(update={"pins": pins})
        event = InboundEvent(kind="start", payload=dict(variables) if variables else None)
        return await self._settle(self.engine.run_turn(scenarios, state, event, context),
                                  context)

    async def advance(self, *, state: ConversationState, event: InboundEvent,
                      context: TurnContext) -> TurnResult:
        scenarios: dict[uuid.UUID, CompiledScenario] = {}
        wanted = [frame.version_id for frame in state.frames] + list(state.pins.values())
        for version_id in dict.fromkeys(wanted):
            compiled = await self._load(version_id, context)
            if compiled is not None:
                scenarios[version_id] = compiled
        pins = dict(state.pins)
        for compiled in list(scenarios.values()):
            pins = await self._pin(compiled, pins, scenarios, context)
        if pins != state.pins:
            state = state.model_copy(update={"pins": pins})
        if event.kind == "text" and event.text:
            event = await self._global_intent(event, scenarios, state, context)
        # A frame whose version cannot be loaded is reported by the engine (scenario.missing).
        return await self._settle(self.engine.run_turn(scenarios, state, event, context),
                                  context)

    async def _global_intent(self, event: InboundEvent,
                             scenarios: dict[uuid.UUID, CompiledScenario],
                             state: ConversationState, context: TurnContext) -> InboundEvent:
        """A message that means one of the scenario's global intents becomes that intent's
        command, so the engine interrupts and returns as for `/help`. The innermost scenario
        that declares global intents decides; when the NLU service cannot answer in time the
        message goes on as text (logged), never lost."""
        compiled = global_scenario(scenarios, state.frames)
        if compiled is None:
            return event
        outcome = await self.dispatcher.call(global_intent_call(compiled, event.text or ""),
                                             context)
        if outcome.status != "ok":
            log.warning("orchestrator.global_intent_unavailable", status=outcome.status,
                        error=outcome.error)
            return event
        return global_command(compiled, outcome, event.text) or event

    async def run_job(self, job: DeferredJob, context: TurnContext) -> ServiceOutcome:
        """A deferred job's call, done after its turn was stored (under the call's own, longer
        time limit, the service's bulkhead and breaker, like any call)."""
        return await self.dispatcher.call(job.call, context)

    async def _settle(self, result: TurnResult | PendingTurn, context: TurnContext
                      ) -> TurnResult:
        """Make the calls a turn's blocks ask for, one after another, resuming the engine
        with each outcome, until the turn has its result (the engine caps the calls)."""
        while isinstance(result, PendingTurn):
            outcome = await self.dispatcher.call(result.call, context)
            result = self.engine.resume_turn(result, outcome)
        return result

    # --- loading -------------------------------------------------------------------------------

    async def _call(self, awaitable: Any) -> Any:
        try:
            return await asyncio.wait_for(awaitable, self._timeout)
        except TimeoutError:
            raise ScenariosUnavailable("the scenarios service did not answer in time") from None

    async def _compile(self, version: PublishedVersion, context: TurnContext
                       ) -> CompiledScenario:
        key = (version.id, context.default_language, tuple(context.languages))
        compiled = self._compiled.get(key)
        if compiled is None:
            # Once per version and process, in a thread: compiling validates the version
            # again, and a script block's syntax check cannot be interrupted.
            compiled = await asyncio.to_thread(
                self.engine.compile, version, languages=context.languages,
                default_language=context.default_language)
            self._compiled.put(key, compiled)
        self._versions.put(version.id, version)
        return compiled

    async def _load(self, version_id: uuid.UUID,
                    context: TurnContext) -> CompiledScenario | None:
        version = self._versions.get(version_id)
        if version is None:
            version = await self._call(self._scenarios.get_version_by_id(version_id))
            if version is None:
                return None
        try:
            return await self._compile(version, context)
        except ScenarioNotRunnable:
            return None

    async def _pin(self, compiled: CompiledScenario, pins: dict[str, uuid.UUID],
                   scenarios: dict[uuid.UUID, CompiledScenario],
                   context: TurnContext) -> dict[str, uuid.UUID]:
        """Pin every scenario reachable through jumps (transitively) that is not pinned yet,
        at its live version. One that is unpublished or broken stays unpinned: a jump to it
        fails that block, not the conversation."""
        pending = [compiled]
        while pending:
            current = pending.pop()
            for name in sorted(current.jump_targets):
                if name in pins:
                    continue
                version = await self._call(
                    self._scenarios.get_live_version_by_name(context.bot_id, name))
                if version is None:
                    continue
                try:
                    target = await self._compile(version, context)
                except ScenarioNotRunnable:
                    continue
                pins[name] = target.version_id
                scenarios[target.version_id] = target
                pending.append(target)
        return pins


def _supported(language: str, context: TurnContext) -> str:
    """The conversation's language: the one asked for if the bot has it (or its base
    language, "uk" for "uk-UA"), else the bot's default."""
    if language in context.languages or language == context.default_language:
        return language
    base = language.split("-", 1)[0]
    if base in context.languages:
        return base
    return context.default_language
