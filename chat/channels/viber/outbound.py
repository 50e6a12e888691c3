"""What a turn said, as the `send_message` bodies that say it in a Viber chat.

- Texts go as written (Viber has no markup to escape); a text over Viber's 7,000 characters
  is split at a line break or a space, never cut.
- Choice buttons and quick replies become a Viber keyboard of reply buttons whose
  `ActionBody` is the label (what the person sees they pressed) and the last message's
  `tracking_data` maps labels to choice ids (see `inbound`). Link buttons open their URL.
- Images go as `picture` with the text as its description when it fits. Viber's `video` and
  `file` messages need the file's size, which a URL alone does not tell: video, audio and
  files go as a `url` message (Viber shows the link with its preview) after their text.
- A `delay` waits before what follows (Viber has no typing indicator for bots).
- `welcome` folds a turn into the one message Viber lets a bot answer
  `conversation_started` with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chat.channels.texts import split_text
from chat.channels.viber.inbound import choices_tracking
from orchestrator.contract import Button, InputRequest, OutboundMessage

MAX_TEXT = 7000
MAX_PICTURE_TEXT = 768
MAX_BUTTONS = 24
MAX_SENDER_NAME = 28


@dataclass(frozen=True, slots=True)
class ViberSend:
    """One `send_message` body (without `receiver`), sent after `wait_seconds`."""

    body: dict[str, Any]
    wait_seconds: float = 0.0


@dataclass
class _Keyboard:
    keyboard: dict[str, Any] | None = None
    choices: dict[str, str] = field(default_factory=dict)


def render(messages: Sequence[OutboundMessage], request: InputRequest | None = None,
           *, sender: str) -> list[ViberSend]:
    """The sends, in order, that show `messages` and offer what `request` waits for."""
    author = {"name": sender[:MAX_SENDER_NAME] or "Bot"}
    sends: list[ViberSend] = []
    wait = 0.0
    offered = False
    for message in messages:
        if message.type == "delay":
            wait += float(message.seconds or 0)
            continue
        board = _keyboard(message.buttons, message.quick_replies)
        made = _bodies(message)
        if board.keyboard is not None:
            offered = True
            if not made:
                made = [{"type": "text", "text": "…"}]
            _attach(made[-1], board)
        for n, body in enumerate(made):
            sends.append(ViberSend({"sender": author, **body}, wait if n == 0 else 0.0))
        if made:
            wait = 0.0
    if request is not None and request.choices and not offered:
        board = _keyboard(request.choices, [])
        if sends and sends[-1].body["type"] == "text":
            _attach(sends[-1].body, board)
        else:
            body = {"sender": author, "type": "text", "text": "…"}
            _attach(body, board)
            sends.append(ViberSend(body, wait))
    return sends


def welcome(messages: Sequence[OutboundMessage], request: InputRequest | None = None,
            *, sender: str) -> dict[str, Any] | None:
    """The one message that answers `conversation_started`: the turn's texts (and links to its
    media) in one text, with its keyboard; or the picture alone when that is all it said."""
    sends = render(messages, request, sender=sender)
    if not sends:
        return None
    if len(sends) == 1:
        return sends[0].body
    parts: list[str] = []
    keyboard: dict[str, Any] | None = None
    tracking: str | None = None
    for send in sends:
        body = send.body
        text = body.get("text") or ""
        if body["type"] in ("picture", "url"):
            text = "\n".join(t for t in (text, body.get("media")) if t)
        if text and text != "…":
            parts.append(text)
        keyboard = body.get("keyboard", keyboard)
        tracking = body.get("tracking_data", tracking)
    body = {"sender": sends[0].body["sender"], "type": "text",
            "text": split_text("\n\n".join(parts) or "…", MAX_TEXT)[0]}
    if keyboard is not None:
        body["keyboard"] = keyboard
    if tracking is not None:
        body["tracking_data"] = tracking
    return body


def _bodies(message: OutboundMessage) -> list[dict[str, Any]]:
    text = message.text or ""
    bodies: list[dict[str, Any]] = []
    if message.type == "image" and message.url:
        picture: dict[str, Any] = {"type": "picture", "media": message.url, "text": ""}
        if len(text) <= MAX_PICTURE_TEXT:
            picture["text"], text = text, ""
        bodies.append(picture)
        message_url = None
    else:
        message_url = message.url if message.type in ("video", "audio", "file") else None
    if text:
        bodies.extend({"type": "text", "text": part} for part in split_text(text, MAX_TEXT))
    if message_url:
        bodies.append({"type": "url", "media": message_url})
    return bodies


def _keyboard(buttons: Sequence[Button], quick: Sequence[Button]) -> _Keyboard:
    chosen = list(buttons or quick)[:MAX_BUTTONS]
    if not chosen:
        return _Keyboard()
    rows = []
    choices: dict[str, str] = {}
    for button in chosen:
        label = button.label or button.id
        if button.url is not None:
            rows.append({"Columns": 6, "Rows": 1, "ActionType": "open-url",
                         "ActionBody": button.url, "Text": label})
        else:
            rows.append({"Columns": 6, "Rows": 1, "ActionType": "reply",
                         "ActionBody": label, "Text": label})
            choices.setdefault(label, button.id)
    return _Keyboard({"Type": "keyboard", "DefaultHeight": False, "Buttons": rows}, choices)


def _attach(body: dict[str, Any], board: _Keyboard) -> None:
    body["keyboard"] = board.keyboard
    tracking = choices_tracking(board.choices)
    if tracking is not None:
        body["tracking_data"] = tracking
