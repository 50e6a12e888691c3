"""Resume tokens: a signed note of which conversation (of which bot) a socket may rejoin,
valid for a limited time (``ROZMOVA_WS_RESUME_TOKEN_TTL_SECONDS``); every welcome issues a
fresh one, so a conversation in use keeps a valid token."""

from __future__ import annotations

import time
import uuid

import jwt

_TYPE = "resume"


def issue(key: str, conversation_id: uuid.UUID, bot_id: uuid.UUID, *,
          ttl_seconds: float) -> str:
    now = int(time.time())
    return jwt.encode({"typ": _TYPE, "cid": str(conversation_id), "bid": str(bot_id),
                       "iat": now, "exp": now + int(ttl_seconds)}, key, algorithm="HS256")


def read(key: str, token: str, bot_id: uuid.UUID) -> uuid.UUID | None:
    """The conversation, or None when the token is forged, garbled, expired, without an
    expiry (issued before tokens had one) or for another bot."""
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"],
                            options={"require": ["cid", "exp"]})
        if claims.get("typ") != _TYPE or claims.get("bid") != str(bot_id):
            return None
        return uuid.UUID(claims["cid"])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
