"""A fake Google Cloud Speech v1 server on 127.0.0.1, speaking the real gRPC protocol:
`google.cloud.speech.v1.Speech/Recognize`, `.../LongRunningRecognize` (a
`google.longrunning.Operation` with the response packed in its `response` Any) and
`google.longrunning.Operations/GetOperation` (for operations it answered "not done yet").
Requests and answers are the client library's own messages (`RecognizeRequest.deserialize`,
`RecognizeResponse.serialize`, ...), so what the real client sends is what this reads.

For tests, its behaviour is scripted: each recognition takes the next step of a queue (an
answer, a gRPC error, a delay before either); an empty queue gives the fixed transcript
`DEFAULT_TEXT`. It records what it was asked (`requests`: language, sample rate, encoding,
audio length, deadline, whether credentials came along) and how often operations were polled.

Like Google, it refuses a request over 10 MB, synchronous audio over a minute ("use
LongRunningRecognize") and inline audio over a minute for long-running recognition ("use a GCS
URI"): `inline_limit_seconds = None` lifts the latter two.

As a demo: `python -m stt.fake_google --port 50051`, then run Rozmova with
`ROZMOVA_STT_ENGINES=google,whisper ROZMOVA_STT_GOOGLE_ENDPOINT=127.0.0.1:50051`."""

from __future__ import annotations

import argparse
import itertools
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType
from typing import Any, Self

import grpc
from google.cloud import speech_v1
from google.longrunning import operations_pb2
from google.protobuf import any_pb2, timestamp_pb2
from google.rpc import status_pb2

DEFAULT_TEXT = "hello from the fake speech server"
DEFAULT_CONFIDENCE = 0.9
MAX_REQUEST_BYTES = 10 * 1024 * 1024  # Google's limit on one request
SERVICE = "google.cloud.speech.v1.Speech"
OPERATIONS = "google.longrunning.Operations"


@dataclass(frozen=True)
class Answer:
    """Results, each a list of (word, confidence); `language_code` as Google reports the
    language it heard ("" : the one asked for, in lower case, as Google does)."""

    results: tuple[tuple[tuple[str, float], ...], ...]
    language_code: str = ""


@dataclass(frozen=True)
class Failure:
    code: grpc.StatusCode
    message: str
    in_operation: bool = False  # long-running: a done operation carrying the error


@dataclass(frozen=True)
class Step:
    outcome: Answer | Failure
    delay: float = 0.0  # seconds before the answer (the client's deadline may pass first)


@dataclass(frozen=True)
class Received:
    """One recognition request, as the server read it."""

    method: str  # "Recognize" or "LongRunningRecognize"
    language_code: str
    alternative_language_codes: tuple[str, ...]
    sample_rate_hertz: int
    encoding: str  # "LINEAR16", ...
    audio_channel_count: int
    audio_bytes: int
    word_confidence: bool
    word_time_offsets: bool
    automatic_punctuation: bool
    deadline: float | None  # seconds the client allowed (None: no deadline)
    authorization: bool  # whether credentials came with the call

    @property
    def audio_seconds(self) -> float:
        return self.audio_bytes / (2 * max(self.audio_channel_count, 1)
                                   * (self.sample_rate_hertz or 16_000))


def answer_of(text: str | Sequence[str], confidences: float | Sequence[float] = DEFAULT_CONFIDENCE,
              language_code: str = "") -> Answer:
    """`"hello world"` (one result) or `["hello there.", "bye."]` (one result each), with one
    confidence for every word or one per word (all results' words in order)."""
    texts = [text] if isinstance(text, str) else list(text)
    split = [t.split() for t in texts]
    count = sum(len(words) for words in split)
    if isinstance(confidences, (int, float)):
        per_word = [float(confidences)] * count
    else:
        per_word = [float(c) for c in confidences]
        if len(per_word) != count:
            raise ValueError(f"{count} words but {len(per_word)} confidences")
    given = iter(per_word)
    return Answer(results=tuple(tuple((word, next(given)) for word in words) for words in split),
                  language_code=language_code)


class FakeSpeechServer:
    """`with FakeSpeechServer() as fake:` serves on `fake.address` (127.0.0.1, a free port
    unless `port` is given) until the block ends."""

    def __init__(self, port: int = 0, *, default: Answer | None = None, workers: int = 8) -> None:
        self.default = default or answer_of(DEFAULT_TEXT)
        self.requests: list[Received] = []
        self.polls = 0  # GetOperation calls
        self.polls_before_done = 0  # GetOperation answers "not done" this often, per operation
        self.inline_limit_seconds: float | None = 60.0
        self._script: deque[Step] = deque()
        self._operations: dict[str, tuple[operations_pb2.Operation, int]] = {}
        self._names = itertools.count(1)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fake-google")
        self._server = grpc.server(
            self._pool,
            options=[("grpc.max_receive_message_length", 2 * MAX_REQUEST_BYTES)])
        self._server.add_generic_rpc_handlers((
            grpc.method_handlers_generic_handler(SERVICE, {
                "Recognize": grpc.unary_unary_rpc_method_handler(
                    self._recognize, request_deserializer=speech_v1.RecognizeRequest.deserialize,
                    response_serializer=speech_v1.RecognizeResponse.serialize),
                "LongRunningRecognize": grpc.unary_unary_rpc_method_handler(
                    self._long_running,
                    request_deserializer=speech_v1.LongRunningRecognizeRequest.deserialize,
                    response_serializer=operations_pb2.Operation.SerializeToString),
            }),
            grpc.method_handlers_generic_handler(OPERATIONS, {
                "GetOperation": grpc.unary_unary_rpc_method_handler(
                    self._get_operation,
                    request_deserializer=operations_pb2.GetOperationRequest.FromString,
                    response_serializer=operations_pb2.Operation.SerializeToString),
            }),
        ))
        self.port = self._server.add_insecure_port(f"127.0.0.1:{port}")
        if not self.port:
            raise OSError(f"cannot listen on 127.0.0.1:{port}")

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    # --- scripting -----------------------------------------------------------------------

    def answer(self, text: str | Sequence[str], confidences: float | Sequence[float] =
               DEFAULT_CONFIDENCE, *, language_code: str = "", delay: float = 0.0) -> None:
        """The next recognition answers this (see `answer_of`)."""
        self._push(Step(answer_of(text, confidences, language_code), delay))

    def fail(self, code: grpc.StatusCode, message: str = "", *, times: int = 1,
             in_operation: bool = False, delay: float = 0.0) -> None:
        """The next `times` recognitions fail with this status (`in_operation`: a long-running
        one starts, and its operation ends with the error)."""
        for _ in range(times):
            self._push(Step(Failure(code, message or f"fake {code.name}", in_operation), delay))

    def delay(self, seconds: float) -> None:
        """The next recognition waits this long, then gives the default answer."""
        self._push(Step(self.default, seconds))

    def _push(self, step: Step) -> None:
        with self._lock:
            self._script.append(step)

    def _next(self) -> Step:
        with self._lock:
            return self._script.popleft() if self._script else Step(self.default)

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        self._server.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # delays end at once
        self._server.stop(grace=0).wait(5)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def wait(self) -> None:
        self._server.wait_for_termination()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    # --- the service -----------------------------------------------------------------------

    def _receive(self, method: str, request: Any, context: grpc.ServicerContext) -> float:
        config, audio = request.config, request.audio
        metadata = {key for key, _ in context.invocation_metadata()}
        remaining = context.time_remaining()
        received = Received(
            method=method, language_code=config.language_code,
            alternative_language_codes=tuple(config.alternative_language_codes),
            sample_rate_hertz=config.sample_rate_hertz,
            encoding=speech_v1.RecognitionConfig.AudioEncoding(config.encoding).name,
            audio_channel_count=config.audio_channel_count or 1, audio_bytes=len(audio.content),
            word_confidence=config.enable_word_confidence,
            word_time_offsets=config.enable_word_time_offsets,
            automatic_punctuation=config.enable_automatic_punctuation,
            # gRPC's "no deadline" is a huge number of seconds
            deadline=remaining if remaining is not None and remaining < 1e9 else None,
            authorization="authorization" in metadata)
        with self._lock:
            self.requests.append(received)
        # What Google itself refuses, before any script.
        if len(audio.content) > MAX_REQUEST_BYTES:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Request payload size exceeds the "
                          f"limit: {MAX_REQUEST_BYTES} bytes.")
        if audio.uri:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                          "the fake speech server reads inline audio only")
        if not config.language_code:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Invalid recognition "
                          "'config': language_code is required.")
        limit = self.inline_limit_seconds
        if limit is not None and received.audio_seconds > limit:
            if method == "Recognize":
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Sync input too long. For "
                              "audio longer than 1 min use LongRunningRecognize with a 'uri' "
                              "parameter.")
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Inline audio exceeds duration "
                          "limit. Please use a GCS URI.")
        return received.audio_seconds

    def _play(self, step: Step, context: grpc.ServicerContext, *, operation: bool) -> None:
        ends = time.monotonic() + step.delay
        while not self._stopping.is_set() and context.is_active():
            left = ends - time.monotonic()
            if left <= 0:
                break
            self._stopping.wait(min(left, 0.05))
        if isinstance(step.outcome, Failure) and not (operation and step.outcome.in_operation):
            context.abort(step.outcome.code, step.outcome.message)

    def _results(self, answer: Answer, seconds: float,
                 config: Any) -> list[speech_v1.SpeechRecognitionResult]:
        """Words spread evenly over the audio, each result after the one before."""
        count = sum(len(words) for words in answer.results) or 1
        each = seconds / count
        language = (answer.language_code or config.language_code).lower()
        results, index = [], 0
        for number, words in enumerate(answer.results):
            infos = []
            for word, confidence in words:
                info = speech_v1.WordInfo(word=word)
                if config.enable_word_confidence:  # as Google: only when asked for
                    info.confidence = confidence
                if config.enable_word_time_offsets:
                    info.start_time = timedelta(seconds=round(index * each, 3))
                    info.end_time = timedelta(seconds=round((index + 1) * each, 3))
                infos.append(info)
                index += 1
            text = " ".join(word for word, _ in words)
            mean = sum(c for _, c in words) / len(words) if words else 0.0
            results.append(speech_v1.SpeechRecognitionResult(
                alternatives=[speech_v1.SpeechRecognitionAlternative(
                    transcript=(" " + text) if number else text, confidence=mean,
                    words=infos if config.enable_word_time_offsets or
                    config.enable_word_confidence else [])],
                result_end_time=timedelta(seconds=round(index * each, 3)),
                language_code=language))
        return results

    def _recognize(self, request: speech_v1.RecognizeRequest,
                   context: grpc.ServicerContext) -> speech_v1.RecognizeResponse:
        seconds = self._receive("Recognize", request, context)
        step = self._next()
        self._play(step, context, operation=False)
        assert isinstance(step.outcome, Answer)  # a failure has ended the call
        return speech_v1.RecognizeResponse(
            results=self._results(step.outcome, seconds, request.config),
            total_billed_time=timedelta(seconds=max(1, round(seconds))))

    def _long_running(self, request: speech_v1.LongRunningRecognizeRequest,
                      context: grpc.ServicerContext) -> operations_pb2.Operation:
        seconds = self._receive("LongRunningRecognize", request, context)
        step = self._next()
        self._play(step, context, operation=True)
        name = str(next(self._names))
        done = operations_pb2.Operation(name=name, done=True)
        metadata = speech_v1.LongRunningRecognizeMetadata(progress_percent=100)
        if isinstance(step.outcome, Failure):
            done.error.CopyFrom(status_pb2.Status(code=step.outcome.code.value[0],
                                                  message=step.outcome.message))
        else:
            response = speech_v1.LongRunningRecognizeResponse(
                results=self._results(step.outcome, seconds, request.config),
                total_billed_time=timedelta(seconds=max(1, round(seconds))))
            done.response.Pack(speech_v1.LongRunningRecognizeResponse.pb(response))
        done.metadata.Pack(speech_v1.LongRunningRecognizeMetadata.pb(metadata))
        with self._lock:
            pending = self.polls_before_done
            self._operations[name] = (done, pending)
        if not pending:
            return done
        return self._pending(name)

    @staticmethod
    def _pending(name: str) -> operations_pb2.Operation:
        started = timestamp_pb2.Timestamp()
        started.GetCurrentTime()
        metadata = speech_v1.LongRunningRecognizeMetadata.pb(
            speech_v1.LongRunningRecognizeMetadata(progress_percent=50))
        metadata.start_time.CopyFrom(started)
        packed = any_pb2.Any()
        packed.Pack(metadata)
        return operations_pb2.Operation(name=name, done=False, metadata=packed)

    def _get_operation(self, request: operations_pb2.GetOperationRequest,
                       context: grpc.ServicerContext) -> operations_pb2.Operation:
        with self._lock:
            self.polls += 1
            done, pending = self._operations.get(request.name, (None, 0))
            if pending:
                self._operations[request.name] = (done, pending - 1)  # type: ignore[assignment]
        if done is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"no operation {request.name!r}")
        return self._pending(request.name) if pending else done


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m stt.fake_google",
                                     description="A fake Google Cloud Speech v1 gRPC server "
                                     "on 127.0.0.1 (every recognition answers one text).")
    parser.add_argument("--port", type=int, default=50051)
    parser.add_argument("--text", default=DEFAULT_TEXT, help="what every recognition answers")
    parser.add_argument("--confidence", type=float, default=DEFAULT_CONFIDENCE)
    args = parser.parse_args(argv)
    server = FakeSpeechServer(args.port, default=answer_of(args.text, args.confidence)).start()
    print(f"fake Google Speech on {server.address}: run Rozmova with "
          f"ROZMOVA_STT_ENGINES=google,whisper ROZMOVA_STT_GOOGLE_ENDPOINT={server.address}",
          flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
