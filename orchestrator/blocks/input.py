"""The input block: asks, waits, validates the answer by kind and stores it.

Kinds: text (trimmed; min/max length, `pattern` must match the whole answer: RE2 syntax, linear
time, see `scenarios.format.limits`), number ("12,5" and "12.5"; `integer`, min/max, `step`
from min; stored as int when whole), email (lower-case domain), phone (parsed with the default
region UA, stored E.164), date (YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, stored ISO; min/max as ISO
dates or relative to the turn's date, allowed `weekdays`), choice (id, label in any language,
or number; stores the choice's value, else its id). The answer is then stored through the
variable's declared type: one that does not fit (kind text into a number variable, "forty")
is a wrong answer too.

A wrong answer counts an attempt and asks again: the text for the failed constraint from
`reprompts`, else the block's `reprompt`, else a built-in one naming the constraint; then the
prompt. At `max_attempts` the block leaves through `invalid` (no edge there ends the frame).
With `timeout_seconds`, no answer in that time leaves through `no_input`."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import phonenumbers
from scenarios.format import limits
from scenarios.format.blocks import WEEKDAYS, option_values, parse_date_bound
from scenarios.format.nlu import entity_plan

from orchestrator.blocks.choices import Options, option_labels
from orchestrator.contract import InboundEvent, InputRequest, ServiceCall, ServiceOutcome
from orchestrator.engine import phrases
from orchestrator.engine.compile import CompiledBlock
from orchestrator.engine.executor import (
    NOT_MINE,
    BlockContext,
    BlockFailure,
    Executor,
    Step,
    VariableTypeError,
    call_service,
    follow,
    reprompt,
    wait,
)
from orchestrator.engine.outbound import button, input_request, message, text_message
from orchestrator.engine.values import parse_date, parse_number

DEFAULT_PHONE_REGION = "UA"
ENTITY_SECONDS = 2.0  # how long an answer waits for the NLU service to find its entity
MAX_ANSWER = 4096

# RFC 5322's dot-atom local part and a hostname of LDH labels with a letter TLD: what mail
# systems actually deliver to, without quoted local parts nobody types.
_EMAIL_RE = re.compile(
    r"(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)")

# A date bound parsed once: ("date", the date, 0, "") or ("relative", None, count, unit).
DateBound = tuple[str, dt.date | None, int, str]


class _Plan(NamedTuple):
    kind: str
    prompt: Any
    variable: str
    options: Options
    values: Mapping[str, Any]  # what a choice stores instead of its id
    minimum: float | None
    maximum: float | None
    step: float | None
    integer: bool
    first_date: DateBound | None
    last_date: DateBound | None
    weekdays: frozenset[int] | None  # 0 is Monday
    min_length: int | None
    max_length: int | None
    pattern: Any  # an RE2 pattern
    reprompt: Any
    reprompts: Mapping[str, Any]
    max_attempts: int
    timeout_seconds: float | None
    problem: str | None = None  # why the pattern cannot run: the block fails when answered
    # Kind text with an entity: what the NLU service needs to find it (scenarios.format.nlu
    # entity_plan), and the time zone dates are read in.
    entity: Mapping[str, Any] | None = None
    timezone: str = "Europe/Kyiv"


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


def resolve_date_bound(bound: DateBound, today: dt.date) -> dt.date:
    """A bound as a date on the day the question is asked; a month or year shift keeps the
    day of the month where that month has it (31 January + 1 month is 28 or 29 February)."""
    form, fixed, count, unit = bound
    if form == "date":
        return fixed  # type: ignore[return-value]
    if unit == "d":
        return today + dt.timedelta(days=count)
    if unit == "w":
        return today + dt.timedelta(weeks=count)
    months = today.year * 12 + today.month - 1 + (count * 12 if unit == "y" else count)
    year, month = divmod(months, 12)
    month += 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(today.day, last_day))


def _on_step(number: float, base: float, step: float) -> bool:
    # Decimal from the shortest repr, so 0.1 steps compare as a person writes them. Answers
    # are at most 40 characters and steps are floats, so the count of steps fits in 800 digits.
    try:
        with decimal.localcontext() as exact:
            exact.prec = 800
            return (decimal.Decimal(str(number)) - decimal.Decimal(str(base))) \
                % decimal.Decimal(str(step)) == 0
    except decimal.InvalidOperation:  # not a count of steps that can be told: refused
        return False


def _shown_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


class InputExecutor(Executor):
    type_name = "input"
    hears_voice = True

    def prepare(self, settings: Any, block_id: str) -> _Plan:
        pattern, problem = None, None
        if settings.pattern:
            try:
                pattern = limits.compile_pattern(settings.pattern)
            except limits.PatternError as exc:
                problem = f"the pattern cannot run: {exc}"
        dates = settings.kind == "date"
        return _Plan(
            kind=settings.kind, prompt=settings.prompt, variable=settings.variable,
            options=Options(option_labels(settings.choices)),
            values=option_values(settings.choices),
            minimum=None if dates else settings.min, maximum=None if dates else settings.max,
            step=settings.step, integer=settings.integer,
            first_date=parse_date_bound(settings.min) if dates and settings.min else None,
            last_date=parse_date_bound(settings.max) if dates and settings.max else None,
            weekdays=frozenset(WEEKDAYS.index(day) for day in settings.weekdays)
            if settings.weekdays else None,
            min_length=settings.min_length, max_length=settings.max_length,
            pattern=pattern, reprompt=settings.reprompt, reprompts=settings.reprompts or {},
            max_attempts=settings.max_attempts, timeout_seconds=settings.timeout_seconds,
            problem=problem,
            entity=entity_plan([settings.entity]) if settings.entity is not None else None,
            timezone=settings.timezone)

    def enter(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        request = self.request(block, ctx)
        return wait(request, [self._prompt(block, ctx, request)])

    def resume(self, block: CompiledBlock, event: InboundEvent, ctx: BlockContext) -> Step:
        plan: _Plan = block.plan
        chosen: str | None = None
        if event.kind == "choice":
            if plan.kind != "choice":
                return NOT_MINE  # a button of an earlier message
            answer = event.choice_id or ""
            chosen = event.choice_id if event.choice_id in plan.options.ids else None
            value, failed = (_INVALID, "format") if chosen is None else (chosen, None)
        elif event.kind == "text":
            answer = event.text or ""
            value, failed = self._check(plan, answer, ctx.now.date())
            if plan.kind == "choice" and failed is None:
                chosen = value
        else:
            return NOT_MINE
        ctx.note_input(answer)
        if failed is None and plan.entity is not None:
            # The value is the entity the NLU service finds in the answer (`complete`).
            return call_service(ServiceCall(
                service="nlu", operation="extract", timeout_seconds=ENTITY_SECONDS,
                request={**plan.entity, "text": answer, "language": ctx.language,
                         "now": ctx.now.isoformat(), "timezone": plan.timezone}))
        return self._answered(block, ctx, value, failed, chosen)

    def complete(self, block: CompiledBlock, outcome: ServiceOutcome,
                 ctx: BlockContext) -> Step:
        """The entity found in the answer is the value; none (or a service that could not
        answer: the person can still type it again) asks again."""
        found = outcome.value.get("entities") if outcome.status == "ok" \
            and isinstance(outcome.value, dict) else None
        if found and isinstance(found[0], dict):
            return self._answered(block, ctx, found[0].get("value"), None, None)
        return self._answered(block, ctx, _INVALID, "entity", None)

    def _answered(self, block: CompiledBlock, ctx: BlockContext, value: Any,
                  failed: str | None, chosen: str | None) -> Step:
        plan: _Plan = block.plan
        mistyped = False
        if failed is None:
            if chosen is not None:
                value = plan.values.get(chosen, chosen)
            try:
                ctx.set(plan.variable, value)
            except VariableTypeError:
                # What the person typed cannot be held by the variable: their mistake, so it
                # is asked again like any other wrong answer, never a failed block.
                failed, mistyped = "format", True
            else:
                if chosen is not None:
                    ctx.note_choice(chosen)
                return follow("next")
        ctx.attempts += 1
        if ctx.attempts >= plan.max_attempts:
            return follow("invalid")
        request = self.request(block, ctx)
        own = plan.reprompts.get(failed) or plan.reprompt  # type: ignore[arg-type]
        if own is not None:
            again = ctx.render(own) or ""
        elif mistyped:
            again = self._type_reprompt(plan, ctx)
        else:
            again = self._builtin_reprompt(plan, failed, ctx)  # type: ignore[arg-type]
        return reprompt(request, [text_message(again, block.id),
                                  self._prompt(block, ctx, request)])

    def no_input(self, block: CompiledBlock, ctx: BlockContext) -> Step:
        """The block's own answer time passed without an answer."""
        return follow("no_input") if "no_input" in block.ports else NOT_MINE

    def request(self, block: CompiledBlock, ctx: BlockContext) -> InputRequest:
        plan: _Plan = block.plan
        return input_request(plan.kind, block.id, self._choices(plan, ctx),
                             max(plan.max_attempts - ctx.attempts, 0),
                             no_input_seconds=plan.timeout_seconds)

    @staticmethod
    def _choices(plan: _Plan, ctx: BlockContext) -> list[Any]:
        return [button(option_id, ctx.render(label) or "")
                for option_id, label in zip(plan.options.ids, plan.options.labels, strict=True)]

    @staticmethod
    def _prompt(block: CompiledBlock, ctx: BlockContext, request: InputRequest) -> Any:
        return message("text", text=ctx.render(block.plan.prompt), buttons=request.choices,
                       block_id=block.id)

    @staticmethod
    def _check(plan: _Plan, answer: str, today: dt.date) -> tuple[Any, str | None]:
        """The answer as stored, or `_INVALID` and the constraint it failed (a `reprompts`
        key)."""
        if len(answer) > MAX_ANSWER:
            return _INVALID, "format"
        kind = plan.kind
        if kind == "text":
            text = answer.strip()
            if not text:
                return _INVALID, "format"
            if plan.min_length is not None and len(text) < plan.min_length:
                return _INVALID, "length"
            if plan.max_length is not None and len(text) > plan.max_length:
                return _INVALID, "length"
            if plan.problem is not None:
                raise BlockFailure(plan.problem)
            if plan.pattern is not None and plan.pattern.fullmatch(text) is None:
                return _INVALID, "pattern"
            return text, None
        if kind == "number":
            number = parse_number(answer)
            if number is None:
                return _INVALID, "format"
            if plan.integer and not isinstance(number, int):
                return _INVALID, "integer"
            if plan.minimum is not None and number < plan.minimum:
                return _INVALID, "min"
            if plan.maximum is not None and number > plan.maximum:
                return _INVALID, "max"
            if plan.step is not None and not _on_step(number, plan.minimum or 0, plan.step):
                return _INVALID, "step"
            return number, None
        if kind == "email":
            email = normalise_email(answer)
            return (_INVALID, "format") if email is None else (email, None)
        if kind == "phone":
            phone = normalise_phone(answer)
            return (_INVALID, "format") if phone is None else (phone, None)
        if kind == "date":
            date = parse_date(answer)
            if date is None:
                return _INVALID, "format"
            day = dt.date.fromisoformat(date)
            if plan.first_date is not None and day < resolve_date_bound(plan.first_date, today):
                return _INVALID, "min"
            if plan.last_date is not None and day > resolve_date_bound(plan.last_date, today):
                return _INVALID, "max"
            if plan.weekdays is not None and day.weekday() not in plan.weekdays:
                return _INVALID, "weekday"
            return date, None
        if kind == "choice":
            chosen = plan.options.match_text(answer)
            return (_INVALID, "format") if chosen is None else (chosen, None)
        return _INVALID, "format"

    @staticmethod
    def _type_reprompt(plan: _Plan, ctx: BlockContext) -> str:
        root = plan.variable.partition(".")[0]
        declaration = ctx.scenario.variables.get(root)
        type_ = declaration.type if declaration is not None else None
        return phrases.reprompt(ctx.language, type_ if type_ in ("number", "date", "boolean")
                                else plan.kind)

    @staticmethod
    def _builtin_reprompt(plan: _Plan, failed: str, ctx: BlockContext) -> str:
        language = ctx.language
        if failed == "entity":
            return phrases.reprompt(language, "entity")
        if plan.kind == "number":
            if failed == "integer":
                return phrases.reprompt(language, "number_integer")
            if failed == "step":
                return InputExecutor._step_reprompt(plan, language)
            low, high = plan.minimum, plan.maximum
            if low is not None and high is not None:
                return phrases.reprompt(language, "number_range", min=low, max=high)
            if low is not None:
                return phrases.reprompt(language, "number_min", min=low)
            if high is not None:
                return phrases.reprompt(language, "number_max", max=high)
            # Not a number at all: "a multiple of 0.5" would not tell what went wrong.
        if plan.kind == "date":
            if failed == "weekday" and plan.weekdays is not None:
                return phrases.reprompt(language, "weekday",
                                        days=phrases.weekdays(language, plan.weekdays))
            if failed in ("min", "max"):
                today = ctx.now.date()
                first, last = plan.first_date, plan.last_date
                low = _shown_date(resolve_date_bound(first, today)) if first else None
                high = _shown_date(resolve_date_bound(last, today)) if last else None
                if low is not None and high is not None:
                    return phrases.reprompt(language, "date_range", min=low, max=high)
                if low is not None:
                    return phrases.reprompt(language, "date_min", min=low)
                return phrases.reprompt(language, "date_max", max=high)
        if plan.kind == "text":
            if failed == "pattern" or (failed == "format" and (
                    plan.pattern is not None or plan.problem is not None)):
                return phrases.reprompt(language, "pattern")
            low, high = plan.min_length, plan.max_length
            if low is not None and high is not None:
                return phrases.reprompt(language, "length_range", min=low, max=high)
            if low is not None and low > 1:
                return phrases.reprompt(language, "length_min", min=low)
            if high is not None:
                return phrases.reprompt(language, "length_max", max=high)
        return phrases.reprompt(language, plan.kind)

    @staticmethod
    def _step_reprompt(plan: _Plan, language: str) -> str:
        if plan.minimum is not None:
            return phrases.reprompt(language, "number_step_from", step=plan.step,
                                    min=plan.minimum)
        return phrases.reprompt(language, "number_step", step=plan.step)
