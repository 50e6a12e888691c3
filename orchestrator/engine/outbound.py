"""Construction of the contract's result models on the hot path. The values are built by the
engine, so they are valid by construction and need no validation; `core.fast.constructor`
fills them without even `model_construct`'s cost (~2 µs, a third of a block's budget)."""

from __future__ import annotations

from collections.abc import Sequence

from core.fast import constructor
from orchestrator.contract import (
    Button,
    CallTrace,
    ConversationState,
    Frame,
    InputRequest,
    OutboundMessage,
    TraceStep,
    TurnError,
    TurnResult,
)

_direct = constructor


# Every call below passes all fields, as `model_construct` would leave them.
_construct_message = _direct(OutboundMessage)
_construct_button = _direct(Button)
_construct_request = _direct(InputRequest)
_construct_trace = _direct(TraceStep)
_construct_error = _direct(TurnError)
construct_frame = _direct(Frame)
construct_state = _direct(ConversationState)
construct_result = _direct(TurnResult)


def message(type: str, *, text: str | None = None, url: str | None = None,
            buttons: Sequence[Button] = (), quick_replies: Sequence[Button] = (),
            seconds: float | None = None, block_id: str | None = None) -> OutboundMessage:
    return _construct_message(type=type, text=text, url=url, buttons=list(buttons),
                              quick_replies=list(quick_replies), seconds=seconds,
                              block_id=block_id, stream_id=None, incomplete=None)


def text_message(text: str | None, block_id: str | None) -> OutboundMessage:
    return _construct_message(type="text", text=text, url=None, buttons=[], quick_replies=[],
                              seconds=None, block_id=block_id, stream_id=None,
                              incomplete=None)


def streamed_message(text: str, block_id: str, stream_id: str,
                     incomplete: bool) -> OutboundMessage:
    """A text shown while it was written: it replaces the pieces shown under `stream_id`."""
    return _construct_message(type="text", text=text, url=None, buttons=[], quick_replies=[],
                              seconds=None, block_id=block_id, stream_id=stream_id or None,
                              incomplete=True if incomplete else None)


def button(id: str, label: str, url: str | None = None) -> Button:
    return _construct_button(id=id, label=label, url=url)


def input_request(kind: str, block_id: str, choices: Sequence[Button] = (),
                  attempts_left: int | None = None,
                  no_input_seconds: float | None = None) -> InputRequest:
    return _construct_request(kind=kind, block_id=block_id, choices=list(choices),
                              attempts_left=attempts_left, no_input_seconds=no_input_seconds)


def trace_step(block_id: str, type: str, scenario: str, port: str | None,
               microseconds: float, error: str | None, call: CallTrace | None = None
               ) -> TraceStep:
    return _construct_trace(block_id=block_id, type=type, scenario=scenario, port=port,
                            microseconds=microseconds, error=error, call=call)


def turn_error(code: str, message: str, block_id: str | None = None) -> TurnError:
    return _construct_error(code=code, message=message, block_id=block_id)
