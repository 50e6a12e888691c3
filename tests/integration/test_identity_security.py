"""Identity under attack: racing refreshes, password guessing from one address, forged
forwarding headers, and enrolling people without their consent."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pydantic import ValidationError

from core.config import Settings
from core.security import Role
from tests.conftest import TEST_PASSWORD

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"


async def login(client, email: str, password: str = TEST_PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return await client.post(LOGIN, json={"email": email, "password": password, **extra})


# --- item: a refresh token is spent once, even by two requests at the same moment ------------

async def test_two_simultaneous_refreshes_with_one_token_let_exactly_one_win(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    await _race_refreshes(client, make_actor)


async def test_simultaneous_refreshes_over_a_real_socket(live_client, make_actor) -> None:  # type: ignore[no-untyped-def]
    # Where the race was seen, and where a commit after the response would show.
    await _race_refreshes(live_client, make_actor)


async def _race_refreshes(client, make_actor) -> None:  # type: ignore[no-untyped-def]
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


# --- item: joining an organization takes the invited person's consent -----------------------

def invitations(org_id) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/organizations/{org_id}/invitations"


async def named(runtime, actor, name: str):  # type: ignore[no-untyped-def]
    from core.db import transaction
    from gateway.auth.models import User

    async with transaction(runtime.sessionmaker) as session:
        (await session.get(User, actor.user_id)).name = name
    return actor


async def member_emails(client, actor) -> set[str]:  # type: ignore[no-untyped-def]
    listed = await client.get("/api/v1/organization/members", headers=actor.headers)
    return {m["email"] for m in listed.json()}


async def test_inviting_an_existing_account_neither_enrols_it_nor_reveals_it(client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    admin = await make_actor(Role.admin)
    # An account in another organization.
    elsewhere = await named(runtime, await make_actor(Role.owner), "Hanna Private")
    known = await client.post(invitations(admin.org_id),
                              json={"email": elsewhere.email, "role": "viewer"},
                              headers=admin.headers)
    unknown = await client.post(invitations(admin.org_id),
                                json={"email": "stranger@example.org", "role": "viewer"},
                                headers=admin.headers)
    assert known.status_code == unknown.status_code == 201, known.text
    assert known.json().keys() == unknown.json().keys()
    assert "name" not in known.json() and "Hanna Private" not in known.text
    assert known.json()["status"] == "pending" and known.json()["token"].startswith("rzi_")
    # Nobody joined yet.
    assert elsewhere.email not in await member_emails(client, admin)

    # The invited person accepts, logged in as that account.
    accepted = await client.post("/api/v1/invitations/accept",
                                 json={"token": known.json()["token"]}, headers=elsewhere.headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["organization"]["id"] == str(admin.org_id)
    assert accepted.json()["role"] == "viewer"
    assert elsewhere.email in await member_emails(client, admin)
    again = await client.post("/api/v1/invitations/accept",
                              json={"token": known.json()["token"]}, headers=elsewhere.headers)
    assert again.status_code == 409
    listed = (await client.get(invitations(admin.org_id), headers=admin.headers)).json()
    assert {i["email"]: i["status"] for i in listed} == {
        elsewhere.email: "accepted", "stranger@example.org": "pending"}
    assert all("token" not in i for i in listed)


async def test_the_old_add_member_path_no_longer_enrols_anyone(client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    admin = await make_actor(Role.admin)
    elsewhere = await named(runtime, await make_actor(Role.owner), "Hanna Private")
    response = await client.post("/api/v1/organization/members",
                                 json={"email": elsewhere.email, "role": "editor"},
                                 headers=admin.headers)
    assert response.status_code in (201, 404, 405, 410), response.text
    assert "Hanna Private" not in response.text
    assert elsewhere.email not in await member_emails(client, admin)
    mine = (await client.get("/api/v1/me", headers=elsewhere.headers)).json()
    assert [m["organization"]["id"] for m in mine["memberships"]] == [str(elsewhere.org_id)]


async def test_an_invitation_is_for_its_email_only_and_a_new_person_signs_up_with_it(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    admin = await make_actor(Role.admin)
    intruder = await make_actor(Role.owner)
    token = (await client.post(invitations(admin.org_id),
                               json={"email": "New.Person@example.org", "role": "editor"},
                               headers=admin.headers)).json()["token"]
    wrong = await client.post("/api/v1/invitations/accept", json={"token": token},
                              headers=intruder.headers)
    assert wrong.status_code == 403
    assert intruder.email not in await member_emails(client, admin)

    signed_up = await client.post("/api/v1/auth/register", json={
        "token": token, "password": "a long new password", "name": "New Person"})
    assert signed_up.status_code == 201, signed_up.text
    assert signed_up.json()["organization"]["id"] == str(admin.org_id)
    assert signed_up.json()["role"] == "editor"
    logged_in = await login(client, "new.person@example.org", "a long new password")
    assert logged_in.status_code == 200 and logged_in.json()["role"] == "editor"
    # Spent: it neither makes a second account nor enrols anyone else.
    twice = await client.post("/api/v1/auth/register", json={
        "token": token, "password": "another long password"})
    assert twice.status_code == 409
    assert (await client.post("/api/v1/invitations/accept", json={"token": "rzi_nonsense"},
                              headers=intruder.headers)).status_code == 404


async def test_a_person_with_an_account_accepts_instead_of_signing_up(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    admin = await make_actor(Role.admin)
    elsewhere = await make_actor(Role.owner)
    token = (await client.post(invitations(admin.org_id), json={"email": elsewhere.email},
                               headers=admin.headers)).json()["token"]
    response = await client.post("/api/v1/auth/register", json={
        "token": token, "password": "a password chosen by someone else"})
    assert response.status_code == 409
    assert "log in" in response.json()["detail"]
    assert (await login(client, elsewhere.email)).status_code == 200  # password unchanged
    assert elsewhere.email not in await member_emails(client, admin)


async def test_invitations_are_bounded_by_the_inviters_role_and_can_be_revoked(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    admin = await make_actor(Role.admin, org_id=owner.org_id)
    editor = await make_actor(Role.editor, org_id=owner.org_id)
    url = invitations(owner.org_id)
    assert (await client.post(url, json={"email": "a@example.org", "role": "owner"},
                              headers=admin.headers)).status_code == 403
    assert (await client.post(url, json={"email": "a@example.org", "role": "viewer"},
                              headers=editor.headers)).status_code == 403
    assert (await client.get(url, headers=editor.headers)).status_code == 403
    as_owner = await client.post(url, json={"email": "a@example.org", "role": "owner"},
                                 headers=owner.headers)
    assert as_owner.status_code == 201
    # An admin cannot revoke an invitation to a role above theirs.
    assert (await client.delete(f"{url}/{as_owner.json()['id']}",
                                headers=admin.headers)).status_code == 403
    created = await client.post(url, json={"email": "b@example.org", "role": "admin"},
                                headers=admin.headers)
    assert created.status_code == 201
    revoked = await client.delete(f"{url}/{created.json()['id']}", headers=admin.headers)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    late = await client.post("/api/v1/auth/register", json={
        "token": created.json()["token"], "password": "a long new password"})
    assert late.status_code == 409
    # Another organization's invitations are out of reach.
    stranger = await make_actor(Role.owner)
    assert (await client.get(url, headers=stranger.headers)).status_code == 404
    assert (await client.delete(f"{url}/{as_owner.json()['id']}",
                                headers=stranger.headers)).status_code == 404


async def test_an_expired_invitation_cannot_be_used(client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from sqlalchemy import update

    from core.db import transaction, utcnow
    from gateway.orgs.models import Invitation

    admin = await make_actor(Role.admin)
    created = (await client.post(invitations(admin.org_id), json={"email": "late@example.org"},
                                 headers=admin.headers)).json()
    async with transaction(runtime.sessionmaker) as session:
        await session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(1)))
    response = await client.post("/api/v1/auth/register", json={
        "token": created["token"], "password": "a long new password"})
    assert response.status_code == 409 and "expired" in response.json()["detail"]
    listed = (await client.get(invitations(admin.org_id), headers=admin.headers)).json()
    assert listed[0]["status"] == "expired"


async def test_two_simultaneous_sign_ups_with_one_invitation_make_one_account(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    admin = await make_actor(Role.admin)
    for round_ in range(5):
        token = (await client.post(invitations(admin.org_id),
                                   json={"email": f"racer-{round_}@example.org"},
                                   headers=admin.headers)).json()["token"]
        answers = await asyncio.gather(*(
            client.post("/api/v1/auth/register",
                        json={"token": token, "password": f"password number {n}"})
            for n in range(2)))
        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    assert Settings(_env_file=None, trusted_proxies=" 10.0.0.0/8, ::1").trusted_proxies == \
        "10.0.0.0/8,::1"
    assert Settings(_env_file=None).trusted_proxies == ""
    for bad in ("ingress", "10.0.0.1/8", "*,10.0.0.1"):
        with pytest.raises(ValidationError, match="trusted_proxies"):
            Settings(_env_file=None, trusted_proxies=bad)
