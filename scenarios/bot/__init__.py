"""Bots: an organization's bots, their languages and settings."""
