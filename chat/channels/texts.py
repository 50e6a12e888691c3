"""Texts as messengers take them: a long text in parts, never cut silently."""

from __future__ import annotations


def split_text(text: str, limit: int) -> list[str]:
    """`text` in parts of at most `limit` characters, each ending at a line break or a space
    where one is near the end (a word is cut only when it alone is longer than a part)."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", limit // 2, limit + 1)
        if cut == -1:
            cut = text.rfind(" ", limit // 2, limit + 1)
        if cut == -1:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip(" \n")
    if text:
        parts.append(text)
    return parts
