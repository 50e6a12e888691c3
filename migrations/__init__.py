"""Alembic migrations for every service's tables (SQLite and PostgreSQL)."""
