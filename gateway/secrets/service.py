"""Secret logic: store (create or replace), list, read metadata, delete, and reveal for
services, always within one organization. Values are encrypted before they reach the
session and decrypted only in :func:`reveal`; nothing here logs or raises with a value."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import Encryptor
from core.errors import Conflict, NotFound
from core.logging import get_logger
from gateway.secrets.models import OrgSecret
from gateway.secrets.schemas import MAX_SECRETS

log = get_logger("rozmova.secrets")


def context(org_id: uuid.UUID, name: str) -> bytes:
    """What a secret's ciphertext is bound to: its organization and name."""
    return b"org_secret\x00" + org_id.bytes + b"\x00" + name.encode()


async def get(*, session: AsyncSession, org_id: uuid.UUID, name: str) -> OrgSecret | None:
    return await session.scalar(
        select(OrgSecret).where(OrgSecret.org_id == org_id, OrgSecret.name == name))


async def get_or_raise(*, session: AsyncSession, org_id: uuid.UUID, name: str) -> OrgSecret:
    secret = await get(session=session, org_id=org_id, name=name)
    if secret is None:
        # Another organization's secret answers exactly like a missing one.
        raise NotFound(f"no secret named '{name}' in your organization")
    return secret


async def get_all(*, session: AsyncSession, org_id: uuid.UUID) -> list[OrgSecret]:
    return list(await session.scalars(
        select(OrgSecret).where(OrgSecret.org_id == org_id).order_by(OrgSecret.name)))


def _seal(secret: OrgSecret, encryptor: Encryptor, value: str) -> None:
    secret.ciphertext = encryptor.encrypt(value.encode(),
                                          context=context(secret.org_id, secret.name))
    secret.key_id = encryptor.key_id


async def put(
    *, session: AsyncSession, encryptor: Encryptor, org_id: uuid.UUID, name: str, value: str,
    created_by: uuid.UUID | None,
) -> tuple[OrgSecret, bool]:
    """Store ``value`` under ``name``; returns the secret and whether it was created now."""
    secret = await get(session=session, org_id=org_id, name=name)
    created = secret is None
    if secret is None:
        kept = await session.scalar(
            select(func.count()).select_from(OrgSecret).where(OrgSecret.org_id == org_id))
        if kept >= MAX_SECRETS:
            raise Conflict(f"the organization keeps {kept} secrets, the most it may; delete "
                           "one it no longer uses first (DELETE /api/v1/secrets/{name})")
        secret = OrgSecret(org_id=org_id, name=name, created_by=created_by)
        _seal(secret, encryptor, value)
        try:
            async with session.begin_nested():
                session.add(secret)
                await session.flush()
        except IntegrityError:
            # A simultaneous request created it first: replace its value instead.
            secret = await get(session=session, org_id=org_id, name=name)
            if secret is None:
                raise Conflict("the secret could not be stored (was the organization "
                               "deleted meanwhile?); retry") from None
            created = False
    if not created:
        _seal(secret, encryptor, value)
        await session.flush()
    log.info("secrets.stored", org_id=str(org_id), name=name, created=created,
             key_id=secret.key_id)
    return secret, created


async def delete(*, session: AsyncSession, secret: OrgSecret) -> None:
    await session.delete(secret)
    await session.flush()
    log.info("secrets.deleted", org_id=str(secret.org_id), name=secret.name)


async def reveal(
    *, session: AsyncSession, encryptor: Encryptor, org_id: uuid.UUID, name: str
) -> str | None:
    """The secret's value in clear, or None when the organization has no such secret.
    Raises ``core.crypto.DecryptionError`` (naming the key, never the value) when the
    configured keys cannot open it. For services, not for any API answer."""
    ciphertext = await session.scalar(
        select(OrgSecret.ciphertext).where(OrgSecret.org_id == org_id, OrgSecret.name == name))
    if ciphertext is None:
        return None
    return encryptor.decrypt(ciphertext, context=context(org_id, name)).decode()


async def reencrypt(*, session: AsyncSession, encryptor: Encryptor, batch: int = 500) -> int:
    """Encrypt again, with the current key, every secret another key made (after a new key is
    put in front of ``ROZMOVA_ENCRYPTION_KEYS``, before an old one is dropped). ``updated_at``
    stays: the value did not change. Returns how many rows changed; the caller commits."""
    changed = 0
    while True:
        rows = (await session.execute(
            select(OrgSecret.id, OrgSecret.org_id, OrgSecret.name, OrgSecret.ciphertext)
            .where(OrgSecret.key_id != encryptor.key_id).order_by(OrgSecret.id).limit(batch)
        )).all()
        if not rows:
            return changed
        for row in rows:
            row_context = context(row.org_id, row.name)
            plaintext = encryptor.decrypt(row.ciphertext, context=row_context)
            await session.execute(
                update(OrgSecret).where(OrgSecret.id == row.id).values(
                    ciphertext=encryptor.encrypt(plaintext, context=row_context),
                    key_id=encryptor.key_id, updated_at=OrgSecret.updated_at))
        changed += len(rows)
        log.info("secrets.reencrypted", rows=len(rows), key_id=encryptor.key_id)
