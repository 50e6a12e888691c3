"""The `rozmova` command: migrate, create-admin, scenario validate/import/export, against a
fresh embedded database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "ROZMOVA_DATA_DIR": str(tmp_path), "ROZMOVA_DATABASE_URL": "",
           "ROZMOVA_REDIS_URL": "", "ROZMOVA_LOG_JSON": "true"}

    def run(*args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "gateway.cli", *args], cwd=ROOT,
                                env={**env, **extra}, capture_output=True, text=True,
                                timeout=120)
        if check:
            assert result.returncode == 0, result.stderr + result.stdout
        return result

    return run


def test_validate_reports_errors_with_pointers_and_exit_codes(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok = cli("scenario", "validate", "examples/support-bot.json")
    assert "0 error(s), 0 warning(s)" in ok.stdout
    broken = json.loads((ROOT / "examples" / "support-bot.json").read_text())
    broken["edges"][0]["target"] = "nowhere"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    result = cli("scenario", "validate", str(path), check=False)
    assert result.returncode == 1
    assert "/edges/0/target" in result.stdout and "edge.dangling_target" in result.stdout
    missing = cli("scenario", "validate", str(tmp_path / "absent.json"), check=False)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_migrate_create_admin_import_export_round_trip(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("migrate")
    created = cli("create-admin", "--email", "owner@example.com", "--organization", "Acme",
                  ROZMOVA_NEW_ADMIN_PASSWORD="a-long-password-1")
    assert "owner of 'Acme'" in created.stdout
    again = cli("create-admin", "--email", "owner@example.com", check=False,
                ROZMOVA_NEW_ADMIN_PASSWORD="a-long-password-1")
    assert again.returncode == 1 and "already exists" in again.stderr

    # A bot to import into, created through the service layer the CLI uses.
    script = (
        "import asyncio, uuid\n"
        "from core.config import Settings\nfrom core.db import transaction\n"
        "from core.runtime import Runtime\nfrom scenarios.bot.models import Bot\n"
        "from gateway.orgs.models import Organization\nfrom sqlalchemy import select\n"
        "async def main():\n"
        "    rt = Runtime.from_settings(Settings())\n"
        "    async with transaction(rt.sessionmaker) as s:\n"
        "        org = await s.scalar(select(Organization).where(Organization.name == 'Acme'))\n"
        "        bot = Bot(org_id=org.id, name='cli', default_language='uk',\n"
        "                  languages=['uk', 'en'], settings={})\n"
        "        s.add(bot); await s.flush(); print(bot.id)\n"
        "    await rt.close()\n"
        "asyncio.run(main())\n")
    bot_id = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**os.environ,
                            "ROZMOVA_DATA_DIR": str(tmp_path), "ROZMOVA_DATABASE_URL": ""}
                            ).stdout.strip()
    imported = cli("scenario", "import", "examples/support-bot.json", "--bot", bot_id,
                   "--name", "support")
    scenario_id = imported.stdout.split("as scenario ")[1].split()[0]
    out = tmp_path / "export.json"
    cli("scenario", "export", scenario_id, "-o", str(out))
    exported = json.loads(out.read_text())
    assert exported["format"] == "rozmova.scenario" and exported["name"] == "support"
    assert exported["document"] == json.loads((ROOT / "examples" / "support-bot.json").read_text())
    dup = cli("scenario", "import", str(out), "--bot", bot_id, check=False)
    assert dup.returncode == 1 and "already has a scenario named 'support'" in dup.stderr


def test_module_import_export_round_trip(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("migrate")
    cli("create-admin", "--email", "owner@example.com", "--organization", "Acme",
        ROZMOVA_NEW_ADMIN_PASSWORD="a-long-password-1")
    script = (
        "import asyncio\nfrom core.config import Settings\nfrom core.db import transaction\n"
        "from core.runtime import Runtime\nfrom gateway.orgs.models import Organization\n"
        "from sqlalchemy import select\n"
        "async def main():\n"
        "    rt = Runtime.from_settings(Settings())\n"
        "    async with transaction(rt.sessionmaker) as s:\n"
        "        print(await s.scalar(select(Organization.id).where("
        "Organization.name == 'Acme')))\n"
        "    await rt.close()\n"
        "asyncio.run(main())\n")
    org = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, env={**os.environ,
                         "ROZMOVA_DATA_DIR": str(tmp_path), "ROZMOVA_DATABASE_URL": ""}
                         ).stdout.strip()
    module = {"format": "rozmova.module", "name": "greet", "description": "Says hello",
              "code": "return {text: 'Hello, ' + input.name};",
              "input_schema": {"type": "object", "required": ["name"]},
              "output_schema": {"type": "object"},
              "test_cases": [{"name": "ann", "input": {"name": "Ann"},
                              "expected": {"text": "Hello, Ann"}}],
              "cache_seconds": 30}
    source = tmp_path / "greet.json"
    source.write_text(json.dumps(module))
    imported = cli("module", "import", str(source), "--org", org)
    assert "imported module 'greet' as a draft" in imported.stdout
    out = tmp_path / "export.json"
    cli("module", "export", "greet", "--org", org, "-o", str(out))
    assert json.loads(out.read_text()) == module
    dup = cli("module", "import", str(source), "--org", org, check=False)
    assert dup.returncode == 1 and "already has a module named 'greet'" in dup.stderr
    missing = cli("module", "export", "greet", "--org", org, "--version", "1", check=False)
    assert missing.returncode == 1 and "version" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({**module, "name": "Not A Name"}))
    refused = cli("module", "import", str(broken), "--org", org, check=False)
    assert refused.returncode == 1 and "name" in refused.stderr
