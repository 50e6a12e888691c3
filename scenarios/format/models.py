"""The scenario document, format v1: the Pydantic models that are the source of truth for its
shape, the shared value types block settings are built from (localized texts, variable
references, operands) and the markers that tell the validator what a settings field means."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    StrictInt,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
)
from scenarios.format.nlu import NluData

CURRENT_SCHEMA_VERSION = 2

MAX_BLOCKS = 2_000
MAX_EDGES = 10_000
MAX_VARIABLES = 500

BLOCK_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
# Button and choice ids are also port names: any characters that need no escaping in a URL
# path segment or a Telegram callback ("09:00", "size.xl", "a~b", "x@y").
OPTION_ID_PATTERN = r"^[A-Za-z0-9._~:@+-]{1,64}$"
COMMAND_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
VARIABLE_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
# A reference may reach into an object or list variable (`order.total`); its first segment is
# the variable itself, which is what declaration checks look at.
VARIABLE_PATH_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z0-9_]{1,64}){0,7}$"
# A read may also index with brackets, as placeholders do (`answers[i]`, `order["total"]`,
# `items[-1]`): an integer, a quoted key or a (dotted) variable per index.
VARIABLE_REF_PATTERN = (
    r"^[A-Za-z_][A-Za-z0-9_]{0,63}(?:\.[A-Za-z0-9_]{1,64}"
    r"|\[(?:-?[0-9]{1,9}|'[^'\]]{0,64}'|\"[^\"\]]{0,64}\"|[A-Za-z_][A-Za-z0-9_.]{0,128})\]){0,8}$")


@dataclass(frozen=True, slots=True)
class Role:
    """Marks what a settings field means to the validator and the engine; put it in the
    field's `Annotated[...]` metadata (the shared types below already carry it)."""

    name: str


TEXT = Role("text")              # a LocalizedText: checked for translations, its templates read
VARIABLE = Role("variable")      # a variable reference: read unless also marked WRITES
WRITES = Role("writes")          # the referenced variable is assigned by the block
TEMPLATE = Role("template")      # a plain string with {{ var }} placeholders: they are reads
EXPRESSION = Role("expression")  # a small expression: its identifiers are reads
LANGUAGE = Role("language")      # a language code: must be one of the bot's languages

LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
BlockId = Annotated[str, StringConstraints(pattern=BLOCK_ID_PATTERN)]
VariableName = Annotated[str, StringConstraints(pattern=VARIABLE_NAME_PATTERN)]

LocalizedText = Annotated[dict[LanguageCode, Annotated[str, StringConstraints(min_length=1)]], TEXT]
"""Text a person reads, keyed by language code: {"uk": "Привіт", "en": "Hi"}."""

VariableRef = Annotated[str, StringConstraints(pattern=VARIABLE_REF_PATTERN), VARIABLE]
"""A variable the block reads (optionally a dotted path into it)."""

WrittenVariable = Annotated[str, StringConstraints(pattern=VARIABLE_PATH_PATTERN), VARIABLE,
                            WRITES]
"""A variable the block assigns."""

TemplateText = Annotated[str, StringConstraints(max_length=4096), TEMPLATE]


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{value}' is not a time zone (say Europe/Kyiv or UTC)") from None
    return value


# An IANA time zone ("Europe/Kyiv"): how a block reads "tomorrow at 3 pm".
TimeZoneName = Annotated[str, StringConstraints(min_length=1, max_length=64),
                         AfterValidator(_time_zone)]
Expression = Annotated[str, StringConstraints(min_length=1, max_length=1024), EXPRESSION]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VarOperand(_Strict):
    var: VariableRef


class ValueOperand(_Strict):
    value: JsonValue


def _operand_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "var_operand" if "var" in value else "value_operand"
    if isinstance(value, VarOperand):
        return "var_operand"
    if isinstance(value, ValueOperand):
        return "value_operand"
    return None


Operand = Annotated[
    Annotated[VarOperand, Tag("var_operand")] | Annotated[ValueOperand, Tag("value_operand")],
    Discriminator(_operand_kind),
]
"""One side of a comparison: {"var": "name"} or {"value": <JSON literal>}."""


class Position(_Strict):
    x: float
    y: float


class EventHandlers(_Strict):
    fallback: BlockId | None = None
    timeout: BlockId | None = None
    error: BlockId | None = None
    no_input: BlockId | None = None


class EntryPoints(_Strict):
    start: BlockId
    # `start` and `restart` are built in; declaring them here overrides where they lead.
    commands: dict[Annotated[str, StringConstraints(pattern=COMMAND_PATTERN)], BlockId] = Field(
        default_factory=dict)
    events: EventHandlers = Field(default_factory=EventHandlers)
    # Global intents: a message that means one of these intents of the `nlu` section (at its
    # `global_threshold`) interrupts wherever the person is, like a command, and returns.
    intents: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")],
                  BlockId] = Field(default_factory=dict)


VariableType = Literal["string", "number", "boolean", "date", "list", "object", "any"]
VariableScope = Literal["conversation", "user", "bot"]


def _matches_type(value: Any, type_: str) -> bool:
    if value is None or type_ == "any":
        return True
    if type_ == "string":
        return isinstance(value, str)
    if type_ == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_ == "boolean":
        return isinstance(value, bool)
    if type_ == "list":
        return isinstance(value, list)
    if type_ == "object":
        return isinstance(value, dict)
    if type_ == "date":
        if not isinstance(value, str):
            return False
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return True
    return False


class Variable(_Strict):
    name: VariableName
    type: VariableType = "any"
    scope: VariableScope = "conversation"
    default: JsonValue = None
    description: str | None = None

    @field_validator("default")
    @classmethod
    def _default_fits_type(cls, value: Any, info: ValidationInfo) -> Any:
        type_ = info.data.get("type")
        if type_ is not None and not _matches_type(value, type_):
            hint = " (an ISO date, YYYY-MM-DD)" if type_ == "date" else ""
            raise ValueError(f"the default value is not a {type_}{hint}")
        return value


class Block(_Strict):
    id: BlockId
    type: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    name: str | None = None
    # Checked against the block type's settings model by the validator, not here, so that
    # block types registered by other services need no change to this model.
    settings: dict[str, JsonValue] = Field(default_factory=dict)
    layout: Position | None = None


class Edge(_Strict):
    id: str | None = None
    source: BlockId
    port: Annotated[str, StringConstraints(pattern=OPTION_ID_PATTERN)] = "next"
    target: BlockId


class ScenarioDocument(_Strict):
    schema_version: StrictInt
    name: str | None = None
    description: str | None = None
    entry: EntryPoints
    variables: list[Variable] = Field(default_factory=list, max_length=MAX_VARIABLES)
    blocks: list[Block] = Field(default_factory=list, max_length=MAX_BLOCKS)
    edges: list[Edge] = Field(default_factory=list, max_length=MAX_EDGES)
    # The bot's intents and entities, published with the scenario (intent blocks name them).
    nlu: NluData | None = None

    @field_validator("schema_version")
    @classmethod
    def _current_version(cls, value: int) -> int:
        if value != CURRENT_SCHEMA_VERSION:
            raise ValueError(f"schema_version must be {CURRENT_SCHEMA_VERSION}; "
                             "upgrade the document first")
        return value


def is_valid_regex(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def json_pointer(*parts: str | int) -> str:
    """RFC 6901 pointer from path segments ("" is the whole document)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)
