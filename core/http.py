"""Web plumbing every service router uses: the per-request transaction, the authenticated
principal and role checks, problem+json rendering, and the observability middleware
(request id, access log, metrics, body-size limit)."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Protocol

import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import PayloadTooLarge, RozmovaError
from core.metrics import http_latency, http_requests
from core.runtime import Runtime
from core.security import Principal, Role

log = structlog.get_logger("rozmova.http")
PROBLEM_JSON = "application/problem+json"


# --- dependencies ---------------------------------------------------------------------------

def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


async def _runtime_dependency(request: Request) -> Runtime:
    # Async on purpose: FastAPI runs plain-function dependencies in a thread pool.
    return request.app.state.runtime


async def _db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request owns the transaction: commit when the handler returns, roll back when it
    raises, so a failed request stores nothing half-done."""
    async with get_runtime(request).sessionmaker() as session:
        try:
            yield session
        except RozmovaError as exc:
            if exc.keeps_changes:
                await session.commit()
            else:
                await session.rollback()
            raise
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()


class PrincipalResolver(Protocol):
    """Turns a request's credentials into a Principal. The gateway installs the
    implementation on ``app.state.principal_resolver``; services only depend on this."""

    async def resolve(self, request: Request, session: AsyncSession) -> Principal: ...


RuntimeDep = Annotated[Runtime, Depends(_runtime_dependency)]
DbSession = Annotated[AsyncSession, Depends(_db_session)]


async def _current_principal(request: Request, session: DbSession) -> Principal:
    principal = await request.app.state.principal_resolver.resolve(request, session)
    structlog.contextvars.bind_contextvars(org_id=str(principal.org_id))
    return principal


def require(role: Role) -> Callable[..., Any]:
    async def dependency(
        principal: Annotated[Principal, Depends(_current_principal)],
    ) -> Principal:
        principal.require(role)
        return principal

    return dependency


CurrentPrincipal = Annotated[Principal, Depends(_current_principal)]
Viewer = Annotated[Principal, Depends(require(Role.viewer))]
Editor = Annotated[Principal, Depends(require(Role.editor))]
Admin = Annotated[Principal, Depends(require(Role.admin))]
Owner = Annotated[Principal, Depends(require(Role.owner))]


async def read_limited_body(request: Request, limit: int, what: str) -> bytes:
    body = await request.body()
    if len(body) > limit:
        raise PayloadTooLarge(
            f"the {what} is {len(body)} bytes; the limit is {limit} bytes", limit=limit
        )
    return body


# OpenAPI: the problem responses each endpoint can give.
_PROBLEM_SCHEMA = {
    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Malformed request", 401: "Missing or invalid credentials",
        403: "The caller's role does not allow this", 404: "Not found in your organization",
        409: "Conflict with the stored state", 413: "Body over the documented limit",
        422: "Invalid input; `errors` lists each problem with a JSON pointer",
        428: "A required precondition header is missing", 429: "Rate limited; see Retry-After",
    }
    return {s: {"description": descriptions.get(s, "Error"), **_PROBLEM_SCHEMA} for s in statuses}


# --- problem+json -------------------------------------------------------------------------------

def _problem(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _pointer(loc: tuple[Any, ...] | list[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(RozmovaError)
    async def _domain(request: Request, exc: RozmovaError) -> JSONResponse:
        return _problem(exc.status, exc.to_problem(request.url.path), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            ctx = next(e for e in errors if e.get("type") == "json_invalid").get("ctx", {})
            return _problem(400, {
                "type": "https://rozmova.dev/problems/malformed-json", "title": "Malformed JSON",
                "status": 400, "code": "malformed_json", "instance": request.url.path,
                "detail": f"the body is not valid JSON: {ctx.get('error', 'parse error')}",
            })
        items = [
            {"path": _pointer(e["loc"]), "message": e["msg"], "type": e["type"]} for e in errors
        ]
        first = items[0]
        return _problem(422, {
            "type": "https://rozmova.dev/problems/invalid-input", "title": "Invalid input",
            "status": 422, "code": "invalid_input", "instance": request.url.path,
            "detail": f"{first['path'] or 'request'}: {first['message']}"
            + (f" (and {len(items) - 1} more)" if len(items) > 1 else ""),
            "errors": items,
        })

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such endpoint: {request.method} {request.url.path}"
        return _problem(exc.status_code, {
            "type": "about:blank", "title": detail, "status": exc.status_code,
            "detail": detail, "code": f"http_{exc.status_code}", "instance": request.url.path,
        }, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("http.unhandled", path=request.url.path)
        return _problem(500, {
            "type": "about:blank", "title": "Internal error", "status": 500,
            "code": "internal", "instance": request.url.path,
            "detail": "an unexpected error happened; it was logged with this request's id",
        })


# --- middleware -----------------------------------------------------------------------------

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")


class ObservabilityMiddleware:
    """Request id in and out (``X-Request-ID``), one access-log line, Prometheus metrics, and a
    hard cap on request bodies. Pure ASGI: it sits on every request's path, chat included."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                candidate = value.decode("latin-1")
                if _REQUEST_ID.match(candidate):
                    request_id = candidate
            elif name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = 0
                if length > self.max_body_bytes:
                    await self._too_large(scope, send, length)
                    return
        request_id = request_id or uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 500
        received = 0
        limit = self.max_body_bytes

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(
                        f"the request body is over the limit of {limit} bytes", limit=limit
                    )
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []), (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope["method"]
            http_requests.labels(method, template, str(status)).inc()
            http_latency.labels(method, template).observe(elapsed)
            if template not in ("/healthz", "/readyz", "/metrics"):
                log.info(
                    "http.request", method=method, path=scope["path"], route=template,
                    status=status, ms=round(elapsed * 1000, 2),
                )

    async def _too_large(self, scope: Scope, send: Send, length: int) -> None:
        error = PayloadTooLarge(
            f"the request body is {length} bytes; the limit is {self.max_body_bytes} bytes",
            limit=self.max_body_bytes,
        )
        response = _problem(error.status, error.to_problem(scope["path"]))
        await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
