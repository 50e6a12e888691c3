"""The ASGI application. All-in-one mounts every service's router; ``services=`` picks a few
(``rozmova serve --service NAME``). Health, readiness and metrics are on every variant."""

from __future__ import annotations

import asyncio

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

import migrations.models  # noqa: F401  (every table on one metadata, whichever services run)
from chat.contract import HOT_ROUTES as CHAT_HOT_ROUTES
from chat.contract import fast_path as chat_fast_path
from core.config import Settings, get_settings
from core.http import ObservabilityMiddleware, install_problem_handlers
from core.logging import configure_logging, get_logger
from core.metrics import registry
from core.runtime import Runtime
from gateway import builder
from gateway.auth.resolver import CredentialResolver

log = get_logger("rozmova.gateway")
VERSION = "0.1.0"


def _gateway_routers() -> list[APIRouter]:
    from gateway.auth.router import router as auth_router
    from gateway.orgs.router import router as orgs_router
    from gateway.secrets.router import router as secrets_router

    return [auth_router, orgs_router, secrets_router]


def _scenarios_routers() -> list[APIRouter]:
    from scenarios.router import router

    return [router]


def _chat_routers() -> list[APIRouter]:
    from chat.router import router

    return [router]


def _modules_routers() -> list[APIRouter]:
    from modules.library.router import router

    return [router]


def _nlu_routers() -> list[APIRouter]:
    from nlu.router import router

    return [router]


def _notify_routers() -> list[APIRouter]:
    from notify.router import router

    return [router]


def _stt_routers() -> list[APIRouter]:
    from stt.router import router, settings_router

    return [router, settings_router]


def _llm_routers() -> list[APIRouter]:
    from llm.router import reports, router

    return [router, reports]


# Each service's routers, loaded only when that service is mounted.
SERVICES: dict[str, Callable[[], list[APIRouter]]] = {
    "gateway": _gateway_routers,
    "scenarios": _scenarios_routers,
    "chat": _chat_routers,
    "modules": _modules_routers,
    "nlu": _nlu_routers,
    "llm": _llm_routers,
    "notify": _notify_routers,
    "stt": _stt_routers,
}


def service_clients(runtime: Runtime) -> dict[str, Any]:
    """The composition root: each service's client, in-process in the embedded mode."""
    from orchestrator.contract import in_process_client
    from scenarios.contract import InProcessScenariosClient

    from gateway.secrets.contract import InProcessSecretsClient
    from modules.contract import install as install_modules
    from chat.contract import Transcript
    from modules.contract import AddressPolicy, check_url, pinned_transport
    from notify.contract import notifier
    from llm.contract import RecordingReports
    from llm.contract import install as install_llm
    from stt.contract import install as install_stt
    from nlu.contract import install as install_nlu
    from nlu.contract import on_publish, read_message

    scenarios = InProcessScenariosClient(runtime.reader_sessionmaker or runtime.sessionmaker)
    orchestrator = in_process_client(scenarios)
    # Script, HTTP and module blocks: their executors on the orchestrator's engine, the
    # modules service (sandbox, guarded HTTP, the organization's secrets and module library)
    # on its dispatcher.
    modules = install_modules(orchestrator, runtime.settings,
                              InProcessSecretsClient.from_runtime(runtime),
                              runtime.sessionmaker, runtime.cache)
    # Intent blocks: their executor on the engine, the NLU service on the dispatcher.
    nlu = install_nlu(orchestrator, runtime.sessionmaker,
                      second_look=runtime.settings.nlu_second_look,
                      second_look_threads=runtime.settings.nlu_second_look_threads,
                      second_look_wait_ms=runtime.settings.nlu_second_look_wait_ms,
                      encoder_cache=runtime.settings.nlu_encoder_cache)
    # LLM blocks: their executor on the engine, the LLM service (the organization's
    # providers and their keys from its secrets, the shared answer cache) on the dispatcher.
    secrets = InProcessSecretsClient.from_runtime(runtime)
    # Notices (a report, ...) to the organization's e-mail and webhook targets.
    policy = AddressPolicy([e for e in runtime.settings.http_allow.split(",") if e.strip()])
    # Webhooks connect only to addresses the policy allows, pinned at connection time (no
    # second lookup that DNS rebinding could answer differently).
    notices = notifier(runtime.sessionmaker, secrets, scenarios,
                       lambda url: check_url(policy, url),
                       http=httpx.AsyncClient(transport=pinned_transport(policy),
                                              follow_redirects=False, trust_env=False))
    llm = install_llm(orchestrator, runtime.settings, runtime.sessionmaker, secrets,
                      runtime.cache, runtime.limiter,
                      Transcript(runtime.reader_sessionmaker or runtime.sessionmaker), notices)
    # Speech to text: uploads now; voice messages of conversations through `live`.
    # An upload may end in a report by one of the organization's models, and a notice.
    stt = install_stt(runtime.settings, runtime.sessionmaker, runtime.cache, orchestrator,
                      runtime.redis, RecordingReports(llm, notices))
    # Every person's message: its language and sentiment, stored with it (mood trends).
    return {"scenarios": scenarios, "orchestrator": orchestrator, "modules": modules,
            "nlu": nlu, "llm": llm, "notify": notices, "message_reader": read_message,
            "stt": stt,
            # Publishing a version trains its intent models in the background.
            "on_publish": [on_publish(nlu)]}

async def _settled(task: asyncio.Task[Any]) -> None:
    """At shutdown: a start-up warm-up still running is waited for (a thread cannot be
    stopped, and the loop would wait for it anyway); its failure only costs a first message
    some time, so it is logged, not raised."""
    try:
        await task
    except Exception:  # noqa: BLE001
        log.warning("gateway.warm_up_failed", exc_info=True)


async def _open_demo_shop(background: AsyncExitStack, port: int) -> None:
    """The demo bot's coffee shop till, for as long as the server runs. A port already taken
    (a second server on the laptop) costs the demo its till, not the server its start."""
    from scenarios.demo_shop import DemoShop

    shop = DemoShop()
    try:
        await shop.start(port)
    except OSError as exc:
        log.warning("demo_shop.unavailable", port=port, error=str(exc))
        return
    background.push_async_callback(shop.close)


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as RFC 9457 application/problem+json.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"},
        "code": {"type": "string", "description": "Stable machine-readable error code."},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemIssue"}},
        "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemIssue"},
                     "description": "With a scenario's validation errors: its warnings too."},
        "current_revision": {"type": "integer", "description": "With a 409 on a draft: the "
                             "revision stored now."},
        "retry_after": {"type": "number", "description": "With a 503 or 429: seconds to "
                        "wait before retrying (also the Retry-After header)."},
        "dependency": {"type": "string", "description": "With a 503: what is unavailable."},
    },
}
PROBLEM_ISSUE_SCHEMA = {
    "type": "object",
    "description": "One problem with the request or the document it carries.",
    "required": ["path", "message"],
    "properties": {
        "path": {"type": "string", "description": "JSON pointer to where the problem is"},
        "message": {"type": "string"},
        "code": {"type": "string", "description": "Stable code (a scenario's issues)."},
        "severity": {"type": "string", "enum": ["error", "warning"]},
        "block_id": {"type": ["string", "null"],
                     "description": "The scenario block the problem is in, if any."},
        "type": {"type": "string", "description": "The validator's error type (a request)."},
    },
}


def create_app(
    settings: Settings | None = None, services: Iterable[str] | None = None,
    runtime: Runtime | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    chosen = list(SERVICES) if services is None else list(services)
    unknown = set(chosen) - set(SERVICES)
    if unknown:
        raise ValueError(f"unknown service(s) {sorted(unknown)}; known: {sorted(SERVICES)}")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_runtime = runtime is None
        app.state.runtime = runtime or Runtime.from_settings(settings)
        app.state.clients = service_clients(app.state.runtime)
        # Other instances' changes drop this instance's cached copies (see core.invalidation).
        app.state.runtime.invalidation.start()
        log.info("gateway.start", services=chosen, database=settings.is_sqlite and "sqlite"
                 or "postgresql", redis=bool(settings.redis_url))
        try:
            async with AsyncExitStack() as background:
                if settings.demo_shop_url is not None:
                    await _open_demo_shop(background, settings.demo_shop_port)
                if "stt" in chosen:
                    # Uploads queued by any instance (the distributed mode's stream).
                    app.state.clients["stt"].start()
                if "chat" in chosen:
                    from chat.contract import background as chat_background
                    from nlu.contract import preload as preload_nlu

                    from nlu.contract import warm_up_intents

                    # Language models and lexicons loaded before the first message needs
                    # them, off the event loop (about a second, once per process); the intent
                    # trainer and the sentence encoder warmed behind, as the server serves.
                    await asyncio.to_thread(preload_nlu)
                    warming = asyncio.create_task(asyncio.to_thread(
                        warm_up_intents,
                        second_look=app.state.runtime.settings.nlu_second_look),
                        name="nlu-warm-up")
                    background.push_async_callback(_settled, warming)

                    await background.enter_async_context(chat_background(app))
                if settings.nlu_prune_unused_days > 0:
                    from nlu.contract import pruning as nlu_pruning

                    await background.enter_async_context(nlu_pruning(
                        app.state.runtime.sessionmaker,
                        unused_days=settings.nlu_prune_unused_days))
                yield
        finally:
            await app.state.clients["modules"].close()  # the sandbox's worker processes
            # Trainings under way stop, stored as failed: the next message trains again.
            await app.state.clients["nlu"].close()
            await app.state.clients["llm"].close()
            await app.state.clients["notify"].close()
            await app.state.clients["stt"].close()
            if own_runtime:
                await app.state.runtime.close()

    app = FastAPI(
        title="Rozmova API", version=VERSION, lifespan=lifespan,
        description="Manage organizations, bots and versioned scenarios. Errors are "
        "application/problem+json. Authenticate with `Authorization: Bearer <token>` from "
        "POST /api/v1/auth/login, or an organization API key.",
    )
    app.state.settings = settings
    app.state.principal_resolver = CredentialResolver(settings)
    if runtime is not None:
        app.state.runtime = runtime
        app.state.clients = service_clients(runtime)
    install_problem_handlers(app)

    @app.get("/readyz", tags=["operations"],
             responses={503: {"description": "A dependency is unreachable"}})
    async def readyz() -> JSONResponse:
        """Readiness: the database (and Redis, when configured) answer."""
        checks = await app.state.runtime.check()
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ready else "unavailable", "checks": checks},
                            status_code=200 if ready else 503)

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/metrics", tags=["operations"], response_class=Response)
    async def metrics() -> Response:
        """Prometheus metrics."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/", include_in_schema=False)
    async def root(request: Request) -> Response:
        return builder.home(request, version=VERSION, services=list(chosen))

    app.include_router(builder.router)

    for name in chosen:
        for router in SERVICES[name]():
            app.include_router(router)

    if "chat" in chosen:
        app.add_middleware(chat_fast_path(), owner=app)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["*"], allow_headers=["*"],
                           expose_headers=["ETag", "X-Request-ID"])
    app.add_middleware(ObservabilityMiddleware, max_body_bytes=settings.max_request_bytes,
                       large_bodies=(("/api/v1/transcriptions", settings.max_upload_bytes),),
                       access_log=settings.access_log, quiet_routes=CHAT_HOT_ROUTES)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas["Problem"], schemas["ProblemIssue"] = PROBLEM_SCHEMA, PROBLEM_ISSUE_SCHEMA
            from gateway.openapi import complete

            app.openapi_schema = complete(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def app_factory() -> FastAPI:
    """For ``uvicorn --factory gateway.app:app_factory``."""
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    return create_app(settings)
