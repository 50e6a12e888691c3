"""Construction of the contract's result models on the hot path. The values are built by the
engine, so they are valid by construction and need no validation. `model_construct` still
costs ~2 µs (a third of a block's budget), so models are filled the way it fills them, once
checked at import against `model_construct` itself; if a pydantic release changes that, the
check fails and `model_construct` is used instead."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from orchestrator.contract import Button, InputRequest, OutboundMessage, TraceStep, TurnError

_new = object.__new__
_set = object.__setattr__


def _direct(model: type[BaseModel]) -> Callable[..., Any]:
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
                and built.model_dump() == reference.model_dump())
    except Exception:
        same = False
    return construct if same else model.model_construct


# Every call below passes all fields, as `model_construct` would leave them.
_construct_message = _direct(OutboundMessage)
_construct_button = _direct(Button)
_construct_request = _direct(InputRequest)
_construct_trace = _direct(TraceStep)


def message(type: str, *, text: str | None = None, url: str | None = None,
            buttons: Sequence[Button] = (), quick_replies: Sequence[Button] = (),
            seconds: float | None = None, block_id: str | None = None) -> OutboundMessage:
    return _construct_message(type=type, text=text, url=url, buttons=list(buttons),
                              quick_replies=list(quick_replies), seconds=seconds,
                              block_id=block_id)


def text_message(text: str | None, block_id: str | None) -> OutboundMessage:
    return _construct_message(type="text", text=text, url=None, buttons=[], quick_replies=[],
                              seconds=None, block_id=block_id)


def button(id: str, label: str, url: str | None = None) -> Button:
    return _construct_button(id=id, label=label, url=url)


def input_request(kind: str, block_id: str, choices: Sequence[Button] = (),
                  attempts_left: int | None = None,
                  no_input_seconds: float | None = None) -> InputRequest:
    return _construct_request(kind=kind, block_id=block_id, choices=list(choices),
                              attempts_left=attempts_left, no_input_seconds=no_input_seconds)


def trace_step(block_id: str, type: str, scenario: str, port: str | None,
               microseconds: float, error: str | None) -> TraceStep:
    return _construct_trace(block_id=block_id, type=type, scenario=scenario, port=port,
                            microseconds=microseconds, error=error)


def turn_error(code: str, message: str, block_id: str | None = None) -> TurnError:
    return TurnError.model_construct(code=code, message=message, block_id=block_id)
