"""Notices by e-mail to a real SMTP server (aiosmtpd, on 127.0.0.1) and by webhook to a real
HTTP receiver (a small asyncio server): what arrives, how failures are retried or not, and the
webhook signature a receiver checks."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from structlog.testing import capture_logs

from notify.sender import Delivery, EmailTarget, Notice, Sender, WebhookTarget
from notify.templates import render
from notify.webhook import describe, sign, verify_signature

SECRET = "whsec-test-4f0c"
PASSWORD = "smtp-password-9d2e"
WHEN = datetime(2025, 3, 14, 9, 5, tzinfo=UTC)
SUMMARY = "Клієнтка просила повернути гроші за замовлення №1042; бот пояснив умови повернення."


def make_notice(**changes: Any) -> Notice:
    fields: dict[str, Any] = {
        "event": "report", "org_id": uuid.uuid4(), "bot_id": uuid.uuid4(),
        "bot_name": "Помічник", "conversation_id": uuid.uuid4(), "language": "uk",
        "summary": SUMMARY, "link": "https://app.rozmova.example/c/42", "occurred_at": WHEN,
    }
    return Notice(**(fields | changes))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def quick(**options: Any) -> Sender:
    return Sender(backoff=0.01, **options)


# --- SMTP -----------------------------------------------------------------------------------

class Mailbox:
    """An aiosmtpd handler that keeps what it is given; ``refuse`` maps a recipient to the
    answer to its RCPT, ``data_answers`` are the answers to DATA in turn (then 250)."""

    def __init__(self, refuse: dict[str, str] | None = None,
                 data_answers: list[str] | None = None) -> None:
        self.refuse = refuse or {}
        self.data_answers = list(data_answers or [])
        self.received: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_answers:
            return self.data_answers.pop(0)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted"


@contextlib.contextmanager
def smtp_server(mailbox: Mailbox) -> Iterator[int]:
    """A real SMTP server on 127.0.0.1 (in its own thread); yields its port."""
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def email_target(port: int, *recipients: str, **changes: Any) -> EmailTarget:
    fields: dict[str, Any] = {"host": "127.0.0.1", "port": port,
                              "sender": "Rozmova <noreply@rozmova.example>",
                              "recipients": recipients or ("ops@shop.example",), "timeout": 5.0}
    return EmailTarget(**(fields | changes))


def bodies(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "both a text and an HTML part"
    # Lines end in CRLF on the wire when a part is sent as text rather than base64.
    return (text.get_content().replace("\r\n", "\n"),
            html.get_content().replace("\r\n", "\n"))


async def test_a_report_in_ukrainian_arrives_by_email() -> None:
    mailbox = Mailbox()
    notice = make_notice()
    with smtp_server(mailbox) as port:
        [delivery] = await quick().send(notice, [
            email_target(port, "ops@shop.example", "Олена <olena@shop.example>")])
    assert delivery == Delivery("email", f"smtp://127.0.0.1:{port} to ops@shop.example, "
                                         "Олена <olena@shop.example>", True, 1, None)
    [(mail_from, rcpt_tos, message)] = mailbox.received
    assert mail_from == "noreply@rozmova.example"
    assert rcpt_tos == ["ops@shop.example", "olena@shop.example"]
    assert message["Subject"] == "Звіт про розмову — Помічник"
    assert message["To"] == "ops@shop.example, olena@shop.example"
    assert message["Message-ID"] == f"<{notice.id}@rozmova.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "uk"
    text, html = bodies(message)
    assert "Бот «Помічник» склав звіт про розмову." in text
    assert f"Розмова: {notice.conversation_id}" in text
    assert "Час: 14.03.2025, 09:05 UTC" in text
    assert "Звіт:\n" + SUMMARY in text
    assert "Відкрити розмову: https://app.rozmova.example/c/42" in text
    assert SUMMARY in html and '<a href="https://app.rozmova.example/c/42">' in html


async def test_a_report_in_english_arrives_by_email() -> None:
    mailbox = Mailbox()
    notice = make_notice(language="en", bot_name="Shop assistant",
                         summary="The customer asked for a refund <quickly> & politely.")
    with smtp_server(mailbox) as port:
        [delivery] = await quick().send(notice, [email_target(port)])
    assert delivery.ok and delivery.attempts == 1
    [(_, rcpt_tos, message)] = mailbox.received
    assert rcpt_tos == ["ops@shop.example"]
    assert message["Subject"] == "Conversation report — Shop assistant"
    text, html = bodies(message)
    assert "The bot “Shop assistant” wrote a report on a conversation." in text
    assert "Time: 2025-03-14 09:05 UTC" in text
    assert "Report:\nThe customer asked for a refund <quickly> & politely." in text
    # Escaped in HTML: the summary is the conversation's text, not markup.
    assert "refund &lt;quickly&gt; &amp; politely" in html and "<quickly>" not in html


def test_every_event_has_words_in_both_languages_and_others_fall_back_to_english() -> None:
    subjects = {(language, event): render(make_notice(event=event, language=language)).subject
                for language in ("uk", "en") for event in ("handoff", "report",
                                                           "conversation_failed")}
    assert subjects[("uk", "handoff")] == "Розмова передана оператору — Помічник"
    assert subjects[("uk", "conversation_failed")] == "Розмова завершилася помилкою — Помічник"
    assert subjects[("en", "handoff")] == "Conversation handed to an operator — Помічник"
    failed = render(make_notice(event="conversation_failed", summary="The LLM provider timed out"))
    assert "Причина:\nThe LLM provider timed out" in failed.text
    german = render(make_notice(language="de"))
    assert german.subject == "Conversation report — Помічник" and 'lang="en"' in german.html
    # A link that is not http(s) is shown, never made clickable.
    sneaky = render(make_notice(link="javascript:alert(1)"))
    assert "href" not in sneaky.html and "javascript:alert(1)" in sneaky.html


async def test_a_recipient_the_server_refuses_fails_with_its_reason_and_is_not_retried() -> None:
    mailbox = Mailbox(refuse={"nobody@shop.example": "550 5.1.1 No such user here"})
    with smtp_server(mailbox) as port:
        [delivery] = await quick().send(make_notice(),
                                        [email_target(port, "nobody@shop.example")])
    assert not delivery.ok and delivery.attempts == 1
    assert delivery.error is not None
    assert "550" in delivery.error and "No such user here" in delivery.error
    assert mailbox.received == []


async def test_a_message_some_recipients_got_is_delivered_and_names_the_others() -> None:
    mailbox = Mailbox(refuse={"nobody@shop.example": "550 5.1.1 No such user here"})
    with smtp_server(mailbox) as port:
        [delivery] = await quick().send(make_notice(), [
            email_target(port, "ops@shop.example", "nobody@shop.example")])
    # Not retried: the recipient that took it would get it twice.
    assert delivery.ok and delivery.attempts == 1
    assert delivery.error is not None and "nobody@shop.example (550" in delivery.error
    assert [rcpt for _, rcpt, _ in mailbox.received] == [["ops@shop.example"]]


async def test_a_temporary_smtp_refusal_is_retried() -> None:
    mailbox = Mailbox(data_answers=["451 4.3.0 Try again later"])
    with smtp_server(mailbox) as port:
        [delivery] = await quick().send(make_notice(), [email_target(port)])
    assert delivery.ok and delivery.attempts == 2
    assert len(mailbox.received) == 1


async def test_an_smtp_server_that_is_down_is_retried_then_fails() -> None:
    port = free_port()  # nothing listens there
    started = time.perf_counter()
    [delivery] = await quick(retries=2).send(make_notice(), [email_target(port)])
    assert not delivery.ok and delivery.attempts == 3
    assert delivery.error is not None and "could not reach the server" in delivery.error
    assert time.perf_counter() - started < 2


async def test_an_smtp_server_that_never_greets_times_out_and_is_retried() -> None:
    connections = 0

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.read()  # says nothing until the client hangs up
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        started = time.perf_counter()
        [delivery] = await quick(retries=1).send(make_notice(),
                                                 [email_target(port, timeout=0.2)])
        elapsed = time.perf_counter() - started
    finally:
        server.close()
    assert not delivery.ok and delivery.attempts == 2 and connections == 2
    assert delivery.error is not None and delivery.error.startswith("no answer within")
    assert elapsed < 0.2 * 2 + 0.5


async def test_a_bot_name_cannot_inject_headers() -> None:
    mailbox = Mailbox()
    notice = make_notice(bot_name="Shop\r\nBcc: thief@evil.example\r\n\r\nfake body",
                         language="en")
    with smtp_server(mailbox) as port:
        [delivery] = await quick().send(notice, [email_target(port)])
    assert delivery.ok
    [(_, rcpt_tos, message)] = mailbox.received
    assert rcpt_tos == ["ops@shop.example"]
    assert message["Bcc"] is None
    subject = message["Subject"]
    assert "\r" not in subject and "\n" not in subject
    assert subject == "Conversation report — Shop Bcc: thief@evil.example fake body"
    text, _ = bodies(message)
    assert text.startswith("The bot “Shop Bcc: thief@evil.example fake body” wrote")


@pytest.mark.parametrize("recipient", ["ops@shop.example\r\nBcc: thief@evil.example",
                                       "ops@shop.example, thief@evil.example",
                                       "not an address", "ops@", "@shop.example"])
async def test_a_recipient_that_is_not_one_address_fails_before_anything_is_sent(
        recipient: str) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        [delivery] = await quick().send(make_notice(), [email_target(port, recipient)])
    assert not delivery.ok and delivery.attempts == 0
    assert repr(recipient) in str(delivery.error)
    assert mailbox.received == []


async def test_the_smtp_password_shows_nowhere() -> None:
    target = email_target(free_port(), username="rozmova", password=PASSWORD)
    with capture_logs() as logs:
        [delivery] = await quick(retries=0).send(make_notice(), [target])
    assert not delivery.ok
    assert PASSWORD not in repr(target)
    assert PASSWORD not in repr(delivery)
    assert PASSWORD not in repr(logs)


# --- Webhooks -------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay: float = 0.0  # before answering; cut short when the client hangs up


@dataclass
class Received:
    at: float
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A webhook receiver on 127.0.0.1: answers in turn with ``answers`` (the last one again
    once they run out) and keeps every request."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers) or [Answer()]
        self.requests: list[Received] = []
        self.url = ""
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> Receiver:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/hooks/rozmova"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    def verified(self, request: Received, secret: str = SECRET) -> bool:
        return verify_signature(secret, request.headers["x-rozmova-timestamp"], request.body,
                                request.headers["x-rozmova-signature"])

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            headers = dict((name.strip().lower(), value.strip()) for name, value in (
                line.split(":", 1) for line in head.split("\r\n")[1:] if line))
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append(Received(time.monotonic(), headers, body))
            answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
            if answer.delay:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(reader.read(1), answer.delay)
            extra = "".join(f"{name}: {value}\r\n" for name, value in answer.headers.items())
            writer.write(f"HTTP/1.1 {answer.status} Status\r\nContent-Length: "
                         f"{len(answer.body)}\r\nConnection: close\r\n{extra}\r\n".encode()
                         + answer.body)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


@contextlib.asynccontextmanager
async def receiving(*answers: Answer) -> AsyncIterator[Receiver]:
    async with Receiver(*answers) as receiver:
        yield receiver


def hook(receiver: Receiver, **changes: Any) -> WebhookTarget:
    return WebhookTarget(**({"url": receiver.url, "secret": SECRET, "timeout": 5.0} | changes))


async def test_a_webhook_is_signed_and_carries_the_notice() -> None:
    notice = make_notice(event="handoff", summary=None)
    async with receiving() as receiver:
        [delivery] = await quick().send(notice, [hook(receiver)])
    assert delivery == Delivery("webhook", receiver.url, True, 1, None)
    [request] = receiver.requests
    assert receiver.verified(request)
    assert request.headers["x-rozmova-event"] == "handoff"
    assert request.headers["x-rozmova-delivery"] == str(notice.id)
    assert request.headers["content-type"] == "application/json"
    assert abs(int(request.headers["x-rozmova-timestamp"]) - time.time()) < 5
    assert json.loads(request.body) == {
        "id": str(notice.id), "event": "handoff", "org_id": str(notice.org_id),
        "bot_id": str(notice.bot_id), "bot_name": "Помічник",
        "conversation_id": str(notice.conversation_id), "language": "uk", "summary": None,
        "link": "https://app.rozmova.example/c/42", "occurred_at": "2025-03-14T09:05:00+00:00"}


async def test_a_server_error_is_retried_and_delivered_on_the_second_attempt() -> None:
    async with receiving(Answer(500, body=b"database down"), Answer(200)) as receiver:
        [delivery] = await quick().send(make_notice(), [hook(receiver)])
    assert delivery.ok and delivery.attempts == 2 and delivery.error is None
    first, second = receiver.requests
    assert first.headers["x-rozmova-delivery"] == second.headers["x-rozmova-delivery"]
    assert first.body == second.body and receiver.verified(second)


async def test_a_client_error_is_not_retried() -> None:
    async with receiving(Answer(400, body=b'{"error": "unknown event"}')) as receiver:
        [delivery] = await quick().send(make_notice(), [hook(receiver)])
    assert not delivery.ok and delivery.attempts == 1
    assert delivery.error == 'the receiver answered 400 Status: {"error": "unknown event"}'
    assert len(receiver.requests) == 1


async def test_too_many_requests_waits_as_long_as_retry_after_says() -> None:
    async with receiving(Answer(429, {"Retry-After": "1"}), Answer(200)) as receiver:
        [delivery] = await quick().send(make_notice(), [hook(receiver)])
    assert delivery.ok and delivery.attempts == 2
    first, second = receiver.requests
    assert second.at - first.at >= 0.95


async def test_a_retry_after_over_30_seconds_ends_the_delivery() -> None:
    async with receiving(Answer(503, {"Retry-After": "120"})) as receiver:
        [delivery] = await quick().send(make_notice(), [hook(receiver)])
    assert not delivery.ok and delivery.attempts == 1
    assert delivery.error is not None and "asked to wait 120 s" in delivery.error


async def test_a_receiver_that_does_not_answer_in_time_is_retried() -> None:
    async with receiving(Answer(200, delay=5.0), Answer(200)) as receiver:
        [delivery] = await quick().send(make_notice(), [hook(receiver, timeout=0.3)])
    assert delivery.ok and delivery.attempts == 2
    assert len(receiver.requests) == 2


async def test_a_send_is_bounded_by_timeout_times_attempts() -> None:
    async with receiving(Answer(200, delay=5.0)) as receiver:
        started = time.perf_counter()
        [delivery] = await quick(retries=2).send(make_notice(), [hook(receiver, timeout=0.2)])
        elapsed = time.perf_counter() - started
    assert not delivery.ok and 1 <= delivery.attempts <= 3
    assert elapsed < 0.2 * 3 + 0.5
    assert delivery.error is not None and "no answer" in delivery.error


async def test_a_redirect_is_not_followed() -> None:
    async with receiving(Answer(302, {"Location": "http://169.254.169.254/"})) as receiver:
        [delivery] = await quick().send(make_notice(), [hook(receiver)])
    assert not delivery.ok and delivery.attempts == 1 and len(receiver.requests) == 1
    assert delivery.error is not None and "redirects are not followed" in delivery.error


async def test_a_receiver_that_is_down_is_retried_then_fails() -> None:
    target = WebhookTarget(url=f"http://127.0.0.1:{free_port()}/hook", secret=SECRET)
    [delivery] = await quick(retries=2).send(make_notice(), [target])
    assert not delivery.ok and delivery.attempts == 3
    assert delivery.error is not None and "could not reach the receiver" in delivery.error


async def test_the_address_check_can_refuse_a_url() -> None:
    checked: list[str] = []

    async def public_only(url: str) -> None:
        checked.append(url)
        raise PermissionError("127.0.0.1 is a loopback address; not allowed")

    async with receiving() as receiver:
        [delivery] = await quick(address_check=public_only).send(make_notice(), [hook(receiver)])
    assert checked == [receiver.url]
    assert not delivery.ok and delivery.attempts == 1
    assert delivery.error == ("the address check refused the URL: 127.0.0.1 is a loopback "
                              "address; not allowed")
    assert receiver.requests == []


async def test_the_summary_is_cut_to_20000_characters() -> None:
    async with receiving() as receiver:
        [delivery] = await quick().send(make_notice(summary="я" * 50_000), [hook(receiver)])
    assert delivery.ok
    summary = json.loads(receiver.requests[0].body)["summary"]
    assert len(summary) == 20_000 and summary.endswith("…")


async def test_each_target_gets_its_own_delivery_in_order() -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        async with receiving(Answer(404)) as receiver, httpx.AsyncClient() as http:
            deliveries = await quick(http=http).send(make_notice(), [
                hook(receiver), email_target(port), WebhookTarget(url="ftp://x", secret="s")])
            assert not http.is_closed  # the caller's client is the caller's to close
    assert [(d.target_kind, d.ok) for d in deliveries] == [
        ("webhook", False), ("email", True), ("webhook", False)]
    assert deliveries[2].attempts == 0 and "http" in str(deliveries[2].error)


def test_a_webhook_target_shows_no_secret() -> None:
    target = WebhookTarget(url="https://user:pw@hooks.example:8443/in?token=abc#x", secret=SECRET)
    assert describe(target) == "https://hooks.example:8443/in"
    assert SECRET not in repr(target)


def test_a_notice_id_is_the_same_for_the_same_event() -> None:
    notice = make_notice()
    again = make_notice(conversation_id=notice.conversation_id,
                        occurred_at=datetime(2025, 3, 14, 9, 5))  # naive: UTC
    assert notice.id == again.id
    assert make_notice(event="handoff", conversation_id=notice.conversation_id).id != notice.id
    with pytest.raises(ValueError):
        make_notice(event="lunch")


# --- The signature a receiver checks ---------------------------------------------------------

def test_verify_signature_accepts_ours_and_refuses_the_rest() -> None:
    body = b'{"event":"report","summary":"\xd0\x97\xd0\xb2\xd1\x96\xd1\x82"}'
    now = 1_741_943_100
    signature = sign(SECRET, now, body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert verify_signature(SECRET, str(now), body, signature, now=now)
    assert verify_signature(SECRET, now, body.decode(), signature, now=now + 299)
    # Tampered body, another secret, a moved timestamp.
    assert not verify_signature(SECRET, now, body.replace(b"report", b"handof"), signature,
                                now=now)
    assert not verify_signature("another secret", now, body, signature, now=now)
    assert not verify_signature(SECRET, now + 1, body, signature, now=now)
    # Too old, or from the future: outside the 5 minutes.
    assert not verify_signature(SECRET, now, body, signature, now=now + 301)
    assert not verify_signature(SECRET, now, body, signature, now=now - 301)
    # Malformed headers are refusals, not errors.
    assert not verify_signature(SECRET, "yesterday", body, signature, now=now)
    assert not verify_signature(SECRET, now, body, "sha256=ґ" + signature[8:], now=now)
    assert not verify_signature(SECRET, now, body, signature.removeprefix("sha256="), now=now)
