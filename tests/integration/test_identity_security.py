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
