"""Row ids for the hot path. `uuid.uuid4()` reads the kernel's random source on every call (a
system call per message row, several per turn); these ids come from a generator seeded once
from it per process. They identify rows, never authorise anything: anything that must not be
guessed (tokens, keys) keeps using `secrets`."""

from __future__ import annotations

import os
import random
import uuid

_random = random.Random(os.urandom(32))
_VERSION_4 = (4 << 76) | (2 << 62)  # the version and variant bits of a random UUID
_CLEAR = ~((0xF << 76) | (0x3 << 62))


_new = object.__new__
_set = object.__setattr__
_UNKNOWN = uuid.SafeUUID.unknown


def new_id() -> uuid.UUID:
    """A random (version 4) UUID, unique with the odds of any 122 random bits. Filled the
    way `uuid.UUID(int=...)` fills it, without its argument checks (a row id per message)."""
    value = _new(uuid.UUID)
    _set(value, "int", (_random.getrandbits(128) & _CLEAR) | _VERSION_4)
    _set(value, "is_safe", _UNKNOWN)
    return value


def reseed() -> None:
    """After a fork, so that two processes never share a sequence."""
    _random.seed(os.urandom(32))


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=reseed)
