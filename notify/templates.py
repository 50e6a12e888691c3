"""What a notice says to a person: the e-mail's subject and its plain-text and HTML bodies, in
Ukrainian or English (any other language gets English), for each event.

The texts are ``string.Template``s over ``$bot``, ``$conversation``, ``$time``, ``$summary``
and ``$link`` (for a recording's report, ``$conversation`` is the recording's id, under the
event's own label). A value is substituted once and never read as a template again, so a bot named
``$time`` or ``{0}`` is printed as it is. What goes into a header loses its line breaks and
other control characters (``header_safe``): a bot's name cannot add a ``Bcc:``. In the HTML
body every value is escaped, and a link is made clickable only when it is http(s), so a
``javascript:`` link stays text."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC
from string import Template
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from notify.sender import Notice

Event = Literal["handoff", "report", "conversation_failed", "recording_report"]
EVENTS: tuple[Event, ...] = ("handoff", "report", "conversation_failed", "recording_report")

# A subject stays readable in a mail client's list; the body carries the whole name.
SUBJECT_BOT_CHARS = 120

# CR and LF end a header; the other C0/C1 controls and Unicode's line and paragraph
# separators are folded or shown as breaks by some clients, so they go too.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class Wording:
    """One event's words in one language."""

    subject: Template       # over $bot
    lead: Template          # the body's first sentence, over $bot
    summary_label: str      # what the summary is: the report, the failure's reason
    subject_label: str | None = None  # what the id is, where it is not a conversation


@dataclass(frozen=True, slots=True)
class Labels:
    """One language's words shared by every event."""

    bot: str
    conversation: str
    time: str
    link: str
    footer: str


WORDING: dict[str, dict[Event, Wording]] = {
    "uk": {
        "handoff": Wording(
            Template("Розмова передана оператору — $bot"),
            Template("Бот «$bot» передав розмову оператору: людина чекає на відповідь."),
            "Підсумок"),
        "report": Wording(
            Template("Звіт про розмову — $bot"),
            Template("Бот «$bot» склав звіт про розмову."),
            "Звіт"),
        "conversation_failed": Wording(
            Template("Розмова завершилася помилкою — $bot"),
            Template("Розмова з ботом «$bot» завершилася помилкою."),
            "Причина"),
        "recording_report": Wording(
            Template("Звіт про запис — $bot"),
            Template("Завантажений запис розпізнано, і мовна модель склала звіт."),
            "Звіт", "Запис"),
    },
    "en": {
        "handoff": Wording(
            Template("Conversation handed to an operator — $bot"),
            Template("The bot “$bot” handed a conversation to an operator: someone is "
                     "waiting for an answer."),
            "Summary"),
        "report": Wording(
            Template("Conversation report — $bot"),
            Template("The bot “$bot” wrote a report on a conversation."),
            "Report"),
        "conversation_failed": Wording(
            Template("Conversation ended with an error — $bot"),
            Template("A conversation with the bot “$bot” ended with an error."),
            "Reason"),
        "recording_report": Wording(
            Template("Recording report — $bot"),
            Template("An uploaded recording was transcribed, and a language model wrote a "
                     "report on it."),
            "Report", "Recording"),
    },
}

LABELS: dict[str, Labels] = {
    "uk": Labels(
        bot="Бот", conversation="Розмова", time="Час", link="Відкрити розмову",
        footer="Це сповіщення надіслала платформа Rozmova, бо ваша організація підписана на "
               "сповіщення про розмови своїх ботів."),
    "en": Labels(
        bot="Bot", conversation="Conversation", time="Time", link="Open the conversation",
        footer="Rozmova sent this notice because your organization subscribed to notices "
               "about its bots' conversations."),
}

# Shared by every language: only the words above differ.
TEXT = Template("""\
$lead

$bot_label: $bot
$conversation_label: $conversation
$time_label: $time
$details
--
$footer
""")

HTML = Template("""\
<!doctype html>
<html lang="$language"><body style="font-family: sans-serif; line-height: 1.45">
<p>$lead</p>
<table cellpadding="2">
<tr><th align="left">$bot_label</th><td>$bot</td></tr>
<tr><th align="left">$conversation_label</th><td><code>$conversation</code></td></tr>
<tr><th align="left">$time_label</th><td>$time</td></tr>
</table>
$details
<p style="color: #666; font-size: small">$footer</p>
</body></html>
""")

TEXT_SUMMARY = Template("\n$label:\n$summary\n")
TEXT_LINK = Template("\n$label: $link\n")
HTML_SUMMARY = Template('<h3>$label</h3>\n<p style="white-space: pre-wrap">$summary</p>\n')
HTML_LINK = Template('<p><a href="$link">$label</a></p>\n')
HTML_LINK_TEXT = Template("<p>$label: $link</p>\n")


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def language_of(notice: Notice) -> str:
    """The notice's language if its texts exist, else English."""
    return notice.language if notice.language in WORDING else "en"


def header_safe(value: str) -> str:
    """``value`` on one line: control characters become one space each run, so nothing in it
    can end a header and start another."""
    return " ".join(_CONTROLS.sub(" ", value).split())


def format_time(notice: Notice, language: str) -> str:
    """When it happened, in UTC (the organization's time zone is not known here)."""
    moment = notice.occurred_at.astimezone(UTC)
    if language == "uk":
        return moment.strftime("%d.%m.%Y, %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def render(notice: Notice) -> Rendered:
    """The notice's subject and bodies in its language."""
    language = language_of(notice)
    wording = WORDING[language][notice.event]
    labels = LABELS[language]
    bot = header_safe(notice.bot_name)
    short_bot = bot if len(bot) <= SUBJECT_BOT_CHARS else bot[:SUBJECT_BOT_CHARS - 1] + "…"
    subject = header_safe(wording.subject.substitute(bot=short_bot))
    common = {
        "language": language,
        "conversation": str(notice.conversation_id),
        "time": format_time(notice, language),
        "bot_label": labels.bot,
        "conversation_label": wording.subject_label or labels.conversation,
        "time_label": labels.time,
        "footer": labels.footer,
    }
    text = TEXT.substitute(common, lead=wording.lead.substitute(bot=bot), bot=bot,
                           details=_text_details(notice, wording, labels))
    escaped = {key: html.escape(value) for key, value in common.items()}
    body = HTML.substitute(escaped, lead=wording.lead.substitute(bot=html.escape(bot)),
                           bot=html.escape(bot),
                           details=_html_details(notice, wording, labels))
    return Rendered(subject=subject, text=text, html=body)


def _text_details(notice: Notice, wording: Wording, labels: Labels) -> str:
    details = ""
    if notice.summary:
        details += TEXT_SUMMARY.substitute(label=wording.summary_label, summary=notice.summary)
    if notice.link:
        details += TEXT_LINK.substitute(label=labels.link, link=notice.link)
    return details


def _html_details(notice: Notice, wording: Wording, labels: Labels) -> str:
    details = ""
    if notice.summary:
        details += HTML_SUMMARY.substitute(label=html.escape(wording.summary_label),
                                           summary=html.escape(notice.summary))
    if notice.link:
        link = html.escape(notice.link, quote=True)
        template = HTML_LINK if _is_web_link(notice.link) else HTML_LINK_TEXT
        details += template.substitute(label=html.escape(labels.link), link=link)
    return details


def _is_web_link(link: str) -> bool:
    return link.lower().startswith(("https://", "http://")) and not _CONTROLS.search(link)
