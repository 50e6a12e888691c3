"""The LLM service's block type `llm`: a model answers inside a scenario, in one of three modes.

* `generate`: the answer is said to the person (`say`) and/or kept in `store_in`;
* `structured`: the answer is a JSON object valid against `json_schema`, kept in `store_in`
  (one repair request when it is not, then the `error` port);
* `classify`: the person's text goes to the port of one of `classes` (each a name and what it
  means), or `fallback` when the model names none.

The prompt and the system prompt are texts per language with `{{variables}}`; the model is
reached through one of the organization's providers (PUT /api/v1/llm/providers/{name}), with
its fallbacks. The engine stays pure: the executor asks the `llm` service (`call_service`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints, model_validator

from orchestrator.extension import (
    BlockContext,
    CompiledBlock,
    Executor,
    ServiceCall,
    ServiceOutcome,
    Step,
    call_service,
    follow,
    outcome_port,
    streamed_message,
    text_message,
)
from scenarios.format.models import LocalizedText, VariableRef, WrittenVariable
from scenarios.format.registry import BlockType, register_blocks

SERVICE = "llm"
NEXT, FALLBACK = "next", "fallback"
CALL_PORTS = ("error", "timeout")

ProviderName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,63}$")]
ClassName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Stop = Annotated[str, StringConstraints(min_length=1, max_length=32)]


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LlmClass(_Settings):
    name: ClassName = Field(description="Also the name of the block's port for it.")
    description: LocalizedText | None = Field(None, description="What it means, for the model.")


class LlmSettings(_Settings):
    """Ask a model: `prompt` (per language, with {{variables}}) after `system`; the answer
    as `mode` says (generate, structured, classify)."""

    provider: ProviderName = Field(description="One of the organization's LLM providers.")
    mode: Literal["generate", "structured", "classify"] = "generate"
    system: LocalizedText | None = Field(None, description="Instructions for the model.")
    prompt: LocalizedText = Field(description="What the model is asked; {{last_input}} is "
                                  "what the person last wrote.")
    history: int = Field(0, ge=0, le=50, description=(
        "The last N messages of the conversation (the person's and the bot's) given to the "
        "model before the prompt; shrunk, oldest first, when the model's context is "
        "too small."))
    history_tokens: int | None = Field(None, ge=50, le=200_000, description=(
        "A token budget for that history (four characters a token): the newest messages "
        "that fit. With it alone, the last 50 messages are considered."))
    say: bool = Field(True, description="generate: send the answer to the person.")
    store_in: WrittenVariable | None = Field(None, description=(
        "generate: the text; structured: the JSON object; classify: {class, text}."))
    json_schema: dict[str, JsonValue] | None = Field(None, description=(
        "structured: the JSON Schema the answer must satisfy."))
    classes: list[LlmClass] = Field(default_factory=list, max_length=50, description=(
        "classify: the ports a text may take."))
    max_tokens: int = Field(512, ge=1, le=8192, description="The longest answer, in tokens.")
    temperature: float | None = Field(None, ge=0, le=2)
    stop: list[Stop] = Field(default_factory=list, max_length=4, description=(
        "The answer ends before any of these."))
    cache: bool = Field(True, description="Answer the same prompt from the cache.")
    cache_seconds: int = Field(3600, ge=1, le=30 * 86_400)
    timeout_ms: int = Field(30_000, ge=1000, le=300_000, description=(
        "The whole call, fallbacks and a structured answer's repair included."))

    @model_validator(mode="after")
    def _mode_needs(self) -> LlmSettings:
        if self.mode == "structured":
            if self.json_schema is None:
                raise ValueError("a structured llm block needs json_schema")
            from jsonschema import Draft202012Validator
            from jsonschema.exceptions import SchemaError

            try:
                Draft202012Validator.check_schema(self.json_schema)
            except SchemaError as exc:
                raise ValueError(f"json_schema is not a valid JSON Schema: {exc.message}") \
                    from None
        elif self.json_schema is not None:
            raise ValueError("json_schema applies only to mode structured")
        if self.mode == "classify":
            names = [c.name for c in self.classes]
            if len(names) < 2:
                raise ValueError("a classify llm block needs at least two classes")
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise ValueError(f"classes must have distinct names; repeated: "
                                 f"{', '.join(repeated)}")
            clash = sorted(set(names) & {NEXT, FALLBACK, *CALL_PORTS})
            if clash:
                raise ValueError(f"{', '.join(clash)} is one of the block's own ports")
        elif self.classes:
            raise ValueError("classes apply only to mode classify")
        return self


def _ports(settings: LlmSettings) -> tuple[str, ...]:
    if settings.mode == "classify":
        return (*(c.name for c in settings.classes), FALLBACK, *CALL_PORTS)
    return (NEXT, *CALL_PORTS)


def _classify_instructions(settings: LlmSettings, ctx: BlockContext) -> str:
    lines = [f"- {c.name}" + (f": {ctx.render(c.description)}" if c.description else "")
             for c in settings.classes]
    return ("Classify the user's message into exactly one of these classes:\n"
            + "\n".join(lines)
            + "\nAnswer with the class name only, or none if no class fits.")


class LlmExecutor(Executor):
    type_name = "llm"

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        settings: LlmSettings = block.settings  # type: ignore[assignment]
        system = [ctx.render(settings.system)] if settings.system else []
        if settings.mode == "classify":
            system.append(_classify_instructions(settings, ctx))
        elif settings.mode == "structured":
            system.append("Answer with one JSON object only, valid against the JSON Schema "
                          "you are given.")
        messages: list[dict[str, Any]] = []
        if system:
            messages.append({"role": "system", "content": "\n\n".join(s for s in system if s)})
        messages.append({"role": "user", "content": ctx.render(settings.prompt) or ""})
        return call_service(ServiceCall(
            service=SERVICE, operation="complete", timeout_seconds=settings.timeout_ms / 1000,
            request={"provider": settings.provider, "mode": settings.mode,
                     "messages": messages, "schema": settings.json_schema,
                     "classes": [c.name for c in settings.classes],
                     "max_tokens": settings.max_tokens, "temperature": settings.temperature,
                     "stop": settings.stop, "cache": settings.cache,
                     "history": settings.history or (50 if settings.history_tokens else 0),
                     "history_tokens": settings.history_tokens, "block_id": block.id,
                     # Said to the person: shown as it is written where the channel can.
                     "stream": settings.mode == "generate" and settings.say,
                     "cache_seconds": settings.cache_seconds}))

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        if outcome.status != "ok":
            return follow(outcome_port(block, outcome))
        settings: LlmSettings = block.settings  # type: ignore[assignment]
        value = outcome.value if isinstance(outcome.value, dict) else {}
        text = str(value.get("text") or "")
        if settings.mode == "structured":
            if settings.store_in is not None:
                ctx.set(settings.store_in, value.get("data"))
            return follow(NEXT)
        if settings.mode == "classify":
            chosen = value.get("class")
            known = {c.name for c in settings.classes}
            if settings.store_in is not None:
                ctx.set(settings.store_in, {"class": chosen if chosen in known else None,
                                            "text": text})
            return follow(chosen if chosen in known else FALLBACK)
        if settings.store_in is not None:
            ctx.set(settings.store_in, text)
        if not settings.say or not text:
            return follow(NEXT)
        stream_id, incomplete = value.get("stream_id"), bool(value.get("incomplete"))
        if stream_id is None and not incomplete:
            return follow(NEXT, [text_message(text, block.id)])
        # The final message replaces the pieces shown (same stream id); an answer cut short
        # (a dropped stream, the person writing again) is kept as it is, and says so.
        return follow(NEXT, [streamed_message(text, block.id, str(stream_id or ""),
                                              incomplete)])


class ReportSettings(_Settings):
    """Sum up the conversation so far (its last `messages` messages) into a report in the
    conversation's language: stored with the conversation (GET
    /api/v1/conversations/{id}/reports) and, with `store_in`, kept in a variable."""

    provider: ProviderName
    messages: int = Field(100, ge=1, le=200, description="How many of the last messages.")
    transcript: VariableRef | None = Field(None, description=(
        "Report on this variable instead of the conversation: a text (a call's transcript, "
        "a form's answers), or a list of {role, content} messages."))
    instructions: LocalizedText | None = Field(None, description=(
        "What the report must say besides the usual (what the person wanted, what was done, "
        "what is left)."))
    store_in: WrittenVariable | None = None
    max_tokens: int = Field(600, ge=50, le=4000)
    timeout_ms: int = Field(60_000, ge=1000, le=300_000)


class ReportExecutor(Executor):
    type_name = "report"

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        settings: ReportSettings = block.settings  # type: ignore[assignment]
        return call_service(ServiceCall(
            service=SERVICE, operation="report", timeout_seconds=settings.timeout_ms / 1000,
            request={"provider": settings.provider, "messages": settings.messages,
                     "instructions": ctx.render(settings.instructions)
                     if settings.instructions else None,
                     "language": ctx.language, "block_id": block.id,
                     "transcript": _transcript(ctx.get(settings.transcript))
                     if settings.transcript else None,
                     "max_tokens": settings.max_tokens}))

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        if outcome.status != "ok":
            return follow(outcome_port(block, outcome))
        settings: ReportSettings = block.settings  # type: ignore[assignment]
        value = outcome.value if isinstance(outcome.value, dict) else {}
        if settings.store_in is not None:
            ctx.set(settings.store_in, value.get("text"))
        return follow(NEXT)


def _transcript(value: Any) -> list[dict[str, str]] | None:
    """A variable's value as messages: a text is one; a list of {role, content} keeps its
    roles (user, or the bot's for anything else); anything else is its JSON."""
    if value is None or value == "":
        return None
    if isinstance(value, list) and all(isinstance(m, dict) for m in value):
        return [{"role": "user" if m.get("role") == "user" else "assistant",
                 "content": str(m.get("content") or "")} for m in value][-200:]
    if not isinstance(value, str):
        import json

        value = json.dumps(value, ensure_ascii=False, default=str)
    return [{"role": "user", "content": value}]


BLOCK_TYPES = (
    BlockType(name="llm", settings_model=LlmSettings, ports=_ports, waits_for_input=False,
              category="ai", titles={"en": "Language model", "uk": "Мовна модель"},
              descriptions={"uk": "Відповідь мовної моделі: текст людині або у змінну, JSON за "
                                  "схемою у змінні, або вибір порту за змістом тексту."},
              description="A language model's answer: text to the person or a variable, JSON "
                          "by a schema into variables, or a port chosen by what a text "
                          "means."),
    BlockType(name="report", settings_model=ReportSettings, ports=(NEXT, *CALL_PORTS),
              waits_for_input=False, category="ai",
              titles={"en": "Conversation report", "uk": "Звіт про розмову"},
              descriptions={"uk": "Підсумок розмови від мовної моделі мовою розмови: "
                                  "зберігається з розмовою для тих, хто її підхопить."},
              description="A language model sums up the conversation in its language; the "
                          "report is stored with the conversation for whoever follows up."),
)
EXECUTORS = (LlmExecutor(), ReportExecutor())


def register_block_types() -> None:
    """Add the block types to the scenario format's registry (its plugin entry point)."""
    register_blocks(BLOCK_TYPES)
