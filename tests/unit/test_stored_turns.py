"""The chat service writes the engine's results as plain JSON on the hot path, without pydantic:
it must be exactly what pydantic would write, or replays and resumes would read it back wrong."""

from __future__ import annotations

import uuid

from chat.conversations.schemas import MessageOut, TurnAnswer
from chat.conversations.service import body_for_answer, state_json, stored_body
from chat.realtime.frames import request_body
from orchestrator.contract import Button, ConversationState, Frame, InputRequest, OutboundMessage

MESSAGES = [
    OutboundMessage(type="text", text="Hi", block_id="a"),
    OutboundMessage(type="image", url="https://x.test/i.png", text="caption",
                    buttons=[Button(id="b:1", label="One"),
                             Button(id="l", label="Site", url="https://x.test")],
                    quick_replies=[Button(id="q", label="Q")]),
    OutboundMessage(type="delay", seconds=1.5),
    OutboundMessage(type="handoff"),
]
REQUESTS = [None, InputRequest(kind="choice", block_id="c", choices=[Button(id="x", label="X")],
                               attempts_left=2, no_input_seconds=30.0),
            InputRequest(kind="text", block_id="t")]


def test_stored_bodies_are_what_pydantic_would_store():
    for message in MESSAGES:
        expected = message.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        expected["type"] = message.type
        assert stored_body(message) == expected


def test_answers_are_what_pydantic_would_write_and_read_back():
    for request in REQUESTS:
        out = [MessageOut(**m.model_dump(), seq=n) for n, m in enumerate(MESSAGES, 5)]
        answer = TurnAnswer(conversation_id=uuid.uuid4(), messages=out, input=request,
                            ended=False, status="waiting", inbound_seq=4)
        plain = {"conversation_id": str(answer.conversation_id),
                 "messages": [{**body_for_answer(m), "seq": n}
                              for n, m in enumerate(MESSAGES, 5)],
                 "input": request_body(request), "ended": False, "status": "waiting",
                 "inbound_seq": 4, "duplicate": False}
        assert plain == answer.model_dump(mode="json")
        assert TurnAnswer.model_validate(plain) == answer


def test_states_are_what_pydantic_would_write_and_read_back():
    state = ConversationState(
        status="waiting", language="uk", waiting_block="q", attempts=1,
        frames=[Frame(version_id=uuid.uuid4(), scenario="main", block="j", return_block="j",
                      resume_block="q", resume_attempts=2),
                Frame(version_id=uuid.uuid4(), scenario="sub", block="q")],
        variables={"n": 1, "l": [1, {"a": None}], "s": "текст"},
        pins={"sub": uuid.uuid4()}, no_input_seconds=45.0)
    assert state_json(state) == state.model_dump(mode="json")
    assert ConversationState.model_validate(state_json(state)) == state
