"""`rozmova dev fake-telegram` and `rozmova dev fake-viber`: a pretend messenger on this
machine, to try a bot's channel without an account or a network (the README's "Telegram" and
"Viber" sections show a session)."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("fake-telegram")
def fake_telegram(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8081,
    token: Annotated[str, typer.Option(help="The bot token it accepts.")] = "1:local-demo",
    username: Annotated[str, typer.Option(help="The bot's @username.")] = "local_demo_bot",
) -> None:
    """Serve a fake Bot API: point the platform at it with
    ROZMOVA_TELEGRAM_API_URL=http://127.0.0.1:PORT, connect a bot with TOKEN, then
    POST /_say/TOKEN {"text": ...} or /_press/TOKEN {"data": ...} and GET /_chat/TOKEN."""
    import uvicorn

    from chat.channels.telegram.fake import FakeTelegram

    fake = FakeTelegram()
    fake.add_bot(token, username)
    typer.echo(f"fake Telegram on http://127.0.0.1:{port} (token {token}, @{username})")
    uvicorn.run(fake.app, host="127.0.0.1", port=port, log_level="warning")


@app.command("fake-viber")
def fake_viber(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8082,
    token: Annotated[str, typer.Option(help="The bot token it accepts.")] = "local-viber-demo",
    name: Annotated[str, typer.Option(help="The bot's name.")] = "Local demo",
) -> None:
    """Serve a fake Viber REST API: point the platform at it with
    ROZMOVA_VIBER_API_URL=http://127.0.0.1:PORT/pa, connect a bot with TOKEN, then
    POST /_open/TOKEN (open the chat), /_say/TOKEN {"text": ...} or /_press/TOKEN
    {"text": <button>} and GET /_chat/TOKEN."""
    import uvicorn

    from chat.channels.viber.fake import FakeViber

    fake = FakeViber()
    fake.add_bot(token, name=name)
    typer.echo(f"fake Viber on http://127.0.0.1:{port}/pa (token {token}, {name})")
    uvicorn.run(fake.app, host="127.0.0.1", port=port, log_level="warning")
