"""Notices by e-mail: one message per notice and target, to all the target's recipients, through
the organization's SMTP server (``aiosmtplib``).

The message has a plain-text body and an HTML alternative (``notify.templates``), a
``Message-ID`` made from the notice's id (a mail system that sees the same notice twice can
tell), and ``Auto-Submitted: auto-generated`` so that out-of-office replies are not sent back
(RFC 3834).

Addresses are checked before anything is sent: a recipient that is not one plain address (no
line breaks, no list of several) fails the delivery instead of reaching the header. TLS is as
the target says: ``use_tls`` speaks TLS from the start (port 465), ``starttls`` requires the
upgrade (port 587); with neither the connection stays plain, even if the server offers
STARTTLS, so that what is configured is what happens.

An attempt's failure is sorted for the sender's retries (``verdict``): a 4xx answer, a refused
connection, a dropped one or a timeout is worth another try; a 5xx answer (an unknown
recipient, a refused login) is not. The password never appears in a reason or a log."""

from __future__ import annotations

import re
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from typing import TYPE_CHECKING

import aiosmtplib

from notify.templates import header_safe, language_of, render

if TYPE_CHECKING:
    from notify.sender import Notice

# One address, nothing around it: no spaces, brackets, quotes or separators that would make
# it several addresses or a display name.
_ADDRESS = re.compile(r"[^\s@<>()\[\],;:\"\\]+@[^\s@<>()\[\],;:\"\\]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


@dataclass(frozen=True)
class EmailTarget:
    host: str
    port: int
    sender: str                      # the From address, optionally "Name <address>"
    recipients: tuple[str, ...]
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    use_tls: bool = False
    timeout: float = 10.0            # each SMTP step, and the bound of one attempt


def describe(target: EmailTarget) -> str:
    """The target as a delivery shows it: server and recipients, no credentials."""
    return f"smtp://{target.host}:{target.port} to {', '.join(target.recipients)}"


def address(raw: str) -> tuple[str, str]:
    """(display name, address) of one address as configured; raises ``ValueError`` unless it
    is exactly one plain address."""
    if _CONTROLS.search(raw):
        raise ValueError(f"{raw!r} contains a line break or a control character")
    name, addr = parseaddr(raw)
    # parseaddr reads "a@x, b@y" as a@x and drops the rest: refuse separators outright.
    if not addr or not _ADDRESS.fullmatch(addr) or "," in raw or ";" in raw:
        raise ValueError(f"{raw!r} is not one e-mail address")
    domain = addr.rpartition("@")[2]
    if domain.startswith(".") or domain.endswith(".") or ".." in domain:
        raise ValueError(f"{raw!r} is not one e-mail address")
    return header_safe(name), addr


def compose(notice: Notice, target: EmailTarget) -> EmailMessage:
    """The message for ``target``; raises ``ValueError`` for a target that cannot be sent to."""
    if target.use_tls and target.starttls:
        raise ValueError("use_tls (TLS from the start) and starttls (an upgrade) exclude "
                         "each other")
    if not target.recipients:
        raise ValueError("the target has no recipients")
    sender_name, sender = address(target.sender)
    recipients = [address(raw)[1] for raw in target.recipients]
    rendered = render(notice)
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = formataddr((sender_name, sender)) if sender_name else sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = f"<{notice.id}@{sender.rpartition('@')[2]}>"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Rozmova-Event"] = notice.event
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    # After the parts: making the message multipart moves Content-* headers into its first part.
    message["Content-Language"] = language_of(notice)
    return message


async def attempt(message: EmailMessage, target: EmailTarget, timeout: float) -> str | None:
    """Send ``message`` once. Returns None, or which recipients the server refused while it
    took the others (sending again would repeat the message to those it took)."""
    client = aiosmtplib.SMTP(hostname=target.host, port=target.port, username=target.username,
                             password=target.password, use_tls=target.use_tls,
                             start_tls=target.starttls, timeout=timeout)
    try:
        await client.connect()  # and STARTTLS, and the login, as the target says
        refused, _ = await client.send_message(
            message, sender=address(target.sender)[1],
            recipients=[address(raw)[1] for raw in target.recipients])
    finally:
        # No QUIT: once DATA is answered 250 the message is the server's, and waiting for
        # QUIT's answer could only turn a delivered message into a timeout and a second copy.
        client.close()
    if not refused:
        return None
    return "refused by the server: " + "; ".join(
        f"{recipient} ({response.code} {response.message})"
        for recipient, response in refused.items())


def verdict(exc: Exception) -> tuple[str, bool, float | None]:
    """(reason, worth retrying, seconds to wait or None for the usual backoff)."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        # Every recipient was refused: transient only if every refusal was.
        parts = [f"{r.recipient} ({r.code} {r.message})" for r in exc.recipients]
        transient = all(400 <= r.code < 500 for r in exc.recipients)
        return "the server refused every recipient: " + "; ".join(parts), transient, None
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        what = {aiosmtplib.SMTPSenderRefused: "the sender",
                aiosmtplib.SMTPAuthenticationError: "the login",
                aiosmtplib.SMTPDataError: "the message",
                aiosmtplib.SMTPHeloError: "the greeting"}.get(type(exc), "the message")
        return f"the server refused {what}: {exc.code} {exc.message}", 400 <= exc.code < 500, \
            None
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the server's TLS certificate is not trusted: {exc.verify_message}", False, None
    if isinstance(exc, aiosmtplib.SMTPTimeoutError):
        return f"timed out: {exc.message}", True, None
    if isinstance(exc, (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected)):
        return f"could not reach the server: {exc.message}", True, None
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        return f"the server does not support it: {exc.message}", False, None
    if isinstance(exc, OSError):
        return f"could not reach the server: {exc}", True, None
    return f"{type(exc).__name__}: {exc}", False, None
