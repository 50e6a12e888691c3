"""Texts a person reads: choosing a LocalizedText's language (the conversation's, else the
bot's default, else any) and filling `{{ name }}` / `{{ order.total }}` /
`{{ questions[i].text }}` placeholders."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scenarios.format import TEMPLATE_RE
from scenarios.format.templates import parse_reference, resolve_reference

from orchestrator.engine.values import format_value

_PARTS: dict[str, tuple[Any, ...]] = {}
_PARTS_LIMIT = 8192


class _Indexed(str):
    """A placeholder path with `[...]` indexes: resolved step by step, where a plain or
    dotted reference goes to the lookup as it is (the common case, kept as fast as before)."""

    __slots__ = ()


def template_parts(template: str) -> tuple[str, ...]:
    """[literal, reference, literal, ..., literal]; split once per distinct text. Texts come
    from published versions, so the set is small; the cap only guards against abuse."""
    parts = _PARTS.get(template)
    if parts is None:
        split = TEMPLATE_RE.split(template)
        for index in range(1, len(split), 2):
            if "[" in split[index]:
                parse_reference(split[index])  # parsed once here, cached by the format
                split[index] = _Indexed(split[index])
        parts = tuple(split)
        if len(_PARTS) >= _PARTS_LIMIT:
            _PARTS.clear()
        _PARTS[template] = parts
    return parts


def render_template(template: str, lookup: Callable[[str], Any]) -> str:
    """Fill placeholders through `lookup(reference)`; what is missing reads as nothing."""
    if "{{" not in template:
        return template
    parts = template_parts(template)
    if len(parts) == 1:
        return template
    out = [parts[0]]
    for index in range(1, len(parts), 2):
        reference = parts[index]
        if type(reference) is str:
            out.append(format_value(lookup(reference)))
        else:
            out.append(format_value(resolve_reference(reference, lookup)))
        out.append(parts[index + 1])
    return "".join(out)


def pick_language(text: Mapping[str, str], language: str, default_language: str) -> str:
    chosen = text.get(language)
    if chosen is None:
        chosen = text.get(default_language)
        if chosen is None:
            # A regional code ("uk-UA") reads its base language's text before any other.
            base = language.split("-", 1)[0]
            chosen = text.get(base) or next(iter(text.values()), "")
    return chosen
