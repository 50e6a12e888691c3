"""Validation of a submitted scenario document: format upgrade, schema, per-type settings, graph,
variable and translation checks, and the limits of what authors' expressions and regular
expressions may compute (`limits`), reported as issues with JSON pointers into the submission.
Never raises on bad input; callers decide what to do with the report."""

from __future__ import annotations

import difflib
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

import scenarios.format.blocks  # noqa: F401  (registers the built-in block types)
from scenarios.format import limits
from scenarios.format.blocks import (
    Comparison,
    InputSettings,
    MessageSettings,
    SetVariableSettings,
)
from scenarios.format.expression_check import (
    Static,
    check_expression,
    shown_value,
    storable,
)
from scenarios.format.migrations import FormatVersionError, upgrade
from scenarios.format.models import (
    CURRENT_SCHEMA_VERSION,
    EXPRESSION,
    LANGUAGE,
    TEMPLATE,
    ScenarioDocument,
    ValueOperand,
    json_pointer,
)
from scenarios.format.registry import (
    BlockRegistry,
    _marked,
    block_registry,
    text_fields,
    variable_reads,
    variable_writes,
)
from scenarios.format.templates import SYSTEM_VARIABLES, TEMPLATE_RE, template_references
from scenarios.format.values import match_language

Severity = Literal["error", "warning"]


class Issue(BaseModel):
    code: str
    message: str
    path: str
    severity: Severity
    block_id: str | None = None


class ValidationReport(BaseModel):
    valid: bool
    errors: list[Issue]
    warnings: list[Issue]
    document: ScenarioDocument | None = None
    # Set when the submission was in an older format: the document above is the upgraded one.
    upgraded_from: int | None = None


# Pydantic error types folded into a few stable codes, so clients do not depend on its wording.
_ERROR_KINDS: dict[str, str] = {
    "missing": "missing",
    "extra_forbidden": "unknown_field",
    "string_pattern_mismatch": "pattern",
    "literal_error": "choice",
    "enum": "choice",
    "too_long": "length",
    "too_short": "length",
    "string_too_long": "length",
    "string_too_short": "length",
    "greater_than": "range",
    "greater_than_equal": "range",
    "less_than": "range",
    "less_than_equal": "range",
    "value_error": "value",
    "assertion_error": "value",
    "union_tag_invalid": "type",
    "union_tag_not_found": "type",
}


def _error_kind(pydantic_type: str) -> str:
    if pydantic_type in _ERROR_KINDS:
        return _ERROR_KINDS[pydantic_type]
    if pydantic_type.endswith(("_type", "_parsing")) or pydantic_type in (
            "finite_number", "int_from_float", "bool_parsing"):
        return "type"
    return "invalid"


def _loc_to_parts(data: Any, loc: Sequence[str | int]) -> list[str | int]:
    """Pydantic locations hold union tags and validator names; keep only the segments that
    walk the submitted data (plus a final missing or unknown key), so pointers match it."""
    parts: list[str | int] = []
    current = data
    for position, segment in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(current, dict) and isinstance(segment, str):
            if segment in current:
                parts.append(segment)
                current = current[segment]
            elif last:
                parts.append(segment)
        elif (isinstance(current, list) and isinstance(segment, int)
              and not isinstance(segment, bool) and 0 <= segment < len(current)):
            parts.append(segment)
            current = current[segment]
    return parts


def _clean_message(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix):]
    message = message.strip()
    return message[:1].upper() + message[1:] if message else "Invalid value"


def _label(block: dict[str, Any] | Any) -> str:
    if not isinstance(block, dict):
        return "block"
    text = f"block '{block.get('id')}'"
    if isinstance(block.get("name"), str) and block["name"]:
        text += f" ({block['name']})"
    return text


def _capital(text: str) -> str:
    # Not str.capitalize: that would lowercase the block id and name that follow.
    return text[:1].upper() + text[1:]


class _Collector:
    def __init__(self) -> None:
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []

    def add(self, severity: Severity, code: str, message: str, path: str,
            block_id: str | None = None) -> None:
        issue = Issue(code=code, message=message, path=path, severity=severity,
                      block_id=block_id)
        (self.errors if severity == "error" else self.warnings).append(issue)

    def error(self, code: str, message: str, path: str, block_id: str | None = None) -> None:
        self.add("error", code, message, path, block_id)

    def warning(self, code: str, message: str, path: str, block_id: str | None = None) -> None:
        self.add("warning", code, message, path, block_id)

    def pydantic(self, exc: ValidationError, data: Any, prefix: str, base: tuple[str | int, ...],
                 subject: str, block_id: str | None = None) -> None:
        for error in exc.errors(include_url=False, include_input=False):
            parts = _loc_to_parts(data, error["loc"])
            kind = _error_kind(error["type"])
            place = "/".join(str(p) for p in parts)
            if kind == "missing" and parts:
                text = f"{subject}: '{place}' is required."
            elif kind == "unknown_field" and parts:
                text = (f"{subject}: '{place}' is not a known field; remove it or check its "
                        "spelling.")
            elif place:
                text = f"{subject}, '{place}': {_clean_message(error['msg'])}."
            else:
                text = f"{subject}: {_clean_message(error['msg'])}."
            self.error(f"{prefix}.{kind}", text, json_pointer(*base, *parts), block_id)

    def report(self, document: ScenarioDocument | None = None,
               upgraded_from: int | None = None) -> ValidationReport:
        return ValidationReport(valid=not self.errors, errors=self.errors,
                                warnings=self.warnings, document=document,
                                upgraded_from=upgraded_from)


def validate_document(data: Any, languages: Sequence[str], default_language: str,
                      registry: BlockRegistry = block_registry, *,
                      scenarios: Mapping[str, bool] | None = None,
                      name: str | None = None) -> ValidationReport:
    """Check a submitted document (raw JSON) for a bot with these languages. `scenarios`
    names the bot's scenarios a jump may call, each with whether it has a live version
    (None: not known here, so jumps to other scenarios are not checked)."""
    out = _Collector()
    if not isinstance(data, dict):
        out.error("schema.type", "The scenario must be a JSON object.", "")
        return out.report()
    if "schema_version" not in data:
        out.error("schema.missing_version",
                  f"The document has no schema_version; set it to {CURRENT_SCHEMA_VERSION}.",
                  "/schema_version")
        return out.report()
    version = data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int):
        out.error("schema.type", "schema_version must be an integer.", "/schema_version")
        return out.report()

    upgraded_from: int | None = None
    if version != CURRENT_SCHEMA_VERSION:
        try:
            data, passed = upgrade(data, default_language=default_language)
        except FormatVersionError as exc:
            out.error("schema.unsupported_version", f"The document cannot be used: {exc}.",
                      "/schema_version")
            return out.report()
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            out.error("schema.migration_failed",
                      f"The document could not be upgraded from format {version}: {exc}.",
                      "/schema_version")
            return out.report()
        upgraded_from = passed[0] if passed else None
        out.warning("schema.upgraded",
                    f"The document was upgraded from format {version} to "
                    f"{CURRENT_SCHEMA_VERSION}; paths refer to the upgraded document. Save it "
                    "to store the new format.", "/schema_version")

    try:
        document = ScenarioDocument.model_validate(data)
    except ValidationError as exc:
        out.pydantic(exc, data, "schema", (), "The document")
        return out.report(upgraded_from=upgraded_from)

    languages = list(dict.fromkeys([default_language, *languages]))
    _check_document(document, data, languages, default_language, registry, scenarios, out,
                    name)
    return out.report(document, upgraded_from)


def _check_document(document: ScenarioDocument, raw: dict[str, Any], languages: list[str],
                    default_language: str, registry: BlockRegistry,
                    scenarios: Mapping[str, bool] | None, out: _Collector,
                    name: str | None = None) -> None:
    raw_blocks: list[Any] = raw.get("blocks") or []
    index_of: dict[str, int] = {}
    settings_of: dict[str, BaseModel] = {}
    ports_of: dict[str, tuple[str, ...]] = {}
    waits_of: dict[str, bool] = {}
    known = ", ".join(registry.names()) or "none"

    for n, block in enumerate(document.blocks):
        label = _label(raw_blocks[n])
        if block.id in index_of:
            out.error("block.duplicate_id",
                      f"Block id '{block.id}' is used by blocks {index_of[block.id]} and {n}; "
                      "block ids must be unique.", json_pointer("blocks", n, "id"), block.id)
            continue
        index_of[block.id] = n
        block_type = registry.get(block.type)
        if block_type is None:
            out.error("block.unknown_type",
                      f"The type '{block.type}' of {label} is not a known block type "
                      f"(known: {known}).", json_pointer("blocks", n, "type"), block.id)
            continue
        try:
            settings = block_type.parse_settings(block.settings)
        except ValidationError as exc:
            raw_settings = raw_blocks[n].get("settings", {})
            out.pydantic(exc, raw_settings, "settings", ("blocks", n, "settings"),
                         f"The settings of {label}", block.id)
            continue
        if block_type.resolve is not None:
            try:
                settings = block_type.resolve(settings, document)
            except ValueError as exc:
                out.error("block.settings", f"The settings of {label}: {exc}",
                          json_pointer("blocks", n, "settings"), block.id)
                continue
        for check in registry.checks(block_type):
            for path, message in check(settings):
                out.error("block.settings", f"The settings of {label}: {message}",
                          json_pointer("blocks", n, "settings", *path), block.id)
        settings_of[block.id] = settings
        ports_of[block.id] = block_type.output_ports(settings)
        waits_of[block.id] = block_type.waits(settings)

    def block_label(block_id: str) -> str:
        return _label(raw_blocks[index_of[block_id]])

    seen_names: dict[str, int] = {}
    for n, variable in enumerate(document.variables):
        pointer = json_pointer("variables", n, "name")
        if variable.name in seen_names:
            out.error("variable.duplicate_name",
                      f"Variable '{variable.name}' is declared twice (variables "
                      f"{seen_names[variable.name]} and {n}).", pointer)
            continue
        seen_names[variable.name] = n
        if variable.name in SYSTEM_VARIABLES:
            out.error("variable.reserved_name",
                      f"'{variable.name}' is a system variable and cannot be declared; "
                      "choose another name.", pointer)

    # Edges, then the graph they make together with jumps to blocks.
    successors: dict[str, list[str]] = {block_id: [] for block_id in index_of}
    used_ports: dict[tuple[str, str], int] = {}
    seen_edge_ids: dict[str, int] = {}
    for n, edge in enumerate(document.edges):
        if edge.id is not None:
            if edge.id in seen_edge_ids:
                out.error("edge.duplicate_id",
                          f"Edge id '{edge.id}' is used by edges {seen_edge_ids[edge.id]} and "
                          f"{n}; edge ids must be unique.", json_pointer("edges", n, "id"))
            else:
                seen_edge_ids[edge.id] = n
        source_known = edge.source in index_of
        target_known = edge.target in index_of
        if not source_known:
            out.error("edge.dangling_source",
                      f"Edge {n} starts at block '{edge.source}', which does not exist.",
                      json_pointer("edges", n, "source"))
        if not target_known:
            out.error("edge.dangling_target",
                      f"Edge {n} leads to block '{edge.target}', which does not exist.",
                      json_pointer("edges", n, "target"), edge.source if source_known else None)
        if not source_known:
            continue
        ports = ports_of.get(edge.source)
        if ports is not None and edge.port not in ports:
            listed = ", ".join(f"'{p}'" for p in ports) or "none"
            out.error("edge.unknown_port",
                      f"Edge {n} leaves {block_label(edge.source)} through port '{edge.port}', "
                      f"which it does not have (ports: {listed}).",
                      json_pointer("edges", n, "port"), edge.source)
        key = (edge.source, edge.port)
        if key in used_ports:
            out.error("edge.ambiguous",
                      f"Edges {used_ports[key]} and {n} both leave {block_label(edge.source)} "
                      f"through port '{edge.port}'; keep one.",
                      json_pointer("edges", n, "port"), edge.source)
        else:
            used_ports[key] = n
        if target_known:
            successors[edge.source].append(edge.target)

    for block_id, settings in settings_of.items():
        if document.blocks[index_of[block_id]].type != "jump":
            continue
        _check_jump_scenario(settings, scenarios, block_label(block_id),
                             index_of[block_id], block_id, out)
        target = getattr(settings, "block", None)
        if target is None:
            continue
        if target in index_of:
            successors[block_id].append(target)
        else:
            out.error("jump.unknown_target",
                      f"{_capital(block_label(block_id))} jumps to block '{target}', "
                      "which does not exist.",
                      json_pointer("blocks", index_of[block_id], "settings", "block"), block_id)

    roots = _check_entry(document, index_of, out)
    _check_nlu(document, languages, out)
    _check_reachability(roots, successors, index_of, raw_blocks, out)
    # A jump to this very scenario starts it again from its start block: a loop like any
    # other when nothing on the way waits.
    looping = {block_id: list(targets) for block_id, targets in successors.items()}
    if name is not None and document.entry.start in index_of:
        for block_id, settings in settings_of.items():
            if document.blocks[index_of[block_id]].type == "jump" \
                    and getattr(settings, "scenario", None) == name:
                looping[block_id].append(document.entry.start)
    _check_loops(looping, waits_of, index_of, raw_blocks, out)
    _check_language_choices(document, settings_of, index_of, raw_blocks, languages, out)

    for block_id, settings in settings_of.items():
        n = index_of[block_id]
        if document.blocks[n].type == "condition":
            for port in ports_of[block_id]:
                if (block_id, port) not in used_ports:
                    out.warning("graph.unconnected_port",
                                f"The '{port}' branch of {block_label(block_id)} leads nowhere, "
                                "so the conversation ends there; connect it.",
                                json_pointer("blocks", n), block_id)

    _check_variables(document, settings_of, index_of, raw_blocks, out)
    _check_texts(settings_of, index_of, raw_blocks, languages, default_language, out)
    _check_computation(settings_of, index_of, raw_blocks, out)
    _check_stored_types(document, settings_of, index_of, raw_blocks, out)
    _check_languages(settings_of, index_of, raw_blocks, languages, out)


def _check_jump_scenario(settings: BaseModel, scenarios: Mapping[str, bool] | None,
                         label: str, n: int, block_id: str, out: _Collector) -> None:
    """A jump to another scenario runs whatever version of it is live when the conversation
    gets there: a name the bot does not have always fails, one without a live version fails
    until it is published (which may come after this one, hence a warning)."""
    name = getattr(settings, "scenario", None)
    if scenarios is None or not isinstance(name, str):
        return
    pointer = json_pointer("blocks", n, "settings", "scenario")
    if name not in scenarios:
        close = difflib.get_close_matches(name, list(scenarios), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        out.error("jump.unknown_scenario",
                  f"{_capital(label)} jumps to scenario '{name}', which this bot does not "
                  f"have.{hint}", pointer, block_id)
    elif not scenarios[name]:
        out.warning("jump.unpublished_scenario",
                    f"{_capital(label)} jumps to scenario '{name}', which has no published "
                    "version yet: conversations that reach it get an apology until it is "
                    "published.", pointer, block_id)


def _check_language_choices(document: ScenarioDocument, settings_of: dict[str, BaseModel],
                            index_of: dict[str, int], raw_blocks: list[Any],
                            languages: list[str], out: _Collector) -> None:
    """A set_language that reads a variable filled by buttons or choices: every option must
    select one of the bot's languages, or pressing it fails the block."""
    declared = {v.name: v.type for v in document.variables}
    read: set[str] = set()
    for block_id, settings in settings_of.items():
        name = getattr(settings, "variable", None)
        if document.blocks[index_of[block_id]].type != "set_language" or name is None:
            continue
        read.add(name)
        if declared.get(name, "any") not in ("string", "any"):
            out.error("variable.type_mismatch",
                      f"{_capital(_label(raw_blocks[index_of[block_id]]))} reads the language "
                      f"from '{name}', a {declared[name]} variable, which never holds a "
                      "language code; declare it a string.",
                      json_pointer("blocks", index_of[block_id], "settings", "variable"),
                      block_id)
    if not read:
        return
    for block_id, settings in settings_of.items():
        n = index_of[block_id]
        kind = document.blocks[n].type
        if kind == "message" and settings.store_choice_in in read:  # type: ignore[attr-defined]
            groups = [("buttons", [b for b in settings.buttons if b.url is None]),  # type: ignore[attr-defined]
                      ("quick_replies", settings.quick_replies)]  # type: ignore[attr-defined]
        elif kind == "input" and settings.kind == "choice" \
                and settings.variable in read:  # type: ignore[attr-defined]
            groups = [("choices", settings.choices)]  # type: ignore[attr-defined]
        else:
            continue
        all_options = {"buttons": getattr(settings, "buttons", []),
                       "quick_replies": getattr(settings, "quick_replies", []),
                       "choices": getattr(settings, "choices", [])}
        for field, options in groups:
            for option in options:
                value = option.value if "value" in option.model_fields_set else option.id
                if not isinstance(value, str) or match_language(value, languages) is None:
                    position = all_options[field].index(option)
                    has_value = "value" in option.model_fields_set
                    out.warning("language.unknown_choice",
                                f"{_capital(_label(raw_blocks[n]))}: option '{option.id}' "
                                f"stores {value!r}, which a set_language block reads, but it "
                                f"is not one of the bot's languages ({', '.join(languages)}); "
                                "pressing it would fail that block.",
                                json_pointer("blocks", n, "settings", field, position,
                                             "value" if has_value else "id"), block_id)


def _check_nlu(document: ScenarioDocument, languages: list[str], out: _Collector) -> None:
    """What makes intents hard to tell apart, as warnings that name it: an intent taught by
    one phrase in a language, a phrase taught under two intents, a bot language some intent
    has no phrase in (messages in it are then matched only through shared words)."""
    data = document.nlu
    if data is None or not data.intents:
        return
    owners: dict[str, list[str]] = {}
    for n, intent in enumerate(data.intents):
        for language in languages:
            phrases = intent.examples.get(language, [])
            if not phrases:
                out.warning("nlu.empty_language",
                            f"Intent '{intent.name}' has no example in {language}; messages in "
                            f"{language} reach it only through words shared with other "
                            "languages.", json_pointer("nlu", "intents", n, "examples"))
            elif len(phrases) == 1:
                out.warning("nlu.single_example",
                            f"Intent '{intent.name}' has one {language} example; add a few "
                            "more ways to say it.",
                            json_pointer("nlu", "intents", n, "examples", language))
        for phrases in intent.examples.values():
            for phrase in phrases:
                key = " ".join(phrase.casefold().split()).strip(" .!?")
                names = owners.setdefault(key, [])
                if intent.name not in names:
                    names.append(intent.name)
    for phrase, names in owners.items():
        if len(names) > 1:
            first = next(n for n, i in enumerate(data.intents) if i.name == names[0])
            out.warning("nlu.duplicate_example",
                        f"\"{phrase}\" is an example of {', '.join(names)}: the model cannot "
                        "tell them apart on it; keep it under one.",
                        json_pointer("nlu", "intents", first, "examples"))


def _check_entry(document: ScenarioDocument, index_of: dict[str, int],
                 out: _Collector) -> list[str]:
    roots: list[str] = []
    entries: list[tuple[tuple[str, ...], str, str]] = [
        (("entry", "start"), document.entry.start, "The start block")]
    entries += [(("entry", "commands", name), target, f"Command /{name}")
                for name, target in document.entry.commands.items()]
    entries += [(("entry", "intents", name), target, f"Global intent '{name}'")
                for name, target in document.entry.intents.items()]
    known = {i.name for i in document.nlu.intents} if document.nlu is not None else set()
    for name in document.entry.intents:
        if name not in known:
            out.error("entry.unknown_intent",
                      f"Global intent '{name}' is not one of the bot's intents (its nlu "
                      f"section has {', '.join(sorted(known)) or 'none'}).",
                      json_pointer("entry", "intents", name))
        elif name in document.entry.commands:
            out.error("entry.intent_is_command",
                      f"'{name}' is both a command and a global intent; rename one.",
                      json_pointer("entry", "intents", name))
    entries += [(("entry", "events", event), target, f"The {event} handler")
                for event, target in document.entry.events.model_dump().items()
                if target is not None]
    for parts, target, what in entries:
        if target in index_of:
            roots.append(target)
        else:
            out.error("entry.unknown_block",
                      f"{what} points to block '{target}', which does not exist.",
                      json_pointer(*parts))
    return roots


def _check_reachability(roots: Iterable[str], successors: dict[str, list[str]],
                        index_of: dict[str, int], raw_blocks: list[Any],
                        out: _Collector) -> None:
    reached = set(roots)
    queue = deque(reached)
    while queue:
        for target in successors[queue.popleft()]:
            if target not in reached:
                reached.add(target)
                queue.append(target)
    for block_id, n in index_of.items():
        if block_id not in reached:
            out.warning("graph.unreachable",
                        f"{_capital(_label(raw_blocks[n]))} cannot be reached from the start, "
                        "a command or an event handler; connect it or delete it.",
                        json_pointer("blocks", n), block_id)


def strongly_connected_components(successors: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion (documents hold up to 2,000 blocks)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in successors:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors[root]))]
        while work:
            node, children = work[-1]
            descended = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors[child])))
                    descended = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if descended:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def _check_loops(successors: dict[str, list[str]], waits_of: dict[str, bool],
                 index_of: dict[str, int], raw_blocks: list[Any], out: _Collector) -> None:
    # A loop is harmless if any block on it waits; so look for cycles among the blocks that do
    # not wait. Blocks whose settings are broken count as waiting to avoid piling up errors.
    busy = {b for b in successors if not waits_of.get(b, True)}
    graph = {b: [t for t in successors[b] if t in busy] for b in busy}
    for component in strongly_connected_components(graph):
        if len(component) == 1 and component[0] not in graph[component[0]]:
            continue
        members = sorted(component, key=index_of.__getitem__)
        names = ", ".join(_label(raw_blocks[index_of[b]]) for b in members[:10])
        if len(members) > 10:
            names += f" and {len(members) - 10} more"
        first = members[0]
        # A wait block only pauses before what follows: the turn goes on through it.
        out.error("graph.loop_without_input",
                  f"These blocks form a loop that never waits for the user, so the bot would "
                  f"run forever: {names}. Add an input, or a message with buttons or quick "
                  "replies, to the loop, or break it. Only those (and a handoff) wait for the "
                  "user; a wait block just pauses and goes on.",
                  json_pointer("blocks", index_of[first]), first)


def _check_variables(document: ScenarioDocument, settings_of: dict[str, BaseModel],
                     index_of: dict[str, int], raw_blocks: list[Any], out: _Collector) -> None:
    declared = {v.name for v in document.variables}
    used: set[str] = set()
    for block_id, settings in settings_of.items():
        n = index_of[block_id]
        reported: set[str] = set()
        uses = [("reads", p, v) for p, v in variable_reads(settings)] + \
            [("assigns", p, v) for p, v in variable_writes(settings)]
        for verb, pointer, name in uses:
            used.add(name)
            if verb == "assigns" and name in SYSTEM_VARIABLES:
                out.error("variable.read_only", _read_only_message(raw_blocks[n], name),
                          json_pointer("blocks", n, "settings") + pointer, block_id)
                continue
            if name in declared or name in SYSTEM_VARIABLES or name in reported:
                continue
            reported.add(name)
            out.error("variable.undefined",
                      f"{_capital(_label(raw_blocks[n]))} {verb} variable '{name}', which "
                      "is not declared; declare it or fix the name.",
                      json_pointer("blocks", n, "settings") + pointer, block_id)
    for n, variable in enumerate(document.variables):
        if variable.name not in used and variable.name not in SYSTEM_VARIABLES:
            out.warning("variable.unused",
                        f"Variable '{variable.name}' is declared but no block uses it.",
                        json_pointer("variables", n))


def _read_only_message(block: Any, name: str) -> str:
    text = (f"{_capital(_label(block))} assigns '{name}', a system variable the conversation "
            "keeps itself: the block would fail when it runs.")
    if name == "language":
        return text + " To change the conversation's language, use a set_language block."
    return text + " Store the value in a variable of your own."


def _check_texts(settings_of: dict[str, BaseModel], index_of: dict[str, int],
                 raw_blocks: list[Any], languages: list[str], default_language: str,
                 out: _Collector) -> None:
    enabled = set(languages)
    for block_id, settings in settings_of.items():
        n = index_of[block_id]
        label = _label(raw_blocks[n])
        base = json_pointer("blocks", n, "settings")
        for pointer, text in text_fields(settings):
            where = pointer.lstrip("/") or "text"
            if default_language not in text:
                out.error("text.missing_default_language",
                          f"The text '{where}' of {label} has no '{default_language}' version, "
                          "the bot's default language; add it.",
                          base + pointer + json_pointer(default_language), block_id)
            for language in languages:
                if language != default_language and language not in text:
                    out.warning("text.missing_translation",
                                f"The text '{where}' of {label} has no '{language}' "
                                f"translation; '{default_language}' is shown instead.",
                                base + pointer + json_pointer(language), block_id)
            for language in text:
                if language not in enabled:
                    out.warning("text.unknown_language",
                                f"The text '{where}' of {label} has a '{language}' version, "
                                "but the bot does not have that language enabled.",
                                base + pointer + json_pointer(language), block_id)
            for language, value in text.items():
                _check_placeholders(value, f"The text '{where}' of {label}",
                                    base + pointer + json_pointer(language), block_id, out)
        for role, path, value in _marked(settings):
            if role is TEMPLATE:
                _check_placeholders(value, _capital(f"the template of {label}"),
                                    base + json_pointer(*path), block_id, out)


_BRACES_RE = re.compile(r"\{\{(?:(?!\}\}).){0,300}\}\}", re.DOTALL)


def _check_placeholders(text: str, what: str, pointer: str, block_id: str,
                        out: _Collector) -> None:
    """`{{ ... }}` that is not a variable path is shown to the person as written."""
    if "{{" not in text:
        return
    for match in _BRACES_RE.finditer(text):
        if TEMPLATE_RE.fullmatch(match.group(0)) is None:
            shown = match.group(0) if len(match.group(0)) <= 60 else match.group(0)[:57] + "..."
            out.warning("text.raw_placeholder",
                        f"{what} has '{shown}', which is not a placeholder (only variable "
                        "paths such as {{ order.total }} or {{ items[i] }} are), so the person "
                        "sees it as written; compute the value with a set_variable block.",
                        pointer, block_id)
            return


# Checks of what a block does when it runs: the engine fails that block (into the error
# handler) for the same reasons, so a version published before a check existed still
# compiles and runs; save and publish still report them.
COMPUTATION_CODES = frozenset({
    "expression.invalid", "pattern.unsupported", "expression.unknown_function",
    "expression.arity", "expression.call", "expression.type", "expression.type_mix",
    "variable.read_only", "variable.type_mismatch", "jump.unknown_scenario",
    "jump.unpublished_scenario", "language.unknown", "language.unknown_choice",
})


def _check_computation(settings_of: dict[str, BaseModel], index_of: dict[str, int],
                       raw_blocks: list[Any], out: _Collector) -> None:
    for block_id, settings in settings_of.items():
        n = index_of[block_id]
        label = _capital(_label(raw_blocks[n]))
        for role, path, source in _marked(settings):
            if role is EXPRESSION:
                problem = limits.expression_problem(source)
                if problem is not None:
                    out.error("expression.invalid", f"{label}: {problem}.",
                              json_pointer("blocks", n, "settings", *path), block_id)
        for path, pattern in _patterns(settings, ()):
            problem = limits.pattern_problem(pattern)
            if problem is not None:
                out.error("pattern.unsupported", f"{label}: {problem}.",
                          json_pointer("blocks", n, "settings", *path), block_id)


# An input of one kind stores a value of that kind (after checking the answer): the declared
# types it can never be stored in. A text answer may read as a number, date or yes/no, and is
# asked again when it does not, so text fits everything but lists and maps.
_INPUT_NEVER_FITS: Mapping[str, frozenset[str]] = {
    "text": frozenset({"list", "object"}),
    "number": frozenset({"date", "list", "object"}),
    # A phone number would lose its + and leading zeros as a number.
    "email": frozenset({"number", "boolean", "date", "list", "object"}),
    "phone": frozenset({"number", "boolean", "date", "list", "object"}),
    "date": frozenset({"number", "boolean", "list", "object"}),
}


def _stored_option(option: Any) -> Any:
    """What choosing an option stores: its `value` when the document gives one, else its id."""
    if "value" in getattr(option, "model_fields_set", ()):
        return getattr(option, "value", None)
    return option.id


def _check_stored_types(document: ScenarioDocument, settings_of: dict[str, BaseModel],
                        index_of: dict[str, int], raw_blocks: list[Any],
                        out: _Collector) -> None:
    """What blocks store into typed variables, where the document alone shows it can never
    fit (the engine fails the block), and the type mixes inside expressions."""
    types = {v.name: v.type for v in document.variables}
    for block_id, settings in settings_of.items():
        n = index_of[block_id]
        label = _capital(_label(raw_blocks[n]))
        base = ("blocks", n, "settings")

        def mismatch(what: str, variable: str, type_: str, *path: str | int,
                     outcome: str = "the block would fail when it runs") -> None:
            out.error("variable.type_mismatch",
                      f"{label} stores {what} in '{variable}', which holds a {type_}: "
                      f"{outcome}.", json_pointer(*base, *path), block_id)

        for role, path, source in _marked(settings):
            if role is not EXPRESSION:
                continue
            checked = check_expression(source, types)
            if checked is None:
                continue
            for finding in checked.findings:
                out.add(finding.severity, finding.code, f"{label}: {finding.message}.",
                        json_pointer(*base, *path), block_id)
            if isinstance(settings, SetVariableSettings) and path == ("expression",):
                type_ = _declared_type(settings.variable, types)
                if type_ is not None and not checked.result.fits(type_):
                    mismatch(f"the expression's result ({checked.result.describe()})",
                             settings.variable, type_, "expression")

        if isinstance(settings, SetVariableSettings):
            type_ = _declared_type(settings.variable, types)
            if type_ is None:
                continue
            if settings.template is not None:
                placeholders = template_references(settings.template)
                static = Static("string") if placeholders else \
                    Static("string", settings.template, True)
                if not static.fits(type_):
                    mismatch(f"the text of its template ({static.describe()})",
                             settings.variable, type_, "template")
            elif settings.expression is None and not storable(settings.value, type_):
                mismatch(f"the value {shown_value(settings.value)}", settings.variable,
                         type_, "value")
        elif isinstance(settings, InputSettings):
            type_ = _declared_type(settings.variable, types)
            if type_ is None:
                continue
            if settings.kind == "choice":
                for index, choice in enumerate(settings.choices):
                    value = _stored_option(choice)
                    if not storable(value, type_):
                        field = "value" if "value" in choice.model_fields_set else "id"
                        mismatch(f"the choice's {field} {shown_value(value)}",
                                 settings.variable, type_, "choices", index, field)
            elif type_ in _INPUT_NEVER_FITS.get(settings.kind, ()):
                mismatch(f"an answer of kind '{settings.kind}'", settings.variable, type_,
                         "kind", outcome="no such answer can be stored there, so every answer "
                         "would be refused")
        elif isinstance(settings, MessageSettings) and settings.store_choice_in:
            type_ = _declared_type(settings.store_choice_in, types)
            if type_ is None:
                continue
            options = [("buttons", i, b) for i, b in enumerate(settings.buttons)
                       if b.url is None]
            options += [("quick_replies", i, q) for i, q in enumerate(settings.quick_replies)]
            for list_name, index, option in options:
                value = _stored_option(option)
                if not storable(value, type_):
                    field = "value" if "value" in option.model_fields_set else "id"
                    mismatch(f"the option's {field} {shown_value(value)}",
                             settings.store_choice_in, type_, list_name, index, field)


def _declared_type(reference: str, types: Mapping[str, str]) -> str | None:
    """The declared type a write is converted to: none for a field inside a variable
    (`order.total`, stored as it is) or an undeclared one (reported on its own)."""
    if "." in reference:
        return None
    type_ = types.get(reference)
    return None if type_ in (None, "any", "string") else type_


def _check_languages(settings_of: dict[str, BaseModel], index_of: dict[str, int],
                     raw_blocks: list[Any], languages: list[str], out: _Collector) -> None:
    for block_id, settings in settings_of.items():
        n = index_of[block_id]
        for role, path, code in _marked(settings):
            if role is LANGUAGE and code not in languages:
                out.error("language.unknown",
                          f"{_capital(_label(raw_blocks[n]))} names the language '{code}', "
                          f"which the bot does not have (its languages: "
                          f"{', '.join(languages)}).",
                          json_pointer("blocks", n, "settings", *path), block_id)


def _patterns(value: Any, path: tuple[str | int, ...]) -> Iterable[tuple[tuple[str | int, ...],
                                                                        str]]:
    """(path below the settings, pattern) for every literal regular expression: an input's
    `pattern`, the right side of a `matches` rule however deeply nested."""
    if isinstance(value, InputSettings) and isinstance(value.pattern, str):
        yield (*path, "pattern"), value.pattern
    if isinstance(value, Comparison) and value.op == "matches" \
            and isinstance(value.right, ValueOperand) and isinstance(value.right.value, str):
        yield (*path, "right", "value"), value.right.value
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            child = getattr(value, name)
            if isinstance(child, BaseModel | list):
                yield from _patterns(child, (*path, field.alias or name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _patterns(item, (*path, index))
