"""Entities in a chat message: numbers, dates and times, e-mail addresses, phone numbers, sums of
money, links, and the bot author's own entities (lists of values with synonyms, RE2 patterns).
Ukrainian and English first; Russian text goes through the same rules, which know its date and
currency words.

Rules, not models: regular expressions that cannot backtrack badly (each starts only at a word
edge) and dictionary lookups, about 0.1 ms for a chat message (p99 under 0.5 ms), nothing to
download, and an extractor that is immutable once built, so threads share it. Two libraries
do what rules should not: phonenumbers knows each country's numbering plan, and pymorphy3
inflects the author's Ukrainian synonyms once, when the extractor is built ("Київ" → "Києва",
"Києві"; "Нова Пошта" → "Новій Пошті"), so a message is matched by plain lookup of its words.

dateparser and spaCy were measured for this and are not dependencies, for these reasons:
- dateparser: `search_dates` reads "$7.50 tomorrow" as "50 tomorrow" and "понеділок о 10" as
  October; `parse` returns nothing for "в четвер", "наступного понеділка", "через годину",
  "через тиждень" and reads "05.12" as 05:12; it costs 1–3 ms a call (350 ms the first). The
  spans must be found by our own patterns anyway to refuse its false positives, and once a span
  is known ("5 грудня", "у п'ятницю") its date is a few lines of arithmetic.
- spaCy: its vocabulary and tokenizer cache keep every distinct word a process ever sees
  (1 million random words: +430 MB); the remedy, `memory_zone()`, may not be entered twice at
  once, so every message would wait on one lock. A list match is a lookup of lower-cased words,
  which a regular expression tokenizes the same way for synonyms and messages in any language.

Overlaps: the longest span wins, an author's entity wins a tie against a built-in one (then the
first defined), and a number inside a phone, date, time, sum, e-mail or link is not reported."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import structlog

from nlu import text as nlu_text
from scenarios.format import nlu as nlu_format
from scenarios.format.limits import PatternError, compile_pattern

log = structlog.get_logger(__name__)

BUILTIN_ENTITIES = nlu_format.BUILTIN_ENTITIES
# Entities are looked for in the first characters of a message, as intents are: a pasted
# document must not cost milliseconds on the hot path.
MAX_CHARS = 1000
_NAME = re.compile(nlu_format.NAME_PATTERN)

# Ranks in a tie of equal spans, after the author's entities (ranked by their order).
_BUILTIN_RANK = {"email": 0, "url": 1, "phone": 2, "money": 3, "date": 4, "time": 5,
                 "number": 6}


@dataclass(frozen=True, slots=True)
class Entity:
    """`value` is JSON-serialisable: number → int or float, date → "2026-11-27" or
    "2026-11-27T17:00:00+02:00", time → "17:00:00", email → lower-cased address, phone → E.164,
    money → {"amount": 500, "currency": "UAH"}, url → as written, list → the canonical value,
    regex → the match or its only group. A day is a date, a day with its time or a moment
    ("через годину") a date-time in the user's time zone; a time of day said without a day is
    a time. `start`/`end` index the text as it was given."""
    entity: str
    value: Any
    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity, "value": self.value, "text": self.text,
                "start": self.start, "end": self.end}


class EntityDefinitionError(ValueError):
    """An author's entity definition cannot be used; the message names the entity."""


class EntityExtractor:
    """Built-in entities and a bot's own. Build one per scenario version (definitions are
    checked and compiled here, Ukrainian synonyms inflected: about 0.3 ms a synonym, 0.5 s for
    1,000 values with three synonyms each) and share it; `extract` is safe from any number of
    threads."""

    def __init__(self, definitions: Sequence[Mapping[str, Any]] = ()) -> None:
        """Author entities, validated and compiled once (raise EntityDefinitionError naming the
        entity)."""
        if isinstance(definitions, str | bytes | Mapping) or not isinstance(definitions, Sequence):
            raise EntityDefinitionError("entity definitions must be a list")
        if len(definitions) > nlu_format.MAX_ENTITIES:
            raise EntityDefinitionError(f"a bot has at most {nlu_format.MAX_ENTITIES} entities "
                                        f"(these definitions have {len(definitions)})")
        authored: list[_ListEntity | _PatternEntity] = []
        for position, definition in enumerate(definitions, 1):
            entity = _compile_definition(definition, position)
            if any(other.name == entity.name for other in authored):
                raise EntityDefinitionError(f'entity "{entity.name}" is defined twice')
            authored.append(entity)
        self._authored = tuple(authored)

    def extract(self, text: str, language: str | None = None, *,
                only: Collection[str] | None = None,
                now: datetime | None = None, timezone: str = "UTC",
                default_region: str = "UA") -> list[Entity]:
        """All entities found, sorted by start; overlapping matches resolved (longest span wins;
        author entities win ties over built-ins). `only` restricts the result to these entity
        names (overlaps are resolved first, so a number inside a phone is not reported even
        when only numbers are asked for). Never raises on any text (empty, emoji, 10,000
        characters, mixed scripts, None): returns [] or what it found in the first MAX_CHARS
        characters.

        `language` ("uk", "en", "ru", ...) decides what the text does not: whether "1,500" is
        1500 (English) or 1.5, and whether 05/12 is May or December; unknown, it follows the
        script. Relative dates count from `now` (default: the current time) in `timezone` (an
        IANA name; an unknown one is UTC); a naive `now` is a time in `timezone`. Phone numbers
        written without a country code are read as numbers of `default_region`."""
        if not isinstance(text, str) or not text:
            return []
        if isinstance(only, str):
            only = (only,)
        if only is not None and not only:
            return []
        message = _Message.read(text, language, now, timezone, default_region)
        candidates: list[tuple[Entity, int]] = []
        for rank, authored in enumerate(self._authored):
            candidates += [(entity, rank) for entity in _safely(authored.name, authored.find,
                                                                message)]
        builtin_rank = len(self._authored)
        for finder in _BUILTIN_FINDERS:
            candidates += [(entity, builtin_rank + _BUILTIN_RANK[entity.entity])
                           for entity in _safely(finder.__name__, finder, message)]
        chosen = _resolve(candidates, len(message.text))
        if only is not None:
            chosen = [entity for entity in chosen if entity.entity in only]
        return chosen


def _safely(name: str, finder: Callable[[_Message], Iterable[Entity]], message: _Message
            ) -> list[Entity]:
    """One finder's entities; a failure costs its entities, not the message's."""
    try:
        return list(finder(message))
    except Exception:
        log.exception("nlu.entities.finder_failed", finder=name, chars=len(message.text))
        return []


def _resolve(candidates: list[tuple[Entity, int]], size: int) -> list[Entity]:
    """Longest first, then by rank; a candidate that overlaps one already taken is dropped."""
    taken = bytearray(size)
    chosen: list[Entity] = []
    for entity, _ in sorted(candidates, key=lambda c: (c[0].start - c[0].end, c[1], c[0].start)):
        if entity.end > entity.start and 1 not in taken[entity.start:entity.end]:
            taken[entity.start:entity.end] = b"\x01" * (entity.end - entity.start)
            chosen.append(entity)
    chosen.sort(key=lambda entity: entity.start)
    return chosen


# -- the message ------------------------------------------------------------------------------

# The Ukrainian apostrophe comes as ’ ʼ ' ` ′ depending on the keyboard: one form for all (one
# character for one, so offsets stay those of the original text).
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "′": "'", "‘": "'", "´": "'"})
# Words (inner apostrophes and hyphens kept: "п'ять", "wi-fi") and single symbols ("№", "👍").
_TOKEN = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*|[^\w\s]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# A lone surrogate (broken UTF-16 from a client) becomes U+FFFD, one for one: RE2 and the
# UTF-8 encoders refuse it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    key: str  # NFKC, case-folded: what lists and number words are looked up by


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), _key(m.group())) for m in _TOKEN.finditer(text)]


def _key(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


@dataclass(frozen=True, slots=True)
class _Message:
    original: str          # the first MAX_CHARS characters as written
    text: str              # the same with one apostrophe and no lone surrogate: what the
                           # rules and the author's patterns read
    tokens: list[_Token]
    english: bool          # English conventions: "1,500" is 1500, 05/12 is May 12
    now: datetime          # aware, in the user's time zone
    region: str

    @classmethod
    def read(cls, text: str, language: str | None, now: datetime | None, timezone: str,
             region: str) -> _Message:
        original = text[:MAX_CHARS]
        prepared = _SURROGATE.sub("\ufffd", original).translate(_APOSTROPHES)
        if isinstance(language, str) and language.strip():
            english = language.strip().lower().startswith("en")
        else:
            english = not _CYRILLIC.search(prepared)
        return cls(original, prepared, _tokens(prepared), english, _local_now(now, timezone),
                   region.strip().upper() if isinstance(region, str) else "ZZ")

    def entity(self, kind: str, value: Any, start: int, end: int) -> Entity:
        return Entity(kind, value, self.original[start:end], start, end)


def _local_now(now: datetime | None, timezone: str) -> datetime:
    try:
        zone: tzinfo = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        zone = UTC
    if not isinstance(now, datetime):
        return datetime.now(zone)
    return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)


# -- e-mail, links, phones ----------------------------------------------------------------------

# Each pattern may start only where a word starts (the lookbehinds): one attempt per word, so
# the time stays linear in the text however it is made.
_EMAIL = re.compile(r"(?<![\w.%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
                    r"\.[A-Za-z]{2,}(?![\w\-])")
# Bare domains ("example.com/path") only with a top-level domain from this list: "readme.md",
# "main.py" or "agree.it" (a missing space) are not links.
_TOP_LEVEL_DOMAINS = (
    "com net org info biz io ai app dev co edu gov ua eu uk de pl fr es nl cz sk lt lv ee ro hu "
    "ch se fi dk ca au jp cn tv fm ly gg shop store online site tech xyz pro club news blog cloud "
    "space top link live by kz укр").split()
_URL = re.compile(
    r"(?<![\w@.\-/])(?:(?:https?://|www\.)[^\s<>\"'«»]+"
    r"|(?:[^\W_](?:[\w\-]*[^\W_])?\.)+(?:" + "|".join(_TOP_LEVEL_DOMAINS) + r")(?![\w\-])"
    r"(?::\d{1,5})?(?:[/?#][^\s<>\"'«»]*)?)", re.IGNORECASE)
_URL_TAIL = ".,;:!?'\")]}»…"
# The fewest digits of a valid number anywhere, country code included (Niue: +683 4002).
_PHONE_MIN_DIGITS = 7


def _emails(message: _Message) -> Iterator[Entity]:
    for match in _EMAIL.finditer(message.text):
        yield message.entity("email", match.group().lower(), match.start(), match.end())


def _urls(message: _Message) -> Iterator[Entity]:
    for match in _URL.finditer(message.text):
        start, end = match.span()
        # Punctuation after a link closes the sentence, except a ")" the link opened.
        while end > start and message.text[end - 1] in _URL_TAIL:
            if message.text[end - 1] == ")" and message.text.count("(", start, end) \
                    >= message.text.count(")", start, end):
                break
            end -= 1
        if end > start:
            yield message.entity("url", message.original[start:end], start, end)


def _phones(message: _Message) -> Iterator[Entity]:
    if sum(char.isdigit() for char in message.text) < _PHONE_MIN_DIGITS:
        return
    for match in phonenumbers.PhoneNumberMatcher(message.text, message.region):
        number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        yield message.entity("phone", number, match.start, match.end)


# -- numbers and money --------------------------------------------------------------------------

_DIGIT_NUMBER = re.compile(
    r"(?:(?<![\w.,\-])(?P<minus>[\-−]))?"  # -5, not the 15 of 10-15
    r"(?<![\w])(?<!\d[.,])"
    r"(?P<digits>[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?"  # 1 500, 1 500,50
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"                                 # 1,500 1,500.50
    r"|\d+(?:[.,]\d+)?)"                                             # 12 3,5 12.5
    r"(?![.,]?\d)"
    r"(?:\s?(?P<multiplier>тис\.|тис(?![\w])|тисяч[аіу]?(?![\w])|thousand(?![\w])"
    r"|млн\.?|мільйон\w*|million(?![\w]))|(?P<short>[kк])(?![\w]))?",  # 10k, 5к
    re.IGNORECASE)
_GROUP_SPACE = re.compile(r"[ \u00a0\u202f]")
_MULTIPLIERS = {"тис": 1000, "thousand": 1000, "k": 1000, "к": 1000,
                "млн": 10**6, "мільйон": 10**6, "million": 10**6}

_EN_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90}
# Dictionary forms; pymorphy3 adds the inflected ones ("двох", "п'ятьма", "одну").
_UK_NUMBERS = {
    "один": 1, "два": 2, "три": 3, "чотири": 4, "п'ять": 5, "шість": 6, "сім": 7, "вісім": 8,
    "дев'ять": 9, "десять": 10, "одинадцять": 11, "дванадцять": 12, "тринадцять": 13,
    "чотирнадцять": 14, "п'ятнадцять": 15, "шістнадцять": 16, "сімнадцять": 17,
    "вісімнадцять": 18, "дев'ятнадцять": 19, "двадцять": 20, "тридцять": 30, "сорок": 40,
    "п'ятдесят": 50, "шістдесят": 60, "сімдесят": 70, "вісімдесят": 80, "дев'яносто": 90,
    "сто": 100, "двісті": 200, "триста": 300, "чотириста": 400, "п'ятсот": 500,
    "шістсот": 600, "сімсот": 700, "вісімсот": 800, "дев'ятсот": 900,
    "двоє": 2, "троє": 3, "четверо": 4, "п'ятеро": 5, "шестеро": 6, "семеро": 7}
# Words that multiply what precedes them ("two hundred", "дві тисячі", "a dozen").
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "dozen": 12}
_UK_SCALES = {"тисяча": 1000, "мільйон": 10**6, "дюжина": 12}
_ARTICLES = ("a", "an")  # "a dozen", "a hundred"

_CURRENCIES = {
    "UAH": r"грн|гривн\w*|гривен\w*|гривень|uah|hryvnias?|hryvnas?|₴",
    "USD": r"долар\w*|доллар\w*|бакс\w*|dollars?|bucks?|usd|\$",
    "EUR": r"євро|евро|euros?|eur|€",
    "GBP": r"gbp|£",
    "PLN": r"злот\w*|zlotys?|pln|zł",
}
_CURRENCY_GROUPS = "|".join(f"(?P<{code}>{words})" for code, words in _CURRENCIES.items())
_CURRENCY_AFTER = re.compile(rf"\s?(?:{_CURRENCY_GROUPS})(?![\w])", re.IGNORECASE)
# Before the amount only the signs and codes: "$20", "UAH 500", not "гривень 500".
_CURRENCY_BEFORE = re.compile(
    r"(?<![\w])(?:(?P<UAH>₴|uah)|(?P<USD>\$|usd)|(?P<EUR>€|eur)|(?P<GBP>£|gbp)|(?P<PLN>pln))"
    r"\s?\Z", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Number:
    start: int
    end: int
    value: Decimal


def _number_entities(message: _Message) -> Iterator[Entity]:
    for number in _numbers(message):
        yield message.entity("number", _plain(number.value), number.start, number.end)
        yield from _money(message, number)


def _numbers(message: _Message) -> list[_Number]:
    found = [_Number(m.start(), m.end(), value) for m in _DIGIT_NUMBER.finditer(message.text)
             if (value := _digit_value(m, message.english)) is not None]
    return found + list(_spoken_numbers(message.tokens))


def _digit_value(match: re.Match[str], english: bool) -> Decimal | None:
    digits = _GROUP_SPACE.sub("", match.group("digits"))
    if "," in digits and "." in digits:  # the last separator is the decimal one
        digits = digits.replace(",", "") if digits.rfind(".") > digits.rfind(",") \
            else digits.replace(".", "").replace(",", ".")
    elif digits.count(",") > 1 or (english and re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits)):
        digits = digits.replace(",", "")
    elif digits.count(".") > 1:
        digits = digits.replace(".", "")
    else:
        digits = digits.replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    scale = match.group("multiplier") or match.group("short")
    if scale:
        value *= next(factor for stem, factor in _MULTIPLIERS.items()
                      if scale.lower().startswith(stem))
    return -value if match.group("minus") else value


def _spoken_numbers(tokens: list[_Token]) -> Iterator[_Number]:
    """Numbers in words: "two", "twenty-five", "a dozen", "двох", "сто двадцять п'ять",
    "дві тисячі". Words that cannot be one number ("two three") are two."""
    words = _number_words()
    parts = [part for token in tokens for part in _number_parts(token, words)]
    index = 0
    while index < len(parts):
        found, index = _spoken_number_at(parts, index, words)
        if found is not None:
            yield found


def _number_parts(token: _Token, words: Mapping[str, tuple[int, bool]]) -> list[_Token]:
    """A hyphenated number ("twenty-five") as its words; any other token as it is."""
    if "-" not in token.key or token.key in words or len(token.key) != token.end - token.start:
        return [token]
    pieces = token.key.split("-")
    if not all(piece in words for piece in pieces):
        return [token]
    parts, start = [], token.start
    for piece in pieces:
        parts.append(_Token(start, start + len(piece), piece))
        start += len(piece) + 1
    return parts


def _spoken_number_at(parts: list[_Token], index: int, words: Mapping[str, tuple[int, bool]]
                      ) -> tuple[_Number | None, int]:
    """The number that starts at `index` and where the next search starts."""
    start = parts[index].start
    total, group, smallest, end = 0, 0, 1000, None
    if parts[index].key in _ARTICLES and index + 1 < len(parts) \
            and words.get(parts[index + 1].key, (0, False))[1]:
        group, index = 1, index + 1  # "a dozen" is twelve
    while index < len(parts):
        value, scales = words.get(parts[index].key, (0, False))
        if parts[index].key == "and" and end is not None and index + 1 < len(parts) \
                and parts[index + 1].key in words and not words[parts[index + 1].key][1]:
            index += 1  # "one hundred and five"
            continue
        if parts[index].key not in words:
            break
        order = _order(value)
        if scales:
            if value == 100 and group >= 100:
                break  # "hundred" multiplies what precedes it, but not another hundred
            if value >= 1000:
                total, group, smallest = total + (group or 1) * value, 0, 1000
            else:
                group, smallest = (group or 1) * value, order
        elif order >= smallest or (smallest == 2 and order == 1):
            break  # "two three", "twenty eleven": two numbers
        else:
            group, smallest = group + value, order
        end = parts[index].end
        index += 1
        if value == 12 and scales:
            break
    if end is None:
        return None, index + 1
    return _Number(start, end, Decimal(total + group)), index


def _order(value: int) -> int:
    """0 units, 1 teens, 2 tens, 3 hundreds: "twenty five" adds down the orders."""
    return 0 if value < 10 else 1 if value < 20 else 2 if value < 100 else 3


@lru_cache(maxsize=1)
def _number_words() -> dict[str, tuple[int, bool]]:
    """Every form of a number word → (value, whether it multiplies)."""
    words: dict[str, tuple[int, bool]] = {word: (value, False)
                                          for word, value in _EN_NUMBERS.items()}
    words.update((word, (value, True)) for word, value in _EN_SCALES.items())
    for table, scales in ((_UK_NUMBERS, False), (_UK_SCALES, True)):
        for lemma, value in table.items():
            for form in _number_forms(lemma):
                words.setdefault(form, (value, scales))
    return words


def _number_forms(lemma: str) -> set[str]:
    parses = nlu_text._analyzer().parse(lemma)
    numeral = next((p for p in parses if p.normal_form == lemma and "NUMR" in p.tag), None) \
        or next((p for p in parses if p.normal_form == lemma), None)
    return {lemma} | ({form.word for form in numeral.lexeme} if numeral else set())


def _money(message: _Message, number: _Number) -> Iterator[Entity]:
    after = _CURRENCY_AFTER.match(message.text, number.end)
    if after:
        yield message.entity("money", _amount(number, after), number.start, after.end())
    before = _CURRENCY_BEFORE.search(message.text, max(0, number.start - 5), number.start)
    if before:
        yield message.entity("money", _amount(number, before), before.start(), number.end)


def _amount(number: _Number, currency: re.Match[str]) -> dict[str, Any]:
    return {"amount": _plain(number.value), "currency": currency.lastgroup}


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# -- dates and times ----------------------------------------------------------------------------

_RELATIVE_DAYS = {
    "сьогодні": 0, "завтра": 1, "післязавтра": 2, "вчора": -1, "учора": -1, "позавчора": -2,
    "today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1, "the day after tomorrow": 2,
    "day after tomorrow": 2, "сегодня": 0, "послезавтра": 2, "вчера": -1, "позавчера": -2}
_WEEKDAYS = {
    **dict.fromkeys(("понеділок", "понеділка", "понеділку", "monday", "понедельник",
                     "понедельника"), 0),
    **dict.fromkeys(("вівторок", "вівторка", "вівторку", "tuesday", "вторник", "вторника"), 1),
    **dict.fromkeys(("середа", "середу", "середи", "wednesday", "среда", "среду", "среды"), 2),
    **dict.fromkeys(("четвер", "четверга", "четвергу", "thursday", "четверг", "четверга"), 3),
    **dict.fromkeys(("п'ятниця", "п'ятницю", "п'ятниці", "friday", "пятница", "пятницу",
                     "пятницы"), 4),
    **dict.fromkeys(("субота", "суботу", "суботи", "saturday", "суббота", "субботу",
                     "субботы"), 5),
    **dict.fromkeys(("неділя", "неділю", "неділі", "sunday", "воскресенье", "воскресенья"), 6)}
# "next Monday" and "this Monday" both mean the coming one, as people use them; "last" the past.
_PAST = ("минулий", "минулого", "минулу", "минулої", "last", "прошлый", "прошлого", "прошлую",
         "прошлой")
_WEEKDAY_QUALIFIERS = _PAST + (
    "наступний", "наступного", "наступну", "наступної", "наступній", "next", "coming", "this",
    "цей", "цього", "цю", "цієї", "следующий", "следующего", "следующую", "следующей", "этот",
    "эту", "этой", "этого")
_MONTHS = {
    **{name: number for number, name in enumerate(
        ("січня лютого березня квітня травня червня липня серпня вересня жовтня листопада "
         "грудня").split(), 1)},
    **{name: number for number, name in enumerate(
        ("january february march april may june july august september october november "
         "december").split(), 1)},
    **{name: number for number, name in enumerate(
        "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
    "sept": 9,
    **{name: number for number, name in enumerate(
        ("января февраля марта апреля мая июня июля августа сентября октября ноября "
         "декабря").split(), 1)}}
# "через 2 дні", "in two hours", "через годину", "in half an hour".
_UNITS = {
    **dict.fromkeys(("хвилину", "хвилини", "хвилин", "хвилинку", "минуту", "минуты", "минут",
                     "minute", "minutes", "mins", "min"), "minutes"),
    **dict.fromkeys(("годину", "години", "годин", "час", "часа", "часов", "hour", "hours"),
                    "hours"),
    **dict.fromkeys(("день", "дні", "днів", "дня", "дней", "day", "days"), "days"),
    **dict.fromkeys(("тиждень", "тижні", "тижнів", "тижня", "неделю", "недели", "недель",
                     "week", "weeks"), "weeks"),
    **dict.fromkeys(("місяць", "місяці", "місяців", "місяця", "месяц", "месяца", "месяцев",
                     "month", "months"), "months"),
    **dict.fromkeys(("півгодини", "полчаса", "half an hour"), "half_hour")}
_HALF = ("пів", "half")  # "через пів години"
_UNIT_MINUTES = {"minutes": 1, "hours": 60}
# After the hour ("о 7 вечора") or between the day and the time ("сьогодні ввечері о 8").
_PARTS_OF_DAY = {
    **dict.fromkeys(("ранку", "зранку", "вранці", "уранці", "утра", "утром"), "morning"),
    **dict.fromkeys(("дня", "вдень", "удень", "днем", "днём"), "afternoon"),
    **dict.fromkeys(("вечора", "ввечері", "увечері", "вечера", "вечером"), "evening"),
    **dict.fromkeys(("ночі", "вночі", "уночі", "ночи", "ночью"), "night")}
_NAMED_TIMES = {"noon": 12, "midday": 12, "опівдні": 12, "полудні": 12, "полудень": 12,
                "полдень": 12, "midnight": 0, "опівночі": 0, "полночь": 0}


def _words(table: Collection[str]) -> str:
    """An alternation of the words, longest first, spaces matching any white space."""
    return "|".join(r"\s+".join(map(re.escape, word.split()))
                    for word in sorted(table, key=len, reverse=True))


# Word edges; the apostrophe is inside words ("п'ятницю").
_WORD_START, _WORD_END = r"(?<![\w'])", r"(?![\w'])"
_RELATIVE_DAY = re.compile(rf"{_WORD_START}(?:{_words(_RELATIVE_DAYS)}){_WORD_END}", re.IGNORECASE)
_WEEKDAY = re.compile(rf"{_WORD_START}(?:(?P<qualifier>{_words(_WEEKDAY_QUALIFIERS)})\s+)?"
                      rf"(?P<day>{_words(_WEEKDAYS)}){_WORD_END}", re.IGNORECASE)
_YEAR = r"(?:,?\s+(?P<year>\d{4})(?!\d))?"
_DAY_MONTH = re.compile(rf"(?<![\w'.,])(?P<day>\d{{1,2}})(?:-?(?:го|е|st|nd|rd|th))?\s+(?:of\s+)?"
                        rf"(?P<month>{_words(_MONTHS)}){_WORD_END}{_YEAR}", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"{_WORD_START}(?P<month>{_words(_MONTHS)})\s+(?P<day>\d{{1,2}})"
                        rf"(?:st|nd|rd|th)?(?![\w]){_YEAR}", re.IGNORECASE)
_NUMBER_START, _NUMBER_END = r"(?<![\w.,/\-])", r"(?![\w]|[.,/\-]\d)"
_ISO_DATE = re.compile(rf"{_NUMBER_START}(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-"
                       rf"(?P<day>\d{{1,2}}){_NUMBER_END}")
# 25.12.2026, 25/12/26, and 25.12 with two digits each: "3.5" and "12.50" stay numbers.
_NUMERIC_DATE = re.compile(rf"{_NUMBER_START}(?P<first>\d{{1,2}})(?P<separator>[./])"
                           rf"(?P<second>\d{{1,2}})(?P=separator)(?P<year>\d{{4}}|\d{{2}})"
                           rf"{_NUMBER_END}")
_SHORT_DATE = re.compile(rf"{_NUMBER_START}(?P<first>\d{{2}})\.(?P<second>\d{{2}})"
                         rf"{_NUMBER_END}")
_IN_DURATION = re.compile(rf"{_WORD_START}(?P<preposition>через|in)\s+"
                          rf"(?:(?P<amount>\d{{1,3}}|[\w'\-]+)\s+)?"
                          rf"(?P<unit>{_words(_UNITS)}){_WORD_END}", re.IGNORECASE)

_AM_PM = r"(?P<am_pm>[ap])\.?\s?m\.?(?![\w])"
_PART = rf"(?:\s+(?P<part>{_words(_PARTS_OF_DAY)}){_WORD_END})?"
_AT = r"(?:(?:о|об|at|в|у|на|around)\s+)"
# 15:00, о 15:00, at 5:30 pm; о 15, о 15.30, at 5 (an hour alone only after о/об/at); 5 pm;
# 7 вечора; опівдні, at noon.
_TIMES = (
    re.compile(rf"(?<![\w'.:,]){_AT}?(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?![\w]|[.,:]\d)"
               rf"(?:\s*{_AM_PM})?{_PART}", re.IGNORECASE),
    re.compile(rf"{_WORD_START}(?:о|об|at)\s+(?P<hour>\d{{1,2}})(?:\.(?P<minute>\d{{2}}))?"
               rf"(?:\s*{_AM_PM}|(?![\w]|[.,:]\d))"
               rf"(?:\s+(?:годині|год|o'clock){_WORD_END})?{_PART}",
               re.IGNORECASE),
    re.compile(rf"(?<![\w'.:,])(?:(?:at|о|об)\s+)?(?P<hour>\d{{1,2}})(?::(?P<minute>\d{{2}}))?"
               rf"\s*{_AM_PM}", re.IGNORECASE),
    re.compile(rf"(?<![\w'.:,])(?:{_AT})?(?P<hour>\d{{1,2}})(?::(?P<minute>\d{{2}}))?"
               rf"\s+(?P<part>{_words(_PARTS_OF_DAY)}){_WORD_END}", re.IGNORECASE),
    re.compile(rf"{_WORD_START}{_AT}?(?P<named>{_words(_NAMED_TIMES)}){_WORD_END}", re.IGNORECASE),
)
# What may stand between a date and its time: "завтра о 15:00", "5 pm on Friday",
# "сьогодні ввечері о 8" (the part of the day then sets the hour: 20:00).
_DATE_TIME_GAP = re.compile(rf"\s*(?:,\s*)?(?:(?P<part>{_words(_PARTS_OF_DAY)})\s*(?:,\s*)?)?"
                            r"(?:(?:on|у|в|на)\s+)?", re.IGNORECASE)
_MAX_GAP = 16


@dataclass(frozen=True, slots=True)
class _When:
    """A piece of a date: a day, a moment ("in two hours") or a time of day."""
    start: int
    end: int
    value: date | datetime | time


def _date_entities(message: _Message) -> Iterator[Entity]:
    days = _longest(list(_days(message)))
    clocks = _longest(list(_clock_times(message.text)))
    used: set[_When] = set()
    for day in days:
        clock, part = _time_next_to(day, clocks, message.text)
        if clock is not None and not isinstance(day.value, datetime):
            used.add(clock)
            start, end = min(day.start, clock.start), max(day.end, clock.end)
            if message.text[day.start:day.end].lower() == "tonight":
                part = part or "evening"
            hour = _with_part_of_day(clock.value.hour, part) if part else clock.value.hour
            moment = datetime.combine(day.value, clock.value.replace(hour=hour),
                                      tzinfo=message.now.tzinfo)
            yield message.entity("date", moment.isoformat(), start, end)
        else:
            yield message.entity("date", day.value.isoformat(), day.start, day.end)
    for clock in clocks:
        if clock not in used:
            yield message.entity("time", clock.value.isoformat(), clock.start, clock.end)


def _longest(pieces: list[_When]) -> list[_When]:
    """Where the patterns overlap ("о 10.10" is a time and 10.10 a date), the longer piece."""
    kept: list[_When] = []
    for piece in sorted(pieces, key=lambda p: (p.start - p.end, p.start)):
        if all(piece.end <= other.start or piece.start >= other.end for other in kept):
            kept.append(piece)
    return sorted(kept, key=lambda p: p.start)


def _time_next_to(day: _When, clocks: list[_When], text: str) -> tuple[_When | None, str | None]:
    """The time said with the day, and the part of the day said between them."""
    for clock in clocks:
        if clock.start >= day.end:
            gap = text[day.end:clock.start]
        elif clock.end <= day.start:
            gap = text[clock.end:day.start]
        else:
            continue
        joint = _DATE_TIME_GAP.fullmatch(gap) if len(gap) <= _MAX_GAP else None
        if joint:
            part = joint.group("part")
            return clock, _PARTS_OF_DAY[part.lower()] if part else None
    return None, None


def _days(message: _Message) -> Iterator[_When]:
    today = message.now.date()
    for match in _RELATIVE_DAY.finditer(message.text):
        offset = _RELATIVE_DAYS[" ".join(match.group().lower().split())]
        yield _When(match.start(), match.end(), today + timedelta(days=offset))
    for match in _WEEKDAY.finditer(message.text):
        weekday = _WEEKDAYS[match.group("day").lower()]
        qualifier = (match.group("qualifier") or "").lower()
        if qualifier in _PAST:
            ahead = -((today.weekday() - weekday) % 7 or 7)
        else:
            ahead = (weekday - today.weekday()) % 7 or 7
        yield _When(match.start(), match.end(), today + timedelta(days=ahead))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(message.text):
            month = _MONTHS[match.group("month").lower()]
            found = _calendar_day(today, match.group("year"), month, int(match.group("day")))
            if found is not None:
                yield _When(match.start(), match.end(), found)
    yield from _numeric_days(message, today)
    yield from _durations(message)


def _numeric_days(message: _Message, today: date) -> Iterator[_When]:
    for match in _ISO_DATE.finditer(message.text):
        found = _calendar_day(today, match.group("year"), int(match.group("month")),
                              int(match.group("day")))
        if found is not None:
            yield _When(match.start(), match.end(), found)
    for pattern in (_NUMERIC_DATE, _SHORT_DATE):
        for match in pattern.finditer(message.text):
            first, second = int(match.group("first")), int(match.group("second"))
            year = match.group("year") if pattern is _NUMERIC_DATE else None
            # Day first, as Ukraine (and most of the world) writes; month first in English.
            orders = ((second, first), (first, second)) if message.english \
                else ((first, second), (second, first))
            found = next((day for d, m in orders
                          if (day := _calendar_day(today, year, m, d)) is not None), None)
            if found is not None:
                yield _When(match.start(), match.end(), found)


def _calendar_day(today: date, year: str | None, month: int, day: int) -> date | None:
    """The date; without a year the next one to come (today included)."""
    try:
        if year is not None:
            number = int(year)
            return date(number + 2000 if number < 100 else number, month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:  # 31 лютого, month 13; 29 February in a year without one
        return None


def _durations(message: _Message) -> Iterator[_When]:
    for match in _IN_DURATION.finditer(message.text):
        unit = _UNITS[" ".join(match.group("unit").lower().split())]
        if unit == "half_hour":
            if match.group("amount") is not None:
                continue
            unit, amount = "minutes", Decimal(30)
        else:
            amount = _duration_amount(match.group("amount"), match.group("preposition"))
        # Half a day or a week is no date: only minutes and hours take a fraction.
        if amount is None or (amount % 1 and unit not in _UNIT_MINUTES):
            continue
        yield _When(match.start(), match.end(), _after(message.now, unit, amount))


def _duration_amount(text: str | None, preposition: str) -> Decimal | None:
    """How many units: digits, a number in words, "a"/"an", "пів"/"half"; none at all is one
    after "через" ("через годину") and nothing after "in" ("in hours")."""
    if text is None:
        return Decimal(1) if preposition.lower() == "через" else None
    key = _key(text)
    if key.isdigit():
        return Decimal(key)
    if key in _ARTICLES:
        return Decimal(1)
    if key in _HALF:
        return Decimal("0.5")
    words = _number_words()
    parts = [part for token in _tokens(text) for part in _number_parts(token, words)]
    found, _ = _spoken_number_at(parts, 0, words) if parts else (None, 0)
    if found is None or found.end != len(text) or found.value < 1:
        return None
    return found.value


def _after(now: datetime, unit: str, amount: Decimal) -> date | datetime:
    """Minutes and hours give a moment (counted in UTC, so a DST change keeps the interval);
    days, weeks and months a day."""
    if unit in _UNIT_MINUTES:
        minutes = float(amount * _UNIT_MINUTES[unit])
        moment = (now.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(now.tzinfo)
        return moment.replace(microsecond=0)
    today, count = now.date(), int(amount)
    if unit == "months":  # 31 January + 1 month is the last day of February
        year, month = divmod(today.month - 1 + count, 12)
        year, month = today.year + year, month + 1
        return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
    return today + timedelta(days=count * (7 if unit == "weeks" else 1))


def _clock_times(text: str) -> Iterator[_When]:
    for pattern in _TIMES:
        for match in pattern.finditer(text):
            found = _clock_value(match)
            if found is not None:
                yield _When(match.start(), match.end(), found)


def _clock_value(match: re.Match[str]) -> time | None:
    groups = match.groupdict()
    if groups.get("named"):
        return time(_NAMED_TIMES[groups["named"].lower()], 0)
    hour, minute = int(groups["hour"]), int(groups.get("minute") or 0)
    if groups.get("am_pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if groups["am_pm"].lower() == "p" else 0)
    elif groups.get("part"):
        hour = _with_part_of_day(hour, _PARTS_OF_DAY[groups["part"].lower()])
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def _with_part_of_day(hour: int, part: str) -> int:
    """"о 7 вечора" is 19:00, "о 3 дня" 15:00, "об 11 ночі" 23:00, "о 2 ночі" 02:00."""
    if part == "evening" and hour < 12:
        return hour + 12
    if part == "afternoon" and 1 <= hour <= 6:
        return hour + 12
    if part == "night":
        return 0 if hour == 12 else hour + 12 if 9 <= hour <= 11 else hour
    return hour


_BUILTIN_FINDERS = (_emails, _urls, _phones, _number_entities, _date_entities)


# -- the author's entities ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _PatternEntity:
    """RE2 (scenarios.format.limits: the dialect and memory bound of every author pattern). It
    reads the message with one apostrophe, as the built-in rules do ("п'ять" in a pattern
    matches "п’ять"); the value is taken from the message as written."""
    name: str
    pattern: Any
    one_group: bool

    def find(self, message: _Message) -> Iterator[Entity]:
        for match in self.pattern.finditer(message.text):
            start, end = match.span()
            if end == start:
                continue
            # The only group's text; the whole match where the group took no part ("(x)?y").
            group = 1 if self.one_group and match.start(1) >= 0 else 0
            value = message.original[match.start(group):match.end(group)]
            yield message.entity(self.name, value, start, end)


@dataclass(frozen=True, slots=True)
class _ListEntity:
    """Phrases as tuples of word keys, by their first key, with their values."""
    name: str
    phrases: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]

    def find(self, message: _Message) -> Iterator[Entity]:
        tokens = message.tokens
        for index, token in enumerate(tokens):
            for keys, value in self.phrases.get(token.key, ()):
                last = index + len(keys) - 1
                if last < len(tokens) and all(tokens[index + i].key == key
                                              for i, key in enumerate(keys)):
                    yield message.entity(self.name, value, token.start, tokens[last].end)


def _compile_definition(definition: Any, position: int) -> _ListEntity | _PatternEntity:
    if not isinstance(definition, Mapping):
        raise EntityDefinitionError(f"entity #{position} must be an object with a name and a "
                                    "kind")
    name = definition.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise EntityDefinitionError(
            f'entity #{position}: the name {name!r} must start with a small Latin letter and '
            'have at most 64 small Latin letters, digits and "_"')
    if name in BUILTIN_ENTITIES:
        raise EntityDefinitionError(f'entity "{name}" is a built-in entity; name yours '
                                    'otherwise')
    kind = definition.get("kind", "list")
    if kind == "regex":
        return _compile_pattern(name, definition.get("pattern"))
    if kind == "list":
        return _compile_list(name, definition.get("values"))
    raise EntityDefinitionError(f'entity "{name}": the kind must be "list" or "regex", not '
                                f"{kind!r}")


def _compile_pattern(name: str, pattern: Any) -> _PatternEntity:
    if not isinstance(pattern, str) or not pattern:
        raise EntityDefinitionError(f'entity "{name}" needs a pattern')
    if len(pattern) > nlu_format.MAX_ENTITY_PATTERN:
        raise EntityDefinitionError(
            f'entity "{name}": a pattern has at most {nlu_format.MAX_ENTITY_PATTERN} characters '
            f"(this one has {len(pattern):,})")
    try:
        compiled = compile_pattern(pattern)
    except PatternError as error:
        raise EntityDefinitionError(f'entity "{name}": {error}') from None
    return _PatternEntity(name, compiled, compiled.groups == 1)


def _compile_list(name: str, values: Any) -> _ListEntity:
    if not isinstance(values, Sequence) or isinstance(values, str) or not values:
        raise EntityDefinitionError(f'entity "{name}" needs a list of values')
    if len(values) > nlu_format.MAX_ENTITY_VALUES:
        raise EntityDefinitionError(f'entity "{name}" has {len(values):,} values; at most '
                                    f"{nlu_format.MAX_ENTITY_VALUES:,}")
    phrases: dict[str, dict[tuple[str, ...], str]] = {}
    for item in values:
        value, synonyms = _checked_value(name, item)
        for language, phrase in [(None, value)] + synonyms:
            for keys in _phrase_keys(phrase, language):
                # The first value to claim a phrase keeps it.
                phrases.setdefault(keys[0], {}).setdefault(keys, value)
    return _ListEntity(name, {first: tuple(by_keys.items()) for first, by_keys in phrases.items()})


def _checked_value(name: str, item: Any) -> tuple[str, list[tuple[str, str]]]:
    """The value and its synonyms as (language, synonym)."""
    if not isinstance(item, Mapping):
        raise EntityDefinitionError(f'entity "{name}": each value must be an object with a '
                                    '"value"')
    value = item.get("value")
    _check_phrase(name, value, "a value")
    synonyms = item.get("synonyms") or {}
    if not isinstance(synonyms, Mapping):
        raise EntityDefinitionError(f'entity "{name}", value "{value}": synonyms must be an '
                                    'object of lists by language: {"uk": [...], "en": [...]}')
    pairs: list[tuple[str, str]] = []
    for language, phrases in synonyms.items():
        if not isinstance(phrases, Sequence) or isinstance(phrases, str):
            raise EntityDefinitionError(f'entity "{name}", value "{value}": the {language} '
                                        "synonyms must be a list")
        if len(phrases) > nlu_format.MAX_SYNONYMS:
            raise EntityDefinitionError(
                f'entity "{name}", value "{value}": {len(phrases)} {language} synonyms; at most '
                f"{nlu_format.MAX_SYNONYMS}")
        for phrase in phrases:
            _check_phrase(name, phrase, f'a synonym of "{value}"')
            pairs.append((str(language).split("-")[0].lower(), phrase))  # uk-UA is uk
    return value, pairs


def _check_phrase(name: str, phrase: Any, what: str) -> None:
    if not isinstance(phrase, str) or not _tokens(phrase.translate(_APOSTROPHES)):
        raise EntityDefinitionError(f'entity "{name}": {what} must be a text with a word or '
                                    f"a sign in it, not {phrase!r}")
    if len(phrase) > nlu_format.MAX_SYNONYM_CHARS:
        raise EntityDefinitionError(f'entity "{name}": {what} has at most '
                                    f"{nlu_format.MAX_SYNONYM_CHARS} characters")


def _phrase_keys(phrase: str, language: str | None) -> set[tuple[str, ...]]:
    """The phrase's word keys as written and, where its language inflects, in its other forms:
    Ukrainian cases and numbers (for the value itself when it is Cyrillic), English plurals.
    Russian and other languages' synonyms match as written."""
    keys = tuple(token.key for token in _tokens(phrase.translate(_APOSTROPHES)))
    forms = {keys}
    if language in ("uk", None) and _CYRILLIC.search(phrase):
        forms |= _ukrainian_forms(keys)
    if language in ("en", None) and keys[-1].isascii() and keys[-1].isalpha():
        forms |= {keys[:-1] + (plural,) for plural in _english_plurals(keys[-1])}
    return forms


_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct")


def _ukrainian_forms(keys: tuple[str, ...]) -> set[tuple[str, ...]]:
    """One word: every form of its lexeme. Several: the phrase in each case and number, read as
    Ukrainian noun phrases are built: adjectives, the noun they agree with, then words that
    stay as they are ("Нова Пошта" → "Новій Пошті"; "Кабінет Міністрів" → "Кабінету
    Міністрів"; "Пошта України" → "Пошті України")."""
    if len(keys) == 1:
        return {(form,) for form in _lexeme(keys[0])}
    head = next((i for i, key in enumerate(keys[:-1])
                 if _CYRILLIC.search(key) and not _nominatives(key, "ADJF")), len(keys) - 1)
    inflected = [_inflections(key, "ADJF") for key in keys[:head]]
    inflected.append(_inflections(keys[head], "NOUN"))
    inflected += [{}] * (len(keys) - head - 1)  # the words after the noun stay as written
    forms = set()
    for grammemes in {grammemes for forms_of in inflected for grammemes in forms_of}:
        words = [forms_of.get(grammemes) if forms_of else key
                 for key, forms_of in zip(keys, inflected)]
        if all(words):
            forms.add(tuple(words))
    return forms


@lru_cache(maxsize=50_000)
def _lexeme(word: str) -> frozenset[str]:
    """All forms of a word, from its nominative reading or, for a synonym written inflected
    ("Києва"), from pymorphy3's first."""
    if not _CYRILLIC.search(word):
        return frozenset()
    parses = _nominatives(word, "NOUN") or _nominatives(word, None) \
        or nlu_text._analyzer().parse(word)[:1]
    return frozenset(form.word for form in parses[0].lexeme)


@lru_cache(maxsize=50_000)
def _inflections(word: str, part_of_speech: str) -> Mapping[tuple[str, str | None], str]:
    """(case, number) → the word in it (the Ukrainian dictionary marks only the plural), read as
    `part_of_speech` where it can be."""
    parses = _nominatives(word, part_of_speech) or _nominatives(word, None)
    forms: dict[tuple[str, str | None], str] = {}
    for case in _CASES if parses else ():
        for number in (set(), {"plur"}):
            form = parses[0].inflect({case} | number)
            if form is not None:
                forms.setdefault((case, form.tag.number), form.word)
    return forms


def _nominatives(word: str, part_of_speech: str | None) -> list[Any]:
    """pymorphy3's nominative readings of a Cyrillic word (of that part of speech), first names
    and surnames left out: "Біла" as a surname is rarely the one meant."""
    if not _CYRILLIC.search(word):
        return []
    return [parse for parse in nlu_text._analyzer().parse(word)
            if parse.tag.case == "nomn" and not {"Name", "Surn", "Patr"} & parse.tag.grammemes
            and (part_of_speech is None or part_of_speech in parse.tag)]


def _english_plurals(word: str) -> set[str]:
    """The regular plural: "coffee" → "coffees", "box" → "boxes", "city" → "cities"."""
    if len(word) < 2:
        return set()
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return {word + "es"}
    if word.endswith("y") and word[-2] not in "aeiou":
        return {word[:-1] + "ies"}
    return {word + "s"}
