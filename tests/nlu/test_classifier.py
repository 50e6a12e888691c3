"""The intent classifier on small examples of its own, in Ukrainian and English: training,
prediction, fallback, storage, bad input, warnings about weak training data."""

from __future__ import annotations

import numpy as np
import pytest

from nlu.classifier import (DEFAULT_THRESHOLD, IntentClassifier, ModelFormatError,
                            TrainingExample, TrainingSettings, train)

EXAMPLES = [
    ("увімкни світло на кухні", "lights_on", "uk"), ("ввімкни лампу у вітальні", "lights_on", "uk"),
    ("включи світло", "lights_on", "uk"), ("turn on the kitchen light", "lights_on", "en"),
    ("switch the lamp on", "lights_on", "en"), ("lights on please", "lights_on", "en"),
    ("вимкни світло на кухні", "lights_off", "uk"), ("вимкни лампу", "lights_off", "uk"),
    ("виключи світло у спальні", "lights_off", "uk"), ("turn off the kitchen light", "lights_off", "en"),
    ("switch the lamp off", "lights_off", "en"), ("lights off please", "lights_off", "en"),
    ("яка погода завтра", "weather", "uk"), ("чи буде дощ у Києві", "weather", "uk"),
    ("прогноз погоди на вихідні", "weather", "uk"), ("what's the weather tomorrow", "weather", "en"),
    ("will it rain in Kyiv", "weather", "en"), ("weather forecast for the weekend", "weather", "en"),
    ("постав таймер на 5 хвилин", "timer", "uk"), ("таймер на 10 хвилин", "timer", "uk"),
    ("запусти таймер на годину", "timer", "uk"), ("set a timer for 5 minutes", "timer", "en"),
    ("start a ten minute timer", "timer", "en"), ("timer for one hour", "timer", "en"),
]


@pytest.fixture(scope="module")
def model() -> IntentClassifier:
    result = train([TrainingExample(*row) for row in EXAMPLES], languages=["uk", "en"])
    assert result.warnings == ()
    return result.classifier


@pytest.mark.parametrize(("text", "intent"), [
    ("увімкни світло в спальні", "lights_on"), ("вимкніть, будь ласка, лампу", "lights_off"),
    ("яка буде погода в суботу", "weather"), ("постав таймер на 20 хвилин", "timer"),
    ("turn on the light in the bedroom", "lights_on"), ("what is the weather in Lviv", "weather"),
    ("set a timer for twenty minutes", "timer"), ("turn the lamp off", "lights_off"),
])
def test_it_recognises_new_phrasings_in_both_languages(model: IntentClassifier, text: str,
                                                       intent: str) -> None:
    prediction = model.predict(text, threshold=0.0)
    assert prediction.intent == intent
    assert prediction.ranking[0][0] == intent
    assert 0.0 < prediction.confidence <= 1.0


def test_ranking_lists_the_best_intents_first(model: IntentClassifier) -> None:
    prediction = model.predict("вимкни світло", top_n=4)
    assert [name for name, _ in prediction.ranking][0] == "lights_off"
    assert len(prediction.ranking) == 4
    confidences = [c for _, c in prediction.ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert model.intents == ("lights_off", "lights_on", "timer", "weather")


def test_below_the_threshold_it_falls_back_with_the_ranking(model: IntentClassifier) -> None:
    prediction = model.predict("увімкни світло", threshold=1.01)
    assert prediction.is_fallback and prediction.intent is None
    assert prediction.ranking[0][0] == "lights_on"  # the candidates are still there
    assert model.predict("увімкни світло", threshold=0.0).intent == "lights_on"


@pytest.mark.parametrize("text", [
    "Скільки коштує квиток на потяг до Львова?", "How do I renew my passport?",
    "asdf qwer zxcv", "Der Hund schläft im Garten",
])
def test_unrelated_messages_fall_back_at_the_default_threshold(model: IntentClassifier,
                                                               text: str) -> None:
    prediction = model.predict(text)
    assert prediction.is_fallback, prediction
    assert prediction.confidence < DEFAULT_THRESHOLD


@pytest.mark.parametrize("text", [
    "", "   ", "😀🎉👍", "!!!???", "a" * 10_000, "увімкни світло " * 700, "turn on світло 💡",
    "включи свет на кухне", "打开厨房的灯", "\x00\x01\u200b", "🇺🇦" * 50, None, 42,
])
def test_bad_input_gives_a_result_never_an_error(model: IntentClassifier, text) -> None:
    prediction = model.predict(text)
    assert 0.0 <= prediction.confidence <= 1.0
    assert prediction.intent is None or prediction.intent in model.intents


def test_empty_and_emoji_messages_fall_back_with_no_confidence(model: IntentClassifier) -> None:
    for text in ("", "😀🎉", "   "):
        assert model.predict(text) == model.predict("") and model.predict(text).confidence == 0.0


def test_storage_round_trip_gives_identical_scores(model: IntentClassifier) -> None:
    blob = model.to_bytes()
    assert blob[:2] == b"PK"  # a numpy .npz: plain arrays, no pickle
    loaded = IntentClassifier.from_bytes(blob)
    for text, _, _ in EXAMPLES + [("щось зовсім інше", "", ""), ("lamp", "", "")]:
        a, b = model.scores(text), loaded.scores(text)
        assert (a is None and b is None) or np.array_equal(a, b)
        assert model.predict(text) == loaded.predict(text)
    assert loaded.to_bytes() == blob
    assert loaded.threshold == model.threshold and loaded.languages == ("en", "uk")


def test_loading_is_lazy_and_refuses_what_is_not_a_model() -> None:
    lazy = IntentClassifier.from_bytes(b"not a model")  # nothing parsed yet
    with pytest.raises(ModelFormatError):
        lazy.predict("hello")
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("meta.npy", b"junk")
    with pytest.raises(ModelFormatError):
        IntentClassifier.from_bytes(buffer.getvalue()).load()


def test_training_is_deterministic() -> None:
    rows = [TrainingExample(*row) for row in EXAMPLES]
    assert train(rows).classifier.to_bytes() == train(list(rows)).classifier.to_bytes()


def test_weak_training_data_is_named_in_warnings_and_still_trains() -> None:
    rows = [dict(text=t, intent=i, lang=l) for t, i, l in EXAMPLES]
    rows += [{"text": "привіт", "intent": "greeting", "lang": "uk"},          # one example
             {"text": "Вимкни лампу!", "intent": "timer", "lang": "uk"},      # also lights_off
             {"text": "", "intent": "weather", "lang": "en"},                 # nothing to learn
             {"text": "hello", "intent": "", "lang": "en"},                   # no intent
             {"text": "good morning", "intent": "greeting", "lang": ""}]      # no language
    result = train(rows, languages=["uk", "en", "pl"])
    codes = {w.code: w for w in result.warnings}
    # "greeting" has two examples here (one without a language): no single_example warning
    assert set(codes) == {"skipped_examples", "example_without_language",
                          "duplicate_across_intents", "empty_language"}
    assert codes["duplicate_across_intents"].intents == ("lights_off", "timer")
    assert "вимкни лампу" in codes["duplicate_across_intents"].message
    assert codes["empty_language"].languages == ("pl",)
    assert "2 example(s)" in codes["skipped_examples"].message
    assert result.classifier.predict("увімкни світло", threshold=0).intent == "lights_on"


def test_one_example_intent_is_warned_about() -> None:
    rows = [TrainingExample(*row) for row in EXAMPLES] + [TrainingExample("привіт", "greeting", "uk")]
    result = train(rows)
    assert [w.intents for w in result.warnings if w.code == "single_example"] == [("greeting",)]
    assert result.classifier.predict("привіт", threshold=0).intent == "greeting"


@pytest.mark.parametrize("rows", [
    [], [{"text": "", "intent": "a"}], [{"text": None, "intent": None, "lang": 5}],
    [{"text": "увімкни світло", "intent": "lights_on", "lang": "uk"}],
    [{"text": "увімкни світло", "intent": "on"}, {"text": "увімкни світло", "intent": "off"}],
    [{"text": "a", "intent": "x"}, {"text": "b", "intent": "y"}],
])
def test_training_never_crashes(rows) -> None:
    result = train(rows)
    prediction = result.classifier.predict("увімкни світло")
    assert 0.0 <= prediction.confidence <= 1.0
    IntentClassifier.from_bytes(result.classifier.to_bytes()).predict("увімкни світло")
    if not rows or not any(isinstance(r.get("text"), str) and r["text"] for r in rows):
        assert any(w.code == "no_intents" for w in result.warnings)
        assert prediction.is_fallback


def test_a_single_intent_matches_its_own_phrases_only() -> None:
    result = train([TrainingExample("увімкни світло на кухні", "on", "uk"),
                    TrainingExample("turn on the kitchen light", "on", "en")])
    assert any(w.code == "single_intent" for w in result.warnings)
    model = result.classifier
    assert model.predict("увімкни світло на кухні").intent == "on"
    assert model.predict("How do I renew my passport?").is_fallback


def test_settings_change_the_threshold() -> None:
    rows = [TrainingExample(*row) for row in EXAMPLES]
    model = train(rows, settings=TrainingSettings(threshold=0.99)).classifier
    assert model.threshold == 0.99
    assert IntentClassifier.from_bytes(model.to_bytes()).threshold == 0.99


def test_ukrainian_inflections_meet_their_lemmas() -> None:
    """Forms no example had ("адресою", "замовленням") count as known words through their
    lemmas: the confidence is not discounted as if they were unrelated."""
    rows = [{"text": t, "intent": i, "lang": "uk"} for i, texts in {
        "address": ["змінити адресу", "нова адреса", "адреса доставки"],
        "order": ["де замовлення", "статус замовлення", "замовлення не прийшло"]}.items()
        for t in texts]
    with_lemmas = train(rows).classifier
    without = train(rows, settings=TrainingSettings(lemmas=False)).classifier
    for text, intent in (("що з моїм замовленням", "order"), ("проблема з адресою", "address")):
        better, plain = with_lemmas.predict(text), without.predict(text)
        assert better.ranking[0][0] == intent
        assert better.confidence > plain.confidence, (text, better, plain)
    # The flag travels with the stored model; a model stored without it predicts as before.
    again = IntentClassifier.from_bytes(with_lemmas.to_bytes())
    assert again.predict("що з моїм замовленням") == with_lemmas.predict("що з моїм замовленням")
    old = IntentClassifier.from_bytes(without.to_bytes())
    assert old.predict("проблема з адресою") == without.predict("проблема з адресою")


def test_each_script_has_its_own_intent_bias(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bot with many English examples of one intent and few Ukrainian ones: a Ukrainian
    message that matches little leans to what the Ukrainian examples say most, not to the
    intent the English examples outnumber (the script is a feature of every message)."""
    import nlu.text as nlu_text

    rows = [{"text": t, "intent": "faq", "lang": "en"} for t in (
        "what are your opening hours", "where is your shop", "do you deliver abroad",
        "how much is delivery", "can I pay by card", "do you have a loyalty card",
        "what is your phone number", "are you open on sunday", "how do I return an item",
        "where can I park", "is there a student discount", "do you sell gift cards")]
    rows += [{"text": "коли ви працюєте", "intent": "faq", "lang": "uk"},
             {"text": "I want to complain", "intent": "complaint", "lang": "en"}]
    rows += [{"text": t, "intent": "complaint", "lang": "uk"} for t in (
        "хочу поскаржитися", "у мене скарга", "мене обслужили погано", "я незадоволений",
        "кур'єр запізнився", "товар зламаний")]
    model = train(rows).classifier
    assert nlu_text.script(["привіт", "hello", "світ"]) == "cyrillic"
    assert nlu_text.script(["hello", "world"]) == "latin"
    monkeypatch.setattr(nlu_text, "script_feature", lambda words: [])
    one_bias = train(rows).classifier
    monkeypatch.undo()
    text = "коли товар"  # one word of each intent's Ukrainian examples
    scores = dict(model.predict(text, threshold=0).ranking)
    shared = dict(one_bias.predict(text, threshold=0).ranking)
    assert scores["complaint"] - scores["faq"] > shared["complaint"] - shared["faq"]
    # English messages keep their answers.
    assert model.predict("where is your shop").intent == "faq"


def test_only_content_words_count_as_known(model: IntentClassifier,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Function words ("will", "it", "in", "the"; "а", "у", "вас") are in every bot's
    examples and say nothing of the intent: an unrelated message made of them and one
    unknown word falls back, and an in-scope one with a filler keeps its confidence."""
    import nlu.text as nlu_text

    unrelated, filler = "will it be in the news", "а взагалі яка погода завтра"
    assert model.predict(unrelated).is_fallback
    assert model.predict(filler).intent == "weather"
    # The first look's confidences: the known-word share is its own (the second look does not
    # count words).
    counted = {text: float(model.scores(text).max()) for text in (unrelated, filler)}
    assert nlu_text.is_function_word("the") and nlu_text.is_function_word("вас")
    assert not nlu_text.is_function_word("weather") and not nlu_text.is_function_word("погода")
    monkeypatch.setattr(nlu_text, "is_function_word", lambda word: False)
    every_word = {text: float(model.scores(text).max()) for text in (unrelated, filler)}
    assert counted[unrelated] < every_word[unrelated] and counted[filler] > every_word[filler]
    # A message none of whose words is known still ranks the intents by their n-grams.
    ranking = model.predict("weatherish forecasts", threshold=0).ranking
    assert ranking[0][0] == "weather" and ranking[0][1] > ranking[1][1]
