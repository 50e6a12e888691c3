"""Encryption at rest (core.crypto): AES-256-GCM round trips, tampering and wrong contexts
refused, key rotation, and key settings that are refused with a clear line."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.config import Environment, Settings, describe_settings_error
from core.crypto import (
    DecryptionError,
    Encryptor,
    KeyFormatError,
    key_id,
    new_key,
    parse_keys,
)

PLAINTEXT = "sk-live-Привіт-0123456789".encode()
CONTEXT = b"org_secret\x00org-1\x00CRM_TOKEN"
ROOT = Path(__file__).resolve().parents[3]


def encryptor(*keys: str) -> Encryptor:
    return Encryptor(parse_keys(",".join(keys)))


def test_round_trip_and_a_fresh_nonce_each_time() -> None:
    box = encryptor(new_key())
    first, second = (box.encrypt(PLAINTEXT, context=CONTEXT) for _ in range(2))
    assert first != second  # a new nonce per encryption
    assert PLAINTEXT not in first
    assert box.decrypt(first, context=CONTEXT) == PLAINTEXT
    assert box.decrypt(second, context=CONTEXT) == PLAINTEXT
    assert box.decrypt(box.encrypt(b"", context=b""), context=b"") == b""


@pytest.mark.parametrize("position", [0, 1, 6, 17, 20, -1])
def test_any_changed_byte_is_refused(position: int) -> None:
    box = encryptor(new_key())
    token = bytearray(box.encrypt(PLAINTEXT, context=CONTEXT))
    token[position] ^= 0x01
    with pytest.raises(DecryptionError) as caught:
        box.decrypt(bytes(token), context=CONTEXT)
    assert "Привіт" not in str(caught.value) and "sk-live" not in str(caught.value)


def test_truncated_or_foreign_bytes_are_refused() -> None:
    box = encryptor(new_key())
    token = box.encrypt(PLAINTEXT, context=CONTEXT)
    for broken in (b"", token[:20], b"plain text that was never encrypted by us"):
        with pytest.raises(DecryptionError):
            box.decrypt(broken, context=CONTEXT)


def test_a_token_decrypts_only_in_its_own_context() -> None:
    box = encryptor(new_key())
    token = box.encrypt(PLAINTEXT, context=CONTEXT)
    with pytest.raises(DecryptionError, match="another record"):
        box.decrypt(token, context=b"org_secret\x00org-2\x00CRM_TOKEN")


def test_rotation_new_key_encrypts_old_keys_still_decrypt() -> None:
    old, new = new_key(), new_key()
    before = encryptor(old)
    old_token = before.encrypt(PLAINTEXT, context=CONTEXT)

    after = encryptor(new, old)
    assert after.decrypt(old_token, context=CONTEXT) == PLAINTEXT
    assert after.rotate_needed(old_token)
    new_token = after.encrypt(PLAINTEXT, context=CONTEXT)
    assert not after.rotate_needed(new_token)
    assert after.key_id == key_id(parse_keys(new)[0]).hex() == after.token_key_id(new_token)
    assert after.token_key_id(old_token) == before.key_id

    # The old key dropped: its tokens no longer open, and the error says which key they need.
    with pytest.raises(DecryptionError, match=before.key_id):
        encryptor(new).decrypt(old_token, context=CONTEXT)
    # An old key alone cannot open what the new one made.
    with pytest.raises(DecryptionError):
        before.decrypt(new_token, context=CONTEXT)


def test_keys_are_taken_in_either_base64_alphabet_with_or_without_padding() -> None:
    raw = os.urandom(32)
    forms = [base64.urlsafe_b64encode(raw).decode(), base64.b64encode(raw).decode(),
             base64.urlsafe_b64encode(raw).decode().rstrip("="), f"  {new_key()} "]
    for form in forms[:3]:
        assert parse_keys(form) == [raw]
    assert len(parse_keys(forms[3])) == 1


@pytest.mark.parametrize(("value", "message"), [
    ("", "lists no key"),
    (" , ", "lists no key"),
    ("not base64!", "key 1 is not base64"),
    (base64.urlsafe_b64encode(b"short").decode(), "key 1 decodes to 5 bytes; AES-256 needs 32"),
    (base64.urlsafe_b64encode(bytes(range(64))).decode(), "decodes to 64 bytes"),
    ("A" * 43 + "," , "key 2 is empty"),
])
def test_bad_keys_are_refused_with_a_clear_message(value: str, message: str) -> None:
    with pytest.raises(KeyFormatError, match=message):
        parse_keys(value)


def test_a_repeated_key_is_refused() -> None:
    key = new_key()
    with pytest.raises(KeyFormatError, match="key 2 repeats"):
        parse_keys(f"{key},{key}")
    with pytest.raises(KeyFormatError, match="32"):
        Encryptor([b"x" * 16])


def test_the_setting_names_the_variable_and_never_echoes_a_key() -> None:
    bad = base64.urlsafe_b64encode(b"sixteen byte key").decode()
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, encryption_keys=f"{new_key()},{bad}")
    line = describe_settings_error(caught.value)
    assert line == "bad setting ROZMOVA_ENCRYPTION_KEYS: key 2 decodes to 16 bytes; " \
                   "AES-256 needs 32"
    assert bad not in str(caught.value)


def test_production_refuses_to_start_without_a_key() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, env=Environment.production, secret_key="x" * 32)
    assert "ROZMOVA_ENCRYPTION_KEYS must be set in production" in \
        describe_settings_error(caught.value)
    configured = Settings(_env_file=None, env=Environment.production, secret_key="x" * 32,
                          encryption_keys=new_key())
    assert Encryptor.from_settings(configured).key_id


def test_the_cli_stops_with_one_line_when_production_has_no_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "migrate"], capture_output=True, text=True,
        check=False,
        env={"ROZMOVA_ENV": "production", "ROZMOVA_SECRET_KEY": "x" * 40,
             "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rozmova: bad setting settings: ROZMOVA_ENCRYPTION_KEYS must be "
                               "set in production")


def test_development_derives_a_stable_key_from_the_signing_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    def settings(secret_key: str | None) -> Settings:
        return Settings(_env_file=None, env=Environment.test, data_dir=tmp_path,
                        secret_key=secret_key)

    one = Encryptor.from_settings(settings("a" * 32))
    token = one.encrypt(PLAINTEXT, context=CONTEXT)
    assert Encryptor.from_settings(settings("a" * 32)).decrypt(token, context=CONTEXT) == \
        PLAINTEXT
    assert Encryptor.from_settings(settings("b" * 32)).key_id != one.key_id
    # No secret key either: derived from the generated one kept under data_dir.
    generated = Encryptor.from_settings(settings(None))
    assert Encryptor.from_settings(settings(None)).key_id == generated.key_id
    # A configured key wins over the derivation.
    key = new_key()
    configured = Settings(_env_file=None, env=Environment.test, data_dir=tmp_path,
                          secret_key="a" * 32, encryption_keys=key)
    assert Encryptor.from_settings(configured).key_id == encryptor(key).key_id


def test_repr_shows_key_ids_not_keys() -> None:
    key = new_key()
    text = repr(encryptor(key))
    assert key not in text and key_id(parse_keys(key)[0]).hex() in text
