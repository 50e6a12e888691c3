"""The language of a chat message, short ones included ("так", "ok", "дякую"), so that a bot
can answer in the user's language and analytics can count who writes in what.

lingua (n-gram models of 1–5 characters, shipped in its wheel) does the statistics; two cheap
checks of our own go around it, because a chat message is often one or two words, where n-gram
statistics alone are close to a coin toss between Ukrainian and Russian:

- letters: Ukrainian-only і ї є ґ and the apostrophe inside a Cyrillic word (кур'єр, п'ять)
  against Russian-only ы э ъ ё; one side's letters without the other's practically decide
  between the two (a mixture, as in Belarusian, decides nothing);
- marker words: frequent words of one of the two that the other does not have ("що", "дякую",
  "добре" against "что", "спасибо", "хорошо"); each one multiplies the odds.

lingua 2.1 also treats "щ" as a letter Ukrainian lacks (fixed upstream in the Kotlin lingua,
pull request #193, not in the Rust one the Python package wraps): "що", "ще", "щось" came out
Russian at confidence 1.0. When lingua rules Ukrainian out for a text with "щ" and no Russian
letters, the text is asked again with "щ" read as "ш" (only then: for "помощь" that reading
would look Ukrainian).

Memory decides the default candidates. High-accuracy models cost ~35 MB a language (uk+en+ru
105–117 MB of RSS, all twelve of SUPPORTED ~370 MB); low-accuracy mode (trigrams only, 10 MB
for the three) lost up to 3.5 points on the tests' short messages (Russian 96.6 → 93.1 %).
Every extra candidate also costs accuracy on short texts (English 100 % → 91 % on the tests'
table with all twelve: "hello" → Italian, "ok" → Polish). So a message is weighed against DEFAULT_CANDIDATES unless the caller names the
bot's languages; lingua keeps its models in one process-wide cache that all detectors share,
so a detector per candidate set costs nothing beyond its languages' models. Models are
preloaded when a detector is built (one pause of about a second on the first call, or at
start-up through `preload()`) rather than lazily, which would scatter the same pauses over the
first messages of each script. Then a short message takes ~40 µs. tests/nlu/test_language.py
and bench/nlu_sentiment.py have the measurements."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lingua is imported with the first detector, not with this module
    from lingua import LanguageDetector

# ISO 639-1 codes the detector knows: the languages of Ukraine's chat users and its neighbours,
# and the largest European ones. More cost memory only when a bot names them as candidates.
SUPPORTED = ("uk", "en", "ru", "pl", "de", "fr", "es", "it", "pt", "tr", "be", "kk")
DEFAULT_CANDIDATES = ("uk", "en", "ru")
# A language is told by its first sentences; a pasted document must not cost milliseconds.
MAX_CHARS = 1000
TOP_N = 3
# Detectors kept per candidate set; a platform has a handful of distinct sets of bot languages.
_MAX_DETECTORS = 64

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "′": "'", "‘": "'", "´": "'"})
# Addresses and handles are Latin whatever the language around them.
_NOISE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|@\w+", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
_UK_LETTERS = re.compile(r"[іїєґ]|(?<=[\u0400-\u04ff])'(?=[\u0400-\u04ff])")
_RU_LETTERS = re.compile(r"[ыэъё]")
# Latin letters typed inside a Cyrillic word (a Ukrainian on a Russian layout types "i" for
# "і"; "привiт" went to English at 0.98): read as the Cyrillic letters they look like.
_HOMOGLYPHS = str.maketrans("aceiopxy", "асеіорху")
# Frequent words of one language that the other does not use, without the distinguishing
# letters (words with і ї є ґ / ы э ъ ё are decided by the letters already).
_UK_WORDS = frozenset("""
    що ще щось щоб як де чи але або бо добре дякую будь ласка вже коли чому зараз треба можна
    немає нема мене мого вона воно вони ми ти ви хто теж також ось цей це ця куди завжди дуже
    гаразд сьогодні вчора буде було був була чекаю зрозуміло вибачте шкода замовлення скасувати
    змінити котра котрої коштує тобто навіть справи його мабуть
""".split())
_RU_WORDS = frozenset("""
    что где как да нет спасибо хорошо пожалуйста уже еще когда почему сейчас надо нужно можно
    меня тебя кто куда очень сегодня вчера только или если чтобы тоже также здесь привет
    понятно заказ жду подскажите помогите извините деньги сколько какой какая какие мой он она
    оно они его будет ладно пока вопрос ничего помощь нужна нужен ищу
""".split())
# Odds multiplier per marker word, and what one side's letters leave of the other's share.
_WORD_ODDS = 5.0
_LETTER_SHARE = 0.001


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """`language`: ISO 639-1, or None when the text has no letters, none of the candidates
    fits, or the confidence is below the caller's minimum. `confidence`: the best language's
    probability among the candidates (0 when nothing fits). `ranking`: up to three languages
    with a non-zero probability, best first, also when `language` is None."""
    language: str | None
    confidence: float
    ranking: tuple[tuple[str, float], ...]


_UNSURE = LanguageGuess(None, 0.0, ())


def detect_language(text: str, *, candidates: Collection[str] | None = None,
                    min_confidence: float = 0.0) -> LanguageGuess:
    """Never raises for any text: empty, None, emoji, digits, a URL, 10,000 characters or a mix
    of scripts all give a guess, None at 0 when there is nothing to tell a language by.

    `candidates`: the bot's languages (ISO 639-1, case and region ignored: "uk-UA" is "uk";
    one code as a string will do); those outside SUPPORTED are left out, and with none left
    the guess is None. None: DEFAULT_CANDIDATES."""
    languages = _languages(candidates)
    if not languages or not isinstance(text, str) or not text:
        return _UNSURE
    text = _clean(text)
    if not _LETTER.search(text):
        return _UNSURE
    detector = _detector(languages)
    values = _values(detector, text)
    if values.get("uk") == 0.0 and "щ" in text and not _RU_LETTERS.search(text):
        # lingua 2.1 ruled Ukrainian out for its "щ" (see above): ask again with "ш" there
        values = _values(detector, text.replace("щ", "ш"))
    if "uk" in values and "ru" in values and _CYRILLIC.search(text):
        _weigh_uk_ru(text, values)
    total = sum(values.values())
    if total <= 0.0:
        return _UNSURE
    ranking = sorted(((code, value / total) for code, value in values.items() if value > 0.0),
                     key=lambda item: (-item[1], languages.index(item[0])))
    best, confidence = ranking[0]
    return LanguageGuess(best if confidence >= min_confidence else None, confidence,
                         tuple(ranking[:TOP_N]))


def preload(candidates: Collection[str] | None = None) -> None:
    """Builds the detector for these candidates now (loading their models: about a second and
    ~110 MB for uk+en+ru), e.g. at a server's start, instead of on the first message."""
    languages = _languages(candidates)
    if languages:
        _detector(languages)


def _values(detector: LanguageDetector, text: str) -> dict[str, float]:
    return {value.language.iso_code_639_1.name.lower(): value.value
            for value in detector.compute_language_confidence_values(text)}


def _clean(text: str) -> str:
    # lone surrogates (from a broken client's JSON) would stop lingua, which needs UTF-8
    text = text[:MAX_CHARS].encode("utf-8", "ignore").decode("utf-8")
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    text = _NOISE.sub(" ", text)
    if _CYRILLIC.search(text) and _LATIN.search(text):
        text = _WORD.sub(_fix_homoglyphs, text)
    return text


def _fix_homoglyphs(match: re.Match[str]) -> str:
    word = match.group()
    if _CYRILLIC.search(word) and _LATIN.search(word):
        return word.translate(_HOMOGLYPHS)
    return word


def _weigh_uk_ru(text: str, values: dict[str, float]) -> None:
    """Moves the Ukrainian/Russian split by the letters and marker words; the two languages'
    combined share stays what lingua said, so the other candidates keep theirs."""
    uk, ru = values["uk"], values["ru"]
    pair = uk + ru
    if pair <= 0.0:
        # lingua's own letter rules left both out (e.g. a Belarusian "ў"): nothing to move
        return
    has_uk, has_ru = bool(_UK_LETTERS.search(text)), bool(_RU_LETTERS.search(text))
    if has_uk and not has_ru:
        ru *= _LETTER_SHARE
    elif has_ru and not has_uk:
        uk *= _LETTER_SHARE
    words = _WORD.findall(text)
    balance = sum(w in _UK_WORDS for w in words) - sum(w in _RU_WORDS for w in words)
    if balance:
        # lingua leaves a language at exactly 0 when its rules rule it out; a word cannot
        # bring it back, but a near-zero share left by the n-grams can be outweighed.
        odds = _WORD_ODDS ** max(-8, min(8, balance))
        uk *= odds
    if uk + ru > 0.0:
        values["uk"], values["ru"] = pair * uk / (uk + ru), pair * ru / (uk + ru)


def _languages(candidates: Iterable[str] | None) -> tuple[str, ...]:
    if candidates is None:
        return DEFAULT_CANDIDATES
    if isinstance(candidates, str):
        candidates = (candidates,)
    wanted = set()
    for code in candidates:
        if isinstance(code, str):
            wanted.add(code.strip().lower().replace("_", "-").split("-")[0])
    # SUPPORTED order: the same set gives the same detector and the same tie-breaking
    return tuple(code for code in SUPPORTED if code in wanted)


_detectors: dict[tuple[str, ...], LanguageDetector] = {}
_lock = threading.Lock()


def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    detector = _detectors.get(languages)
    if detector is not None:
        return detector
    with _lock:  # one build at a time: two threads must not load the same models twice
        detector = _detectors.get(languages)
        if detector is None:
            from lingua import IsoCode639_1, LanguageDetectorBuilder

            codes = [getattr(IsoCode639_1, code.upper()) for code in languages]
            detector = (LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
                        .with_preloaded_language_models().build())
            if len(_detectors) >= _MAX_DETECTORS:
                _detectors.pop(next(iter(_detectors)))
            _detectors[languages] = detector
    return detector
