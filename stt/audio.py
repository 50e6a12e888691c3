"""Audio normalisation for speech to text: whatever a person sent (a Telegram voice message,
OGG/Opus; a Viber one, M4A/AAC; the web widget's MediaRecorder, WebM/Opus; an uploaded WAV,
MP3 or FLAC) becomes 16 kHz mono signed 16-bit little-endian PCM (`Audio.pcm`, and `Audio.wav`
for engines that want a file), or `AudioRejected` with a code and a reason the uploader can
read: not_audio, truncated, too_long, too_large, unsupported_codec, silence, timeout.

Why a subprocess. The bytes come from anyone on the internet, and audio demuxers and decoders
are a classic home of memory-safety bugs. Run as the `ffprobe` and `ffmpeg` programs (Debian's
package; never a library in this process, never a shell), a crash or a hang on hostile input
kills or stalls one short-lived process, not the server: we see a non-zero exit or a timeout
and reject the file.

The limits (`Limits`), in the order they apply:
- the size (`max_bytes`) before anything runs, so a huge body costs no process;
- what ffprobe finds, before anything is decoded: the container must be one of `containers`
  (passed to both programs as `-format_whitelist`, with `-protocol_whitelist file`, so an
  upload that is really an HLS or ffconcat playlist can never make ffmpeg open other files or
  URLs), it must hold an audio stream whose codec is one of `codecs`, and the duration the
  container declares must not exceed `max_seconds`;
- the decode's output is read with a cap ((max_seconds + 1) s of PCM plus slack, and ffmpeg's
  own `-t`), so a header that lies about the length cannot make the output unbounded; a file
  without a declared length (MediaRecorder's WebM, raw AAC, an MP3 whose length is only
  estimated from its bitrate) is held to `max_seconds` by what was decoded;
- each program run is killed after `timeout_seconds` (and when the caller is cancelled: the
  process is killed and waited for, never left running or a zombie).
CPU is bounded by `-threads 1` and the time limit. Memory is not limited here: setting
RLIMIT_AS would need `preexec_fn`, which is unsafe in a process with threads (the server has
them), so a deployment that wants a memory bound puts the server in a cgroup (systemd's
MemoryMax, a container's limit), which covers its children.

The input goes to a file in a private temporary directory (mode 0700, deleted afterwards)
rather than to the programs' stdin: MP4/M4A keeps its index (the moov atom) wherever the
encoder put it, often at the end, and demuxers that cannot seek in a pipe then fail or guess
durations. The only argument derived from the request is that path, which we made.

`check` runs the first half alone (size and ffprobe: no decoding), for refusing an upload at
once; `normalise` does everything.

Decisions:
- Truncated: a container that declares its length (an MP3's Xing header, FLAC's STREAMINFO,
  MP4's moov, a WebM's Duration) but decodes to less than that, by more than
  max(0.5 s, 2 %), is `truncated`, whether or not ffmpeg complained (a cut MP3 decodes without a
  word). A file ffprobe cannot open because it ends too early ("End of file": an OGG cut inside
  its first audio page; "moov atom not found": an MP4 whose index was at the cut-off end) is
  `truncated` too, and so is a file that decodes to nothing, or that makes ffmpeg fail while
  declaring no length. An OGG file declares no total length (ffprobe reads the last complete
  page's position), so an OGG cut after some complete pages is indistinguishable from a shorter
  recording and comes back as the shorter `Audio`; so does a cut WAV (its length is taken from
  the file's size). A decoder error with the full declared length decoded is accepted.
- Silence: `silence` when the loudest 100 ms of the decoded audio has an RMS (around its mean,
  so a DC offset is not sound) below -50 dBFS. Quiet speech is around -40 to -20 dBFS; a
  frame's RMS never exceeds the peak, so a tiny peak is silence too. Loudest-frame rather than
  whole-file RMS keeps a few words in a long quiet recording from counting as silence.
- ffprobe runs with `-v warning`, not `error`, because two warnings matter: "Estimating
  duration from bitrate" (the declared duration is a guess: treated as unknown) and "detected
  only with low score ... misdetection possible" (random bytes that look a little like MP3:
  not_audio)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import math
import os
import tempfile
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, NoReturn

import numpy as np
import structlog

from core.errors import ServiceUnavailable

log = structlog.get_logger(__name__)

SAMPLE_RATE = 16_000
BYTES_PER_SECOND = SAMPLE_RATE * 2  # mono, 16-bit
FFPROBE = "ffprobe"
FFMPEG = "ffmpeg"

CODES = ("not_audio", "truncated", "too_long", "too_large", "unsupported_codec", "silence",
         "timeout")

# ffprobe codec names (`ffprobe -codecs`).
DEFAULT_CODECS = frozenset({
    "opus", "vorbis", "aac", "mp3", "flac", "alac", "amr_nb", "amr_wb",
    "pcm_s16le", "pcm_s24le", "pcm_f32le", "pcm_u8", "pcm_mulaw", "pcm_alaw"})
# ffmpeg demuxer names (`ffmpeg -demuxers`): OGG, MP4/M4A/3GP (mov), Matroska/WebM, WAV, MP3,
# FLAC, raw AAC (ADTS) and AMR.
DEFAULT_CONTAINERS = frozenset({"ogg", "mov", "matroska", "wav", "mp3", "flac", "aac", "amr"})

STDERR_CAP = 16 * 1024  # bytes of a program's messages kept (the rest is read and dropped)
PROBE_OUTPUT_CAP = 1024 * 1024  # ffprobe's JSON
PCM_SLACK = 64 * 1024  # bytes read beyond (max_seconds + 1) s of PCM before ffmpeg is killed
EXTRA_DECODE_SECONDS = 1.0  # ffmpeg's -t is max_seconds plus this
OVERRUN_SECONDS = 0.5  # decoded longer than max_seconds by more than this: too_long
SHORTFALL_SECONDS = 0.5  # decoded shorter than declared by more than this...
SHORTFALL_SHARE = 0.02  # ...and than this share of it: truncated
SILENCE_DBFS = -50.0
SILENCE_FRAME = SAMPLE_RATE // 10  # 100 ms

_TRUNCATED_HINTS = ("End of file", "moov atom not found")
_ESTIMATED_DURATION = "Estimating duration from bitrate"
_MISDETECTION = "misdetection possible"


@dataclass(frozen=True)
class Audio:
    pcm: bytes  # 16 kHz mono s16le
    seconds: float
    format: str  # the container as ffprobe names it: ogg, "mov,mp4,m4a,3gp,3g2,mj2", ...
    codec: str  # opus, aac, pcm_s16le, mp3, flac, vorbis, ...

    @property
    def wav(self) -> bytes:
        """The PCM with a WAV header (for engines that want a file)."""
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(self.pcm)
        return buffer.getvalue()


class AudioRejected(Exception):
    """The audio cannot be used: `code` (one of CODES) for programs, the message for the
    uploader (str(error), also `message`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"AudioRejected({self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 25 * 1024 * 1024
    # A live voice message would use a smaller limit, a bulk upload a larger one.
    max_seconds: float = 600.0
    timeout_seconds: float = 60.0  # each ffprobe/ffmpeg run
    codecs: frozenset[str] = field(default=DEFAULT_CODECS)  # the audio codecs accepted
    containers: frozenset[str] = field(default=DEFAULT_CONTAINERS)  # the demuxers allowed

    def __post_init__(self) -> None:
        if self.max_bytes <= 0 or self.max_seconds <= 0 or self.timeout_seconds <= 0:
            raise ValueError("max_bytes, max_seconds and timeout_seconds must be positive")
        if not self.codecs or not self.containers:
            raise ValueError("codecs and containers must not be empty")


@dataclass(frozen=True)
class Probed:
    """What ffprobe says of an accepted file (`check`)."""

    format: str
    codec: str
    seconds: float | None  # the length the container declares; None when unknown or estimated


@dataclass(frozen=True)
class _Run:
    returncode: int
    stdout: bytes
    stderr: str
    overflow: bool  # stdout reached its cap and the process was killed


async def normalise(data: bytes, limits: Limits = Limits()) -> Audio:
    """`data` (any accepted audio file) -> 16 kHz mono s16le PCM, or AudioRejected."""
    _check_size(data, limits)
    async with _stored(data) as source:
        probed = await _probe(source, limits)
        pcm = await _decode(source, probed, limits)
    loudest = await asyncio.to_thread(loudest_dbfs, pcm)
    if loudest < SILENCE_DBFS:
        raise AudioRejected("silence", "no speech could be heard: the recording is silent")
    return Audio(pcm=pcm, seconds=len(pcm) / BYTES_PER_SECOND, format=probed.format,
                 codec=probed.codec)


async def check(data: bytes, limits: Limits = Limits()) -> Probed:
    """What can be known without decoding (one ffprobe run): the size, the container, the
    codec and the declared length, or AudioRejected (not_audio, too_large, unsupported_codec,
    too_long, truncated when the file ends before its audio begins, timeout). For refusing an
    upload at once; `normalise` still decides the rest (truncation found by decoding,
    silence)."""
    _check_size(data, limits)
    async with _stored(data) as source:
        return await _probe(source, limits)


def _check_size(data: bytes, limits: Limits) -> None:
    size = len(data)
    if size > limits.max_bytes:
        raise AudioRejected("too_large", f"the file is {_megabytes(size)}; "
                                         f"the limit is {_megabytes(limits.max_bytes)}")
    if size == 0:
        raise AudioRejected("not_audio", "the file is empty")


@contextlib.asynccontextmanager
async def _stored(data: bytes) -> AsyncIterator[str]:
    """`data` in a file of a private temporary directory (mode 0700), deleted afterwards;
    yields the ffmpeg URL to read it (the file protocol, whatever the path looks like)."""
    with tempfile.TemporaryDirectory(prefix="rozmova-stt-") as directory:
        path = os.path.join(directory, "input")
        await asyncio.to_thread(_write, path, data)
        yield "file:" + path


def loudest_dbfs(pcm: bytes) -> float:
    """The RMS (around the mean) of the loudest 100 ms of s16le PCM, in dBFS (-inf: digital
    silence). Computed in blocks, so a long recording costs little memory."""
    samples = np.frombuffer(pcm, dtype="<i2")
    if not len(samples):
        return -math.inf
    if len(samples) <= SILENCE_FRAME:
        loudest = float(np.std(samples.astype(np.float32)))
    else:
        loudest = 0.0
        whole = len(samples) // SILENCE_FRAME * SILENCE_FRAME
        block = SILENCE_FRAME * 100
        for start in range(0, whole, block):
            frames = samples[start:min(start + block, whole)].astype(np.float32)
            frames = frames.reshape(-1, SILENCE_FRAME)
            loudest = max(loudest, float(frames.std(axis=1).max()))
        if whole < len(samples):  # the tail: the last full-length window
            loudest = max(loudest, float(np.std(samples[-SILENCE_FRAME:].astype(np.float32))))
    return 20 * math.log10(loudest / 32768.0) if loudest > 0 else -math.inf


# --- ffprobe ------------------------------------------------------------------------------------

async def _probe(source: str, limits: Limits) -> Probed:
    run = await _run([FFPROBE, "-hide_banner", "-v", "warning",
                      "-protocol_whitelist", "file",
                      "-format_whitelist", ",".join(sorted(limits.containers)),
                      "-print_format", "json", "-show_format", "-show_streams", source],
                     timeout=limits.timeout_seconds, stdout_cap=PROBE_OUTPUT_CAP)
    report: dict[str, Any] | None = None
    if run.returncode == 0 and not run.overflow:
        try:
            parsed = json.loads(run.stdout)
        except ValueError:
            parsed = None
        report = parsed if isinstance(parsed, dict) else None
    if report is None:
        if any(hint in run.stderr for hint in _TRUNCATED_HINTS):
            _reject("truncated", "the file ends before its audio begins: it is incomplete "
                    "(cut off while sending or uploading?)", run.stderr)
        _reject("not_audio", "this is not an audio file we can read", run.stderr)
    if _MISDETECTION in run.stderr:
        _reject("not_audio", "this is not an audio file we can read", run.stderr)
    container = report.get("format") if isinstance(report.get("format"), dict) else {}
    streams = [s for s in report.get("streams") or () if isinstance(s, dict)]
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if audio is None:
        _reject("not_audio", "the file holds no audio", run.stderr)
    codec = str(audio.get("codec_name") or "unknown")
    if codec not in limits.codecs:
        _reject("unsupported_codec", f"audio encoded as {codec} is not accepted "
                f"(accepted: {', '.join(sorted(limits.codecs))})", run.stderr)
    declared = None
    if _ESTIMATED_DURATION not in run.stderr:
        declared = _seconds(audio.get("duration"))
        if declared is None:
            declared = _seconds(container.get("duration"))
    if declared is not None and declared > limits.max_seconds:
        _reject("too_long", f"the recording is {_duration(declared)} long; "
                f"the limit is {_duration(limits.max_seconds)}")
    return Probed(format=str(container.get("format_name") or "unknown"), codec=codec,
                  seconds=declared)


def _seconds(value: Any) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):  # absent or "N/A"
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


# --- ffmpeg -------------------------------------------------------------------------------------

async def _decode(source: str, probed: Probed, limits: Limits) -> bytes:
    cap_seconds = limits.max_seconds + EXTRA_DECODE_SECONDS
    run = await _run([FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error",
                      "-threads", "1", "-filter_threads", "1",
                      "-protocol_whitelist", "file",
                      "-format_whitelist", ",".join(sorted(limits.containers)),
                      "-i", source,
                      "-map", "0:a:0", "-vn", "-sn", "-dn",  # the stream ffprobe described
                      "-ac", "1", "-ar", str(SAMPLE_RATE), "-acodec", "pcm_s16le",
                      "-f", "s16le", "-t", f"{cap_seconds:.3f}", "pipe:1"],
                     timeout=limits.timeout_seconds,
                     stdout_cap=int(cap_seconds * BYTES_PER_SECOND) + PCM_SLACK)
    pcm = run.stdout[:len(run.stdout) // 2 * 2]
    seconds = len(pcm) / BYTES_PER_SECOND
    if run.overflow or seconds > limits.max_seconds + OVERRUN_SECONDS:
        _reject("too_long", f"the recording is longer than the limit of "
                f"{_duration(limits.max_seconds)}")
    incomplete = ("the recording is incomplete (cut off while sending or uploading?) "
                  "or damaged")
    if not pcm:
        _reject("truncated", f"no audio could be decoded: {incomplete}", run.stderr)
    declared = probed.seconds
    if declared is not None and seconds < declared - max(SHORTFALL_SECONDS,
                                                         SHORTFALL_SHARE * declared):
        _reject("truncated", f"only {_duration(seconds)} of the {_duration(declared)} the file "
                f"declares could be decoded: {incomplete}", run.stderr)
    if run.returncode != 0:
        if declared is None:
            _reject("truncated", f"decoding stopped after {_duration(seconds)}: {incomplete}",
                    run.stderr)
        log.info("stt.audio_decode_error_ignored", seconds=round(seconds, 3),
                 declared=declared, returncode=run.returncode, detail=run.stderr[-500:])
    return pcm


# --- running a program --------------------------------------------------------------------------

async def _run(argv: list[str], *, timeout: float, stdout_cap: int) -> _Run:
    """Runs argv (no shell) with stdin closed; its stdout up to stdout_cap bytes (beyond that
    the process is killed) and its stderr's first STDERR_CAP bytes. Killed and waited for on
    timeout (AudioRejected "timeout") and on cancellation."""
    try:
        process = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
    except FileNotFoundError:
        # The server's fault, not the recording's: 503, with what the operator must do.
        raise ServiceUnavailable(f"{argv[0]} is not installed on this server, so recordings "
                                 "cannot be decoded (Debian: apt-get install ffmpeg)",
                                 dependency="ffmpeg") from None
    overflow = False

    def too_much() -> None:
        nonlocal overflow
        overflow = True
        _kill(process)

    try:
        async with asyncio.timeout(timeout):
            assert process.stdout is not None and process.stderr is not None
            stdout, stderr = await asyncio.gather(
                _read(process.stdout, stdout_cap, too_much), _drain(process.stderr))
            returncode = await process.wait()
    except TimeoutError:
        log.info("stt.audio_timeout", program=argv[0], seconds=timeout)
        raise AudioRejected("timeout", "the audio took too long to process") from None
    finally:
        if process.returncode is None:
            _kill(process)
            await process.wait()
    return _Run(returncode=returncode, stdout=stdout,
                stderr=stderr.decode("utf-8", "replace"), overflow=overflow)


async def _read(stream: asyncio.StreamReader, cap: int, too_much: Any) -> bytes:
    buffer = bytearray()
    while chunk := await stream.read(64 * 1024):
        room = cap - len(buffer)
        if len(chunk) > room:
            buffer += chunk[:room]
            too_much()
            break
        buffer += chunk
    return bytes(buffer)


async def _drain(stream: asyncio.StreamReader) -> bytes:
    kept = bytearray()
    while chunk := await stream.read(16 * 1024):
        if len(kept) < STDERR_CAP:
            kept += chunk[:STDERR_CAP - len(kept)]
    return bytes(kept)


def _kill(process: asyncio.subprocess.Process) -> None:
    try:
        process.kill()
    except ProcessLookupError:
        pass


# --- small helpers ------------------------------------------------------------------------------

def _reject(code: str, message: str, detail: str = "") -> NoReturn:
    log.info("stt.audio_rejected", code=code, reason=message, detail=detail[-500:] or None)
    raise AudioRejected(code, message)


def _write(path: str, data: bytes) -> None:
    with open(path, "xb") as out:
        out.write(data)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"
