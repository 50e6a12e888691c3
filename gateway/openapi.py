"""The OpenAPI document, generated from the code and checked in at docs/openapi.json so that
API changes show up in review (and the builder's client can be generated from it).

    python -m gateway.openapi      # regenerate docs/openapi.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from core.config import Environment, Settings

PATH = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def render() -> str:
    from gateway.app import create_app

    settings = Settings(_env_file=None, env=Environment.test, secret_key="x" * 32)
    spec: dict[str, Any] = create_app(settings).openapi()
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    PATH.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"{PATH}\n")
