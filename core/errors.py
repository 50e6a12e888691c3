"""Domain errors. Every expected failure is one of these; one handler renders them as
``application/problem+json`` (RFC 9457). This module imports no web framework so that services
and the engine can raise them anywhere."""

from __future__ import annotations

from typing import Any, ClassVar


class RozmovaError(Exception):
    """Base of every expected failure: a stable ``code``, an HTTP status and a message a person
    can act on. ``extra`` members are added to the problem document."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"
    # Most failures undo the request's writes; a few (a revoked token family) must persist.
    keeps_changes: ClassVar[bool] = False

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": f"https://rozmova.dev/problems/{self.code.replace('_', '-')}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if instance:
            problem["instance"] = instance
        problem.update(self.extra)
        return problem


class InvalidInput(RozmovaError):
    status, code, title = 422, "invalid_input", "Invalid input"


class Unauthorized(RozmovaError):
    status, code, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["WWW-Authenticate"] = "Bearer"


class TokenReused(Unauthorized):
    code, title = "token_reused", "Token reused"
    keeps_changes = True


class Forbidden(RozmovaError):
    status, code, title = 403, "forbidden", "Not allowed"


class NotFound(RozmovaError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(RozmovaError):
    status, code, title = 409, "conflict", "Conflict"


class StaleRevision(Conflict):
    code, title = "stale_revision", "Stale revision"


class PreconditionRequired(RozmovaError):
    status, code, title = 428, "precondition_required", "Precondition required"


class PayloadTooLarge(RozmovaError):
    status, code, title = 413, "payload_too_large", "Payload too large"


class RateLimited(RozmovaError):
    status, code, title = 429, "rate_limited", "Too many requests"

    def __init__(self, detail: str, retry_after: int, **extra: Any) -> None:
        super().__init__(detail, retry_after=retry_after, **extra)
        self.headers["Retry-After"] = str(retry_after)


class ServiceUnavailable(RozmovaError):
    status, code, title = 503, "unavailable", "Service unavailable"


class DatabaseUnavailable(ServiceUnavailable):
    """The database did not answer or dropped the connection: nothing was stored."""

    code, title = "database_unavailable", "Database unavailable"

    def __init__(self, detail: str, retry_after: int = 1, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["Retry-After"] = str(retry_after)


class DependencyUnavailable(ServiceUnavailable):
    """A shared service (Redis: locks, rate limits) is unreachable or its connection pool
    stayed full past the wait bound. Raised before anything is stored, so the same request
    (the same ``client_message_id``) can simply be sent again after ``Retry-After``."""

    code, title = "dependency_unavailable", "Dependency unavailable"

    def __init__(self, detail: str, dependency: str = "redis", retry_after: int = 2,
                 **extra: Any) -> None:
        super().__init__(detail, dependency=dependency, retry_after=retry_after, **extra)
        self.retry_after = retry_after
        self.headers["Retry-After"] = str(retry_after)
