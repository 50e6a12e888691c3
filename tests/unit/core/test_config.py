"""Settings: defaults, validation and the one-line start-up error."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from core.config import Environment, Settings, describe_settings_error


def test_defaults_are_embedded_sqlite_and_no_redis(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(_env_file=None, data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path}/rozmova.db"
    assert settings.redis_url is None


def test_development_generates_and_keeps_a_signing_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = Settings(_env_file=None, data_dir=tmp_path).signing_key()
    again = Settings(_env_file=None, data_dir=tmp_path).signing_key()
    assert first == again and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(("field", "value", "needle"), [
    ("database_url", "mysql://x", "ROZMOVA_DATABASE_URL"),
    ("redis_url", "http://x", "ROZMOVA_REDIS_URL"),
    ("port", 0, "ROZMOVA_PORT"),
])
def test_bad_settings_name_the_variable(field: str, value: object, needle: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, **{field: value})
    assert needle in describe_settings_error(caught.value)


def test_production_requires_a_long_secret_key() -> None:
    with pytest.raises(ValidationError, match="ROZMOVA_SECRET_KEY"):
        Settings(_env_file=None, env=Environment.production)
    Settings(_env_file=None, env=Environment.production, secret_key="x" * 32,
             encryption_keys="A" * 43)


def test_cli_stops_with_one_clear_line_on_a_bad_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "migrate"], capture_output=True, text=True,
        env={"ROZMOVA_DATABASE_URL": "oracle://nope", "PATH": "/usr/bin:/bin"},
        cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rozmova: bad setting ROZMOVA_DATABASE_URL")
