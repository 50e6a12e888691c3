"""What the NLU costs per message on the chat path: the reading of every person's text
(language and sentiment, `nlu.insight.read_message`, inline on the event loop) and entity
extraction (the `entities` block and inputs with an entity, in a worker thread), p50/p99/max
per message after warm-up, on real chat texts of both languages.

    .venv/bin/python bench/nlu_message.py

Texts: the HA intents and Snips test sets (../shared/data/nlu), the project's out-of-scope
and sentiment fixtures, when present; otherwise the fixtures alone."""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlu.entities import EntityExtractor  # noqa: E402
from nlu.insight import preload, read_message  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "nlu"
FIXTURES = ROOT / "tests" / "nlu" / "fixtures"


def texts() -> list[str]:
    paths = [DATA / "ha-intents-en-uk" / "test.jsonl", DATA / "snips2017" / "test.jsonl",
             FIXTURES / "out_of_scope.jsonl", FIXTURES / "sentiment.jsonl"]
    out = []
    for path in paths:
        if path.exists():
            out += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()
                    if line.strip()]
    return out


def timed(action, items: list[str], rounds: int = 3) -> np.ndarray:
    for item in items[:50]:
        action(item)
    gc.collect()
    samples = []
    for _ in range(rounds):
        for item in items:
            started = time.perf_counter_ns()
            action(item)
            samples.append(time.perf_counter_ns() - started)
    return np.asarray(samples) / 1e6


def show(name: str, samples: np.ndarray) -> None:
    print(f"| {name} | {len(samples)} | {np.percentile(samples, 50):.3f} | "
          f"{np.percentile(samples, 99):.3f} | {samples.max():.2f} |")


def main() -> None:
    items = texts()
    started = time.perf_counter()
    preload()
    print(f"preload (language models, lexicons, dictionaries): "
          f"{time.perf_counter() - started:.2f} s; {len(items)} texts, "
          f"{np.mean([len(t) for t in items]):.0f} characters on average")
    extractor = EntityExtractor([
        {"name": "city", "kind": "list", "values": [
            {"value": "Kyiv", "synonyms": {"uk": ["Київ"], "en": ["Kyiv", "Kiev"]}},
            {"value": "Lviv", "synonyms": {"uk": ["Львів"], "en": ["Lviv"]}}]},
        {"name": "order_id", "kind": "regex", "pattern": "[A-Z]{2}-?\\d{6}"}])
    print("\n| per message | n | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|")
    show("read_message (language + sentiment)", timed(
        lambda t: read_message(t, languages=("uk", "en"), language="uk"), items))
    show("language only", timed(
        lambda t: read_message(t, languages=("uk", "en"), language="uk", sentiment=False),
        items))
    show("sentiment only", timed(
        lambda t: read_message(t, languages=("uk", "en"), language="uk",
                               detect_language=False), items))
    show("entities (all built-ins and two of the bot's)", timed(
        lambda t: extractor.extract(t, "uk"), items))


if __name__ == "__main__":
    main()
