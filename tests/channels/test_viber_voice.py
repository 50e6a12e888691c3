"""A voice note sent to a Viber bot (an M4A file, as Viber delivers one: a `file` message with
its media URL), end to end: the signed callback reaches the platform (a real server), the
recording is downloaded from the media URL, heard by the offline engine and taken by the
scenario's input block as typed text."""

from __future__ import annotations

import httpx
import pytest

from tests.channels.test_telegram_voice import name_bot
from tests.channels.test_viber_webhook import connect, said, stack  # noqa: F401  (fixture)
from tests.stt.spoken import spoken

pytestmark = pytest.mark.slow


async def test_a_viber_voice_note_is_heard(stack, runtime) -> None:  # type: ignore[no-untyped-def]
    from tests.channels import test_viber_webhook

    fake, base, owner, _ = stack
    bot_id = await name_bot(base, owner)
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        await connect(api, base, bot_id, owner)
    person = fake.add_person(test_viber_webhook.TOKEN)
    await fake.open(test_viber_webhook.TOKEN, person)
    told = await said(fake, person, 1)  # the welcome asks
    assert told[-1]["text"] in ("What is your name?", "Як вас звати?")
    count = len(told)
    fake_base = runtime.settings.viber_api_url.removesuffix("/pa")
    url = fake_base + fake.add_media(spoken("my name is bob", "m4a"), "voice-1.m4a")
    answer = await fake.send(test_viber_webhook.TOKEN, person, {
        "type": "file", "media": url, "file_name": "voice-1.m4a", "size": 9000})
    assert answer.status_code == 200
    told = await said(fake, person, count + 2)
    heard = told[count]["text"].lower()
    assert heard.startswith(("you said: my name is bob", "ви сказали: my name is bob")), told
    assert fake.media_downloads == ["voice-1.m4a"]
