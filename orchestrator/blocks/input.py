"""The input block: asks, waits, validates the answer by kind and stores it.

Kinds: text (trimmed; min/max length, `pattern` must match the whole answer: RE2 syntax, linear
time, see `scenarios.format.limits`), number ("12,5" and "12.5", min/max, stored as int when
whole), email (lower-case domain), phone (parsed with the default region UA, stored E.164), date
(YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, stored ISO), choice (id, label in any language, or number;
stores the id). A wrong answer counts an attempt and asks again (the block's `reprompt` or a
built-in one, then the prompt); at `max_attempts` the block leaves through `invalid` (no edge
there ends the frame)."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import phonenumbers
from scenarios.format import limits

from orchestrator.blocks.choices import Options, option_labels
from orchestrator.contract import InboundEvent, InputRequest
from orchestrator.engine import phrases
from orchestrator.engine.compile import CompiledBlock
from orchestrator.engine.executor import (
    NOT_MINE,
    BlockContext,
    BlockFailure,
    Executor,
    Step,
    follow,
    reprompt,
    wait,
)
from orchestrator.engine.outbound import button, input_request, message, text_message
from orchestrator.engine.values import parse_date, parse_number

DEFAULT_PHONE_REGION = "UA"
MAX_ANSWER = 4096

# RFC 5322's dot-atom local part and a hostname of LDH labels with a letter TLD: what mail
# systems actually deliver to, without quoted local parts nobody types.
_EMAIL_RE = re.compile(
    r"(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)")


class _Plan(NamedTuple):
    kind: str
    prompt: Any
    variable: str
    options: Options
    minimum: float | None
    maximum: float | None
    min_length: int | None
    max_length: int | None
    pattern: Any  # an RE2 pattern
    reprompt: Any
    max_attempts: int
    problem: str | None = None  # why the pattern cannot run: the block fails when answered


_INVALID = object()


def normalise_email(text: str) -> str | None:
    candidate = text.strip()
    match = _EMAIL_RE.fullmatch(candidate)
    if match is None or len(candidate) > 254 or len(match["local"]) > 64:
        return None
    return f"{match['local']}@{match['domain'].lower()}"


def normalise_phone(text: str, region: str = DEFAULT_PHONE_REGION) -> str | None:
    try:
        number = phonenumbers.parse(text.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class InputExecutor(Executor):
    type_name = "input"

    def prepare(self, settings: Any, block_id: str) -> _Plan:
        pattern, problem = None, None
        if settings.pattern:
            try:
                pattern = limits.compile_pattern(settings.pattern)
            except limits.PatternError as exc:
                problem = f"the pattern cannot run: {exc}"
        return _Plan(
            kind=settings.kind, prompt=settings.prompt, variable=settings.variable,
            options=Options(option_labels(settings.choices)), minimum=settings.min,
            maximum=settings.max, min_length=settings.min_length,
            max_length=settings.max_length,
            pattern=pattern, reprompt=settings.reprompt, max_attempts=settings.max_attempts,
            problem=problem)

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        request = self.request(block, ctx)
        return wait(request, [self._prompt(block, ctx, request)])

    def resume(self, block: CompiledBlock, event: InboundEvent, ctx: BlockContext) -> Step:
        plan: _Plan = block.plan
        if event.kind == "choice":
            if plan.kind != "choice":
                return NOT_MINE  # a button of an earlier message
            value = event.choice_id if event.choice_id in plan.options.ids else _INVALID
            answer = event.choice_id
        elif event.kind == "text":
            answer = event.text or ""
            value = self._validate(plan, answer)
        else:
            return NOT_MINE
        ctx.note_input(answer)
        if value is not _INVALID:
            if plan.kind == "choice":
                ctx.note_choice(value)
            ctx.set(plan.variable, value)
            return follow("next")
        ctx.attempts += 1
        if ctx.attempts >= plan.max_attempts:
            return follow("invalid")
        request = self.request(block, ctx)
        if plan.reprompt is not None:
            again = ctx.render(plan.reprompt) or ""
        else:
            again = self._builtin_reprompt(plan, ctx.language)
        return reprompt(request, [text_message(again, block.id),
                                  self._prompt(block, ctx, request)])

    def request(self, block: CompiledBlock, ctx: BlockContext) -> InputRequest:
        plan: _Plan = block.plan
        return input_request(plan.kind, block.id, self._choices(plan, ctx),
                             max(plan.max_attempts - ctx.attempts, 0))

    @staticmethod
    def _choices(plan: _Plan, ctx: BlockContext) -> list[Any]:
        return [button(option_id, ctx.render(label) or "")
                for option_id, label in zip(plan.options.ids, plan.options.labels, strict=True)]

    @staticmethod
    def _prompt(block: CompiledBlock, ctx: BlockContext, request: InputRequest) -> Any:
        return message("text", text=ctx.render(block.plan.prompt), buttons=request.choices,
                       block_id=block.id)

    @staticmethod
    def _validate(plan: _Plan, answer: str) -> Any:
        if len(answer) > MAX_ANSWER:
            return _INVALID
        kind = plan.kind
        if kind == "text":
            text = answer.strip()
            if not text:
                return _INVALID
            if plan.min_length is not None and len(text) < plan.min_length:
                return _INVALID
            if plan.max_length is not None and len(text) > plan.max_length:
                return _INVALID
            if plan.problem is not None:
                raise BlockFailure(plan.problem)
            if plan.pattern is not None and plan.pattern.fullmatch(text) is None:
                return _INVALID
            return text
        if kind == "number":
            number = parse_number(answer)
            if number is None:
                return _INVALID
            if plan.minimum is not None and number < plan.minimum:
                return _INVALID
            if plan.maximum is not None and number > plan.maximum:
                return _INVALID
            return number
        if kind == "email":
            email = normalise_email(answer)
            return _INVALID if email is None else email
        if kind == "phone":
            phone = normalise_phone(answer)
            return _INVALID if phone is None else phone
        if kind == "date":
            date = parse_date(answer)
            return _INVALID if date is None else date
        if kind == "choice":
            chosen = plan.options.match_text(answer)
            return _INVALID if chosen is None else chosen
        return _INVALID

    @staticmethod
    def _builtin_reprompt(plan: _Plan, language: str) -> str:
        if plan.kind == "number" and (plan.minimum is not None or plan.maximum is not None):
            if plan.minimum is not None and plan.maximum is not None:
                return phrases.reprompt(language, "number_range", min=plan.minimum,
                                        max=plan.maximum)
            if plan.minimum is not None:
                return phrases.reprompt(language, "number_min", min=plan.minimum)
            return phrases.reprompt(language, "number_max", max=plan.maximum)
        if plan.kind == "text":
            if plan.pattern is not None or plan.problem is not None:
                return phrases.reprompt(language, "pattern")
            low, high = plan.min_length, plan.max_length
            if low is not None and high is not None:
                return phrases.reprompt(language, "length_range", min=low, max=high)
            if low is not None and low > 1:
                return phrases.reprompt(language, "length_min", min=low)
            if high is not None:
                return phrases.reprompt(language, "length_max", max=high)
        return phrases.reprompt(language, plan.kind)
