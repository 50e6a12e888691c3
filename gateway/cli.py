"""The ``rozmova`` command: serve (all-in-one or one service), migrate, create-admin, and each
service's own commands (``rozmova scenario ...``)."""

from __future__ import annotations

import asyncio
import getpass
import os
import sys

# One BLAS thread, set before numpy loads (spaCy, Whisper): OpenBLAS's own threads and its
# fork handler deadlock with a subprocess started while a speech worker multiplies matrices
# (ffmpeg for the next recording): the event loop froze under a flood of uploads. The speech
# workers are the parallelism; stt.engines also caps it at run time.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
from typing import TYPE_CHECKING, Annotated, Any

import typer

from core.config import Settings, settings_or_exit

if TYPE_CHECKING:
    import uvicorn

app = typer.Typer(help="Rozmova: chatbot scenario platform.", no_args_is_help=True,
                  pretty_exceptions_enable=False)


def _database_label(settings: Settings) -> str:
    url = settings.resolved_database_url
    return url.split("@")[-1] if "@" in url else url  # never print credentials


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (safe to run again)."""
    settings = settings_or_exit()
    from migrations.runner import upgrade

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    typer.echo(f"database is up to date ({_database_label(settings)})")


async def _schema_is_current(settings: Settings) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from core.db import create_engine
    from migrations.runner import current_head

    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            current = await connection.run_sync(
                lambda c: MigrationContext.configure(c).get_current_revision())
    finally:
        await engine.dispose()
    head = current_head()
    return None if current == head else f"the database is at revision {current}, code needs {head}"


async def _bootstrap(settings: Settings) -> None:
    from core.runtime import Runtime
    from gateway.bootstrap import ensure_admin, ensure_demo

    runtime = Runtime.from_settings(settings)
    try:
        created = await ensure_admin(runtime, settings)
        demo = await ensure_demo(runtime, settings)
    finally:
        await runtime.close()
    if demo is not None:
        bot_id, key = demo
        typer.echo(f"demo bot {bot_id} (chat key {key}): POST /api/v1/bots/{bot_id}/conversations "
                   f"with header X-Chat-Key: {key}")
    if created is not None:
        email, generated = created
        typer.echo(f"created admin {email} (owner of '{settings.admin_organization}')")
        if generated:
            # Printed once, here only: it is never stored or logged in clear.
            typer.echo(f"  password: {generated}   <- shown once; keep it")


def tune_garbage_collector() -> None:
    """A server's collector settings. Python's default runs a young-generation collection
    every 700 allocations; a chat turn allocates thousands of short-lived objects while
    hundreds of turns are in flight, so those collections kept traversing live turns and took
    ~30 % of the server's CPU (bench/hot_path.py, embedded mode: ~700 -> ~500 µs per message).
    Collecting every 20,000 allocations keeps cyclic garbage bounded all the same. Objects
    alive after start-up (modules, models, the app) are frozen out of every collection, so a
    full collection does not walk them (shorter pauses, pages shared after a fork)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def uvicorn_config(asgi_app: Any, settings: Settings, *, host: str, port: int,
                   **overrides: Any) -> uvicorn.Config:
    """How Rozmova runs under uvicorn: ``rozmova serve`` and the tests' live server both build
    their server here, so the tests see the same proxy and WebSocket behaviour."""
    import uvicorn

    from chat.contract import WS_MAX_VOICE_FRAME

    options: dict[str, Any] = dict(
        host=host, port=port, log_config=None, ws="websockets-sansio",
        # Text frames are held to ws_max_frame_bytes by the chat socket itself; a binary
        # frame may carry a voice message.
        timeout_graceful_shutdown=20,
        ws_max_size=max(settings.ws_max_frame_bytes, WS_MAX_VOICE_FRAME),
        # Chat frames are small; per-message deflate would cost ~44 KiB of zlib state per
        # socket for next to no saving.
        ws_per_message_deflate=False,
        # X-Forwarded-For names the client only when a proxy we trust set it; uvicorn's own
        # default trusts 127.0.0.1, so anything on the host could choose its address (and
        # escape the per-address login limit).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
        server_header=False,
        # Idle keep-alive connections are kept longer than the proxies in front keep theirs
        # (nginx 75 s upstream, cloud load balancers 60 s): a server that closed first would
        # race a request reusing the connection, and the client would get a reset, not an
        # answer (uvicorn's default is 5 s, the same as httpx's, so even they raced).
        timeout_keep_alive=75,
    )
    options.update(overrides)
    return uvicorn.Config(asgi_app, **options)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (ROZMOVA_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (ROZMOVA_PORT).")] = None,
    service: Annotated[list[str] | None, typer.Option(
        "--service", help="Run only this service (repeatable); default: all in one.")] = None,
) -> None:
    """Run the HTTP server."""
    settings = settings_or_exit()
    import uvicorn

    from core.logging import configure_logging
    from gateway.app import SERVICES, create_app

    unknown = set(service or []) - set(SERVICES)
    if unknown:
        typer.echo(f"rozmova: unknown service {sorted(unknown)}; known: {sorted(SERVICES)}",
                   err=True)
        raise typer.Exit(2)
    problem = asyncio.run(_schema_is_current(settings))
    if problem:
        typer.echo(f"rozmova: {problem}; run `rozmova migrate` first", err=True)
        raise typer.Exit(2)
    asyncio.run(_bootstrap(settings))
    configure_logging(settings.log_level, settings.log_json)
    host, port = host or settings.host, port or settings.port
    typer.echo(f"Rozmova on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    server = uvicorn.Server(uvicorn_config(create_app(settings, services=service or None),
                                           settings, host=host, port=port))
    tune_garbage_collector()
    server.run()
    if not server.started:
        raise typer.Exit(3)  # could not bind or start (uvicorn logged why)


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True)],
    organization: Annotated[str, typer.Option(help="Organization to create for them.")] = "",
    password: Annotated[str | None, typer.Option(
        help="Prompted (hidden) when omitted.", envvar="ROZMOVA_NEW_ADMIN_PASSWORD")] = None,
) -> None:
    """Create a user who owns a new organization."""
    settings = settings_or_exit()
    if password is None:
        password = getpass.getpass("password: ")
    if len(password) < 10:
        typer.echo("rozmova: the password needs at least 10 characters", err=True)
        raise typer.Exit(2)

    async def run() -> None:
        from core.db import transaction
        from core.errors import RozmovaError
        from core.runtime import Runtime
        from gateway.auth import service as auth_service
        from gateway.orgs import service as orgs_service

        runtime = Runtime.from_settings(settings)
        try:
            async with transaction(runtime.sessionmaker) as session:
                user = await auth_service.create_user(session=session, email=email,
                                                      password=password)
                org = await orgs_service.create(session=session,
                                                name=organization or f"{email}'s organization",
                                                owner_id=user.id)
            typer.echo(f"created {user.email}, owner of '{org.name}' ({org.id})")
        except RozmovaError as exc:
            typer.echo(f"rozmova: {exc.detail}", err=True)
            raise typer.Exit(1) from None
        finally:
            await runtime.close()

    asyncio.run(run())


def _mount_service_commands() -> None:
    import migrations.models  # noqa: F401  (foreign keys across services need every table)
    from scenarios.cli import app as scenario_app

    app.add_typer(scenario_app, name="scenario", help="Validate, import and export scenarios.")
    from modules.library.cli import app as module_app

    app.add_typer(module_app, name="module", help="Import and export an organization's modules.")
    from chat.channels.cli import app as dev_app

    app.add_typer(dev_app, name="dev", help="Tools for trying the platform on this machine.")
    from gateway.secrets.cli import app as secrets_app

    app.add_typer(secrets_app, name="secrets", help="Maintain the organizations' secrets.")
    from nlu.cli import app as nlu_app

    app.add_typer(nlu_app, name="nlu", help="Measure the intent classifier; import Rasa NLU data.")
    from stt.cli import app as stt_app

    app.add_typer(stt_app, name="stt", help="Measure speech to text on recorded speech.")


_mount_service_commands()


def main() -> None:
    app(prog_name="rozmova")


if __name__ == "__main__":
    sys.exit(main())
