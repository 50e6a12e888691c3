"""What delivery reads back from a conversation's stored history, as the engine's types."""

from __future__ import annotations

from typing import Any

from orchestrator.contract import InputRequest, OutboundMessage

# What a messenger chat is sent: the bot's and operators' messages (the person's own are
# not echoed back).
SHOWN = ("out", "operator")


def message_of(body: dict[str, Any]) -> OutboundMessage:
    """A stored history body (a bot message, or an operator's text) as a message to show."""
    return OutboundMessage.model_validate({"type": "text", **{
        k: v for k, v in body.items() if k in OutboundMessage.model_fields}})


def request_of(response: Any) -> InputRequest | None:
    """What the conversation waits for, from a stored turn's response (None if nothing)."""
    data = response.get("input") if isinstance(response, dict) else None
    if not isinstance(data, dict):
        return None
    try:
        return InputRequest.model_validate(data)
    except ValueError:
        return None
