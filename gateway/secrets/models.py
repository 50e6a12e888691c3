"""The secret table: one encrypted value per (organization, name)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, cached_as


class OrgSecret(IdMixin, TimestampMixin, Base):
    """A named secret of an organization. Only the ciphertext is stored: no hash, length or
    last characters that would say anything about the value. The ciphertext is bound to its
    organization and name (``gateway.secrets.service.context``), so copied to another row it
    does not decrypt."""

    __tablename__ = "org_secrets"
    # The unique index leads with org_id, so it also serves an organization's listing.
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(64))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    # Which key encrypted it (also inside the ciphertext): rows a retired key still holds are
    # found by a query, without decrypting anything.
    key_id: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )


# Services keep what they read of an organization's secrets a few seconds (the LLM service:
# its providers' keys); a commit that changes one drops those copies on every instance.
cached_as(OrgSecret, lambda secret: [f"org-secrets:{secret.org_id}"])
