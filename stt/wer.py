"""Word error rate: how far a transcript is from its reference, in words.

Both texts are normalised first (`normalise_text`): lower case, punctuation and symbols gone,
apostrophes inside words kept (all their variants written as one: Ukrainian `п'ять`, `п’ять`
and `пʼять` are the same word), whitespace collapsed. Nothing else is rewritten: in particular
numbers are compared as written, so digits against words count as errors ("10" against "ten",
"oh" against "zero" when a reference spells a digit string the way its speaker said it). Such
errors are real differences of form, not always of recognition; reports show them as they are
rather than hiding them behind a number normaliser. A separator inside a number is punctuation
like any other: "3.5" and "3,5" both become the two words "3 5".

`wer` aligns the two word sequences by Levenshtein distance (substitutions, deletions and
insertions each cost one) and returns the rate with its parts, so corpus figures can be summed:
corpus WER = total errors / total reference words."""

from __future__ import annotations

import unicodedata

# Apostrophe look-alikes, all written as U+0027. Ukrainian text uses U+02BC (the official
# apostrophe), U+2019 and U+0027 interchangeably.
APOSTROPHES = "'\u2019\u02bc\u2018\u0060\u00b4\u2032\u02b9\uff07"
_TO_APOSTROPHE = str.maketrans({char: "'" for char in APOSTROPHES})


def normalise_text(text: str) -> str:
    """Lower case, no punctuation or symbols (apostrophes inside words kept, as `'`), one space
    between words. Digits are kept as they are."""
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
