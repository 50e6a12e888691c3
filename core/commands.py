"""What the services' command-line tools share: running one action in a database
transaction (a domain error printed with its details, exit status 1), and writing a JSON
export to a file or to stdout."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import typer


def in_transaction(action: Callable[[Any], Awaitable[Any]]) -> Any:
    """Run ``action(session)`` in one transaction on the configured database."""
    from core.config import settings_or_exit
    from core.db import transaction
    from core.errors import RozmovaError
    from core.runtime import Runtime

    async def run() -> Any:
        runtime = Runtime.from_settings(settings_or_exit())
        try:
            async with transaction(runtime.sessionmaker) as session:
                return await action(session)
        finally:
            await runtime.close()

    try:
        return asyncio.run(run())
    except RozmovaError as exc:
        typer.echo(f"rozmova: {exc.detail}", err=True)
        for error in exc.extra.get("errors", [])[:20]:
            typer.echo(f"  {error.get('path') or '/'}: {error.get('message')}", err=True)
        raise typer.Exit(1) from None


def write_json(data: Any, output: Path | None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}")
    else:
        typer.echo(text, nl=False)
