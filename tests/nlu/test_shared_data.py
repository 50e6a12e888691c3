"""The classifier on the shared NLU data sets (../shared/data/nlu; skipped where it is absent).
Floors sit a little under the figures docs/nlu.md reports, so a regression fails here; the
issue's targets that are not reached yet are listed there, not asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlu.classifier import IntentClassifier, TrainingSettings, train

# The Snips tests measure the first look (its training time and accuracy): the second look's
# effect there is small and measured by bench/nlu_eval.py, and embedding 700 Snips examples
# would cost each run about 20 s twice.
FIRST_LOOK = TrainingSettings(meaning=False)

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "nlu"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

pytestmark = [pytest.mark.shared_data,
              pytest.mark.skipif(not DATA.exists(), reason=f"{DATA} is absent "
                                 "(../shared/data is not beside this checkout)")]


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def accuracy(model: IntentClassifier, rows: list[dict], threshold: float = 0.0) -> float:
    return 100 * sum(model.predict(r["text"], threshold=threshold).intent == r["intent"]
                     for r in rows) / len(rows)


@pytest.fixture(scope="module")
def ha() -> tuple[IntentClassifier, list[dict]]:
    return (train(read(DATA / "ha-intents-en-uk" / "train.jsonl")).classifier,
            read(DATA / "ha-intents-en-uk" / "test.jsonl"))


def test_home_assistant_english_reaches_its_target(ha) -> None:
    model, test = ha
    assert accuracy(model, [r for r in test if r["lang"] == "en"]) >= 95.5  # measured 96.5


def test_home_assistant_ukrainian_reaches_its_target(ha) -> None:
    model, test = ha
    # measured 81.5 with the second look (71.6 with the first look alone; the SVM + lemmas
    # baseline 70.4)
    assert accuracy(model, [r for r in test if r["lang"] == "uk"]) >= 75.0


def test_unrelated_messages_fall_back_and_in_scope_accuracy_holds(ha) -> None:
    model, test = ha
    oos = [r["text"] for r in read(FIXTURES / "out_of_scope.jsonl")]
    share = 100 * sum(model.predict(t).is_fallback for t in oos) / len(oos)
    assert share >= 85.0  # measured 95.7
    english = [r for r in test if r["lang"] == "en"]
    assert accuracy(model, english) - accuracy(model, english, model.threshold) <= 2.0


def test_snips_small_train_set_and_its_fallback() -> None:
    model = train(read(DATA / "snips2017" / "train_small.jsonl"), settings=FIRST_LOOK).classifier
    assert accuracy(model, read(DATA / "snips2017" / "test.jsonl")) >= 99.0  # measured 99.4
    oos = [r["text"] for r in read(FIXTURES / "out_of_scope.jsonl")]
    assert sum(model.predict(t).is_fallback for t in oos) / len(oos) >= 0.80


@pytest.mark.slow
def test_snips_full_train_set() -> None:
    result = train(read(DATA / "snips2017" / "train.jsonl"), settings=FIRST_LOOK)
    assert result.seconds < 30
    # measured 98.4 (SVM baseline 98.6; the target, 99.0, is not reached yet)
    assert accuracy(result.classifier, read(DATA / "snips2017" / "test.jsonl")) >= 98.0
