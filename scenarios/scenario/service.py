"""Scenario logic: drafts with optimistic concurrency, validation, publishing immutable
versions, diffs, rollback, import and export. Always within the caller's organization."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import flush_unique, utcnow
from core.errors import InvalidInput, NotFound, StaleRevision
from core.security import Principal
from scenarios.bot.models import Bot
from scenarios.format import (
    CURRENT_SCHEMA_VERSION, FormatVersionError, ScenarioDiff, ValidationReport, diff_documents,
    upgrade, validate_document,
)
from scenarios.scenario.models import Scenario, ScenarioVersion
from scenarios.scenario.schemas import ExportFile, IssueRead, ValidationRead


def document_hash(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def starter_document(bot: Bot) -> dict[str, Any]:
    """What a new scenario holds when none is given: one greeting, in every bot language."""
    greeting = {"uk": "Привіт! Я ще вчуся.", "en": "Hi! I am still learning."}
    text = {lang: greeting.get(lang, greeting["en"]) for lang in bot.languages}
    return {
        "schema_version": CURRENT_SCHEMA_VERSION,
        "entry": {"start": "greeting"},
        "variables": [],
        "blocks": [{"id": "greeting", "type": "message", "settings": {"text": text},
                    "layout": {"x": 0, "y": 0}}],
        "edges": [],
    }


def report_read(report: ValidationReport) -> ValidationRead:
    return ValidationRead(
        valid=report.valid,
        errors=[IssueRead.model_validate(i, from_attributes=True) for i in report.errors],
        warnings=[IssueRead.model_validate(i, from_attributes=True) for i in report.warnings],
    )


def fits_schema(report: ValidationReport) -> bool:
    """Whether the document has the format's shape (types, known block types, settings),
    whatever its graph problems: the bar a draft must clear to be stored."""
    return report.document is not None and not any(
        issue.code.startswith("schema.") or issue.code == "block.unknown_type"
        for issue in report.errors)


async def jump_targets(
    *, session: AsyncSession, bot: Bot, current: str | None
) -> dict[str, bool]:
    """The bot's scenarios a jump may name, each with whether it has a live version. The
    scenario being checked (`current`) counts as live: calling itself works once it is
    published, which is what its own publish does."""
    rows = await session.execute(
        select(Scenario.name, Scenario.live_version).where(Scenario.bot_id == bot.id))
    targets = {name: live is not None for name, live in rows}
    if current is not None:
        targets[current] = True
    return targets


async def checked_document(
    data: Any, bot: Bot, *, require_valid: bool, scenarios: Mapping[str, bool] | None = None,
    name: str | None = None,
) -> tuple[dict[str, Any], ValidationReport]:
    """`check_document` in a thread: validation may parse scripts (a `script` block's syntax
    check), which cannot be interrupted and must not hold up the event loop."""
    facts = SimpleNamespace(languages=list(bot.languages),
                            default_language=bot.default_language)
    return await asyncio.to_thread(check_document, data, facts,  # type: ignore[arg-type]
                                   require_valid=require_valid, scenarios=scenarios, name=name)


def check_document(
    data: Any, bot: Bot, *, require_valid: bool, scenarios: Mapping[str, bool] | None = None,
    name: str | None = None,
) -> tuple[dict[str, Any], ValidationReport]:
    """Upgrade an older format, then validate. A document that does not fit the schema is
    always refused; graph errors are refused only when ``require_valid`` (publish, import):
    a draft may be work in progress. `scenarios`: see `jump_targets`."""
    if not isinstance(data, dict):
        raise InvalidInput("a scenario document is a JSON object",
                           errors=[{"path": "", "message": "expected an object"}])
    try:
        upgraded, _ = upgrade(data, default_language=bot.default_language)
    except FormatVersionError as exc:
        raise InvalidInput(str(exc), errors=[{"path": "/schema_version", "message": str(exc)}]) \
            from None
    # The submission itself is validated, so that an upgraded one says so (schema.upgraded).
    report = validate_document(data, languages=bot.languages,
                               default_language=bot.default_language, scenarios=scenarios,
                               name=name)
    if not fits_schema(report) or (require_valid and not report.valid):
        read = report_read(report)
        first = read.errors[0] if read.errors else None
        where = f" at {first.path}" if first and first.path else ""
        summary = (f"the scenario has {len(read.errors)} error(s); first{where}: "
                   f"{first.message}") if first else "the scenario is not valid"
        raise InvalidInput(summary, errors=[e.model_dump() for e in read.errors],
                           warnings=[w.model_dump() for w in read.warnings])
    return upgraded, report


async def get_or_raise(
    *, session: AsyncSession, org_id: uuid.UUID, scenario_id: uuid.UUID, for_update: bool = False
) -> tuple[Scenario, Bot]:
    query = (select(Scenario, Bot).join(Bot, Bot.id == Scenario.bot_id)
             .where(Scenario.id == scenario_id, Scenario.org_id == org_id))
    if for_update:
        query = query.with_for_update(of=Scenario)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(f"no scenario {scenario_id} in your organization")
    return row[0], row[1]


async def get_all(
    *, session: AsyncSession, bot: Bot, limit: int, offset: int
) -> tuple[list[Scenario], int]:
    total = await session.scalar(
        select(func.count()).select_from(Scenario).where(Scenario.bot_id == bot.id))
    result = await session.scalars(select(Scenario).where(Scenario.bot_id == bot.id)
                                   .order_by(Scenario.name).limit(limit).offset(offset))
    return list(result), total or 0


async def create(
    *, session: AsyncSession, bot: Bot, name: str, description: str | None,
    document: dict[str, Any] | None, require_valid: bool = False,
) -> tuple[Scenario, ValidationReport]:
    if document is None:
        document = starter_document(bot)
    targets = await jump_targets(session=session, bot=bot, current=name)
    document, report = await checked_document(document, bot, require_valid=require_valid,
                                              scenarios=targets, name=name)
    bot_name = bot.name  # read now: a failed savepoint expires loaded objects
    scenario = Scenario(org_id=bot.org_id, bot_id=bot.id, name=name, description=description,
                        draft=document, revision=1, latest_version=0)
    session.add(scenario)
    await flush_unique(session, f"bot '{bot_name}' already has a scenario named '{name}'; "
                                "choose another name")
    if bot.main_scenario_id is None:
        bot.main_scenario_id = scenario.id
    await session.flush()
    return scenario, report


async def update_meta(
    *, session: AsyncSession, scenario: Scenario, name: str | None, description: str | None,
    fields: set[str],
) -> Scenario:
    if "name" in fields and name is not None:
        scenario.name = name
    if "description" in fields:
        scenario.description = description
    await flush_unique(session, f"this bot already has a scenario named '{name}'")
    return scenario


async def delete(*, session: AsyncSession, scenario: Scenario, bot: Bot) -> None:
    if bot.main_scenario_id == scenario.id:
        bot.main_scenario_id = None
    await session.delete(scenario)
    await session.flush()


async def save_draft(
    *, session: AsyncSession, scenario: Scenario, bot: Bot, document: Any,
    expected_revision: int,
) -> tuple[Scenario, ValidationReport]:
    targets = await jump_targets(session=session, bot=bot, current=scenario.name)
    document, report = await checked_document(document, bot, require_valid=False,
                                              scenarios=targets, name=scenario.name)
    # Compare-and-set in one statement: two editors saving at once cannot both win.
    result = await session.execute(
        update(Scenario)
        .where(Scenario.id == scenario.id, Scenario.revision == expected_revision)
        .values(draft=document, revision=Scenario.revision + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        current = await session.scalar(select(Scenario.revision).where(Scenario.id == scenario.id))
        raise StaleRevision(
            f"the draft changed since revision {expected_revision} (it is now at revision "
            f"{current}); reload it, merge your changes and save again",
            current_revision=current,
        )
    await session.refresh(scenario)
    return scenario, report


async def _next_version_number(session: AsyncSession, scenario: Scenario) -> int:
    # An atomic increment serializes concurrent publishes on both databases.
    number = await session.scalar(
        update(Scenario).where(Scenario.id == scenario.id)
        .values(latest_version=Scenario.latest_version + 1)
        .returning(Scenario.latest_version)
        .execution_options(synchronize_session=False)
    )
    return int(number)


async def _publish(
    *, session: AsyncSession, scenario: Scenario, document: dict[str, Any], principal: Principal,
    changelog: str, rolled_back_from: int | None = None,
) -> ScenarioVersion:
    number = await _next_version_number(session, scenario)
    version = ScenarioVersion(
        org_id=scenario.org_id, bot_id=scenario.bot_id, scenario_id=scenario.id, number=number,
        document=document, document_hash=document_hash(document), changelog=changelog,
        author=principal.actor, rolled_back_from=rolled_back_from,
    )
    session.add(version)
    await session.execute(
        update(Scenario).where(Scenario.id == scenario.id)
        .values(live_version=number, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    await session.flush()
    await session.refresh(scenario)
    return version


async def publish(
    *, session: AsyncSession, scenario: Scenario, bot: Bot, principal: Principal,
    changelog: str, expected_revision: int | None,
) -> tuple[ScenarioVersion, ValidationReport]:
    """The new live version, and the validation report of what was published: its warnings
    (a jump to a scenario not yet published, a missing translation) go back to the author."""
    if expected_revision is not None and expected_revision != scenario.revision:
        raise StaleRevision(
            f"the draft is at revision {scenario.revision}, not {expected_revision}; "
            "review the latest draft before publishing", current_revision=scenario.revision)
    targets = await jump_targets(session=session, bot=bot, current=scenario.name)
    document, report = await checked_document(scenario.draft, bot, require_valid=True,
                                              scenarios=targets, name=scenario.name)
    return await _publish(session=session, scenario=scenario, document=document,
                          principal=principal, changelog=changelog), report


async def get_version_or_raise(
    *, session: AsyncSession, scenario: Scenario, number: int
) -> ScenarioVersion:
    version = await session.scalar(select(ScenarioVersion).where(
        ScenarioVersion.scenario_id == scenario.id, ScenarioVersion.number == number))
    if version is None:
        raise NotFound(f"scenario '{scenario.name}' has no version {number} "
                       f"(latest is {scenario.latest_version})")
    return version


async def get_versions(
    *, session: AsyncSession, scenario: Scenario, limit: int, offset: int
) -> list[ScenarioVersion]:
    result = await session.scalars(
        select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario.id)
        .order_by(ScenarioVersion.number.desc()).limit(limit).offset(offset))
    return list(result)


async def rollback(
    *, session: AsyncSession, scenario: Scenario, bot: Bot, principal: Principal, number: int,
    changelog: str | None,
) -> ScenarioVersion:
    """Publish an old version's content as a new version; history stays append-only. The
    draft is left alone so unpublished work is not lost."""
    old = await get_version_or_raise(session=session, scenario=scenario, number=number)
    targets = await jump_targets(session=session, bot=bot, current=scenario.name)
    document, _ = await checked_document(old.document, bot, require_valid=True,
                                         scenarios=targets, name=scenario.name)
    return await _publish(session=session, scenario=scenario, document=document,
                          principal=principal, changelog=changelog or f"Rollback to version {number}",
                          rolled_back_from=number)


async def resolve_document(
    *, session: AsyncSession, scenario: Scenario, ref: str
) -> dict[str, Any]:
    """A version number, 'draft' or 'live'."""
    if ref == "draft":
        return scenario.draft
    if ref == "live":
        if scenario.live_version is None:
            raise NotFound(f"scenario '{scenario.name}' has no live version yet")
        ref = str(scenario.live_version)
    if not ref.isdigit():
        raise InvalidInput(f"'{ref}' is not a version: use a number, 'draft' or 'live'")
    return (await get_version_or_raise(session=session, scenario=scenario, number=int(ref))).document


async def diff(
    *, session: AsyncSession, scenario: Scenario, from_ref: str, to_ref: str
) -> ScenarioDiff:
    old = await resolve_document(session=session, scenario=scenario, ref=from_ref)
    new = await resolve_document(session=session, scenario=scenario, ref=to_ref)
    return diff_documents(old, new)


def export(scenario: Scenario, document: dict[str, Any]) -> ExportFile:
    return ExportFile(name=scenario.name, description=scenario.description, document=document)
