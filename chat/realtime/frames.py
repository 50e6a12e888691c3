"""Server frames of the WebSocket protocol, built from what the conversation service stores
and answers. Shared by the socket sessions and the cross-instance delivery."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from chat.conversations.schemas import HistoryItem, TurnAnswer
from orchestrator.contract import MEDIA_KINDS
from core.types import INT32_MAX, MAX_JSON_DEPTH, JsonLimitError, check_json

if TYPE_CHECKING:
    from orchestrator.contract import Button, InputRequest, OutboundMessage

PROTOCOL_VERSION = 1


def conversation_name(conversation_id: Any) -> str:
    """The name a conversation's turns lock and its watchers are present under."""
    return f"conversation:{conversation_id}"


class BadFrame(ValueError):
    """A client frame the protocol refuses: answered with an error frame of ``code``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse_client_frame(text: str) -> Any:
    """A client frame's JSON. Deep nesting and huge integers are ``bad_json`` (not a server
    error); NaN and Infinity parse here and are refused by the frame's fields, so that the
    error names the field."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadFrame("bad_json", f"the frame is not valid JSON: {exc}") from None
    except RecursionError:
        raise BadFrame("bad_json", f"the frame is nested deeper than {MAX_JSON_DEPTH} "
                       "levels") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise BadFrame("bad_json", f"the frame is not usable JSON: {exc}") from None


def resume_seq(value: Any) -> int:
    """``resume.last_seq`` of a hello: absent means 0; a JSON integer from 0 to 2^31-1."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= INT32_MAX:
        try:
            check_json(value)
        except JsonLimitError as exc:
            raise BadFrame("bad_frame", f"resume.last_seq: {exc}") from None
        raise BadFrame("bad_frame", "resume.last_seq must be an integer from 0 to "
                       f"{INT32_MAX}, the highest seq the client has seen")
    return value


def inbound_message(body: dict[str, Any]) -> dict[str, Any]:
    """What the person sent, in the shape of a message."""
    kind = body.get("kind")
    if kind == "choice":
        return {"type": "choice", "choice_id": body.get("choice_id")}
    if kind == "payload" or kind in MEDIA_KINDS:
        message = {"type": kind, "payload": body.get("payload")}
        if isinstance(body.get("text"), str):  # a voice message's transcript
            message["text"] = body["text"]
        return message
    return {"type": "text", "text": body.get("text") or ""}


def message_frame(seq: int, direction: str, message: dict[str, Any],
                  client_message_id: str | None = None) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "message", "seq": seq, "direction": direction,
                             "message": message}
    if client_message_id is not None:
        frame["client_message_id"] = client_message_id
    return frame


def history_frame(item: HistoryItem) -> dict[str, Any]:
    body = person_view(item.body)
    if item.direction == "in":
        body = inbound_message(body)
    return message_frame(item.seq, item.direction, body)


# Kept with a message for the organization, not shown to the person: the operator's account
# (the audit), and what the platform read in the person's words (sentiment, language).
_PRIVATE = frozenset({"actor", "sentiment", "detected_language"})


def person_view(body: dict[str, Any]) -> dict[str, Any]:
    """A stored message as the person may see it (see _PRIVATE)."""
    return {k: v for k, v in body.items() if k not in _PRIVATE}


def input_frame(seq: int, answer: TurnAnswer | dict[str, Any]) -> dict[str, Any]:
    if isinstance(answer, TurnAnswer):
        return {"type": "input", "seq": seq, "input": request_body(answer.input),
                "ended": answer.ended, "status": answer.status}
    return {"type": "input", "seq": seq, "input": answer.get("input"),
            "ended": answer.get("ended", False), "status": answer.get("status", "active")}


# Built by hand on the hot path, field for field what pydantic's dump gives (the frames'
# tests compare the two): a dump walks the model's schema for every message of every turn.

def _button(button: Button) -> dict[str, Any]:
    out: dict[str, Any] = {"id": button.id, "label": button.label}
    if button.url is not None:
        out["url"] = button.url
    return out


def message_body(message: OutboundMessage) -> dict[str, Any]:
    """`message.model_dump(mode="json", exclude_none=True, exclude={"seq"})`."""
    body: dict[str, Any] = {"type": message.type}
    if message.text is not None:
        body["text"] = message.text
    if message.url is not None:
        body["url"] = message.url
    body["buttons"] = [_button(b) for b in message.buttons]
    body["quick_replies"] = [_button(b) for b in message.quick_replies]
    if message.seconds is not None:
        body["seconds"] = message.seconds
    if message.block_id is not None:
        body["block_id"] = message.block_id
    if message.stream_id is not None:
        body["stream_id"] = message.stream_id
    if message.incomplete is not None:
        body["incomplete"] = message.incomplete
    return body


def request_body(request: InputRequest | None) -> dict[str, Any] | None:
    """`request.model_dump(mode="json")`."""
    if request is None:
        return None
    return {"kind": request.kind, "block_id": request.block_id,
            "choices": [{"id": b.id, "label": b.label, "url": b.url} for b in request.choices],
            "attempts_left": request.attempts_left,
            "no_input_seconds": request.no_input_seconds}


def last_seq(answer: TurnAnswer) -> int:
    seqs = [m.seq for m in answer.messages]
    if answer.inbound_seq is not None:
        seqs.append(answer.inbound_seq)
    return max(seqs, default=0)


def turn_frames(answer: TurnAnswer, event_body: dict[str, Any] | None,
                client_message_id: str | None) -> list[dict[str, Any]]:
    """The person's message (when stored), the bot's messages and the new input state."""
    frames: list[dict[str, Any]] = []
    if answer.inbound_seq is not None and event_body is not None:
        frames.append(message_frame(answer.inbound_seq, "in", inbound_message(event_body),
                                    client_message_id))
    for message in answer.messages:
        frames.append(message_frame(message.seq, "out", message_body(message)))
    frames.append(input_frame(last_seq(answer), answer))
    return frames
