"""Encryption at rest for values the platform must read back (organization secrets, later
provider keys and messenger tokens): AES-256-GCM with keys from ``ROZMOVA_ENCRYPTION_KEYS``.

A token is ``version (1 byte) | key id (4 bytes) | nonce (12 bytes) | ciphertext and tag``.
The key id (a short hash of the key) says which configured key made it, so keys rotate:
the first key encrypts, every listed key decrypts, and :meth:`Encryptor.rotate_needed` finds
tokens to encrypt again. The header and a caller's ``context`` (say, organization id and
secret name) are authenticated with the ciphertext, so a token copied to another row, or
with a byte changed, does not decrypt.

In development and test, with no key configured, one key is derived from the token-signing
key (``Settings.signing_key()``) with HKDF; production refuses to start without a key
(``core.config``). Nothing here ever puts a plaintext in an exception message."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

if TYPE_CHECKING:
    from core.config import Settings

KEY_BYTES = 32
KEY_ID_BYTES = 4
NONCE_BYTES = 12
TAG_BYTES = 16
_VERSION = b"\x01"
_HEADER_BYTES = len(_VERSION) + KEY_ID_BYTES + NONCE_BYTES
# Labels keep these derivations apart from any other use of the same key material.
_KEY_ID_LABEL = b"rozmova/encryption-key-id/v1"
_DEV_KEY_SALT = b"rozmova/encryption-key/dev-derived"
_DEV_KEY_INFO = b"rozmova/encryption-key/v1"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class KeyFormatError(ValueError):
    """A configured encryption key is not a urlsafe-base64 encoding of 32 bytes."""


class DecryptionError(Exception):
    """A token did not decrypt: made with a key that is no longer configured, changed, or
    given the wrong context (copied from another row). Says which, never what it holds."""


def new_key() -> str:
    """A fresh key, as ``ROZMOVA_ENCRYPTION_KEYS`` takes it."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()


def parse_keys(value: str) -> list[bytes]:
    """``ROZMOVA_ENCRYPTION_KEYS``: comma-separated urlsafe-base64 32-byte keys, newest
    first. Raises KeyFormatError naming the key's position (never its text)."""
    entries = [entry.strip() for entry in value.split(",")]
    if not any(entries):
        raise KeyFormatError("lists no key")
    keys: list[bytes] = []
    for position, entry in enumerate(entries, start=1):
        if not entry:
            raise KeyFormatError(f"key {position} is empty (a stray comma?)")
        # Standard base64 (+/) is taken too: an operator may paste either alphabet.
        text = entry.replace("+", "-").replace("/", "_").rstrip("=")
        try:
            if not _BASE64URL.fullmatch(text):
                raise ValueError("not base64")
            key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            raise KeyFormatError(
                f"key {position} is not base64 (make a key with `openssl rand -base64 32`)"
            ) from None
        if len(key) != KEY_BYTES:
            raise KeyFormatError(
                f"key {position} decodes to {len(key)} bytes; AES-256 needs {KEY_BYTES}")
        if key in keys:
            raise KeyFormatError(f"key {position} repeats an earlier key")
        keys.append(key)
    return keys


def key_id(key: bytes) -> bytes:
    """A short, stable name for a key: enough to pick among a handful of configured keys,
    too short to say anything about the key."""
    return hashlib.sha256(_KEY_ID_LABEL + key).digest()[:KEY_ID_BYTES]


def derive_development_key(signing_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=_DEV_KEY_SALT,
                info=_DEV_KEY_INFO).derive(signing_key.encode())


class Encryptor:
    """AES-256-GCM with a list of keys: the first encrypts, all decrypt."""

    __slots__ = ("_ciphers", "_primary")

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise KeyFormatError("an Encryptor needs at least one key")
        for position, key in enumerate(keys, start=1):
            if len(key) != KEY_BYTES:
                raise KeyFormatError(
                    f"key {position} is {len(key)} bytes; AES-256 needs {KEY_BYTES}")
        self._ciphers = {key_id(key): AESGCM(key) for key in keys}
        if len(self._ciphers) != len(keys):
            raise KeyFormatError("two keys share a key id (the same key twice?)")
        self._primary = key_id(keys[0])

    @classmethod
    def from_settings(cls, settings: Settings) -> Encryptor:
        """The process's encryptor: ``encryption_keys``, or in development and test (settings
        refuse production without keys) one key derived from the signing key. Built once per
        distinct key material."""
        if settings.encryption_keys is not None:
            return _encryptor(settings.encryption_keys.get_secret_value(), None)
        return _encryptor(None, settings.signing_key())

    @property
    def key_id(self) -> str:
        """The encrypting key's id, as stored beside each ciphertext (hex)."""
        return self._primary.hex()

    def encrypt(self, plaintext: bytes, *, context: bytes) -> bytes:
        header = _VERSION + self._primary + os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self._primary].encrypt(header[-NONCE_BYTES:], plaintext,
                                                      header + context)
        return header + sealed

    def decrypt(self, token: bytes, *, context: bytes) -> bytes:
        token = bytes(token)  # memoryview from some drivers
        if len(token) < _HEADER_BYTES + TAG_BYTES or token[:1] != _VERSION:
            raise DecryptionError("not a ciphertext of this format (truncated or not encrypted "
                                  "by Rozmova)")
        kid = token[1:1 + KEY_ID_BYTES]
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise DecryptionError(
                f"encrypted with key {kid.hex()}, which is not among ROZMOVA_ENCRYPTION_KEYS "
                f"(configured: {', '.join(k.hex() for k in self._ciphers)}); add that key "
                "back to decrypt it")
        header = token[:_HEADER_BYTES]
        try:
            return cipher.decrypt(header[-NONCE_BYTES:], token[_HEADER_BYTES:],
                                  header + context)
        except InvalidTag:
            raise DecryptionError(
                f"the ciphertext (key {kid.hex()}) failed authentication: it was changed, or "
                "belongs to another record (wrong context)") from None

    def token_key_id(self, token: bytes) -> str:
        """The id of the key that made ``token`` (hex), whether or not it is configured."""
        return bytes(token[1:1 + KEY_ID_BYTES]).hex()

    def rotate_needed(self, token: bytes) -> bool:
        """Whether ``token`` was made with a key other than the encrypting one."""
        return bytes(token[1:1 + KEY_ID_BYTES]) != self._primary

    def __repr__(self) -> str:  # never the keys
        return f"Encryptor(keys={[k.hex() for k in self._ciphers]}, encrypting={self.key_id})"


@lru_cache(maxsize=8)
def _encryptor(keys: str | None, signing_key: str | None) -> Encryptor:
    if keys is not None:
        return Encryptor(parse_keys(keys))
    assert signing_key is not None
    return Encryptor([derive_development_key(signing_key)])
