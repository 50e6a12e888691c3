"""Fixtures for the scenario format tests: the example document and the bot languages."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

EXAMPLE_PATH = Path(__file__).resolve().parents[3] / "examples" / "support-bot.json"
_EXAMPLE = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def example() -> dict[str, Any]:
    return copy.deepcopy(_EXAMPLE)
