"""Request and response bodies of the secret endpoints. No response carries a value, masked
or not: a secret is written, never read back through the API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
MAX_VALUE_CHARS = 8192
MAX_SECRETS = 500
"""Secrets one organization may keep: enough for every integration it has, and a bound on
what one organization stores and lists."""
_NAME = re.compile(NAME_PATTERN)


def check_name(name: str) -> str:
    if not _NAME.match(name):
        # A custom error: its message reads without pydantic's "Value error, " prefix.
        raise PydanticCustomError(
            "secret_name", "{name} is not a secret name: use 1 to 64 ASCII letters, digits and "
            "underscores, not starting with a digit (like API_TOKEN)",
            {"name": repr(name[:80])})
    return name


# The pattern is in the OpenAPI document; the check itself gives the readable message.
SecretName = Annotated[str, Path(
    description="1 to 64 ASCII letters, digits and underscores, not starting with a digit; "
    "case-sensitive.",
    json_schema_extra={"pattern": NAME_PATTERN, "minLength": 1, "maxLength": 64},
    examples=["CRM_API_TOKEN"]), AfterValidator(check_name)]


class SecretPut(BaseModel):
    """The value to store under the name, creating the secret or replacing its value."""

    model_config = ConfigDict(extra="forbid")

    # A plain str for readable length messages (pydantic refuses lone surrogates itself);
    # repr=False keeps it out of any repr.
    value: str = Field(
        min_length=1, max_length=MAX_VALUE_CHARS, repr=False,
        json_schema_extra={"format": "password", "writeOnly": True},
        description="Stored encrypted; never returned by any endpoint.")


class SecretRead(BaseModel):
    """What is known of a secret without revealing it."""

    model_config = ConfigDict(from_attributes=True)

    name: str = Field(examples=["CRM_API_TOKEN"])
    created_at: datetime
    updated_at: datetime = Field(description="When the value was last set.")
