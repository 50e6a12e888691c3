"""The quota's limits take the API's whole range (up to 10^12 tokens a day) on every
database: a large limit is stored and read back, never a server error."""

from __future__ import annotations

from core.security import Role


async def test_the_largest_limits_are_stored(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    body = {"calls_per_minute": 1_000_000, "tokens_per_day": 10**12,
            "cost_per_month": 10**9, "bot_tokens_per_day": 10**12}
    put = await client.put("/api/v1/llm/quota", json=body, headers=owner.headers)
    assert put.status_code == 200, put.text
    read = (await client.get("/api/v1/llm/quota", headers=owner.headers)).json()
    assert {k: read[k] for k in body} == body
    over = await client.put("/api/v1/llm/quota", json={**body, "tokens_per_day": 10**12 + 1},
                            headers=owner.headers)
    assert over.status_code == 422 and "tokens_per_day" in over.text
