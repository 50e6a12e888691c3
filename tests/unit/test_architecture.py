"""The import rules of ARCHITECTURE.md, checked by import-linter (contracts in
pyproject.toml): the kernel imports no service, and services meet only through contracts."""

from __future__ import annotations

import os
from pathlib import Path

from importlinter import cli

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"),
                                no_cache=True) == 0, "import contracts broken: run `make lint-imports`"
    finally:
        os.chdir(cwd)
