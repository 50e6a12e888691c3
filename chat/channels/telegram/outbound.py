"""What a turn said, as the Bot API calls that say it in a Telegram chat.

- Texts go without `parse_mode`: Telegram shows them exactly as written, so nothing an author
  or a variable contains (`*`, `_`, `[`) can turn into markup or break the call.
- A text over Telegram's 4,096 characters is split at a line break or a space, never cut.
- Choice buttons become an inline keyboard whose `callback_data` is the button's id (pressing
  one sends it back as a `choice`). Link buttons open their URL. Quick replies become a reply
  keyboard (a pressed one arrives as its label, which a scenario takes like the button).
- Images, files, audio and video are sent by URL with the text as caption when it fits.
  A `delay` is a `sendChatAction` ("typing") and a pause before what follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chat.channels.texts import split_text
from orchestrator.contract import Button, InputRequest, OutboundMessage

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
_MEDIA = {"image": ("sendPhoto", "photo"), "file": ("sendDocument", "document"),
          "audio": ("sendAudio", "audio"), "video": ("sendVideo", "video")}


@dataclass(frozen=True, slots=True)
class TelegramCall:
    """One Bot API call: `method` with `params` (JSON-ready), after `wait_seconds`."""

    method: str
    params: dict[str, Any] = field(default_factory=dict)
    wait_seconds: float = 0.0


def render(chat_id: int, messages: Sequence[OutboundMessage],
           request: InputRequest | None = None) -> list[TelegramCall]:
    """The calls, in order, that show `messages` in the chat and offer what `request` waits
    for (its choices, when no message carried them)."""
    calls: list[TelegramCall] = []
    wait = 0.0
    for message in messages:
        if message.type == "delay":
            calls.append(TelegramCall("sendChatAction", {"chat_id": chat_id,
                                                         "action": "typing"}, wait))
            wait = float(message.seconds or 0)
            continue
        markup = _markup(message.buttons, message.quick_replies)
        made = _message_calls(chat_id, message, markup)
        if made:
            made[0] = TelegramCall(made[0].method, made[0].params, wait)
            wait = 0.0
            calls.extend(made)
    if request is not None and request.choices and not any(
            "reply_markup" in call.params for call in calls):
        markup = _markup(request.choices, [])
        if calls and calls[-1].method == "sendMessage":
            calls[-1].params["reply_markup"] = markup
        else:
            calls.append(TelegramCall("sendMessage", {
                "chat_id": chat_id, "text": "…", "reply_markup": markup}, wait))
    return calls


def _message_calls(chat_id: int, message: OutboundMessage,
                   markup: dict[str, Any] | None) -> list[TelegramCall]:
    text = message.text or ""
    if message.incomplete and text:
        text += " …"  # an answer cut short says so
    calls: list[TelegramCall] = []
    if message.type in _MEDIA and message.url:
        method, key = _MEDIA[message.type]
        params: dict[str, Any] = {"chat_id": chat_id, key: message.url}
        if text and len(text) <= MAX_CAPTION:
            params["caption"], text = text, ""
        calls.append(TelegramCall(method, params))
    if text:
        calls.extend(TelegramCall("sendMessage", {"chat_id": chat_id, "text": part})
                     for part in split_text(text, MAX_TEXT))
    if markup is not None:
        if not calls:  # buttons alone: Telegram needs a text to hang them on
            calls.append(TelegramCall("sendMessage", {"chat_id": chat_id, "text": "…"}))
        calls[-1].params["reply_markup"] = markup
    return calls


def _markup(buttons: Sequence[Button], quick: Sequence[Button]) -> dict[str, Any] | None:
    if buttons:
        rows = []
        for button in buttons:
            if button.url is not None:
                rows.append([{"text": button.label, "url": button.url}])
            else:
                rows.append([{"text": button.label, "callback_data": callback_data(button.id)}])
        return {"inline_keyboard": rows}
    if quick:
        return {"keyboard": [[{"text": b.label}] for b in quick], "resize_keyboard": True,
                "one_time_keyboard": True}
    return None


def callback_data(button_id: str) -> str:
    """The button's id, which Telegram sends back when it is pressed (64 bytes at most:
    scenario button ids are well within it; a longer one is refused rather than cut, since a
    cut id would come back as another button's)."""
    if len(button_id.encode()) > MAX_CALLBACK_DATA:
        raise ValueError(f"button id {button_id[:20]!r}… is over Telegram's "
                         f"{MAX_CALLBACK_DATA} bytes of callback data")
    return button_id
