"""The NLU service's API: the intent models of a published version, their training status and
progress (publishing starts their training), training on demand, trying a phrase against the
intents being edited, and Rasa NLU data converted into a scenario's `nlu` section."""

from __future__ import annotations

import uuid
from typing import Any

import asyncio
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, StringConstraints

from core.errors import InvalidInput, NotFound
from core.http import BriefEditor, Editor, Viewer, problem_responses
from core.types import VersionNumber
from nlu.blocks import intent_models

router = APIRouter(prefix="/api/v1", tags=["nlu"])


class ModelRead(BaseModel):
    block_id: str = Field(description="The intent block the model serves.")
    model: str = Field(description="Digest of the training data; versions with the same "
                                   "intents share the model.")
    status: str = Field(description="not_trained, training, ready or failed.")
    progress: float = Field(description="0..1 while training.")
    phase: str
    examples: int
    seconds: float | None = Field(description="Training time.")
    warnings: list[dict[str, Any]] = Field(description="What the training data lacks: intents "
                                           "with one example, phrases under two intents, a "
                                           "language without examples.")
    error: str | None
    size: int = Field(description="Bytes of the stored model.")


class VersionModels(BaseModel):
    scenario_id: uuid.UUID
    number: int
    models: list[ModelRead]


async def _models(request: Request, org_id: uuid.UUID, scenario_id: uuid.UUID, number: int,
                  *, train: bool) -> VersionModels:
    clients = request.app.state.clients
    version = await clients["scenarios"].get_version(scenario_id, number)
    if version is None or version.org_id != org_id:
        raise NotFound(f"no version {number} of scenario {scenario_id} in your organization")
    plans = intent_models(version.document)
    service = clients["nlu"]
    if train:
        service.train_in_background(plans)
    models = []
    for block_id, plan in plans:
        status = (await service.status(plan["model"])).to_json()
        if status["status"] == "not_trained" and train:
            status.update(status="training", examples=len(plan["examples"]))
        models.append(ModelRead(block_id=block_id, **status))
    return VersionModels(scenario_id=scenario_id, number=number, models=models)


@router.get("/scenarios/{scenario_id}/versions/{number}/nlu", response_model=VersionModels,
            responses=problem_responses(401, 404, 422))
async def version_models(scenario_id: uuid.UUID, number: VersionNumber, principal: Viewer,
                         request: Request):
    """The intent models of a published version: one per intent block, trained in the
    background when the version was published (or by the first message that needed it), with
    the training's progress, time, size and warnings."""
    return await _models(request, principal.org_id, scenario_id, number, train=False)


@router.post("/scenarios/{scenario_id}/versions/{number}/nlu/train",
             response_model=VersionModels, status_code=202,
             responses=problem_responses(401, 403, 404, 422))
async def train_version_models(scenario_id: uuid.UUID, number: VersionNumber, principal: Editor,
                               request: Request):
    """Train the version's intent models that are not stored yet (a version published before
    models were stored, or one whose training failed); follow with GET .../nlu."""
    return await _models(request, principal.org_id, scenario_id, number, train=True)


MAX_RASA_BYTES = 1_000_000


class RasaFile(BaseModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    content: Annotated[str, StringConstraints(max_length=MAX_RASA_BYTES)]


class RasaImportRequest(BaseModel):
    files: list[RasaFile] = Field(min_length=1, max_length=50, description=(
        "Rasa NLU YAML files (data/nlu.yml and the like), 1 MB in all at most."))
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = Field(
        description="The language the examples are written in.")


class RasaImportRead(BaseModel):
    data: dict[str, Any] = Field(description="A scenario `nlu` section: intents and entities.")
    warnings: list[str]
    renamed: dict[str, str] = Field(description="Rasa intent names changed to fit ours.")
    renamed_entities: dict[str, str]
    summary: dict[str, int]


@router.post("/nlu/import/rasa", response_model=RasaImportRead,
             responses=problem_responses(401, 403, 413, 422))
async def import_rasa(body: RasaImportRequest, principal: Editor):
    """Convert Rasa NLU training data (intents with examples, annotated entities, synonyms,
    lookup tables, regexes) into a scenario's `nlu` section. Nothing is stored: put `data`
    into a draft (or merge it with the builder) and publish."""
    from nlu.rasa import RasaImportError, read_rasa_texts

    if sum(len(f.content.encode()) for f in body.files) > MAX_RASA_BYTES:
        raise InvalidInput(f"at most {MAX_RASA_BYTES:,} bytes of YAML at once")
    try:
        # Parsing YAML is pure Python: off the event loop.
        result = await asyncio.to_thread(
            read_rasa_texts, [(f.name, f.content) for f in body.files], body.language)
    except RasaImportError as exc:
        raise InvalidInput(str(exc)) from None
    return RasaImportRead(data=result.data, warnings=result.warnings, renamed=result.renamed,
                          renamed_entities=result.renamed_entities, summary=result.summary)


async def _bot_and_section(request: Request, org_id: uuid.UUID, bot_id: uuid.UUID,
                           section: dict[str, Any]) -> tuple[Any, Any]:
    """The organization's bot (NotFound otherwise) and the `nlu` section sent for it,
    validated as a scenario's (InvalidInput naming the first bad field)."""
    from pydantic import ValidationError

    from scenarios.format.nlu import NluData

    bot = await request.app.state.clients["scenarios"].get_bot(bot_id)
    if bot is None or bot.org_id != org_id:
        raise NotFound(f"no bot {bot_id} in your organization")
    try:
        return bot, NluData.model_validate(section)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(part) for part in first["loc"])
        raise InvalidInput(f"the nlu section, at {where or '/'}: {first['msg']}") from None


# Trying a phrase: a model per distinct set of intents is trained (about a second, then the
# second look behind it) and stored, as publishing those intents would; an organization may
# start this many such trainings a minute (trying phrases on a trained set is not counted).
TRY_TRAININGS_PER_MINUTE = "30/minute"
TRY_PER_MINUTE = "600/minute"
TRY_WAIT_SECONDS = 15.0
TRY_TOP = 5


class TryRequest(BaseModel):
    text: Annotated[str, StringConstraints(min_length=1, max_length=1000)] = Field(
        description="The phrase, as a person would write it.")
    nlu: dict[str, Any] = Field(description=(
        "A scenario's `nlu` section (intents with their example phrases, entities): the "
        "builder sends the draft's as it is being edited, saved or not."))
    threshold: float = Field(0.5, ge=0.0, le=1.0, description="The intent block's threshold.")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] | None = \
        Field(None, description="The conversation's language (default: the bot's).")


class TriedIntent(BaseModel):
    intent: str
    confidence: float = Field(description="What the block decides on: the higher look.")
    first: float | None = Field(description="The first look's (word and character n-grams).")
    second: float | None = Field(description="The second look's (meaning), where taken.")


class TryRead(BaseModel):
    model: str = Field(description="Digest of the intents' examples: the model a published "
                                   "version with these intents uses.")
    status: str = Field(description="ready, or training (ask again in a moment).")
    intent: str | None = Field(description="The port the phrase would take; null: fallback.")
    confidence: float
    threshold: float
    ranking: list[TriedIntent] = Field(description=f"The {TRY_TOP} most confident intents.")
    second_look: str = Field(description=(
        "not_needed (the first look was sure), taken, shed (the server's second looks were "
        "busy), failed, off (on this server), not_ready (being trained behind the first)."))
    logs: list[str] = Field(description="How the answer came about, as a turn's trace says it.")
    warnings: list[dict[str, Any]] = Field(description="What the training data lacks.")
    entities: list[dict[str, Any]] = Field(description=(
        "Every built-in entity and the section's own found in the phrase: "
        "{entity, value, text, start, end}."))
    language: dict[str, Any] | None = Field(description=(
        "The phrase's language among the bot's ({code, confidence}); null when unsure."))
    sentiment: dict[str, Any] | None = Field(description="{score (-1..1), label}.")


@router.post("/bots/{bot_id}/nlu/try", response_model=TryRead,
             responses=problem_responses(401, 403, 404, 422, 429))
async def try_phrase(bot_id: uuid.UUID, body: TryRequest, principal: BriefEditor,
                     request: Request):
    """How the bot would understand a phrase with these intents and entities: the intent
    (or fallback) at the threshold, each intent's confidence by both looks, the entities
    found, the language and the sentiment. The intents' model is trained on first use (its
    status says `training` while it takes longer than a few seconds) and stored, so
    publishing the same intents later needs no training."""
    from nlu.insight import read_message
    from orchestrator.extension import ServiceCallError
    from scenarios.format.nlu import BUILTIN_ENTITIES, entity_plan, training_data

    clients, runtime = request.app.state.clients, request.app.state.runtime
    bot, data = await _bot_and_section(request, principal.org_id, bot_id, body.nlu)
    if not data.intents:
        raise InvalidInput("the nlu section has no intents to try: add one with example phrases")
    org = str(principal.org_id)
    await runtime.limiter.hit(TRY_PER_MINUTE, "nlu-try", org, what="phrases tried")
    plan = training_data(list(data.intents))
    service = clients["nlu"]
    # A set no instance has trained counts once, however many tries of it arrive together.
    if (await service.status(plan["model"])).status not in ("ready", "training") \
            and await runtime.limiter.counted("1/minute", "nlu-try-new", org, plan["model"],
                                              what="new sets of intents"):
        await runtime.limiter.hit(TRY_TRAININGS_PER_MINUTE, "nlu-try-training", org,
                                  what="new sets of intents trained")
    status = "ready"
    try:
        classifier = await asyncio.wait_for(
            asyncio.shield(service.model(plan["model"], plan["examples"])), TRY_WAIT_SECONDS)
    except TimeoutError:
        classifier, status = None, "training"
    except ServiceCallError as exc:
        raise InvalidInput(f"these intents could not be trained: {exc}") from None
    language = body.language or bot.default_language
    insight = read_message(body.text, languages=bot.languages, language=language)
    stored = insight.stored()
    try:
        found = await service.call("extract", {
            **entity_plan([*BUILTIN_ENTITIES, *data.entities]), "text": body.text,
            "language": language}, None, timeout=5.0)
        entities = found.value["entities"]
    except ServiceCallError:
        entities = []
    warnings = (await service.status(plan["model"])).warnings or []
    common = {"model": plan["model"], "status": status, "threshold": body.threshold,
              "warnings": warnings, "entities": entities,
              "language": stored.get("detected_language"), "sentiment": stored.get("sentiment")}
    if classifier is None:
        return TryRead(intent=None, confidence=0.0, ranking=[], second_look="not_ready",
                       logs=["the model is being trained: ask again in a moment"], **common)
    explained = await service.explain(classifier, body.text, tenant=principal.org_id,
                                      threshold=body.threshold, top_n=TRY_TOP)
    index = {name: i for i, name in enumerate(classifier.intents)}

    def score(scores: Any, name: str) -> float | None:
        return None if scores is None else round(float(scores[index[name]]), 4)

    prediction = explained.prediction
    return TryRead(
        intent=prediction.intent, confidence=round(prediction.confidence, 4),
        ranking=[TriedIntent(intent=name, confidence=round(value, 4),
                             first=score(explained.first, name),
                             second=score(explained.second, name))
                 for name, value in prediction.ranking],
        second_look=explained.second_look, logs=explained.logs, **common)


CHECKS_PER_MINUTE = "10/minute"


class CheckRequest(BaseModel):
    nlu: dict[str, Any] = Field(description="A scenario's `nlu` section, as being edited.")
    threshold: float = Field(0.5, ge=0.0, le=1.0, description=(
        "Below it a phrase counts as taken for `fallback`."))


class IntentCheckRead(BaseModel):
    intent: str
    examples: int
    recognised: float | None = Field(description=(
        "Share of its phrases a model trained without them recognised; null: it has one "
        "phrase, nothing to hold out."))
    taken_for: list[dict[str, Any]] = Field(description=(
        "What its phrases were taken for instead: [{intent (or fallback), count}]."))


class CheckRead(BaseModel):
    examples: int
    checked: int = Field(description="Phrases held out and predicted.")
    folds: int
    accuracy: float | None
    threshold: float
    intents: list[IntentCheckRead] = Field(description="The least recognised first.")
    misses: list[dict[str, Any]] = Field(description=(
        "Up to 50 phrases taken for something else: {text, lang, intent, predicted "
        "(null: fallback), confidence}."))


@router.post("/bots/{bot_id}/nlu/check", response_model=CheckRead,
             responses=problem_responses(401, 403, 404, 422, 429))
async def check_intents_of(bot_id: uuid.UUID, body: CheckRequest, principal: BriefEditor,
                           request: Request):
    """A check-up of intents being edited: each intent's phrases are predicted by models
    trained without them (5-fold cross-validation, the first look), and the report says how
    many each intent recognises, what its phrases are taken for instead, and which phrases
    went wrong. Nothing is stored; at most 3,000 phrases."""
    from nlu.checkup import check_intents
    from scenarios.format.nlu import training_data

    runtime = request.app.state.runtime
    _, data = await _bot_and_section(request, principal.org_id, bot_id, body.nlu)
    if len(data.intents) < 2:
        raise InvalidInput("a check-up needs at least two intents to tell apart")
    await runtime.limiter.hit(CHECKS_PER_MINUTE, "nlu-check", str(principal.org_id),
                              what="intent check-ups")
    examples = training_data(list(data.intents))["examples"]
    try:
        # Five trainings: seconds of CPU, in a thread.
        report = await asyncio.to_thread(check_intents, examples, threshold=body.threshold)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    return CheckRead(**report.to_json())
