"""Module library endpoints: create, list, read (ETag: the draft revision), save the draft
(If-Match), validate, run the test cases, publish (every test case must pass), versions, delete. Reading takes
the viewer role, writing and publishing the editor role, as for scenarios; everything is
scoped to the caller's organization (another organization's module is a 404)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.responses import JSONResponse

from core.errors import InvalidInput, PreconditionRequired, ServiceUnavailable
from core.http import DbSession, Editor, Viewer, problem_responses
from core.types import INT32_MAX, Offset, VersionNumber
from modules.library import service
from modules.library.models import Module
from modules.library.schemas import (
    ModuleCreate,
    ModuleDetail,
    ModuleNamePath,
    ModulePage,
    ModulePublish,
    ModuleRead,
    ModuleTestRun,
    ModuleUpdate,
    ModuleValidation,
    ModuleVersionDetail,
    ModuleVersionPage,
    ModuleVersionRead,
)

router = APIRouter(prefix="/api/v1/modules", tags=["modules"])


def _etag(module: Module) -> dict[str, str]:
    return {"ETag": f'"{module.revision}"'}


def _detail(module: Module) -> dict[str, Any]:
    return ModuleDetail.model_validate(module).model_dump(mode="json")


def _parse_if_match(value: str | None) -> int:
    if value is None:
        raise PreconditionRequired(
            "send If-Match with the draft revision you edited (the ETag of GET "
            "/api/v1/modules/{name}), so that a concurrent edit is never overwritten")
    token = value.strip().removeprefix("W/").strip('"')
    if not re.fullmatch(r"[0-9]{1,10}", token) or int(token) > INT32_MAX:
        raise InvalidInput(f"If-Match must be a draft revision such as \"3\", not {value!r}")
    return int(token)


def _sandbox(request: Request) -> Any:
    """The sandbox of the modules service the composition root installed."""
    clients = getattr(request.app.state, "clients", None) or {}
    modules = clients.get("modules")
    if modules is None:
        raise ServiceUnavailable("the modules service is not running in this process")
    return modules.sandbox


@router.post("", response_model=ModuleDetail, status_code=201,
             responses=problem_responses(401, 403, 409, 422), summary="Create a module")
async def create_module(body: ModuleCreate, principal: Editor, session: DbSession):
    """Create a module with its draft (code, input and output schemas, test cases). The draft
    may hold code that does not parse yet; publishing checks it. The ETag header is the
    draft revision."""
    module = await service.create(session=session, org_id=principal.org_id, body=body)
    return JSONResponse(_detail(module), status_code=201, headers=_etag(module))


@router.get("", response_model=ModulePage, responses=problem_responses(401),
            summary="List the organization's modules")
async def list_modules(principal: Viewer, session: DbSession,
                       limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Offset = 0):
    """Your organization's modules by name, without their drafts."""
    items, total = await service.get_all(session=session, org_id=principal.org_id,
                                         limit=limit, offset=offset)
    return ModulePage(items=[ModuleRead.model_validate(m) for m in items], total=total)


@router.get("/{name}", response_model=ModuleDetail, responses=problem_responses(401, 404),
            summary="Read a module with its draft")
async def get_module(name: ModuleNamePath, principal: Viewer, session: DbSession):
    """The module with its draft; the ETag header is the draft revision."""
    module = await service.get_or_raise(session=session, org_id=principal.org_id, name=name)
    return JSONResponse(_detail(module), headers=_etag(module))


@router.put("/{name}/draft", response_model=ModuleDetail,
            responses=problem_responses(401, 403, 404, 409, 422, 428),
            summary="Replace a module's draft",
            openapi_extra={"parameters": [{
                # Read by hand (a missing one is 428, not FastAPI's 422), so declared here.
                "name": "If-Match", "in": "header", "required": True,
                "description": "The draft revision you edited, the ETag of GET "
                "/api/v1/modules/{name}, e.g. \"3\". Missing: 428.",
                "schema": {"type": "string", "pattern": '^(W/)?"?[0-9]{1,10}"?$'}}]})
async def save_draft(
    name: ModuleNamePath, body: ModuleUpdate, principal: Editor, session: DbSession,
    if_match: Annotated[str | None, Header(include_in_schema=False)] = None,
):
    """Replace the whole draft. Needs `If-Match: "<revision>"`; when someone saved in between,
    answers 409 and stores nothing."""
    expected = _parse_if_match(if_match)
    module = await service.get_or_raise(session=session, org_id=principal.org_id, name=name)
    module = await service.save_draft(session=session, module=module, draft=body,
                                      expected_revision=expected)
    return JSONResponse(_detail(module), headers=_etag(module))


@router.post("/{name}/validate", response_model=ModuleValidation,
             responses=problem_responses(401, 404), summary="Check a module's draft")
async def validate_module(name: ModuleNamePath, principal: Viewer, session: DbSession):
    """Whether the draft's code parses (a syntax error with its line and column) and its
    schemas are JSON Schemas. Always 200: read `valid` and `errors`. Test cases run at
    publish."""
    module = await service.get_or_raise(session=session, org_id=principal.org_id, name=name)
    issues = await service.validate(module)
    return ModuleValidation(valid=not issues, errors=issues)


@router.post("/{name}/test", response_model=ModuleTestRun,
             responses=problem_responses(401, 403, 404, 422),
             summary="Run the draft's test cases")
async def test_module(name: ModuleNamePath, principal: Editor, session: DbSession,
                      request: Request):
    """Run each of the saved draft's test cases in the sandbox, as publishing would, and
    report every case (output, expected, error, console lines, time) without publishing.
    A draft whose code or schemas do not check is a 422 listing the problems."""
    module = await service.get_or_raise(session=session, org_id=principal.org_id, name=name)
    revision = module.revision
    await session.commit()  # no connection held while the cases run, up to a second each
    issues = await service.validate(module)
    if issues:
        raise InvalidInput(
            f"the draft does not check: {issues[0].path}: {issues[0].message}",
            errors=[i.model_dump(exclude_none=True) for i in issues])
    results = await service.test_results(sandbox=_sandbox(request), module=module)
    return ModuleTestRun(revision=revision, passed=all(r["passed"] for r in results),
                         results=results)


@router.post("/{name}/publish", response_model=ModuleVersionDetail, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422),
             summary="Publish the draft as the next version")
async def publish_module(name: ModuleNamePath, body: ModulePublish, principal: Editor,
                         session: DbSession, request: Request):
    """Check the draft, run every test case in the sandbox (input against the input schema,
    output against the output schema, then compared with `expected`) and publish it as the
    next immutable version. Any failure: 422 listing each failing case, nothing published."""
    module = await service.get_or_raise(session=session, org_id=principal.org_id, name=name)
    version = await service.publish(session=session, sandbox=_sandbox(request), module=module,
                                    principal=principal, changelog=body.changelog,
                                    expected_revision=body.revision)
    return ModuleVersionDetail.model_validate(version)


@router.get("/{name}/versions", response_model=ModuleVersionPage,
            responses=problem_responses(401, 404), summary="List a module's versions")
async def list_versions(name: ModuleNamePath, principal: Viewer, session: DbSession,
                        limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Offset = 0):
    """Published versions, newest first."""
    module = await service.get_or_raise(session=session, org_id=principal.org_id, name=name)
    versions = await service.get_versions(session=session, module=module, limit=limit,
                                          offset=offset)
    return ModuleVersionPage(items=[ModuleVersionRead.model_validate(v) for v in versions],
                             total=module.latest_version)


@router.get("/{name}/versions/{number}", response_model=ModuleVersionDetail,
            responses=problem_responses(401, 404), summary="Read one published version")
async def get_version(name: ModuleNamePath, number: VersionNumber, principal: Viewer,
                      session: DbSession):
    module = await service.get_or_raise(session=session, org_id=principal.org_id, name=name)
    return await service.get_version_or_raise(session=session, module=module, number=number)


@router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(401, 403, 404), summary="Delete a module")
async def delete_module(name: ModuleNamePath, principal: Editor, session: DbSession
                        ) -> Response:
    """Delete the module and all its versions. Scenarios that call it are not checked: their
    `module` blocks leave through `error` ("no module named ...") from then on."""
    module = await service.get_or_raise(session=session, org_id=principal.org_id, name=name)
    await service.delete(session=session, module=module)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
