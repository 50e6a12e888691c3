"""Variable values as the engine sees them: paths into objects and lists, read and written.
How values read and convert (`format_value`, `parse_number`, `parse_date`, `coerce`) is the
format's (`scenarios.format.values`), shared with the validator; it is reached here too."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# The format owns how a path reads and how values convert (the validator and the engine must
# agree); the engine reaches them here, with the other rules about values.
from scenarios.format.templates import item_of, parse_reference, resolve_reference  # noqa: F401
from scenarios.format.values import (  # noqa: F401
    coerce,
    format_value,
    number_of,
    parse_date,
    parse_number,
)


def walk_path(value: Any, parts: list[str]) -> Any:
    """Follow `order.items.0.name`-style segments through objects and lists; None if absent."""
    for part in parts:
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def read_reference(reference: str, read: Callable[[str], Any]) -> Any:
    """The value of a reference as texts write it: `name`, `order.items.0.name` or
    `questions[i].text` (indexes are integers, quoted keys or variables, read through `read`,
    which takes a variable's name or a dotted reference); None where anything is missing."""
    if "[" in reference:
        return resolve_reference(reference, read)
    if "." in reference:
        parts = reference.split(".")
        return walk_path(read(parts[0]), parts[1:])
    return read(reference)


def with_path(container: Any, parts: list[str], value: Any) -> dict[str, Any]:
    """A copy of `container` (an object, or a new one) with `value` placed at `parts`; the
    objects along the way are copied so the caller's state is never mutated."""
    result = dict(container) if isinstance(container, Mapping) else {}
    head, rest = parts[0], parts[1:]
    result[head] = with_path(result.get(head), rest, value) if rest else value
    return result
