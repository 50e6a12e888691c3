"""Auth primitives: roles, the authenticated principal, password hashing (argon2), signed
access tokens (JWT), and opaque secrets (refresh tokens, API keys) stored only as hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

import jwt
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, Field
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.errors import Forbidden, Unauthorized


def _email(value: str) -> str:
    # Self-hosted teams use internal domains (.local, .lan): accept any well-formed address,
    # not only globally deliverable ones.
    try:
        result = validate_email(value, check_deliverability=False, globally_deliverable=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None
    return result.normalized.lower()


EmailAddress = Annotated[str, AfterValidator(_email),
                         Field(max_length=320, json_schema_extra={"format": "email"})]
"""A well-formed email address, normalized to lower case."""


class Role(StrEnum):
    """Each role includes the ones before it. An operator talks in conversations (answers a
    handed-off person, sends and starts conversations with organization credentials) but
    cannot change bots or scenarios; a viewer only reads."""

    viewer = "viewer"
    operator = "operator"
    editor = "editor"
    admin = "admin"
    owner = "owner"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


_RANK = {Role.viewer: 0, Role.operator: 1, Role.editor: 2, Role.admin: 3, Role.owner: 4}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, in which organization, with which role."""

    org_id: uuid.UUID
    role: Role
    user_id: uuid.UUID | None = None  # None when the caller is an API key
    api_key_id: uuid.UUID | None = None

    def require(self, needed: Role) -> None:
        if not self.role.allows(needed):
            raise Forbidden(
                f"this needs the {needed.value} role or higher; you have {self.role.value}"
            )

    @property
    def actor(self) -> str:
        return f"user:{self.user_id}" if self.user_id else f"api_key:{self.api_key_id}"


_hasher = PasswordHasher()
# Verifying against this when the account does not exist keeps login time the same either way.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


ACCESS_TOKEN_ALGORITHM = "HS256"


def issue_access_token(
    key: str, *, user_id: uuid.UUID, org_id: uuid.UUID, ttl_seconds: int
) -> tuple[str, datetime]:
    now = datetime.now(UTC)
    expires = now + timedelta(seconds=ttl_seconds)
    claims = {
        "sub": str(user_id), "org": str(org_id), "iat": now, "exp": expires,
        "jti": uuid.uuid4().hex, "typ": "access",
    }
    return jwt.encode(claims, key, algorithm=ACCESS_TOKEN_ALGORITHM), expires


def read_access_token(key: str, token: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(
            token, key, algorithms=[ACCESS_TOKEN_ALGORITHM],
            options={"require": ["sub", "org", "exp", "typ"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("the access token has expired; refresh it") from None
    except jwt.PyJWTError:
        raise Unauthorized("the access token is not valid") from None
    if claims.get("typ") != "access":
        raise Unauthorized("the access token is not valid")
    return claims


API_KEY_PREFIX = "rzk_"


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Refresh tokens and API keys carry 256 random bits, so a fast hash is as safe as a slow
    one here and keeps per-request key checks cheap."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
