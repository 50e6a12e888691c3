"""How the modules service finds the version a `module` block runs: one short query for the
version's id (the latest, or the one the block names), then the version itself from memory
when it was loaded before: versions are immutable, so a copy never goes stale."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from modules.library import service
from modules.library.models import Module, ModuleVersion
from modules.library.running import Runnable

MAX_CACHED = 1024


class ModuleNotFound(LookupError):
    """The organization has no such module or version; the message is for the author."""


class ModuleLoader:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._cache: dict[uuid.UUID, Runnable] = {}

    async def load(self, org_id: uuid.UUID, name: str, number: int | None) -> Runnable:
        async with self._sessionmaker() as session:
            found = await service.version_id(session=session, org_id=org_id, name=name,
                                             number=number)
            if found is None:
                exists = await session.scalar(select(Module.latest_version).where(
                    Module.org_id == org_id, Module.name == name))
                if exists is None:
                    raise ModuleNotFound(f"no module named '{name}' in this organization")
                if number is None:
                    raise ModuleNotFound(f"module '{name}' has no published version; "
                                         "publish it first")
                raise ModuleNotFound(f"module '{name}' has no version {number} (the latest "
                                     f"is {exists})")
            version_id, _ = found
            cached = self._cache.get(version_id)
            if cached is not None:
                return cached
            version = await session.get(ModuleVersion, version_id)
            assert version is not None
        runnable = Runnable(name=name, number=version.number, code=version.code,
                            input_schema=version.input_schema,
                            output_schema=version.output_schema, version_id=version_id,
                            cache_seconds=version.cache_seconds)
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        self._cache[version_id] = runnable
        return runnable
