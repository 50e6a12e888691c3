"""`rozmova dev fake-telegram`: a pretend Telegram on this machine, to try a bot's Telegram
channel without an account or a network (the README's "Telegram" section shows a session)."""

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
