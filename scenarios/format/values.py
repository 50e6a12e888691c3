"""How values read, as the format defines them for the validator and the engine alike: how a
value reads in a text, how a person's typed number or date is parsed, and the conversion of a
value to a declared variable type. Values are always JSON (str, int, float, bool, None, list,
dict) so that a conversation's state round-trips. The validator asks the same `coerce` the
engine stores with, so what it calls storable is exactly what the engine stores."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from typing import Any

_INTEGER_RE = re.compile(r"[+-]?\d{1,30}")
_DECIMAL_RE = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d{1,3})?")
_DATE_DMY_RE = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_DATE_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# Spaces people put between thousands ("1 000"), including the no-break ones keyboards insert.
_GROUPING = str.maketrans("", "", " \u00a0\u202f\u2009'")


def format_value(value: Any) -> str:
    """How a value reads in a text: nothing for null, numbers without a trailing `.0`,
    booleans as true/false, lists and objects as JSON."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def number_of(value: Any) -> int | float | None:
    """The number a value stands for (numbers, numeric strings), else None. Booleans are not
    numbers here: `true > 0` is more likely an authoring slip than intended."""
    kind = type(value)
    if kind is int or kind is float:
        return value
    if kind is str:
        return parse_number(value)
    return None


def parse_number(text: str) -> int | float | None:
    """A number as a person types it: "12", "-3", "12.5", "12,5", "1 000". Integral values
    come back as int."""
    compact = text.strip().translate(_GROUPING)
    if not compact or len(compact) > 40:
        return None
    if _INTEGER_RE.fullmatch(compact):
        return int(compact)
    if not _DECIMAL_RE.fullmatch(compact):
        return None
    number = float(compact.replace(",", "."))
    if not math.isfinite(number):
        return None
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def parse_date(text: str) -> str | None:
    """A date typed as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY, as an ISO date string."""
    compact = text.strip()
    match = _DATE_ISO_RE.fullmatch(compact)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DATE_DMY_RE.fullmatch(compact)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


_TRUE = frozenset({"true", "yes", "1", "так", "on"})
_FALSE = frozenset({"false", "no", "0", "ні", "off", ""})


def coerce(value: Any, type_: str) -> Any:
    """`value` as the declared type; raises ValueError with a reason a bot author reads."""
    if value is None or type_ == "any":
        return _json_safe(value)
    if type_ == "string":
        return value if isinstance(value, str) else format_value(value)
    if type_ == "number":
        if isinstance(value, bool):
            raise ValueError(f"{format_value(value)} is not a number")
        number = number_of(value)
        if number is None or (isinstance(number, float) and not math.isfinite(number)):
            raise ValueError(f"{_shown(value)} is not a number")
        if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number
    if type_ == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
        raise ValueError(f"{_shown(value)} is not true or false")
    if type_ == "date":
        if isinstance(value, str):
            parsed = parse_date(value) or _date_part(value)
            if parsed is not None:
                return parsed
        raise ValueError(f"{_shown(value)} is not a date (YYYY-MM-DD)")
    if type_ == "list":
        if isinstance(value, list):
            return _json_safe(value)
        raise ValueError(f"{_shown(value)} is not a list")
    if type_ == "object":
        if isinstance(value, dict):
            return _json_safe(value)
        raise ValueError(f"{_shown(value)} is not an object")
    return _json_safe(value)


def _date_part(text: str) -> str | None:
    try:
        return dt.datetime.fromisoformat(text.strip()).date().isoformat()
    except ValueError:
        return None


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else format_value(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_safe(value: Any, depth: int = 0) -> Any:
    """Refuse what the state could not store as JSON (NaN, tuples, objects of other kinds)."""
    kind = type(value)
    if value is None or kind is str or kind is bool or kind is int:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("the result is not a finite number")
        return value
    if depth > 32:
        raise ValueError("the value is nested too deeply")
    if kind is list:
        return [_json_safe(item, depth + 1) for item in value]
    if kind is dict:
        return {str(k): _json_safe(v, depth + 1) for k, v in value.items()}
    raise ValueError(f"a {kind.__name__} cannot be stored in a variable")


def match_language(code: str, languages: Sequence[str]) -> str | None:
    """The bot language a code selects (as `set_language` reads it: exact, any case, or by
    its base language: "EN", "en-GB" -> "en"); None when it selects none."""
    wanted = code.strip()
    if not wanted:
        return None
    if wanted in languages:
        return wanted
    for language in languages:
        if language.lower() == wanted.lower() \
                or language.split("-")[0] == wanted.split("-")[0].lower():
            return language
    return None
