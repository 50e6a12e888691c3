"""Compilation of a published version into the frozen form the engine runs: per block its
parsed settings, executor, precomputed plan and port → target map; entry points; variable
declarations; the other scenarios it can jump to. A version is immutable, so this runs once
per version and the result is cached by version id."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from scenarios.format import (
    FormatVersionError,
    ScenarioDocument,
    block_registry,
    upgrade,
    validate_document,
)
from scenarios.format.nlu import training_data
from scenarios.format.validation import COMPUTATION_CODES

from orchestrator.contract import InboundEvent, ScenarioNotRunnable, ServiceCall, ServiceOutcome
from orchestrator.engine.executor import Executor, ExecutorRegistry

if TYPE_CHECKING:
    from scenarios.contract import PublishedVersion

JUMP_PORT = "jump"
"""The port a jump-to-block follows; no edge can use it, since a jump to a block has no ports
in the format."""


@dataclass(frozen=True, slots=True)
class CompiledBlock:
    id: str
    type: str
    name: str | None
    settings: BaseModel
    executor: Executor
    ports: Mapping[str, str]
    plan: Any = None


@dataclass(frozen=True, slots=True)
class VariableDeclaration:
    name: str
    type: str
    scope: str
    default: Any


@dataclass(frozen=True, slots=True)
class CompiledScenario:
    version_id: uuid.UUID
    name: str
    blocks: Mapping[str, CompiledBlock]
    start: str
    commands: Mapping[str, str]
    fallback: str | None
    timeout: str | None
    error: str | None
    no_input: str | None
    variables: Mapping[str, VariableDeclaration]
    jump_targets: frozenset[str]
    default_language: str
    languages: tuple[str, ...]
    scenario_id: uuid.UUID | None = None
    number: int = 0
    document_hash: str = ""
    warnings: tuple[str, ...] = ()
    _defaults: Mapping[str, Any] = field(default_factory=dict, repr=False)
    shares_variables: bool = False  # declares user- or bot-scope variables
    # Global intents: intent name -> block, the model that tells them (the `nlu` section's
    # intents: training rows and digest) and the confidence they need.
    global_intents: Mapping[str, str] = field(default_factory=dict)
    global_model: Mapping[str, Any] | None = None
    global_threshold: float = 0.7

    def initial_variables(self) -> dict[str, Any]:
        """Conversation-scope variables at their declared defaults (fresh copies)."""
        return {name: copy.deepcopy(value) for name, value in self._defaults.items()}

    def handler(self, event: str) -> str | None:
        return {"fallback": self.fallback, "timeout": self.timeout, "error": self.error,
                "no_input": self.no_input}.get(event)


# A message waits at most this long for the global intents' verdict (a trained model answers
# in a fraction of a millisecond; the first message of a new version may train it).
GLOBAL_INTENT_SECONDS = 3.0


def global_scenario(scenarios: Mapping[uuid.UUID, CompiledScenario],
                    frames: Sequence[Any]) -> CompiledScenario | None:
    """The scenario whose global intents a message is checked against: the innermost of the
    conversation's frames that declares any."""
    for frame in reversed(frames):
        compiled = scenarios.get(frame.version_id)
        if compiled is not None and compiled.global_model is not None:
            return compiled
    return None


def global_intent_call(scenario: CompiledScenario, text: str) -> ServiceCall:
    """The NLU call that tells whether `text` means one of `scenario`'s global intents."""
    return ServiceCall(service="nlu", operation="classify", timeout_seconds=GLOBAL_INTENT_SECONDS,
                       request={**(scenario.global_model or {}), "text": text,
                                "threshold": scenario.global_threshold})


def global_command(scenario: CompiledScenario, outcome: ServiceOutcome, text: str | None
                   ) -> InboundEvent | None:
    """The command `text` becomes when the classify outcome says it means one of
    `scenario`'s global intents; None when it does not, or NLU did not answer."""
    if outcome.status != "ok" or not isinstance(outcome.value, dict):
        return None
    intent = outcome.value.get("intent")
    if isinstance(intent, str) and intent in scenario.global_intents:
        return InboundEvent.model_construct(kind="command", command=intent, text=text,
                                            choice_id=None, payload=None)
    return None


def compile_version(version: PublishedVersion, *, languages: Sequence[str],
                    default_language: str,
                    executors: ExecutorRegistry | None = None) -> CompiledScenario:
    """Validate and compile a published version; raises ScenarioNotRunnable when it cannot
    run (validation errors, a block type no executor handles)."""
    return compile_document(
        version.document, version_id=version.id, name=version.scenario_name,
        languages=languages, default_language=default_language, executors=executors,
        scenario_id=version.scenario_id, number=version.number,
        document_hash=version.document_hash)


def compile_document(document: Mapping[str, Any] | ScenarioDocument, *, version_id: uuid.UUID,
                     name: str, languages: Sequence[str] = (), default_language: str = "en",
                     executors: ExecutorRegistry | None = None, validate: bool = True,
                     scenario_id: uuid.UUID | None = None, number: int = 0,
                     document_hash: str = "") -> CompiledScenario:
    """`validate=False` skips the graph checks (loops without input, undefined variables):
    for tests of the engine's own guards only; published versions are always validated."""
    if executors is None:
        from orchestrator.blocks import default_executors

        executors = default_executors()
    languages = tuple(dict.fromkeys([default_language, *languages]))
    warnings: tuple[str, ...] = ()
    if validate:
        raw = document.model_dump(mode="json", by_alias=True) \
            if isinstance(document, ScenarioDocument) else document
        report = validate_document(raw, languages, default_language)
        # Checks of what a block does when it runs (expressions and patterns past the limits,
        # values that cannot fit a variable, jumps to unknown scenarios...) fail that block
        # when it runs, not the whole version published before the check existed.
        errors = [e for e in report.errors if e.code not in COMPUTATION_CODES]
        if errors or report.document is None:
            first = errors[0].message if errors else "the document is invalid"
            raise ScenarioNotRunnable(f"Scenario '{name}' cannot run: {first}")
        doc = report.document
        warnings = tuple(w.message for w in report.warnings)
    elif isinstance(document, ScenarioDocument):
        doc = document
    else:
        try:
            doc = ScenarioDocument.model_validate(upgrade(dict(document))[0])
        except (ValidationError, FormatVersionError) as exc:
            raise ScenarioNotRunnable(f"Scenario '{name}' cannot run: {exc}") from None

    ports: dict[str, dict[str, str]] = {block.id: {} for block in doc.blocks}
    for edge in doc.edges:
        if edge.source in ports:
            ports[edge.source][edge.port] = edge.target

    blocks: dict[str, CompiledBlock] = {}
    jump_targets: set[str] = set()
    for block in doc.blocks:
        block_type = block_registry.get(block.type)
        if block_type is None:
            raise ScenarioNotRunnable(
                f"Scenario '{name}' cannot run: block '{block.id}' has the unknown type "
                f"'{block.type}'")
        executor = executors.get(block.type)
        if executor is None:
            raise ScenarioNotRunnable(
                f"Scenario '{name}' cannot run: blocks of type '{block.type}' have no "
                "executor in this orchestrator")
        try:
            settings = block_type.parse_settings(block.settings)
        except ValidationError as exc:
            raise ScenarioNotRunnable(
                f"Scenario '{name}' cannot run: the settings of block '{block.id}' are "
                f"invalid: {exc}") from None
        if block_type.resolve is not None:
            try:
                settings = block_type.resolve(settings, doc)
            except ValueError as exc:
                raise ScenarioNotRunnable(
                    f"Scenario '{name}' cannot run: the settings of block '{block.id}': "
                    f"{exc}") from None
        block_ports = ports[block.id]
        if block.type == "jump":
            if getattr(settings, "block", None):
                block_ports[JUMP_PORT] = settings.block  # type: ignore[attr-defined]
            if getattr(settings, "scenario", None):
                jump_targets.add(settings.scenario)  # type: ignore[attr-defined]
        blocks[block.id] = CompiledBlock(
            id=block.id, type=block.type, name=block.name, settings=settings,
            executor=executor, ports=MappingProxyType(block_ports),
            plan=executor.prepare(settings, block.id))

    variables = {
        v.name: VariableDeclaration(v.name, v.type, v.scope, v.default) for v in doc.variables}
    defaults = {v.name: v.default for v in doc.variables if v.scope == "conversation"}
    events = doc.entry.events
    return CompiledScenario(
        version_id=version_id, name=name, blocks=MappingProxyType(blocks),
        start=doc.entry.start, commands=MappingProxyType(dict(doc.entry.commands)),
        fallback=events.fallback, timeout=events.timeout, error=events.error,
        no_input=events.no_input, variables=MappingProxyType(variables),
        jump_targets=frozenset(jump_targets), default_language=default_language,
        languages=languages, scenario_id=scenario_id, number=number,
        document_hash=document_hash, warnings=warnings,
        _defaults=MappingProxyType(defaults),
        shares_variables=any(v.scope != "conversation" for v in doc.variables),
        **_global_intents(doc))


def _global_intents(doc: ScenarioDocument) -> dict[str, Any]:
    if not doc.entry.intents or doc.nlu is None:
        return {}
    # Trained on all the bot's intents, so that a message meaning one that is not global
    # is not taken for a global one.
    return {"global_intents": MappingProxyType(dict(doc.entry.intents)),
            "global_model": MappingProxyType(training_data(doc.nlu.intents)),
            "global_threshold": doc.nlu.global_threshold}
