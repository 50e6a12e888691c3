"""The intent classifier's second look (nlu.meaning): the multilingual sentence encoder
understands phrasings and languages the examples do not have, falls back on what is like none
of them, is stored with the model, is optional, and never runs on the event loop."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from nlu import meaning as nlu_meaning
from nlu.classifier import (DEFAULT_THRESHOLD, SECOND_LOOK_BELOW, IntentClassifier,
                            TrainingExample, TrainingSettings, train)
from nlu.service import NluService

# Every intent has English examples; only two have Ukrainian ones.
EXAMPLES = [
    ("what time is it", "time", "en"), ("tell me the time", "time", "en"),
    ("what's the time now", "time", "en"), ("current time please", "time", "en"),
    ("do you know what time it is", "time", "en"),
    ("play some music", "music", "en"), ("put on a song", "music", "en"),
    ("play my favourite playlist", "music", "en"), ("i want to listen to jazz", "music", "en"),
    ("start the radio", "music", "en"),
    ("cancel my order", "cancel_order", "en"),
    ("i no longer want the parcel", "cancel_order", "en"),
    ("please cancel the purchase", "cancel_order", "en"),
    ("stop my order from shipping", "cancel_order", "en"),
    ("скасуйте моє замовлення", "cancel_order", "uk"),
    ("where is my parcel", "track_order", "en"), ("track my order", "track_order", "en"),
    ("when will my delivery arrive", "track_order", "en"),
    ("has my package been shipped", "track_order", "en"),
    ("де моя посилка", "track_order", "uk"),
]


def hold_the_encoder(monkeypatch: pytest.MonkeyPatch) -> tuple[asyncio.Event, asyncio.Event]:
    """The encoder, from now on, embeds only once the first event is set; the second is set
    when it is first asked (from its thread)."""
    real = nlu_meaning.ENCODER_INSTANCE.embed
    release, entered = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()

    def held(texts):  # type: ignore[no-untyped-def]
        loop.call_soon_threadsafe(entered.set)
        asyncio.run_coroutine_threadsafe(release.wait(), loop).result(10)
        return real(texts)

    monkeypatch.setattr(nlu_meaning.ENCODER_INSTANCE, "embed", held)
    return release, entered


@pytest.fixture(scope="module")
def model() -> IntentClassifier:
    result = train([TrainingExample(*row) for row in EXAMPLES], languages=["en", "uk"])
    assert result.classifier.has_second_look
    assert result.stats["second_look"]["examples"] == len(EXAMPLES)
    return result.classifier


@pytest.mark.parametrize(("text", "intent"), [
    ("яка зараз година", "time"),                 # no Ukrainian example of the intent at all
    ("підкажи, котра година", "time"),
    ("коли приїде доставка", "track_order"),      # one Ukrainian example, other words
    ("хочу відмовитися від покупки", "cancel_order"),
    ("could you let me know the hour", "time"),   # English, in words the examples lack
])
def test_the_second_look_understands_what_the_first_did_not(
        model: IntentClassifier, text: str, intent: str) -> None:
    first = model.scores(text)
    assert first is None or float(first.max()) < DEFAULT_THRESHOLD, "the first look knew it"
    prediction = model.predict(text)
    assert prediction.intent == intent, prediction
    assert prediction.confidence >= DEFAULT_THRESHOLD


@pytest.mark.parametrize("text", [
    "розкажи анекдот про котів", "яка столиця Франції", "who won the football match yesterday",
    "how do I bake sourdough bread", "мені сумно сьогодні",
])
def test_what_is_like_no_example_still_falls_back(model: IntentClassifier, text: str) -> None:
    assert model.predict(text).is_fallback, model.predict(text)


def test_a_sure_first_look_is_not_looked_at_again(model: IntentClassifier,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sure = "what time is it now"
    assert float(model.scores(sure).max()) >= SECOND_LOOK_BELOW

    def refuse(texts):  # type: ignore[no-untyped-def]
        raise AssertionError("the encoder was asked")

    monkeypatch.setattr(nlu_meaning.ENCODER_INSTANCE, "embed", refuse)
    assert model.predict(sure).intent == "time"


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "?!", "котра " * 3000, "x" * 10_000])
def test_bad_input_gives_a_result_in_bounded_time(model: IntentClassifier, text: str) -> None:
    started = time.perf_counter()
    prediction = model.predict(text)
    assert time.perf_counter() - started < 2.0
    assert 0.0 <= prediction.confidence <= 1.0
    if not text.strip() or text in ("🙂🙂", "?!"):
        assert prediction.is_fallback and prediction.confidence == 0.0


def test_the_second_look_is_stored_with_the_model(model: IntentClassifier) -> None:
    loaded = IntentClassifier.from_bytes(model.to_bytes())
    assert loaded.has_second_look
    for text in ("яка зараз година", "хочу відмовитися від покупки", "яка столиця Франції"):
        assert loaded.predict(text) == model.predict(text)


def test_a_model_of_another_encoder_keeps_its_first_look(model: IntentClassifier,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blob = model.to_bytes()
    monkeypatch.setattr(nlu_meaning, "ENCODER", "some-other-encoder/1")
    loaded = IntentClassifier.from_bytes(blob).load()
    assert not loaded.has_second_look
    assert loaded.predict("яка зараз година").is_fallback
    assert loaded.predict("what time is it").intent == "time"


def test_without_an_encoder_training_keeps_the_first_look(
        monkeypatch: pytest.MonkeyPatch) -> None:
    absent = nlu_meaning.Encoder()
    absent._failed = True  # as when the package cannot load
    monkeypatch.setattr(nlu_meaning, "ENCODER_INSTANCE", absent)
    result = train([TrainingExample(*row) for row in EXAMPLES])
    assert not result.classifier.has_second_look
    assert result.stats["second_look"] is None
    assert result.classifier.predict("track my order please").intent == "track_order"
    off = train([TrainingExample(*row) for row in EXAMPLES],
                settings=TrainingSettings(meaning=False))
    assert not off.classifier.has_second_look


def test_the_examples_embedded_are_bounded_and_spread_evenly(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlu_meaning, "MAX_EXAMPLES", 100)
    rows = ([("a", "big", "en")] * 500 + [("b", "middle", "en")] * 60
            + [("c", "small", "uk")] * 7 + [("d", "small", "en")] * 20)
    picked = nlu_meaning.chosen(rows)
    assert picked == nlu_meaning.chosen(rows)  # repeatable
    counts: dict[tuple[str, str], int] = {}
    for i in picked:
        key = (rows[i][1], rows[i][2])
        counts[key] = counts.get(key, 0) + 1
    # The small groups keep everything; the budget left is shared equally by the large ones.
    assert counts == {("small", "uk"): 7, ("small", "en"): 20, ("big", "en"): 36,
                      ("middle", "en"): 36}
    assert nlu_meaning.chosen(rows[-27:]) == list(range(27))  # under the budget: all


def test_the_encoder_keeps_recent_embeddings() -> None:
    encoder = nlu_meaning.ENCODER_INSTANCE
    encoder.forget()
    first = encoder.embed(["котра година", "what time is it", "котра година"])
    assert np.allclose(first[0], first[2]) and not np.allclose(first[0], first[1])
    assert np.isclose(np.linalg.norm(first[0]), 1.0, atol=1e-3)
    again = encoder.embed(["котра година"])
    assert np.array_equal(again[0], first[0])


def test_threads_embed_at_once_with_the_same_results() -> None:
    """Worker threads share the encoder without a lock around the C code: it keeps no state
    between calls, so texts embedded at once come out as one after another."""
    import threading

    encoder = nlu_meaning.ENCODER_INSTANCE
    texts = [f"повідомлення номер {i}: де моя посилка" for i in range(12)]
    encoder.forget()
    one_by_one = [encoder.embed([text])[0] for text in texts]
    encoder.forget()
    found: dict[int, np.ndarray] = {}
    threads = [threading.Thread(target=lambda k=k: found.__setitem__(k, encoder.embed(
        [texts[k]])[0])) for k in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for k, vector in enumerate(one_by_one):
        assert np.allclose(found[k], vector, atol=1e-6)


async def test_the_service_looks_again_off_the_event_loop(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """A slow encoder (as on a busy machine) does not hold up other conversations: the loop
    keeps ticking while a message is being understood."""
    service = NluService()
    examples = [{"text": text, "intent": intent, "lang": lang} for text, intent, lang in EXAMPLES]
    await service.model("digest-meaning", examples)
    await service.settle()
    assert (await service.model("digest-meaning", examples)).has_second_look
    real = nlu_meaning.ENCODER_INSTANCE.embed

    def slow(texts):  # type: ignore[no-untyped-def]
        time.sleep(0.4)
        return real(texts)

    monkeypatch.setattr(nlu_meaning.ENCODER_INSTANCE, "embed", slow)
    gaps: list[float] = []

    async def ticker() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    try:
        result = await service.call("classify", {"model": "digest-meaning", "examples": examples,
                                                 "text": "яка зараз година"}, None, timeout=5)
    finally:
        ticking.cancel()
        await service.close()
    assert result.value["intent"] == "time"
    assert max(gaps) < 0.2, f"the event loop stalled for {max(gaps):.2f} s"


async def test_a_long_messages_first_look_runs_off_the_event_loop(
        model: IntentClassifier, monkeypatch: pytest.MonkeyPatch) -> None:
    """A short message is looked at on the event loop (a fraction of a millisecond); a long
    one, which can cost tens of milliseconds of word analysis, in a worker thread."""
    import threading

    from nlu.service import INLINE_FIRST_LOOK_CHARS

    where: list[bool] = []
    real = IntentClassifier.scores

    def recorded(self, text):  # type: ignore[no-untyped-def]
        where.append(threading.get_ident() == loop_thread)
        return real(self, text)

    loop_thread = threading.get_ident()
    monkeypatch.setattr(IntentClassifier, "scores", recorded)
    service = NluService(second_look=False)
    try:
        short = await service.explain(model, "track my order")
        long = await service.explain(model, "track my order " * 40)
    finally:
        await service.close()
    assert len("track my order " * 40) > INLINE_FIRST_LOOK_CHARS
    assert where == [True, False]
    assert short.prediction.intent == long.prediction.intent == "track_order"


async def test_a_burst_of_unsure_messages_is_answered_by_the_first_look_beyond_the_queue(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """One thread, a wait of 40 ms at most (one look of the 25 ms assumed before any is
    measured): of five unsure messages at once, the first is at the encoder, the second
    waits, the other three are answered by the first look alone (no intent here) without
    waiting; a message the first look is sure of never waits for the encoder. Once the burst
    is over, unsure messages are understood again."""
    from nlu.second_looks import second_looks

    examples = [{"text": text, "intent": intent, "lang": lang} for text, intent, lang in EXAMPLES]
    service = NluService(second_look_threads=1, second_look_wait_ms=40)
    await service.model("digest-burst", examples)
    await service.settle()
    release, entered = hold_the_encoder(monkeypatch)
    shed_before = second_looks.labels("shed")._value.get()
    request = {"model": "digest-burst", "examples": examples}

    def classify(text: str):  # type: ignore[no-untyped-def]
        return asyncio.create_task(service.call("classify", {**request, "text": text}, None,
                                                timeout=10))
    try:
        at_encoder = classify("яка зараз година")
        await asyncio.wait_for(entered.wait(), 5)
        waiting = classify("підкажи, котра година")
        await asyncio.sleep(0.05)
        shed = [await asyncio.wait_for(classify("яка зараз година"), 2) for _ in range(3)]
        sure = await asyncio.wait_for(classify("track my order"), 2)
        assert [answer.value["intent"] for answer in shed] == [None, None, None]
        assert all(answer.logs[-1].startswith("second look: skipped, the server's second looks "
                                              "were busy") for answer in shed), shed[0].logs
        assert second_looks.labels("shed")._value.get() - shed_before == 3
        assert sure.value["intent"] == "track_order"
        assert not at_encoder.done() and not waiting.done()
        release.set()
        understood = await asyncio.wait_for(at_encoder, 10)
        assert understood.value["intent"] == "time"
        assert understood.logs[0].startswith("first look: ") and \
            understood.logs[1].startswith("second look: time "), understood.logs
        assert (await asyncio.wait_for(waiting, 10)).value["intent"] == "time"
        after = await asyncio.wait_for(classify("яка зараз година"), 10)
        assert after.value["intent"] == "time"
    finally:
        release.set()
        await service.close()


async def test_a_caller_that_stops_waiting_keeps_the_thread_busy_until_the_encoder_is_done(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A block's time limit cancels the wait, not the encoder: the thread's slot frees when the
    embedding ends, so the pool never runs more encoders at once than it has threads."""
    examples = [{"text": text, "intent": intent, "lang": lang} for text, intent, lang in EXAMPLES]
    service = NluService(second_look_threads=1, second_look_wait_ms=0)
    await service.model("digest-cancel", examples)
    await service.settle()
    release, entered = hold_the_encoder(monkeypatch)
    request = {"model": "digest-cancel", "examples": examples, "text": "яка зараз година"}
    try:
        first = asyncio.create_task(service.call("classify", request, None, timeout=10))
        await asyncio.wait_for(entered.wait(), 5)
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        # The encoder still runs: with no wait allowed, the next unsure message is answered
        # by its first look alone.
        alone = await asyncio.wait_for(service.call("classify", request, None, timeout=10), 2)
        assert alone.value["intent"] is None
        release.set()
        for _ in range(100):  # the slot comes back once the thread is done
            await asyncio.sleep(0.02)
            answer = await service.call("classify", request, None, timeout=10)
            if answer.value["intent"] == "time":
                break
        assert answer.value["intent"] == "time"
    finally:
        release.set()
        await service.close()


async def test_a_service_without_the_second_look_neither_trains_nor_uses_it() -> None:
    """settings.nlu_second_look off: the service trains first-look models, and a stored model
    that has a second look (trained elsewhere) is used without it."""
    examples = [{"text": text, "intent": intent, "lang": lang} for text, intent, lang in EXAMPLES]
    request = {"model": "digest-off", "examples": examples, "text": "яка зараз година"}
    off = NluService(second_look=False)
    on = NluService()
    try:
        assert not (await off.model("digest-off", examples)).has_second_look
        assert (await off.call("classify", request, None, timeout=5)).value["intent"] is None
        await on.model("digest-on", examples)
        await on.settle()
        trained = await on.model("digest-on", examples)
        assert trained.has_second_look
        off._models["digest-on"] = trained  # as if loaded from the shared database
        request = {**request, "model": "digest-on"}
        assert (await off.call("classify", request, None, timeout=5)).value["intent"] is None
        assert (await on.call("classify", request, None, timeout=5)).value["intent"] == "time"
    finally:
        await off.close()
        await on.close()


async def test_the_first_look_serves_while_the_second_is_trained_behind_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first messages after a publish do not wait for the encoder: the service answers
    with the first look at once and swaps the complete model in when its second look is
    trained."""
    examples = [{"text": text, "intent": intent, "lang": lang} for text, intent, lang in EXAMPLES]
    release, _ = hold_the_encoder(monkeypatch)
    service = NluService()
    request = {"model": "digest-behind", "examples": examples}
    try:
        started = time.perf_counter()
        answer = await service.call("classify", {**request, "text": "track my order"}, None,
                                    timeout=5)
        assert answer.value["intent"] == "track_order"
        assert time.perf_counter() - started < 5
        # The encoder is held: the model serving now is the first look alone.
        assert not (await service.model("digest-behind", examples)).has_second_look
        status = await service.status("digest-behind")
        assert (status.status, status.phase) == ("ready", "second look")
        unsure = await service.call("classify", {**request, "text": "яка зараз година"}, None,
                                    timeout=5)
        assert unsure.value["intent"] is None
        release.set()
        await service.settle()
        assert (await service.model("digest-behind", examples)).has_second_look
        status = await service.status("digest-behind")
        assert (status.status, status.phase) == ("ready", "done")
        understood = await service.call("classify", {**request, "text": "яка зараз година"},
                                        None, timeout=5)
        assert understood.value["intent"] == "time"
    finally:
        release.set()
        await service.close()
