"""Scenarios service: bots, scenarios, drafts, versions and the scenario format."""
