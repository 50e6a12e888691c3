"""A report of a transcript variable instead of the conversation: a call's transcript (text)
or a list of messages, summed up in the conversation's language; an empty one is the
block's error port with the reason."""

from __future__ import annotations

from core.security import Role
from llm.fake_server import Reply
from tests.integration.test_chat_api import start
from tests.integration.test_service_blocks import bot_with_scenario
from tests.llm.test_llm_block import fake, provider, texts  # noqa: F401  (fixture)


def report_scenario(transcript: object) -> dict:
    return {
        "schema_version": 2, "entry": {"start": "keep"},
        "variables": [{"name": "call", "type": "any"}, {"name": "summary", "type": "any"},
                      {"name": "said", "type": "string"}],
        "blocks": [
            {"id": "keep", "type": "set_variable", "settings": {
                "variable": "call", "value": transcript}},
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "said", "prompt": {"uk": "Так?", "en": "Yes?"}}},
            {"id": "sum_up", "type": "report", "settings": {
                "provider": "local", "transcript": "call", "store_in": "summary"}},
            {"id": "done", "type": "message", "settings": {"text": {
                "uk": "Звіт: {{summary}}", "en": "Report: {{summary}}"}}},
            {"id": "failed", "type": "message", "settings": {"text": {
                "uk": "Збій.", "en": "Failed."}}}],
        "edges": [{"source": "keep", "target": "ask"}, {"source": "ask", "target": "sum_up"},
                  {"source": "sum_up", "port": "next", "target": "done"},
                  {"source": "sum_up", "port": "error", "target": "failed"},
                  {"source": "done", "target": "ask"}, {"source": "failed", "target": "ask"}]}


async def test_a_transcript_variable_is_reported_instead_of_the_conversation(
        client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    call = [{"role": "user", "content": "Мені не привезли замовлення B-4"},
            {"role": "operator", "content": "Перевіримо і передзвонимо завтра"}]
    headers = await bot_with_scenario(client, owner, report_scenario(call))
    _, chat = await start(client, headers, language="uk")
    fake.script(None, [Reply(text="Замовлення B-4 не доставлено; передзвонити завтра.")])
    reply = await chat.send(text="підсумуй")
    assert texts(reply)[0] == "Звіт: Замовлення B-4 не доставлено; передзвонити завтра."
    sent = fake.requests[-1].body["messages"]
    assert "Write the report in Ukrainian." in sent[0]["content"]
    # The transcript, not the conversation (whose "Так?" and "підсумуй" are not in it).
    assert sent[1]["content"] == ("The conversation:\nPerson: Мені не привезли замовлення B-4"
                                  "\nBot: Перевіримо і передзвонимо завтра")
    reports = (await client.get(f"/api/v1/conversations/{chat.id}/reports",
                                headers=owner.headers)).json()
    assert reports[0]["messages"] == 2


async def test_an_empty_transcript_takes_the_error_port(client, make_actor, fake) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await provider(client, owner, fake)
    headers = await bot_with_scenario(client, owner, report_scenario([]))
    _, chat = await start(client, headers, language="en")
    asked = len(fake.requests)
    assert texts(await chat.send(text="sum it up"))[0] == "Failed."
    assert len(fake.requests) == asked  # the model was not asked
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for s in trace["items"][0]["trace"] if s.get("call")]
    assert call["error"] == "the transcript variable is empty: nothing to report"
