"""The built-in block types of format 2 (message, input, condition, set_variable, jump, wait,
handoff, end, set_language): their settings models, ports and waiting rules, registered in the
default registry on import."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import replace
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    StringConstraints,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from scenarios.format.models import (
    LANGUAGE,
    OPTION_ID_PATTERN,
    BlockId,
    Expression,
    LanguageCode,
    LocalizedText,
    Operand,
    TemplateText,
    TimeZoneName,
    ValueOperand,
    VariableRef,
    WrittenVariable,
    is_valid_regex,
)
from scenarios.format.limits import INTEGER_LIMIT, MAX_INTEGER_DIGITS
from scenarios.format.nlu import EntityName, ListEntity, RegexEntity, resolve_entity
from scenarios.format.registry import BlockType, register_block

MAX_BUTTONS = 12
MAX_OPTION_VALUE = 1000
# A block's own answer time: from a second to a week, the longest a channel keeps a question.
MAX_ANSWER_SECONDS = 7 * 24 * 3600
HTTP_URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"

OptionId = Annotated[str, StringConstraints(pattern=OPTION_ID_PATTERN)]
HttpUrl = Annotated[str, StringConstraints(pattern=HTTP_URL_PATTERN, max_length=2048)]


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- message ----------------------------------------------------------------------------------

def _scalar(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("a value must be a finite number")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= INTEGER_LIMIT:
        raise ValueError(f"a value may have at most {MAX_INTEGER_DIGITS} digits")
    if isinstance(value, str) and len(value) > MAX_OPTION_VALUE:
        raise ValueError(f"a value may have at most {MAX_OPTION_VALUE} characters")
    if value is not None and not isinstance(value, str | int | float | bool):
        raise ValueError("a value must be a string, a number, true, false or null")
    return value


# One check instead of a union, so a list or an object gets one error saying what fits.
OptionValue = Annotated[Any, AfterValidator(_scalar), WithJsonSchema(
    {"type": ["string", "number", "boolean", "null"], "maxLength": MAX_OPTION_VALUE})]
"""What choosing an option stores in place of its id: any JSON scalar."""

AnswerSeconds = Annotated[float, Field(ge=1, le=MAX_ANSWER_SECONDS)]
"""A block's own answer time; past it the block leaves through `no_input`."""

NO_INPUT_PORT = "no_input"


class _Option(_Settings):
    id: OptionId
    label: LocalizedText
    # Stored instead of the id when the option is chosen; `"value": null` stores null, so
    # whether it was given at all is `"value" in model_fields_set`.
    value: OptionValue = None


def option_values(options: list[Any]) -> dict[str, Any]:
    """The values of the options that have one, by id."""
    return {o.id: o.value for o in options if "value" in o.model_fields_set}


class Media(_Settings):
    kind: Literal["image", "file", "video", "audio"]
    url: HttpUrl
    caption: LocalizedText | None = None


class Button(_Option):
    # A link button opens the URL and leaves the conversation where it is: it has no port.
    url: HttpUrl | None = None

    @model_validator(mode="after")
    def _link_has_no_value(self) -> Button:
        if self.url is not None and "value" in self.model_fields_set:
            raise ValueError("a link button is never chosen, so it has no value")
        return self


class QuickReply(_Option):
    pass


class MessageSettings(_Settings):
    text: LocalizedText | None = None
    media: Media | None = None
    buttons: list[Button] = Field(default_factory=list, max_length=MAX_BUTTONS)
    quick_replies: list[QuickReply] = Field(default_factory=list, max_length=MAX_BUTTONS)
    store_choice_in: WrittenVariable | None = None
    timeout_seconds: AnswerSeconds | None = None

    @model_validator(mode="after")
    def _has_content_and_distinct_ports(self) -> MessageSettings:
        if self.text is None and self.media is None and not self.buttons:
            raise ValueError("a message needs a text, media or buttons")
        seen: set[str] = set()
        for option in [*self.buttons, *self.quick_replies]:
            if option.id == "next":
                raise ValueError("a button may not be called 'next': that is the port taken "
                                 "when the user types instead of choosing")
            if option.id == NO_INPUT_PORT and self.timeout_seconds is not None:
                raise ValueError("a button may not be called 'no_input' when the message has "
                                 "timeout_seconds: that is the port taken when no answer "
                                 "comes in time")
            if option.id in seen:
                raise ValueError(f"button id {option.id!r} is used twice")
            seen.add(option.id)
        if self.timeout_seconds is not None and not self.choice_ids():
            raise ValueError("timeout_seconds applies only to a message that waits for a "
                             "choice (choice buttons or quick replies)")
        return self

    def choice_ids(self) -> list[str]:
        return [b.id for b in self.buttons if b.url is None] + [q.id for q in self.quick_replies]


def _message_ports(settings: MessageSettings) -> tuple[str, ...]:
    timed = (NO_INPUT_PORT,) if settings.timeout_seconds is not None else ()
    return (*settings.choice_ids(), "next", *timed)


def _message_waits(settings: MessageSettings) -> bool:
    return bool(settings.choice_ids())


# --- input ------------------------------------------------------------------------------------

class Choice(_Option):
    pass


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# A date bound: an ISO date, or a shift from the day the question is asked ("today",
# "+30d", "-1d", "+2w", "+1m", "+1y", "today+30d").
_RELATIVE_DATE_RE = re.compile(r"(?:today)?([+-])([0-9]{1,5})([dwmy])")
# How far a relative bound may reach: a century, so resolving one never leaves the calendar.
_MAX_SHIFT = {"d": 36_600, "w": 5_300, "m": 1_200, "y": 100}
# The fewest and most days a shift unit spans, to tell bounds that can never hold.
_UNIT_DAYS = {"d": (1, 1), "w": (7, 7), "m": (28, 31), "y": (365, 366)}

DateBound = Annotated[str, StringConstraints(min_length=1, max_length=20)]

# Which constraint a `reprompts` key stands for, by kind: "format" is an answer that does not
# read as the kind at all (or does not fit the variable's type).
REPROMPT_KEYS: dict[str, tuple[str, ...]] = {
    "text": ("format", "length", "pattern", "entity"),
    "number": ("format", "integer", "min", "max", "step"),
    "email": ("format",),
    "phone": ("format",),
    "date": ("format", "min", "max", "weekday"),
    "choice": ("format",),
}
RepromptKey = Literal["integer", "min", "max", "step", "weekday", "format", "length",
                      "pattern", "entity"]


def parse_date_bound(text: str) -> tuple[str, dt.date | None, int, str]:
    """A date bound as ("date", the date, 0, "") or ("relative", None, signed count, unit);
    raises ValueError saying what is accepted."""
    if text == "today":
        return ("relative", None, 0, "d")
    match = _RELATIVE_DATE_RE.fullmatch(text)
    if match is not None:
        sign, count, unit = match.groups()
        if int(count) > _MAX_SHIFT[unit]:
            raise ValueError(f"{text!r} reaches too far: at most {_MAX_SHIFT[unit]}{unit}")
        return ("relative", None, -int(count) if sign == "-" else int(count), unit)
    try:
        if len(text) != 10:
            raise ValueError(text)
        return ("date", dt.date.fromisoformat(text), 0, "")
    except ValueError:
        raise ValueError(f"{text!r} is not a date: use an ISO date (2025-01-31), 'today', or "
                         "a shift from today such as +30d, -1d, +2w, +1m, +1y, "
                         "today+30d") from None


def _never_after(low: str, high: str) -> bool:
    """Whether date bound `low` is after `high` on every day the question could be asked."""
    a, b = parse_date_bound(low), parse_date_bound(high)
    if a[0] == "date" and b[0] == "date":
        return a[1] > b[1]  # type: ignore[operator]
    if a[0] == "relative" and b[0] == "relative":
        fewest = a[2] * _UNIT_DAYS[a[3]][0 if a[2] >= 0 else 1]
        most = b[2] * _UNIT_DAYS[b[3]][1 if b[2] >= 0 else 0]
        return fewest > most
    return False  # a fixed date against one that moves: it depends on the day


class InputSettings(_Settings):
    kind: Literal["text", "number", "email", "phone", "date", "choice"]
    prompt: LocalizedText
    variable: WrittenVariable
    choices: list[Choice] = Field(default_factory=list, max_length=50, validate_default=True)
    # Numbers for kind number, date bounds (ISO or relative to today) for kind date.
    min: float | DateBound | None = None
    max: float | DateBound | None = None
    step: float | None = Field(default=None, gt=0)
    integer: bool = False
    weekdays: list[Weekday] | None = Field(default=None, min_length=1, max_length=7)
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    pattern: str | None = None
    reprompt: LocalizedText | None = None
    reprompts: dict[RepromptKey, LocalizedText] | None = None
    max_attempts: int = Field(default=3, ge=1, le=10)
    timeout_seconds: AnswerSeconds | None = None
    # Kind text: the answer must contain this entity, and its value is what is stored ("на
    # завтра о 15:00" stores the date and time, "мій номер 050 123 45 67" the phone in E.164).
    entity: EntityName | ListEntity | RegexEntity | None = Field(None, description=(
        "Kind text: take the value of this entity from the answer: a built-in one (number, "
        "date, time, email, phone, money, url) or one of the bot's (named from the nlu "
        "section, or written here). An answer without it is asked again (reprompt key "
        "`entity`)."))
    timezone: TimeZoneName = Field("Europe/Kyiv", description=(
        "With `entity`: how \"tomorrow at 3 pm\" is read (an IANA time zone)."))

    @field_validator("choices")
    @classmethod
    def _choices_iff_choice(cls, value: list[Choice], info: ValidationInfo) -> list[Choice]:
        kind = info.data.get("kind")
        if kind == "choice" and not value:
            raise ValueError("a choice input needs at least one choice")
        if kind is not None and kind != "choice" and value:
            raise ValueError("choices apply only to kind 'choice'")
        ids = [c.id for c in value]
        if len(ids) != len(set(ids)):
            raise ValueError("choice ids must be distinct")
        return value

    @field_validator("min", "max")
    @classmethod
    def _bound_fits_kind(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return value
        kind, name = info.data.get("kind"), info.field_name
        if kind == "number":
            if isinstance(value, str) or isinstance(value, bool):
                raise ValueError(f"{name} of a number input must be a number")
            if not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number")
        elif kind == "date":
            if not isinstance(value, str):
                raise ValueError(f"{name} of a date input must be a date: an ISO date "
                                 "(2025-01-31), 'today', or a shift such as +30d")
            parse_date_bound(value)
        elif kind is not None:
            raise ValueError(f"{name} applies only to kinds 'number' and 'date'")
        low = info.data.get("min")
        if name == "max" and low is not None:
            if kind == "number" and low > value:
                raise ValueError("max is below min")
            if kind == "date" and isinstance(low, str) and _never_after(low, value):
                raise ValueError("max is before min")
        return value

    @field_validator("step", "integer")
    @classmethod
    def _number_only(cls, value: Any, info: ValidationInfo) -> Any:
        if value and info.data.get("kind") not in (None, "number"):
            raise ValueError(f"{info.field_name} applies only to kind 'number'")
        if info.field_name == "step" and value is not None and not math.isfinite(value):
            raise ValueError("step must be a finite number")
        return value

    @field_validator("weekdays")
    @classmethod
    def _date_only(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if value is None:
            return value
        if info.data.get("kind") not in (None, "date"):
            raise ValueError("weekdays apply only to kind 'date'")
        if len(value) != len(set(value)):
            raise ValueError("each weekday may be listed once")
        return value

    @field_validator("min_length", "max_length", "pattern", "entity")
    @classmethod
    def _text_only(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("kind") not in (None, "text"):
            raise ValueError(f"{info.field_name} applies only to kind 'text'")
        if info.field_name == "max_length" and value is not None:
            low = info.data.get("min_length")
            if low is not None and low > value:
                raise ValueError("max_length is below min_length")
        if info.field_name == "pattern" and value is not None and not is_valid_regex(value):
            raise ValueError("the pattern is not a valid regular expression")
        return value

    @field_validator("reprompts")
    @classmethod
    def _reprompts_fit_kind(cls, value: dict[str, Any] | None,
                            info: ValidationInfo) -> dict[str, Any] | None:
        kind = info.data.get("kind")
        if value is None or kind is None:
            return value
        allowed = REPROMPT_KEYS[kind]
        unknown = sorted(key for key in value if key not in allowed)
        if unknown:
            raise ValueError(f"a {kind} input has no constraint {', '.join(map(repr, unknown))}"
                             f"; its reprompts are {', '.join(allowed)}")
        return value


def _input_ports(settings: InputSettings) -> tuple[str, ...]:
    timed = (NO_INPUT_PORT,) if settings.timeout_seconds is not None else ()
    return ("next", "invalid", *timed)


# --- condition --------------------------------------------------------------------------------

UNARY_OPERATORS = frozenset({"is_set", "is_not_set", "is_empty"})
Operator = Literal[
    "equals", "not_equals", "contains", "not_contains", "starts_with", "ends_with",
    "greater", "greater_or_equal", "less", "less_or_equal", "matches",
    "is_set", "is_not_set", "is_empty",
]


class Comparison(_Settings):
    left: Operand
    op: Operator
    right: Operand | None = Field(default=None, validate_default=True)

    @field_validator("right")
    @classmethod
    def _right_when_binary(cls, value: Any, info: ValidationInfo) -> Any:
        op = info.data.get("op")
        if op is None:
            return value
        if value is None and op not in UNARY_OPERATORS:
            raise ValueError(f"operator {op!r} needs a right operand")
        if op == "matches" and isinstance(value, ValueOperand):
            if not isinstance(value.value, str) or not is_valid_regex(value.value):
                raise ValueError("the right operand of 'matches' must be a valid regular "
                                 "expression")
        return value


class AllOf(_Settings):
    all: list[Condition] = Field(min_length=1, max_length=100)


class AnyOf(_Settings):
    any: list[Condition] = Field(min_length=1, max_length=100)


class Not(_Settings):
    model_config = ConfigDict(extra="forbid", serialize_by_alias=True)

    not_: Condition = Field(alias="not")


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key, tag in (("all", "all_of"), ("any", "any_of"), ("not", "negation")):
            if key in value:
                return tag
        return "comparison"
    return {Comparison: "comparison", AllOf: "all_of", AnyOf: "any_of",
            Not: "negation"}.get(type(value))


Condition = Annotated[
    Annotated[Comparison, Tag("comparison")]
    | Annotated[AllOf, Tag("all_of")]
    | Annotated[AnyOf, Tag("any_of")]
    | Annotated[Not, Tag("negation")],
    Discriminator(_condition_kind),
]

for _model in (AllOf, AnyOf, Not):
    _model.model_rebuild()


JavaScriptExpression = Annotated[str, StringConstraints(min_length=1, max_length=4096)]
"""A JavaScript expression over `vars` (the conversation's variables), run in the platform's
sandbox by the modules service; its syntax is checked at publish by that service."""


class ConditionSettings(_Settings):
    # The top level is a list combined by `mode`, the common "match all/any of these rules"
    # form; nested all/any/not cover anything else. Or `javascript`: an expression whose
    # truth picks the port.
    mode: Literal["all", "any"] = "all"
    when: list[Condition] = Field(default_factory=list, max_length=100)
    javascript: JavaScriptExpression | None = None

    @model_validator(mode="after")
    def _rules_or_javascript(self) -> ConditionSettings:
        if bool(self.when) == (self.javascript is not None):
            raise ValueError("set either when (at least one rule) or javascript")
        return self


# --- set_variable, jump, wait, handoff, end -----------------------------------------------------

class SetVariableSettings(_Settings):
    variable: WrittenVariable
    value: JsonValue = None
    template: TemplateText | None = None
    expression: Expression | None = None
    javascript: JavaScriptExpression | None = None

    @model_validator(mode="after")
    def _exactly_one_source(self) -> SetVariableSettings:
        # `value` may legitimately be null, so it counts when it was given at all.
        given = ("value" in self.model_fields_set) + (self.template is not None) \
            + (self.expression is not None) + (self.javascript is not None)
        if given != 1:
            raise ValueError("set exactly one of value, template, expression or javascript")
        return self


class JumpSettings(_Settings):
    block: BlockId | None = None
    scenario: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    return_after: bool = True

    @model_validator(mode="after")
    def _exactly_one_target(self) -> JumpSettings:
        if (self.block is None) == (self.scenario is None):
            raise ValueError("set exactly one of block or scenario")
        return self


def _jump_ports(settings: JumpSettings) -> tuple[str, ...]:
    # Only a call into another scenario comes back; a jump to a block never does.
    return ("next",) if settings.scenario is not None and settings.return_after else ()


class WaitSettings(_Settings):
    # The channel performs the pause (typing in the widget, a delayed send on Telegram), so
    # it stays short; waiting for the person is what input blocks are for.
    seconds: float = Field(gt=0, le=300)


class HandoffSettings(_Settings):
    message: LocalizedText | None = None
    queue: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None


class EndSettings(_Settings):
    message: LocalizedText | None = None


# --- set_language -------------------------------------------------------------------------------

class SetLanguageSettings(_Settings):
    # A fixed language ("en"), or the one a variable holds: typically the value of a
    # language-choice button stored with `store_choice_in`.
    language: Annotated[LanguageCode, LANGUAGE] | None = None
    variable: VariableRef | None = None

    @model_validator(mode="after")
    def _exactly_one_source(self) -> SetLanguageSettings:
        if (self.language is None) == (self.variable is None):
            raise ValueError("set exactly one of language or variable")
        return self


# Ukrainian for the editor's palette (English comes from the name and the description).
_UK = {
    "message": ("Повідомлення", "Надіслати текст, медіа або кнопки; з кнопками — чекати вибору."),
    "input": ("Питання", "Поставити питання й зберегти перевірену відповідь у змінну."),
    "condition": ("Умова", "Розгалуження за змінними."),
    "set_variable": ("Змінна", "Присвоїти змінній значення, шаблон або вираз."),
    "jump": ("Перехід", "Продовжити з іншого блока або виконати інший сценарій і повернутися."),
    "wait": ("Пауза", "Зачекати перед наступним (де канал уміє — показати «друкує»)."),
    "handoff": ("Оператор", "Передати розмову людині-оператору, доки та її не поверне."),
    "end": ("Кінець", "Завершити розмову, за потреби з останнім повідомленням."),
    "set_language": ("Мова", "Перемкнути розмову на іншу мову бота: подальші тексти, "
                             "вбудовані фрази й перепитування підуть нею."),
}
_EN = {"input": "Question", "set_variable": "Set variable", "jump": "Jump", "wait": "Wait",
       "handoff": "Operator", "set_language": "Language"}


def _builtin(name: str, settings: type[BaseModel], ports: Any, waits: Any, description: str,
             category: str) -> BlockType:
    uk_title, uk_description = _UK[name]
    titles = {"uk": uk_title, **({"en": _EN[name]} if name in _EN else {})}
    return BlockType(name, settings, ports, waits, description, category,
                     titles=titles, descriptions={"uk": uk_description})


def _resolve_input(settings: InputSettings, document: Any) -> InputSettings:
    """An entity named from the bot's nlu section replaced by its definition."""
    if settings.entity is None:
        return settings
    return settings.model_copy(update={
        "entity": resolve_entity(settings.entity, getattr(document, "nlu", None))})


BUILTIN_BLOCK_TYPES: tuple[BlockType, ...] = (
    _builtin("message", MessageSettings, _message_ports, _message_waits,
             "Send a text, media or buttons; with buttons, wait for a choice.", "messaging"),
    replace(_builtin("input", InputSettings, _input_ports, True,
                     "Ask a question and store the validated answer in a variable.",
                     "messaging"), resolve=_resolve_input),
    _builtin("condition", ConditionSettings, ("true", "false"), False,
             "Branch on variables.", "logic"),
    _builtin("set_variable", SetVariableSettings, ("next",), False,
             "Assign a value, template or expression to a variable.", "logic"),
    _builtin("jump", JumpSettings, _jump_ports, False,
             "Continue at another block, or run another scenario and come back.", "flow"),
    # Not a pause for loop detection: the engine runs on through it in the same turn.
    _builtin("wait", WaitSettings, ("next",), False,
             "Pause before what follows (shown as typing where the channel can).", "flow"),
    _builtin("handoff", HandoffSettings, ("next",), True,
             "Pass the conversation to a human operator until they hand it back.", "flow"),
    _builtin("end", EndSettings, (), False,
             "End the conversation, optionally with a last message.", "flow"),
    _builtin("set_language", SetLanguageSettings, ("next",), False,
             "Switch the conversation to another of the bot's languages: later texts, "
             "built-in phrases and re-prompts follow it.", "messaging"),
)

for _block_type in BUILTIN_BLOCK_TYPES:
    register_block(_block_type)
