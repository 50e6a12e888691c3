"""The scenario document's `nlu` section: a bot's intents with example phrases per language and
its own entities (lists with synonyms, regular expressions). It lives in the document so it is
versioned and published with the scenario: a conversation pinned to a version keeps the
intents and entities it started with, and the model trained from them.

Built-in entities (number, date, time, email, phone, money, url) need no declaration."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, model_validator

from scenarios.format.limits import pattern_problem

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
NAME_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
BUILTIN_ENTITIES = ("number", "date", "time", "email", "phone", "money", "url")

MAX_INTENTS = 100
MAX_EXAMPLES = 500           # per intent and language
MAX_EXAMPLE_CHARS = 300
MAX_ENTITIES = 100
MAX_ENTITY_VALUES = 1_000
MAX_SYNONYMS = 50            # per value and language
MAX_SYNONYM_CHARS = 100
MAX_ENTITY_PATTERN = 500

IntentName = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
EntityName = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
Example = Annotated[str, StringConstraints(min_length=1, max_length=MAX_EXAMPLE_CHARS)]
Synonym = Annotated[str, StringConstraints(min_length=1, max_length=MAX_SYNONYM_CHARS)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Intent(_Strict):
    """One meaning the bot tells apart, taught by example phrases in each language."""

    name: IntentName = Field(description="Also the name of an intent block's port for it.")
    examples: dict[Language, list[Example]] = Field(
        description="Example phrases per language: {\"uk\": [...], \"en\": [...]}.")
    description: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _bounded(self) -> Intent:
        for language, phrases in self.examples.items():
            if len(phrases) > MAX_EXAMPLES:
                raise ValueError(f"intent '{self.name}' has {len(phrases)} {language} examples; "
                                 f"at most {MAX_EXAMPLES}")
        if not any(self.examples.values()):
            raise ValueError(f"intent '{self.name}' needs at least one example phrase")
        return self


class EntityValue(_Strict):
    value: Annotated[str, StringConstraints(min_length=1, max_length=MAX_SYNONYM_CHARS)]
    synonyms: dict[Language, Annotated[list[Synonym], Field(max_length=MAX_SYNONYMS)]] = Field(
        default_factory=dict, description="Other ways to write it, per language.")


class ListEntity(_Strict):
    """A closed set of values ("city": Kyiv, Lviv), found by the value or a synonym, in
    Ukrainian also inflected ("у Києві")."""

    name: EntityName
    kind: Literal["list"] = "list"
    values: list[EntityValue] = Field(min_length=1, max_length=MAX_ENTITY_VALUES)


class RegexEntity(_Strict):
    """A shape ("order_id": two letters and six digits), as an RE2 regular expression; the value
    is the match, or its only group."""

    name: EntityName
    kind: Literal["regex"]
    pattern: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ENTITY_PATTERN)]

    @model_validator(mode="after")
    def _compiles(self) -> RegexEntity:
        problem = pattern_problem(self.pattern)
        if problem is not None:
            raise ValueError(f"entity '{self.name}': {problem}")
        return self


EntityDefinition = Annotated[ListEntity | RegexEntity, Discriminator("kind")]


class NluData(_Strict):
    """A bot's intents and entities. Intent blocks name the intents they route."""

    intents: list[Intent] = Field(default_factory=list, max_length=MAX_INTENTS)
    entities: list[EntityDefinition] = Field(default_factory=list, max_length=MAX_ENTITIES)
    global_threshold: float = Field(0.7, ge=0.0, le=1.0, description=(
        "The confidence a global intent (entry.intents) needs to interrupt the conversation; "
        "higher than a block's own threshold, since it acts wherever the person is."))

    @model_validator(mode="after")
    def _distinct(self) -> NluData:
        for kind, names in (("intents", [i.name for i in self.intents]),
                            ("entities", [e.name for e in self.entities])):
            repeated = sorted({name for name in names if names.count(name) > 1})
            if repeated:
                raise ValueError(f"{kind} must have distinct names; repeated: "
                                 f"{', '.join(repeated)}")
        builtin = sorted({e.name for e in self.entities} & set(BUILTIN_ENTITIES))
        if builtin:
            raise ValueError(f"{', '.join(builtin)} is a built-in entity; name yours otherwise")
        return self

    def intent(self, name: str) -> Intent | None:
        return next((i for i in self.intents if i.name == name), None)


def training_data(intents: list[Intent]) -> dict[str, Any]:
    """The examples of `intents` as training rows, and their digest: the digest names the
    trained model, so two versions (or blocks) with the same intents share one."""
    examples = [{"text": phrase, "intent": intent.name, "lang": language}
                for intent in intents
                for language, phrases in intent.examples.items() for phrase in phrases]
    digest = hashlib.sha256(orjson.dumps(examples, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return {"model": digest, "examples": examples}


def resolve_entity(reference: str | ListEntity | RegexEntity, data: NluData | None
                   ) -> str | ListEntity | RegexEntity:
    """A built-in entity's name as it is; a name of one of the bot's entities replaced by its
    definition; a definition written in place as it is. Raises ValueError for the author."""
    if not isinstance(reference, str) or reference in BUILTIN_ENTITIES:
        return reference
    for entity in data.entities if data is not None else ():
        if entity.name == reference:
            return entity
    own = ", ".join(e.name for e in data.entities) if data is not None and data.entities \
        else "none"
    raise ValueError(f"the entity '{reference}' is neither built in ({', '.join(BUILTIN_ENTITIES)})"
                     f" nor one of the bot's entities (known: {own})")


def entity_plan(references: list[str | ListEntity | RegexEntity]) -> dict[str, Any]:
    """What the NLU service needs to find these entities: their names, the definitions of
    the bot's own ones and a digest naming the compiled extractor."""
    definitions = [r.model_dump(mode="json") for r in references if not isinstance(r, str)]
    names = [r if isinstance(r, str) else r.name for r in references]
    digest = hashlib.sha256(orjson.dumps(definitions, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return {"entities": names, "definitions": definitions, "extractor": digest}
