"""How other code reads a secret in clear: the one way out of the store.

Services never import the gateway (import-linter), so a consumer such as the HTTP block
declares a ``SecretsClient``-shaped protocol of its own and the composition root
(``gateway.app.service_clients``) hands it an :class:`InProcessSecretsClient`. Each
``reveal`` reads in its own short session, so a caller holds no transaction while it then
makes its slow call; code already inside a transaction can use
``gateway.secrets.service.reveal`` with its session instead."""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.crypto import Encryptor
from core.runtime import Runtime
from gateway.secrets import service


class SecretsClient(Protocol):
    async def reveal(self, org_id: uuid.UUID, name: str) -> str | None: ...


class InProcessSecretsClient:
    """Reads the database directly. ``reveal`` returns None for a name the organization does
    not have, and raises ``core.crypto.DecryptionError`` (which names keys, never values)
    when the configured keys cannot open the stored value."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 encryptor: Encryptor) -> None:
        self._sessionmaker = sessionmaker
        self._encryptor = encryptor

    @classmethod
    def from_runtime(cls, runtime: Runtime) -> InProcessSecretsClient:
        return cls(runtime.sessionmaker, Encryptor.from_settings(runtime.settings))

    async def reveal(self, org_id: uuid.UUID, name: str) -> str | None:
        async with self._sessionmaker() as session:
            return await service.reveal(session=session, encryptor=self._encryptor,
                                        org_id=org_id, name=name)

    def __repr__(self) -> str:
        return "InProcessSecretsClient()"


async def reveal(runtime: Runtime, org_id: uuid.UUID, name: str) -> str | None:
    """One secret's value in clear, or None: for code that has the runtime at hand."""
    return await InProcessSecretsClient.from_runtime(runtime).reveal(org_id, name)
