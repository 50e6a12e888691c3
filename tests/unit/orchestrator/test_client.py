"""The in-process client over a fake scenarios client: live versions, pins, caching."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from orchestrator.client import InProcessOrchestrator
from orchestrator.contract import InboundEvent, ScenarioNotRunnable, ScenariosUnavailable
from scenarios.contract import PublishedVersion
from tests.unit.orchestrator.conftest import BOT_ID, block, context, document, say, text, texts

ORG = uuid.UUID(int=1)


def version(name: str, doc: dict, number: int = 1) -> PublishedVersion:
    return PublishedVersion(id=uuid.uuid4(), scenario_id=uuid.uuid5(uuid.NAMESPACE_DNS, name),
                            scenario_name=name, bot_id=BOT_ID, org_id=ORG, number=number,
                            document=doc, document_hash=f"h-{name}-{number}")


class FakeScenarios:
    def __init__(self, *versions: PublishedVersion) -> None:
        self.live = {v.scenario_name: v for v in versions}
        self.calls: list[str] = []

    async def get_bot(self, bot_id):
        return None

    async def get_live_version(self, scenario_id):
        self.calls.append("live")
        return next((v for v in self.live.values() if v.scenario_id == scenario_id), None)

    async def get_live_version_by_name(self, bot_id, scenario_name):
        self.calls.append(f"by_name:{scenario_name}")
        return self.live.get(scenario_name)

    async def get_version(self, scenario_id, number):
        return None

    async def get_version_by_id(self, version_id):
        self.calls.append("by_id")
        return next((v for v in self.live.values() if v.id == version_id), None)


MAIN = document([say("hi", "Hello {{ who }}"), block("call", "jump", scenario="survey"),
                 say("bye", "Bye")], [("hi", "next", "call"), ("call", "next", "bye")],
                variables=[{"name": "who", "type": "string"}])
SURVEY = document([block("q", "input", kind="text", prompt=text("Why?"), variable="why"),
                   block("deeper", "jump", scenario="extra", return_after=False)],
                  [("q", "next", "deeper")], variables=[{"name": "why", "type": "string"}])
EXTRA = document([say("x", "Extra")])


async def test_start_pins_reachable_scenarios_and_advance_uses_them():
    main, survey, extra = version("main", MAIN), version("survey", SURVEY), \
        version("extra", EXTRA)
    fake = FakeScenarios(main, survey, extra)
    client = InProcessOrchestrator(fake)
    result = await client.start(scenario_id=main.scenario_id, context=context(),
                                language="en-GB", variables={"who": "Ann"})
    assert texts(result) == ["Hello Ann", "Why?"]
    assert result.state.pins == {"main": main.id, "survey": survey.id, "extra": extra.id}
    assert result.state.language == "en" and result.version_id == main.id
    # A newer live version does not change a running conversation.
    fake.live["survey"] = version("survey", document([say("new", "New")]), 2)
    result = await client.advance(state=result.state,
                                  event=InboundEvent(kind="text", text="because"),
                                  context=context())
    assert texts(result) == ["Extra", "Bye"] and result.ended


async def test_unpublished_scenario_is_not_runnable():
    client = InProcessOrchestrator(FakeScenarios())
    with pytest.raises(ScenarioNotRunnable, match="no published version"):
        await client.start(scenario_id=uuid.uuid4(), context=context(), language="en")


async def test_invalid_document_is_not_runnable():
    broken = version("main", document([say("a", "A")], [("a", "next", "nowhere")]))
    client = InProcessOrchestrator(FakeScenarios(broken))
    with pytest.raises(ScenarioNotRunnable, match="nowhere"):
        await client.start(scenario_id=broken.scenario_id, context=context(), language="en")


async def test_compiled_versions_are_cached_by_id():
    main = version("main", document([say("a", "A")]))
    client = InProcessOrchestrator(FakeScenarios(main), cache_size=2)
    first = await client.start(scenario_id=main.scenario_id, context=context(), language="en")
    await client.start(scenario_id=main.scenario_id, context=context(), language="en")
    assert texts(first) == ["A"] and len(client._compiled) == 1


async def test_slow_scenarios_service_times_out():
    class Slow(FakeScenarios):
        async def get_live_version(self, scenario_id):
            await asyncio.sleep(10)

    client = InProcessOrchestrator(Slow(), timeout=0.01)
    with pytest.raises(ScenariosUnavailable, match="in time"):
        await client.start(scenario_id=uuid.uuid4(), context=context(), language="en")


async def test_unknown_version_in_state_is_reported():
    main = version("main", document([block("q", "input", kind="text", prompt=text("Q"),
                                           variable="a")],
                                    variables=[{"name": "a", "type": "string"}]))
    result = await InProcessOrchestrator(FakeScenarios(main)).start(
        scenario_id=main.scenario_id, context=context(), language="en")
    # Another process, which never saw the version, loads it by id and carries on.
    scenarios = FakeScenarios(main)
    other = InProcessOrchestrator(scenarios)
    carried = await other.advance(state=result.state, event=InboundEvent(kind="text", text="x"),
                                  context=context())
    assert carried.errors == [] and "by_id" in scenarios.calls
    # A version the scenarios service no longer has is reported, and the state kept.
    gone = InProcessOrchestrator(FakeScenarios())
    again = await gone.advance(state=result.state, event=InboundEvent(kind="text", text="x"),
                               context=context())
    assert again.errors[0].code == "scenario.missing" and again.state == result.state
