"""The `rozmova` command: migrate, create-admin, scenario validate/import/export, against a
fresh embedded database."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
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


def test_secrets_reencrypt_moves_every_secret_to_the_new_key(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Key rotation as an operator does it: a new key in front of the old, `rozmova secrets
    reencrypt`, then the old key dropped; the values never show in the output."""
    from core.crypto import new_key

    old, new = new_key(), new_key()
    cli("migrate", ROZMOVA_ENCRYPTION_KEYS=old)
    cli("create-admin", "--email", "owner@example.com", "--organization", "Acme",
        ROZMOVA_NEW_ADMIN_PASSWORD="a-long-password-1", ROZMOVA_ENCRYPTION_KEYS=old)
    store = (
        "import asyncio, sys\nimport migrations.models\nfrom core.config import Settings\n"
        "from core.db import transaction\n"
        "from core.crypto import Encryptor\nfrom core.runtime import Runtime\n"
        "from gateway.orgs.models import Organization\nfrom gateway.secrets import service\n"
        "from sqlalchemy import select\n"
        "async def main():\n"
        "    settings = Settings()\n"
        "    rt = Runtime.from_settings(settings)\n"
        "    enc = Encryptor.from_settings(settings)\n"
        "    async with transaction(rt.sessionmaker) as s:\n"
        "        org = await s.scalar(select(Organization.id))\n"
        "        if sys.argv[1] == 'put':\n"
        "            for name in ('CRM_TOKEN', 'SHOP_KEY'):\n"
        "                await service.put(session=s, encryptor=enc, org_id=org, name=name,\n"
        "                                  value='value-of-' + name, created_by=None)\n"
        "        else:\n"
        "            print(await service.reveal(session=s, encryptor=enc, org_id=org,\n"
        "                                       name='CRM_TOKEN'))\n"
        "    await rt.close()\n"
        "asyncio.run(main())\n")

    def secrets(action: str, keys: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", store, action], cwd=ROOT, text=True,
                              capture_output=True, timeout=60, env={
                                  **os.environ, "ROZMOVA_DATA_DIR": str(tmp_path),
                                  "ROZMOVA_DATABASE_URL": "", "ROZMOVA_ENCRYPTION_KEYS": keys})

    assert secrets("put", old).returncode == 0
    # Without the old key the new one cannot open them: the command says which key it needs.
    blind = cli("secrets", "reencrypt", check=False, ROZMOVA_ENCRYPTION_KEYS=new)
    assert blind.returncode == 1 and "ROZMOVA_ENCRYPTION_KEYS" in blind.stderr
    moved = cli("secrets", "reencrypt", ROZMOVA_ENCRYPTION_KEYS=f"{new},{old}")
    assert moved.stdout.splitlines()[-1].startswith("re-encrypted 2 secret(s) with key ")
    again = cli("secrets", "reencrypt", ROZMOVA_ENCRYPTION_KEYS=f"{new},{old}")
    assert again.stdout.splitlines()[-1].startswith("re-encrypted 0 secret(s)")
    for result in (blind, moved, again):
        assert "value-of-" not in result.stdout + result.stderr
    revealed = secrets("reveal", new)  # the old key is gone now
    assert revealed.returncode == 0, revealed.stderr
    assert revealed.stdout.splitlines()[-1] == "value-of-CRM_TOKEN"


class LocalSession:
    """A pretend messenger (`rozmova dev fake-<name>`) and `rozmova serve` pointed at it, as
    the README's local sessions run them: `http` talks to both, `auth` is the admin's,
    `demo` the demo bot's id, `fake` the pretend messenger's address."""

    def __init__(self, http: httpx.Client, base: str, fake: str, chat_path: str) -> None:
        self.http, self.base, self.fake, self._chat_path = http, base, fake, chat_path
        token = http.post(f"{base}/api/v1/auth/login", json={
            "email": "admin@example.com", "password": "local-password-1"}
        ).json()["access_token"]
        self.auth = {"Authorization": f"Bearer {token}"}
        self.demo = next(b["id"] for b in http.get(f"{base}/api/v1/bots", headers=self.auth)
                         .json()["items"] if b["name"] == "Demo")

    def chat(self, count: int) -> list[dict]:
        """What the bot said to the local person, once it said `count` things."""
        for _ in range(200):
            said = self.http.get(f"{self.fake}{self._chat_path}").json()
            if len(said) >= count:
                return said
            time.sleep(0.05)
        raise AssertionError(f"the bot said only {said}")


@contextlib.contextmanager
def local_session(tmp_path: Path, messenger: str, token: str,
                  api_setting: str, api_path: str = "") -> Iterator[LocalSession]:
    from tests.conftest import free_port

    fake_port, port = free_port(), free_port()
    fake_base = f"http://127.0.0.1:{fake_port}"
    env = {**os.environ, "ROZMOVA_DATA_DIR": str(tmp_path), "ROZMOVA_DATABASE_URL": "",
           "ROZMOVA_REDIS_URL": "", "ROZMOVA_ADMIN_PASSWORD": "local-password-1",
           "ROZMOVA_DEMO_SHOP_PORT": "0", api_setting: fake_base + api_path}
    cli = [sys.executable, "-m", "gateway.cli"]
    fake = subprocess.Popen([*cli, "dev", f"fake-{messenger}", "--port", str(fake_port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    subprocess.run([*cli, "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base, chat_path = f"http://127.0.0.1:{port}", f"/_chat/{token}"
    try:
        with httpx.Client(timeout=10) as http:
            for _ in range(300):
                try:
                    if http.get(f"{base}/readyz").status_code == 200 and \
                            http.get(f"{fake_base}{chat_path}").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            yield LocalSession(http, base, fake_base, chat_path)
    finally:
        for process in (server, fake):
            process.terminate()
            process.wait(30)


def test_a_local_telegram_session_as_the_readme_shows(tmp_path: Path) -> None:
    """`rozmova dev fake-telegram`, a server pointed at it, the demo bot connected in polling
    mode, then a person's /start and a button press through the fake's local routes."""
    token = "1:local-demo"
    with local_session(tmp_path, "telegram", token, "ROZMOVA_TELEGRAM_API_URL") as local:
        connected = local.http.put(f"{local.base}/api/v1/bots/{local.demo}/channels/telegram",
                                   headers=local.auth, json={"token": token, "mode": "polling"})
        assert connected.status_code == 200, connected.text
        local.http.post(f"{local.fake}/_say/{token}", json={"text": "/start"})
        [welcome] = local.chat(1)
        assert welcome["text"].startswith("Hi! I am the coffee shop demo bot.")
        assert welcome["buttons"] == ["order", "about"]
        local.http.post(f"{local.fake}/_press/{token}", json={"data": "order"})
        assert local.chat(2)[1]["text"] == "What should I call you?"


def test_a_local_viber_session_as_the_readme_shows(tmp_path: Path) -> None:
    """`rozmova dev fake-viber`, a server pointed at it, the demo bot connected with the
    server's own address as the webhook, then a person opening the chat (the welcome comes
    back as Viber's one welcome message), pressing a button and typing."""
    token = "local-viber-demo"
    with local_session(tmp_path, "viber", token, "ROZMOVA_VIBER_API_URL", "/pa") as local:
        connected = local.http.put(f"{local.base}/api/v1/bots/{local.demo}/channels/viber",
                                   headers=local.auth,
                                   json={"token": token, "public_url": local.base})
        assert connected.status_code == 200, connected.text
        assert local.http.post(f"{local.fake}/_open/{token}").status_code == 200
        [welcome] = local.chat(1)
        assert welcome["text"].startswith("Hi! I am the coffee shop demo bot.")
        assert welcome["buttons"] == ["☕ Order a coffee", "What can you do?"]
        local.http.post(f"{local.fake}/_press/{token}", json={"text": "☕ Order a coffee"})
        assert local.chat(2)[1]["text"] == "What should I call you?"
        local.http.post(f"{local.fake}/_say/{token}", json={"text": "Olena"})
        assert local.chat(3)[2]["text"] == "How many cups, Olena? (1 to 10)"
