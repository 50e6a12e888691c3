"""The fake Bot API under uvicorn, driven by python-telegram-bot's own client: what it
answers, what it records, the errors it can be made to give, and webhook deliveries."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from chat.channels.telegram.fake import FakeTelegram
from chat.channels.telegram.outbound import render
from orchestrator.contract import Button, OutboundMessage
from tests.conftest import free_port

# The rendered calls go through do_api_request on purpose (exactly as rendered); retry_after's
# announced change of type is checked for both types below.
pytestmark = [pytest.mark.filterwarnings("ignore:Please use 'Bot"),
              pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]

API_JSON = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "telegram" / "api.json"
TOKEN = "123456:TEST-token"


async def serve(app):  # type: ignore[no-untyped-def]
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    return server, task, port


@pytest.fixture
async def telegram():  # type: ignore[no-untyped-def]
    fake = FakeTelegram(API_JSON if API_JSON.exists() else None)
    fake.add_bot(TOKEN, "coffee_bot")
    server, task, port = await serve(fake.app)
    bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot")
    async with bot:
        yield fake, bot
    server.should_exit = True
    await task


async def test_the_real_client_talks_to_it(telegram) -> None:  # type: ignore[no-untyped-def]
    fake, bot = telegram
    me = await bot.get_me()
    assert (me.username, me.is_bot) == ("coffee_bot", True)
    sent = await bot.send_message(42, "Привіт!", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("Так", callback_data="yes")]]))
    assert sent.text == "Привіт!" and sent.chat.id == 42
    [call] = fake.sent("sendMessage")
    assert call.params["chat_id"] in (42, "42")
    assert call.params["reply_markup"] == {"inline_keyboard": [[{
        "text": "Так", "callback_data": "yes"}]]}
    assert await bot.answer_callback_query("cbq-1") is True
    assert await bot.send_chat_action(42, "typing") is True


async def test_rendered_calls_are_accepted_as_they_are(telegram) -> None:  # type: ignore[no-untyped-def]
    fake, bot = telegram
    calls = render(42, [
        OutboundMessage(type="text", text="Оберіть", buttons=[Button(id="a", label="A")]),
        OutboundMessage(type="image", url="https://x.example/a.png", text="фото"),
        OutboundMessage(type="delay", seconds=0.01),
        OutboundMessage(type="text", text="Готово", quick_replies=[Button(id="q", label="Ще")]),
    ])
    for call in calls:
        assert await bot.do_api_request(call.method, api_kwargs=call.params) is not None
    assert [c.method for c in fake.calls if c.method != "getMe"] == [c.method for c in calls]
    assert fake.sent("sendPhoto")[0].params["photo"] == "https://x.example/a.png"


async def test_errors_as_telegram_gives_them(telegram) -> None:  # type: ignore[no-untyped-def]
    fake, bot = telegram
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    with pytest.raises(RetryAfter) as too_many:
        await bot.send_message(42, "x")
    assert too_many.value.retry_after in (3, __import__("datetime").timedelta(seconds=3))
    fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(42, "x")
    with pytest.raises(BadRequest, match="chat_id"):
        await bot.do_api_request("sendMessage", api_kwargs={"text": "no chat"})
    assert (await bot.send_message(42, "fine")).text == "fine"  # the failures were used up


async def test_a_webhook_gets_updates_with_the_secret_and_polling_waits_for_them(
        telegram) -> None:  # type: ignore[no-untyped-def]
    fake, bot = telegram
    seen: list[tuple[dict, str | None]] = []

    async def hook(request: Request) -> JSONResponse:
        seen.append((await request.json(),
                     request.headers.get("x-telegram-bot-api-secret-token")))
        return JSONResponse({})

    server, task, port = await serve(Starlette(routes=[Route("/hook", hook, methods=["POST"])]))
    try:
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        assert (await bot.get_webhook_info()).url.endswith("/hook")
        update = fake.update(TOKEN, message={"message_id": 1, "date": 1, "text": "hi",
                                             "chat": {"id": 42, "type": "private"}})
        assert (await fake.deliver(TOKEN, update)).status_code == 200
        assert (await fake.deliver(TOKEN, update, secret="wrong")).status_code == 200
        assert seen[0] == (update, "s3cret") and seen[1][1] == "wrong"
        # While a webhook is set, getUpdates is refused, as Telegram does.
        with pytest.raises(Exception, match="Conflict"):
            await bot.get_updates()
        assert await bot.delete_webhook()
    finally:
        server.should_exit = True
        await task
    waiting = asyncio.create_task(bot.get_updates(offset=update["update_id"] + 1, timeout=5))
    await asyncio.sleep(0.1)
    later = fake.update(TOKEN, message={"message_id": 2, "date": 2, "text": "again",
                                        "chat": {"id": 42, "type": "private"}})
    [got] = await asyncio.wait_for(waiting, 5)
    assert got.update_id == later["update_id"] and got.message.text == "again"


async def test_an_unknown_token_or_method(telegram) -> None:  # type: ignore[no-untyped-def]
    fake, bot = telegram
    stranger = Bot("999:nope", base_url=bot.base_url.removesuffix(TOKEN))
    from telegram.error import InvalidToken

    with pytest.raises(InvalidToken):
        async with stranger:  # initialising asks getMe, which the fake refuses (401)
            pass
    with pytest.raises(Exception, match="not found"):
        await bot.do_api_request("sendGift", api_kwargs={})
