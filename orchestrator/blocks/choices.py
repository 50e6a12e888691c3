"""Matching what a person sent against a block's options (message buttons and quick
replies, choice inputs): the option's id, its label in any language (trimmed, any case), or
its 1-based number in the list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from orchestrator.contract import InboundEvent


class Options:
    """A block's selectable options, indexed once at compile time."""

    __slots__ = ("ids", "labels", "by_label")

    def __init__(self, options: Sequence[tuple[str, Mapping[str, str]]]) -> None:
        self.ids: tuple[str, ...] = tuple(option_id for option_id, _ in options)
        self.labels: tuple[Mapping[str, str], ...] = tuple(label for _, label in options)
        by_label: dict[str, str] = {}
        for option_id, label in options:
            for text in label.values():
                # The first option keeps a label two options share in different languages.
                by_label.setdefault(_key(text), option_id)
        self.by_label = by_label

    def match(self, event: InboundEvent) -> str | None:
        if event.kind == "choice":
            return event.choice_id if event.choice_id in self.ids else None
        if event.kind == "text" and event.text:
            return self.match_text(event.text)
        return None

    def match_text(self, text: str) -> str | None:
        key = _key(text)
        found = self.by_label.get(key)
        if found is not None:
            return found
        if key.isdigit():
            index = int(key) - 1
            if 0 <= index < len(self.ids):
                return self.ids[index]
        return None

    def __bool__(self) -> bool:
        return bool(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def option_labels(settings_options: Sequence[Any]) -> list[tuple[str, Mapping[str, str]]]:
    return [(option.id, option.label) for option in settings_options]
