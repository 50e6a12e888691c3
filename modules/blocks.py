"""The modules service's block types: `script` (the author's JavaScript, run in the sandbox),
`http` (a call to an outside API through the SSRF-guarded client) and `module` (a published
module of the organization's library, run in the sandbox). Their settings models
and ports are registered in the scenario format's registry, their executors in the engine's:
each executor asks the `modules` service for the work (`call_service`), so the engine stays
pure and the turn is suspended while the work runs."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    model_validator,
)

from orchestrator.extension import (
    BlockContext,
    BlockFailure,
    CompiledBlock,
    Executor,
    ServiceCall,
    ServiceOutcome,
    Step,
    call_service,
    follow,
    outcome_port,
    readable_variables,
    text_message,
)
from scenarios.format.models import TemplateText, WrittenVariable
from scenarios.format.registry import BlockType, register_blocks

SERVICE = "modules"
MAX_SCRIPT_CHARS = 64 * 1024
MAX_OUTPUTS = 32
MAX_SAID = 10          # messages one script may say
MAX_SAID_CHARS = 4096
CALL_PORTS = ("ok", "error", "timeout")

SecretName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
HeaderName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$")]
OutputPath = Annotated[str, StringConstraints(
    pattern=r"^(status|headers\.[A-Za-z0-9-]{1,128}|body(\.[^.\s]{1,128}){0,16})$")]


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- script -------------------------------------------------------------------------------------

class ScriptSettings(_Settings):
    """JavaScript run in the sandbox. It reads the conversation's variables as `vars` and
    returns an object: each key that is one of `outputs` sets that variable; `$say` (a list
    of texts) says them. It leaves through `ok`, `error` (it threw, broke a limit, returned
    something else) or `timeout` (past `timeout_ms`)."""

    code: Annotated[str, StringConstraints(min_length=1, max_length=MAX_SCRIPT_CHARS)] = Field(
        description="The body of a function of `vars`; `return {total: vars.price * 2}`.")
    outputs: list[WrittenVariable] = Field(default_factory=list, max_length=MAX_OUTPUTS)
    timeout_ms: int = Field(1000, ge=10, le=5000)


def _check_script(settings: ScriptSettings) -> list[tuple[tuple[str | int, ...], str]]:
    """A syntax error is reported at publish, with its line and column in the code."""
    from modules.sandbox import ScriptLimits
    from modules.sandbox.syntax import check

    error = check(settings.code, ("vars",), ScriptLimits())
    if error is None:
        return []
    where = f" ({error.place})" if error.place else ""
    return [(("code",), f"the script does not parse{where}: {error.message}")]


class ScriptExecutor(Executor):
    type_name = "script"

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        settings: ScriptSettings = block.settings  # type: ignore[assignment]
        return call_service(ServiceCall(
            service=SERVICE, operation="script",
            request={"code": settings.code, "vars": readable_variables(ctx),
                     "timeout_ms": settings.timeout_ms},
            # The sandbox stops the script at timeout_ms; this bounds the whole call.
            timeout_seconds=settings.timeout_ms / 1000 + 1.0))

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        if outcome.status != "ok":
            return follow(outcome_port(block, outcome))
        settings: ScriptSettings = block.settings  # type: ignore[assignment]
        result = outcome.value
        if result is None:
            return follow("ok")
        if not isinstance(result, dict):
            raise BlockFailure(f"the script returned {_kind(result)}; return an object whose "
                               "keys are the block's outputs (or nothing)")
        said: list[Any] = []
        for name, value in result.items():
            if name == "$say":
                said = value if isinstance(value, list) else [value]
                continue
            if name not in settings.outputs:
                allowed = ", ".join(settings.outputs) or "none are declared"
                raise BlockFailure(f"the script returned '{name}', which is not one of the "
                                   f"block's outputs ({allowed})")
            ctx.set(name, value)
        if len(said) > MAX_SAID:
            raise BlockFailure(f"the script said {len(said)} messages; at most {MAX_SAID}")
        messages = [text_message(_text(item)[:MAX_SAID_CHARS], block.id) for item in said]
        return follow("ok", messages)


def _kind(value: Any) -> str:
    return {list: "a list", str: "a text", bool: "true or false"}.get(type(value), "a number")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


# --- http ---------------------------------------------------------------------------------------

class Header(_Settings):
    """A request header: a template of variables, or an organization secret by name (sent
    as `prefix` + the secret; never rendered by the engine, never in the trace)."""

    name: HeaderName
    value: TemplateText | None = None
    secret: SecretName | None = None
    prefix: Annotated[str, StringConstraints(max_length=64)] = ""

    @model_validator(mode="after")
    def _one_source(self) -> Header:
        if (self.value is None) == (self.secret is None):
            raise ValueError("a header has either a value or a secret")
        return self


class HttpSettings(_Settings):
    """A call to an outside API. URL, query, header values and the body's texts are
    templates of variables (a body text that is one variable alone, `"{{cups}}"`, sends the
    variable's value with its JSON type); `outputs` maps variables to parts of the answer (`status`,
    `headers.<name>`, `body` or `body.<path>` with list indexes as numbers). A 2xx answer
    leaves through `ok`, any other (or a refused or failed call) through `error`, a call
    past `timeout_seconds` through `timeout`."""

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] = "GET"
    url: TemplateText
    query: dict[Annotated[str, StringConstraints(min_length=1, max_length=128)],
                TemplateText] = Field(default_factory=dict, max_length=32)
    headers: list[Header] = Field(default_factory=list, max_length=32)
    body: JsonValue = None
    outputs: dict[WrittenVariable, OutputPath] = Field(default_factory=dict,
                                                       max_length=MAX_OUTPUTS)
    timeout_seconds: float = Field(10.0, ge=0.5, le=30.0)
    retries: int = Field(2, ge=0, le=3, description="for GET, HEAD, PUT and DELETE only")


class HttpExecutor(Executor):
    type_name = "http"

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        settings: HttpSettings = block.settings  # type: ignore[assignment]
        headers: list[dict[str, Any]] = []
        for header in settings.headers:
            if header.secret is not None:
                headers.append({"name": header.name, "secret": header.secret,
                                "prefix": header.prefix})
            else:
                headers.append({"name": header.name,
                                "value": ctx.render_template(header.value or "")})
        return call_service(ServiceCall(
            service=SERVICE, operation="http",
            request={"method": settings.method, "url": ctx.render_template(settings.url).strip(),
                     "query": {k: ctx.render_template(v) for k, v in settings.query.items()},
                     "headers": headers, "body": _render(settings.body, ctx),
                     "timeout_seconds": settings.timeout_seconds,
                     "retries": settings.retries},
            timeout_seconds=settings.timeout_seconds + 1.0))

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        if outcome.status != "ok":
            return follow(outcome_port(block, outcome))
        settings: HttpSettings = block.settings  # type: ignore[assignment]
        answer = outcome.value if isinstance(outcome.value, dict) else {}
        for variable, path in settings.outputs.items():
            ctx.set(variable, answer_part(answer, path))
        status = answer.get("status")
        if isinstance(status, int) and 200 <= status < 300:
            return follow("ok")
        return follow(outcome_port(block, ServiceOutcome(
            status="error", error=f"the API answered {status}")))


def answer_part(answer: dict[str, Any], path: str) -> Any:
    """`status`, `headers.<name>`, `body` or `body.a.0.b` of an answer; missing: None."""
    if path == "status":
        return answer.get("status")
    head, _, rest = path.partition(".")
    if head == "headers":
        return (answer.get("headers") or {}).get(rest.lower())
    value = answer.get("body")
    for part in rest.split(".") if rest else ():
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and re.fullmatch(r"-?\d+", part):
            index = int(part)
            value = value[index] if -len(value) <= index < len(value) else None
        else:
            return None
    return value


def _render(value: Any, ctx: BlockContext) -> Any:
    """A JSON body with its templates filled in. A string that is one variable alone
    (`"{{cups}}"`) becomes the variable's value as it is (a number stays a number, a list a
    list), as for a module's inputs; any other template renders to text."""
    if isinstance(value, str):
        return _input_value(value, ctx) if "{{" in value else value
    if isinstance(value, list):
        return [_render(item, ctx) for item in value]
    if isinstance(value, dict):
        return {key: _render(item, ctx) for key, item in value.items()}
    return value


# --- module -------------------------------------------------------------------------------------

ModuleName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
ModuleOutputPath = Annotated[str, StringConstraints(pattern=r"^output(\.[^.\s]{1,128}){0,16}$")]
_ONE_VARIABLE = re.compile(r"^\{\{\s*([^{}|\s]+)\s*\}\}$")


class ModuleSettings(_Settings):
    """A published module of the organization's library (`/api/v1/modules`). `inputs` maps
    the module's input fields to templates; a template that is one variable alone
    (`{{price}}`) passes the variable's value as it is (a number stays a number), any other
    is rendered as text. `outputs` maps variables to parts of the output (`output` or
    `output.<path>`, list indexes as numbers). It leaves through `ok`, `error` (no such
    module, an input or output that breaks the module's schema, the code threw) or
    `timeout`."""

    module: ModuleName = Field(description="The module's name in the organization's library.")
    version: int | None = Field(None, ge=1, le=2**31 - 1,
                                description="A published version; omitted, the latest.")
    inputs: dict[Annotated[str, StringConstraints(min_length=1, max_length=128)],
                 TemplateText] = Field(default_factory=dict, max_length=64)
    outputs: dict[WrittenVariable, ModuleOutputPath] = Field(default_factory=dict,
                                                             max_length=MAX_OUTPUTS)
    timeout_ms: int = Field(1000, ge=10, le=5000)


class ModuleExecutor(Executor):
    type_name = "module"

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        settings: ModuleSettings = block.settings  # type: ignore[assignment]
        return call_service(ServiceCall(
            service=SERVICE, operation="module",
            request={"module": settings.module, "version": settings.version,
                     "input": {field: _input_value(template, ctx)
                               for field, template in settings.inputs.items()},
                     "timeout_ms": settings.timeout_ms},
            timeout_seconds=settings.timeout_ms / 1000 + 1.0))

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        if outcome.status != "ok":
            return follow(outcome_port(block, outcome))
        settings: ModuleSettings = block.settings  # type: ignore[assignment]
        for variable, path in settings.outputs.items():
            ctx.set(variable, answer_part({"body": outcome.value}, "body" + path[6:]))
        return follow("ok")


def _input_value(template: str, ctx: BlockContext) -> Any:
    alone = _ONE_VARIABLE.match(template)
    if alone is not None:
        return ctx.get(alone.group(1))
    return ctx.render_template(template)


# --- registration -------------------------------------------------------------------------------

BLOCK_TYPES = (
    BlockType(name="script", settings_model=ScriptSettings, ports=CALL_PORTS,
              waits_for_input=False, category="logic", check=_check_script,
              titles={"en": "Script", "uk": "Скрипт"},
              descriptions={"uk": "Виконати JavaScript над змінними розмови (у пісочниці): "
                                  "задати змінні, надіслати повідомлення."},
              description="Run JavaScript on the conversation's variables (sandboxed): set "
                          "variables, say messages."),
    BlockType(name="http", settings_model=HttpSettings, ports=CALL_PORTS,
              waits_for_input=False, category="integrations",
              titles={"en": "HTTP request", "uk": "HTTP-запит"},
              descriptions={"uk": "Викликати зовнішній API і покласти частини відповіді у "
                                  "змінні."},
              description="Call an outside API and put parts of its answer into variables."),
    BlockType(name="module", settings_model=ModuleSettings, ports=CALL_PORTS,
              waits_for_input=False, category="integrations",
              titles={"en": "Module", "uk": "Модуль"},
              descriptions={"uk": "Виконати опублікований модуль бібліотеки організації над "
                                  "змінними й покласти частини результату у змінні."},
              description="Run a published module of the organization's library on "
                          "variables and put parts of its output into variables."),
)
EXECUTORS = (ScriptExecutor(), HttpExecutor(), ModuleExecutor())


def register_block_types() -> None:
    """Add the block types to the scenario format's registry (its plugin entry point, see
    `scenarios.format.registry.PLUGIN_GROUP`; once per process)."""
    register_blocks(BLOCK_TYPES)
