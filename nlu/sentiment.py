"""Sentiment of one chat message, -1 .. +1 and a label, so that a scenario can react to an angry
user (hand over to a person, apologise) and analytics can chart satisfaction.

Rules over a lexicon, not a trained model: no public sentiment data set or model for Ukrainian
is available offline with a licence we can ship, rules are explainable to a bot's author, and
they cost microseconds. Both languages end in VADER's formula, so their scores compare:

- English: VADER (vaderSentiment: its lexicon, negation, boosters, ALL CAPS, "but", "!"),
  its compound score as it computes it, with two changes for chat: the emoji table below in
  place of VADER's emoji descriptions (which score 👍 and 😡 as 0 and 🔥 as negative), and
  lexicon/sentiment_en.tsv, which neutralises requests and answers ("please", "help", "yes",
  "cancel") and adds service words VADER lacks ("late", "slow", "doesn't work").
- Ukrainian: lexicon/sentiment_uk.tsv (written for the project), words matched as written and
  by every lemma pymorphy3 offers (its first parse is sometimes wrong: "молодці" → "молодка"),
  then VADER's rules with its constants: "дуже"/"трохи" scale the next words, ALL CAPS adds,
  "але"/"проте"/"зате" halve what precedes and add half to what follows, "!" adds. Negation
  ("не", "ні", "ніколи", "без", ...) flips and dampens the next three words, once: Ukrainian
  negative concord ("ніхто не допоміг") is one negation, not two. A negation stops at a comma
  or a full stop ("ні, дякую" is a polite no, not an unhappy thanks).
- Russian goes through the Ukrainian path: emoji, brackets, "!" and the words the two share
  ("супер", "кошмар") count, Russian-only words do not; a rough signal, better than none.
- Any other language: emoji, emoticons and punctuation only.

Emoji and emoticons (lexicon/emoji.tsv) are shared by all languages, as are the brackets of
Slavic chat: ")))" that close nothing is a smile, "((" that open nothing a frown."""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pymorphy3 import MorphAnalyzer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
# Sentiment is said early and a 10,000-character paste must not cost milliseconds.
MAX_CHARS = 2000
# |score| below this is neutral: VADER's own recommendation; bench/nlu_sentiment.py shows
# the accuracy at other thresholds.
THRESHOLD = 0.05

# VADER's constants (vaderSentiment.py), so the Ukrainian scores are on the English scale.
_B_INCR = 0.293      # a booster's step
_C_INCR = 0.733      # a word in ALL CAPS among words that are not
_N_SCALAR = -0.74    # negation flips and dampens
_ALPHA = 15.0        # compound = sum / sqrt(sum² + alpha)
_BUT_BEFORE, _BUT_AFTER = 0.5, 1.5
_EXCLAMATION, _MAX_EXCLAMATIONS = 0.292, 4
_MAX_VADER_WORDS = 100

_NEGATORS = frozenset("не ні ніколи ніхто нічого нічим ніде нікуди ніяк ніякий жоден жодний "
                      "жодного жодної без нема немає ані навряд".split())
_BOOSTERS = {
    **dict.fromkeys("дуже надзвичайно неймовірно страшенно шалено вкрай абсолютно зовсім повністю "
                    "цілком геть справді дійсно реально так такий така таке такі настільки надто "
                    "занадто максимально особливо безумовно щиро сердечно дико найбільш "
                    "вельми вкрай нереально капітально".split(), _B_INCR),
    **dict.fromkeys("трохи трішки трошки злегка ледь ледве майже дещо частково відносно "
                    "доволі досить певною".split(), -_B_INCR),
}
_SO = frozenset(("так", "настільки", "такий", "така", "таке", "такі"))
_BUT_WORDS = frozenset(("але", "проте", "однак", "зате", "втім", "but"))

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "′": "'", "‘": "'", "´": "'"})
# Variation selectors, skin tones and joiners: "❤️" is "❤", "👍🏽" is "👍", "🤦‍♂️" is "🤦♂".
_EMOJI_NOISE = re.compile("[\ufe0e\ufe0f\u200d\U0001f3fb-\U0001f3ff]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = r"[^\W\d_]+(?:['\-][^\W\d_]+)*"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Sentiment:
    """`score`: -1 (very negative) .. +1 (very positive), VADER's compound scale in every
    language. `label`: "negative", "neutral" or "positive" (|score| < THRESHOLD: neutral)."""
    score: float
    label: str

    def to_json(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "label": self.label}


NEUTRAL = Sentiment(0.0, "neutral")


def analyse_sentiment(text: str, language: str | None = None) -> Sentiment:
    """Never raises for any text: empty, None, emoji only, 10,000 characters (the first 2,000
    count), mixed scripts all give a result. `language`: ISO 639-1 ("en", "uk", "ru"; region
    ignored); None: English when the message has more Latin letters than Cyrillic ones, else
    the Ukrainian path (no language detector is loaded for this)."""
    if not isinstance(text, str) or not text.strip():
        return NEUTRAL
    text = _URL.sub(" ", unicodedata.normalize("NFKC", text[:MAX_CHARS]).translate(_APOSTROPHES))
    text = _EMOJI_NOISE.sub("", text)
    code = ""
    if isinstance(language, str):
        code = language.strip().lower().replace("_", "-").split("-")[0]
    if not code:
        code = "en" if len(_LATIN.findall(text)) > len(_CYRILLIC.findall(text)) else "uk"
    if code == "en":
        score = _english(text)
    else:
        score = _rules(text, words=code in ("uk", "ru"))
    return label(score)


def label(score: float, threshold: float = THRESHOLD) -> Sentiment:
    """The Sentiment of a compound score; rounded to 4 decimals, as VADER rounds its own."""
    score = round(max(-1.0, min(1.0, float(score))), 4)
    if score >= threshold:
        return Sentiment(score, "positive")
    if score <= -threshold:
        return Sentiment(score, "negative")
    return Sentiment(score, "neutral")


def normalise_sum(total: float) -> float:
    """VADER's normalisation of a message's summed valences to -1 .. +1."""
    return total / math.sqrt(total * total + _ALPHA) if total else 0.0


# -- lexicons ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, float]
    # first word of a phrase → (its words, its valence), longest first
    phrases: dict[str, tuple[tuple[tuple[str, ...], float], ...]]


def read_lexicon(path: Path) -> dict[str, float]:
    """entry → score of a lexicon TSV (comments and blank lines skipped). Raises ValueError on
    a malformed line or a score outside -4 .. +4: the files ship with the code and are tested."""
    entries: dict[str, float] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        entry, _, score = line.partition("\t")
        value = float(score)
        if not entry.strip() or not -4.0 <= value <= 4.0:
            raise ValueError(f"{path.name}:{number}: bad entry {line!r}")
        entries[" ".join(entry.split())] = value
    return entries


def _split(entries: dict[str, float], casefold: bool = True) -> _Lexicon:
    words: dict[str, float] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    for entry, value in entries.items():
        key = entry.casefold() if casefold else entry
        parts = tuple(key.split())
        if len(parts) == 1:
            words[key] = value
        else:
            phrases.setdefault(parts[0], []).append((parts, value))
    return _Lexicon(words, {first: tuple(sorted(found, key=lambda p: -len(p[0])))
                            for first, found in phrases.items()})


_lock = threading.RLock()   # a builder may load another (VADER takes the emoji table)
_state: dict[str, Any] = {}


def _load(name: str) -> Any:
    """Lexicons, pymorphy3 and VADER are built on first use, once, under a lock."""
    found = _state.get(name)
    if found is not None:
        return found
    with _lock:
        found = _state.get(name)
        if found is None:
            found = _BUILDERS[name]()
            _state[name] = found
    return found


def _build_uk() -> _Lexicon:
    return _split(read_lexicon(LEXICON_DIR / "sentiment_uk.tsv"))


def _build_emoji() -> dict[str, float]:
    return read_lexicon(LEXICON_DIR / "emoji.tsv")


def _build_morph() -> MorphAnalyzer:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


def _build_vader() -> tuple[SentimentIntensityAnalyzer, re.Pattern[str] | None]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    # Our emoji table instead of VADER's descriptions: each emoji reaches VADER as a token
    # of its own (see _english), scored from its lexicon like a word.
    analyzer.emojis = {}
    analyzer.lexicon.update({key.lower(): value for key, value in _load("emoji").items()})
    analyzer.lexicon.update(_BRACKET_VALENCES)
    phrases: list[list[str]] = []
    for entry, value in read_lexicon(LEXICON_DIR / "sentiment_en.tsv").items():
        words = entry.lower().split()
        if len(words) == 1:
            analyzer.lexicon[words[0]] = value
        else:
            analyzer.lexicon[_joined(words)] = value
            phrases.append(words)
    # A phrase becomes one token VADER looks up like a word ("doesn't work" → "doesnt_work",
    # without the apostrophe, which VADER would take for a negation); longest first.
    phrases.sort(key=len, reverse=True)
    pattern = None
    if phrases:
        pattern = re.compile(
            "|".join(r"(?<![\w'])" + r"[\s,]+".join(re.escape(w).replace("'", "'?") for w in words)
                     + r"(?![\w'])" for words in phrases), re.IGNORECASE)
    return analyzer, pattern


def _joined(words: list[str]) -> str:
    return "_".join(word.replace("'", "") for word in words)


_BUILDERS = {"uk": _build_uk, "emoji": _build_emoji, "morph": _build_morph, "vader": _build_vader}

# Brackets of Slavic chat by how many close or open nothing: ")" 1.2, "))" 1.6, ")))+" 2.0.
_BRACKET_VALENCES = {")": 1.2, "))": 1.6, ")))": 2.0, "(": -1.2, "((": -1.6, "(((": -2.0}


# -- tokens shared by both paths: emoji, emoticons, brackets, words, clause breaks -----------

# a letter face must not be the start of a word: "Status:Pending" holds no ":P"
_EMOTICON = r"(?:[:;=][\-']?(?:[()\]\[/|]|[DPpS](?![^\W\d_]))|<3(?!\d)|[xX]D\b)"
_TOKEN = re.compile(rf"(?P<emoticon>{_EMOTICON})|(?P<brackets>\)+|\(+)|(?P<word>{_WORD})"
                    r"|(?P<break>[.;:!?…]+|[—–]|,)|(?P<number>\d+)|(?P<other>\S)")


def _tokens(text: str) -> list[tuple[str, str, float]]:
    """(kind, text, valence) in order; kind: "emoji" (emoji, emoticons and unmatched brackets,
    valence from the table), "word", "break" (a comma is ","), numbers and other symbols
    dropped."""
    emoji = _load("emoji")
    tokens: list[tuple[str, str, float]] = []
    open_runs: list[int] = []   # indices of "(" runs not closed yet
    for match in _TOKEN.finditer(text):
        kind, piece = match.lastgroup, match.group()
        if kind == "emoticon":
            value = emoji.get(piece) or emoji.get(piece.lower())
            if value is not None:
                tokens.append(("emoji", piece, value))
            else:   # a face the table lacks (":S"): its ":" still ends a clause
                tokens.append(("break", piece[0], 0.0))
        elif kind == "brackets":
            if piece[0] == "(":
                open_runs.append(len(tokens))
                tokens.append(("emoji", _bracket_key(piece), 0.0))   # valence settled below
                continue
            unmatched = len(piece)
            while unmatched and open_runs:
                # a ")" closes a "(" run: both were punctuation, not faces
                index = open_runs.pop()
                tokens[index] = ("break", "(", 0.0)
                unmatched -= 1
            start = match.start()
            after_number = start > 0 and text[start - 1].isdigit()   # "1)" numbers a list item
            if unmatched and not after_number:
                key = _bracket_key(")" * unmatched)
                tokens.append(("emoji", key, _BRACKET_VALENCES[key]))
            else:
                tokens.append(("break", ")", 0.0))
        elif kind == "word":
            tokens.append(("word", piece, 0.0))
        elif kind == "break":
            tokens.append(("break", piece, 0.0))
        elif kind == "other":
            value = emoji.get(piece)
            if value is not None:
                tokens.append(("emoji", piece, value))
    for index in open_runs:   # "(" runs nothing closed: frowns
        key = tokens[index][1]
        tokens[index] = ("emoji", key, _BRACKET_VALENCES[key])
    return tokens


def _bracket_key(run: str) -> str:
    return run[0] * min(len(run), 3)


# -- English: VADER ------------------------------------------------------------------------

def _english(text: str) -> float:
    analyzer, phrases = _load("vader")
    # Emoji, emoticons and brackets become space-separated tokens VADER's lexicon scores.
    pieces: list[str] = []
    for kind, piece, _ in _tokens(text):
        if kind == "word" or kind == "emoji":
            pieces.append(piece)
        elif kind == "break" and pieces and piece not in ("(", ")"):
            pieces[-1] += piece     # VADER strips it from the word, and counts "!" and "?"
    # VADER's rules rescan the message for every sentiment word (quadratic): 2,000 characters
    # of English took 13 ms; its first 100 words take 4 ms at worst, 1–3 ms as a rule.
    prepared = " ".join(pieces[:_MAX_VADER_WORDS])
    if phrases is not None:
        prepared = phrases.sub(lambda m: _joined(m.group().lower().replace(",", " ").split()),
                               prepared)
    return float(analyzer.polarity_scores(prepared)["compound"])


# -- Ukrainian (and the rest): VADER's rules over our lexicon ---------------------------------

@lru_cache(maxsize=65536)
def _keys(word: str) -> tuple[str, ...]:
    """A (case-folded) word as written, then every distinct lemma pymorphy3 offers for it."""
    keys = [word]
    for parse in _load("morph").parse(word):
        if parse.normal_form not in keys:
            keys.append(parse.normal_form)
    return tuple(keys)


def _valence(keys: tuple[str, ...], words: dict[str, float]) -> float:
    for key in keys:
        value = words.get(key)
        if value is not None:
            return value
    return 0.0


def _rules(text: str, *, words: bool) -> float:
    tokens = _tokens(text)
    lexicon = _load("uk") if words else _Lexicon({}, {})
    folded = [piece.casefold() if kind == "word" else piece for kind, piece, _ in tokens]
    word_tokens = [piece for kind, piece, _ in tokens if kind == "word"]
    caps_differ = 0 < sum(w.isupper() and len(w) > 1 for w in word_tokens) < len(word_tokens)
    keys: list[tuple[str, ...]] = [
        (_keys(folded[i]) if words else (folded[i],)) if kind == "word" else ()
        for i, (kind, _, _) in enumerate(tokens)]

    phrase_at: dict[int, tuple[float, bool]] = {}   # last index → (valence, has a negator)
    consumed: set[int] = set()
    if lexicon.phrases:
        for i, (kind, _, _) in enumerate(tokens):
            if kind != "word" or i in consumed:
                continue
            match = _match_phrase(i, tokens, folded, keys, lexicon)
            if match:
                indices, value = match
                consumed.update(indices[:-1])
                phrase_at[indices[-1]] = (value, any(folded[j] in _NEGATORS for j in indices))

    sentiments: list[float] = []
    but_at = None
    for i, (kind, piece, fixed) in enumerate(tokens):
        if kind == "emoji":
            sentiments.append(fixed)
            continue
        if kind != "word":
            continue
        word = folded[i]
        if i in consumed:
            sentiments.append(0.0)
            continue
        negated_already = False
        if i in phrase_at:
            valence, negated_already = phrase_at[i]
        elif word in _NEGATORS or word in _BOOSTERS or word in _BUT_WORDS:
            if word in _BUT_WORDS and but_at is None:
                but_at = len(sentiments)
            sentiments.append(0.0)
            continue
        else:
            valence = _valence(keys[i], lexicon.words)
        if valence:
            valence = _modify(valence, i, piece, tokens, folded, consumed, caps_differ,
                              negated_already)
        sentiments.append(valence)

    if but_at is not None:
        sentiments = [v * _BUT_BEFORE if n < but_at else v * _BUT_AFTER if n > but_at else v
                      for n, v in enumerate(sentiments)]
    total = sum(sentiments)
    if total:
        emphasis = _EXCLAMATION * min(text.count("!"), _MAX_EXCLAMATIONS)
        questions = text.count("?")
        if questions > 1:
            emphasis += questions * 0.18 if questions <= 3 else 0.96
        total += emphasis if total > 0 else -emphasis
    return normalise_sum(total)


def _match_phrase(i: int, tokens: list[tuple[str, str, float]], folded: list[str],
                  keys: list[tuple[str, ...]], lexicon: _Lexicon
                  ) -> tuple[list[int], float] | None:
    candidates = [p for key in keys[i] for p in lexicon.phrases.get(key, ())]
    if not candidates:
        return None
    # the word tokens that follow, a comma skipped ("ні, дякую"), other breaks stopping
    following: list[int] = []
    j = i + 1
    longest = max(len(words) for words, _ in candidates)
    while j < len(tokens) and len(following) < longest - 1:
        kind = tokens[j][0]
        if kind == "word":
            following.append(j)
        elif not (kind == "break" and folded[j] == ","):
            break
        j += 1
    best: tuple[list[int], float] | None = None
    for words, value in candidates:
        rest = words[1:]
        if len(rest) > len(following):
            continue
        if all(rest[n] in keys[following[n]] for n in range(len(rest))):
            if best is None or len(rest) + 1 > len(best[0]):
                best = ([i, *following[:len(rest)]], value)
    return best


def _modify(valence: float, i: int, piece: str, tokens: list[tuple[str, str, float]],
            folded: list[str], consumed: set[int], caps_differ: bool,
            negated_already: bool) -> float:
    if caps_differ and piece.isupper() and len(piece) > 1:
        valence += _C_INCR if valence > 0 else -_C_INCR
    negated = never = so = False
    distance = 0
    j = i - 1
    while j >= 0 and distance < 4:
        kind = tokens[j][0]
        if kind == "break":
            break          # a negation or a booster does not reach across a clause break
        if kind == "word" and j not in consumed:
            distance += 1
            word = folded[j]
            never = never or word == "ніколи"     # "ніколи не було так": one word further
            if distance == 4:
                break
            so = so or (distance == 1 and word in _SO)
            scalar = _BOOSTERS.get(word, 0.0)
            if scalar:
                scalar = scalar if valence > 0 else -scalar
                if caps_differ and tokens[j][1].isupper():
                    scalar += _C_INCR if valence > 0 else -_C_INCR
                valence += scalar * (1.0, 0.95, 0.9)[distance - 1]
            elif word in _NEGATORS:
                negated = True
        j -= 1
    if negated and not negated_already:
        # "ніколи не було так добре" is better than good, as VADER's "never so good"
        valence *= 1.25 if never and so else _N_SCALAR
    return valence
