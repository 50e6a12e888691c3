"""A Viber callback as what it means for the platform: a person's message or the opening of
a conversation (an event for the scenario), a receipt for a message the bot sent, a change of
subscription, or the reason it is not for a scenario.

Callbacks are read as plain JSON, field by field (as Telegram's updates are), rather than
through viberbot's `create_request`: that raises on a message type it does not know, and a
webhook must answer every callback Viber sends. `message_token` is a 64-bit integer past
2^53; it is kept as Python's exact int and as text in ids, never as a float.

A pressed reply button arrives in Viber as a text message whose text is the button's
`ActionBody`: the channel sends the label there (the person sees what they pressed) and the
choice ids in the message's `tracking_data`, which Viber echoes with the next message, so a
press becomes the exact `choice` and typed text stays text."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import orjson

from chat.channels.fields import is_count, is_int
from chat.conversations.schemas import MAX_TEXT_CHARS
from orchestrator.contract import InboundEvent


class CallbackError(ValueError):
    """The body is not a Viber callback at all (400 to the sender)."""


@dataclass(frozen=True, slots=True)
class ViberInbound:
    """A callback for a scenario: a message, or `conversation_started` (`starts`)."""

    message_token: int
    user_id: str
    language: str | None
    event: InboundEvent
    starts: bool = False          # conversation_started: the start entry point, a welcome
    subscribed: bool = True       # a message subscribes; an opened conversation may not
    callback_query_id: None = None  # (Telegram's; the channel layer reads both kinds)
    message_id: None = None

    @property
    def chat_id(self) -> str:
        return self.user_id  # Viber bots talk to one person per chat

    @property
    def end_user_id(self) -> str:
        return f"viber:{self.user_id}"

    @property
    def client_message_id(self) -> str:
        """Viber resends a callback it had no 200 for, with the same token: a replay."""
        return f"vb:{self.message_token}"


@dataclass(frozen=True, slots=True)
class Receipt:
    """`delivered`, `seen` or `failed` for a message the bot sent (by its token)."""

    status: str
    message_token: int
    user_id: str | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    user_id: str
    subscribed: bool


@dataclass(frozen=True, slots=True)
class Skipped:
    reason: str


Callback = ViberInbound | Receipt | Subscription | Skipped


def signature(token: str, raw: bytes) -> str:
    """Viber's `X-Viber-Content-Signature`: HMAC-SHA256 of the raw body, keyed by the token."""
    return hmac.new(token.encode(), raw, hashlib.sha256).hexdigest()


def verified(token: str, raw: bytes, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(signature(token, raw),
                                                     given.strip().lower())


def parse_callback(data: Any) -> Callback:
    """What `data` (a webhook's JSON body) means. Raises `CallbackError` only for a body that
    is not a callback."""
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise CallbackError("a Viber callback is a JSON object with an event")
    event = data["event"]
    token = data.get("message_token")
    if event in ("delivered", "seen", "failed"):
        if not is_int(token):
            raise CallbackError(f"a {event} callback has an integer message_token")
        reason = data.get("desc") if isinstance(data.get("desc"), str) else None
        return Receipt(event, token, _text(data.get("user_id")), reason and reason[:300])
    if event == "subscribed":
        user = data.get("user") if isinstance(data.get("user"), dict) else {}
        user_id = _text(user.get("id"))
        return Subscription(user_id, True) if user_id else Skipped("subscribed without a user")
    if event == "unsubscribed":
        user_id = _text(data.get("user_id"))
        return Subscription(user_id, False) if user_id else Skipped(
            "unsubscribed without a user_id")
    if event == "conversation_started":
        user = data.get("user") if isinstance(data.get("user"), dict) else {}
        user_id = _text(user.get("id"))
        if not user_id or not is_int(token):
            raise CallbackError("conversation_started has a user id and a message_token")
        context = _text(data.get("context"))
        return ViberInbound(
            message_token=token, user_id=user_id, language=_text(user.get("language")),
            event=InboundEvent(kind="start", payload={"context": context[:1000]}
                               if context else None),
            starts=True, subscribed=data.get("subscribed") is True)
    if event == "message":
        return _message(data, token)
    if event == "webhook":
        return Skipped("Viber's check of the webhook")
    return Skipped(f"a {event[:40]} callback is not for scenarios")


def _message(data: dict[str, Any], token: Any) -> ViberInbound | Skipped:
    sender = data.get("sender") if isinstance(data.get("sender"), dict) else {}
    message = data.get("message") if isinstance(data.get("message"), dict) else None
    user_id = _text(sender.get("id"))
    if not user_id or message is None or not is_int(token):
        raise CallbackError("a message callback has a sender id, a message and a token")
    kind = message.get("type")
    text = _text(message.get("text"))
    if kind == "text" and text is not None:
        text = text[:MAX_TEXT_CHARS]
        choice = _choice(message.get("tracking_data"), text)
        if choice is not None:
            event = InboundEvent(kind="choice", choice_id=choice, text=text)
        elif text.strip().startswith("/") and len(text.strip()) > 1:
            word, _, rest = text.strip()[1:].partition(" ")
            event = InboundEvent(kind="command", command=word.lower()[:32], text=text.strip(),
                                 payload={"args": rest.strip()} if rest.strip() else None)
        else:
            event = InboundEvent(kind="text", text=text)
    else:
        event = _media(message, text)
    return ViberInbound(message_token=token, user_id=user_id,
                        language=_text(sender.get("language")), event=event)


def _media(message: dict[str, Any], caption: str | None) -> InboundEvent:
    kind = message.get("type")
    if kind == "location" and isinstance(message.get("location"), dict):
        where = message["location"]
        return InboundEvent(kind="location", payload={
            "type": "location", "latitude": _number(where.get("lat")),
            "longitude": _number(where.get("lon"))})
    if kind == "contact" and isinstance(message.get("contact"), dict):
        contact = message["contact"]
        return InboundEvent(kind="contact", payload={"type": "contact", **{
            out: contact[key][:200] for key, out in (("name", "name"),
                                                     ("phone_number", "phone_number"))
            if isinstance(contact.get(key), str)}})
    mapped = {"picture": "image", "video": "video", "file": "file"}.get(str(kind))
    if mapped is not None:
        payload: dict[str, Any] = {"type": mapped}
        for key in ("media", "thumbnail", "file_name", "size", "duration"):
            value = message.get(key)
            if isinstance(value, str) or is_count(value):
                payload[key] = value[:2000] if isinstance(value, str) else value
        if mapped == "file" and str(payload.get("file_name", "")).lower().endswith(
                (".ogg", ".oga", ".opus", ".m4a", ".mp3", ".wav", ".aac")):
            payload["type"] = mapped = "audio"  # a voice note or song sent as a file
        if caption:
            payload["caption"] = caption[:MAX_TEXT_CHARS]
        return InboundEvent(kind=mapped, payload=payload)  # type: ignore[arg-type]
    if kind == "sticker":
        return InboundEvent(kind="payload", payload={
            "type": "sticker", "sticker_id": message.get("sticker_id")
            if is_count(message.get("sticker_id")) else None})
    if kind == "url" and isinstance(message.get("media"), str):
        return InboundEvent(kind="text", text=message["media"][:MAX_TEXT_CHARS])
    return InboundEvent(kind="payload", payload={"type": "unsupported",
                                                 "what": str(kind)[:40]})


def choices_tracking(choices: dict[str, str]) -> str | None:
    """The `tracking_data` that maps the labels sent as buttons to their choice ids (None
    when it would pass Viber's 4,096 characters: the label then still matches by text)."""
    if not choices:
        return None
    data = orjson.dumps({"rz": 1, "choices": {_key(k): v for k, v in choices.items()}}).decode()
    return data if len(data) <= 4096 else None


def _choice(tracking: Any, text: str) -> str | None:
    if not isinstance(tracking, str) or not tracking.startswith('{"rz":1'):
        return None
    try:
        data = orjson.loads(tracking)
    except orjson.JSONDecodeError:
        return None
    choices = data.get("choices") if isinstance(data, dict) else None
    found = choices.get(_key(text)) if isinstance(choices, dict) else None
    return found if isinstance(found, str) else None


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
