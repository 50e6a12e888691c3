"""The NLU service's block type `intent`: routes a free text by meaning. Its settings carry the
intents with their example phrases per language, so they are versioned with the scenario (a
conversation pinned to a version keeps the intents it started with). The executor asks the
`nlu` service to classify (`call_service`): the engine stays pure, and the model is trained by
the service the first time a version's intents are needed, then kept."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orchestrator.extension import (
    BlockContext,
    CompiledBlock,
    Executor,
    ServiceCall,
    ServiceOutcome,
    Step,
    call_service,
    follow,
    outcome_port,
)
from scenarios.format.models import TemplateText, TimeZoneName, WrittenVariable
from scenarios.format.nlu import (
    MAX_INTENTS,
    EntityName,
    Intent,
    IntentName,
    ListEntity,
    RegexEntity,
    entity_plan,
    resolve_entity,
    training_data,
)
from scenarios.format.registry import BlockType, register_blocks

SERVICE = "nlu"
FALLBACK = "fallback"
CALL_PORTS = ("error", "timeout")


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IntentSettings(_Settings):
    """Classify `text` (by default what the person last wrote) into one of `intents`: the block
    leaves through that intent's port, or `fallback` when no intent is confident enough
    (below `threshold`), or `error` / `timeout` when the service could not answer. With
    `store_in`, the variable gets {intent, confidence, ranking: [{intent, confidence}]}."""

    text: TemplateText = Field("{{last_input}}", description="What to classify (a template).")
    intents: list[Intent | IntentName] = Field(min_length=1, max_length=MAX_INTENTS, description=(
        "The intents to tell apart: written here with their examples, or named (one of the "
        "bot's intents, in the scenario's `nlu` section)."))
    threshold: float = Field(0.5, ge=0.0, le=1.0, description=(
        "The confidence an intent needs; below it the block takes `fallback`."))
    store_in: WrittenVariable | None = None
    timeout_ms: int = Field(3000, ge=100, le=30_000, description=(
        "The first message of a new version also trains its model (a few hundred "
        "milliseconds for a typical bot)."))

    @model_validator(mode="after")
    def _distinct(self) -> IntentSettings:
        names = self.intent_names()
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"intents must have distinct names; repeated: {', '.join(repeated)}")
        clash = sorted(set(names) & {FALLBACK, *CALL_PORTS})
        if clash:
            raise ValueError(f"{', '.join(clash)} is one of the block's own ports; name the "
                             "intent otherwise")
        return self

    def intent_names(self) -> list[str]:
        return [i if isinstance(i, str) else i.name for i in self.intents]


def _ports(settings: IntentSettings) -> tuple[str, ...]:
    return (*settings.intent_names(), FALLBACK, *CALL_PORTS)


def _resolve(settings: IntentSettings, document: Any) -> IntentSettings:
    """Named intents replaced by the bot's definitions in the document's `nlu` section."""
    if all(isinstance(i, Intent) for i in settings.intents):
        return settings
    data = getattr(document, "nlu", None)
    resolved: list[Intent | str] = []
    for item in settings.intents:
        if isinstance(item, str):
            found = data.intent(item) if data is not None else None
            if found is None:
                known = ", ".join(i.name for i in data.intents) if data and data.intents \
                    else "none"
                raise ValueError(f"the intent '{item}' is not one of the bot's intents "
                                 f"(known: {known}); add it in the NLU section or write it "
                                 "here with examples")
            item = found
        resolved.append(item)
    return settings.model_copy(update={"intents": resolved})


def training_examples(settings: IntentSettings) -> list[dict[str, str]]:
    return model_plan(settings)["examples"]


def model_plan(settings: IntentSettings) -> dict[str, Any]:
    """The block's training rows and their digest (see scenarios.format.nlu.training_data)."""
    return training_data([i for i in settings.intents if isinstance(i, Intent)])


def intent_models(document: Any) -> list[tuple[str, dict[str, Any]]]:
    """(block id, model plan) of each intent block of a published document (a dict or a
    ScenarioDocument): what publishing it trains. Blocks whose settings do not parse are left
    out (validation reported them)."""
    from pydantic import ValidationError

    from scenarios.format.models import ScenarioDocument

    try:
        doc = document if isinstance(document, ScenarioDocument) \
            else ScenarioDocument.model_validate(document)
    except ValidationError:
        return []
    plans = []
    for block in doc.blocks:
        if block.type != "intent":
            continue
        try:
            settings = _resolve(IntentSettings.model_validate(block.settings), doc)
        except (ValidationError, ValueError):
            continue
        plans.append((block.id, model_plan(settings)))
    return plans


class IntentExecutor(Executor):
    type_name = "intent"

    def prepare(self, settings: BaseModel, block_id: str) -> Any:
        return model_plan(settings)  # type: ignore[arg-type]

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        settings: IntentSettings = block.settings  # type: ignore[assignment]
        return call_service(ServiceCall(
            service=SERVICE, operation="classify",
            request={**block.plan, "text": ctx.render_template(settings.text),
                     "language": ctx.language, "threshold": settings.threshold},
            timeout_seconds=settings.timeout_ms / 1000))

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        if outcome.status != "ok":
            return follow(outcome_port(block, outcome))
        settings: IntentSettings = block.settings  # type: ignore[assignment]
        value = outcome.value if isinstance(outcome.value, dict) else {}
        intent = value.get("intent")
        if settings.store_in is not None:
            ctx.set(settings.store_in, value)
        known = set(settings.intent_names())
        return follow(intent if intent in known else FALLBACK)


FOUND, NOT_FOUND = "found", "not_found"


class EntitiesSettings(_Settings):
    """Find `entities` in `text` (by default what the person last wrote): built-in ones
    (number, date, time, email, phone, money, url) and the bot's own (lists with synonyms,
    regular expressions: named from the scenario's `nlu` section, or written here). The block
    leaves through `found` when at least one is there, else `not_found`. `store_in` gets
    {entity: value} (the first of each kind found); `matches_in` every match with its span:
    [{entity, value, text, start, end}]."""

    text: TemplateText = Field("{{last_input}}", description="Where to look (a template).")
    entities: list[EntityName | ListEntity | RegexEntity] = Field(
        min_length=1, max_length=20)
    store_in: WrittenVariable | None = None
    matches_in: WrittenVariable | None = None
    timezone: TimeZoneName = Field("Europe/Kyiv", description=(
        "How \"tomorrow at 3 pm\" is read: an IANA time zone."))
    timeout_ms: int = Field(2000, ge=100, le=30_000)


def _resolve_entities(settings: EntitiesSettings, document: Any) -> EntitiesSettings:
    data = getattr(document, "nlu", None)
    return settings.model_copy(update={
        "entities": [resolve_entity(r, data) for r in settings.entities]})


def extract_request(plan: dict[str, Any], text: str, ctx: BlockContext, timezone: str
                    ) -> dict[str, Any]:
    return {**plan, "text": text, "language": ctx.language, "now": ctx.now.isoformat(),
            "timezone": timezone}


class EntitiesExecutor(Executor):
    type_name = "entities"

    def prepare(self, settings: BaseModel, block_id: str) -> Any:
        return entity_plan(settings.entities)  # type: ignore[attr-defined]

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        settings: EntitiesSettings = block.settings  # type: ignore[assignment]
        return call_service(ServiceCall(
            service=SERVICE, operation="extract",
            request=extract_request(block.plan, ctx.render_template(settings.text), ctx,
                                    settings.timezone),
            timeout_seconds=settings.timeout_ms / 1000))

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        if outcome.status != "ok":
            return follow(outcome_port(block, outcome))
        settings: EntitiesSettings = block.settings  # type: ignore[assignment]
        value = outcome.value if isinstance(outcome.value, dict) else {}
        matches = [m for m in value.get("entities", []) if isinstance(m, dict)]
        first: dict[str, Any] = {}
        for match in matches:
            first.setdefault(match.get("entity"), match.get("value"))
        if settings.store_in is not None:
            ctx.set(settings.store_in, first)
        if settings.matches_in is not None:
            ctx.set(settings.matches_in, matches)
        return follow(FOUND if matches else NOT_FOUND)


BLOCK_TYPES = (
    BlockType(name="intent", settings_model=IntentSettings, ports=_ports, resolve=_resolve,
              waits_for_input=False, category="nlu",
              titles={"en": "Intent", "uk": "Намір"},
              descriptions={"uk": "Розпізнати намір у вільному тексті (за прикладами фраз "
                                  "кожною мовою) і піти портом цього наміру або fallback."},
              description="Tell what a free text means (taught by example phrases in each "
                          "language) and leave through that intent's port, or fallback."),
    BlockType(name="entities", settings_model=EntitiesSettings,
              ports=(FOUND, NOT_FOUND, *CALL_PORTS), resolve=_resolve_entities,
              waits_for_input=False, category="nlu",
              titles={"en": "Entities", "uk": "Сутності"},
              descriptions={"uk": "Знайти в тексті числа, дати, email, телефони, суми й "
                                  "сутності бота (списки, шаблони) і покласти у змінні."},
              description="Find numbers, dates, emails, phones, amounts and the bot's own "
                          "entities (lists, patterns) in a text and put them in variables."),
)
EXECUTORS = (IntentExecutor(), EntitiesExecutor())


def register_block_types() -> None:
    """Add the block types to the scenario format's registry (its plugin entry point)."""
    register_blocks(BLOCK_TYPES)
