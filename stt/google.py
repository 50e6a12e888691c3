"""Google Cloud Speech-to-Text v1 as a speech engine, over gRPC with the official client
(`google-cloud-speech`, `google.cloud.speech_v1`).

`GoogleSpeechEngine.transcribe` sends the normalised audio (16 kHz mono s16le PCM) inline:
up to `long_audio_seconds` (55 s by default: Google's synchronous limit is about a minute) with
`Recognize`, longer with `LongRunningRecognize`, whose operation it polls (`GetOperation`) until
the result is there or the deadline has passed.

Limits of Google's API that this engine lives with:
- inline audio is at most 10 MB per request (10,485,760 bytes, config included): more PCM than
  `MAX_PCM_BYTES` (about 5.4 minutes) is refused here with `EngineError`, before anything is
  sent;
- Google wants audio longer than about 60 s as a Cloud Storage URI (gs://...), not inline: it
  refuses longer inline audio with INVALID_ARGUMENT ("Inline audio exceeds duration limit"),
  which this engine reports as `EngineError`, so the queue asks the next engine (Whisper).
  Uploading to Cloud Storage is not done.

Failures, as the queue (stt.jobs) expects them: what retrying cannot change (INVALID_ARGUMENT,
PERMISSION_DENIED, UNAUTHENTICATED, NOT_FOUND, FAILED_PRECONDITION, OUT_OF_RANGE, UNIMPLEMENTED,
a credentials file that cannot be read) is an `EngineError`; the rest (DEADLINE_EXCEEDED,
UNAVAILABLE, RESOURCE_EXHAUSTED, INTERNAL, ...) is `GoogleSpeechUnavailable`, which the queue
retries and then hands to the next engine. The client library's own retries are off
(`retry=None`): the queue's policy is the only one; every call carries a deadline, and one
transcription (all its calls) takes at most `timeout` seconds.

Channels: with no credentials file and a loopback endpoint (127.0.0.1:PORT, localhost:PORT:
tests and demos against `stt.fake_google`), a plain insecure channel and no credentials at all;
otherwise TLS with the service account's credentials (or, without a file, the machine's
application default credentials). The credentials are never logged nor put in a message."""

from __future__ import annotations

import concurrent.futures
import ipaddress
import threading
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import structlog
from google.api_core import exceptions as api_exceptions
from google.api_core import operation as api_operation
from google.api_core.future import polling

from stt.engines import SAMPLE_RATE, EngineError, Transcript, Word, language_code

if TYPE_CHECKING:
    from google.cloud.speech_v1 import SpeechClient

log = structlog.get_logger(__name__)

CREDENTIALS_ENV = "ROZMOVA_STT_GOOGLE_CREDENTIALS_FILE"
SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)
BYTES_PER_SECOND = SAMPLE_RATE * 2  # mono, 16-bit
# Google's limit on one request (the audio inline plus the config), and the PCM that fits.
MAX_REQUEST_BYTES = 10 * 1024 * 1024
MAX_PCM_BYTES = MAX_REQUEST_BYTES - 16 * 1024
# A bare language -> the region Google is asked for; a full tag (en-GB) is sent as it is.
REGIONS = {"uk": "uk-UA", "en": "en-US", "ru": "ru-RU", "pl": "pl-PL", "de": "de-DE",
           "fr": "fr-FR", "es": "es-ES", "it": "it-IT", "pt": "pt-PT"}
# No language given: Google picks between these (it cannot detect from every language).
UNSPECIFIED_LANGUAGE, UNSPECIFIED_ALTERNATIVES = "en-US", ("uk-UA",)
# Codes that no retry changes: the request or the account is wrong.
REFUSALS = frozenset({"INVALID_ARGUMENT", "PERMISSION_DENIED", "UNAUTHENTICATED", "NOT_FOUND",
                      "FAILED_PRECONDITION", "OUT_OF_RANGE", "UNIMPLEMENTED"})
# How often a long-running operation is asked for its result (first after 0.2 s, then up to
# every 2 s), within the deadline that `result(timeout=...)` sets.
POLLING = polling.DEFAULT_POLLING.with_delay(initial=0.2, maximum=2.0, multiplier=1.5)


class GoogleSpeechUnavailable(RuntimeError):
    """Google did not answer in time or failed on its side: worth retrying (not an
    `EngineError`, so the queue retries it, then asks the next engine)."""


def bcp47(language: str | None) -> str | None:
    """`uk` -> `uk-UA`, `en` -> `en-US`, `en_gb` -> `en-GB`, `zh-hant-tw` -> `zh-Hant-TW`;
    None or blank -> None (the caller sends its default and alternatives)."""
    if language is None or not language.strip():
        return None
    parts = [part for part in language.strip().replace("_", "-").split("-") if part]
    if len(parts) == 1:
        code = parts[0].lower()
        return REGIONS.get(code, code)
    subtags = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            subtags.append(part.upper())  # a region
        elif len(part) == 4 and part.isalpha():
            subtags.append(part.title())  # a script
        else:
            subtags.append(part)
    return "-".join(subtags)


def is_loopback(endpoint: str) -> bool:
    """`127.0.0.1:50051`, `localhost:50051`, `[::1]:50051` -> True."""
    host = endpoint.strip()
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class GoogleSpeechEngine:
    """Google Cloud Speech v1 (gRPC). Thread-safe: the client (one channel) is made on the first
    transcription, once, and shared by the queue's worker threads."""

    name = "google"

    def __init__(self, endpoint: str, credentials_file: str | None = None, *,
                 timeout: float = 30.0, long_audio_seconds: float = 55.0) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.endpoint = endpoint
        self.credentials_file = credentials_file or None
        self.timeout = timeout
        self.long_audio_seconds = long_audio_seconds
        self._client: SpeechClient | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (f"GoogleSpeechEngine(endpoint={self.endpoint!r}, "
                f"credentials={'file' if self.credentials_file else 'none'})")

    @property
    def insecure(self) -> bool:
        """A plain channel without credentials: only to a loopback endpoint, without a file."""
        return self.credentials_file is None and is_loopback(self.endpoint)

    def client(self) -> SpeechClient:
        """The client, made now if it was not (thread-safe); `EngineError` when the
        credentials cannot be had."""
        client = self._client
        if client is not None:
            return client
        with self._lock:
            if self._client is None:
                self._client = self._create_client()
            return self._client

    def _create_client(self) -> SpeechClient:
        import grpc
        from google.auth import exceptions as auth_exceptions
        from google.cloud.speech_v1 import SpeechClient
        from google.cloud.speech_v1.services.speech import transports

        if self.insecure:
            # A channel given to the transport makes it skip credentials altogether (no
            # client_options: with anonymous credentials they make it open TLS and hang).
            transport = transports.SpeechGrpcTransport(channel=grpc.insecure_channel(self.endpoint))
        else:
            credentials = self._credentials()
            try:
                # TLS (grpc.secure_channel with the credentials' call credentials), made by the
                # client's standard transport; without a file, application default credentials.
                transport = transports.SpeechGrpcTransport(
                    host=self.endpoint, credentials=credentials, scopes=list(SCOPES))
            except auth_exceptions.DefaultCredentialsError:
                raise EngineError(
                    f"no Google credentials for {self.endpoint}: set {CREDENTIALS_ENV} to a "
                    "service-account JSON file") from None
        log.info("stt.google.client", endpoint=self.endpoint, secure=not self.insecure,
                 credentials="file" if self.credentials_file else
                 ("none" if self.insecure else "default"))
        return SpeechClient(transport=transport)

    def _credentials(self) -> Any:
        if self.credentials_file is None:
            return None
        from google.oauth2 import service_account

        path = self.credentials_file
        try:
            return service_account.Credentials.from_service_account_file(path,
                                                                         scopes=list(SCOPES))
        except OSError as error:
            raise EngineError(f"cannot read the Google credentials file {path} "
                              f"({error.strerror or type(error).__name__}): check "
                              f"{CREDENTIALS_ENV}") from None
        except (ValueError, KeyError, TypeError) as error:
            # The message of a malformed key may quote it: only the kind of error is told.
            raise EngineError(f"the Google credentials file {path} is not a service-account "
                              f"key ({type(error).__name__}): check {CREDENTIALS_ENV}") from None

    def close(self) -> None:
        """Close the channel (a later transcription opens a new one)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.transport.close()

    def config(self, language: str | None) -> Any:
        from google.cloud import speech_v1

        tag = bcp47(language)
        return speech_v1.RecognitionConfig(
            encoding=speech_v1.RecognitionConfig.AudioEncoding.LINEAR16,
            sample_rate_hertz=SAMPLE_RATE, audio_channel_count=1,
            language_code=tag or UNSPECIFIED_LANGUAGE,
            alternative_language_codes=[] if tag else list(UNSPECIFIED_ALTERNATIVES),
            enable_word_confidence=True, enable_word_time_offsets=True,
            enable_automatic_punctuation=True)

    def transcribe(self, pcm: bytes, language: str | None) -> Transcript:
        if len(pcm) % 2:
            raise EngineError(f"PCM audio must be 16-bit samples: {len(pcm)} bytes is an odd "
                              "length")
        seconds = len(pcm) / BYTES_PER_SECOND
        if len(pcm) > MAX_PCM_BYTES:
            raise EngineError(
                f"{seconds:.0f} s of audio ({len(pcm)} bytes) is over Google Speech's 10 MB "
                "limit for audio sent inline (longer audio would need Cloud Storage)")
        code = language_code(language)
        if not pcm:
            return Transcript(text="", language=code or "en", confidence=0.0, words=(),
                              seconds=0.0, engine=self.name)
        from google.cloud import speech_v1

        deadline = time.monotonic() + self.timeout
        config = self.config(language)
        audio = speech_v1.RecognitionAudio(content=pcm)
        client = self.client()
        try:
            if seconds <= self.long_audio_seconds:
                response = client.recognize(config=config, audio=audio, retry=None,
                                            timeout=_left(deadline, self.timeout))
            else:
                response = self._long_running(client, config, audio, deadline)
        except api_exceptions.GoogleAPICallError as error:
            raise _failure(error, seconds) from error
        return _transcript(response.results, code, seconds, self.name)

    def _long_running(self, client: SpeechClient, config: Any, audio: Any,
                      deadline: float) -> Any:
        from google.cloud import speech_v1

        started = client.long_running_recognize(config=config, audio=audio, retry=None,
                                                timeout=_left(deadline, self.timeout))
        name = started.operation.name
        operations = client.transport.operations_client

        # The client's own future polls GetOperation with the library's retries and a 60 s
        # deadline per poll; this one polls without retries, within what is left.
        def refresh(**_: Any) -> Any:
            return operations.get_operation(name, retry=None, timeout=_left(deadline,
                                                                           self.timeout))

        def cancel(**_: Any) -> None:
            operations.cancel_operation(name, retry=None, timeout=_left(deadline, self.timeout))

        future = api_operation.Operation(
            started.operation, refresh, cancel, speech_v1.LongRunningRecognizeResponse,
            metadata_type=speech_v1.LongRunningRecognizeMetadata, polling=POLLING)
        try:
            return future.result(timeout=max(deadline - time.monotonic(), 0.0))
        except concurrent.futures.TimeoutError:
            raise GoogleSpeechUnavailable(
                f"Google Speech's long-running recognition ({name}) gave no result within "
                f"{self.timeout:g} s") from None


def _left(deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise GoogleSpeechUnavailable(f"Google Speech gave no result within {timeout:g} s")
    return left


def _failure(error: api_exceptions.GoogleAPICallError, seconds: float) -> Exception:
    code = getattr(error.grpc_status_code, "name", None) or str(error.code or "UNKNOWN")
    detail = error.message or type(error).__name__
    if code in REFUSALS:
        return EngineError(f"Google Speech refused {seconds:.1f} s of audio ({code}): {detail}")
    return GoogleSpeechUnavailable(f"Google Speech failed ({code}): {detail}")


def _seconds(offset: Any) -> float:
    """A protobuf Duration as proto-plus gives it (a timedelta), or the raw message."""
    if isinstance(offset, timedelta):
        return offset.total_seconds()
    return float(getattr(offset, "seconds", 0)) + getattr(offset, "nanos", 0) / 1e9


def _transcript(results: Sequence[Any], code: str | None, seconds: float,
                engine: str) -> Transcript:
    """Google's results -> a Transcript: the top alternative of each result, in order."""
    texts: list[str] = []
    words: list[Word] = []
    alternatives: list[float] = []
    detected = ""
    for result in results:
        if not result.alternatives:
            continue
        top = result.alternatives[0]
        if top.transcript.strip():
            texts.append(top.transcript.strip())  # Google puts a space before all but the first
        if top.confidence:  # 0.0 means "not set"
            alternatives.append(float(top.confidence))
        detected = detected or result.language_code
        words.extend(Word(text=info.word.strip(), start=_seconds(info.start_time),
                          end=_seconds(info.end_time), confidence=float(info.confidence))
                     for info in top.words if info.word.strip())
    if words and any(word.confidence for word in words):
        confidence = sum(word.confidence for word in words) / len(words)
    elif alternatives:
        confidence = sum(alternatives) / len(alternatives)
    else:
        confidence = 0.0
    return Transcript(text=" ".join(texts), language=language_code(detected) or code or "en",
                      confidence=confidence, words=tuple(words), seconds=seconds, engine=engine)
