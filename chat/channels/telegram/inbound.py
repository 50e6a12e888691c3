"""A Telegram update as the event a scenario sees, or the reason it is not for a scenario.

Updates are read as plain JSON, field by field, rather than through python-telegram-bot's
`Update.de_json`: that constructor raises on payloads older Bot API versions sent (a photo
without `file_unique_id`, say), and a webhook must answer every update Telegram sends, the
old and the unusual ones included, without an error. Whatever the scenario cannot use as
text, a button or a command arrives as an event of its kind (`image`, `audio` for voice and
audio, `video`, `file`, `location`, `contact`) with its details in `payload`, or as a
`payload` event whose `type` names it (`sticker`, `unsupported`); a scenario that does not
handle one answers with its fallback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chat.channels.fields import is_count, is_int
from chat.conversations.schemas import MAX_TEXT_CHARS
from orchestrator.contract import MEDIA_KINDS, InboundEvent

# Updates a scenario never sees: edits, channels, payments, inline mode, membership changes.
_NOT_FOR_SCENARIOS = {
    "edited_message": "an edited message is ignored (the scenario has answered the original)",
    "edited_channel_post": "channel posts are ignored",
    "channel_post": "channel posts are ignored",
}


class UpdateError(ValueError):
    """The body is not a Telegram update at all (400 to the sender)."""


@dataclass(frozen=True, slots=True)
class TelegramInbound:
    """One update for a scenario."""

    update_id: int
    chat_id: int
    user_id: int | None
    language: str | None             # the sender's `language_code`, when Telegram gives it
    event: InboundEvent
    callback_query_id: str | None = None  # a pressed button: answered with answerCallbackQuery
    message_id: int | None = None         # the message whose keyboard was pressed

    @property
    def end_user_id(self) -> str:
        """Who the person is across their conversations with the bot."""
        return f"telegram:{self.user_id if self.user_id is not None else self.chat_id}"

    @property
    def client_message_id(self) -> str:
        """Telegram resends an update it had no 200 for: the id makes the resend a replay."""
        return f"tg:{self.update_id}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """An update answered 200 and dropped, with why (for the log)."""

    update_id: int
    reason: str


def parse_update(data: Any, *, bot_username: str | None = None
                 ) -> TelegramInbound | Skipped:
    """What `data` (a webhook's JSON body, or one of getUpdates' results) means for the bot
    named `bot_username`. Raises `UpdateError` only for a body that is not an update."""
    if not isinstance(data, dict):
        raise UpdateError("a Telegram update is a JSON object")
    update_id = data.get("update_id")
    if not is_int(update_id):
        raise UpdateError("a Telegram update has an integer update_id")
    for kind, reason in _NOT_FOR_SCENARIOS.items():
        if kind in data:
            return Skipped(update_id, reason)
    if isinstance(data.get("callback_query"), dict):
        return _callback(update_id, data["callback_query"])
    message = data.get("message")
    if isinstance(message, dict):
        return _message(update_id, message, bot_username)
    kinds = sorted(k for k in data if k != "update_id")
    return Skipped(update_id, f"{', '.join(kinds) or 'an empty'} update is not for scenarios")


def _message(update_id: int, message: dict[str, Any], bot_username: str | None
             ) -> TelegramInbound | Skipped:
    chat = message.get("chat")
    if not isinstance(chat, dict) or not is_int(chat.get("id")):
        return Skipped(update_id, "a message without a chat")
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    if sender.get("is_bot"):
        return Skipped(update_id, "messages from bots are ignored")
    group = chat.get("type") in ("group", "supergroup")
    text = message.get("text") if isinstance(message.get("text"), str) else None
    caption = message.get("caption") if isinstance(message.get("caption"), str) else None
    if group and not _addressed(message, text or caption, bot_username):
        return Skipped(update_id, "in a group the bot answers only when addressed")
    event = _event(message, text, caption, bot_username)
    if event is None:
        return Skipped(update_id, "a command for another bot")
    return TelegramInbound(
        update_id=update_id, chat_id=chat["id"],
        user_id=sender.get("id") if is_int(sender.get("id")) else None,
        language=_text_or_none(sender.get("language_code")), event=event)


def _event(message: dict[str, Any], text: str | None, caption: str | None,
           bot_username: str | None) -> InboundEvent | None:
    if text is not None:
        text = text[:MAX_TEXT_CHARS]
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1:
            word, _, rest = stripped[1:].partition(" ")
            name, _, addressee = word.partition("@")
            if addressee and bot_username and addressee.lower() != bot_username.lower():
                return None
            if 0 < len(name) <= 32:
                return InboundEvent(kind="command", command=name.lower(), text=stripped,
                                    payload={"args": rest.strip()} if rest.strip() else None)
        if bot_username:
            text = text.replace(f"@{bot_username}", "").strip() or text
        return InboundEvent(kind="text", text=text)
    payload = _media(message)
    if caption:
        payload["caption"] = caption[:MAX_TEXT_CHARS]
    kind = payload["type"]
    return InboundEvent(kind=kind if kind in MEDIA_KINDS else "payload", payload=payload)


def _media(message: dict[str, Any]) -> dict[str, Any]:
    """What a non-text message carries, as plain JSON: files by Telegram's file id (the
    bytes are fetched with getFile only by a block that needs them)."""
    photo = message.get("photo")
    if isinstance(photo, list) and photo and isinstance(photo[-1], dict):
        return {"type": "image", **_file(photo[-1])}  # the largest size comes last
    for key, kind in (("voice", "audio"), ("audio", "audio"), ("video", "video"),
                      ("video_note", "video"), ("animation", "video"), ("document", "file")):
        item = message.get(key)
        if isinstance(item, dict):
            return {"type": kind, "source": key, **_file(item)}
    location = message.get("location")
    if isinstance(location, dict):
        return {"type": "location", "latitude": location.get("latitude"),
                "longitude": location.get("longitude")}
    contact = message.get("contact")
    if isinstance(contact, dict):
        return {"type": "contact", **{k: contact[k] for k in (
            "phone_number", "first_name", "last_name", "user_id")
            if isinstance(contact.get(k), str) or is_count(contact.get(k))}}
    sticker = message.get("sticker")
    if isinstance(sticker, dict):
        return {"type": "sticker", "emoji": _text_or_none(sticker.get("emoji"))}
    kinds = sorted(k for k in message if k not in (
        "message_id", "from", "chat", "date", "forward_from", "forward_date",
        "forward_from_chat", "forward_origin", "reply_to_message", "entities",
        "caption_entities", "sender_chat", "message_thread_id", "is_topic_message"))
    return {"type": "unsupported", "what": kinds[0] if kinds else "message"}


def _file(item: dict[str, Any]) -> dict[str, Any]:
    out = {"file_id": _text_or_none(item.get("file_id"))}
    for key in ("file_name", "mime_type", "file_size", "duration", "width", "height"):
        value = item.get(key)
        if isinstance(value, str) or is_count(value):
            out[key] = value
    return out


def _addressed(message: dict[str, Any], text: str | None, bot_username: str | None) -> bool:
    """In a group: a command (to this bot or to every bot), a mention, or a reply to it."""
    if text is not None:
        stripped = text.strip()
        if stripped.startswith("/"):
            addressee = stripped[1:].split(" ", 1)[0].partition("@")[2]
            return not addressee or (bot_username is not None
                                     and addressee.lower() == bot_username.lower())
        if bot_username and f"@{bot_username.lower()}" in text.lower():
            return True
    reply = message.get("reply_to_message")
    if isinstance(reply, dict) and isinstance(reply.get("from"), dict):
        return bool(bot_username) and reply["from"].get("username") == bot_username
    return False


def _callback(update_id: int, query: dict[str, Any]) -> TelegramInbound | Skipped:
    message = query.get("message") if isinstance(query.get("message"), dict) else {}
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    sender = query.get("from") if isinstance(query.get("from"), dict) else {}
    data = query.get("data")
    if not isinstance(data, str) or not data or not is_int(chat.get("id")):
        return Skipped(update_id, "a button press without data or chat (a game or an old "
                                  "inline message)")
    return TelegramInbound(
        update_id=update_id, chat_id=chat["id"],
        user_id=sender.get("id") if is_int(sender.get("id")) else None,
        language=_text_or_none(sender.get("language_code")),
        event=InboundEvent(kind="choice", choice_id=data),
        callback_query_id=_text_or_none(query.get("id")),
        message_id=message.get("message_id") if is_int(message.get("message_id")) else None)


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None
