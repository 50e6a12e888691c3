"""Health, readiness, metrics, request ids, problem+json for unknown routes, OpenAPI."""

from __future__ import annotations

from core.security import Role


async def test_health_and_readiness(client, runtime) -> None:  # type: ignore[no-untyped-def]
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    checks = ready.json()["checks"]
    assert checks["database"] == "ok"
    assert ("redis" in checks) == (runtime.redis is not None)


async def test_readiness_fails_when_the_database_is_unreachable(settings) -> None:  # type: ignore[no-untyped-def]
    import httpx

    from core.config import Settings
    from core.runtime import Runtime
    from gateway.app import create_app

    broken = Settings(_env_file=None, data_dir=settings.data_dir,
                      database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    runtime = Runtime.from_settings(broken)
    app = create_app(broken, runtime=runtime)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as client:
        response = await client.get("/readyz")
    await runtime.close()
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("error")


async def test_request_id_is_echoed_or_made(client) -> None:  # type: ignore[no-untyped-def]
    given = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert len(made.headers["x-request-id"]) == 32


async def test_metrics_count_requests_by_route_template(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    actor = await make_actor(Role.viewer)
    await client.get("/api/v1/bots/00000000-0000-0000-0000-000000000000", headers=actor.headers)
    text = (await client.get("/metrics")).text
    assert 'rozmova_http_requests_total{method="GET",route="/api/v1/bots/{bot_id}",status="404"}' in text
    assert "rozmova_http_request_duration_seconds_bucket" in text


async def test_unknown_route_is_a_problem(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "no such endpoint" in response.json()["detail"]


async def test_every_management_endpoint_documents_its_errors(client) -> None:  # type: ignore[no-untyped-def]
    spec = (await client.get("/openapi.json")).json()
    assert "Problem" in spec["components"]["schemas"]
    public = {"/healthz", "/readyz", "/metrics", "/api/v1/schemas/scenario", "/api/v1/block-types"}
    for path, operations in spec["paths"].items():
        if path in public:
            continue
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes & {"401", "422"}, f"{method.upper()} {path} documents no errors"
            if path.startswith("/api/v1/") and not path.startswith("/api/v1/auth/"):
                assert "401" in codes, f"{method.upper()} {path} does not document 401"


async def test_one_service_alone_mounts_only_its_routes(settings, runtime) -> None:  # type: ignore[no-untyped-def]
    import httpx

    from gateway.app import create_app

    app = create_app(settings, services=["scenarios"], runtime=runtime)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as client:
        assert (await client.post("/api/v1/auth/login", json={})).status_code == 404
        assert (await client.get("/api/v1/bots")).status_code == 401
        assert (await client.get("/healthz")).status_code == 200


def test_checked_in_openapi_document_is_current() -> None:
    from gateway.openapi import PATH, render

    assert PATH.read_text(encoding="utf-8") == render(), (
        "the API changed: run `python -m gateway.openapi` and commit docs/openapi.json")


async def test_missing_widget_build_is_a_503_problem(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ROZMOVA_WIDGET_PATH", "/nonexistent/widget.js")
    response = await client.get("/widget.js")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["code"] == "widget_not_built"
    assert "make widget" in response.json()["detail"]


async def test_the_access_log_keeps_quiet_about_chat_messages_that_went_well(
        client, make_actor) -> None:  # type: ignore[no-untyped-def]
    """`access_log: management` (the default): a line per management request and per failed
    chat request, none per successful chat message (a tenth of the hot path's time)."""
    from structlog.testing import capture_logs

    from tests.integration.test_chat_api import bot_with, echo_document, start

    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(client, owner, echo_document())
    _, chat = await start(client, headers, language="en")
    with capture_logs() as logs:
        await chat.send(text="hello")
        await chat.send(expect=422, text="")
        await client.get("/api/v1/bots", headers=owner.headers)
    lines = [(e["route"], e["status"]) for e in logs if e.get("event") == "http.request"]
    assert lines == [("/api/v1/conversations/{conversation_id}/messages", 422),
                     ("/api/v1/bots", 200)]
