"""stt: the word error rate, the Whisper engine (bundled tiny.en, loaded once per module) and
the evaluation on the shared audio set (../shared/data/audio; skipped where it is absent)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from stt.engines import (Engine, EngineError, Transcript, WhisperEngine, float_to_pcm,
                         language_code, pcm_to_float)
from stt.evaluate import DatasetError, evaluate, format_report
from stt.wer import normalise_text, wer

AUDIO = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "audio"
JFK = AUDIO / "en" / "jfk.flac"
needs_jfk = pytest.mark.skipif(not JFK.is_file(), reason=f"{JFK} is absent "
                               "(../shared/data is not beside this checkout)")
needs_audio_set = pytest.mark.skipif(not (AUDIO / "transcripts.tsv").is_file(),
                                     reason=f"{AUDIO / 'transcripts.tsv'} is absent "
                                     "(../shared/data is not beside this checkout)")


# --- word error rate ---------------------------------------------------------------------

def test_exact_match_is_zero() -> None:
    assert wer("ask not what your country", "ask not what your country") == (0.0, 0, 0, 0, 5)


def test_one_substitution_deletion_insertion() -> None:
    assert wer("ask not what your country", "ask not what my country") == (0.2, 1, 0, 0, 5)
    assert wer("ask not what your country", "ask not your country") == (0.2, 0, 1, 0, 5)
    assert wer("ask not what your country", "ask not what your own country") == (0.2, 0, 0, 1, 5)
    assert wer("the cat sat on the mat", "a cat sat the mat today") == (0.5, 1, 1, 1, 6)
    assert wer("a b c d", "x b d e") == (0.75, 3, 0, 0, 4)  # equal cost: substitutions first


def test_punctuation_and_case_are_ignored() -> None:
    assert wer("And so, my fellow Americans, ask not!",
               "and so my fellow americans — ask not")[0] == 0.0
    assert normalise_text("  Hello,\tWORLD…  «Привіт» ") == "hello world привіт"


def test_spoken_digits_are_digits() -> None:
    assert normalise_text("Call 112, now!") == "call 112 now"
    assert wer("one zero oh", "1 0 0") == (0.0, 0, 0, 0, 3)  # "oh" beside digits is 0
    assert normalise_text("oh, I see") == "oh i see"  # not beside a digit: a word
    assert normalise_text("дев’ять, нуль, дві") == "9 0 2"
    assert wer("twenty one", "21")[0] == 1.0  # only single digits: no number parsing


def test_apostrophes_are_one_and_kept_inside_words() -> None:
    forms = ["п'ять", "п’ять", "пʼять", "П‘ЯТЬ"]
    assert {normalise_text(form) for form in forms} == {"5"}  # one word, then a digit
    assert {normalise_text(f"{form}ох") for form in forms} == {"п'ятьох"}
    assert wer("п'ять м’ячів", "пʼять м'ячів")[0] == 0.0
    assert normalise_text("'quoted' don't rock'n'roll’") == "quoted don't rock'n'roll"


def test_empty_reference() -> None:
    assert wer("", "") == (0.0, 0, 0, 0, 0)
    assert wer(" , . ", "") == (0.0, 0, 0, 0, 0)
    assert wer("", "two words") == (1.0, 0, 0, 2, 0)
    assert wer("two words", "") == (1.0, 0, 2, 0, 2)


# --- the engine without a model ----------------------------------------------------------

def test_language_codes_and_pcm() -> None:
    assert [language_code(c) for c in ("uk-UA", "en-US", "uk", "EN", "en_GB", None, " ")] == \
        ["uk", "en", "uk", "en", "en", None, None]
    samples = np.array([0.0, 0.5, -0.5, 1.0, -1.0], dtype=np.float32)
    pcm = float_to_pcm(samples)
    assert len(pcm) == 10
    assert np.allclose(pcm_to_float(pcm), samples, atol=1 / 32768)
    with pytest.raises(EngineError, match="odd length"):
        pcm_to_float(b"\x00\x01\x02")


def test_an_english_only_model_named_so_refuses_other_languages_before_loading(tmp_path) -> None:
    engine = WhisperEngine(str(tmp_path / "whisper-tiny.en"))
    with pytest.raises(EngineError, match="English-only.*ROZMOVA_STT_WHISPER_MODEL"):
        engine.transcribe(b"\x00\x00" * 1600, "uk-UA")
    assert engine._model is None


def test_a_missing_model_is_a_readable_error(tmp_path) -> None:
    with pytest.raises(EngineError, match="no Whisper model in"):
        WhisperEngine(str(tmp_path / "nothing")).transcribe(b"\x00\x00" * 1600, "en")


def test_the_model_is_loaded_once_by_concurrent_first_calls(monkeypatch) -> None:
    engine = WhisperEngine()
    calls = []

    def create(path: str) -> object:
        calls.append(path)
        time.sleep(0.05)
        return object()

    monkeypatch.setattr(engine, "_create_model", create)
    threads = [threading.Thread(target=engine.load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1


# --- the engine with the bundled tiny.en -------------------------------------------------

@pytest.fixture(scope="module")
def engine() -> WhisperEngine:
    engine = WhisperEngine()
    engine.load()
    return engine


def decode(path: Path) -> bytes:
    from faster_whisper import decode_audio

    return float_to_pcm(decode_audio(str(path), sampling_rate=16_000))


@pytest.fixture(scope="module")
def jfk(engine: WhisperEngine) -> Transcript:
    if not JFK.is_file():
        pytest.skip(f"{JFK} is absent (../shared/data is not beside this checkout)")
    return engine.transcribe(decode(JFK), "en-US")


def test_the_engine_satisfies_the_protocol(engine: WhisperEngine) -> None:
    assert isinstance(engine, Engine)
    assert engine.english_only


@needs_jfk
def test_jfk_is_transcribed(jfk: Transcript) -> None:
    assert "ask not what your country can do for you" in normalise_text(jfk.text)
    assert jfk.text == jfk.text.strip()
    assert 0 < jfk.confidence <= 1
    assert jfk.language == "en" and jfk.engine == "whisper"
    assert jfk.seconds == pytest.approx(11.0, abs=0.05)
    starts = [word.start for word in jfk.words]
    assert len(starts) >= 20 and starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(0 <= word.confidence <= 1 and word.start <= word.end for word in jfk.words)
    assert jfk.confidence == pytest.approx(sum(w.confidence for w in jfk.words) / len(jfk.words))


def test_an_english_only_model_refuses_ukrainian(engine: WhisperEngine) -> None:
    for language in ("uk", "uk-UA"):
        with pytest.raises(EngineError) as raised:
            engine.transcribe(b"\x00\x00" * 16_000, language)
        message = str(raised.value)
        assert "English-only" in message and "'uk'" in message
        assert "ROZMOVA_STT_WHISPER_MODEL" in message and "multilingual" in message


def test_non_speech_is_no_error(engine: WhisperEngine) -> None:
    t = np.arange(16_000) / 16_000
    pcm = float_to_pcm(0.3 * np.sin(2 * np.pi * 440 * t))
    transcript = engine.transcribe(pcm, None)
    assert isinstance(transcript, Transcript)
    assert transcript.language == "en" and transcript.seconds == 1.0
    assert 0 <= transcript.confidence <= 1
    assert all(word.start <= word.end for word in transcript.words)
    assert engine.transcribe(b"", "en") == Transcript("", "en", 0.0, (), 0.0, "whisper")


# --- evaluation --------------------------------------------------------------------------

@needs_audio_set
def test_evaluate_on_the_shared_set(engine: WhisperEngine) -> None:
    result = evaluate(AUDIO, "en", engine)
    overall = result["overall"]
    files = {item["file"]: item for item in result["files"]}
    assert overall["files"] == len(files) >= 1
    errors = sum(i["substitutions"] + i["deletions"] + i["insertions"] for i in files.values())
    assert overall["wer"] == pytest.approx(errors / overall["reference_words"])
    assert overall["audio_seconds"] == pytest.approx(sum(i["seconds_audio"]
                                                         for i in files.values()))
    assert 0 < overall["real_time_factor"] < 5
    if JFK.is_file():
        assert files["en/jfk.flac"]["wer"] < 0.15
    report = format_report(result)
    assert "overall" in report and "en/jfk.flac" in report


def test_evaluate_reads_its_table_strictly(tmp_path) -> None:
    with pytest.raises(DatasetError, match="transcripts.tsv is missing"):
        evaluate(tmp_path)
    (tmp_path / "transcripts.tsv").write_text("file\tlang\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="lacks the column"):
        evaluate(tmp_path)
    (tmp_path / "transcripts.tsv").write_text("file\tlang\ttranscript\nx.wav\ten\thi\n",
                                              encoding="utf-8")
    with pytest.raises(DatasetError, match="no rows in language 'uk'"):
        evaluate(tmp_path, "uk")


def test_evaluate_with_a_fake_engine(tmp_path) -> None:
    import wave

    with wave.open(str(tmp_path / "a.wav"), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(16_000)
        out.writeframes(b"\x00\x00" * 8_000)
    (tmp_path / "transcripts.tsv").write_text(
        "file\tlang\ttranscript\tkind\na.wav\tuk\tП'ять м’ячів, будь ласка.\treal\n",
        encoding="utf-8")

    class Fake:
        name = "fake"

        def transcribe(self, pcm: bytes, language: str | None) -> Transcript:
            assert language == "uk" and len(pcm) == 16_000
            return Transcript("пʼять мячів будь ласка", "uk", 0.9, (), len(pcm) / 32_000, "fake")

    result = evaluate(tmp_path / "transcripts.tsv", "uk-UA", Fake())
    assert result["engine"] == "fake" and result["language"] == "uk"
    assert result["files"][0]["seconds_audio"] == 0.5
    assert result["overall"]["wer"] == 0.25  # м’ячів / мячів
    assert result["overall"]["substitutions"] == 1
