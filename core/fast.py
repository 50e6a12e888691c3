"""Construction of pydantic models on the hot path, for values built by our own code and so
valid by construction. `model_construct` still costs a few microseconds per model; a
constructor from `constructor(Model)` fills the instance the way `model_construct` does,
checked once at import against `model_construct` itself: if a pydantic release fills models
differently (or the model has private attributes), the check fails and `model_construct` is
used instead. Every call must pass every field, as `model_construct` would leave them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

_new = object.__new__
_set = object.__setattr__


def constructor(model: type[BaseModel]) -> Callable[..., Any]:
    fields = frozenset(model.model_fields)

    def construct(**values: Any) -> Any:
        instance = _new(model)
        _set(instance, "__dict__", values)
        _set(instance, "__pydantic_fields_set__", set(values))
        _set(instance, "__pydantic_extra__", None)
        _set(instance, "__pydantic_private__", None)
        return instance

    sample = {name: None for name in fields}
    try:
        built, reference = construct(**sample), model.model_construct(**sample)
        same = (built == reference and built.__dict__ == reference.__dict__
                and built.model_fields_set == reference.model_fields_set
                and built.__pydantic_private__ == reference.__pydantic_private__
                and built.model_dump() == reference.model_dump())
    except Exception:
        same = False
    return construct if same else model.model_construct
