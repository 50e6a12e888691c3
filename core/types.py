"""Bounded value types shared by the services' request schemas, so that hostile input is a 422
naming the field instead of a database error: integers that fit the columns they are compared
with, text without NUL characters (PostgreSQL's text and JSON refuse them), and JSON values
that are finite, NUL-free and shallow. Each rule is in the JSON Schema too, so the OpenAPI
document says what the server checks."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator, Field, JsonValue

# Sequence numbers, version numbers and revisions are INTEGER columns (32 bits in PostgreSQL).
INT32_MAX = 2**31 - 1
# Scenario documents and chat payloads are data, not recursion tests.
MAX_JSON_DEPTH = 64
# JSON integers longer than this are refused before Python converts them (it refuses 4300+
# digits with a ValueError of its own); 20 digits hold any 64-bit integer.
MAX_INT_DIGITS = 20
NO_NUL_PATTERN = r"^[^\x00]*$"
# 'live', 'draft' or a version number (nine digits stay below INT32_MAX).
VERSION_REF_PATTERN = r"^(live|draft|[0-9]{1,9})$"


class JsonLimitError(ValueError):
    """A JSON value beyond the limits above; the message names where (a JSON pointer)."""


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters (\\u0000)")
    return value


def _pointer(path: list[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path) or "/"


def check_json(value: Any, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Raise JsonLimitError for NaN/Infinity, NUL characters, integers over 64 bits or nesting
    deeper than ``max_depth``; return the value unchanged. Iterative: depth cannot recurse."""
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        item, path = stack.pop()
        if len(path) > max_depth:
            raise JsonLimitError(f"nested deeper than {max_depth} levels at {_pointer(path)}")
        if isinstance(item, dict):
            for key, child in item.items():
                if "\x00" in key:
                    raise JsonLimitError(f"a key contains a NUL character at {_pointer(path)}")
                stack.append((child, [*path, key]))
        elif isinstance(item, list):
            stack.extend((child, [*path, i]) for i, child in enumerate(item))
        elif isinstance(item, str):
            if "\x00" in item:
                raise JsonLimitError(f"NUL character (\\u0000) in a string at {_pointer(path)}")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise JsonLimitError(f"{item!r} is not a JSON number (NaN and Infinity are "
                                     f"refused) at {_pointer(path)}")
        elif isinstance(item, int) and not isinstance(item, bool):
            if not -(2**63) <= item < 2**63:
                raise JsonLimitError(f"an integer beyond 64 bits at {_pointer(path)}")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonLimitError(f"an integer of {len(text.lstrip('-'))} digits; numbers are "
                             f"limited to {MAX_INT_DIGITS} digits")
    return int(text)


def _refuse_constant(name: str) -> float:
    raise JsonLimitError(f"{name} is not a JSON number (NaN and Infinity are refused)")


def loads_bounded(raw: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """json.loads that refuses NaN/Infinity, huge integers, NUL characters and deep nesting
    with JsonLimitError (a ValueError), and malformed text with json.JSONDecodeError."""
    try:
        value = json.loads(raw, parse_int=_bounded_int, parse_constant=_refuse_constant)
    except RecursionError:
        raise JsonLimitError(f"nested deeper than {max_depth} levels") from None
    return check_json(value, max_depth)


# --- annotated types for request schemas and parameters -------------------------------------

Text = Annotated[str, AfterValidator(_no_nul), Field(json_schema_extra={"pattern": NO_NUL_PATTERN})]
"""Any text stored in a text column: NUL characters refused."""

JsonData = Annotated[JsonValue, AfterValidator(check_json)]
"""Any JSON value stored as JSON: finite numbers, no NUL characters, at most 64 levels deep."""

Offset = Annotated[int, Query(ge=0, le=INT32_MAX, description="Items to skip.")]
AfterSeq = Annotated[int, Query(ge=0, le=INT32_MAX,
                                description="Return history items after this seq.")]
VersionNumber = Annotated[int, Path(ge=1, le=INT32_MAX, description="A version number.")]
Revision = Annotated[int, Field(ge=1, le=INT32_MAX)]
