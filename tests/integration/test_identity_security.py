"""Identity under attack: racing refreshes, password guessing from one address, forged
forwarding headers, and enrolling people without their consent."""

from __future__ import annotations

import asyncio

import httpx

from core.security import Role
from tests.conftest import TEST_PASSWORD

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"


async def login(client, email: str, password: str = TEST_PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return await client.post(LOGIN, json={"email": email, "password": password, **extra})


# --- item: a refresh token is spent once, even by two requests at the same moment ------------

async def test_two_simultaneous_refreshes_with_one_token_let_exactly_one_win(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    for round_ in range(20):
        actor = await make_actor(Role.editor)  # a new account each round: logins are limited
        token = (await login(client, actor.email)).json()["refresh_token"]
        first, second = await asyncio.gather(
            client.post(REFRESH, json={"refresh_token": token}),
            client.post(REFRESH, json={"refresh_token": token}),
        )
        statuses = sorted([first.status_code, second.status_code])
        assert statuses == [200, 401], f"round {round_}: {statuses}"
        winner, loser = (first, second) if first.status_code == 200 else (second, first)
        assert loser.json()["code"] == "token_reused", f"round {round_}: {loser.text}"
        # The reuse alarm ended the whole login, the winner's new token included.
        after = await client.post(REFRESH, json={"refresh_token": winner.json()["refresh_token"]})
        assert after.status_code == 401, f"round {round_}: the winner's chain is still alive"


# --- item: guessing from one address does not lock the owner out --------------------------

def client_at(app, address: str) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_an_attacker_guessing_from_one_address_is_limited_but_the_owner_still_logs_in(app, make_actor, settings) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    allowed = int(settings.login_rate_per_account_address.split("/")[0])
    async with client_at(app, "203.0.113.7") as attacker, client_at(app, "198.51.100.2") as own:
        for _ in range(allowed):
            assert (await login(attacker, owner.email, "guess")).status_code == 401
        limited = await login(attacker, owner.email, "another guess")
        assert limited.status_code == 429, limited.text
        assert int(limited.headers["Retry-After"]) >= 1
        # Even the right password waits from the guessing address...
        assert (await login(attacker, owner.email)).status_code == 429
        # ...but the owner, elsewhere, gets in.
        mine = await login(own, owner.email)
        assert mine.status_code == 200, mine.text


async def test_one_account_is_limited_across_addresses_more_loosely(app, make_actor, runtime, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    monkeypatch.setattr(runtime.settings, "login_rate_per_account", "3/hour")
    for n in range(3):
        async with client_at(app, f"203.0.113.{n + 1}") as attacker:
            assert (await login(attacker, owner.email, "guess")).status_code == 401
    async with client_at(app, "203.0.113.99") as attacker:
        limited = await login(attacker, owner.email, "guess")
    assert limited.status_code == 429
    assert "login attempts for this account" in limited.json()["detail"]


# --- item: X-Forwarded-For counts only from configured proxies ------------------------------

async def _guess_with_rotating_forwarded_for(base_url: str, attempts: int) -> list[int]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        statuses = []
        for n in range(attempts):
            response = await client.post(
                LOGIN, json={"email": f"nobody-{n}@example.org", "password": "guess"},
                headers={"X-Forwarded-For": f"198.51.100.{n + 1}"})
            statuses.append(response.status_code)
        return statuses


async def test_a_forged_forwarded_for_does_not_escape_the_per_address_limit(live_server, settings) -> None:  # type: ignore[no-untyped-def]
    allowed = int(settings.login_rate_per_address.split("/")[0])
    statuses = await _guess_with_rotating_forwarded_for(live_server, allowed + 10)
    assert statuses[:allowed] == [401] * allowed
    assert statuses[allowed:] == [429] * 10, "the client chose its own address"


async def test_a_configured_proxy_is_trusted_for_the_client_address(settings, runtime) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import serve

    behind_proxy = settings.model_copy(update={"trusted_proxies": "127.0.0.1"})
    server, task, port = await serve(behind_proxy, runtime)
    try:
        allowed = int(settings.login_rate_per_address.split("/")[0])
        statuses = await _guess_with_rotating_forwarded_for(f"http://127.0.0.1:{port}",
                                                            allowed + 10)
        assert statuses == [401] * (allowed + 10)  # each forwarded address counted apart
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)
