"""Scenarios of a bot: drafts with optimistic concurrency, validation, immutable published
versions, diffs, rollback, import and export."""
