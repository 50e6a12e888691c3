"""stt.audio: voice messages and uploads (OGG/Opus, WebM/Opus, M4A/AAC, MP3, WAV, FLAC) become
16 kHz mono s16le PCM through ffprobe and ffmpeg, and what cannot be used is rejected with a
code. Every file is made here by ffmpeg's lavfi sources (one ffmpeg run for the module);
skipped where ffmpeg or ffprobe is not installed."""

from __future__ import annotations

import asyncio
import io
import json
import random
import shutil
import signal
import subprocess
import time
import wave
from pathlib import Path

import numpy as np
import pytest

if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
    pytest.skip("ffmpeg and ffprobe are not installed (Debian: apt-get install ffmpeg)",
                allow_module_level=True)

from stt.audio import (SILENCE_DBFS, Audio, AudioRejected, Limits, Probed, check, loudest_dbfs,
                       normalise)

Spawned = tuple[tuple[str, ...], asyncio.subprocess.Process]
LAVFI = ["-f", "lavfi", "-i"]
OUTPUTS: dict[str, list[str]] = {
    # name: output options (input 0: 2 s of 440 Hz; 1: 3 s; 2: 2 s of silence; 3: video only;
    # 4: 2 s of silence then 6 s of 440 Hz)
    "voice.ogg": ["-map", "0:a", "-ac", "1", "-ar", "48000", "-c:a", "libopus"],  # Telegram
    # the widget's format (ffmpeg's WebM declares its length; MediaRecorder's does not)
    "widget.webm": ["-map", "0:a", "-ac", "1", "-ar", "48000", "-c:a", "libopus"],
    "viber.m4a": ["-map", "0:a", "-ac", "1", "-ar", "44100", "-c:a", "aac"],  # moov at the end
    "upload.mp3": ["-map", "0:a", "-ac", "1", "-ar", "44100", "-c:a", "libmp3lame"],
    "upload.wav": ["-map", "0:a", "-ac", "2", "-ar", "44100", "-c:a", "pcm_s16le"],
    "upload.flac": ["-map", "0:a", "-ac", "1", "-ar", "44100", "-c:a", "flac"],
    # OGG pages of 20 ms rather than ffmpeg's default 1 s (other encoders page more often)
    "small-pages.ogg": ["-map", "0:a", "-ac", "1", "-ar", "48000", "-c:a", "libopus",
                        "-page_duration", "20000"],
    "three-seconds.ogg": ["-map", "1:a", "-ac", "1", "-c:a", "libopus"],
    "three-seconds.aac": ["-map", "1:a", "-ac", "1", "-c:a", "aac", "-f", "adts"],  # raw AAC
    "silence.ogg": ["-map", "2:a", "-c:a", "libopus"],
    "video.mp4": ["-map", "3:v", "-c:v", "mpeg4"],
    "image.jpg": ["-map", "3:v", "-frames:v", "1", "-update", "1"],
    # VBR MP3 without a Xing header: ffprobe estimates its length from the first frames'
    # bitrate (silence: low), more than a second longer than it is
    "vbr-no-header.mp3": ["-map", "[vbr]", "-c:a", "libmp3lame", "-q:a", "9",
                          "-write_xing", "0"],
}


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    directory = tmp_path_factory.mktemp("stt-audio")
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
               *LAVFI, "sine=frequency=440:duration=2",
               *LAVFI, "sine=frequency=440:duration=3",
               *LAVFI, "anullsrc=r=48000:cl=mono:d=2",
               *LAVFI, "testsrc=duration=1:size=64x64:rate=10",
               *LAVFI, "anullsrc=r=44100:cl=mono:d=2",
               *LAVFI, "sine=frequency=440:duration=6:sample_rate=44100",
               "-filter_complex", "[4:a][5:a]concat=n=2:v=0:a=1[vbr]"]
    for name, options in OUTPUTS.items():
        command += [*options, str(directory / name)]
    subprocess.run(command, check=True, timeout=60)
    files = {name: (directory / name).read_bytes() for name in OUTPUTS}
    files["notes.txt"] = "Привіт! This is a text file, not a recording.\n".encode() * 40
    files["random.bin"] = random.Random(20_240_601).randbytes(20_000)
    return files


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[Spawned]:
    """Every program normalise starts: its argv and its process."""
    real = asyncio.create_subprocess_exec
    calls: list[Spawned] = []

    async def record(*argv: str, **kwargs: object) -> asyncio.subprocess.Process:
        process = await real(*argv, **kwargs)  # type: ignore[arg-type]
        calls.append((argv, process))
        return process

    monkeypatch.setattr(asyncio, "create_subprocess_exec", record)
    return calls


def programs(calls: list[Spawned]) -> list[str]:
    return [argv[0] for argv, _ in calls]


def dominant_hz(audio: Audio) -> float:
    samples = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64)
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / 16_000)[np.argmax(spectrum)])


async def rejected(data: bytes, limits: Limits = Limits()) -> AudioRejected:
    with pytest.raises(AudioRejected) as caught:
        await normalise(data, limits)
    return caught.value


# --- what is accepted ---------------------------------------------------------------------------

FORMATS = [  # name, the container and the codec ffprobe reports
    ("voice.ogg", "ogg", "opus"),
    ("widget.webm", "matroska,webm", "opus"),
    ("viber.m4a", "mov,mp4,m4a,3gp,3g2,mj2", "aac"),
    ("upload.mp3", "mp3", "mp3"),
    ("upload.wav", "wav", "pcm_s16le"),
    ("upload.flac", "flac", "flac"),
]


@pytest.fixture(scope="module")
async def normalised(media: dict[str, bytes]) -> dict[str, Audio]:
    """The six formats, normalised concurrently (as a server would)."""
    names = [name for name, _, _ in FORMATS]
    return dict(zip(names, await asyncio.gather(*(normalise(media[name]) for name in names))))


@pytest.mark.parametrize(("name", "container", "codec"), FORMATS)
def test_each_format_becomes_16_khz_mono_pcm(normalised: dict[str, Audio], name: str,
                                             container: str, codec: str) -> None:
    audio = normalised[name]
    assert (audio.format, audio.codec) == (container, codec)
    assert audio.seconds == pytest.approx(2.0, abs=0.05)
    assert len(audio.pcm) % 2 == 0
    assert abs(len(audio.pcm) - round(audio.seconds * 16_000) * 2) <= 2
    # 440 Hz is still 440 Hz: the samples really are at 16 kHz
    assert dominant_hz(audio) == pytest.approx(440, abs=2)
    with wave.open(io.BytesIO(audio.wav)) as parsed:
        assert (parsed.getnchannels(), parsed.getsampwidth(), parsed.getframerate()) \
            == (1, 2, 16_000)
        assert parsed.readframes(parsed.getnframes()) == audio.pcm


async def test_an_estimated_length_is_not_a_declared_one(media: dict[str, bytes],
                                                        tmp_path: Path) -> None:
    """ffprobe guesses 9.1 s for this 8 s MP3 (no Xing header, silence first): the guess is
    neither held against max_seconds nor read as a truncation."""
    data = media["vbr-no-header.mp3"]
    (tmp_path / "vbr.mp3").write_bytes(data)
    probe = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
                            str(tmp_path / "vbr.mp3")], capture_output=True, check=True)
    assert float(json.loads(probe.stdout)["format"]["duration"]) > 8.6  # the premise
    audio = await normalise(data, Limits(max_seconds=9.0))
    assert (audio.format, audio.codec) == ("mp3", "mp3")
    assert audio.seconds == pytest.approx(8.05, abs=0.1)


# --- what is rejected, and when -----------------------------------------------------------------

async def test_empty_is_not_audio() -> None:
    assert (await rejected(b"")).code == "not_audio"


async def test_what_holds_no_audio_is_not_audio(media: dict[str, bytes]) -> None:
    names = ["image.jpg", "notes.txt", "random.bin", "video.mp4"]
    errors = await asyncio.gather(*(rejected(media[name]) for name in names))
    assert {name: error.code for name, error in zip(names, errors)} \
        == dict.fromkeys(names, "not_audio")
    assert str(errors[-1]) == errors[-1].message == "the file holds no audio"


async def test_a_playlist_never_makes_ffmpeg_open_another_file(
        media: dict[str, bytes], tmp_path: Path) -> None:
    """An "upload" that is an HLS playlist naming a local file: the container whitelist
    refuses it before any segment is read."""
    target = tmp_path / "secret.wav"
    target.write_bytes(media["upload.wav"])
    playlist = (f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\nfile://{target}\n"
                "#EXT-X-ENDLIST\n").encode()
    assert (await rejected(playlist)).code == "not_audio"


async def test_too_large_is_refused_before_any_program_runs(
        media: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    async def never(*argv: str, **kwargs: object) -> None:
        pytest.fail(f"{argv[0]} ran for a file over max_bytes")

    monkeypatch.setattr(asyncio, "create_subprocess_exec", never)
    error = await rejected(media["voice.ogg"], Limits(max_bytes=len(media["voice.ogg"]) - 1))
    assert error.code == "too_large"


async def test_a_declared_length_over_the_limit_is_refused_before_decoding(
        media: dict[str, bytes], spawned: list[Spawned]) -> None:
    error = await rejected(media["three-seconds.ogg"], Limits(max_seconds=2.0))
    assert error.code == "too_long"
    assert "3.0 s" in str(error) and "2.0 s" in str(error)
    assert programs(spawned) == ["ffprobe"]  # never decoded


async def test_without_a_declared_length_the_decode_is_held_to_the_limit(
        media: dict[str, bytes], spawned: list[Spawned]) -> None:
    """Raw AAC (ADTS) declares no length (ffprobe only estimates it): ffmpeg decodes at most
    max_seconds + 1 s and the decoded length decides."""
    assert (await rejected(media["three-seconds.aac"], Limits(max_seconds=2.0))).code == "too_long"
    assert programs(spawned) == ["ffprobe", "ffmpeg"]


async def test_a_codec_not_allowed_is_named(media: dict[str, bytes]) -> None:
    error = await rejected(media["voice.ogg"], Limits(codecs=frozenset({"flac"})))
    assert error.code == "unsupported_codec"
    assert "opus" in str(error)


async def test_silence_is_refused(media: dict[str, bytes]) -> None:
    error = await rejected(media["silence.ogg"])
    assert error.code == "silence"
    assert "no speech could be heard" in str(error)


def test_silence_is_judged_by_the_loudest_100_ms() -> None:
    rate = 16_000
    t = np.arange(rate // 2) / rate
    word = 0.02 * np.sin(2 * np.pi * 300 * t)  # half a second, quiet: about -37 dBFS
    quiet_in_long_silence = np.concatenate([np.zeros(rate * 60), word, np.zeros(rate * 60)])
    pcm = (quiet_in_long_silence * 32767).astype("<i2").tobytes()
    assert loudest_dbfs(pcm) == pytest.approx(-37, abs=1)  # whole-file RMS would be -61 dBFS
    assert loudest_dbfs(pcm) > SILENCE_DBFS
    hum = (np.full(rate * 2, 3000) + np.random.default_rng(1).normal(0, 3, rate * 2))
    assert loudest_dbfs(hum.astype("<i2").tobytes()) < SILENCE_DBFS  # a DC offset is not sound
    assert loudest_dbfs(b"\x00\x00" * 100) == float("-inf")
    assert loudest_dbfs(b"") == float("-inf")


async def test_check_probes_without_decoding(media: dict[str, bytes],
                                             spawned: list[Spawned]) -> None:
    """`check` (an upload refused at once) is ffprobe alone."""
    probed = await check(media["three-seconds.ogg"])
    assert probed == Probed("ogg", "opus", pytest.approx(3.0, abs=0.05))  # type: ignore[arg-type]
    assert (await check(media["three-seconds.aac"])).seconds is None  # only estimated
    assert programs(spawned) == ["ffprobe"] * 2


# --- truncation: the rule stt.audio's docstring states ------------------------------------------

async def test_a_cut_mp3_decodes_short_of_its_declared_length(media: dict[str, bytes]) -> None:
    """ffmpeg decodes the first 40 % without an error; the Xing header's length says the
    rest is missing."""
    data = media["upload.mp3"]
    error = await rejected(data[:int(len(data) * 0.4)])
    assert error.code == "truncated"
    assert "of the 2.0 s" in str(error)


async def test_a_cut_webm_decodes_short_of_its_declared_length(media: dict[str, bytes]) -> None:
    data = media["widget.webm"]
    assert (await rejected(data[:int(len(data) * 0.5)])).code == "truncated"


async def test_an_m4a_cut_before_its_index_is_truncated(media: dict[str, bytes],
                                                        spawned: list[Spawned]) -> None:
    data = media["viber.m4a"]  # the moov atom is at the end, cut off
    assert (await rejected(data[:int(len(data) * 0.6)])).code == "truncated"
    assert programs(spawned) == ["ffprobe"]


async def test_an_ogg_cut_inside_its_first_page_is_truncated(media: dict[str, bytes]) -> None:
    """ffmpeg writes 1 s pages: 40 % of a 2 s file is the headers and part of a page."""
    data = media["voice.ogg"]
    assert (await rejected(data[:int(len(data) * 0.4)])).code == "truncated"


async def test_an_ogg_cut_after_whole_pages_is_a_shorter_recording(
        media: dict[str, bytes]) -> None:
    """OGG declares no total length: cut after complete pages it is indistinguishable from a
    shorter recording, and is accepted as one."""
    data = media["small-pages.ogg"]
    audio = await normalise(data[:int(len(data) * 0.4)])
    assert 0.5 < audio.seconds < 1.0
    assert audio.codec == "opus"


# --- time limits and cancellation ---------------------------------------------------------------

def assert_reaped(calls: list[Spawned]) -> None:
    for argv, process in calls:
        assert process.returncode is not None, f"{argv[0]} is still running"
    try:
        import psutil
    except ImportError:
        return
    children = {child.pid for child in psutil.Process().children(recursive=True)}
    assert not children & {process.pid for _, process in calls}


async def test_a_run_over_the_time_limit_is_killed(media: dict[str, bytes],
                                                   spawned: list[Spawned]) -> None:
    started = time.monotonic()
    error = await rejected(media["voice.ogg"], Limits(timeout_seconds=0.001))
    assert error.code == "timeout"
    assert programs(spawned) == ["ffprobe"]
    assert spawned[0][1].returncode == -signal.SIGKILL
    assert_reaped(spawned)
    assert time.monotonic() - started < 2


def hanging_ffmpeg(monkeypatch: pytest.MonkeyPatch, started: asyncio.Event) -> list[Spawned]:
    """"ffprobe" prints what the real one says of a 2 s OGG/Opus file; "ffmpeg" is `sleep 30`."""
    real = asyncio.create_subprocess_exec
    report = json.dumps({"format": {"format_name": "ogg", "duration": "2.0"},
                         "streams": [{"codec_type": "audio", "codec_name": "opus"}]})
    calls: list[Spawned] = []

    async def substitute(*argv: str, **kwargs: object) -> asyncio.subprocess.Process:
        program = argv[0]
        argv = ("printf", "%s", report) if program == "ffprobe" else ("sleep", "30")
        process = await real(*argv, **kwargs)  # type: ignore[arg-type]
        calls.append(((program, *argv), process))
        if program == "ffmpeg":
            started.set()
        return process

    monkeypatch.setattr(asyncio, "create_subprocess_exec", substitute)
    return calls


async def test_a_hanging_decoder_is_killed_at_the_time_limit(
        media: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    calls = hanging_ffmpeg(monkeypatch, asyncio.Event())
    started = time.monotonic()
    error = await rejected(media["voice.ogg"], Limits(timeout_seconds=0.2))
    assert error.code == "timeout"
    assert time.monotonic() - started < 2
    assert [argv[0] for argv, _ in calls] == ["ffprobe", "ffmpeg"]
    assert calls[1][1].returncode == -signal.SIGKILL
    assert_reaped(calls)


async def test_cancelling_kills_the_running_program(media: dict[str, bytes],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    decoding = asyncio.Event()
    calls = hanging_ffmpeg(monkeypatch, decoding)
    task = asyncio.create_task(normalise(media["voice.ogg"]))
    await asyncio.wait_for(decoding.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert calls[-1][1].returncode == -signal.SIGKILL
    assert_reaped(calls)


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError):
        Limits(max_seconds=0)
    with pytest.raises(ValueError):
        Limits(codecs=frozenset())
    assert {"opus", "vorbis", "aac", "mp3", "flac", "pcm_s16le", "amr_nb", "amr_wb"} \
        <= Limits().codecs


async def test_a_server_without_ffmpeg_says_so(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from core.errors import ServiceUnavailable

    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ServiceUnavailable) as down:
        await check(b"OggS" + bytes(100), Limits())
    assert "ffprobe is not installed" in down.value.detail and down.value.status == 503
