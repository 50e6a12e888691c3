"""A turn answered as Server-Sent Events (`Accept: text/event-stream` on the REST message
endpoint): the pieces of an answer a language model writes, as it writes them, then the
turn's answer once it is stored.

The turn runs as its own task, so that a client that goes away mid-answer costs it nothing:
the turn is stored all the same (and its answer is there for a retry with the same
`client_message_id`). Until the first piece the response has not begun, so a refusal (an
unknown conversation, an ended one, a busy lock) is the usual problem+json with its status;
after it, a failure is an `error` event with the same body."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
from fastapi import Response
from fastapi.responses import StreamingResponse

from core.errors import RozmovaError
from orchestrator.contract import InboundEvent

_running: set[asyncio.Task[Any]] = set()  # turns whose client may have gone: kept till done
_QUEUE = 256  # pieces waiting for a slow client; past it the oldest wait for the final text
_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _event(name: str, data: Any) -> bytes:
    return b"event: " + name.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"


async def streamed_turn(service: Any, scope: Any, conversation_id: uuid.UUID,
                        event: InboundEvent, client_message_id: str) -> Response:
    pieces: asyncio.Queue[dict[str, Any]] = asyncio.Queue(_QUEUE)

    async def sink(frame: dict[str, Any]) -> None:
        if pieces.full():
            return  # a client this slow reads the final answer instead of every piece
        pieces.put_nowait(frame)

    turn = asyncio.create_task(service.send(scope=scope, conversation_id=conversation_id,
                                            event=event, client_message_id=client_message_id,
                                            sinks=[sink]), name="sse turn")
    _running.add(turn)
    turn.add_done_callback(_running.discard)
    first = asyncio.ensure_future(pieces.get())
    await asyncio.wait({turn, first}, return_when=asyncio.FIRST_COMPLETED)
    if not first.done():
        first.cancel()
        # No piece: the answer (or the refusal, raised here as problem+json) is whole.
        answer = turn.result()
        return Response(_event("answer", orjson.loads(answer.model_dump_json())),
                        media_type="text/event-stream", headers=_HEADERS)

    async def events() -> AsyncIterator[bytes]:
        yield _event("partial", _piece(first.result()))
        while True:
            getting = asyncio.ensure_future(pieces.get())
            await asyncio.wait({turn, getting}, return_when=asyncio.FIRST_COMPLETED)
            if getting.done():
                yield _event("partial", _piece(getting.result()))
                continue
            getting.cancel()
            while not pieces.empty():
                yield _event("partial", _piece(pieces.get_nowait()))
            break
        try:
            answer = turn.result()
        except RozmovaError as exc:
            yield _event("error", exc.to_problem())
            return
        except Exception:  # noqa: BLE001  (logged by the turn; the client gets a reason)
            yield _event("error", {"title": "Internal error", "status": 500,
                                   "detail": "the turn failed; nothing of it was stored"})
            return
        yield _event("answer", orjson.loads(answer.model_dump_json()))

    return StreamingResponse(events(), media_type="text/event-stream", headers=_HEADERS)


def _piece(frame: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in frame.items() if k != "type"}
