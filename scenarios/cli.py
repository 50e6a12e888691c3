"""``rozmova scenario validate|import|export``: work with scenario files from the shell."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from core.commands import in_transaction, write_json

app = typer.Typer(no_args_is_help=True)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        typer.echo(f"rozmova: no such file: {path}", err=True)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        typer.echo(f"rozmova: {path} is not valid JSON: {exc}", err=True)
    raise typer.Exit(2)


def _document_of(data: Any) -> Any:
    """Accept a bare scenario document or an export file."""
    if isinstance(data, dict) and data.get("format") == "rozmova.scenario":
        return data.get("document")
    return data


@app.command()
def validate(
    file: Path,
    languages: Annotated[str, typer.Option(help="Comma-separated bot languages.")] = "uk,en",
    default_language: Annotated[str | None, typer.Option(
        help="Default: the first of --languages.")] = None,
) -> None:
    """Check a scenario file (a document or an export) offline. Exit 1 on errors."""
    from scenarios.format import validate_document

    langs = [lang.strip() for lang in languages.split(",") if lang.strip()]
    report = validate_document(_document_of(_read_json(file)), languages=langs,
                               default_language=default_language or langs[0])
    for issue in [*report.errors, *report.warnings]:
        typer.echo(f"{issue.severity:7} {issue.path or '/':40} {issue.code}: {issue.message}")
    typer.echo(f"{file}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    raise typer.Exit(0 if report.valid else 1)


@app.command("import")
def import_(
    file: Path,
    bot: Annotated[uuid.UUID, typer.Option(help="Bot id to import into.")],
    name: Annotated[str | None, typer.Option(help="Override the scenario name.")] = None,
    allow_invalid: Annotated[bool, typer.Option(help="Keep graph errors as a draft.")] = False,
) -> None:
    """Import a scenario file (an export, or a bare document with --name) as a new draft."""
    from core.errors import NotFound
    from scenarios.bot.models import Bot
    from scenarios.scenario import service

    data = _read_json(file)
    is_export = isinstance(data, dict) and data.get("format") == "rozmova.scenario"
    scenario_name = name or (data.get("name") if is_export else None) or file.stem

    async def action(session: Any) -> Any:
        target = await session.get(Bot, bot)
        if target is None:
            raise NotFound(f"no bot {bot}")
        scenario, report = await service.create(
            session=session, bot=target, name=scenario_name,
            description=data.get("description") if is_export else None,
            document=_document_of(data), require_valid=not allow_invalid)
        return scenario.id, len(report.warnings)

    scenario_id, warnings = in_transaction(action)
    typer.echo(f"imported '{scenario_name}' as scenario {scenario_id} ({warnings} warning(s))")


@app.command()
def export(
    scenario: Annotated[uuid.UUID, typer.Argument(help="Scenario id.")],
    version: Annotated[str, typer.Option(help="Version number, 'live' or 'draft'.")] = "draft",
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Write a scenario as one JSON file (stdout by default)."""
    from core.errors import NotFound
    from scenarios.scenario import service
    from scenarios.scenario.models import Scenario

    async def action(session: Any) -> Any:
        found = await session.get(Scenario, scenario)
        if found is None:
            raise NotFound(f"no scenario {scenario}")
        document = await service.resolve_document(session=session, scenario=found, ref=version)
        return service.export(found, document).model_dump(mode="json")

    write_json(in_transaction(action), output)
