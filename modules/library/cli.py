"""`rozmova module import|export`: move an organization's module between installations as
one JSON file (`format: rozmova.module`): its code, schemas, test cases and cache setting.
Importing creates the module's draft (publish it through the API, which runs its test
cases); exporting writes the draft or a published version."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from core.commands import in_transaction, write_json

app = typer.Typer(no_args_is_help=True)

FORMAT = "rozmova.module"


@app.command("import")
def import_(
    file: Path,
    org: Annotated[uuid.UUID, typer.Option(help="Organization id to import into.")],
    name: Annotated[str | None, typer.Option(help="Override the module's name.")] = None,
) -> None:
    """Create a module's draft from an exported file."""
    from pydantic import ValidationError

    from modules.library import service
    from modules.library.schemas import ModuleCreate

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        typer.echo(f"rozmova: cannot read {file}: {exc}", err=True)
        raise typer.Exit(2) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        typer.echo(f"rozmova: {file} is not a module export (format: {FORMAT})", err=True)
        raise typer.Exit(2)
    fields = {k: v for k, v in data.items() if k != "format"}
    if name:
        fields["name"] = name
    try:
        body = ModuleCreate.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"])
        typer.echo(f"rozmova: {file}: {where}: {first['msg']}", err=True)
        raise typer.Exit(1) from None

    async def action(session: Any) -> Any:
        module = await service.create(session=session, org_id=org, body=body)
        return module.name

    typer.echo(f"imported module '{in_transaction(action)}' as a draft; publish it to use it")


@app.command()
def export(
    name: str,
    org: Annotated[uuid.UUID, typer.Option(help="Organization id.")],
    version: Annotated[str, typer.Option(help="Version number, or 'draft'.")] = "draft",
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Write a module as one JSON file (stdout by default)."""
    from core.errors import InvalidInput
    from modules.library import service

    async def action(session: Any) -> Any:
        module = await service.get_or_raise(session=session, org_id=org, name=name)
        out = {"format": FORMAT, "name": module.name, "description": module.description,
               "code": module.code, "input_schema": module.input_schema,
               "output_schema": module.output_schema, "test_cases": module.test_cases,
               "cache_seconds": module.cache_seconds}
        if version != "draft":
            if not version.isdigit():
                raise InvalidInput("--version is a version number or 'draft'")
            published = await service.get_version_or_raise(session=session, module=module,
                                                           number=int(version))
            out.update(code=published.code, input_schema=published.input_schema,
                       output_schema=published.output_schema,
                       cache_seconds=published.cache_seconds)
        return out

    write_json(in_transaction(action), output)
