"""Module library logic, always within one organization: create, list, read, save the draft
(compare-and-set on its revision), validate, publish (every test case must pass), versions,
delete; and `load`, which the modules service uses to find the version a block runs."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import orjson
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound, StaleRevision
from core.logging import get_logger
from core.security import Principal
from modules.library.models import Module, ModuleVersion
from modules.library.running import ModuleRunFailed, Runnable, run, schema_problem
from modules.library.schemas import ModuleCreate, ModuleDraft, ModuleIssue

log = get_logger("rozmova.modules.library")


async def get(*, session: AsyncSession, org_id: uuid.UUID, name: str) -> Module | None:
    return await session.scalar(
        select(Module).where(Module.org_id == org_id, Module.name == name))


async def get_or_raise(*, session: AsyncSession, org_id: uuid.UUID, name: str) -> Module:
    module = await get(session=session, org_id=org_id, name=name)
    if module is None:
        # Another organization's module answers exactly like a missing one.
        raise NotFound(f"no module named '{name}' in your organization")
    return module


async def get_all(*, session: AsyncSession, org_id: uuid.UUID, limit: int, offset: int
                  ) -> tuple[list[Module], int]:
    total = await session.scalar(
        select(func.count()).select_from(Module).where(Module.org_id == org_id))
    items = await session.scalars(select(Module).where(Module.org_id == org_id)
                                  .order_by(Module.name).limit(limit).offset(offset))
    return list(items), int(total or 0)


def _draft_values(draft: ModuleDraft) -> dict[str, Any]:
    return {"description": draft.description, "code": draft.code,
            "input_schema": draft.input_schema, "output_schema": draft.output_schema,
            "test_cases": [case.model_dump(mode="json") for case in draft.test_cases],
            "cache_seconds": draft.cache_seconds}


def _schema_issues(draft: ModuleDraft | Module) -> list[ModuleIssue]:
    issues = []
    for field in ("input_schema", "output_schema"):
        problem = schema_problem(getattr(draft, field))
        if problem is not None:
            issues.append(ModuleIssue(path=f"/{field}", message=problem))
    return issues


def _refuse_bad_schemas(draft: ModuleDraft) -> None:
    # A draft may hold code that does not parse yet, but never a schema that is not one:
    # nothing could check a test case against it.
    issues = _schema_issues(draft)
    if issues:
        raise InvalidInput(f"{issues[0].path}: {issues[0].message}",
                           errors=[{"path": i.path, "message": i.message} for i in issues])


async def create(*, session: AsyncSession, org_id: uuid.UUID, body: ModuleCreate) -> Module:
    _refuse_bad_schemas(body)
    module = Module(org_id=org_id, name=body.name, revision=1, latest_version=0,
                    **_draft_values(body))
    try:
        async with session.begin_nested():
            session.add(module)
            await session.flush()
    except IntegrityError:
        raise Conflict(f"your organization already has a module named '{body.name}'") from None
    log.info("modules.library.created", org_id=str(org_id), name=body.name)
    return module


async def save_draft(*, session: AsyncSession, module: Module, draft: ModuleDraft,
                     expected_revision: int) -> Module:
    _refuse_bad_schemas(draft)
    # Compare-and-set in one statement: two editors saving at once cannot both win.
    result = await session.execute(
        update(Module).where(Module.id == module.id, Module.revision == expected_revision)
        .values(**_draft_values(draft), revision=Module.revision + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount == 0:
        current = await session.scalar(select(Module.revision).where(Module.id == module.id))
        raise StaleRevision(
            f"the draft changed since revision {expected_revision} (it is now at revision "
            f"{current}); reload it, merge your changes and save again",
            current_revision=current)
    await session.refresh(module)
    return module


async def delete(*, session: AsyncSession, module: Module) -> None:
    await session.delete(module)
    await session.flush()
    log.info("modules.library.deleted", org_id=str(module.org_id), name=module.name)


async def validate(module: Module | ModuleDraft) -> list[ModuleIssue]:
    """Syntax (with line and column) and schema problems of a draft."""
    from modules.sandbox import ScriptLimits
    from modules.sandbox.syntax import check

    issues = _schema_issues(module)
    # In a thread: parsing cannot be interrupted (see modules.sandbox.syntax).
    error = await asyncio.to_thread(check, module.code, ("input",), ScriptLimits())
    if error is not None:
        where = f" ({error.place})" if error.place else ""
        issues.insert(0, ModuleIssue(path="/code", line=error.line, column=error.column,
                                     message=f"the code does not parse{where}: "
                                             f"{error.message}"))
    return issues


def _json(value: Any) -> str:
    text = orjson.dumps(value).decode()
    return text if len(text) <= 200 else text[:200] + "…"


async def test_results(*, sandbox: Any, module: Module) -> list[dict[str, Any]]:
    """Every test case run in the sandbox, in order: name, passed, output, expected, error,
    logs, ms. The schemas are checked first: a draft whose schemas are broken runs nothing."""
    import time

    runnable = Runnable(name=module.name, number=0, code=module.code,
                        input_schema=module.input_schema, output_schema=module.output_schema)
    results = []
    for index, case in enumerate(module.test_cases):
        name = case.get("name", f"#{index + 1}")
        started = time.perf_counter()
        output, logs, error = None, [], None
        try:
            output, logs = await run(sandbox, runnable, case.get("input"))
        except ModuleRunFailed as exc:
            error, logs = str(exc), list(exc.logs)
        else:
            if output != case.get("expected"):
                error = f"expected {_json(case.get('expected'))}, got {_json(output)}"
        results.append({"name": name, "passed": error is None, "output": output,
                        "expected": case.get("expected"), "error": error, "logs": logs[:50],
                        "ms": round((time.perf_counter() - started) * 1000, 2)})
    return results


async def run_test_cases(*, sandbox: Any, module: Module) -> list[dict[str, Any]]:
    """Each failing case as a problem entry (path, message); empty when all pass."""
    return [{"path": f"/test_cases/{index}", "case": result["name"],
             "message": f"test case '{result['name']}' failed: {result['error']}"}
            for index, result in enumerate(await test_results(sandbox=sandbox, module=module))
            if not result["passed"]]


async def publish(*, session: AsyncSession, sandbox: Any, module: Module, principal: Principal,
                  changelog: str, expected_revision: int | None) -> ModuleVersion:
    if expected_revision is not None and expected_revision != module.revision:
        raise StaleRevision(
            f"the draft is at revision {module.revision}, not {expected_revision}; review "
            "the latest draft before publishing", current_revision=module.revision)
    tested = module.revision
    # Nothing is written yet: end the transaction, so that no connection (and no lock) is
    # held while the test cases run in the sandbox, up to a second each.
    await session.commit()
    issues = await validate(module)
    if issues:
        raise InvalidInput(
            f"the module cannot be published: {issues[0].path}: {issues[0].message}",
            errors=[i.model_dump(exclude_none=True) for i in issues])
    failures = await run_test_cases(sandbox=sandbox, module=module)
    if failures:
        raise InvalidInput(
            f"{len(failures)} of {len(module.test_cases)} test case(s) failed; nothing was "
            f"published: {failures[0]['message']}", errors=failures)
    # An atomic increment serializes concurrent publishes on both databases; it applies only
    # if the draft is still the one that was tested.
    number = await session.scalar(
        update(Module).where(Module.id == module.id, Module.revision == tested)
        .values(latest_version=Module.latest_version + 1, updated_at=utcnow())
        .returning(Module.latest_version).execution_options(synchronize_session=False))
    if number is None:
        current = await session.scalar(select(Module.revision).where(Module.id == module.id))
        if current is None:
            raise NotFound(f"module '{module.name}' was deleted while its test cases ran")
        raise StaleRevision(
            f"the draft changed (revision {current}) while the test cases of revision "
            f"{tested} ran; nothing was published: publish again", current_revision=current)
    number = int(number)
    version = ModuleVersion(
        org_id=module.org_id, module_id=module.id, number=number, code=module.code,
        input_schema=module.input_schema, output_schema=module.output_schema,
        cache_seconds=module.cache_seconds, changelog=changelog, published_by=principal.actor)
    session.add(version)
    await session.flush()
    await session.refresh(module)
    log.info("modules.library.published", org_id=str(module.org_id), name=module.name,
             version=number)
    return version


async def get_versions(*, session: AsyncSession, module: Module, limit: int, offset: int
                       ) -> list[ModuleVersion]:
    return list(await session.scalars(
        select(ModuleVersion).where(ModuleVersion.module_id == module.id)
        .order_by(ModuleVersion.number.desc()).limit(limit).offset(offset)))


async def get_version_or_raise(*, session: AsyncSession, module: Module, number: int
                               ) -> ModuleVersion:
    version = await session.scalar(select(ModuleVersion).where(
        ModuleVersion.module_id == module.id, ModuleVersion.number == number))
    if version is None:
        raise NotFound(f"module '{module.name}' has no version {number}")
    return version


async def version_id(*, session: AsyncSession, org_id: uuid.UUID, name: str,
                     number: int | None) -> tuple[uuid.UUID, int] | None:
    """The id and number of a module's version (the latest when `number` is None), or None
    when the organization has no such module or version."""
    query = (select(ModuleVersion.id, ModuleVersion.number)
             .join(Module, Module.id == ModuleVersion.module_id)
             .where(Module.org_id == org_id, Module.name == name))
    query = (query.where(ModuleVersion.number == number) if number is not None
             else query.order_by(ModuleVersion.number.desc()).limit(1))
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row is not None else None
