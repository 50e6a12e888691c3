"""Scenario endpoints: create, drafts (If-Match), validate, publish, versions, diff,
rollback, import and export; plus the public format schema and block catalogue."""

from __future__ import annotations

import asyncio

import json
import re
import uuid
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import structlog
from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from core.errors import InvalidInput, PreconditionRequired, RozmovaError
from core.http import DbSession, Editor, RuntimeDep, Viewer, problem_responses, read_limited_body
from core.types import (
    INT32_MAX, VERSION_REF_PATTERN, JsonLimitError, Offset, VersionNumber, loads_bounded,
)
from scenarios.bot import service as bot_service
from scenarios.format import ScenarioDiff, block_registry, scenario_json_schema, validate_document
from scenarios.scenario import service
from scenarios.scenario.models import Scenario, ScenarioVersion
from scenarios.scenario.schemas import (
    PublishedRead,
    ExportFile, PublishRequest, ScenarioCreate, RollbackRequest, ScenarioDetail, ScenarioPage, ScenarioRead,
    ScenarioUpdate, ValidationRead, VersionDetail, VersionPage, VersionRead,
)

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/api/v1", tags=["scenarios"])
BodyModel = TypeVar("BodyModel", bound=BaseModel)

_DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {
            # The format's own JSON Schema is served at GET /api/v1/schemas/scenario (a
            # relative $ref there is unresolvable for OpenAPI tools); schema errors answer 422.
            "type": "object",
            "description": "A scenario document: its JSON Schema is GET "
            "/api/v1/schemas/scenario. Schema errors: 422; graph errors are reported in "
            "`validation` and block only publishing.",
        }}},
    }
}


class MalformedJson(RozmovaError):
    status, code, title = 400, "malformed_json", "Malformed JSON"


async def _json_body(request: Request, limit: int, what: str) -> Any:
    raw = await read_limited_body(request, limit, what)
    try:
        return loads_bounded(raw)
    except JsonLimitError as exc:
        raise InvalidInput(f"the {what} is refused: {exc}",
                           errors=[{"path": "", "message": str(exc)}]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedJson(f"the body is not valid JSON: {exc}") from None


def _object(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise InvalidInput(f"a scenario document is a JSON object, not {type(document).__name__}"
                           .replace("NoneType", "null"),
                           errors=[{"path": "", "message": "expected an object"}])
    return document


def _model(model: type[BodyModel], body: Any, what: str) -> BodyModel:
    """Validate a body read by hand: a 422 naming the body and listing each field."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        errors = [{"path": "/body" + "".join(
            "/" + str(p).replace("~", "~0").replace("/", "~1") for p in e["loc"]),
            "message": e["msg"], "type": e["type"]} for e in exc.errors()]
        raise InvalidInput(
            f"not {what}: {errors[0]['path']}: {errors[0]['message']}"
            + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
            errors=errors) from None


def _etag(scenario: Scenario) -> dict[str, str]:
    return {"ETag": f'"{scenario.revision}"'}


def _parse_if_match(value: str | None) -> int:
    if value is None:
        raise PreconditionRequired(
            "send If-Match with the draft revision you edited (the ETag of GET "
            "/api/v1/scenarios/{id}), so that a concurrent edit is never overwritten")
    token = value.strip().removeprefix("W/").strip('"')
    if not re.fullmatch(r"[0-9]{1,10}", token) or int(token) > INT32_MAX:
        raise InvalidInput(f"If-Match must be a draft revision such as \"3\", not {value!r}")
    return int(token)


def _detail(scenario: Scenario, report: Any = None) -> dict[str, Any]:
    detail = ScenarioDetail(
        **ScenarioRead.model_validate(scenario).model_dump(), document=scenario.draft,
        validation=service.report_read(report) if report is not None else None,
    )
    return detail.model_dump(mode="json")


def _version(version: ScenarioVersion, scenario: Scenario) -> VersionRead:
    read = VersionRead.model_validate(version)
    read.live = version.number == scenario.live_version
    return read


@router.get("/bots/{bot_id}/scenarios", response_model=ScenarioPage,
            responses=problem_responses(401, 404))
async def list_scenarios(
    bot_id: uuid.UUID, principal: Viewer, session: DbSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Offset = 0,
):
    bot = await bot_service.get_or_raise(session=session, org_id=principal.org_id, bot_id=bot_id)
    items, total = await service.get_all(session=session, bot=bot, limit=limit, offset=offset)
    return ScenarioPage(items=[ScenarioRead.model_validate(s) for s in items], total=total)


@router.post(
    "/bots/{bot_id}/scenarios", response_model=ScenarioDetail, status_code=201,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": ScenarioCreate.model_json_schema()}}}},
)
async def create_scenario(bot_id: uuid.UUID, request: Request, principal: Editor,
                          session: DbSession, runtime: RuntimeDep):
    """Create a scenario with a draft. The draft must fit the schema; graph errors are
    reported in `validation` and block only publishing."""
    body = _model(ScenarioCreate, await _json_body(
        request, runtime.settings.max_scenario_bytes, "scenario"),
        'a scenario (send {"name": "...", "document": {...}})')
    bot = await bot_service.get_or_raise(session=session, org_id=principal.org_id, bot_id=bot_id)
    scenario, report = await service.create(
        session=session, bot=bot, name=body.name, description=body.description,
        document=body.document,
    )
    return JSONResponse(_detail(scenario, report), status_code=201, headers=_etag(scenario))


@router.post("/bots/{bot_id}/scenarios/import", response_model=ScenarioDetail, status_code=201,
             responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": ExportFile.model_json_schema()}}}})
async def import_scenario(
    bot_id: uuid.UUID, request: Request, principal: Editor, session: DbSession,
    runtime: RuntimeDep,
    name: Annotated[str | None, Query(max_length=120, description="Override the file's name.")] = None,
    allow_invalid: Annotated[bool, Query(description="Keep a file with graph errors as a "
                                         "draft instead of refusing it.")] = False,
):
    """Import a file written by export. It is validated: schema errors always refuse it; graph
    errors refuse it unless `allow_invalid=true`."""
    body = await _json_body(request, runtime.settings.max_scenario_bytes, "scenario file")
    file = _model(ExportFile, body, 'a scenario export file (expected {"format": '
                  '"rozmova.scenario", "name", "document"})')
    bot = await bot_service.get_or_raise(session=session, org_id=principal.org_id, bot_id=bot_id)
    scenario, report = await service.create(
        session=session, bot=bot, name=name or file.name, description=file.description,
        document=file.document, require_valid=not allow_invalid,
    )
    return JSONResponse(_detail(scenario, report), status_code=201, headers=_etag(scenario))


@router.get("/scenarios/{scenario_id}", response_model=ScenarioDetail,
            responses=problem_responses(401, 404))
async def get_scenario(scenario_id: uuid.UUID, principal: Viewer, session: DbSession):
    """The scenario with its draft; the ETag header is the draft revision."""
    scenario, _ = await service.get_or_raise(session=session, org_id=principal.org_id,
                                             scenario_id=scenario_id)
    return JSONResponse(_detail(scenario), headers=_etag(scenario))


@router.patch("/scenarios/{scenario_id}", response_model=ScenarioRead,
              responses=problem_responses(401, 403, 404, 409, 422))
async def update_scenario(scenario_id: uuid.UUID, body: ScenarioUpdate, principal: Editor,
                          session: DbSession):
    scenario, _ = await service.get_or_raise(session=session, org_id=principal.org_id,
                                             scenario_id=scenario_id)
    return await service.update_meta(session=session, scenario=scenario, name=body.name,
                                     description=body.description,
                                     fields=body.model_fields_set)


@router.delete("/scenarios/{scenario_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(401, 403, 404))
async def delete_scenario(scenario_id: uuid.UUID, principal: Editor, session: DbSession):
    scenario, bot = await service.get_or_raise(session=session, org_id=principal.org_id,
                                               scenario_id=scenario_id)
    await service.delete(session=session, scenario=scenario, bot=bot)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/scenarios/{scenario_id}/draft", response_model=ScenarioDetail,
            responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 428),
            openapi_extra={**_DOCUMENT_BODY, "parameters": [{
                # Read by hand (a missing one is 428, not FastAPI's 422), so declared here.
                "name": "If-Match", "in": "header", "required": True,
                "description": "The draft revision you edited, the ETag of GET "
                "/api/v1/scenarios/{scenario_id}, e.g. \"3\". Missing: 428.",
                "schema": {"type": "string", "pattern": '^(W/)?"?[0-9]{1,10}"?$'}}]})
async def save_draft(
    scenario_id: uuid.UUID, request: Request, principal: Editor, session: DbSession,
    runtime: RuntimeDep,
    if_match: Annotated[str | None, Header(include_in_schema=False)] = None,
):
    """Replace the whole draft. Needs `If-Match: "<revision>"`; when someone saved in between,
    answers 409 and stores nothing."""
    expected = _parse_if_match(if_match)
    document = _object(await _json_body(request, runtime.settings.max_scenario_bytes,
                                        "scenario"))
    scenario, bot = await service.get_or_raise(session=session, org_id=principal.org_id,
                                               scenario_id=scenario_id)
    scenario, report = await service.save_draft(session=session, scenario=scenario, bot=bot,
                                                document=document, expected_revision=expected)
    return JSONResponse(_detail(scenario, report), headers=_etag(scenario))


@router.post("/scenarios/{scenario_id}/validate", response_model=ValidationRead,
             responses=problem_responses(400, 401, 404, 413),
             openapi_extra={"requestBody": {"required": False, "content": {"application/json": {
                 "schema": {"type": "object", "description": "A document to check instead "
                            "of the stored draft."}}}}})
async def validate_scenario(scenario_id: uuid.UUID, request: Request, principal: Viewer,
                            session: DbSession, runtime: RuntimeDep):
    """Validate the draft (or the document in the body) against the schema and the graph
    rules, for this bot's languages. Always 200: read `valid`, `errors` and `warnings`."""
    scenario, bot = await service.get_or_raise(session=session, org_id=principal.org_id,
                                               scenario_id=scenario_id)
    raw = await read_limited_body(request, runtime.settings.max_scenario_bytes, "scenario")
    document = scenario.draft if not raw.strip() else _object(await _json_body(
        request, runtime.settings.max_scenario_bytes, "scenario"))
    targets = await service.jump_targets(session=session, bot=bot, current=scenario.name)
    # In a thread: a script block's syntax check cannot be interrupted (see modules.sandbox).
    report = await asyncio.to_thread(
        validate_document, document, languages=bot.languages,
        default_language=bot.default_language, scenarios=targets, name=scenario.name)
    return service.report_read(report)


@router.post("/scenarios/{scenario_id}/publish", response_model=PublishedRead, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def publish(scenario_id: uuid.UUID, body: PublishRequest, principal: Editor,
                  session: DbSession, request: Request, later: BackgroundTasks):
    """Validate the draft and publish it as the next immutable version, which becomes live.
    Errors block publishing (422 lists them); warnings do not."""
    scenario, bot = await service.get_or_raise(session=session, org_id=principal.org_id,
                                               scenario_id=scenario_id, for_update=True)
    version, report = await service.publish(session=session, scenario=scenario, bot=bot,
                                            principal=principal, changelog=body.changelog,
                                            expected_revision=body.revision)
    read = PublishedRead.model_validate(version)
    read.live = version.number == scenario.live_version
    read.warnings = service.report_read(report).warnings
    # Other services' work on a new version (the NLU service trains its intent models), wired
    # by the composition root: started after the answer, so once the version is committed.
    hooks = getattr(request.app.state, "clients", {}).get("on_publish", ())
    if hooks:
        later.add_task(_published, hooks, version.document, scenario_id)
    return read


async def _published(hooks: Any, document: dict[str, Any], scenario_id: uuid.UUID) -> None:
    for hook in hooks:
        try:
            hook(document)
        except Exception:  # the publish has succeeded; its followers must not undo that
            log.exception("scenario.publish_hook_failed", scenario_id=str(scenario_id))


@router.get("/scenarios/{scenario_id}/versions", response_model=VersionPage,
            responses=problem_responses(401, 404))
async def list_versions(
    scenario_id: uuid.UUID, principal: Viewer, session: DbSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Offset = 0,
):
    """Published versions, newest first."""
    scenario, _ = await service.get_or_raise(session=session, org_id=principal.org_id,
                                             scenario_id=scenario_id)
    versions = await service.get_versions(session=session, scenario=scenario, limit=limit,
                                          offset=offset)
    return VersionPage(items=[_version(v, scenario) for v in versions],
                       total=scenario.latest_version)


@router.get("/scenarios/{scenario_id}/versions/{number}", response_model=VersionDetail,
            responses=problem_responses(401, 404))
async def get_version(scenario_id: uuid.UUID, number: VersionNumber, principal: Viewer,
                      session: DbSession):
    scenario, _ = await service.get_or_raise(session=session, org_id=principal.org_id,
                                             scenario_id=scenario_id)
    version = await service.get_version_or_raise(session=session, scenario=scenario,
                                                 number=number)
    return VersionDetail(**_version(version, scenario).model_dump(), document=version.document)


@router.post("/scenarios/{scenario_id}/versions/{number}/rollback", response_model=VersionRead,
             status_code=201, responses=problem_responses(401, 403, 404, 422))
async def rollback(scenario_id: uuid.UUID, number: VersionNumber, principal: Editor,
                   session: DbSession, body: RollbackRequest | None = None):
    """Publish version `number`'s content again as a new version, which becomes live. The
    draft is left as it is."""
    scenario, bot = await service.get_or_raise(session=session, org_id=principal.org_id,
                                               scenario_id=scenario_id, for_update=True)
    version = await service.rollback(session=session, scenario=scenario, bot=bot,
                                     principal=principal, number=number,
                                     changelog=body.changelog if body else None)
    return _version(version, scenario)


@router.get("/scenarios/{scenario_id}/diff", response_model=ScenarioDiff,
            responses=problem_responses(401, 404, 422))
async def diff(
    scenario_id: uuid.UUID, principal: Viewer, session: DbSession,
    from_: Annotated[str, Query(alias="from", pattern=VERSION_REF_PATTERN,
                                    description="Version number, 'live' or 'draft'")],
    to: Annotated[str, Query(pattern=VERSION_REF_PATTERN,
                             description="Version number, 'live' or 'draft'")] = "draft",
):
    """What changed between two versions (or a version and the draft): blocks and edges
    added, removed and changed."""
    scenario, _ = await service.get_or_raise(session=session, org_id=principal.org_id,
                                             scenario_id=scenario_id)
    return await service.diff(session=session, scenario=scenario, from_ref=from_, to_ref=to)


@router.get("/scenarios/{scenario_id}/export", response_model=ExportFile,
            responses=problem_responses(401, 404, 422))
async def export(
    scenario_id: uuid.UUID, principal: Viewer, session: DbSession,
    version: Annotated[str, Query(pattern=VERSION_REF_PATTERN,
                                  description="Version number, 'live' or 'draft'")] = "draft",
):
    """The scenario as one JSON file, for import here or elsewhere."""
    scenario, _ = await service.get_or_raise(session=session, org_id=principal.org_id,
                                             scenario_id=scenario_id)
    document = await service.resolve_document(session=session, scenario=scenario, ref=version)
    file = service.export(scenario, document)
    filename = f"{scenario.name}.rozmova.json".replace('"', "")
    return JSONResponse(file.model_dump(mode="json"), headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename, safe='')}"})


schemas_router = APIRouter(prefix="/api/v1", tags=["format"])


class JsonSchemaResponse(JSONResponse):
    media_type = "application/schema+json"


@schemas_router.get("/schemas/scenario", response_class=JsonSchemaResponse,
                    responses={200: {"content": {"application/schema+json": {
                        "schema": {"type": "object"}}}}})
async def get_scenario_schema() -> JsonSchemaResponse:
    """The JSON Schema of scenario documents (format v1), generated from the block registry."""
    return JsonSchemaResponse(scenario_json_schema())


class BlockTypeRead(BaseModel):
    name: str
    description: str
    titles: dict[str, str] = Field(
        description="What an editor calls the type, per interface language (always `en`).")
    descriptions: dict[str, str] = Field(
        description="`description` per interface language (always `en`).")
    category: str
    settings_schema: dict[str, Any] = Field(
        description="JSON Schema of the block's `settings` (per-language texts are objects "
        "keyed by language code).")
    ports: list[str] | None = Field(
        description="The output ports, or null when they depend on the settings "
        "(`dynamic_ports`: a message's buttons, an input's `invalid`...).")
    dynamic_ports: bool
    waits_for_input: bool | None = Field(
        description="Whether the conversation waits on the block for the person; null when "
        "it depends on the settings.")


@schemas_router.get("/block-types", response_model=list[BlockTypeRead])
async def get_block_types() -> list[dict[str, Any]]:
    """The block catalogue: each type's settings schema, output ports and category, in
    registration order (the built-in types, then the ones services register)."""
    return block_registry.catalogue()
