"""Request and response bodies of the module library's endpoints."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue
from pydantic_core import PydanticCustomError

from core.types import Revision, Text

NAME_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
MAX_CODE_CHARS = 64 * 1024
MAX_TEST_CASES = 50
_NAME = re.compile(NAME_PATTERN)


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise PydanticCustomError(
            "module_name", "{name} is not a module name: use 1 to 64 lowercase ASCII letters, "
            "digits and underscores, starting with a letter (like price_with_vat)",
            {"name": repr(name[:80])})
    return name


ModuleName = Annotated[str, AfterValidator(check_name), Field(
    json_schema_extra={"pattern": NAME_PATTERN}, examples=["price_with_vat"])]
ModuleNamePath = Annotated[str, Path(
    description="1 to 64 lowercase ASCII letters, digits and underscores, starting with a "
    "letter.", json_schema_extra={"pattern": NAME_PATTERN, "minLength": 1, "maxLength": 64},
    examples=["price_with_vat"]), AfterValidator(check_name)]
Code = Annotated[Text, Field(max_length=MAX_CODE_CHARS, description=(
    "The body of a JavaScript function of `input`; what it returns is the output: "
    "`return {total: input.price * 1.2}`."))]
Schema = Annotated[dict[str, Any], Field(description="A JSON Schema (draft 2020-12).")]


class ModuleTestCase(BaseModel):
    """Run at publish: `input` must fit the input schema, the output the output schema, and
    the output must equal `expected`."""

    model_config = ConfigDict(extra="forbid")
    __test__ = False  # not a pytest class

    name: Text = Field(min_length=1, max_length=120)
    input: JsonValue = None
    expected: JsonValue = None


class ModuleDraft(BaseModel):
    """The editable part of a module."""

    model_config = ConfigDict(extra="forbid")

    description: Text = Field("", max_length=2000)
    code: Code = "return input;"
    input_schema: Schema = Field(default_factory=dict)
    output_schema: Schema = Field(default_factory=dict)
    test_cases: list[ModuleTestCase] = Field(default_factory=list, max_length=MAX_TEST_CASES)
    cache_seconds: int = Field(
        0, ge=0, le=7 * 24 * 3600,
        description="Keep each input's result this long (0: never). Only for modules whose "
        "output depends on their input alone (no Date, no Math.random).")


class ModuleCreate(ModuleDraft):
    name: ModuleName


class ModuleUpdate(ModuleDraft):
    """The whole draft, replaced; send `If-Match` with the revision you edited."""


class ModuleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str
    revision: int = Field(description="Draft revision; send it back as If-Match to save.")
    latest_version: int = Field(description="Highest published version number; 0 if none.")
    created_at: datetime
    updated_at: datetime


class ModuleDetail(ModuleRead):
    code: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    test_cases: list[ModuleTestCase]
    cache_seconds: int


class ModulePage(BaseModel):
    items: list[ModuleRead]
    total: int


class ModuleIssue(BaseModel):
    path: str = Field(description="JSON pointer into the draft, e.g. /code or /input_schema.")
    message: str
    line: int | None = None
    column: int | None = None


class ModuleValidation(BaseModel):
    valid: bool
    errors: list[ModuleIssue]


class ModuleTestResult(BaseModel):
    name: str
    passed: bool
    output: JsonValue = Field(None, description="What the code returned (null when it failed).")
    expected: JsonValue = None
    error: str | None = Field(None, description="Why the case failed, when it did.")
    logs: list[str] = Field(default_factory=list, description="The case's console output.")
    ms: float = Field(description="How long the case ran, in milliseconds.")


class ModuleTestRun(BaseModel):
    revision: int = Field(description="The draft revision whose test cases ran.")
    passed: bool = Field(description="Whether every case passed (true when there are none).")
    results: list[ModuleTestResult]


class ModulePublish(BaseModel):
    model_config = ConfigDict(extra="forbid")

    changelog: Text = Field("", max_length=2000)
    revision: Revision | None = Field(
        None, description="The draft revision you reviewed; publishing a newer one is a 409.")


class ModuleVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    changelog: str
    published_by: str
    created_at: datetime


class ModuleVersionDetail(ModuleVersionRead):
    code: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    cache_seconds: int


class ModuleVersionPage(BaseModel):
    items: list[ModuleVersionRead]
    total: int
