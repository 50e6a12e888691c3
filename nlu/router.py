"""The NLU service's API: the intent models of a published version, their training status and
progress (publishing starts their training), training on demand, and Rasa NLU data converted
into a scenario's `nlu` section."""

from __future__ import annotations

import uuid
from typing import Any

import asyncio
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, StringConstraints

from core.errors import InvalidInput, NotFound
from core.http import Editor, Viewer, problem_responses
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
