"""Rasa NLU training data (YAML, Rasa 2.x/3.x) → the scenario document's `nlu` section
(scenarios/format/nlu.py), so a team moving from Rasa keeps its intents, example phrases,
synonyms, lookup tables and regexes.

What maps to what:

- `- intent: name` + `examples: |` → an intent; the examples' annotations are stripped to the
  plain text ("[checking](account_type)" → "checking"). Rasa names our names refuse
  ("chitchat/ask_name", "ask-weather", "Greet") are mapped deterministically and reported.
- annotated values → a list entity per entity name; a value written otherwise than it is
  stored (`[credit card]{"entity": "account_type", "value": "credit"}`) becomes a synonym.
- `- synonym: value` → synonyms of that value in every entity (annotated or lookup) that has
  it; a synonym no entity has becomes a list entity of its own, with a warning.
- `- lookup: name` → a list entity (merged with the annotated entity of the same name).
- `- regex: name` → a regex entity when RE2 accepts the patterns, otherwise a warning.

Rasa projects are written in one language (config.yml's `language`); importing two projects
with the same intent names gives intents with examples in both languages. Pure functions:
the command line (nlu/cli.py) only reads arguments and prints."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlu import text as nlu_text
from scenarios.format.limits import pattern_problem
from scenarios.format.nlu import (BUILTIN_ENTITIES, LANGUAGE_PATTERN, MAX_ENTITIES,
                                  MAX_ENTITY_PATTERN, MAX_ENTITY_VALUES, MAX_EXAMPLE_CHARS,
                                  MAX_EXAMPLES, MAX_INTENTS, MAX_SYNONYM_CHARS, MAX_SYNONYMS,
                                  NAME_PATTERN, NluData)

DEFAULT_LANGUAGE = "en"
YAML_SUFFIXES = (".yml", ".yaml")
# Rasa's own annotation grammar (rasa/shared/nlu/training_data/entities_parser.py):
# [text](entity), [text](entity:value), [text]{"entity": ..., "value": ...},
# [text][{"entity": ...}, {...}] (several entities on one span).
_ANNOTATION = re.compile(
    r"\[(?P<text>[^\]]+?)\]"
    r"(?:\((?P<entity>[^:)]+?)(?::(?P<value>[^)]+))?\)"
    r"|\{(?P<dict>[^}]+?)\}"
    r"|\[(?P<list>.*?)\])")
_NAME = re.compile(NAME_PATTERN)
# Rasa intents that stand for "none of the bot's intents".
_FALLBACK_INTENTS = frozenset({"out_of_scope", "nlu_fallback"})
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_MAX_NAME = 64
# Duckling dimensions Rasa projects annotate, and the built-in entity that finds the same.
_BUILTIN_EQUIVALENTS = {"amount-of-money": "money", "number": "number", "email": "email",
                        "phone-number": "phone", "url": "url", "time": "date, time",
                        "date": "date", "money": "money", "phone": "phone"}
# Ukrainian letters in Latin (the national transliteration, 2010), for Cyrillic names.
_UK_LATIN = {"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
             "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
             "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
             "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "",
             "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "", "ы": "y", "э": "e", "ё": "io",
             "ъ": ""}


class RasaImportError(ValueError):
    """The input cannot be imported at all (no such path, not YAML, no NLU data, a bad
    language); the message is for the person running the import."""


@dataclass(frozen=True, slots=True)
class RasaImport:
    """`data`: a dict that validates as `NluData`. `renamed`: Rasa intent name → ours, for
    the names that had to change; `renamed_entities` the same for entities."""
    data: dict[str, Any]
    warnings: list[str]
    renamed: dict[str, str]
    renamed_entities: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        return {"intents": len(self.data["intents"]),
                "examples": sum(len(phrases) for intent in self.data["intents"]
                                for phrases in intent["examples"].values()),
                "entities": len(self.data["entities"]), "warnings": len(self.warnings)}


# -- reading ------------------------------------------------------------------------------------

def read_rasa(paths: Sequence[str | Path], language: str | None = None) -> RasaImport:
    """Reads Rasa YAML NLU files, or Rasa project folders (every data/**/*.yml with an `nlu:`
    key; the folder's config.yml gives the default language). `language` overrides every
    file's language. Raises RasaImportError when nothing can be imported."""
    if language is not None and not _LANGUAGE.match(language):
        raise RasaImportError(f"--language {language!r} is not a language code like "
                              "'uk', 'en' or 'pt-BR'")
    if not paths:
        raise RasaImportError("no path given")
    builder = _Builder()
    files: list[str] = []
    for raw in paths:
        path = Path(raw)
        for file, file_language in _nlu_files(path, language, builder.warnings):
            document = _load_yaml(file)
            if not isinstance(document, dict) or "nlu" not in document:
                builder.warnings.append(f"{file}: no 'nlu:' section; skipped")
                continue
            files.append(str(file))
            builder.add_document(document["nlu"], str(file), file_language)
    if not files:
        raise RasaImportError("no Rasa NLU data (a YAML file with an 'nlu:' key) in "
                              + ", ".join(str(p) for p in paths))
    data, renamed, renamed_entities = builder.build()
    try:
        NluData.model_validate(data)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise RasaImportError(f"the converted data does not validate: {error}") from error
    return RasaImport(data, builder.warnings, renamed, renamed_entities, files)


def read_rasa_texts(files: Sequence[tuple[str, str]], language: str) -> RasaImport:
    """The same from files' contents (name, text), as the API receives them: one language for
    all of them. YAML anchors and aliases are refused (an alias bomb would expand into
    gigabytes); raises RasaImportError."""
    if not _LANGUAGE.match(language):
        raise RasaImportError(f"language {language!r} is not a language code like 'uk', 'en' "
                              "or 'pt-BR'")
    builder = _Builder()
    names: list[str] = []
    for name, text in files:
        document = _parse_yaml(text, name)
        if not isinstance(document, dict) or "nlu" not in document:
            builder.warnings.append(f"{name}: no 'nlu:' section; skipped")
            continue
        names.append(name)
        builder.add_document(document["nlu"], name, language)
    if not names:
        raise RasaImportError("no Rasa NLU data (a YAML document with an 'nlu:' key) in "
                              + (", ".join(name for name, _ in files) or "nothing"))
    data, renamed, renamed_entities = builder.build()
    try:
        NluData.model_validate(data)
    except ValueError as error:
        raise RasaImportError(f"the converted data does not validate: {error}") from error
    return RasaImport(data, builder.warnings, renamed, renamed_entities, names)


def _parse_yaml(text: str, name: str) -> Any:
    import yaml

    class _NoAliases(yaml.SafeLoader):  # the Python loader: the C one cannot be overridden
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.events.AliasEvent):
                raise yaml.YAMLError("YAML aliases (*name) are not accepted here")
            return super().compose_node(parent, index)

    try:
        return yaml.load(text, Loader=_NoAliases)  # noqa: S506 (a safe loader, aliases refused)
    except yaml.YAMLError as error:
        raise RasaImportError(f"{name}: not valid YAML: {error}") from error


def _nlu_files(path: Path, language: str | None, warnings: list[str]
               ) -> Iterable[tuple[Path, str]]:
    if not path.exists():
        raise RasaImportError(f"no such file or folder: {path}")
    if path.is_file():
        if path.suffix.lower() == ".md":
            raise RasaImportError(f"{path}: Rasa's Markdown format is not read; convert it "
                                  "first with `rasa data convert nlu -f yaml`")
        yield path, language or _project_language(path.parent, warnings, ancestors=3)
        return
    root = path / "data" if (path / "data").is_dir() else path
    default = language or _project_language(path, warnings, ancestors=0)
    candidates = sorted(p for p in root.rglob("*") if p.suffix.lower() in YAML_SUFFIXES
                        and p.is_file())
    for file in candidates:
        if _has_nlu_key(file):
            yield file, default


def _has_nlu_key(file: Path) -> bool:
    """A cheap look before parsing: stories, rules and domain files are skipped unread."""
    try:
        with file.open(encoding="utf-8") as lines:
            return any(line.startswith("nlu:") for line in lines)
    except (OSError, UnicodeDecodeError):
        return False


def _project_language(folder: Path, warnings: list[str], *, ancestors: int) -> str:
    """config.yml's `language` in `folder` (or up to `ancestors` folders above it)."""
    for candidate in [folder, *list(folder.resolve().parents)[:ancestors]]:
        config = candidate / "config.yml"
        if not config.is_file():
            continue
        document = _load_yaml(config)
        value = document.get("language") if isinstance(document, dict) else None
        if value is None:
            break
        value = str(value).strip()
        if not _LANGUAGE.match(value):
            raise RasaImportError(f"{config}: language {value!r} is not a language code like "
                                  "'uk' or 'en'; give one with --language")
        return value
    warnings.append(f"no language in a config.yml for {folder}: examples are taken as "
                    f"'{DEFAULT_LANGUAGE}' (give --language to choose)")
    return DEFAULT_LANGUAGE


def _load_yaml(file: Path) -> Any:
    import yaml

    try:
        with file.open(encoding="utf-8") as stream:
            return yaml.safe_load(stream)
    except (OSError, UnicodeDecodeError) as error:
        raise RasaImportError(f"{file}: cannot be read: {error}") from error
    except yaml.YAMLError as error:
        raise RasaImportError(f"{file}: not valid YAML: {error}") from error


# -- annotations ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Annotation:
    entity: str
    text: str            # as written in the example
    value: str           # as stored (equals `text` unless the annotation says otherwise)
    role: str | None = None
    group: str | None = None


def parse_example(example: str) -> tuple[str, list[Annotation]]:
    """The plain text of an annotated Rasa example, and its entity annotations."""
    annotations: list[Annotation] = []

    def replace(match: re.Match[str]) -> str:
        text = match.group("text")
        if match.group("entity"):
            entity = match.group("entity").strip()
            value = match.group("value")
            annotations.append(Annotation(entity, text, value.strip() if value else text))
        else:
            raw = match.group("dict")
            items = _json_objects("{" + raw + "}" if raw is not None
                                  else "[" + match.group("list") + "]")
            for item in items:
                entity = item.get("entity")
                if not isinstance(entity, str) or not entity.strip():
                    continue
                value = item.get("value", text)
                annotations.append(Annotation(
                    entity.strip(), text, str(value) if value is not None else text,
                    _optional_str(item.get("role")), _optional_str(item.get("group"))))
        return text

    plain = _ANNOTATION.sub(replace, example)
    return " ".join(plain.split()), annotations


def _json_objects(source: str) -> list[dict[str, Any]]:
    try:
        value = json.loads(source)
    except json.JSONDecodeError:
        return []
    values = value if isinstance(value, list) else [value]
    return [item for item in values if isinstance(item, dict)]


def _optional_str(value: Any) -> str | None:
    return str(value) if value is not None else None


def _example_lines(examples: Any) -> list[str]:
    """Rasa 2/3 write examples as a block of "- text" lines; Rasa 3 also allows a list of
    `{text: ..., metadata: ...}` items."""
    if isinstance(examples, str):
        lines = []
        for line in examples.splitlines():
            line = line.strip()
            if line.startswith("- "):
                line = line[2:]
            elif line == "-":
                continue
            if line.strip():
                lines.append(line.strip())
        return lines
    if isinstance(examples, list):
        lines = []
        for item in examples:
            text = item.get("text") if isinstance(item, dict) else item
            if isinstance(text, str):
                lines.extend(_example_lines(text) if "\n" in text.strip() else [text.strip()])
        return [line for line in lines if line]
    return []


# -- names ------------------------------------------------------------------------------------

def valid_name(name: str, *, prefix: str = "intent") -> str:
    """A name our format accepts: lowercase, Ukrainian letters in Latin, other accents
    dropped, every run of other characters → "_", a letter first, at most 64 characters.
    Deterministic; `assign_names` resolves collisions."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = "".join(_UK_LATIN.get(char, char) for char in text)
    text = "".join(char for char in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(char))
    text = re.sub(r"[^a-z0-9_]+", "_", text).strip("_")
    if not text or not text[0].isalpha():
        text = f"{prefix}_{text}" if text else prefix
    return text[:_MAX_NAME]


def assign_names(names: Iterable[str], *, prefix: str, reserved: Iterable[str] = ()
                 ) -> dict[str, str]:
    """Rasa name → our name for every name, distinct. Names already valid keep theirs;
    the others are mapped in sorted order, a collision getting "_2", "_3"... (so the result
    does not depend on the order the files were read in)."""
    names = list(dict.fromkeys(names))
    blocked = set(reserved)
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if _NAME.match(name) and name not in blocked:
            result[name] = name
            taken.add(name)
    for name in sorted(n for n in names if n not in result):
        base = valid_name(name, prefix=prefix)
        if base in blocked:
            base = f"{base}_{prefix}"
        candidate, k = base, 1
        while candidate in taken or candidate in blocked:
            k += 1
            suffix = f"_{k}"
            candidate = base[:_MAX_NAME - len(suffix)] + suffix
        result[name] = candidate
        taken.add(candidate)
    return result


# -- building ---------------------------------------------------------------------------------

@dataclass
class _Value:
    value: str
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # language → synonyms

    def add_synonym(self, language: str, synonym: str) -> None:
        synonym = " ".join(synonym.split())
        if not synonym or _key(synonym) == _key(self.value):
            return
        known = self.synonyms.setdefault(language, [])
        if all(_key(s) != _key(synonym) for s in known):
            known.append(synonym)


@dataclass
class _ListEntity:
    values: dict[str, _Value] = field(default_factory=dict)  # key(value) → value

    def add(self, value: str) -> _Value:
        value = " ".join(value.split())
        return self.values.setdefault(_key(value), _Value(value))


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


class _Builder:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        # Rasa intent → language → examples (first seen order)
        self.intents: dict[str, dict[str, list[str]]] = {}
        self.entities: dict[str, _ListEntity] = {}       # annotated + lookup, by Rasa name
        self.synonyms: list[tuple[str, list[str], str, str]] = []  # value, synonyms, lang, where
        self.regexes: dict[str, list[tuple[str, str]]] = {}  # name → (pattern, where)
        self.retrieval: list[str] = []
        self.duplicates_within = 0
        self.roles: set[str] = set()
        self.too_long: list[str] = []

    # - reading items -

    def add_document(self, items: Any, where: str, language: str) -> None:
        if not isinstance(items, list):
            self.warnings.append(f"{where}: 'nlu:' is not a list of items; skipped")
            return
        for index, item in enumerate(items):
            place = f"{where}: item {index + 1}"
            if not isinstance(item, dict):
                self.warnings.append(f"{place}: not a mapping; skipped")
                continue
            if "intent" in item:
                self._intent(item, place, language)
            elif "synonym" in item:
                value = str(item["synonym"]).strip()
                synonyms = _example_lines(item.get("examples"))
                if value and synonyms:
                    self.synonyms.append((value, synonyms, language, place))
                else:
                    self.warnings.append(f"{place}: synonym {value!r} without examples; "
                                         "skipped")
            elif "lookup" in item:
                name = str(item["lookup"]).strip()
                values = _example_lines(item.get("examples"))
                if not name or not values:
                    self.warnings.append(f"{place}: lookup {name!r} without examples; skipped")
                    continue
                entity = self.entities.setdefault(name, _ListEntity())
                for value in values:
                    entity.add(value)
            elif "regex" in item:
                name = str(item["regex"]).strip()
                patterns = _example_lines(item.get("examples"))
                if not name or not patterns:
                    self.warnings.append(f"{place}: regex {name!r} without examples; skipped")
                    continue
                self.regexes.setdefault(name, []).extend((p, place) for p in patterns)
            else:
                keys = ", ".join(sorted(str(k) for k in item)) or "nothing"
                self.warnings.append(f"{place}: unknown item ({keys}); skipped")

    def _intent(self, item: dict[str, Any], place: str, language: str) -> None:
        name = str(item.get("intent") or "").strip()
        if not name:
            self.warnings.append(f"{place}: intent without a name; skipped")
            return
        if "/" in name and name not in self.retrieval:
            self.retrieval.append(name)
        examples = self.intents.setdefault(name, {}).setdefault(language, [])
        lines = _example_lines(item.get("examples"))
        if not lines:
            self.warnings.append(f"{place}: intent {name!r} has no examples")
        seen = {_key(e) for e in examples}
        for line in lines:
            plain, annotations = parse_example(line)
            for annotation in annotations:
                entity = self.entities.setdefault(annotation.entity, _ListEntity())
                value = entity.add(annotation.value)
                value.add_synonym(language, annotation.text)
                if annotation.role or annotation.group:
                    self.roles.add(annotation.entity)
            if not plain:
                continue
            if len(plain) > MAX_EXAMPLE_CHARS:
                self.too_long.append(f"{name}: {plain[:40]}…")
                continue
            if _key(plain) in seen:
                self.duplicates_within += 1
                continue
            seen.add(_key(plain))
            examples.append(plain)

    # - the result -

    def build(self) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
        self._apply_synonyms()
        intent_names = assign_names(self.intents, prefix="intent")
        entity_names = assign_names([*self.entities, *self.regexes], prefix="entity",
                                    reserved=BUILTIN_ENTITIES)
        renamed = {old: new for old, new in intent_names.items() if old != new}
        renamed_entities = {old: new for old, new in entity_names.items() if old != new}

        intents = self._intents(intent_names)
        entities = self._list_entities(entity_names) + self._regex_entities(entity_names)
        self._limits(intents, entities)
        self._report(intents, renamed, renamed_entities)
        return {"intents": intents, "entities": entities}, renamed, renamed_entities

    def _apply_synonyms(self) -> None:
        """A Rasa synonym maps any extracted text to a value, whatever the entity (Rasa's
        EntitySynonymMapper, case-insensitive): here it is attached to every entity that has
        the value, or one of its synonyms as a value (which is then folded into it)."""
        for value, synonyms, language, place in self.synonyms:
            owners = [entity for entity in self.entities.values()
                      if _key(value) in entity.values
                      or any(_key(s) in entity.values for s in synonyms)]
            if not owners:
                name = value
                self.warnings.append(
                    f"{place}: synonym {value!r} belongs to no annotated entity or lookup "
                    f"table; imported as a list entity of its own (merge it into the right "
                    "entity)")
                owners = [self.entities.setdefault(name, _ListEntity())]
            for entity in owners:
                target = entity.add(value)
                for synonym in synonyms:
                    folded = entity.values.get(_key(synonym))
                    if folded is not None and folded is not target:
                        for lang, words in folded.synonyms.items():
                            for word in words:
                                target.add_synonym(lang, word)
                        del entity.values[_key(synonym)]
                    target.add_synonym(language, synonym)

    def _intents(self, names: dict[str, str]) -> list[dict[str, Any]]:
        intents = []
        for rasa_name, per_language in self.intents.items():
            examples = {lang: phrases for lang, phrases in per_language.items() if phrases}
            if not examples:
                self.warnings.append(f"intent {rasa_name!r} has no usable example; skipped")
                continue
            intent: dict[str, Any] = {"name": names[rasa_name], "examples": examples}
            if names[rasa_name] != rasa_name:
                intent["description"] = f"Rasa intent {rasa_name}"[:500]
            intents.append(intent)
        return intents

    def _list_entities(self, names: dict[str, str]) -> list[dict[str, Any]]:
        entities = []
        for rasa_name, entity in self.entities.items():
            values = []
            for value in entity.values.values():
                if len(value.value) > MAX_SYNONYM_CHARS:
                    self.warnings.append(f"entity {rasa_name!r}: value {value.value[:40]!r}… "
                                         f"is longer than {MAX_SYNONYM_CHARS} characters; "
                                         "skipped")
                    continue
                synonyms = {}
                for lang, words in value.synonyms.items():
                    kept = [w for w in words if len(w) <= MAX_SYNONYM_CHARS]
                    if len(kept) > MAX_SYNONYMS:
                        self.warnings.append(
                            f"entity {rasa_name!r}: value {value.value!r} has {len(kept)} "
                            f"{lang} synonyms; the first {MAX_SYNONYMS} are kept")
                        kept = kept[:MAX_SYNONYMS]
                    if kept:
                        synonyms[lang] = kept
                values.append({"value": value.value, "synonyms": synonyms})
            if len(values) > MAX_ENTITY_VALUES:
                self.warnings.append(f"entity {rasa_name!r} has {len(values)} values; the "
                                     f"first {MAX_ENTITY_VALUES} are kept")
                values = values[:MAX_ENTITY_VALUES]
            if values:
                entities.append({"name": names[rasa_name], "kind": "list", "values": values})
        return entities

    def _regex_entities(self, names: dict[str, str]) -> list[dict[str, Any]]:
        entities = []
        for rasa_name, patterns in self.regexes.items():
            kept = []
            for pattern, place in patterns:
                problem = pattern_problem(pattern)
                if problem is None:
                    kept.append(pattern)
                else:
                    self.warnings.append(f"{place}: regex {rasa_name!r} pattern {pattern!r} "
                                         f"is not accepted by RE2 ({problem}); skipped")
            if not kept:
                continue
            combined = kept[0] if len(kept) == 1 else "|".join(f"(?:{p})" for p in kept)
            if len(combined) > MAX_ENTITY_PATTERN or pattern_problem(combined) is not None:
                self.warnings.append(f"regex {rasa_name!r}: its {len(kept)} patterns together "
                                     f"exceed {MAX_ENTITY_PATTERN} characters; only the first "
                                     "is kept")
                combined = kept[0]
                if len(combined) > MAX_ENTITY_PATTERN:
                    continue
            if rasa_name in self.entities:
                # Rasa uses a regex as a feature of the annotated entity of the same name; here
                # both kinds cannot share a name, so the pattern is an entity of its own.
                name = _distinct(f"{names[rasa_name]}_pattern", set(names.values()))
                self.warnings.append(f"regex {rasa_name!r} has the name of a list entity; "
                                     f"imported as the regex entity {name!r}")
            else:
                name = names[rasa_name]
            entities.append({"name": name, "kind": "regex", "pattern": combined})
        return entities

    def _limits(self, intents: list[dict[str, Any]], entities: list[dict[str, Any]]) -> None:
        for intent in intents:
            for lang, phrases in intent["examples"].items():
                if len(phrases) > MAX_EXAMPLES:
                    self.warnings.append(f"intent {intent['name']!r} has {len(phrases)} {lang} "
                                         f"examples; the first {MAX_EXAMPLES} are kept")
                    del phrases[MAX_EXAMPLES:]
        if len(intents) > MAX_INTENTS:
            dropped = [i["name"] for i in intents[MAX_INTENTS:]]
            self.warnings.append(f"{len(intents)} intents; a bot has at most {MAX_INTENTS}: "
                                 f"left out {', '.join(dropped)}")
            del intents[MAX_INTENTS:]
        if len(entities) > MAX_ENTITIES:
            dropped = [e["name"] for e in entities[MAX_ENTITIES:]]
            self.warnings.append(f"{len(entities)} entities; a bot has at most {MAX_ENTITIES}: "
                                 f"left out {', '.join(dropped)}")
            del entities[MAX_ENTITIES:]

    def _report(self, intents: list[dict[str, Any]], renamed: dict[str, str],
                renamed_entities: dict[str, str]) -> None:
        warnings = self.warnings
        # Renamings are reported by the caller from `renamed` / `renamed_entities`.
        if self.retrieval:
            warnings.append("retrieval intents (" + ", ".join(
                f"{name} → {renamed.get(name, name)}" for name in self.retrieval) + ") are "
                "imported as plain intents; their responses (responses: in domain.yml or the "
                "data) are not imported")
        for name in sorted(set(self.entities) | set(self.regexes)):
            hint = _BUILTIN_EQUIVALENTS.get(name.lower())
            if hint:
                now = renamed_entities.get(name)
                warnings.append(f"entity {name!r}" + (f" (imported as {now!r})" if now else "")
                                + f": the built-in entity {hint} may find these without "
                                "declaring them")
        if self.roles:
            warnings.append("entity roles and groups are not imported (entities "
                            + ", ".join(sorted(self.roles)) + ")")
        for name in sorted(set(self.intents) & _FALLBACK_INTENTS):
            warnings.append(f"intent {name!r} is imported as an ordinary intent; in Rozmova a "
                            "message no intent takes leaves an intent block through its "
                            "fallback port, so it may not be needed")
        if self.duplicates_within:
            warnings.append(f"{self.duplicates_within} repeated example(s) within an intent "
                            "dropped (the same words ignoring case and spacing)")
        if self.too_long:
            warnings.append(f"{len(self.too_long)} example(s) longer than {MAX_EXAMPLE_CHARS} "
                            "characters skipped: " + "; ".join(self.too_long[:5]))
        single = [i["name"] for i in intents
                  if sum(len(p) for p in i["examples"].values()) == 1]
        if single:
            warnings.append("one example only (add a few more ways to say it): "
                            + ", ".join(single))
        owners: dict[tuple[str, str], set[str]] = {}
        for intent in intents:
            for lang, phrases in intent["examples"].items():
                for phrase in phrases:
                    words = " ".join(nlu_text.tokens(nlu_text.normalise(phrase)))
                    owners.setdefault((lang, words), set()).add(intent["name"])
        clashes = sorted((words, sorted(names)) for (_, words), names in owners.items()
                         if len(names) > 1)
        if clashes:
            sample = "; ".join(f'"{words}" ({", ".join(names)})' for words, names in clashes[:5])
            warnings.append(f"{len(clashes)} example(s) belong to more than one intent: "
                            f"{sample}")


def _distinct(name: str, taken: set[str]) -> str:
    candidate, k = name[:_MAX_NAME], 1
    while candidate in taken:
        k += 1
        candidate = f"{name[:_MAX_NAME - len(str(k)) - 1]}_{k}"
    return candidate


# -- merging into a scenario's section ------------------------------------------------------------

@dataclass(slots=True)
class MergeReport:
    """What `merge_nlu` changed; `limits`: the limits the merged section would break (then it
    must not be saved). The builder's import reports the same (builder-ui nlu.ts mergeNlu)."""
    added_intents: list[str] = field(default_factory=list)
    extended_intents: list[str] = field(default_factory=list)
    added_examples: int = 0
    added_entities: list[str] = field(default_factory=list)
    replaced_entities: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)


def merge_nlu(section: Any, imported: Any) -> tuple[dict[str, Any], MergeReport]:
    """The section with an imported one merged in: an intent of the same name gets the phrases
    it lacks in each language (the union, its own first), others are added; an entity of the
    same name is replaced, others added; the rest of the section (the threshold) is kept.
    Neither argument is changed."""
    base = section if isinstance(section, dict) else {}
    incoming = imported if isinstance(imported, dict) else {}
    intents = [dict(i) if isinstance(i, dict) else i for i in _list(base.get("intents"))]
    entities = list(_list(base.get("entities")))
    report = MergeReport()
    for raw in _list(incoming.get("intents")):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            continue
        examples = _by_language(raw.get("examples"))
        at = next((k for k, i in enumerate(intents)
                   if isinstance(i, dict) and i.get("name") == raw["name"]), None)
        if at is None:
            intents.append({**raw, "examples": examples})
            report.added_intents.append(raw["name"])
            report.added_examples += sum(len(phrases) for phrases in examples.values())
            continue
        current = intents[at]
        merged = _by_language(current.get("examples"))
        added = 0
        for language, phrases in examples.items():
            known = merged.setdefault(language, [])
            for phrase in phrases:
                if phrase not in known:
                    known.append(phrase)
                    added += 1
            if not known:
                del merged[language]
        if added:
            report.extended_intents.append(raw["name"])
            report.added_examples += added
        intents[at] = {**current, "examples": merged}
        if "description" not in current and isinstance(raw.get("description"), str):
            intents[at]["description"] = raw["description"]
    for raw in _list(incoming.get("entities")):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            continue
        at = next((k for k, e in enumerate(entities)
                   if isinstance(e, dict) and e.get("name") == raw["name"]), None)
        if at is None:
            entities.append(raw)
            report.added_entities.append(raw["name"])
        else:
            entities[at] = raw
            report.replaced_entities.append(raw["name"])
    if len(intents) > MAX_INTENTS:
        report.limits.append(f"intents: {len(intents)} > {MAX_INTENTS}")
    if len(entities) > MAX_ENTITIES:
        report.limits.append(f"entities: {len(entities)} > {MAX_ENTITIES}")
    for intent in intents:
        if isinstance(intent, dict):
            for language, phrases in _by_language(intent.get("examples")).items():
                if len(phrases) > MAX_EXAMPLES:
                    report.limits.append(f"{intent.get('name')} ({language}): "
                                         f"{len(phrases)} > {MAX_EXAMPLES}")
    return {**base, "intents": intents, "entities": entities}, report


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _by_language(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        return {}
    return {str(language): [p for p in _list(phrases) if isinstance(p, str)]
            for language, phrases in value.items()}
