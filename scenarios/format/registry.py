"""The block catalogue as a registry, and what a settings model says about itself.

Services add block types with `register_block(BlockType(...))`; this package never lists them.
What the validator and the engine learn about a block's settings comes from the settings
model's field annotations, through the `Role` markers in `models`:

* `LocalizedText` fields (marker TEXT) are texts: checked for translations, and their
  `{{ var }}` placeholders are variable reads;
* `VariableRef` fields (marker VARIABLE) are reads, `WrittenVariable` (VARIABLE + WRITES)
  are writes; `Operand` ({"var": ...} | {"value": ...}) reads through its `var`;
* `TemplateText` strings (TEMPLATE) read their placeholders, `Expression` strings
  (EXPRESSION) read the variables of their parsed tree;
* strings marked LANGUAGE name one of the bot's languages.

Markers are found anywhere: in nested models, lists, dicts and optional fields. A new block
type built from these types gets the translation and variable checks without further code.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from scenarios.format.models import (
    EXPRESSION,
    LANGUAGE,
    TEMPLATE,
    TEXT,
    VARIABLE,
    WRITES,
    Role,
    json_pointer,
)
from scenarios.format.expression_check import expression_variables
from scenarios.format.templates import reference_variables, root_name, template_references

PortsSpec = Callable[[Any], tuple[str, ...]] | tuple[str, ...]
WaitsSpec = Callable[[Any], bool] | bool


@dataclass(frozen=True)
class BlockType:
    """One kind of block: its settings model, its output ports and whether it pauses the
    conversation for the user (ports and waiting may depend on the settings)."""

    name: str
    settings_model: type[BaseModel]
    ports: PortsSpec
    waits_for_input: WaitsSpec
    description: str
    category: str
    # Checks the settings model cannot make on its own (a script's syntax, say): pairs of a
    # path inside the settings and a message, each an error of the block at that path.
    check: Callable[[Any], list[tuple[tuple[str | int, ...], str]]] | None = None
    # Settings that refer to another section of the document (an intent block naming the
    # bot's intents) made whole from it, before checks, ports and the executor see them;
    # raises ValueError with a message for the author when a reference is unknown.
    resolve: Callable[[Any, Any], Any] | None = None
    # What an editor calls the type and how it describes it, per interface language
    # ({"en": "Message", "uk": "Повідомлення"}); English falls back to the name and
    # `description`, any other language to English.
    titles: Mapping[str, str] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)

    def parse_settings(self, settings: Any) -> BaseModel:
        """Validate raw settings; raises pydantic.ValidationError."""
        return self.settings_model.model_validate(settings)

    def output_ports(self, settings: BaseModel) -> tuple[str, ...]:
        return tuple(self.ports(settings)) if callable(self.ports) else tuple(self.ports)

    def waits(self, settings: BaseModel) -> bool:
        return bool(self.waits_for_input(settings)) if callable(self.waits_for_input) \
            else bool(self.waits_for_input)


PLUGIN_GROUP = "rozmova.block_types"
"""Entry points (in a package's metadata) whose functions register a service's block types:
the catalogue is the same in every process, whichever services it imported, and this package
never imports a service."""


class BlockRegistry:
    """Block types by name, in registration order. A registry that loads plugins asks the
    installed services for theirs (`PLUGIN_GROUP`) on first use."""

    def __init__(self, *, plugins: bool = False) -> None:
        self._types: dict[str, BlockType] = {}
        self._checks: dict[str, list[Any]] = {}
        self._plugins_pending = plugins

    def add_check(self, type_name: str, check: Any) -> None:
        """A check another service makes of a block type's settings (the modules service
        checks the syntax of `javascript` in conditions, say): same shape as
        `BlockType.check`."""
        self._checks.setdefault(type_name, []).append(check)

    def checks(self, block_type: BlockType) -> list[Any]:
        own = [block_type.check] if block_type.check is not None else []
        return own + self._checks.get(block_type.name, [])

    def register(self, block_type: BlockType) -> BlockType:
        if block_type.name in self._types:
            raise ValueError(f"block type {block_type.name!r} is already registered")
        self._types[block_type.name] = block_type
        return block_type

    def _types_now(self) -> dict[str, BlockType]:
        if self._plugins_pending:
            self._plugins_pending = False
            from importlib.metadata import entry_points

            for entry in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
                entry.load()()
        return self._types

    def get(self, name: str) -> BlockType | None:
        return self._types_now().get(name)

    def names(self) -> list[str]:
        return list(self._types_now())

    def __iter__(self) -> Iterator[BlockType]:
        return iter(list(self._types_now().values()))

    def __len__(self) -> int:
        return len(self._types_now())

    def __contains__(self, name: object) -> bool:
        return name in self._types_now()

    def catalogue(self) -> list[dict[str, Any]]:
        """What an editor shows in its palette. Ports that depend on settings (one per button)
        are listed as null with `dynamic_ports` set."""
        return [
            {
                "name": bt.name,
                "description": bt.description,
                "titles": {"en": bt.name.replace("_", " ").capitalize(), **bt.titles},
                "descriptions": {"en": bt.description, **bt.descriptions},
                "category": bt.category,
                "settings_schema": bt.settings_model.model_json_schema(),
                "ports": None if callable(bt.ports) else list(bt.ports),
                "dynamic_ports": callable(bt.ports),
                "waits_for_input": None if callable(bt.waits_for_input) else bt.waits_for_input,
            }
            for bt in self
        ]


block_registry = BlockRegistry(plugins=True)
"""The process-wide catalogue; the built-in types are registered by `scenarios.format.blocks`,
services' types by their plugins (`PLUGIN_GROUP`) when the catalogue is first read."""


def register_block(block_type: BlockType) -> BlockType:
    return block_registry.register(block_type)


def register_blocks(block_types: Iterable[BlockType]) -> None:
    """A service's block types, each unless registered already: its plugin entry point runs
    once per process, and again wherever a test installs the service."""
    for block_type in block_types:
        try:
            register_block(block_type)
        except ValueError:  # registered already
            pass


# --- walking settings by their annotations ----------------------------------------------------

_UNION_ORIGINS = (Union, types.UnionType)


def _arm_matches(annotation: Any, value: Any) -> bool:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if annotation is Any:
        return True
    if annotation is type(None) or annotation is None:
        return value is None
    origin = get_origin(annotation)
    if origin in _UNION_ORIGINS:
        return any(_arm_matches(arm, value) for arm in get_args(annotation))
    if origin is typing.Literal:
        return value in get_args(annotation)
    base = origin or annotation
    return isinstance(base, type) and isinstance(value, base)


def _unwrap(annotation: Any, value: Any) -> tuple[set[Role], Any]:
    """Roles that apply to `value` under `annotation`, and the plain annotation left over."""
    roles: set[Role] = set()
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            args = get_args(annotation)
            roles.update(m for m in annotation.__metadata__ if isinstance(m, Role))
            annotation = args[0]
        elif origin in _UNION_ORIGINS:
            arms = [arm for arm in get_args(annotation) if _arm_matches(arm, value)]
            if not arms:
                return roles, Any
            annotation = arms[0]
        else:
            return roles, annotation


def _walk(annotation: Any, roles: set[Role], value: Any,
          path: tuple[str | int, ...]) -> Iterator[tuple[Role, tuple[str | int, ...], Any]]:
    if value is None:
        return
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            own = {m for m in field.metadata if isinstance(m, Role)}
            yield from _walk(field.annotation, own, getattr(value, name),
                             path + (field.alias or name,))
        return
    found, plain = _unwrap(annotation, value)
    roles = roles | found
    if TEXT in roles and isinstance(value, dict):
        yield TEXT, path, value
        return
    if isinstance(value, str):
        if VARIABLE in roles:
            yield (WRITES if WRITES in roles else VARIABLE), path, value
        elif TEMPLATE in roles:
            yield TEMPLATE, path, value
        elif EXPRESSION in roles:
            yield EXPRESSION, path, value
        elif LANGUAGE in roles:
            yield LANGUAGE, path, value
        return
    args = get_args(plain)
    if isinstance(value, list | tuple):
        item = args[0] if args else Any
        for index, element in enumerate(value):
            yield from _walk(item, set(), element, path + (index,))
    elif isinstance(value, dict):
        item = args[1] if len(args) == 2 else Any
        for key, element in value.items():
            yield from _walk(item, set(), element, path + (str(key),))


def _marked(settings: BaseModel) -> Iterator[tuple[Role, tuple[str | int, ...], Any]]:
    return _walk(type(settings), set(), settings, ())


def text_fields(settings: BaseModel) -> Iterator[tuple[str, dict[str, str]]]:
    """(pointer below the settings, text by language) for every LocalizedText present."""
    for role, path, value in _marked(settings):
        if role is TEXT:
            yield json_pointer(*path), value


def variable_reads(settings: BaseModel) -> Iterator[tuple[str, str]]:
    """(pointer below the settings, variable name) for every variable the settings read."""
    for role, path, value in _marked(settings):
        if role is VARIABLE:
            for name in reference_variables(value):  # `answers[i]` reads answers and i
                yield json_pointer(*path), name
        elif role is TEXT:
            for language, text in value.items():
                for reference in template_references(text):
                    yield json_pointer(*path, language), root_name(reference)
        elif role is TEMPLATE:
            for reference in template_references(value):
                yield json_pointer(*path), root_name(reference)
        elif role is EXPRESSION:
            for name in sorted(expression_variables(value)):
                yield json_pointer(*path), name


def variable_writes(settings: BaseModel) -> Iterator[tuple[str, str]]:
    """(pointer below the settings, variable name) for every variable the settings assign."""
    for role, path, value in _marked(settings):
        if role is WRITES:
            yield json_pointer(*path), root_name(value)
