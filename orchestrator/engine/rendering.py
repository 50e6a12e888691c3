"""Texts a person reads: choosing a LocalizedText's language (the conversation's, else the
bot's default, else any) and filling `{{ name }}` / `{{ order.total }}` placeholders."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scenarios.format import TEMPLATE_RE

from orchestrator.engine.values import format_value

_PARTS: dict[str, tuple[str, ...]] = {}
_PARTS_LIMIT = 8192


def template_parts(template: str) -> tuple[str, ...]:
    """[literal, reference, literal, ..., literal]; split once per distinct text. Texts come
    from published versions, so the set is small; the cap only guards against abuse."""
    parts = _PARTS.get(template)
    if parts is None:
        parts = tuple(TEMPLATE_RE.split(template))
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
        out.append(format_value(lookup(parts[index])))
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
