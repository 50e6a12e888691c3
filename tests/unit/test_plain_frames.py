"""The hot path builds socket frames and stored answers by hand instead of through pydantic's
dump; each builder must give exactly what the dump gives, for every shape of message."""

from __future__ import annotations

import itertools
import uuid

import pytest

from chat.conversations.schemas import MessageOut, TurnAnswer
from chat.realtime.frames import input_frame, message_body, request_body
from core.ids import new_id
from orchestrator.contract import Button, InputRequest

BUTTONS = [[], [Button(id="a", label="A")], [Button(id="a", label="A"),
                                             Button(id="u", label="Site", url="https://x.example")]]


@pytest.mark.parametrize(("kind", "text", "url", "buttons", "quick", "seconds", "block"), [
    *itertools.product(["text"], ["hi", None], [None], BUTTONS, BUTTONS[:2], [None], ["b1"]),
    ("image", None, "https://x.example/a.png", [], [], None, None),
    ("delay", None, None, [], [], 1.5, "wait"),
    ("handoff", "Calling a human", None, [], [], None, "human"),
])
def test_a_message_body_is_the_models_dump(kind, text, url, buttons, quick, seconds, block) -> None:  # type: ignore[no-untyped-def]
    message = MessageOut(type=kind, text=text, url=url, buttons=buttons, quick_replies=quick,
                         seconds=seconds, block_id=block, seq=3)
    assert message_body(message) == message.model_dump(mode="json", exclude_none=True,
                                                        exclude={"seq"})


@pytest.mark.parametrize("request_", [
    None,
    InputRequest(kind="text", block_id="ask"),
    InputRequest(kind="buttons", block_id="menu", choices=BUTTONS[2], attempts_left=2,
                 no_input_seconds=30.0),
])
def test_an_input_is_the_models_dump(request_) -> None:  # type: ignore[no-untyped-def]
    assert request_body(request_) == (None if request_ is None else
                                      request_.model_dump(mode="json"))
    answer = TurnAnswer(conversation_id=uuid.uuid4(), messages=[], input=request_, ended=False,
                        status="waiting")
    dumped = answer.model_dump(mode="json")
    assert input_frame(7, answer) == {"type": "input", "seq": 7, "input": dumped["input"],
                                      "ended": False, "status": "waiting"}


def test_row_ids_are_ordinary_random_uuids() -> None:
    ids = [new_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    for value in ids[:50]:
        assert isinstance(value, uuid.UUID) and value.version == 4
        assert value.variant == uuid.RFC_4122
        assert uuid.UUID(str(value)) == value and hash(value) == hash(uuid.UUID(str(value)))


@pytest.mark.parametrize("event", [
    {"kind": "start"}, {"kind": "text", "text": "hello"}, {"kind": "choice", "choice_id": "yes"},
    {"kind": "command", "command": "menu"},
    {"kind": "payload", "payload": {"a": [1, 2.5, None, {"b": "c"}], "n": None}},
    {"kind": "payload", "payload": None}, {"kind": "timeout"},
])
def test_an_inbound_body_is_the_events_dump(event) -> None:  # type: ignore[no-untyped-def]
    from chat.conversations.service import inbound_body
    from orchestrator.contract import InboundEvent

    model = InboundEvent(**event)
    assert inbound_body(model) == model.model_dump(mode="json", exclude_none=True)
