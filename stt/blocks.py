"""The speech service's block type `transcribe`: asks for a voice message and keeps what was
said in it (text, confidence, language, length, engine) in a variable.

Input blocks hear voice answers by themselves (the engine transcribes a voice message that
answers a block waiting for text); this block is for a scenario that wants the recording
itself: a complaint left by voice, a dictated address, with the confidence to decide whether
to confirm it. The executor asks the `stt` service (`call_service`): a message of up to
`LIVE_SECONDS` is heard within the turn; a longer one is *deferred* (the turn ends with "one
moment" and the transcript comes back as the conversation's next event, see "Blocks that call
a service" in the architecture), so a person never waits on a socket for a long recording."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from orchestrator.extension import (
    BlockContext,
    CompiledBlock,
    Executor,
    InboundEvent,
    InputRequest,
    ServiceCall,
    ServiceOutcome,
    Step,
    call_service,
    follow,
    outcome_port,
    reprompt,
    text_message,
    wait,
)
from scenarios.format.models import LocalizedText, WrittenVariable
from scenarios.format.registry import BlockType, register_blocks

SERVICE = "stt"
NEXT, NO_SPEECH = "next", "no_speech"
CALL_PORTS = ("error", "timeout")
LIVE_SECONDS = 20  # longer recordings are heard after the turn (deferred)

_ASK_VOICE = {
    "uk": "Надішліть, будь ласка, голосове повідомлення.",
    "en": "Please send a voice message.",
}
_NOT_HEARD = {
    "uk": "Вибачте, не вдалося розібрати голосове повідомлення. Спробуйте ще раз.",
    "en": "Sorry, I could not hear that. Please try again.",
}
_WORKING = {
    "uk": "Слухаю ваше повідомлення, хвилинку…",
    "en": "Listening to your message, one moment…",
}


def _said(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts["en"]


class TranscribeSettings(BaseModel):
    """Ask for a voice message (`prompt`) and keep what was said in it in `variable`:
    {text, confidence, language, seconds, engine}, or {text, typed: true} for a typed
    answer where `accept_text` allows one. The block leaves through `next`; `no_speech` when
    nothing could be heard (with no edge there, it asks again); `error` / `timeout` when the
    speech service could not answer."""

    model_config = ConfigDict(extra="forbid")

    prompt: LocalizedText | None = None
    variable: WrittenVariable
    language: str | None = Field(None, max_length=16, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$",
                                 description="The recording's language (`uk-UA`, `en-US`); "
                                             "by default the conversation's.")
    accept_text: bool = Field(True, description="A typed answer is taken as the text.")
    timeout_seconds: float = Field(60.0, ge=5.0, le=600.0, description=(
        "How long hearing one recording may take (a long one is heard after the turn)."))


class TranscribeExecutor(Executor):
    type_name = "transcribe"
    hears_voice = False  # it wants the recording itself, not its text

    def prepare(self, settings: Any, block_id: str) -> TranscribeSettings:
        return settings  # type: ignore[no-any-return]

    def request(self, block: CompiledBlock, ctx: BlockContext) -> InputRequest:
        return InputRequest(kind="text", block_id=block.id, attempts_left=None)

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        plan: TranscribeSettings = block.plan
        prompt = ctx.render(plan.prompt) if plan.prompt else None
        return wait(self.request(block, ctx),
                    [text_message(prompt, block.id)] if prompt else [])

    def resume(self, block: CompiledBlock, event: InboundEvent, ctx: BlockContext) -> Step:
        plan: TranscribeSettings = block.plan
        if event.kind == "audio" and isinstance(event.payload, dict):
            duration = event.payload.get("duration")
            deferred = isinstance(duration, (int, float)) and duration > LIVE_SECONDS
            call = ServiceCall(service=SERVICE, operation="transcribe", request={
                "audio": event.payload, "language": plan.language or ctx.language},
                timeout_seconds=plan.timeout_seconds, deferred=deferred)
            return call_service(call, [text_message(_said(_WORKING, ctx.language), block.id)]
                                if deferred else [])
        if event.kind == "text" and plan.accept_text and (event.text or "").strip():
            text = (event.text or "").strip()
            ctx.set(plan.variable, {"text": text, "typed": True})
            return follow(NEXT)
        return reprompt(self.request(block, ctx),
                        [text_message(_said(_ASK_VOICE, ctx.language), block.id)])

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        plan: TranscribeSettings = block.plan
        if outcome.status != "ok":
            return follow(outcome_port(block, outcome))
        value = outcome.value if isinstance(outcome.value, dict) else {}
        text = value.get("text")
        text = text.strip() if isinstance(text, str) else ""
        heard = {"text": text or None, **{k: value[k] for k in (
            "confidence", "language", "seconds", "engine", "reason")
            if value.get(k) is not None}}
        if text:
            ctx.set(plan.variable, heard)
            ctx.note_input(text)
            return follow(NEXT)
        if NO_SPEECH in block.ports:
            ctx.set(plan.variable, heard)
            return follow(NO_SPEECH)
        return reprompt(self.request(block, ctx),
                        [text_message(_said(_NOT_HEARD, ctx.language), block.id)])


BLOCK_TYPES = (
    BlockType(name="transcribe", settings_model=TranscribeSettings,
              ports=(NEXT, NO_SPEECH, *CALL_PORTS), waits_for_input=True, category="ai",
              titles={"en": "Transcribe voice", "uk": "Розпізнати голос"},
              descriptions={"uk": "Попросити голосове повідомлення й зберегти сказане (текст, "
                                  "впевненість, мову) у змінну."},
              description="Ask for a voice message and keep what was said (text, confidence, "
                          "language) in a variable."),
)

EXECUTORS = (TranscribeExecutor(),)


def register_block_types() -> None:
    """Add the block types to the scenario format's registry (its plugin entry point)."""
    register_blocks(BLOCK_TYPES)
