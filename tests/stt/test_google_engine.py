"""The Google Cloud Speech engine (stt.google) through the real client library against the
fake gRPC server (stt.fake_google) on 127.0.0.1: what it sends (language, sample rate,
encoding, deadline, no credentials on the loopback), how it reads the answers (words,
confidences, the language heard), the long-running path, Google's limits, which failures are
refusals and which are retried, deadlines that bound every call, and the engine chain that
the settings build (google first, Whisper as the fallback)."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import numpy as np
import pytest

from core.config import Settings
from stt.engines import (
    Engine,
    EngineError,
    Transcript,
    WhisperEngine,
    Word,
    build_engines,
)
from stt.fake_google import DEFAULT_TEXT, FakeSpeechServer, answer_of
from stt.google import (
    MAX_PCM_BYTES,
    GoogleSpeechEngine,
    GoogleSpeechUnavailable,
    bcp47,
    is_loopback,
)
from stt.jobs import Job, JobFailed, TranscriptionQueue


def tone(seconds: float, hertz: float = 440.0) -> bytes:
    """16 kHz mono s16le: a sine at half scale."""
    samples = np.arange(int(16_000 * seconds)) / 16_000
    return (np.sin(2 * math.pi * hertz * samples) * 16_000).astype("<i2").tobytes()


@dataclass
class Passed:
    pcm: bytes
    seconds: float = 1.0


async def identity(data: bytes, limits: object) -> Passed:
    return Passed(data)


class Fallback:
    """A spare engine that answers what it is given to say."""

    name = "fallback"

    def __init__(self) -> None:
        self.calls = 0

    def transcribe(self, pcm: bytes, language: str | None) -> Transcript:
        self.calls += 1
        return Transcript(text="from the fallback", language=language or "en", confidence=0.5,
                          words=(Word("from", 0.0, 0.5, 0.5),), seconds=len(pcm) / 32_000,
                          engine=self.name)


@pytest.fixture
def fake() -> Iterator[FakeSpeechServer]:
    with FakeSpeechServer() as server:
        yield server


@pytest.fixture
def google(fake: FakeSpeechServer) -> Iterator[GoogleSpeechEngine]:
    engine = GoogleSpeechEngine(fake.address, None, timeout=3.0, long_audio_seconds=2.0)
    yield engine
    engine.close()


def job(audio: bytes, language: str | None = "uk") -> Job:
    return Job(audio=audio, language=language, priority="live", max_seconds=60)


# --- short audio: Recognize ---------------------------------------------------------------

def test_short_audio_is_recognised_with_the_right_request(
        fake: FakeSpeechServer, google: GoogleSpeechEngine) -> None:
    fake.answer(["Привіт, світе.", "Як справи?"], [0.9, 0.8, 0.7, 0.6])
    transcript = google.transcribe(tone(1.0), "uk")

    assert isinstance(google, Engine)
    [request] = fake.requests
    assert request.method == "Recognize"
    assert (request.language_code, request.alternative_language_codes) == ("uk-UA", ())
    assert (request.encoding, request.sample_rate_hertz, request.audio_channel_count) == (
        "LINEAR16", 16_000, 1)
    assert request.audio_bytes == 32_000
    assert request.word_confidence and request.word_time_offsets
    assert request.automatic_punctuation
    assert request.deadline is not None and 0 < request.deadline <= 3.0  # every call has one
    assert not request.authorization  # a loopback endpoint without a file: no credentials

    assert transcript.engine == "google"
    assert transcript.text == "Привіт, світе. Як справи?"
    assert [w.text for w in transcript.words] == ["Привіт,", "світе.", "Як", "справи?"]
    assert [w.confidence for w in transcript.words] == pytest.approx([0.9, 0.8, 0.7, 0.6])
    assert transcript.confidence == pytest.approx(0.75)
    assert [t for w in transcript.words for t in (w.start, w.end)] == pytest.approx(
        [0.0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1.0])
    assert transcript.language == "uk"
    assert transcript.seconds == 1.0


def test_without_a_language_google_chooses_between_english_and_ukrainian(
        fake: FakeSpeechServer, google: GoogleSpeechEngine) -> None:
    fake.answer("добрий день", language_code="uk-ua")  # Google reports what it heard
    transcript = google.transcribe(tone(0.5), None)
    assert fake.requests[0].language_code == "en-US"
    assert fake.requests[0].alternative_language_codes == ("uk-UA",)
    assert transcript.language == "uk"
    assert transcript.text == "добрий день"


@pytest.mark.parametrize(("language", "tag"), [
    ("uk", "uk-UA"), ("en", "en-US"), ("ru", "ru-RU"), ("EN", "en-US"), ("en-GB", "en-GB"),
    ("en_gb", "en-GB"), ("uk-UA", "uk-UA"), ("zh-hant-tw", "zh-Hant-TW"), ("es-419", "es-419"),
    (None, None), ("  ", None)])
def test_languages_become_bcp47_tags(language: str | None, tag: str | None) -> None:
    assert bcp47(language) == tag


def test_a_full_tag_is_sent_as_it_is(fake: FakeSpeechServer,
                                     google: GoogleSpeechEngine) -> None:
    transcript = google.transcribe(tone(0.3), "en-GB")
    assert fake.requests[0].language_code == "en-GB"
    assert transcript.language == "en"  # the fake echoes the tag, lower-cased, as Google
    assert transcript.text == DEFAULT_TEXT


def test_empty_audio_and_an_answer_without_words(fake: FakeSpeechServer,
                                                 google: GoogleSpeechEngine) -> None:
    empty = google.transcribe(b"", "en")
    assert (empty.text, empty.words, empty.seconds, empty.language) == ("", (), 0.0, "en")
    assert fake.requests == []  # nothing to ask
    fake.answer([])  # Google's answer to silence: no results
    silent = google.transcribe(bytes(16_000), "en")
    assert (silent.text, silent.words, silent.confidence) == ("", (), 0.0)
    with pytest.raises(EngineError, match="odd length"):
        google.transcribe(b"\x00\x00\x00", "en")


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1:50051") and is_loopback("localhost:1")
    assert is_loopback("[::1]:50051") and is_loopback("127.3.2.1:443")
    assert not is_loopback("speech.googleapis.com:443")
    assert not is_loopback("10.0.0.1:50051")
    assert not GoogleSpeechEngine("speech.googleapis.com:443", None).insecure
    assert not GoogleSpeechEngine("127.0.0.1:50051", "key.json").insecure


# --- long audio: LongRunningRecognize ------------------------------------------------------

def test_long_audio_takes_the_long_running_path(fake: FakeSpeechServer,
                                               google: GoogleSpeechEngine) -> None:
    fake.answer("a longer recording", [0.6, 0.7, 0.8])
    transcript = google.transcribe(tone(2.5), "en")
    [request] = fake.requests
    assert request.method == "LongRunningRecognize"
    assert (request.language_code, request.sample_rate_hertz, request.encoding) == (
        "en-US", 16_000, "LINEAR16")
    assert request.audio_bytes == 80_000
    assert request.deadline is not None and request.deadline <= 3.0
    assert transcript.text == "a longer recording"
    assert transcript.confidence == pytest.approx(0.7)
    assert transcript.words[-1].end == pytest.approx(2.5)
    assert fake.polls == 0  # the operation came back done


def test_a_pending_operation_is_polled_until_done(fake: FakeSpeechServer,
                                                 google: GoogleSpeechEngine) -> None:
    fake.polls_before_done = 2
    fake.answer("done at last")
    transcript = google.transcribe(tone(2.5), "uk")
    assert transcript.text == "done at last"
    assert fake.polls == 3  # two "not yet", then the result


def test_an_operation_ending_in_an_error_is_mapped_like_a_call(
        fake: FakeSpeechServer, google: GoogleSpeechEngine) -> None:
    fake.fail(grpc.StatusCode.INVALID_ARGUMENT, "bad audio", in_operation=True)
    with pytest.raises(EngineError, match="INVALID_ARGUMENT.*bad audio"):
        google.transcribe(tone(2.5), "uk")
    fake.polls_before_done = 1
    fake.fail(grpc.StatusCode.INTERNAL, "broke", in_operation=True)
    with pytest.raises(GoogleSpeechUnavailable, match="INTERNAL"):
        google.transcribe(tone(2.5), "uk")


def test_googles_limits_on_inline_audio(fake: FakeSpeechServer,
                                        google: GoogleSpeechEngine) -> None:
    # Over a minute inline: Google wants a Cloud Storage URI, a refusal (Whisper is next).
    with pytest.raises(EngineError, match="GCS URI"):
        google.transcribe(bytes(61 * 32_000), "uk")
    assert fake.requests[-1].method == "LongRunningRecognize"
    # Over 10 MB: refused here, nothing sent.
    count = len(fake.requests)
    with pytest.raises(EngineError, match="10 MB"):
        google.transcribe(bytes(MAX_PCM_BYTES + 2), "uk")
    assert len(fake.requests) == count
    # The synchronous path refuses over a minute too (a threshold set too high shows it).
    google.long_audio_seconds = 120
    with pytest.raises(EngineError, match="LongRunningRecognize"):
        google.transcribe(bytes(61 * 32_000), "uk")


# --- failures ------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [grpc.StatusCode.INVALID_ARGUMENT,
                                  grpc.StatusCode.PERMISSION_DENIED,
                                  grpc.StatusCode.UNAUTHENTICATED])
def test_what_no_retry_changes_is_a_refusal(fake: FakeSpeechServer, google: GoogleSpeechEngine,
                                            code: grpc.StatusCode) -> None:
    fake.fail(code, "the reason Google gave")
    with pytest.raises(EngineError) as refused:
        google.transcribe(tone(0.5), "uk")
    assert str(refused.value) == (f"Google Speech refused 0.5 s of audio ({code.name}): "
                                  "the reason Google gave")


@pytest.mark.parametrize("code", [grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED,
                                  grpc.StatusCode.INTERNAL, grpc.StatusCode.DEADLINE_EXCEEDED])
def test_what_may_pass_is_an_ordinary_failure(fake: FakeSpeechServer,
                                              google: GoogleSpeechEngine,
                                              code: grpc.StatusCode) -> None:
    fake.fail(code, "try later")
    with pytest.raises(GoogleSpeechUnavailable, match=f"{code.name}.*try later") as failed:
        google.transcribe(tone(0.5), "uk")
    assert not isinstance(failed.value, EngineError)
    assert len(fake.requests) == 1  # the client library did not retry on its own


async def test_unavailable_is_retried_by_the_queue_then_the_fallback_answers(
        fake: FakeSpeechServer, google: GoogleSpeechEngine) -> None:
    fake.fail(grpc.StatusCode.UNAVAILABLE, "down", times=3)
    spare = Fallback()
    queue = TranscriptionQueue([google, spare], normalise=identity)
    try:
        result = await queue.transcribe(job(tone(0.5)))
    finally:
        await queue.close()
    assert len(fake.requests) == 3  # the first try and the queue's two retries
    assert result["engine"] == "fallback" and result["text"] == "from the fallback"
    assert spare.calls == 1


async def test_a_passing_outage_is_retried_and_google_answers(
        fake: FakeSpeechServer, google: GoogleSpeechEngine) -> None:
    fake.fail(grpc.StatusCode.UNAVAILABLE, "blip")
    fake.answer("back again")
    spare = Fallback()
    queue = TranscriptionQueue([google, spare], normalise=identity)
    try:
        result = await queue.transcribe(job(tone(0.5)))
    finally:
        await queue.close()
    assert (result["engine"], result["text"]) == ("google", "back again")
    assert spare.calls == 0


@pytest.mark.parametrize("seconds", [0.5, 1.5], ids=["recognize", "long-running"])
def test_a_slow_answer_fails_within_the_timeout(fake: FakeSpeechServer, seconds: float) -> None:
    engine = GoogleSpeechEngine(fake.address, None, timeout=0.4, long_audio_seconds=1.0)
    fake.delay(30)
    started = time.monotonic()
    try:
        with pytest.raises(GoogleSpeechUnavailable, match="DEADLINE_EXCEEDED"):
            engine.transcribe(tone(seconds), "en")
    finally:
        engine.close()
    assert 0.3 < time.monotonic() - started < 1.5


def test_an_operation_that_never_ends_fails_within_the_timeout(fake: FakeSpeechServer) -> None:
    engine = GoogleSpeechEngine(fake.address, None, timeout=0.6, long_audio_seconds=1.0)
    fake.polls_before_done = 1_000_000
    started = time.monotonic()
    try:
        with pytest.raises(GoogleSpeechUnavailable, match="no result within 0.6 s"):
            engine.transcribe(tone(1.5), "en")
    finally:
        engine.close()
    assert time.monotonic() - started < 1.5
    assert fake.polls >= 1


def test_credentials_that_cannot_be_read_are_a_refusal_that_never_shows_them(
        tmp_path: Path) -> None:
    missing = GoogleSpeechEngine("speech.googleapis.com:443", str(tmp_path / "none.json"))
    with pytest.raises(EngineError, match="cannot read the Google credentials file"):
        missing.transcribe(tone(0.2), "uk")
    secret = "-----BEGIN PRIVATE KEY-----\nTOP-SECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n"
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"type": "service_account", "private_key": secret,
                               "client_email": "stt@example.iam.gserviceaccount.com",
                               "token_uri": "https://oauth2.googleapis.com/token"}))
    broken = GoogleSpeechEngine("speech.googleapis.com:443", str(key))
    with pytest.raises(EngineError, match="not a service-account key") as refused:
        broken.transcribe(tone(0.2), "uk")
    assert "SECRET" not in str(refused.value) and "SECRET" not in repr(broken)


# --- the chain from the settings -----------------------------------------------------------

def configured(**values: object) -> Settings:
    """Settings with the bundled English-only Whisper model, whatever the environment says."""
    return Settings(**{"stt_whisper_model": "", **values})  # type: ignore[arg-type]


def test_build_engines_in_the_configured_order(fake: FakeSpeechServer) -> None:
    engines = build_engines(configured(stt_engines="google, whisper",
                                       stt_google_endpoint=fake.address,
                                       stt_google_timeout_seconds=2.5))
    assert [engine.name for engine in engines] == ["google", "whisper"]
    google, whisper = engines
    assert isinstance(google, GoogleSpeechEngine) and isinstance(whisper, WhisperEngine)
    assert (google.endpoint, google.credentials_file, google.timeout) == (fake.address, None, 2.5)
    assert Settings.model_fields["stt_engines"].default == "whisper"
    assert [e.name for e in build_engines(configured(stt_engines="whisper"))] == ["whisper"]
    assert [e.name for e in build_engines(configured(stt_engines="whisper,google"))] == [
        "whisper", "google"]
    with pytest.raises(ValueError, match="unknown speech engine 'azure'; known: google, whisper"):
        build_engines(configured(stt_engines="google,azure"))
    with pytest.raises(ValueError, match="no engine"):
        build_engines(configured(stt_engines=" , "))
    with pytest.raises(ValueError, match="twice"):
        build_engines(configured(stt_engines="google,google"))


async def test_the_configured_chain_asks_google_first_then_whisper(
        fake: FakeSpeechServer) -> None:
    engines = build_engines(configured(stt_engines="google,whisper",
                                       stt_google_endpoint=fake.address))
    queue = TranscriptionQueue(engines, normalise=identity)
    try:
        fake.answer("перше слово", language_code="uk-UA")
        first = await queue.transcribe(job(tone(0.5), "uk"))
        assert (first["engine"], first["text"], first["language"]) == (
            "google", "перше слово", "uk")
        # Google refuses: Whisper is asked next (the bundled English-only model refuses
        # Ukrainian at once, without loading): both reasons, in the chain's order.
        fake.fail(grpc.StatusCode.PERMISSION_DENIED, "billing is off")
        with pytest.raises(JobFailed) as failed:
            await queue.transcribe(job(tone(0.6), "uk"))
    finally:
        await queue.close()
        for engine in engines:
            if isinstance(engine, GoogleSpeechEngine):
                engine.close()
    reasons = str(failed.value)
    assert reasons.index("google: Google Speech refused") < reasons.index("whisper: ")
    assert "billing is off" in reasons and "English-only" in reasons
    assert len(fake.requests) == 2  # a refusal is not retried


def test_the_fake_scripts_answers_in_order() -> None:
    answer = answer_of(["one two", "three"], [0.1, 0.2, 0.3], language_code="en-US")
    assert answer.results == ((("one", 0.1), ("two", 0.2)), (("three", 0.3),))
    with pytest.raises(ValueError, match="3 words but 2 confidences"):
        answer_of("one two three", [0.1, 0.2])
