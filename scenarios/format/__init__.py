"""The scenario document format v1: models, block catalogue, validation, format migrations,
diffs and the generated JSON Schema."""

from scenarios.format.blocks import BUILTIN_BLOCK_TYPES
from scenarios.format.diff import ScenarioDiff, diff_documents
from scenarios.format.migrations import (
    FormatVersionError,
    MigrationContext,
    register_migration,
    upgrade,
)
from scenarios.format.models import (
    CURRENT_SCHEMA_VERSION,
    EXPRESSION,
    LANGUAGE,
    MAX_BLOCKS,
    MAX_EDGES,
    MAX_VARIABLES,
    TEMPLATE,
    TEXT,
    VARIABLE,
    WRITES,
    Block,
    EntryPoints,
    Edge,
    EventHandlers,
    Expression,
    LocalizedText,
    Operand,
    Position,
    Role,
    ScenarioDocument,
    TemplateText,
    ValueOperand,
    Variable,
    VariableRef,
    VarOperand,
    WrittenVariable,
    json_pointer,
)
from scenarios.format.registry import (
    BlockRegistry,
    BlockType,
    block_registry,
    register_block,
    text_fields,
    variable_reads,
    variable_writes,
)
from scenarios.format.templates import (
    SYSTEM_VARIABLES,
    TEMPLATE_RE,
    expression_variables,
    render_template,
    template_variables,
)
from scenarios.format.validation import Issue, ValidationReport, validate_document



def __getattr__(name: str) -> object:
    # Loaded on demand so that `python -m scenarios.format.schema` runs a fresh module.
    if name in ("scenario_json_schema", "write_schema"):
        from scenarios.format import schema

        return getattr(schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BUILTIN_BLOCK_TYPES", "CURRENT_SCHEMA_VERSION", "EXPRESSION", "LANGUAGE", "MAX_BLOCKS", "MAX_EDGES",
    "MAX_VARIABLES", "SYSTEM_VARIABLES", "TEMPLATE", "TEMPLATE_RE", "TEXT", "VARIABLE", "WRITES",
    "Block", "BlockRegistry", "BlockType", "Edge", "EntryPoints", "EventHandlers", "Expression",
    "FormatVersionError", "Issue", "LocalizedText", "MigrationContext", "Operand", "Position",
    "Role", "ScenarioDiff", "ScenarioDocument", "TemplateText", "ValidationReport",
    "ValueOperand", "VarOperand", "Variable", "VariableRef", "WrittenVariable",
    "block_registry", "diff_documents", "expression_variables", "json_pointer",
    "register_block", "register_migration", "render_template", "scenario_json_schema",
    "template_variables", "text_fields", "upgrade", "validate_document", "variable_reads",
    "variable_writes", "write_schema",
]
