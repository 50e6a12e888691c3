"""The generated JSON Schema: checked in, in sync with the code, and accepting the example."""

from __future__ import annotations

import copy
import json

from jsonschema import Draft202012Validator

from scenarios.format.schema import SCHEMA_PATH, render_schema, scenario_json_schema
from scenarios.format import CURRENT_SCHEMA_VERSION, block_registry, validate_document


def test_checked_in_schema_is_current():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        "scenario.schema.json is stale: run `python -m scenarios.format.schema` to regenerate")


def test_schema_shape():
    schema = scenario_json_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://rozmova.dev/schemas/scenario-v{CURRENT_SCHEMA_VERSION}.json"
    assert schema["title"]
    variants = schema["$defs"]["Block"]["oneOf"]
    assert [v["properties"]["type"]["const"] for v in variants] == block_registry.names()
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == schema


def test_example_validates_against_schema_and_validator(example):
    validator = Draft202012Validator(scenario_json_schema())
    assert list(validator.iter_errors(example)) == []
    report = validate_document(example, ["uk", "en"], "uk")
    assert report.errors == [] and report.warnings == []


def test_schema_rejects_wrong_settings_for_the_type(example):
    validator = Draft202012Validator(scenario_json_schema())
    broken = copy.deepcopy(example)
    broken["blocks"][2]["settings"]["kind"] = "colour"
    assert list(validator.iter_errors(broken))
    broken = copy.deepcopy(example)
    broken["blocks"][0]["type"] = "carousel"
    assert list(validator.iter_errors(broken))
