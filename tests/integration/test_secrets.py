"""The secret store over the HTTP API: roles, organizations kept apart, values that never
come back (not in answers, not in logs), ciphertexts bound to their row, and clear problems
for bad names and values."""

from __future__ import annotations

import logging
import secrets as random

import pytest
from sqlalchemy import select, update
from structlog.testing import capture_logs

from core.crypto import DecryptionError, Encryptor, new_key, parse_keys
from core.db import transaction
from core.security import Role
from gateway.secrets import service
from gateway.secrets.contract import InProcessSecretsClient, reveal
from gateway.secrets.models import OrgSecret

PROBLEM = "application/problem+json"
URL = "/api/v1/secrets"


def value() -> str:
    return f"sk-test-{random.token_urlsafe(24)}"


async def put(client, actor, name: str, secret: str, expect: int = 201):  # type: ignore[no-untyped-def]
    response = await client.put(f"{URL}/{name}", json={"value": secret}, headers=actor.headers)
    assert response.status_code == expect, response.text
    return response


async def test_crud_answers_metadata_only_and_never_the_value(
        client, make_actor, runtime, caplog, capsys) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    owner = await make_actor(Role.owner)
    first, second = value(), value()
    answers = []
    with capture_logs() as logs:
        created = await put(client, owner, "CRM_TOKEN", first, expect=201)
        answers.append(created)
        body = created.json()
        assert set(body) == {"name", "created_at", "updated_at"}
        assert body["name"] == "CRM_TOKEN"

        replaced = await put(client, owner, "CRM_TOKEN", second, expect=200)
        answers.append(replaced)
        assert replaced.json()["created_at"] == body["created_at"]
        assert replaced.json()["updated_at"] >= body["updated_at"]
        await put(client, owner, "_other", value(), expect=201)

        listing = await client.get(URL, headers=owner.headers)
        answers.append(listing)
        assert listing.status_code == 200
        assert [item["name"] for item in listing.json()] == ["CRM_TOKEN", "_other"]
        assert all(set(item) == {"name", "created_at", "updated_at"}
                   for item in listing.json())

        one = await client.get(f"{URL}/CRM_TOKEN", headers=owner.headers)
        answers.append(one)
        assert one.status_code == 200 and one.json() == replaced.json()

        assert await reveal(runtime, owner.org_id, "CRM_TOKEN") == second

        gone = await client.delete(f"{URL}/CRM_TOKEN", headers=owner.headers)
        answers.append(gone)
        assert gone.status_code == 204 and gone.content == b""
        missing = await client.get(f"{URL}/CRM_TOKEN", headers=owner.headers)
        answers.append(missing)
        assert missing.status_code == 404
        assert missing.headers["content-type"] == PROBLEM
        assert missing.json()["detail"] == "no secret named 'CRM_TOKEN' in your organization"
        again = await client.delete(f"{URL}/CRM_TOKEN", headers=owner.headers)
        assert again.status_code == 404
        assert await reveal(runtime, owner.org_id, "CRM_TOKEN") is None

    for answer in answers:
        for secret in (first, second):
            assert secret not in answer.text
            assert secret not in str(answer.headers)
    logged = repr(logs) + caplog.text + "".join(capsys.readouterr())
    assert "secrets.stored" in repr(logs)  # the store does log, just never the value
    for secret in (first, second):
        assert secret not in logged


@pytest.mark.parametrize("role", [Role.viewer, Role.operator])
async def test_read_only_roles_read_metadata_but_cannot_write(
        client, make_actor, role) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    reader = await make_actor(role, org_id=owner.org_id)
    await put(client, owner, "TOKEN", value())

    assert (await client.get(URL, headers=reader.headers)).json()[0]["name"] == "TOKEN"
    assert (await client.get(f"{URL}/TOKEN", headers=reader.headers)).status_code == 200
    for response in (
        await client.put(f"{URL}/TOKEN", json={"value": "x"}, headers=reader.headers),
        await client.put(f"{URL}/NEW", json={"value": "x"}, headers=reader.headers),
        await client.delete(f"{URL}/TOKEN", headers=reader.headers),
    ):
        assert response.status_code == 403
        assert response.headers["content-type"] == PROBLEM
        assert "needs the editor role" in response.json()["detail"]
    assert [s["name"] for s in (await client.get(URL, headers=owner.headers)).json()] == \
        ["TOKEN"]


async def test_editors_write_and_need_credentials(client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    editor = await make_actor(Role.editor)
    await put(client, editor, "TOKEN", "from the editor")
    async with transaction(runtime.sessionmaker) as session:
        row = await service.get(session=session, org_id=editor.org_id, name="TOKEN")
        assert row is not None and row.created_by == editor.user_id
    assert (await client.get(URL)).status_code == 401
    assert (await client.put(f"{URL}/TOKEN", json={"value": "x"})).status_code == 401


async def test_an_api_key_writes_as_its_role(client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    admin = await make_actor(Role.admin)
    keys = {}
    for role in ("editor", "viewer"):
        created = await client.post("/api/v1/api-keys", json={"name": role, "role": role},
                                    headers=admin.headers)
        assert created.status_code == 201, created.text
        keys[role] = {"X-API-Key": created.json()["key"]}
    assert (await client.put(f"{URL}/BY_KEY", json={"value": "v"},
                             headers=keys["editor"])).status_code == 201
    assert (await client.put(f"{URL}/BY_KEY", json={"value": "v"},
                             headers=keys["viewer"])).status_code == 403
    async with transaction(runtime.sessionmaker) as session:
        row = await service.get(session=session, org_id=admin.org_id, name="BY_KEY")
        assert row is not None and row.created_by is None


async def test_another_organization_can_neither_see_nor_overwrite(
        client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    ours, theirs = await make_actor(Role.owner), await make_actor(Role.owner)
    mine = value()
    await put(client, ours, "SHARED_NAME", mine)

    assert (await client.get(URL, headers=theirs.headers)).json() == []
    hidden = await client.get(f"{URL}/SHARED_NAME", headers=theirs.headers)
    assert hidden.status_code == 404
    assert (await client.delete(f"{URL}/SHARED_NAME", headers=theirs.headers)).status_code \
        == 404
    # The same name in another organization is that organization's own secret.
    their_value = value()
    await put(client, theirs, "SHARED_NAME", their_value, expect=201)
    assert await reveal(runtime, ours.org_id, "SHARED_NAME") == mine
    assert await reveal(runtime, theirs.org_id, "SHARED_NAME") == their_value


async def test_stored_ciphertext_is_not_the_value_and_is_bound_to_its_row(
        client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    secret_a, secret_b = value(), value()
    await put(client, owner, "A", secret_a)
    await put(client, owner, "B", secret_b)
    encryptor = Encryptor.from_settings(runtime.settings)

    async with transaction(runtime.sessionmaker) as session:
        rows = {row.name: row for row in await session.scalars(
            select(OrgSecret).where(OrgSecret.org_id == owner.org_id))}
        a, b = rows["A"], rows["B"]
        assert secret_a.encode() not in a.ciphertext
        assert secret_a[-4:].encode() not in a.ciphertext
        assert a.key_id == encryptor.key_id
        assert encryptor.decrypt(a.ciphertext, context=service.context(owner.org_id, "A")) \
            == secret_a.encode()
        with pytest.raises(DecryptionError):
            encryptor.decrypt(a.ciphertext, context=service.context(owner.org_id, "B"))
        # A's ciphertext copied into B's row does not open there.
        await session.execute(update(OrgSecret).where(OrgSecret.id == b.id)
                              .values(ciphertext=a.ciphertext))
    with pytest.raises(DecryptionError) as caught:
        await reveal(runtime, owner.org_id, "B")
    assert secret_a not in str(caught.value) and secret_b not in str(caught.value)
    assert await reveal(runtime, owner.org_id, "A") == secret_a
    # The metadata stays readable; a new value repairs the row.
    assert (await client.get(f"{URL}/B", headers=owner.headers)).status_code == 200
    await put(client, owner, "B", secret_b, expect=200)
    assert await reveal(runtime, owner.org_id, "B") == secret_b


async def test_rotation_old_rows_still_open_and_reencrypt_moves_them(
        client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    secret = value()
    await put(client, owner, "ROTATED", secret)
    old = Encryptor.from_settings(runtime.settings)
    newer = Encryptor([parse_keys(new_key())[0], *_keys_of(runtime)])
    assert newer.key_id != old.key_id

    assert await InProcessSecretsClient(runtime.sessionmaker, newer).reveal(
        owner.org_id, "ROTATED") == secret
    async with transaction(runtime.sessionmaker) as session:
        before = await service.get(session=session, org_id=owner.org_id, name="ROTATED")
        assert before is not None and newer.rotate_needed(before.ciphertext)
        stamp = before.updated_at
        assert await service.reencrypt(session=session, encryptor=newer) >= 1
    async with transaction(runtime.sessionmaker) as session:
        after = await service.get(session=session, org_id=owner.org_id, name="ROTATED")
        assert after is not None and after.key_id == newer.key_id
        assert not newer.rotate_needed(after.ciphertext) and after.updated_at == stamp
    assert await InProcessSecretsClient(runtime.sessionmaker, newer).reveal(
        owner.org_id, "ROTATED") == secret
    with pytest.raises(DecryptionError, match=newer.key_id):
        await InProcessSecretsClient(runtime.sessionmaker, old).reveal(owner.org_id, "ROTATED")


def _keys_of(runtime) -> list[bytes]:  # type: ignore[no-untyped-def]
    from core.crypto import derive_development_key

    configured = runtime.settings.encryption_keys
    if configured is not None:
        return parse_keys(configured.get_secret_value())
    return [derive_development_key(runtime.settings.signing_key())]


@pytest.mark.parametrize("name", [
    "1STARTS_WITH_DIGIT", "has-dash", "has.dot", "Ünïcode", "A" * 65, "with%20space",
])
async def test_bad_names_are_422_problems(client, make_actor, name) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    for response in (
        await client.put(f"{URL}/{name}", json={"value": "v"}, headers=owner.headers),
        await client.get(f"{URL}/{name}", headers=owner.headers),
        await client.delete(f"{URL}/{name}", headers=owner.headers),
    ):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["code"] == "invalid_input"
        assert problem["errors"][0]["path"] == "/path/name"
        assert "is not a secret name: use 1 to 64 ASCII letters, digits and underscores" in \
            problem["detail"]
    assert (await client.get(URL, headers=owner.headers)).json() == []


@pytest.mark.parametrize(("body", "path", "needle"), [
    ({"value": ""}, "/body/value", "at least 1 character"),
    ({"value": "x" * 8193}, "/body/value", "at most 8192 characters"),
    ({"value": 12345}, "/body/value", "valid string"),
    ({}, "/body/value", "Field required"),
    ({"value": "ok", "note": "x"}, "/body/note", "Extra inputs are not permitted"),
])
async def test_bad_values_are_422_problems_that_do_not_echo_them(
        client, make_actor, body, path, needle) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    response = await client.put(f"{URL}/TOKEN", json=body, headers=owner.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["errors"][0]["path"] == path
    assert needle in problem["detail"]
    if body.get("value") == "x" * 8193:
        assert "x" * 100 not in response.text
    assert (await client.get(URL, headers=owner.headers)).json() == []


async def test_limits_of_a_value(client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    longest = "ї" * 8192  # characters, not bytes
    await put(client, owner, "LONGEST", longest)
    assert await reveal(runtime, owner.org_id, "LONGEST") == longest
    await put(client, owner, "NUL", "a\x00b")  # encrypted bytes: any text is storable
    assert await reveal(runtime, owner.org_id, "NUL") == "a\x00b"
    # A lone surrogate is not text: refused, not a 500.
    response = await client.put(f"{URL}/BROKEN", content=b'{"value": "\\ud800"}',
                                headers={**owner.headers, "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert "unable to parse raw data as a unicode string" in response.json()["detail"]
    malformed = await client.put(f"{URL}/BROKEN", content=b'{"value": ',
                                 headers={**owner.headers, "Content-Type": "application/json"})
    assert malformed.status_code == 400 and malformed.json()["code"] == "malformed_json"


async def test_an_organization_keeps_a_bounded_number_of_secrets(
        client, make_actor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gateway.secrets import service as secrets_service

    monkeypatch.setattr(secrets_service, "MAX_SECRETS", 3)
    owner = await make_actor(Role.owner)
    for name in ("A", "B", "C"):
        await put(client, owner, name, value())
    over = await client.put(f"{URL}/D", json={"value": value()}, headers=owner.headers)
    assert over.status_code == 409 and "the most it may" in over.json()["detail"]
    await put(client, owner, "A", value(), expect=200)  # replacing a value is not a new one
    other = await make_actor(Role.owner)  # the bound is per organization
    await put(client, other, "D", value())
    assert (await client.delete(f"{URL}/B", headers=owner.headers)).status_code == 204
    await put(client, owner, "D", value())


async def test_deleting_the_organization_deletes_its_secrets(
        client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    from gateway.orgs.models import Organization

    owner = await make_actor(Role.owner)
    await put(client, owner, "TOKEN", value())
    async with transaction(runtime.sessionmaker) as session:
        await session.delete(await session.get(Organization, owner.org_id))
    async with transaction(runtime.sessionmaker) as session:
        assert await session.scalar(
            select(OrgSecret).where(OrgSecret.org_id == owner.org_id)) is None
