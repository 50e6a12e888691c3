"""Migrations: they build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import migrations.models  # noqa: F401
from core.db import Base
from migrations.runner import current_head


async def test_migrated_schema_matches_the_models(runtime) -> None:  # type: ignore[no-untyped-def]
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata), context.get_current_revision()

    async with runtime.engine.connect() as connection:
        changes, revision = await connection.run_sync(diff)
    assert revision == current_head()
    assert changes == [], f"models and migrations differ; add a migration: {changes}"
