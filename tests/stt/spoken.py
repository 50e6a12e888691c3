"""Speech made at test time: espeak-ng says a phrase, ffmpeg encodes it as a messenger or
a browser would send it (OGG/Opus for Telegram, WebM/Opus for the widget). The tests that use
it are skipped where either program is missing (Debian's `espeak-ng` and `ffmpeg`; `.ci/run`
installs both)."""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ESPEAK = shutil.which("espeak-ng")
FFMPEG = shutil.which("ffmpeg")
ENCODINGS = {"ogg": ["-c:a", "libopus", "-b:a", "24k", "-f", "ogg"],
             "webm": ["-c:a", "libopus", "-b:a", "24k", "-f", "webm"],
             "wav": ["-ar", "16000", "-ac", "1", "-f", "wav"],
             # Viber's voice notes: AAC in MP4 (fragmented: written to a pipe).
             "m4a": ["-c:a", "aac", "-b:a", "48k", "-movflags", "frag_keyframe+empty_moov",
                     "-f", "mp4"]}


def need_speech() -> None:
    if ESPEAK is None or FFMPEG is None:
        pytest.skip("espeak-ng and ffmpeg make the test's speech (apt-get install espeak-ng "
                    "ffmpeg)")


@functools.lru_cache(maxsize=32)
def spoken(phrase: str, encoding: str = "ogg") -> bytes:
    """`phrase` said in US English, encoded as `encoding` (ogg, webm, wav or m4a)."""
    need_speech()
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "said.wav"
        subprocess.run([ESPEAK, "-v", "en-us", "-s", "140", "-w", str(wav), phrase],
                       check=True, capture_output=True, timeout=30)
        return _encode(["-i", str(wav)], encoding)


@functools.lru_cache(maxsize=4)
def silence(seconds: float = 2.0, encoding: str = "ogg") -> bytes:
    """A recording of nothing at all."""
    need_speech()
    return _encode(["-f", "lavfi", "-i", f"anullsrc=r=48000:cl=mono", "-t", str(seconds)],
                   encoding)


def _encode(source: list[str], encoding: str) -> bytes:
    result = subprocess.run([FFMPEG, "-loglevel", "error", "-nostdin", *source,
                             *ENCODINGS[encoding], "pipe:1"],
                            check=True, capture_output=True, timeout=30)
    return result.stdout
