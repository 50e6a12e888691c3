"""Web plumbing every service router uses: the per-request transaction, the authenticated
principal and role checks, problem+json rendering, and the observability middleware
(request id, access log, metrics, body-size limit)."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Protocol

import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.db import OUTAGE_ERRORS, commit, discard_after_commit, is_outage
from core.errors import (
    Conflict, DatabaseUnavailable, InvalidInput, PayloadTooLarge, RozmovaError,
)
from core.ids import new_id
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
    raises, so a failed request stores nothing half-done.

    Declared with ``scope="function"`` (below): the commit runs after the endpoint has built
    its response and *before* that response is sent, so a 2xx always means the change is
    stored. A commit that fails answers 503 instead of the success it would have claimed."""
    async with get_runtime(request).sessionmaker() as session:
        try:
            yield session
        except RozmovaError as exc:
            if exc.keeps_changes:
                await _commit(session)
            else:
                discard_after_commit(session)
                await session.rollback()
            raise
        except BaseException:
            discard_after_commit(session)
            await session.rollback()
            raise
        else:
            await _commit(session)


async def _commit(session: AsyncSession) -> None:
    try:
        await commit(session)
    except IntegrityError:
        # A unique or foreign-key violation found at commit: a conflict with stored state.
        raise Conflict("the change conflicts with data stored meanwhile; "
                       "read it again and retry") from None
    except DataError:
        raise InvalidInput("a value could not be stored as sent (the database refused it)"
                           ) from None
    except (DBAPIError, OSError, *OUTAGE_ERRORS) as exc:
        # A lost connection or a timeout leaves the outcome unknown: never claim success;
        # answer 503 and let the client read before it retries.
        if isinstance(exc, DBAPIError) and not is_outage(exc):
            raise  # a bug, not an outage: the 500 handler logs it
        log.warning("db.commit_failed", error=type(exc).__name__)
        raise DatabaseUnavailable(
            "the database did not confirm the change, so it may not be stored; "
            "read it back before retrying", retry_after=1) from None


class PrincipalResolver(Protocol):
    """Turns a request's credentials into a Principal. The gateway installs the
    implementation on ``app.state.principal_resolver``; services only depend on this."""

    async def resolve(self, request: Request, session: AsyncSession) -> Principal: ...


RuntimeDep = Annotated[Runtime, Depends(_runtime_dependency)]
DbSession = Annotated[AsyncSession, Depends(_db_session, scope="function")]


async def _current_principal(request: Request, session: DbSession) -> Principal:
    principal = await request.app.state.principal_resolver.resolve(request, session)
    structlog.contextvars.bind_contextvars(org_id=str(principal.org_id))
    return principal


def require(role: Role, caller: Callable[..., Any] = _current_principal) -> Callable[..., Any]:
    """The caller (read by `caller`), refused below `role`."""
    # A default, not an annotation: annotations are read as strings in this module's globals,
    # where `caller` does not exist.
    async def dependency(principal: Principal = Depends(caller)) -> Principal:  # noqa: B008
        principal.require(role)
        return principal

    return dependency


async def _brief_principal(request: Request) -> Principal:
    """The caller, read in a session of its own that is closed at once: for routes that
    take long (an upload read from a slow network), so that no database connection waits on
    the client meanwhile."""
    runtime = get_runtime(request)
    async with runtime.sessionmaker() as session, session.begin():
        principal = await request.app.state.principal_resolver.resolve(request, session)
    structlog.contextvars.bind_contextvars(org_id=str(principal.org_id))
    return principal


CurrentPrincipal = Annotated[Principal, Depends(_current_principal)]
Viewer = Annotated[Principal, Depends(require(Role.viewer))]
Operator = Annotated[Principal, Depends(require(Role.operator))]
Editor = Annotated[Principal, Depends(require(Role.editor))]
Admin = Annotated[Principal, Depends(require(Role.admin))]
Owner = Annotated[Principal, Depends(require(Role.owner))]
# An operator read without holding a connection for the rest of the request (uploads).
UploadingOperator = Annotated[Principal, Depends(require(Role.operator, _brief_principal))]
# An editor read the same way, for routes that wait seconds on work of their own (training
# an intent model to try a phrase on): many at once must not hold the connection pool.
BriefEditor = Annotated[Principal, Depends(require(Role.editor, _brief_principal))]


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


def only_query(*names: str) -> Any:
    """A dependency that refuses query parameters a route does not take (422 naming them):
    a misspelt `?limt=5` is an error the caller sees, not a silent default."""
    known = frozenset(names)

    async def check(request: Request) -> None:
        unknown = sorted({k for k in request.query_params if k not in known})
        if unknown:
            raise InvalidInput(
                f"unknown query parameters: {', '.join(unknown)[:200]}; this takes "
                f"{', '.join(sorted(known)) or 'none'}",
                errors=[{"path": f"/query/{name}"[:100], "message": "unknown parameter"}
                        for name in unknown[:10]])

    return Depends(check)


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


def outage_error(exc: BaseException, path: str) -> DatabaseUnavailable | None:
    """The 503 for a request whose database connection was lost, refused or timed out (any
    socket error counts): an outage of a dependency, not the caller's fault nor a bug; the
    transaction was rolled back, so nothing was changed. None for anything else."""
    if not (is_outage(exc) or isinstance(exc, OSError)):
        return None
    orig = getattr(exc, "orig", None) or exc
    log.warning("dependency.unavailable", path=path, error=type(orig).__name__)
    return DatabaseUnavailable(
        "the database did not answer in time or dropped the connection; nothing was "
        "changed, retry")


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
        if exc.status_code == 400 and isinstance(exc.__cause__, (RecursionError, ValueError)):
            # FastAPI's body parsing failed beyond a syntax error: nesting too deep for the
            # parser, or an integer of thousands of digits. Malformed JSON all the same.
            reason = ("nested too deeply" if isinstance(exc.__cause__, RecursionError)
                      else str(exc.__cause__))
            return _problem(400, {
                "type": "https://rozmova.dev/problems/malformed-json", "title": "Malformed JSON",
                "status": 400, "code": "malformed_json", "instance": request.url.path,
                "detail": f"the body is not usable JSON: {reason}",
            })
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            # Starlette's Allow names only the first route matching the path; each method of
            # a path is its own route, so collect them all.
            headers["Allow"] = _allowed_methods(request)
            detail = f"{request.method} is not allowed here; allowed: {headers['Allow']}"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such endpoint: {request.method} {request.url.path}"
        return _problem(exc.status_code, {
            "type": "about:blank", "title": detail, "status": exc.status_code,
            "detail": detail, "code": f"http_{exc.status_code}", "instance": request.url.path,
        }, headers or None)

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        # A connection lost or refused mid-request is the database's outage, not the
        # caller's fault nor a bug: 503 with Retry-After; the transaction was rolled back.
        if is_outage(exc):
            return await _outage(request, exc)
        if _sqlstate(exc) in _REFUSED_TEXT:
            # A value the request schemas should have refused (core.types.Text): still the
            # caller's input, not a server error.
            log.warning("db.value_refused", path=request.url.path, sqlstate=_sqlstate(exc))
            refused = InvalidInput("a text value contains a character the database cannot "
                                   "store (NUL, \\u0000)")
            return _problem(refused.status, refused.to_problem(request.url.path))
        return await _unexpected(request, exc)

    async def _outage(request: Request, exc: Exception) -> JSONResponse:
        error = outage_error(exc, request.url.path)
        assert error is not None  # registered for outages only
        return _problem(error.status, error.to_problem(request.url.path), error.headers)

    for outage in OUTAGE_ERRORS:
        app.add_exception_handler(outage, _outage)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Reached for errors that handlers pass on (and by Starlette's outermost middleware
        # only if ObservabilityMiddleware is absent); endpoint errors end in the middleware.
        log.exception("http.unhandled", path=request.url.path)
        return _internal_error(request.url.path)


# PostgreSQL's character_not_in_repertoire (a NUL in text) and untranslatable_character.
_REFUSED_TEXT = {"22021", "22P05"}


def _sqlstate(exc: DBAPIError) -> str | None:
    orig = exc.orig
    return getattr(orig, "sqlstate", None) or getattr(getattr(orig, "__cause__", None),
                                                      "sqlstate", None)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (asked of the router, which knows its
    included routers' prefixes)."""
    from starlette.routing import Match

    routes = request.app.router.routes
    return ", ".join(method for method in _METHODS if any(
        route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes))


def _internal_error(path: str) -> JSONResponse:
    return _problem(500, {
        "type": "about:blank", "title": "Internal error", "status": 500,
        "code": "internal", "instance": path,
        "detail": "an unexpected error happened; it was logged with this request's id",
    })


# --- middleware -----------------------------------------------------------------------------

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")


class ObservabilityMiddleware:
    """Request id in and out (``X-Request-ID``), one access-log line, Prometheus metrics, and a
    hard cap on request bodies. Pure ASGI: it sits on every request's path, chat included."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, access_log: str = "all",
                 quiet_routes: frozenset[str] = frozenset(),
                 large_bodies: tuple[tuple[str, int], ...] = ()) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # (path prefix, limit): routes that take uploads (recordings) have a larger cap.
        self.large_bodies = large_bodies
        # Routes whose successful, quick requests go unlogged (the chat hot path): with
        # `access_log: management`, `quiet_routes`; with `errors`, every route.
        self.access_log = access_log
        self.quiet_routes = quiet_routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = ""
        limit = self.max_body_bytes
        for prefix, larger in self.large_bodies:
            if scope["path"].startswith(prefix):
                limit = larger
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
                if length > limit:
                    await self._too_large(scope, send, length, limit)
                    return
        # Request ids correlate log lines; they need to be unique, not unguessable.
        request_id = request_id or new_id().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 500
        received = 0

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

        started_response = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                started_response = True
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []), (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_id)
        except Exception:
            # The last word on an unexpected error, here rather than in Starlette's
            # ServerErrorMiddleware: that one re-raises after answering, so the server logs the
            # error a second time and drops the keep-alive connection. Logged once, with the
            # request id; a response already under way can only be ended by the server.
            if started_response:
                raise
            log.exception("http.unhandled", method=scope["method"], path=scope["path"])
            await _internal_error(scope["path"])(scope, _no_body, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope["method"]
            http_requests.labels(method, template, str(status)).inc()
            http_latency.labels(method, template).observe(elapsed)
            if template not in ("/healthz", "/readyz", "/metrics") and (
                    status >= 400 or elapsed >= 1.0 or self.access_log == "all"
                    or (self.access_log == "management" and template not in self.quiet_routes)):
                log.info(
                    "http.request", method=method, path=scope["path"], route=template,
                    status=status, ms=round(elapsed * 1000, 2),
                )

    async def _too_large(self, scope: Scope, send: Send, length: int, limit: int) -> None:
        error = PayloadTooLarge(
            f"the request body is {length} bytes; the limit is {limit} bytes", limit=limit)
        response = _problem(error.status, error.to_problem(scope["path"]))
        await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
