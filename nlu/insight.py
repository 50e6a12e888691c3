"""What the platform reads in every message a person writes, before the scenario runs: the
language it is written in (among the bot's languages) and how it sounds (sentiment). The chat
service stores both with the message; the mood trends are made from them, and a bot that asks
for it switches the conversation's language on a confident change.

Both are lexicon and n-gram lookups bounded by the text's first characters: well under a
millisecond for a chat message, so they run inline, on the turn's path."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog

log = structlog.get_logger(__name__)

MAX_CHARS = 2_000
SHORT_TEXT_CONFIDENCE = 0.5
_WORD = re.compile(r"[^\W\d_]{2,}")


def _long_enough(text: str) -> bool:
    """At least two words of letters and ten letters in all."""
    words = _WORD.findall(text)
    return len(words) >= 2 and sum(len(w) for w in words) >= 10


@dataclass(frozen=True, slots=True)
class MessageInsight:
    language: str | None           # one of the bot's languages, None when unsure
    language_confidence: float
    sentiment_score: float | None  # -1 .. +1
    sentiment_label: str | None    # negative | neutral | positive

    def stored(self) -> dict[str, Any]:
        """The fields kept with the message (its `body`)."""
        out: dict[str, Any] = {}
        if self.sentiment_label is not None:
            out["sentiment"] = {"score": self.sentiment_score, "label": self.sentiment_label}
        if self.language is not None:
            out["detected_language"] = {"code": self.language,
                                        "confidence": round(self.language_confidence, 3)}
        return out


def read_message(text: str, *, languages: Sequence[str], language: str,
                 sentiment: bool = True, detect_language: bool = True) -> MessageInsight:
    """Never raises: a failure of either reading leaves that reading out (logged)."""
    text = text[:MAX_CHARS] if isinstance(text, str) else ""
    found, confidence = None, 0.0
    if detect_language and languages:
        try:
            from nlu.language import detect_language as detect

            guess = detect(text, candidates=languages)
            found, confidence = guess.language, guess.confidence
            if not _long_enough(text):
                # "ok", "так", "👍": whichever language the script suggests, a word or two
                # is never a confident sign that the person changed language.
                confidence = min(confidence, SHORT_TEXT_CONFIDENCE)
        except Exception:  # the message still gets its answer
            log.exception("nlu.language.failed")
    score = label = None
    if sentiment:
        try:
            from nlu.sentiment import analyse_sentiment

            # In the language the text is written in where that was told, else in the
            # conversation's.
            result = analyse_sentiment(text, found or language)
            score, label = round(result.score, 4), result.label
        except Exception:
            log.exception("nlu.sentiment.failed")
    return MessageInsight(found, confidence, score, label)


def preload() -> None:
    """Load the language models, the lexicons and the morphology dictionaries now (about a
    second, in a worker thread at start-up) so that no person's message waits for them on
    the event loop."""
    read_message("Привіт, дякую! Hello, thank you!", languages=("uk", "en", "ru"),
                 language="uk")
    from nlu.text import is_function_word

    is_function_word("the")  # the intent classifier's list of function words


def warm_up_intents(*, second_look: bool = True) -> None:
    """Import the intent trainer (scipy, scikit-learn: about 2 s), train one tiny model and
    load the sentence encoder, in a worker thread right after start-up, so that the first
    model a bot needs trains in its own time, not the imports' (on a busy machine those took
    the first message past the intent block's 3 s)."""
    from nlu.classifier import TrainingSettings, train
    from nlu.meaning import ENCODER_INSTANCE

    train([{"text": "привіт", "intent": "hello", "lang": "uk"},
           {"text": "hello there", "intent": "hello", "lang": "en"},
           {"text": "бувай", "intent": "bye", "lang": "uk"},
           {"text": "goodbye", "intent": "bye", "lang": "en"}],
          settings=TrainingSettings(meaning=False))
    if second_look:
        ENCODER_INSTANCE.available()
