"""The built-in block types of format v1 (message, input, condition, set_variable, jump, wait,
handoff, end): their settings models, ports and waiting rules, registered in the default
registry on import."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from scenarios.format.models import (
    OPTION_ID_PATTERN,
    BlockId,
    Expression,
    LocalizedText,
    Operand,
    TemplateText,
    ValueOperand,
    WrittenVariable,
    is_valid_regex,
)
from scenarios.format.registry import BlockType, register_block

MAX_BUTTONS = 12
HTTP_URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"

OptionId = Annotated[str, StringConstraints(pattern=OPTION_ID_PATTERN)]
HttpUrl = Annotated[str, StringConstraints(pattern=HTTP_URL_PATTERN, max_length=2048)]


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- message ----------------------------------------------------------------------------------

class Media(_Settings):
    kind: Literal["image", "file", "video", "audio"]
    url: HttpUrl
    caption: LocalizedText | None = None


class Button(_Settings):
    id: OptionId
    label: LocalizedText
    # A link button opens the URL and leaves the conversation where it is: it has no port.
    url: HttpUrl | None = None


class QuickReply(_Settings):
    id: OptionId
    label: LocalizedText


class MessageSettings(_Settings):
    text: LocalizedText | None = None
    media: Media | None = None
    buttons: list[Button] = Field(default_factory=list, max_length=MAX_BUTTONS)
    quick_replies: list[QuickReply] = Field(default_factory=list, max_length=MAX_BUTTONS)
    store_choice_in: WrittenVariable | None = None

    @model_validator(mode="after")
    def _has_content_and_distinct_ports(self) -> MessageSettings:
        if self.text is None and self.media is None and not self.buttons:
            raise ValueError("a message needs a text, media or buttons")
        seen: set[str] = set()
        for option in [*self.buttons, *self.quick_replies]:
            if option.id == "next":
                raise ValueError("a button may not be called 'next': that is the port taken "
                                 "when the user types instead of choosing")
            if option.id in seen:
                raise ValueError(f"button id {option.id!r} is used twice")
            seen.add(option.id)
        return self

    def choice_ids(self) -> list[str]:
        return [b.id for b in self.buttons if b.url is None] + [q.id for q in self.quick_replies]


def _message_ports(settings: MessageSettings) -> tuple[str, ...]:
    return (*settings.choice_ids(), "next")


def _message_waits(settings: MessageSettings) -> bool:
    return bool(settings.choice_ids())


# --- input ------------------------------------------------------------------------------------

class Choice(_Settings):
    id: OptionId
    label: LocalizedText


class InputSettings(_Settings):
    kind: Literal["text", "number", "email", "phone", "date", "choice"]
    prompt: LocalizedText
    variable: WrittenVariable
    choices: list[Choice] = Field(default_factory=list, max_length=50, validate_default=True)
    min: float | None = None
    max: float | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    pattern: str | None = None
    reprompt: LocalizedText | None = None
    max_attempts: int = Field(default=3, ge=1, le=10)

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
    def _number_only(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is not None and info.data.get("kind") not in (None, "number"):
            raise ValueError(f"{info.field_name} applies only to kind 'number'")
        if info.field_name == "max" and value is not None:
            low = info.data.get("min")
            if low is not None and low > value:
                raise ValueError("max is below min")
        return value

    @field_validator("min_length", "max_length", "pattern")
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


class ConditionSettings(_Settings):
    # The top level is a list combined by `mode`, the common "match all/any of these rules"
    # form; nested all/any/not cover anything else.
    mode: Literal["all", "any"] = "all"
    when: list[Condition] = Field(min_length=1, max_length=100)


# --- set_variable, jump, wait, handoff, end -----------------------------------------------------

class SetVariableSettings(_Settings):
    variable: WrittenVariable
    value: JsonValue = None
    template: TemplateText | None = None
    expression: Expression | None = None

    @model_validator(mode="after")
    def _exactly_one_source(self) -> SetVariableSettings:
        # `value` may legitimately be null, so it counts when it was given at all.
        given = ("value" in self.model_fields_set) + (self.template is not None) \
            + (self.expression is not None)
        if given != 1:
            raise ValueError("set exactly one of value, template or expression")
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


BUILTIN_BLOCK_TYPES: tuple[BlockType, ...] = (
    BlockType("message", MessageSettings, _message_ports, _message_waits,
              "Send a text, media or buttons; with buttons, wait for a choice.", "messaging"),
    BlockType("input", InputSettings, ("next", "invalid"), True,
              "Ask a question and store the validated answer in a variable.", "messaging"),
    BlockType("condition", ConditionSettings, ("true", "false"), False,
              "Branch on variables.", "logic"),
    BlockType("set_variable", SetVariableSettings, ("next",), False,
              "Assign a value, template or expression to a variable.", "logic"),
    BlockType("jump", JumpSettings, _jump_ports, False,
              "Continue at another block, or run another scenario and come back.", "flow"),
    # Not a pause for loop detection: the engine runs on through it in the same turn.
    BlockType("wait", WaitSettings, ("next",), False,
              "Pause before what follows (shown as typing where the channel can).", "flow"),
    BlockType("handoff", HandoffSettings, ("next",), True,
              "Pass the conversation to a human operator until they hand it back.", "flow"),
    BlockType("end", EndSettings, (), False,
              "End the conversation, optionally with a last message.", "flow"),
)

for _block_type in BUILTIN_BLOCK_TYPES:
    register_block(_block_type)
