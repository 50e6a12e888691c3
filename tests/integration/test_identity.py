"""Login, token rotation, API keys, members and roles, over the HTTP API."""

from __future__ import annotations

import pytest

from core.security import Role
from tests.conftest import TEST_PASSWORD

PROBLEM = "application/problem+json"


async def login(client, email: str, password: str = TEST_PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return await client.post("/api/v1/auth/login",
                             json={"email": email, "password": password, **extra})


async def test_login_gives_tokens_that_identify_the_caller(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    actor = await make_actor(Role.editor)
    response = await login(client, actor.email.upper())  # emails are case-insensitive
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["role"] == "editor"
    assert body["organization"]["id"] == str(actor.org_id)
    me = await client.get("/api/v1/me",
                          headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["user"]["email"] == actor.email
    assert me.json()["memberships"][0]["role"] == "editor"


@pytest.mark.parametrize("email", ["nobody@example.org", None])
async def test_wrong_credentials_get_one_answer(client, make_actor, email) -> None:  # type: ignore[no-untyped-def]
    actor = await make_actor(Role.viewer)
    response = await login(client, email or actor.email, "not the password")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == "wrong email or password"


async def test_login_is_rate_limited_per_account_and_address(client, make_actor, settings) -> None:  # type: ignore[no-untyped-def]
    actor = await make_actor(Role.viewer)
    allowed = int(settings.login_rate_per_account_address.split("/")[0])
    for _ in range(allowed):
        assert (await login(client, actor.email, "wrong")).status_code == 401
    blocked = await login(client, actor.email)  # even the right password waits now
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1
    assert "login attempts for this account from this address" in blocked.json()["detail"]


async def test_missing_or_bad_credentials_are_401_problems(client) -> None:  # type: ignore[no-untyped-def]
    missing = await client.get("/api/v1/bots")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in missing.json()["detail"]
    forged = await client.get("/api/v1/bots", headers={"Authorization": "Bearer abc.def.ghi"})
    assert forged.status_code == 401
    assert forged.json()["code"] == "unauthorized"


async def test_refresh_rotates_and_a_reused_token_ends_the_family(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    actor = await make_actor(Role.editor)
    first = (await login(client, actor.email)).json()
    second = await client.post("/api/v1/auth/refresh",
                               json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    reused = await client.post("/api/v1/auth/refresh",
                               json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401 and reused.json()["code"] == "token_reused"
    # The stolen-token alarm also revoked the newest token of that login.
    latest = await client.post("/api/v1/auth/refresh",
                               json={"refresh_token": second.json()["refresh_token"]})
    assert latest.status_code == 401


async def test_logout_revokes_the_refresh_token(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    actor = await make_actor(Role.viewer)
    tokens = (await login(client, actor.email)).json()
    out = await client.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert out.status_code == 204
    again = await client.post("/api/v1/auth/refresh",
                              json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401


async def test_api_key_is_shown_once_works_with_its_role_and_can_be_revoked(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    admin = await make_actor(Role.admin)
    created = await client.post("/api/v1/api-keys", json={"name": "ci", "role": "viewer"},
                                headers=admin.headers)
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert key.startswith("rzk_")
    listed = (await client.get("/api/v1/api-keys", headers=admin.headers)).json()
    assert listed[0]["prefix"] == key[:10] and "key" not in listed[0]

    as_key = {"X-API-Key": key}
    me = (await client.get("/api/v1/me", headers=as_key)).json()
    assert me["role"] == "viewer" and me["user"] is None
    assert (await client.post("/api/v1/bots", json={"name": "x"}, headers=as_key)).status_code == 403
    bearer = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert bearer.status_code == 200

    revoked = await client.delete(f"/api/v1/api-keys/{created.json()['id']}", headers=admin.headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert (await client.get("/api/v1/me", headers=as_key)).status_code == 401


async def test_key_roles_cannot_exceed_the_creator(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    admin = await make_actor(Role.admin)
    owner_key = await client.post("/api/v1/api-keys", json={"name": "x", "role": "owner"},
                                  headers=admin.headers)
    assert owner_key.status_code == 403
    editor = await make_actor(Role.editor, org_id=admin.org_id)
    assert (await client.get("/api/v1/api-keys", headers=editor.headers)).status_code == 403


async def test_an_invited_person_signs_up_and_can_then_log_in(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    admin = await make_actor(Role.admin)
    invited = await client.post(f"/api/v1/organizations/{admin.org_id}/invitations",
                                json={"email": "new.person@example.org", "role": "viewer"},
                                headers=admin.headers)
    assert invited.status_code == 201, invited.text
    signed_up = await client.post("/api/v1/auth/register", json={
        "token": invited.json()["token"], "password": "a long new password"})
    assert signed_up.status_code == 201, signed_up.text
    tokens = (await login(client, "new.person@example.org", "a long new password")).json()
    assert tokens["organization"]["id"] == str(admin.org_id) and tokens["role"] == "viewer"
    again = await client.post(f"/api/v1/organizations/{admin.org_id}/invitations",
                              json={"email": "new.person@example.org", "role": "viewer"},
                              headers=admin.headers)
    assert again.status_code == 409


async def test_roles_bound_member_management(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    admin = await make_actor(Role.admin, org_id=owner.org_id)
    viewer = await make_actor(Role.viewer, org_id=owner.org_id)
    members = "/api/v1/organization/members"
    assert (await client.post(members, json={"email": "a@example.org"},
                              headers=viewer.headers)).status_code == 403
    # An admin cannot make owners nor touch the owner.
    assert (await client.patch(f"{members}/{viewer.user_id}", json={"role": "owner"},
                               headers=admin.headers)).status_code == 403
    assert (await client.delete(f"{members}/{owner.user_id}",
                                headers=admin.headers)).status_code == 403
    # The last owner cannot step down.
    last = await client.patch(f"{members}/{owner.user_id}", json={"role": "admin"},
                              headers=owner.headers)
    assert last.status_code == 409 and "last owner" in last.json()["detail"]
    promoted = await client.patch(f"{members}/{viewer.user_id}", json={"role": "editor"},
                                  headers=admin.headers)
    assert promoted.json()["role"] == "editor"
    # A removed member's token stops working at once.
    assert (await client.delete(f"{members}/{viewer.user_id}",
                                headers=admin.headers)).status_code == 204
    assert (await client.get("/api/v1/me", headers=viewer.headers)).status_code == 401


async def test_members_of_another_organization_are_invisible(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    mine = await make_actor(Role.owner)
    theirs = await make_actor(Role.owner)
    listed = (await client.get("/api/v1/organization/members", headers=mine.headers)).json()
    assert [m["email"] for m in listed] == [mine.email]
    response = await client.patch(f"/api/v1/organization/members/{theirs.user_id}",
                                  json={"role": "viewer"}, headers=mine.headers)
    assert response.status_code == 404


async def test_a_user_creates_an_organization_and_logs_in_to_it(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    actor = await make_actor(Role.viewer)
    created = await client.post("/api/v1/organizations", json={"name": "Київ Ботс"},
                                headers=actor.headers)
    assert created.status_code == 201
    org = created.json()
    assert org["slug"] == "kyiv-bots"
    tokens = (await login(client, actor.email, organization_id=org["id"])).json()
    assert tokens["role"] == "owner"
    mine = (await client.get("/api/v1/organizations", headers=actor.headers)).json()
    assert {o["id"] for o in mine} == {str(actor.org_id), org["id"]}


async def test_refresh_can_switch_to_another_organization_of_the_user(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    """The builder's organization switcher: a refresh names another organization the user
    belongs to; a refused switch leaves the token unspent."""
    actor = await make_actor(Role.owner)
    tokens = (await login(client, actor.email)).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    other = await client.post("/api/v1/organizations", json={"name": "Друга кав'ярня"},
                              headers=headers)
    assert other.status_code == 201, other.text
    stranger = await make_actor(Role.owner)
    refused = await client.post("/api/v1/auth/refresh", json={
        "refresh_token": tokens["refresh_token"], "organization_id": str(stranger.org_id)})
    assert refused.status_code == 403 and "not a member" in refused.json()["detail"]
    switched = await client.post("/api/v1/auth/refresh", json={
        "refresh_token": tokens["refresh_token"], "organization_id": other.json()["id"]})
    assert switched.status_code == 200, switched.text  # the refused try did not spend it
    me = (await client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {switched.json()['access_token']}"})).json()
    assert me["organization"]["id"] == other.json()["id"] and me["role"] == "owner"
    # The new refresh token stays in the new organization.
    again = (await client.post("/api/v1/auth/refresh", json={
        "refresh_token": switched.json()["refresh_token"]})).json()
    me = (await client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {again['access_token']}"})).json()
    assert me["organization"]["id"] == other.json()["id"]
