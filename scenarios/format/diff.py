"""What changed between two versions of a scenario document, block by block, for review
screens and publish notes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from scenarios.format.models import Edge, ScenarioDocument


class BlockChange(BaseModel):
    id: str
    fields: list[str]
    layout_only: bool


class BlockChanges(BaseModel):
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    changed: list[BlockChange] = Field(default_factory=list)


class EdgeChanges(BaseModel):
    added: list[Edge] = Field(default_factory=list)
    removed: list[Edge] = Field(default_factory=list)


class VariableChanges(BaseModel):
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)


class ScenarioDiff(BaseModel):
    blocks: BlockChanges
    edges: EdgeChanges
    variables: VariableChanges
    entry_changed: bool
    # Name or description: otherwise such an edit would read as "no changes".
    details_changed: bool
    summary: str

    @property
    def empty(self) -> bool:
        return self.summary == "no changes"


def _as_document(value: ScenarioDocument | dict[str, Any]) -> ScenarioDocument:
    return value if isinstance(value, ScenarioDocument) else ScenarioDocument.model_validate(value)


def _changed_paths(old: Any, new: Any, prefix: str, out: list[str]) -> None:
    if old == new:
        return
    if prefix == "layout":
        # A move is one change, not separate x and y edits.
        out.append(prefix)
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            _changed_paths(old.get(key), new.get(key), f"{prefix}.{key}" if prefix else str(key),
                           out)
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _changed_paths(a, b, f"{prefix}.{index}", out)
        return
    out.append(prefix)


def _count(noun: str, counts: list[tuple[int, str]]) -> list[str]:
    parts = [(n, verb) for n, verb in counts if n]
    if not parts:
        return []
    first_n, first_verb = parts[0]
    plural = noun if first_n == 1 else noun + "s"
    return [f"{first_n} {plural} {first_verb}"] + [f"{n} {verb}" for n, verb in parts[1:]]


def diff_documents(old: ScenarioDocument | dict[str, Any],
                   new: ScenarioDocument | dict[str, Any]) -> ScenarioDiff:
    """Differences from `old` to `new`; dicts are parsed (raising on invalid documents).
    Lists follow document order: the new document for additions and changes, the old one
    for removals."""
    before, after = _as_document(old), _as_document(new)

    old_blocks = {b.id: b.model_dump(mode="json", exclude_none=True) for b in before.blocks}
    new_blocks = {b.id: b.model_dump(mode="json", exclude_none=True) for b in after.blocks}
    blocks = BlockChanges(
        added=[i for i in new_blocks if i not in old_blocks],
        removed=[i for i in old_blocks if i not in new_blocks],
    )
    for block_id, dumped in new_blocks.items():
        if block_id in old_blocks and old_blocks[block_id] != dumped:
            fields: list[str] = []
            _changed_paths(old_blocks[block_id], dumped, "", fields)
            blocks.changed.append(BlockChange(id=block_id, fields=fields,
                                              layout_only=fields == ["layout"]))

    def key(edge: Edge) -> tuple[str, str, str]:
        return edge.source, edge.port, edge.target

    old_keys = {key(e) for e in before.edges}
    new_keys = {key(e) for e in after.edges}
    edges = EdgeChanges(added=[e for e in after.edges if key(e) not in old_keys],
                        removed=[e for e in before.edges if key(e) not in new_keys])

    old_vars = {v.name: v for v in before.variables}
    new_vars = {v.name: v for v in after.variables}
    variables = VariableChanges(
        added=[n for n in new_vars if n not in old_vars],
        removed=[n for n in old_vars if n not in new_vars],
        changed=[n for n in new_vars if n in old_vars and old_vars[n] != new_vars[n]],
    )
    entry_changed = before.entry != after.entry
    details_changed = (before.name, before.description) != (after.name, after.description)

    moved = sum(1 for c in blocks.changed if c.layout_only)
    parts = _count("block", [(len(blocks.added), "added"), (len(blocks.removed), "removed"),
                             (len(blocks.changed) - moved, "changed"), (moved, "moved")])
    parts += _count("edge", [(len(edges.added), "added"), (len(edges.removed), "removed")])
    parts += _count("variable", [(len(variables.added), "added"),
                                 (len(variables.removed), "removed"),
                                 (len(variables.changed), "changed")])
    if entry_changed:
        parts.append("entry points changed")
    if details_changed:
        parts.append("name or description changed")
    return ScenarioDiff(blocks=blocks, edges=edges, variables=variables,
                        entry_changed=entry_changed, details_changed=details_changed,
                        summary=", ".join(parts) or "no changes")
