"""How well a trained intent classifier does on held-out test phrases: the numbers an author or
a maintainer needs to judge a model (and a change to the classifier) by, computed the same way
everywhere (`rozmova nlu evaluate`, the tests, reports in docs/nlu.md).

Two views of every test phrase, from one prediction each:

- **no threshold**: the best-ranked intent is the answer (what the model knows);
- **at the threshold**: a confidence below it is a fallback, and a fallback counts wrong for an
  in-scope phrase (what a person talking to the bot gets).

Out-of-scope phrases (ones no intent should take) are right when they fall back. Metrics are
computed by hand with Counters, so no scikit-learn is needed here; this module is for the
command line and tests only and is never imported by the server."""

from __future__ import annotations

import gc
import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nlu.classifier import IntentClassifier, IntentPrediction, TrainingResult
from nlu.meaning import ENCODER_INSTANCE

# Gold labels that mean "no intent should take this phrase".
OUT_OF_SCOPE_LABELS = frozenset({"oos", "out_of_scope"})
WARM_UP = 50           # predictions before timing starts (caches, lazy model parsing)
DEFAULT_TOP_CONFUSIONS = 10


@dataclass(frozen=True, slots=True)
class IntentScores:
    """One gold intent at the threshold: `predicted` = phrases routed to it (right or wrong),
    `fallbacks` = its own phrases that fell back."""
    intent: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int
    fallbacks: int


@dataclass(frozen=True, slots=True)
class Confusion:
    """`count` phrases of `gold` ranked `predicted` first (no threshold); `predicted` None:
    nothing in the phrase was known to the model."""
    gold: str
    predicted: str | None
    count: int


@dataclass(frozen=True, slots=True)
class OutOfScope:
    texts: int
    recall: float                          # share that fell back at the threshold
    in_scope_accuracy_at_threshold: float  # the other side of the trade-off
    overall_accuracy_at_threshold: float   # in-scope right + out-of-scope fallen back
    routed_to: tuple[tuple[str, int], ...]  # intents that took out-of-scope phrases, most first


@dataclass(frozen=True, slots=True)
class Latency:
    """Milliseconds per `predict` call."""
    p50: float
    p99: float
    max: float
    mean: float
    samples: int
    second_look: float = 0.0   # share of messages the first look was unsure of (nlu.meaning)
    first_look_p99: float = 0.0  # p99 of the messages that did not take the second look


@dataclass(frozen=True, slots=True)
class TrainingSummary:
    examples: int
    intents: int
    seconds: float
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(cls, result: TrainingResult, examples: int | None = None) -> TrainingSummary:
        stats = result.stats or {}
        return cls(examples=int(stats.get("examples", examples or 0)),
                   intents=len(result.classifier.intents), seconds=result.seconds,
                   warnings=tuple(f"{w.code}: {w.message}" for w in result.warnings))


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    threshold: float
    examples: int                  # in-scope test phrases
    accuracy: float
    accuracy_at_threshold: float
    macro_f1: float                # over the gold intents, no threshold
    macro_f1_at_threshold: float   # the same from the per-intent table
    fallbacks: int                 # in-scope phrases that fell back at the threshold
    per_intent: tuple[IntentScores, ...]
    confusions: tuple[Confusion, ...]      # every gold → other pair, most frequent first
    untrained_intents: tuple[str, ...]     # gold intents the model has never seen
    out_of_scope: OutOfScope | None
    latency: Latency
    training: TrainingSummary | None = None
    label: str = ""
    notes: tuple[str, ...] = field(default=())

    # -- output ------------------------------------------------------------------------------

    def to_dict(self, *, top_confusions: int | None = None) -> dict[str, Any]:
        confusions = self.confusions if top_confusions is None \
            else self.confusions[:max(top_confusions, 0)]
        data: dict[str, Any] = {
            "label": self.label or None,
            "threshold": self.threshold,
            "training": None if self.training is None else {
                "examples": self.training.examples, "intents": self.training.intents,
                "seconds": _round(self.training.seconds),
                "warnings": list(self.training.warnings)},
            "test_examples": self.examples,
            "accuracy": _round(self.accuracy),
            "accuracy_at_threshold": _round(self.accuracy_at_threshold),
            "macro_f1": _round(self.macro_f1),
            "macro_f1_at_threshold": _round(self.macro_f1_at_threshold),
            "fallbacks": self.fallbacks,
            "per_intent": [{"intent": s.intent, "precision": _round(s.precision),
                            "recall": _round(s.recall), "f1": _round(s.f1),
                            "support": s.support, "predicted": s.predicted,
                            "fallbacks": s.fallbacks} for s in self.per_intent],
            "confusions": [{"gold": c.gold, "predicted": c.predicted, "count": c.count}
                           for c in confusions],
            "untrained_intents": list(self.untrained_intents),
            "out_of_scope": None,
            "latency_ms": {"p50": _round(self.latency.p50), "p99": _round(self.latency.p99),
                           "max": _round(self.latency.max), "mean": _round(self.latency.mean),
                           "samples": self.latency.samples,
                           "second_look_share": _round(self.latency.second_look),
                           "first_look_only_p99": _round(self.latency.first_look_p99)},
            "notes": list(self.notes),
        }
        if self.out_of_scope is not None:
            oos = self.out_of_scope
            data["out_of_scope"] = {
                "texts": oos.texts, "recall": _round(oos.recall),
                "in_scope_accuracy_at_threshold": _round(oos.in_scope_accuracy_at_threshold),
                "overall_accuracy_at_threshold": _round(oos.overall_accuracy_at_threshold),
                "routed_to": [{"intent": name, "count": n} for name, n in oos.routed_to]}
        return data

    def to_json(self, *, top_confusions: int | None = None, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(top_confusions=top_confusions), ensure_ascii=False,
                          indent=indent)

    def to_markdown(self, *, top_confusions: int = DEFAULT_TOP_CONFUSIONS) -> str:
        """A report to read in a terminal or paste into docs: the headline numbers, the
        per-intent table (worst F1 first), the confusions, out of scope, latency."""
        lines: list[str] = []
        title = f"# Intent classifier: {self.label}" if self.label else "# Intent classifier"
        lines += [title, ""]
        if self.training is not None:
            t = self.training
            lines.append(f"Training: {t.examples:,} examples, {t.intents} intents, "
                         f"{t.seconds:.2f} s")
            if t.warnings:
                lines.append(f"Training warnings ({len(t.warnings)}):")
                lines += [f"- {_shorten(w)}" for w in t.warnings]
            lines.append("")
        lines += [
            f"Test: {self.examples:,} in-scope phrases, {len(self.per_intent)} intents; "
            f"threshold {self.threshold:g}",
            "",
            "| metric | no threshold | at threshold (fallback = wrong) |",
            "|---|---|---|",
            f"| accuracy | {_percent(self.accuracy)} | {_percent(self.accuracy_at_threshold)} |",
            f"| macro-F1 | {self.macro_f1:.3f} | {self.macro_f1_at_threshold:.3f} |",
            f"| fallbacks | — | {self.fallbacks:,} |",
            "",
        ]
        if self.untrained_intents:
            lines += ["Intents in the test set the model was never trained on: "
                      + ", ".join(self.untrained_intents), ""]
        lines += [f"## Per intent (at threshold {self.threshold:g}, worst first)", "",
                  "| intent | precision | recall | F1 | support | predicted | fallbacks |",
                  "|---|---|---|---|---|---|---|"]
        for s in sorted(self.per_intent, key=lambda s: (s.f1, s.intent)):
            lines.append(f"| {s.intent} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | "
                         f"{s.support} | {s.predicted} | {s.fallbacks} |")
        lines.append("")
        shown = self.confusions[:max(top_confusions, 0)]
        lines += [f"## Most frequent confusions (no threshold; {len(shown)} of "
                  f"{len(self.confusions)} pairs)", ""]
        if shown:
            lines += ["| gold | → predicted | count |", "|---|---|---|"]
            lines += [f"| {c.gold} | {c.predicted or '(nothing recognised)'} | {c.count} |"
                      for c in shown]
        else:
            lines.append("none")
        lines.append("")
        if self.out_of_scope is not None:
            oos = self.out_of_scope
            lines += ["## Out of scope", "",
                      f"- out-of-scope recall (fell back at {self.threshold:g}): "
                      f"{_percent(oos.recall)} of {oos.texts:,}",
                      f"- in-scope accuracy at the threshold: "
                      f"{_percent(oos.in_scope_accuracy_at_threshold)}",
                      f"- overall accuracy at the threshold (out of scope right when it falls "
                      f"back): {_percent(oos.overall_accuracy_at_threshold)}"]
            if oos.routed_to:
                lines.append("- taken by: " + ", ".join(f"{name} ({n})"
                                                        for name, n in oos.routed_to[:5]))
            lines.append("")
        lat = self.latency
        lines += ["## Latency", "",
                  f"per message ({lat.samples:,} predictions): p50 {lat.p50:.3f} ms, "
                  f"p99 {lat.p99:.3f} ms, max {lat.max:.3f} ms",
                  f"second look (the sentence encoder) taken by {_percent(lat.second_look)} "
                  f"of messages; p99 of the others {lat.first_look_p99:.3f} ms"]
        if self.notes:
            lines += ["", *[f"Note: {note}" for note in self.notes]]
        return "\n".join(lines) + "\n"


# -- computation ------------------------------------------------------------------------------

def is_out_of_scope_label(intent: object) -> bool:
    return intent is None or (isinstance(intent, str)
                              and intent.strip().lower() in OUT_OF_SCOPE_LABELS | {""})


def evaluate(classifier: IntentClassifier, test_rows: Iterable[Mapping[str, Any] | Any], *,
             threshold: float, out_of_scope_texts: Iterable[str] | None = None,
             training: TrainingResult | TrainingSummary | None = None, label: str = "",
             notes: Sequence[str] = ()) -> EvaluationReport:
    """Predicts every test phrase once (timed) and computes the report.

    `test_rows`: mappings (or objects) with `text` and `intent`; an intent that is None, "",
    "oos" or "out_of_scope" marks an out-of-scope phrase, as do `out_of_scope_texts`.
    Raises ValueError when there is no in-scope phrase to measure."""
    in_scope: list[tuple[str, str]] = []
    oos_texts: list[str] = []
    for row in test_rows:
        text, intent = _field(row, "text"), _field(row, "intent")
        text = text if isinstance(text, str) else ""
        if is_out_of_scope_label(intent):
            oos_texts.append(text)
        else:
            in_scope.append((text, str(intent).strip()))
    oos_texts.extend(t if isinstance(t, str) else "" for t in (out_of_scope_texts or ()))
    if not in_scope:
        raise ValueError("no in-scope test phrase to evaluate")

    texts = [text for text, _ in in_scope] + oos_texts
    predictions, samples, looked_again = _timed_predictions(classifier, texts, threshold)

    gold = [intent for _, intent in in_scope]
    top = [p.ranking[0][0] if p.ranking else None for p in predictions[:len(in_scope)]]
    routed = [p.intent for p in predictions[:len(in_scope)]]
    n = len(in_scope)
    accuracy = sum(g == p for g, p in zip(gold, top)) / n
    accuracy_at = sum(g == p for g, p in zip(gold, routed)) / n
    labels = sorted(set(gold))
    per_intent = _per_intent(labels, gold, routed)
    macro_plain = _macro_f1(labels, gold, top)
    macro_at = sum(s.f1 for s in per_intent) / len(per_intent)

    pairs = Counter((g, p) for g, p in zip(gold, top) if g != p)
    confusions = tuple(Confusion(g, p, count) for (g, p), count in
                       sorted(pairs.items(), key=lambda item: (-item[1], item[0][0],
                                                               item[0][1] or "")))
    known = set(classifier.intents)
    untrained = tuple(name for name in labels if name not in known)

    out_of_scope = None
    if oos_texts:
        oos_predictions = predictions[len(in_scope):]
        fell_back = sum(p.is_fallback for p in oos_predictions)
        taken = Counter(p.intent for p in oos_predictions if p.intent is not None)
        hits = sum(g == p for g, p in zip(gold, routed))
        out_of_scope = OutOfScope(
            texts=len(oos_texts), recall=fell_back / len(oos_texts),
            in_scope_accuracy_at_threshold=accuracy_at,
            overall_accuracy_at_threshold=(hits + fell_back) / (n + len(oos_texts)),
            routed_to=tuple(sorted(taken.items(), key=lambda item: (-item[1], item[0]))))

    ms = np.asarray(samples, dtype=np.float64) / 1e6
    again = np.asarray(looked_again, dtype=bool)
    latency = Latency(p50=float(np.percentile(ms, 50)), p99=float(np.percentile(ms, 99)),
                      max=float(ms.max()), mean=float(ms.mean()), samples=len(ms),
                      second_look=float(again.mean()),
                      first_look_p99=float(np.percentile(ms[~again], 99)) if (~again).any()
                      else 0.0)
    summary = TrainingSummary.of(training) if isinstance(training, TrainingResult) else training
    return EvaluationReport(
        threshold=threshold, examples=n, accuracy=accuracy, accuracy_at_threshold=accuracy_at,
        macro_f1=macro_plain, macro_f1_at_threshold=macro_at,
        fallbacks=sum(p is None for p in routed), per_intent=tuple(per_intent),
        confusions=confusions, untrained_intents=untrained, out_of_scope=out_of_scope,
        latency=latency, training=summary, label=label, notes=tuple(notes))


def _timed_predictions(classifier: IntentClassifier, texts: list[str], threshold: float
                       ) -> tuple[list[IntentPrediction], list[int], list[bool]]:
    """One prediction per text, each timed alone: after a warm-up (the model's arrays are
    parsed on first use, caches filled, as in a serving process) and a garbage collection, so
    a collection of the loading's garbage does not land on one measured message. The
    encoder's cache of embeddings is emptied first: the warm-up must not make the second look
    free for the messages it saw. Also tells, per text, whether the second look was taken."""
    for text in texts[:WARM_UP]:
        classifier.predict(text, threshold=threshold)
    gc.collect()
    predictions: list[IntentPrediction] = []
    samples: list[int] = []
    clock = time.perf_counter_ns
    predict = classifier.predict
    ENCODER_INSTANCE.forget()
    for text in texts:
        started = clock()
        prediction = predict(text, threshold=threshold)
        samples.append(clock() - started)
        predictions.append(prediction)
    return predictions, samples, [classifier.takes_second_look(text) for text in texts]


def _per_intent(labels: list[str], gold: list[str], predicted: list[str | None]
                ) -> list[IntentScores]:
    support = Counter(gold)
    routed = Counter(p for p in predicted if p is not None)
    hits = Counter(g for g, p in zip(gold, predicted) if g == p)
    fallbacks = Counter(g for g, p in zip(gold, predicted) if p is None)
    scores = []
    for name in labels:
        precision, recall, f1 = _prf(hits[name], routed[name], support[name])
        scores.append(IntentScores(name, precision, recall, f1, support[name], routed[name],
                                   fallbacks[name]))
    return scores


def _macro_f1(labels: list[str], gold: list[str], predicted: list[str | None]) -> float:
    routed = Counter(p for p in predicted if p is not None)
    hits = Counter(g for g, p in zip(gold, predicted) if g == p)
    support = Counter(gold)
    return sum(_prf(hits[name], routed[name], support[name])[2] for name in labels) / len(labels)


def _prf(hits: int, predicted: int, support: int) -> tuple[float, float, float]:
    """Precision, recall, F1; 0 where a denominator is 0 (scikit-learn's zero_division=0)."""
    precision = hits / predicted if predicted else 0.0
    recall = hits / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _field(row: Mapping[str, Any] | Any, name: str) -> Any:
    return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)


def _round(value: float) -> float:
    return round(float(value), 6)


def _percent(share: float) -> str:
    return f"{100 * share:.1f} %"


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
