"""The message block: text, media, buttons and quick replies.

With choice buttons (not links) or quick replies it waits. A pressed button, a typed label
(any language, any case) or the option's number follows that option's port, storing its
value (its id when it has none) in `store_choice_in` and its id in `last_choice`; an option
whose port has no edge follows `next` instead, since quick replies usually just stand for
typed text. Anything else typed follows `next` when `next` is connected (the format's port
"when the user types instead of choosing") and is otherwise not for this block (the engine's
fallback). With `timeout_seconds`, no choice in that time follows `no_input`.

A value the variable's type cannot hold fails the block: the author chose both, so it is a
mistake in the scenario, not in what the person did."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from scenarios.format.blocks import option_values

from orchestrator.blocks.choices import Options, option_labels
from orchestrator.contract import InboundEvent, InputRequest
from orchestrator.engine.compile import CompiledBlock
from orchestrator.engine.executor import (
    FOLLOW,
    NOT_MINE,
    BlockContext,
    Executor,
    Step,
    follow,
    wait,
)
from orchestrator.engine.outbound import button, input_request, message, text_message


class _Plan(NamedTuple):
    text: Any
    media: Any
    buttons: tuple[Any, ...]
    quick_replies: tuple[Any, ...]
    options: Options
    values: Mapping[str, Any]  # what a choice stores instead of its id
    store_choice_in: str | None
    timeout_seconds: float | None


class MessageExecutor(Executor):
    type_name = "message"
    hears_voice = True  # buttons answered in words

    def prepare(self, settings: Any, block_id: str) -> _Plan:
        choice_buttons = [b for b in settings.buttons if b.url is None]
        chosen = [*choice_buttons, *settings.quick_replies]
        return _Plan(settings.text, settings.media, tuple(settings.buttons),
                     tuple(settings.quick_replies), Options(option_labels(chosen)),
                     option_values(chosen), settings.store_choice_in,
                     settings.timeout_seconds)

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        plan: _Plan = block.plan
        if plan.media is None and not plan.buttons and not plan.quick_replies:
            return Step(FOLLOW, "next", (text_message(ctx.render(plan.text), block.id),))
        render = ctx.render
        buttons = [button(b.id, render(b.label) or "", b.url) for b in plan.buttons]
        quick = [button(q.id, render(q.label) or "") for q in plan.quick_replies]
        messages = []
        media = plan.media
        if media is not None:
            # Buttons ride on the last message: the text if there is one, else the media.
            carries = plan.text is None
            messages.append(message(media.kind, text=render(media.caption), url=media.url,
                                    buttons=buttons if carries else (),
                                    quick_replies=quick if carries else (), block_id=block.id))
        if plan.text is not None or media is None:
            messages.append(message("text", text=render(plan.text), buttons=buttons,
                                    quick_replies=quick, block_id=block.id))
        if plan.options:
            return wait(self._request(block, ctx), messages)
        return follow("next", messages)

    def resume(self, block: CompiledBlock, event: InboundEvent, ctx: BlockContext) -> Step:
        plan: _Plan = block.plan
        chosen = plan.options.match(event)
        if chosen is not None:
            ctx.note_input(event.text if event.kind == "text" else chosen)
            ctx.note_choice(chosen)
            if plan.store_choice_in:
                ctx.set(plan.store_choice_in, plan.values.get(chosen, chosen))
            ports = block.ports
            port = chosen if chosen in ports or "next" not in ports else "next"
            return follow(port)
        if event.kind == "text" and "next" in block.ports:
            ctx.note_input(event.text)
            return follow("next")
        return NOT_MINE

    def no_input(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        """The message's own answer time passed without a choice."""
        return follow("no_input") if "no_input" in block.ports else NOT_MINE

    def request(self, block: CompiledBlock, ctx: BlockContext) -> InputRequest | None:
        return self._request(block, ctx) if block.plan.options else None

    @staticmethod
    def _request(block: CompiledBlock, ctx: BlockContext) -> InputRequest:
        options: Options = block.plan.options
        choices = [button(option_id, ctx.render(label) or "")
                   for option_id, label in zip(options.ids, options.labels, strict=True)]
        return input_request("buttons", block.id, choices,
                             no_input_seconds=block.plan.timeout_seconds)
