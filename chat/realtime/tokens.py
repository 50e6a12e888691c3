"""Resume tokens: a signed note of which conversation (of which bot) a socket may rejoin."""

from __future__ import annotations

import uuid

import jwt

_TYPE = "resume"


def issue(key: str, conversation_id: uuid.UUID, bot_id: uuid.UUID) -> str:
    return jwt.encode({"typ": _TYPE, "cid": str(conversation_id), "bid": str(bot_id)}, key,
                      algorithm="HS256")


def read(key: str, token: str, bot_id: uuid.UUID) -> uuid.UUID | None:
    """The conversation, or None when the token is forged, garbled or for another bot."""
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"], options={"require": ["cid"]})
        if claims.get("typ") != _TYPE or claims.get("bid") != str(bot_id):
            return None
        return uuid.UUID(claims["cid"])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
