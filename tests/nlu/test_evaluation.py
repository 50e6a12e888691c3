"""nlu/evaluation.py on a hand-made example whose metrics are worked out below by hand, and
`rozmova nlu evaluate` on a small bilingual data set written in tmp_path: the numbers it prints
and its --json, and a clear exit 2 for a missing folder or a malformed line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlu.classifier import IntentPrediction, train
from nlu.cli import app
from nlu.evaluation import EvaluationReport, evaluate


class StubClassifier:
    """Answers from a table: text → (best intent, confidence); None: nothing recognised."""

    def __init__(self, table: dict[str, tuple[str, float] | None],
                 intents: tuple[str, ...] = ("A", "B", "C")) -> None:
        self.table = table
        self.intents = intents

    def predict(self, text: str, *, threshold: float | None = None) -> IntentPrediction:
        answer = self.table[text]
        if answer is None:
            return IntentPrediction(None, 0.0, ())
        intent, confidence = answer
        limit = 0.5 if threshold is None else threshold
        return IntentPrediction(intent if confidence >= limit else None, confidence,
                                ((intent, confidence),))

    def takes_second_look(self, text: str) -> bool:
        """As if a first look was sure from 0.8 up."""
        answer = self.table[text]
        return answer is None or answer[1] < 0.8


# gold, best intent (no threshold), confidence
TABLE = {"a1": ("A", 0.9), "a2": ("A", 0.4), "a3": ("B", 0.8), "b1": ("B", 0.9),
         "b2": ("A", 0.6), "c1": ("C", 0.7), "c2": None, "o1": ("A", 0.3), "o2": ("B", 0.7)}
ROWS = [{"text": "a1", "intent": "A"}, {"text": "a2", "intent": "A"},
        {"text": "a3", "intent": "A"}, {"text": "b1", "intent": "B"},
        {"text": "b2", "intent": "B"}, {"text": "c1", "intent": "C"},
        {"text": "c2", "intent": "C"}]


@pytest.fixture()
def report() -> EvaluationReport:
    return evaluate(StubClassifier(TABLE), ROWS, threshold=0.5, out_of_scope_texts=["o1", "o2"])


def test_metrics_without_a_threshold_match_the_hand_computation(report: EvaluationReport) -> None:
    # best intents: A A B B A C –; right: a1 a2 b1 c1
    assert report.examples == 7
    assert report.accuracy == pytest.approx(4 / 7)
    # A: predicted 3 (a1 a2 b2), right 2 → P 2/3, R 2/3, F1 2/3
    # B: predicted 2 (a3 b1), right 1 → P 1/2, R 1/2, F1 1/2
    # C: predicted 1 (c1), right 1 → P 1, R 1/2, F1 2/3
    assert report.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 2 / 3) / 3)  # 11/18
    assert [(c.gold, c.predicted, c.count) for c in report.confusions] == [
        ("A", "B", 1), ("B", "A", 1), ("C", None, 1)]


def test_metrics_at_the_threshold_count_a_fallback_wrong(report: EvaluationReport) -> None:
    # routed at 0.5: A – B B A C –; right: a1 b1 c1
    assert report.accuracy_at_threshold == pytest.approx(3 / 7)
    assert report.fallbacks == 2
    scores = {s.intent: s for s in report.per_intent}
    # A: routed to A twice (a1 b2), right once, 3 gold → P 1/2, R 1/3, F1 2/5
    assert (scores["A"].precision, scores["A"].recall, scores["A"].f1) == pytest.approx(
        (1 / 2, 1 / 3, 2 / 5))
    assert (scores["A"].support, scores["A"].predicted, scores["A"].fallbacks) == (3, 2, 1)
    assert (scores["B"].precision, scores["B"].recall, scores["B"].f1) == pytest.approx(
        (1 / 2, 1 / 2, 1 / 2))
    assert (scores["C"].precision, scores["C"].recall, scores["C"].f1) == pytest.approx(
        (1.0, 1 / 2, 2 / 3))
    assert scores["C"].fallbacks == 1
    assert report.macro_f1_at_threshold == pytest.approx((2 / 5 + 1 / 2 + 2 / 3) / 3)  # 47/90


def test_out_of_scope_recall_and_in_scope_accuracy(report: EvaluationReport) -> None:
    oos = report.out_of_scope
    assert oos is not None
    assert oos.texts == 2
    assert oos.recall == pytest.approx(1 / 2)  # o1 falls back (0.3), o2 goes to B (0.7)
    assert oos.in_scope_accuracy_at_threshold == pytest.approx(3 / 7)
    assert oos.overall_accuracy_at_threshold == pytest.approx((3 + 1) / 9)
    assert oos.routed_to == (("B", 1),)


def test_latency_is_measured_for_every_prediction(report: EvaluationReport) -> None:
    assert report.latency.samples == 9
    assert 0 <= report.latency.p50 <= report.latency.p99 <= report.latency.max
    # a2, b2, c1, c2 (nothing recognised), o1, o2 of the 9 texts.
    assert report.latency.second_look == pytest.approx(6 / 9)
    assert 0 <= report.latency.first_look_p99 <= report.latency.max
    assert "second look (the sentence encoder) taken by 66.7 %" in report.to_markdown()


def test_out_of_scope_rows_in_the_test_set_and_untrained_intents() -> None:
    rows = [*ROWS, {"text": "o1", "intent": None}, {"text": "o2", "intent": "oos"}]
    report = evaluate(StubClassifier(TABLE, intents=("A", "B")), rows, threshold=0.5)
    assert report.examples == 7
    assert report.out_of_scope is not None and report.out_of_scope.texts == 2
    assert report.untrained_intents == ("C",)
    without = evaluate(StubClassifier(TABLE), ROWS, threshold=0.5)
    assert without.out_of_scope is None


def test_a_lower_threshold_lets_more_through() -> None:
    report = evaluate(StubClassifier(TABLE), ROWS, threshold=0.0,
                      out_of_scope_texts=["o1", "o2"])
    assert report.accuracy_at_threshold == pytest.approx(report.accuracy)
    assert report.out_of_scope is not None and report.out_of_scope.recall == 0.0


def test_nothing_in_scope_is_refused() -> None:
    with pytest.raises(ValueError, match="no in-scope"):
        evaluate(StubClassifier(TABLE), [{"text": "o1", "intent": "out_of_scope"}],
                 threshold=0.5)


def test_json_and_markdown_renderings(report: EvaluationReport) -> None:
    data = json.loads(report.to_json(top_confusions=2))
    assert data["accuracy"] == round(4 / 7, 6)
    assert data["macro_f1_at_threshold"] == round(47 / 90, 6)
    assert len(data["confusions"]) == 2
    assert data["out_of_scope"]["recall"] == 0.5
    assert set(data["latency_ms"]) == {"p50", "p99", "max", "mean", "samples",
                                       "second_look_share", "first_look_only_p99"}
    assert data["latency_ms"]["second_look_share"] == round(6 / 9, 6)
    text = report.to_markdown(top_confusions=1)
    assert "| accuracy | 57.1 % | 42.9 % |" in text
    assert "| macro-F1 | 0.611 | 0.522 |" in text
    assert "| A | 0.500 | 0.333 | 0.400 | 3 | 2 | 1 |" in text
    assert "| A | B | 1 |" in text and "| B | A | 1 |" not in text
    assert "out-of-scope recall (fell back at 0.5): 50.0 % of 2" in text


# -- the command ----------------------------------------------------------------------------

TRAIN = [
    ("увімкни світло на кухні", "lights_on", "uk"),
    ("ввімкни лампу у вітальні", "lights_on", "uk"), ("включи світло", "lights_on", "uk"),
    ("turn on the kitchen light", "lights_on", "en"), ("switch the lamp on", "lights_on", "en"),
    ("lights on please", "lights_on", "en"), ("вимкни світло на кухні", "lights_off", "uk"),
    ("вимкни лампу", "lights_off", "uk"), ("виключи світло у спальні", "lights_off", "uk"),
    ("turn off the kitchen light", "lights_off", "en"),
    ("switch the lamp off", "lights_off", "en"), ("lights off please", "lights_off", "en"),
    ("яка погода завтра", "weather", "uk"), ("чи буде дощ у Києві", "weather", "uk"),
    ("прогноз погоди на вихідні", "weather", "uk"),
    ("what's the weather tomorrow", "weather", "en"), ("will it rain in Kyiv", "weather", "en"),
    ("weather forecast for the weekend", "weather", "en"),
    ("постав таймер на 5 хвилин", "timer", "uk"), ("таймер на 10 хвилин", "timer", "uk"),
    ("запусти таймер на годину", "timer", "uk"), ("set a timer for 5 minutes", "timer", "en"),
    ("start a ten minute timer", "timer", "en"), ("timer for one hour", "timer", "en"),
]
TEST = [
    ("увімкни світло в спальні", "lights_on", "uk"),
    ("вимкніть, будь ласка, лампу", "lights_off", "uk"),
    ("яка буде погода в суботу", "weather", "uk"), ("постав таймер на 20 хвилин", "timer", "uk"),
    ("turn on the light in the bedroom", "lights_on", "en"),
    ("what is the weather in Lviv", "weather", "en"),
    ("set a timer for twenty minutes", "timer", "en"), ("turn the lamp off", "lights_off", "en"),
    ("is it going to snow", "weather", "en"),
]
OUT_OF_SCOPE = [("How do I renew my passport?", "en"), ("Як оновити паспорт?", "uk"),
                ("What is the capital of Australia?", "en")]


def _rows(items: list[tuple[str, str, str]]) -> list[dict]:
    return [{"text": t, "intent": i, "lang": lang, "entities": []} for t, i, lang in items]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


@pytest.fixture()
def dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "lights"
    folder.mkdir()
    _write(folder / "train.jsonl", _rows(TRAIN))
    _write(folder / "test.jsonl", _rows(TEST))
    _write(tmp_path / "oos.jsonl", [{"text": t, "lang": lang} for t, lang in OUT_OF_SCOPE])
    return folder


def _expected(lang: str | None, oos: list[str] | None = None) -> EvaluationReport:
    test = [r for r in _rows(TEST) if lang is None or r["lang"] == lang]
    return evaluate(train(_rows(TRAIN)).classifier, test, threshold=0.5,
                    out_of_scope_texts=oos)


def test_command_json_has_the_numbers_of_the_library(dataset: Path) -> None:
    oos_file = dataset.parent / "oos.jsonl"
    result = CliRunner().invoke(app, ["evaluate", str(dataset), "--lang", "en", "--json",
                                      "--out-of-scope", str(oos_file)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # JSON only on stdout; progress went to stderr
    expected = _expected("en", [t for t, lang in OUT_OF_SCOPE if lang == "en"])
    assert data["test_examples"] == 5
    assert data["training"]["examples"] == len(TRAIN)
    assert data["training"]["intents"] == 4
    assert data["accuracy"] == round(expected.accuracy, 6)
    assert data["accuracy_at_threshold"] == round(expected.accuracy_at_threshold, 6)
    assert data["macro_f1"] == round(expected.macro_f1, 6)
    assert [s["intent"] for s in data["per_intent"]] == ["lights_off", "lights_on", "timer",
                                                         "weather"]
    assert sum(s["support"] for s in data["per_intent"]) == 5
    assert data["out_of_scope"]["texts"] == 2  # the English two of the three
    assert data["out_of_scope"]["recall"] == round(expected.out_of_scope.recall, 6)
    assert data["latency_ms"]["samples"] == 7
    assert "training on 24 examples" in result.stderr


def test_command_prints_a_readable_report_per_language(dataset: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", str(dataset), "--lang", "uk"])
    assert result.exit_code == 0, result.output
    expected = _expected("uk")
    out = result.stdout
    assert "# Intent classifier: lights (uk)" in out
    assert "Training: 24 examples, 4 intents" in out
    assert "Test: 4 in-scope phrases, 4 intents; threshold 0.5" in out
    assert (f"| accuracy | {100 * expected.accuracy:.1f} % | "
            f"{100 * expected.accuracy_at_threshold:.1f} % |") in out
    assert f"| macro-F1 | {expected.macro_f1:.3f} |" in out
    assert "## Per intent" in out and "## Latency" in out and "p99" in out
    assert "## Out of scope" not in out


def test_command_with_train_and_test_files_and_every_language(dataset: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "--train", str(dataset / "train.jsonl"),
                                      "--test", str(dataset / "test.jsonl"), "--json",
                                      "--threshold", "0.0"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["test_examples"] == len(TEST)
    assert data["threshold"] == 0.0
    assert data["accuracy_at_threshold"] == data["accuracy"]


def test_missing_folder_exits_2_with_a_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such data set folder" in result.stderr
    assert "Traceback" not in result.output


def test_missing_test_file_exits_2(dataset: Path) -> None:
    (dataset / "test.jsonl").unlink()
    result = CliRunner().invoke(app, ["evaluate", str(dataset)])
    assert result.exit_code == 2
    assert "no such test file" in result.stderr


@pytest.mark.parametrize(("line", "message"), [
    ("this is not json", "not valid JSON"),
    ('{"intent": "timer"}', 'no "text" string'),
    ('["a list"]', "expected a JSON object"),
    ('{"text": "hi", "intent": 5}', '"intent" must be a string or null'),
])
def test_malformed_line_exits_2_naming_file_and_line(dataset: Path, line: str,
                                                     message: str) -> None:
    path = dataset / "test.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(dataset)])
    assert result.exit_code == 2
    assert f"{path}:3: {message}" in result.stderr
    assert "Traceback" not in result.output


def test_a_language_with_no_test_rows_is_named(dataset: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", str(dataset), "--lang", "de"])
    assert result.exit_code == 2
    assert "no test row in language 'de'" in result.stderr
    assert "en (5), uk (4)" in result.stderr


def test_the_command_is_mounted_as_rozmova_nlu() -> None:
    from gateway.cli import app as rozmova

    result = CliRunner().invoke(rozmova, ["nlu", "--help"])
    assert result.exit_code == 0
    assert "evaluate" in result.stdout and "import" in result.stdout
