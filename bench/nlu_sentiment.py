"""Sentiment (nlu/sentiment.py) and language detection (nlu/language.py) on the project's own
labelled chat messages: accuracy and macro-F1 per language, latency per message, the cost of
the first call, and the language detector's memory.

    .venv/bin/python bench/nlu_sentiment.py            # five timing rounds
    .venv/bin/python bench/nlu_sentiment.py --quick    # one

Messages: tests/nlu/fixtures/sentiment.jsonl (written for the project; its README says how).
"dev" rows were written before the lexicon and looked at while it was written, so their figures
flatter it; "holdout" rows were written after it was frozen and are the honest estimate for
new messages. English is also scored by plain VADER (its compound, ±0.05) for comparison."""

from __future__ import annotations

import argparse
import gc
import json
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlu import language as nlu_language  # noqa: E402
from nlu import sentiment as nlu_sentiment  # noqa: E402

FIXTURE = ROOT / "tests" / "nlu" / "fixtures" / "sentiment.jsonl"
LABELS = ("negative", "neutral", "positive")
THRESHOLDS = (0.05, 0.1, 0.2)


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return 100.0 * sum(scores) / len(scores)


def accuracy(truth: list[str], predicted: list[str]) -> float:
    return 100.0 * sum(t == p for t, p in zip(truth, predicted)) / len(truth)


def timed(function, items: list[tuple], rounds: int) -> np.ndarray:
    samples = []
    gc.collect()
    for _ in range(rounds):
        for args in items:
            started = time.perf_counter_ns()
            function(*args)
            samples.append(time.perf_counter_ns() - started)
    return np.asarray(samples) / 1e3


def percentiles(samples: np.ndarray) -> str:
    return (f"p50 {np.percentile(samples, 50):.0f} µs, p99 {np.percentile(samples, 99):.0f} µs, "
            f"max {samples.max():.0f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one timing round instead of five")
    args = parser.parse_args()
    rounds = 1 if args.quick else 5
    print("$ .venv/bin/python bench/nlu_sentiment.py "
          + " ".join(shlex.quote(a) for a in sys.argv[1:]))
    rows = read(FIXTURE)
    process = psutil.Process()

    # -- first calls: what loading costs ----------------------------------------------------
    rss = process.memory_info().rss
    started = time.perf_counter()
    nlu_sentiment.analyse_sentiment("дякую", "uk")
    uk_first = time.perf_counter() - started
    started = time.perf_counter()
    nlu_sentiment.analyse_sentiment("thanks", "en")
    en_first = time.perf_counter() - started
    sentiment_mb = (process.memory_info().rss - rss) / 1e6
    rss = process.memory_info().rss
    started = time.perf_counter()
    nlu_language.preload()
    preload = time.perf_counter() - started
    detector_mb = (process.memory_info().rss - rss) / 1e6
    print(f"first call: Ukrainian sentiment {uk_first * 1e3:.0f} ms (pymorphy3, lexicon), "
          f"English {en_first * 1e3:.0f} ms (VADER); both +{sentiment_mb:.0f} MB RSS")
    print(f"language detector for {', '.join(nlu_language.DEFAULT_CANDIDATES)}: built in "
          f"{preload:.2f} s, +{detector_mb:.0f} MB RSS (models preloaded)")

    # -- sentiment accuracy -------------------------------------------------------------------
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    print()
    at = " / ±".join(map(str, THRESHOLDS))
    print(f"| messages | n | accuracy | macro-F1 | accuracy at ±{at} |")
    print("|---|---|---|---|---|")
    for lang in ("uk", "en"):
        for split in ("dev", "holdout", "all"):
            subset = [r for r in rows if r["lang"] == lang and split in ("all", r["split"])]
            truth = [r["label"] for r in subset]
            scores = [nlu_sentiment.analyse_sentiment(r["text"], lang).score for r in subset]
            predicted = [nlu_sentiment.label(s).label for s in scores]
            by_threshold = " / ".join(
                f"{accuracy(truth, [nlu_sentiment.label(s, t).label for s in scores]):.1f}"
                for t in THRESHOLDS)
            print(f"| {lang} {split} | {len(subset)} | {accuracy(truth, predicted):.1f} % | "
                  f"{macro_f1(truth, predicted):.1f} | {by_threshold} |")
            if lang == "en":
                plain = [nlu_sentiment.label(vader.polarity_scores(r["text"])["compound"]).label
                         for r in subset]
                print(f"| en {split}, plain VADER | {len(subset)} | "
                      f"{accuracy(truth, plain):.1f} % | {macro_f1(truth, plain):.1f} | |")

    # -- language detection on the same messages ---------------------------------------------
    print()
    print("| language detection | n | default candidates | candidates uk, en |")
    print("|---|---|---|---|")
    for lang in ("uk", "en"):
        texts = [r["text"] for r in rows if r["lang"] == lang]
        default = [nlu_language.detect_language(t).language for t in texts]
        pair = [nlu_language.detect_language(t, candidates=("uk", "en")).language for t in texts]
        # emoji-only messages have no language: counted as right when the answer is None
        expected = [lang if any(c.isalpha() for c in t) else None for t in texts]
        print(f"| {lang} | {len(texts)} | {accuracy(expected, default):.1f} % | "
              f"{accuracy(expected, pair):.1f} % |")

    # -- latency ------------------------------------------------------------------------------
    print()
    for lang in ("uk", "en"):
        items = [(r["text"], lang) for r in rows if r["lang"] == lang]
        nlu_sentiment._keys.cache_clear()
        cold = timed(nlu_sentiment.analyse_sentiment, items, 1)
        warm = timed(nlu_sentiment.analyse_sentiment, items, rounds)
        note = f"; lemma cache cold: {percentiles(cold)}" if lang == "uk" else ""
        print(f"sentiment {lang}, {len(warm)} calls after warm-up: {percentiles(warm)}{note}")
    texts = [(r["text"],) for r in rows]
    detection = timed(nlu_language.detect_language, texts, rounds)
    print(f"language detection, {len(detection)} calls: {percentiles(detection)}")
    for name, text, lang in (("Ukrainian", "жахливий сервіс, " * 700, "uk"),
                             ("English", "terrible service, " * 700, "en")):
        nlu_sentiment.analyse_sentiment(text, lang)
        started = time.perf_counter()
        nlu_sentiment.analyse_sentiment(text, lang)
        print(f"sentiment of a {len(text)}-character {name} message (first "
              f"{nlu_sentiment.MAX_CHARS} count): {(time.perf_counter() - started) * 1e3:.2f} ms")
    text = "де моє замовлення, я вже тиждень чекаю. " * 260
    started = time.perf_counter()
    nlu_language.detect_language(text)
    print(f"language of a {len(text)}-character message (first {nlu_language.MAX_CHARS} count): "
          f"{(time.perf_counter() - started) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
