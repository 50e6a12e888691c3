"""Word error rate: how far a transcript is from its reference, in words.

Both texts are normalised first (`normalise_text`): lower case, punctuation and symbols gone,
apostrophes inside words kept (all their variants written as one: Ukrainian `п'ять`, `п’ять`
and `пʼять` are the same word), whitespace collapsed, and single spoken digits (English and
Ukrainian, and "oh" beside a digit) written as digits, as Whisper's own normaliser does: a
digit string read aloud ("one oh two") and the engine's "1 0 2" are the same words. Larger
numbers are compared as written ("twenty one" against "21" is an error). A separator inside a
number is punctuation like any other: "3.5" and "3,5" both become the two words "3 5".

`wer` aligns the two word sequences by Levenshtein distance (substitutions, deletions and
insertions each cost one) and returns the rate with its parts, so corpus figures can be summed:
corpus WER = total errors / total reference words."""

from __future__ import annotations

import unicodedata

# Apostrophe look-alikes, all written as U+0027. Ukrainian text uses U+02BC (the official
# apostrophe), U+2019 and U+0027 interchangeably.
APOSTROPHES = "'\u2019\u02bc\u2018\u0060\u00b4\u2032\u02b9\uff07"
_TO_APOSTROPHE = str.maketrans({char: "'" for char in APOSTROPHES})


# Spoken digits, English and Ukrainian, written as digits (as Whisper's own normaliser does),
# so that "one oh two" and "1 0 2" are the same words; "oh" only among other digits.
_DIGITS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
           "six": "6", "seven": "7", "eight": "8", "nine": "9", "нуль": "0", "один": "1",
           "одна": "1", "два": "2", "дві": "2", "три": "3", "чотири": "4", "п'ять": "5",
           "шість": "6", "сім": "7", "вісім": "8", "дев'ять": "9"}


def normalise_text(text: str) -> str:
    """Lower case, no punctuation or symbols (apostrophes inside words kept, as `'`), one space
    between words, spoken digits as digits (`numbers_as_digits`)."""
    return numbers_as_digits(_plain(text))


def numbers_as_digits(text: str) -> str:
    """Single spoken digits (English, Ukrainian) as digits; "oh" as 0 next to a digit."""
    words = [_DIGITS.get(word, word) for word in text.split()]
    for index, word in enumerate(words):
        if word == "oh" and any(0 <= n < len(words) and words[n].isdigit()
                                for n in (index - 1, index + 1)):
            words[index] = "0"
    return " ".join(words)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_TO_APOSTROPHE).lower()
    chars: list[str] = []
    for index, char in enumerate(text):
        if char == "'":
            inside = (0 < index < len(text) - 1 and text[index - 1].isalnum()
                      and text[index + 1].isalnum())
            chars.append("'" if inside else " ")
        elif unicodedata.category(char) == "Cf":  # soft hyphen, zero-width joiners: nothing
            continue
        elif unicodedata.category(char)[0] in "PSZC":  # punctuation, symbols, spaces, controls
            chars.append(" ")
        else:
            chars.append(char)
    return " ".join("".join(chars).split())


def wer(reference: str, hypothesis: str) -> tuple[float, int, int, int, int]:
    """(rate, substitutions, deletions, insertions, reference words) of `hypothesis` against
    `reference`, both normalised. rate = (S + D + I) / N; it can exceed 1 when the hypothesis
    has many extra words. With an empty reference the rate is 0.0 for an empty hypothesis and
    1.0 otherwise (the insertions are still counted)."""
    ref = normalise_text(reference).split()
    hyp = normalise_text(hypothesis).split()
    # Two rows of (cost, substitutions, deletions, insertions): row i holds the best alignment
    # of ref[:i] with hyp[:j] for every j.
    previous = [(j, 0, 0, j) for j in range(len(hyp) + 1)]
    for i, ref_word in enumerate(ref, start=1):
        current = [(i, 0, i, 0)]
        for j, hyp_word in enumerate(hyp, start=1):
            cost, s, d, n = previous[j - 1]
            diagonal = (cost, s, d, n) if ref_word == hyp_word else (cost + 1, s + 1, d, n)
            cost, s, d, n = previous[j]
            deletion = (cost + 1, s, d + 1, n)
            cost, s, d, n = current[j - 1]
            insertion = (cost + 1, s, d, n + 1)
            # Least cost; on a tie, a substitution before a deletion before an insertion.
            current.append(min(diagonal, deletion, insertion, key=lambda cell: cell[0]))
        previous = current
    errors, substitutions, deletions, insertions = previous[-1]
    if not ref:
        return (0.0 if not errors else 1.0), 0, 0, insertions, 0
    return errors / len(ref), substitutions, deletions, insertions, len(ref)
