"""A check-up of a bot's intents before it is published: which intents its own example phrases
tell apart, and which they confuse.

Each intent's phrases are split into folds; each fold is predicted by a model trained on the
others (cross-validation), so every phrase is judged by a model that has not seen it, as a
person's message would be. The report gives the share recognised per intent, the intents
each is taken for, and the phrases that went wrong: what an author fixes by rewording
phrases or adding some. The first look alone is trained (about a second per fold for a
thousand phrases); the second look only adds to what it finds."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nlu.classifier import TrainingSettings, train

FOLDS = 5
MAX_EXAMPLES = 3000   # a check costs FOLDS trainings of this many phrases at most
MAX_MISSES = 50


@dataclass(frozen=True, slots=True)
class IntentCheck:
    intent: str
    examples: int
    # Share of its phrases a model without them recognised; None: too few to hold any out.
    recognised: float | None
    taken_for: list[tuple[str, int]] = field(default_factory=list)  # (intent or "fallback", n)


@dataclass(frozen=True, slots=True)
class CheckReport:
    examples: int
    checked: int          # phrases held out and predicted
    folds: int
    accuracy: float | None
    intents: list[IntentCheck]
    misses: list[dict[str, Any]]   # {text, lang, intent, predicted, confidence}
    threshold: float

    def to_json(self) -> dict[str, Any]:
        return {
            "examples": self.examples, "checked": self.checked, "folds": self.folds,
            "accuracy": None if self.accuracy is None else round(self.accuracy, 4),
            "threshold": self.threshold,
            "intents": [{"intent": i.intent, "examples": i.examples,
                         "recognised": None if i.recognised is None else round(i.recognised, 4),
                         "taken_for": [{"intent": name, "count": n} for name, n in i.taken_for]}
                        for i in self.intents],
            "misses": self.misses,
        }


def check_intents(examples: Sequence[Mapping[str, str]], *, threshold: float = 0.5,
                  folds: int = FOLDS, seed: int = 0) -> CheckReport:
    """`examples`: rows {text, intent, lang}. A phrase below `threshold` counts as taken for
    `fallback`. Intents with one phrase are always trained on, never held out."""
    rows = [(str(r["text"]), str(r["intent"]), str(r.get("lang") or ""))
            for r in examples if str(r.get("text") or "").strip() and r.get("intent")]
    if len(rows) > MAX_EXAMPLES:
        raise ValueError(f"at most {MAX_EXAMPLES:,} phrases can be checked at once "
                         f"(these intents have {len(rows):,})")
    by_intent: dict[str, list[int]] = defaultdict(list)
    for index, (_, intent, _) in enumerate(rows):
        by_intent[intent].append(index)
    rng = random.Random(seed)
    fold_of: dict[int, int] = {}
    for intent in sorted(by_intent):
        members = by_intent[intent][:]
        if len(members) < 2:
            continue
        rng.shuffle(members)
        for position, index in enumerate(members):
            fold_of[index] = position % folds
    settings = TrainingSettings(meaning=False, threshold=threshold)
    taken: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[dict[str, Any]] = []
    right = checked = 0
    used_folds = max(fold_of.values(), default=-1) + 1
    for fold in range(used_folds):
        held = [i for i, f in fold_of.items() if f == fold]
        if not held:
            continue
        training = [{"text": t, "intent": n, "lang": lang}
                    for i, (t, n, lang) in enumerate(rows) if fold_of.get(i) != fold]
        model = train(training, settings=settings).classifier
        for index in held:
            text, intent, lang = rows[index]
            prediction = model.predict(text, threshold=threshold, second_look=False)
            predicted = prediction.intent or "fallback"
            checked += 1
            taken[intent][predicted] += 1
            if predicted == intent:
                right += 1
            elif len(misses) < MAX_MISSES:
                misses.append({"text": text, "lang": lang, "intent": intent,
                               "predicted": prediction.intent,
                               "confidence": round(prediction.confidence, 4)})
    checks = []
    for intent in sorted(by_intent):
        counts = taken.get(intent, Counter())
        held_out = sum(counts.values())
        checks.append(IntentCheck(
            intent=intent, examples=len(by_intent[intent]),
            recognised=counts[intent] / held_out if held_out else None,
            taken_for=sorted(((name, n) for name, n in counts.items() if name != intent),
                             key=lambda pair: (-pair[1], pair[0]))))
    # The worst first: what the author should look at.
    checks.sort(key=lambda c: (c.recognised is None, c.recognised or 0.0, c.intent))
    return CheckReport(examples=len(rows), checked=checked, folds=used_folds,
                       accuracy=right / checked if checked else None, intents=checks,
                       misses=misses, threshold=threshold)
