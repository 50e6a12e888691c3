"""The JSON Schema of the scenario document, generated from the Pydantic models and the block
registry (so each block type's settings get their own schema), and the checked-in copy
editors use. `python -m scenarios.format.schema` regenerates that copy."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

import scenarios.format.blocks  # noqa: F401  (registers the built-in block types)
from scenarios.format.models import CURRENT_SCHEMA_VERSION, ScenarioDocument
from scenarios.format.registry import BlockRegistry, block_registry

SCHEMA_ID = f"https://rozmova.dev/schemas/scenario-v{CURRENT_SCHEMA_VERSION}.json"
SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")


def scenario_json_schema(registry: BlockRegistry = block_registry) -> dict[str, Any]:
    """The document schema; `blocks.items` is a oneOf over the registered block types."""
    block_types = list(registry)
    keys, top = models_json_schema(
        [(ScenarioDocument, "validation"),
         *((bt.settings_model, "validation") for bt in block_types)],
        ref_template="#/$defs/{model}")
    defs: dict[str, Any] = top.get("$defs", {})
    document_ref = keys[(ScenarioDocument, "validation")]["$ref"].rsplit("/", 1)[-1]
    schema = defs.pop(document_ref)

    generic = defs["Block"]
    variants = []
    for bt in block_types:
        properties = dict(generic["properties"])
        properties["type"] = {"const": bt.name, "description": bt.description}
        properties["settings"] = keys[(bt.settings_model, "validation")]
        variants.append({
            "type": "object",
            "title": bt.name,
            "properties": properties,
            "required": ["id", "type"],
            "additionalProperties": False,
        })
    defs["Block"] = {"title": "Block", "oneOf": variants}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "Rozmova scenario document, format v1",
        "$defs": defs,
    }


def render_schema(registry: BlockRegistry = block_registry) -> str:
    return json.dumps(scenario_json_schema(registry), indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"


def write_schema(path: str | Path = SCHEMA_PATH,
                 registry: BlockRegistry = block_registry) -> Path:
    path = Path(path)
    path.write_text(render_schema(registry), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_schema(sys.argv[1] if len(sys.argv) > 1 else SCHEMA_PATH))
