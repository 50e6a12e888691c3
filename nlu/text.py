"""Text normalisation and the classifier's features: word uni/bi-grams and character 2–5-grams
within word boundaries, as plain strings.

The same functions feed training and prediction, so the two can never disagree about what a
message's features are. Pure Python on purpose: for a chat message it is tens of microseconds,
while a trip through scikit-learn's vectorisers is about a millisecond of Python layers."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

# Longer messages are cut before features are taken: an intent is said in the first sentences,
# and a 10,000-character paste must not cost 10 ms of n-grams on the hot path.
MAX_CHARS = 1000

# The Ukrainian apostrophe comes as ’ ʼ ' ` ′ depending on the keyboard: one form for all.
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "′": "'", "‘": "'", "´": "'"})
# Words: letters and digits, with inner apostrophes and hyphens kept ("м'ясо", "wi-fi").
_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
_DIGITS = re.compile(r"\d")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z\u00c0-\u024f]")
LEMMA_PREFIX = "~"

CHAR_MIN, CHAR_MAX = 2, 5


def normalise(text: str) -> str:
    """NFKC, case-folded, one apostrophe form, digits kept (numbers are often part of the
    phrase: "set a timer for 5 minutes")."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()


def tokens(text: str) -> list[str]:
    """Words of a normalised text; every digit becomes 0 so that "5 minutes" and "15 minutes"
    share their features."""
    return [_DIGITS.sub("0", word) for word in _WORD.findall(text)]


def word_features(words: list[str]) -> list[str]:
    """Unigrams and bigrams (bigrams as "a b"); the sentence edges take part as "<s>" and
    "</s>" so that a word that opens a command ("stop", "вимкни") is a feature of its own."""
    if not words:
        return []
    padded = ["<s>", *words, "</s>"]
    return words + [f"{a} {b}" for a, b in zip(padded, padded[1:])]


def script(words: list[str]) -> str:
    """The message's writing system, as the classifier tells languages apart without a
    detector: "cyrillic" (Ukrainian, Russian), "latin" (English and most others), or "other"."""
    cyrillic = sum(1 for word in words if _CYRILLIC.search(word))
    latin = sum(1 for word in words if _LATIN.search(word))
    if not cyrillic and not latin:
        return "other"
    return "cyrillic" if cyrillic >= latin else "latin"


def script_feature(words: list[str]) -> list[str]:
    """The script as a feature of its own ("<cyrillic>"): each intent gets a bias per script,
    so a language with few examples is not ruled by the intents the larger one has most
    examples of."""
    return [f"<{script(words)}>"] if words else []


def char_features(words: list[str]) -> list[str]:
    """Character n-grams of each word padded with spaces (scikit-learn's "char_wb"): stems and
    endings of inflected Ukrainian words match without a lemmatiser."""
    grams: list[str] = []
    append = grams.append
    for word in words:
        padded = f" {word} "
        size = len(padded)
        for n in range(CHAR_MIN, CHAR_MAX + 1):
            for i in range(size - n + 1):
                append(padded[i:i + n])
    return grams


_morph: Any = None
_morph_lock = threading.Lock()


def _analyzer() -> Any:
    """pymorphy3's Ukrainian analyzer, built once (about 60 ms, 15 MB of dictionaries)."""
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer(lang="uk")
    return _morph


@lru_cache(maxsize=100_000)
def _parsed(word: str) -> tuple[str, str | None]:
    """The most likely analysis of a Ukrainian word: its dictionary form and part of speech,
    for `lemma` and `is_function_word` alike. Cached: a bot's vocabulary is small, so after
    warm-up this is a dict lookup (a first analysis costs 20–60 µs)."""
    try:
        best = _analyzer().parse(word)[0]
        return best.normal_form, best.tag.POS
    except Exception:  # an analyzer failure must not cost a message its answer
        return word, None


def lemma(word: str) -> str:
    """The dictionary form of a Ukrainian word ("адресу" → "адреса", "змініть" → "змінити");
    the word itself where the analyzer knows nothing better."""
    return _parsed(word)[0]


# Parts of speech (pymorphy3's tags) of Ukrainian words that say little of what a message is
# about: prepositions, conjunctions, particles, pronouns, interjections, and adverbs (fillers
# such as "взагалі", "зараз", "будь ласка"'s kin; the classifier still reads them as features).
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "ADVB"})
_ENGLISH_FUNCTION_WORDS = Path(__file__).parent / "lexicon" / "function_words_en.tsv"


@lru_cache(maxsize=1)
def _english_function_words() -> frozenset[str]:
    lines = _ENGLISH_FUNCTION_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=100_000)
def is_function_word(word: str) -> bool:
    """A word that says nothing of what a message is about ("the", "is", "на", "що"):
    Ukrainian by its part of speech, English from lexicon/function_words_en.tsv."""
    if _CYRILLIC.search(word):
        return _parsed(word)[1] in _FUNCTION_POS
    return word in _english_function_words()


def lemma_features(words: list[str]) -> list[str]:
    """Lemmas of the Cyrillic words, marked ("~адреса"): inflected forms the examples never
    had ("адресою", "замовленням") still meet their dictionary form. Latin words are left to
    the character n-grams: English inflects little."""
    return [LEMMA_PREFIX + lemma(word) for word in words if _CYRILLIC.search(word)]
