"""What the providers API reads and answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"
ProviderName = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
ProviderPath = Annotated[str, Path(description="The provider's name: lower-case letters, "
                                   "digits, - and _.", pattern=NAME_PATTERN)]
Kind = Literal["openai", "azure", "gemini", "anthropic", "openai_compatible"]
SecretName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]


class ProviderPut(BaseModel):
    """A model the organization's scenarios reach by the provider's name."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind = Field(description="openai, azure (Azure OpenAI), gemini, anthropic, or "
                       "openai_compatible: any server speaking OpenAI's chat API (a local "
                       "llama.cpp or Ollama server).")
    model: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="The model as the provider names it (gpt-4o-mini, claude-3-5-haiku-latest, "
        "gemini-1.5-flash, an Azure deployment, llama3.1:8b).")
    api_base: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]{1,490}$")] | None = \
        Field(None, description="The server's address (required for azure and "
              "openai_compatible). Private addresses are refused unless the operator allows "
              "them (ROZMOVA_HTTP_ALLOW).")
    api_version: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        None, description="Azure's API version.")
    secret: SecretName | None = Field(None, description="The name of the organization's secret "
                                      "that holds the key (PUT /api/v1/secrets/{name}); none "
                                      "for a local server without keys.")
    fallbacks: list[ProviderName] = Field(default_factory=list, max_length=5, description=(
        "Providers tried in order when this one fails (an outage, a rate limit, a timeout)."))
    timeout_seconds: float = Field(30.0, ge=1, le=300)
    input_cost: float | None = Field(None, ge=0, description="Dollars per million prompt "
                                     "tokens, where litellm does not know the model's price.")
    output_cost: float | None = Field(None, ge=0, description="Dollars per million completion "
                                      "tokens.")
    max_concurrency: int | None = Field(None, ge=1, le=10_000, description=(
        "Calls to this provider in flight at once on one server (a bulkhead; a call waits "
        "up to 2 s for a slot, then goes to the fallbacks). A local model server with few "
        "slots needs this."))
    calls_per_minute: int | None = Field(None, ge=1, le=1_000_000, description=(
        "Calls to this provider a minute, across servers; past it, calls go to the "
        "fallbacks (or take the block's error port)."))

    @model_validator(mode="after")
    def _complete(self) -> ProviderPut:
        if self.kind in ("azure", "openai_compatible") and self.api_base is None:
            raise ValueError(f"a {self.kind} provider needs api_base")
        if self.kind != "openai_compatible" and self.secret is None:
            raise ValueError(f"a {self.kind} provider needs the secret that holds its key")
        if len(set(self.fallbacks)) != len(self.fallbacks):
            raise ValueError("fallbacks must not repeat")
        return self


class ProviderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: str
    model: str
    api_base: str | None
    api_version: str | None
    secret: str | None
    fallbacks: list[str]
    timeout_seconds: float
    input_cost: float | None
    output_cost: float | None
    max_concurrency: int | None
    calls_per_minute: int | None
    created_at: datetime
    updated_at: datetime


class ConnectionTest(BaseModel):
    ok: bool
    provider: str
    model: str
    milliseconds: float
    answer: str | None = Field(None, description="What the model said to a one-word prompt.")
    error: str | None = Field(None, description="The provider's reason (never the key).")
