"""Test fixtures. By default the suite runs on the embedded defaults (a SQLite file, in-process
adapters). With ROZMOVA_TEST_DATABASE_URL (postgresql+asyncpg://...) it creates a database of
its own on that server, migrates it and drops it at the end; with ROZMOVA_TEST_REDIS_URL it
uses Redis under a key prefix of its own, deleted at the end.

ROZMOVA_TEST_BACKEND_ONLY=1 (CI's second pass, on PostgreSQL + Redis) runs only the tests
those servers can change: the ones that use the `settings` fixture (every database, cache,
app and server fixture starts from it) or read the variables above themselves. The others
(the classifier on its own, the sandbox, the browser tests, whose servers always run on
SQLite) ran in the first pass exactly as they would here."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete

from core.config import Environment, Settings
from core.db import Base, transaction
from core.runtime import Runtime
from core.security import Role, hash_password, issue_access_token

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BACKEND_VARIABLES = ("ROZMOVA_TEST_DATABASE_URL", "ROZMOVA_TEST_REDIS_URL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("ROZMOVA_TEST_BACKEND_ONLY") != "1":
        return
    reads_variables: dict[Path, bool] = {}

    def backend_dependent(item: pytest.Item) -> bool:
        if "settings" in getattr(item, "fixturenames", ()):
            return True
        path = Path(str(item.fspath))
        if path not in reads_variables:
            source = path.read_text(encoding="utf-8") if path.is_file() else ""
            reads_variables[path] = any(name in source for name in BACKEND_VARIABLES)
        return reads_variables[path]

    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        (kept if backend_dependent(item) else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
TEST_PASSWORD = "correct horse battery staple"
_TEST_PASSWORD_HASH = hash_password(TEST_PASSWORD)


async def _create_database(admin_url: str, name: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg", "postgresql"),
                                       timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop_database(admin_url: str, name: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg", "postgresql"),
                                       timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def settings(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Settings]:
    data_dir = tmp_path_factory.mktemp("var")
    overrides: dict[str, object] = {
        "env": Environment.test, "data_dir": data_dir, "http_allow": "127.0.0.1",
        "secret_key": secrets.token_urlsafe(32), "redis_prefix": f"rozmova-test-{secrets.token_hex(4)}:",
    }
    pg_url = os.environ.get("ROZMOVA_TEST_DATABASE_URL")
    db_name = None
    if pg_url:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        db_name = f"rozmova_test_{worker}_{secrets.token_hex(4)}"
        await _create_database(pg_url, db_name)
        overrides["database_url"] = pg_url.rsplit("/", 1)[0] + "/" + db_name
        # Two workers (each up to twice this in its main pool, 8 readers, this many on the
        # hot path's driver pool) and a test's own server process fit in PostgreSQL's
        # default 100 connections.
        overrides["database_pool_size"] = 10
    if os.environ.get("ROZMOVA_TEST_REDIS_URL"):
        overrides["redis_url"] = os.environ["ROZMOVA_TEST_REDIS_URL"]
    yield Settings(_env_file=None, **overrides)  # type: ignore[arg-type]
    if pg_url and db_name:
        await _drop_database(pg_url, db_name)


@pytest.fixture(scope="session")
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    from migrations.runner import upgrade_engine

    runtime = Runtime.from_settings(settings)
    await upgrade_engine(runtime.engine)
    yield runtime
    if runtime.redis is not None:
        keys = [k async for k in runtime.redis.scan_iter(match=settings.redis_prefix + "*")]
        if keys:
            await runtime.redis.delete(*keys)
    await runtime.close()


@pytest.fixture(autouse=True)
async def _clean_state(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Each test starts from empty tables and fresh rate-limit counters."""
    yield
    if "runtime" not in request.fixturenames:
        return
    runtime: Runtime = request.getfixturevalue("runtime")
    async with transaction(runtime.sessionmaker) as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(delete(table))
    await runtime.limiter.reset()
    if runtime.redis is not None:
        keys = [k async for k in runtime.redis.scan_iter(match=runtime.settings.redis_prefix + "*")]
        if keys:
            await runtime.redis.delete(*keys)


@pytest.fixture
async def app(settings: Settings, runtime: Runtime):  # type: ignore[no-untyped-def]
    from gateway.app import create_app

    return create_app(settings, runtime=runtime)


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    # No lifespan runs here: what a streamed turn started lazily (the chat hub's listener
    # and presence refresher) is stopped as the app's shutdown would.
    hub = getattr(app.state, "chat_hub", None)
    if hub is not None:
        await hub.close("shutdown")


@dataclass
class Actor:
    """A user with a role in an organization, and the headers that authenticate them."""

    user_id: uuid.UUID
    org_id: uuid.UUID
    email: str
    role: Role
    headers: dict[str, str]


@pytest.fixture
async def make_actor(runtime: Runtime, settings: Settings):  # type: ignore[no-untyped-def]
    """make_actor(role, org_id=None) -> Actor; a new organization unless org_id is given."""
    from gateway.auth.models import User
    from gateway.orgs.models import Membership, Organization

    async def make(role: Role = Role.owner, org_id: uuid.UUID | None = None) -> Actor:
        email = f"{role.value}-{secrets.token_hex(4)}@example.org"
        async with transaction(runtime.sessionmaker) as session:
            if org_id is None:
                org = Organization(name=f"Org {secrets.token_hex(3)}",
                                   slug=f"org-{secrets.token_hex(6)}")
                session.add(org)
                await session.flush()
                org_id = org.id
            user = User(email=email, password_hash=_TEST_PASSWORD_HASH, name=role.value)
            session.add(user)
            await session.flush()
            session.add(Membership(org_id=org_id, user_id=user.id, role=role))
        token, _ = issue_access_token(settings.signing_key(), user_id=user.id, org_id=org_id,
                                      ttl_seconds=600)
        return Actor(user.id, org_id, email, role, {"Authorization": f"Bearer {token}"})

    return make


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def serve(settings, runtime, app=None):  # type: ignore[no-untyped-def]
    """Start the whole app under uvicorn on a real socket (the event loop of the test);
    returns (server, task, port). Timing bugs such as commit-after-response show up only
    here, not through the in-process transport. ``app``: one built by the test (with extra
    routes, say) instead of a new one."""
    import uvicorn

    from gateway.app import create_app
    from gateway.cli import uvicorn_config

    port = free_port()
    # The same uvicorn configuration as `rozmova serve` (proxy headers, WebSocket limits).
    server = uvicorn.Server(uvicorn_config(
        app or create_app(settings, runtime=runtime), settings, host="127.0.0.1", port=port,
        lifespan="on"))
    task = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.02)
    return server, task, port


@pytest.fixture
async def live_server(settings: Settings, runtime: Runtime) -> AsyncIterator[str]:
    """The app under uvicorn on 127.0.0.1; yields its base URL (``http://127.0.0.1:PORT``)."""
    server, task, port = await serve(settings, runtime)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await asyncio.wait_for(task, 30)


@pytest.fixture
async def server(live_server: str) -> int:
    """The port of ``live_server``: for WebSocket clients that build their own URLs."""
    return int(live_server.rsplit(":", 1)[1])


@pytest.fixture
async def live_client(live_server: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to ``live_server`` over the socket."""
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as client:
        yield client


@pytest.fixture
async def demo_key(runtime, make_actor):  # type: ignore[no-untyped-def]
    """The demo bot in a new organization with a chat key: (key, bot id, owner)."""
    from chat.contract import ensure_chat_key
    from scenarios.contract import seed_demo_bot

    owner = await make_actor(Role.owner)
    key = f"rzc_test_{uuid.uuid4().hex[:10]}"
    async with transaction(runtime.sessionmaker) as session:
        bot_id, _ = await seed_demo_bot(session=session, org_id=owner.org_id,
                                        author_id=owner.user_id)
        await ensure_chat_key(session=session, bot_id=bot_id,
                              org_id=owner.org_id, key=key)
    return key, bot_id, owner


def shared_data(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is not beside this checkout)")
    return path
