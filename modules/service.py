"""The modules service in process: the work its blocks ask for (`script`, `http`, `module`), done for
the orchestrator's dispatcher. What goes wrong comes back as a `ServiceCallError` whose
message is for the bot's author; a secret's value never appears in one, nor in a log."""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import Mapping
from typing import Any, Protocol

import orjson

from modules.http import HttpFailed, HttpLimits, HttpRefused, SafeHttpClient
from orchestrator.extension import ServiceCallError, ServiceResult, TurnContext

MAX_BODY_CHARS = 256 * 1024  # an answer's text kept for the scenario


class Secrets(Protocol):
    async def reveal(self, org_id: uuid.UUID, name: str) -> str | None: ...


class Library(Protocol):
    """Finds the published module version a `module` block runs (``ModuleLoader``); raises
    ``LookupError`` with a message for the author when there is none."""

    async def load(self, org_id: uuid.UUID, name: str, number: int | None) -> Any: ...


class ModulesService:
    """`ServiceClient` of the `modules` service."""

    def __init__(self, sandbox: Any, http: SafeHttpClient, secrets: Secrets | None,
                 library: Library | None = None, cache: Any = None) -> None:
        self.sandbox = sandbox
        self.http = http
        self.secrets = secrets
        self.library = library
        self.cache = cache  # core.cache.Cache: modules' results, for those that keep them

    async def call(self, operation: str, request: Mapping[str, Any], context: TurnContext, *,
                   timeout: float) -> ServiceResult:
        if operation == "script":
            return await self._script(request)
        if operation == "http":
            return await self._http(request, context)
        if operation == "module":
            return await self._module(request, context)
        raise ServiceCallError(f"the modules service has no operation '{operation}'")

    async def close(self) -> None:
        await self.sandbox.close()
        await self.http.aclose()

    # --- script -------------------------------------------------------------------------------

    async def _script(self, request: Mapping[str, Any]) -> ServiceResult:
        from modules.sandbox import ScriptLimits

        limits = ScriptLimits(time_ms=int(request.get("timeout_ms") or 1000))
        outcome = await self.sandbox.run(str(request.get("code") or ""),
                                         {"vars": request.get("vars") or {}}, limits)
        logs = list(outcome.logs)
        if outcome.error is not None:
            error = outcome.error
            where = f" at {error.place}" if error.place else ""
            if error.kind == "timeout":
                raise TimeoutError(error.message)
            raise ServiceCallError(f"the script failed ({error.kind}){where}: {error.message}",
                                   logs=logs)
        return ServiceResult(value=outcome.value, logs=logs)

    # --- module -------------------------------------------------------------------------------

    async def _module(self, request: Mapping[str, Any], context: TurnContext) -> ServiceResult:
        from modules.library.running import ModuleRunFailed, run

        name = str(request.get("module") or "")
        if self.library is None or context.org_id is None:
            raise ServiceCallError(f"module '{name}' cannot be run here (no module library)")
        number = request.get("version")
        try:
            module = await self.library.load(context.org_id, name,
                                             int(number) if number is not None else None)
        except LookupError as exc:
            raise ServiceCallError(str(exc)) from None
        given = request.get("input")
        key = _result_key(module, given) if self.cache is not None else None
        if key is not None:
            try:
                hit = await self.cache.get(key)  # type: ignore[union-attr]
            except Exception:  # noqa: BLE001  (a cache that fails is a cache that misses)
                hit = None
            if hit is not None:
                return ServiceResult(value=orjson.loads(hit), logs=[
                    f"module {name} version {module.number} (cached result)"])
        try:
            value, logs = await run(self.sandbox, module, given,
                                    timeout_ms=int(request.get("timeout_ms") or 1000))
        except ModuleRunFailed as exc:
            if exc.kind == "timeout":
                raise TimeoutError(str(exc)) from None
            raise ServiceCallError(str(exc), logs=exc.logs) from None
        if key is not None:
            # The result stands whatever happens to its copy.
            with contextlib.suppress(Exception):
                await self.cache.set(key, orjson.dumps(value),  # type: ignore[union-attr]
                                     ttl_seconds=module.cache_seconds)
        return ServiceResult(value=value, logs=[f"module {name} version {module.number}",
                                                *logs])

    # --- http ---------------------------------------------------------------------------------

    async def _http(self, request: Mapping[str, Any], context: TurnContext) -> ServiceResult:
        headers: dict[str, str] = {}
        secret_headers: list[str] = []
        for header in request.get("headers") or ():
            name = str(header["name"])
            if header.get("secret"):
                value = await self._secret(context, str(header["secret"]))
                headers[name] = str(header.get("prefix") or "") + value
                secret_headers.append(name)
            else:
                headers[name] = str(header.get("value") or "")
        body = request.get("body")
        timeout = float(request.get("timeout_seconds") or 10.0)
        limits = HttpLimits(timeout_seconds=timeout, retries=int(request.get("retries") or 0))
        try:
            result = await self.http.request(
                str(request.get("method") or "GET"), str(request.get("url") or ""),
                headers=headers, params=dict(request.get("query") or {}),
                json=body if body is not None else None, limits=limits,
                secret_headers=secret_headers)
        except HttpRefused as exc:
            raise ServiceCallError(f"the call was refused: {exc.reason}") from None
        except HttpFailed as exc:
            if exc.kind == "timeout":
                raise TimeoutError(str(exc)) from None
            raise ServiceCallError(f"the call failed ({exc.kind}): {exc}") from None
        text = result.body.decode("utf-8", errors="replace")[:MAX_BODY_CHARS]
        content_type = result.headers.get("content-type", "")
        parsed: Any = text
        if "json" in content_type or text[:1] in ("{", "["):
            try:
                parsed = orjson.loads(text)
            except orjson.JSONDecodeError:
                parsed = text
        log = f"{request.get('method') or 'GET'} {_without_query(result.url)} -> {result.status}" \
              f" ({result.elapsed_ms:.0f} ms, {result.attempts} attempt(s))"
        return ServiceResult(value={
            "status": result.status,
            "headers": {k.lower(): v for k, v in result.headers.items()},
            "body": parsed}, logs=[log])

    async def _secret(self, context: TurnContext, name: str) -> str:
        if self.secrets is None or context.org_id is None:
            raise ServiceCallError(f"secret '{name}' cannot be read here")
        value = await self.secrets.reveal(context.org_id, name)
        if value is None:
            raise ServiceCallError(f"the organization has no secret named '{name}'; add it "
                                   f"with PUT /api/v1/secrets/{name}")
        return value


def _result_key(module: Any, given: Any) -> str | None:
    """Where a cached result of this published version for this input lives, or None when
    the module keeps none. Keyed by the version's id, so a new version never reads an older
    one's results."""
    if not module.cache_seconds or module.version_id is None:
        return None
    digest = hashlib.sha256(orjson.dumps(given, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return f"module-result:{module.version_id}:{digest}"


def _without_query(url: str) -> str:
    """URLs go to the trace without their query (it may carry a key)."""
    return url.split("?", 1)[0]
