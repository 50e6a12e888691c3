"""Voice turns through the whole path: how long a person waits for the bot's answer to a voice
message in a live conversation, with the speech service idle and while bulk transcription
uploads flood it ("with 50 long files queued, a live voice message still gets its transcript
within its target").

    .venv/bin/python bench/voice_turns.py [--bulk 50] [--live 10] [--bulk-seconds 30]
        [--backend sqlite|postgres]

A real `rozmova serve` (a subprocess on a free port, not pinned: it has both cores, as in a
deployment) with the default speech settings (Whisper tiny.en, one live and one bulk worker).
The admin logs in, makes a bot whose scenario asks for a name and echoes it, and takes its chat
key. Recordings are made first, before the server is measured: espeak-ng says "Hello there. My
name is Bob." (WebM/Opus, as a browser's MediaRecorder sends it) for the live messages, and a
long text looped to `--bulk-seconds` (OGG/Opus) for the uploads. Every recording is distinct
(a slightly different gain), so the result cache, keyed by the audio's hash, never answers.

* warm-up   one voice turn, not counted (the model is loaded on the first transcription).
* idle      `--live` voice turns one after another on one conversation (the scenario loops):
            the time from sending the binary frame to the `input` frame that ends the turn;
            the echoed transcript (`direction: in`, `message.text`) must contain "bob".
* flooded   `--bulk` uploads (POST /api/v1/transcriptions, all at once), then, once they are
            answered, the same `--live` voice turns; the uploads done meanwhile and the bulk
            queue's state are read from the API and /metrics at the end of the phase.

The server's CPU seconds (its process and its ffmpeg children) and the machine's load average
are shown per phase: other work on the machine shows up there. The server inherits this
process's environment: thread settings (OPENBLAS_NUM_THREADS ...) and ROZMOVA_STT_* given to
the benchmark apply to it, and the "reproduce" line repeats them. The queued uploads are not
waited for: the server is stopped at the end (and with PostgreSQL, its database dropped and
its Redis keys deleted). Exits non-zero on errors (a turn that failed or never ended, an
upload refused), never on slow figures."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chat_turns import prepare_database, wait_ready  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-1"
LIVE_PHRASE = "Hello there. My name is Bob."
EXPECTED = "bob"
BULK_TEXT = (
    "The quarterly meeting started a little late because the projector would not connect. "
    "Maria opened with the sales figures for the northern region, which grew by eight percent "
    "over the spring. Then the team discussed the delivery delays in the warehouse and agreed "
    "to hire two more drivers before the holidays. Peter asked about the new customer portal; "
    "the developers promised a first version by the end of next month. Finally everyone "
    "reviewed the budget for training and travel, and the meeting closed with a short "
    "summary of the decisions and the people responsible for each of them. ")
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
TURN_TIMEOUT = 120.0  # a turn that takes longer is an error (and ends its phase), not a figure
NAME_SCENARIO: dict[str, Any] = {  # as tests/channels/test_telegram_voice.py's
    "schema_version": 2, "entry": {"start": "name"},
    "variables": [{"name": "name", "type": "string"}],
    "blocks": [
        {"id": "name", "type": "input", "settings": {
            "kind": "text", "variable": "name",
            "prompt": {"uk": "Як вас звати?", "en": "What is your name?"}}},
        {"id": "greet", "type": "message", "settings": {"text": {
            "uk": "Ви сказали: {{name}}", "en": "You said: {{name}}"}}}],
    "edges": [{"source": "name", "target": "greet"}, {"source": "greet", "target": "name"}]}


# --- recordings -------------------------------------------------------------------------------

def _run(args: list[str]) -> bytes:
    return subprocess.run(args, check=True, capture_output=True, timeout=120).stdout


def _said(text: str, wav: Path) -> None:
    _run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(wav), text])


def _encode(wav: Path, gain: float, kind: str, seconds: float | None = None) -> bytes:
    source = ["-stream_loop", "-1", "-i", str(wav), "-t", f"{seconds:.2f}"] if seconds else [
        "-i", str(wav)]
    return _run(["ffmpeg", "-loglevel", "error", "-nostdin", *source, "-af",
                 f"volume={gain:.4f}", "-ac", "1", "-c:a", "libopus", "-b:a", "24k", "-f", kind,
                 "pipe:1"])


def duration(wav: Path) -> float:
    out = _run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "default=nw=1:nk=1", str(wav)])
    return float(out.decode().strip())


def recordings(live: int, bulk: int, bulk_seconds: float) -> tuple[list[bytes], list[bytes],
                                                                    float]:
    """`live` distinct WebM/Opus recordings of the live phrase, `bulk` distinct OGG/Opus ones
    of `bulk_seconds` of speech, and the live phrase's length in seconds."""
    for program in ("espeak-ng", "ffmpeg", "ffprobe"):
        if shutil.which(program) is None:
            raise SystemExit(f"{program} is missing (apt-get install espeak-ng ffmpeg)")
    with tempfile.TemporaryDirectory(prefix="rozmova-voice-bench-") as folder:
        short, long = Path(folder) / "live.wav", Path(folder) / "long.wav"
        _said(LIVE_PHRASE, short)
        _said(BULK_TEXT, long)
        with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
            lives = list(pool.map(lambda i: _encode(short, 1 - i * 0.002, "webm"), range(live)))
            bulks = list(pool.map(lambda i: _encode(long, 1 - i * 0.002, "ogg", bulk_seconds),
                                  range(bulk)))
        seconds = duration(short)
    for name, group in (("live", lives), ("bulk", bulks)):
        if len({hashlib.sha256(a).digest() for a in group}) != len(group):
            raise SystemExit(f"two {name} recordings came out the same: the cache would answer")
    return lives, bulks, seconds


# --- the server -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_cpu(pid: int) -> float:
    """User + system CPU seconds of the server so far: the process, its children still running
    and those it has reaped (ffmpeg, ffprobe)."""
    import psutil

    process = psutil.Process(pid)
    times = process.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in process.children(recursive=True):
        try:
            t = child.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


async def setup(base: str) -> tuple[dict[str, str], str]:
    """The admin's token header and the chat key of a bot running the name scenario."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as api:
        login = await api.post("/api/v1/auth/login", json={"email": "admin@example.com",
                                                           "password": PASSWORD})
        login.raise_for_status()
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        bot = await api.post("/api/v1/bots", json={"name": f"voice-{uuid.uuid4().hex[:6]}"},
                             headers=auth)
        bot.raise_for_status()
        bot_id = bot.json()["id"]
        created = await api.post(f"/api/v1/bots/{bot_id}/scenarios",
                                 json={"name": "main", "document": NAME_SCENARIO}, headers=auth)
        if created.status_code != 201:
            raise SystemExit(f"scenario refused: {created.status_code} {created.text[:500]}")
        published = await api.post(f"/api/v1/scenarios/{created.json()['id']}/publish", json={},
                                   headers=auth)
        if published.status_code != 201:
            raise SystemExit(f"publish refused: {published.status_code} {published.text[:500]}")
        key = await api.get(f"/api/v1/bots/{bot_id}/chat-key", headers=auth)
        key.raise_for_status()
        return auth, key.json()["key"]


# --- voice turns ------------------------------------------------------------------------------

@dataclass
class Phase:
    name: str
    answers: list[float] = field(default_factory=list)  # frame sent -> `input` frame
    echoes: list[float] = field(default_factory=list)   # frame sent -> the transcript's echo
    correct: int = 0
    heard: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cpu: float = 0.0
    wall: float = 0.0
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    notes: list[str] = field(default_factory=list)


class Refused(Exception):
    """The server would not hold a conversation (the reason is the message)."""


async def open_conversation(port: int, key: str):  # type: ignore[no-untyped-def]
    from websockets.asyncio.client import connect

    ws = await connect(f"ws://127.0.0.1:{port}/ws/v1/chat?key={key}", open_timeout=30,
                       close_timeout=5, max_size=4 * 1024 * 1024)
    try:
        await ws.send(json.dumps({"type": "hello", "v": 1, "language": "en"}))
        welcome = None
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if frame["type"] == "welcome":
                welcome = frame
            elif frame["type"] == "error":
                raise Refused(f"the chat socket refused the hello: {frame}")
            elif frame["type"] == "input":
                break
        if not welcome or not welcome.get("bot", {}).get("voice"):
            raise Refused(f"the server does not offer voice messages: welcome {welcome}")
    except BaseException:
        await close_quietly(ws)
        raise
    return ws


async def close_quietly(ws) -> None:  # type: ignore[no-untyped-def]
    try:
        await asyncio.wait_for(ws.close(), 10)
    except Exception:  # noqa: BLE001  (a server that froze does not answer the close)
        pass


async def voice_turn(ws, audio: bytes, client_message_id: str,  # type: ignore[no-untyped-def]
                     phase: Phase) -> tuple[bool, float | None]:
    """One turn, its figures added to `phase`: (whether the turn ended, its answer time)."""
    from websockets.exceptions import ConnectionClosed

    header = {"type": "voice", "client_message_id": client_message_id,
              "mime_type": "audio/webm;codecs=opus"}
    frame = json.dumps(header).encode() + b"\n" + audio
    started = time.perf_counter()
    deadline = started + TURN_TIMEOUT
    echo: str | None = None
    echoed = False
    try:
        await ws.send(frame)
        while True:
            left = deadline - time.perf_counter()
            reply = json.loads(await asyncio.wait_for(ws.recv(), max(left, 0.01)))
            kind = reply.get("type")
            if kind == "error":
                phase.errors.append(f"{client_message_id}: error frame {reply}")
                return True, None
            if kind == "message" and reply.get("direction") == "in":
                echo = (reply.get("message") or {}).get("text")
                echoed = True
                phase.echoes.append(time.perf_counter() - started)
            elif kind == "input":
                answered = time.perf_counter() - started
                phase.answers.append(answered)
                break
    except TimeoutError:
        phase.errors.append(f"{client_message_id}: no `input` frame in {TURN_TIMEOUT:.0f} s "
                            f"(the echo {'came' if echoed else 'never came'})")
        return False, None
    except ConnectionClosed as exc:
        phase.errors.append(f"{client_message_id}: the socket closed after "
                            f"{time.perf_counter() - started:.0f} s: {exc}")
        return False, None
    if not echoed:
        phase.errors.append(f"{client_message_id}: the turn ended without the echoed message")
        return True, answered
    phase.heard.append(echo or "")
    if echo and EXPECTED in echo.lower():
        phase.correct += 1
    return True, answered


async def live_turns(port: int, key: str, audios: list[bytes], phase: Phase, tag: str) -> None:
    try:
        ws = await open_conversation(port, key)
    except Refused as exc:
        phase.errors.append(str(exc))
        return
    except Exception as exc:  # noqa: BLE001  (a server that stopped answering)
        phase.errors.append(f"could not open a conversation: {exc!r}")
        return
    try:
        for n, audio in enumerate(audios):
            ended, answered = await voice_turn(ws, audio, f"{tag}-{n}", phase)
            shown = f"{answered:.2f} s" if answered is not None else "failed"
            print(f"  {phase.name} turn {n + 1}/{len(audios)}: {shown}", flush=True)
            if not ended:  # the conversation is still in that turn: the rest would queue
                phase.notes.append(f"stopped after turn {n + 1} of {len(audios)}: it never "
                                   "ended")
                break
    finally:
        await close_quietly(ws)


async def answers_health(base: str) -> bool:
    import httpx

    try:
        async with httpx.AsyncClient(base_url=base, timeout=5) as api:
            return (await api.get("/healthz")).status_code == 200
    except httpx.HTTPError:
        return False


# --- bulk uploads -----------------------------------------------------------------------------

async def upload_all(base: str, auth: dict[str, str], audios: list[bytes]) -> tuple[list[str],
                                                                                     list[str]]:
    """Every recording uploaded at once: the ids accepted, and the refusals."""
    import httpx

    headers = {**auth, "Content-Type": "audio/ogg"}
    async with httpx.AsyncClient(base_url=base, timeout=120,
                                 limits=httpx.Limits(max_connections=len(audios) or 1)) as api:
        answers = await asyncio.gather(*(
            api.post("/api/v1/transcriptions?language=en-US", content=audio, headers=headers)
            for audio in audios), return_exceptions=True)
    ids, refused = [], []
    for answer in answers:
        if isinstance(answer, Exception):
            refused.append(repr(answer))
        elif answer.status_code != 202:
            refused.append(f"{answer.status_code} {answer.text[:300]}")
        else:
            ids.append(answer.json()["id"])
    return ids, refused


async def bulk_state(base: str, auth: dict[str, str],
                     ids: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """How many of the uploads are queued, running, done, failed (from the API), and the
    failures' reasons with their counts."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=60) as api:
        rows = (await api.get("/api/v1/transcriptions", params={"limit": 200},
                              headers=auth)).json()
        by_id = {r["id"]: r for r in rows}
        for missing in [i for i in ids if i not in by_id]:  # past the list's 200
            by_id[missing] = (await api.get(f"/api/v1/transcriptions/{missing}",
                                            headers=auth)).json()
    counts: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for i in ids:
        row = by_id[i]
        counts[row["status"]] = counts.get(row["status"], 0) + 1
        if row["status"] == "failed":
            reason = f"{row.get('error_code')}: {(row.get('error') or '')[:300]}"
            reasons[reason] = reasons.get(reason, 0) + 1
    return counts, reasons


async def metrics(base: str) -> dict[str, float]:
    import httpx

    wanted = {'rozmova_stt_waiting{priority="bulk"}': "bulk waiting for a worker",
              'rozmova_stt_waiting{priority="live"}': "live waiting for a worker",
              'rozmova_stt_jobs_total{outcome="ok",priority="bulk"}': "bulk jobs ok",
              'rozmova_stt_jobs_total{outcome="ok",priority="live"}': "live jobs ok"}
    async with httpx.AsyncClient(base_url=base, timeout=30) as api:
        text = (await api.get("/metrics")).text
    found: dict[str, float] = {}
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if name in wanted:
            found[wanted[name]] = float(value)
    return found


# --- the run ----------------------------------------------------------------------------------

async def measure(port: int, pid: int, args: argparse.Namespace, lives: list[bytes],
                  bulks: list[bytes]) -> tuple[list[Phase], float]:
    base = f"http://127.0.0.1:{port}"
    auth, key = await setup(base)

    warm = Phase("warm-up")
    began = time.perf_counter()
    await live_turns(port, key, lives[:1], warm, "warm")
    warm_seconds = time.perf_counter() - began
    if warm.errors:
        raise SystemExit(f"the warm-up voice turn failed: {warm.errors[0]}")
    print(f"  warm-up turn (loads the model): {warm_seconds:.2f} s, heard {warm.heard}",
          flush=True)

    idle = Phase("idle")
    cpu, began = server_cpu(pid), time.perf_counter()
    await live_turns(port, key, lives[1:1 + args.live], idle, "idle")
    idle.cpu, idle.wall = server_cpu(pid) - cpu, time.perf_counter() - began
    idle.load = os.getloadavg()

    flooded = Phase("flooded")
    cpu, began = server_cpu(pid), time.perf_counter()
    ids, refused = await upload_all(base, auth, bulks)
    uploaded = time.perf_counter() - began
    flooded.errors += [f"upload refused: {r}" for r in refused]
    print(f"  uploads: {len(ids)} accepted, {len(refused)} refused, in {uploaded:.1f} s",
          flush=True)
    await live_turns(port, key, lives[1 + args.live:], flooded, "flood")
    flooded.cpu, flooded.wall = server_cpu(pid) - cpu, time.perf_counter() - began
    flooded.load = os.getloadavg()
    for phase in (idle, flooded):
        if phase.errors and not await answers_health(base):
            phase.notes.append("the server no longer answers GET /healthz (within 5 s): it "
                               "froze")
    try:
        state, reasons = await asyncio.wait_for(bulk_state(base, auth, ids), 30)
        gauges = await asyncio.wait_for(metrics(base), 30)
    except Exception as exc:  # noqa: BLE001  (a frozen server: said so above)
        flooded.notes.append(f"the uploads' state could not be read: {exc!r}")
        state, reasons, gauges = {}, {}, {}
    flooded.notes.append(
        f"{len(ids)} of {len(bulks)} uploads of {args.bulk_seconds:.0f} s accepted in "
        f"{uploaded:.1f} s; at the phase's end ({flooded.wall:.0f} s after the first upload): "
        + (", ".join(f"{v} {k}" for k, v in sorted(state.items())) or "unknown"))
    flooded.notes += [f"{n} uploads failed with {reason}" for reason, n in reasons.items()]
    if gauges:
        flooded.notes.append("/metrics: " + ", ".join(f"{k} {v:.0f}" for k, v in gauges.items()))
    return [idle, flooded], warm_seconds


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = q * (len(ordered) - 1)  # linear between the nearest ranks
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def report(phases: list[Phase], args: argparse.Namespace, mode: str, live_seconds: float,
           load_before: tuple[float, float, float]) -> None:
    print(f"\nvoice turns over the chat socket, {mode}; live recording {live_seconds:.1f} s "
          f"of speech (WebM/Opus); Whisper tiny.en, 1 live + 1 bulk worker; "
          f"{os.cpu_count()} cores, server not pinned")
    print("answer = the binary frame sent -> the turn's `input` frame; transcript = -> the "
          "echoed message with what was heard")
    print(f"{'phase':8} {'n':>3} {'answer p50':>10} {'p95':>7} {'max':>7} {'transcript p50':>15}"
          f" {'correct':>8} {'errors':>6} {'server CPU':>11} {'wall':>6} {'load 1/5/15':>16}")
    for p in phases:
        n = len(p.answers)
        if n:
            figures = (f"{quantile(p.answers, .5):9.2f}s {quantile(p.answers, .95):6.2f}s "
                       f"{max(p.answers):6.2f}s "
                       f"{quantile(p.echoes, .5) if p.echoes else float('nan'):14.2f}s")
        else:
            figures = f"{'-':>10} {'-':>7} {'-':>7} {'-':>15}"
        load = "/".join(f"{x:.2f}" for x in p.load)
        print(f"{p.name:8} {n:3d} {figures} {p.correct:4d}/{len(p.heard):<3d} "
              f"{len(p.errors):6d} {p.cpu:10.1f}s {p.wall:5.0f}s {load:>16}")
    for p in phases:
        for note in p.notes:
            print(f"  {p.name}: {note}")
        wrong = sorted({h for h in p.heard if EXPECTED not in h.lower()})
        if wrong:
            print(f"  {p.name}: heard without '{EXPECTED}': {wrong[:5]}")
        grouped: dict[str, int] = {}
        for error in p.errors:
            grouped[error] = grouped.get(error, 0) + 1
        for error, count in list(grouped.items())[:6]:
            print(f"  {p.name} ERROR{f' (x{count})' if count > 1 else ''}: {error}")
    print(f"  load average before the run: {'/'.join(f'{x:.2f}' for x in load_before)} "
          "(other work on the machine shows here)")
    # What else the server was given that changes these figures (the environment passes on).
    shaping = [f"{k}={shlex.quote(v)}" for k, v in sorted(os.environ.items())
               if k in THREAD_VARIABLES or k.startswith("ROZMOVA_STT_")]
    print("reproduce: " + " ".join([*shaping, ".venv/bin/python bench/voice_turns.py",
                                    shlex.join(sys.argv[1:])]).rstrip())


async def drop_postgres(database: str, prefix: str) -> None:
    from hot_path import _drop_database
    from redis.asyncio import Redis

    await _drop_database(database)
    redis = Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        keys = [k async for k in redis.scan_iter(match=prefix + "*", count=500)]
        for start in range(0, len(keys), 500):
            await redis.delete(*keys[start:start + 500])
    finally:
        await redis.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bulk", type=int, default=50, help="uploads queued at once")
    parser.add_argument("--live", type=int, default=10, help="voice turns per phase")
    parser.add_argument("--bulk-seconds", type=float, default=30,
                        help="length of each upload's speech")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    if args.live < 1 or args.bulk < 0 or args.bulk_seconds <= 0:
        parser.error("--live must be at least 1, --bulk at least 0, --bulk-seconds above 0")
    load_before = os.getloadavg()

    began = time.perf_counter()
    lives, bulks, live_seconds = recordings(1 + 2 * args.live, args.bulk, args.bulk_seconds)
    print(f"  recordings made in {time.perf_counter() - began:.0f} s: {len(lives)} live of "
          f"{live_seconds:.1f} s ({statistics.mean(map(len, lives)) / 1024:.0f} KiB), "
          f"{len(bulks)} uploads of {args.bulk_seconds:.0f} s "
          f"({statistics.mean(map(len, bulks)) / 1024 if bulks else 0:.0f} KiB each)", flush=True)

    tag = uuid.uuid4().hex[:8]
    data = Path(tempfile.mkdtemp(prefix="rozmova-voice-bench-"))
    env = {**os.environ, "ROZMOVA_DATA_DIR": str(data), "ROZMOVA_LOG_LEVEL": "WARNING",
           "ROZMOVA_LOG_JSON": "true", "ROZMOVA_ADMIN_PASSWORD": PASSWORD,
           "ROZMOVA_DEMO_BOT": "false", "ROZMOVA_DATABASE_URL": "", "ROZMOVA_REDIS_URL": ""}
    database, prefix = f"rozmova_bench_voice_{tag}", f"rozmova-voice-{tag}:"
    mode = "SQLite, in-process queue"
    if args.backend == "postgres":
        env["ROZMOVA_DATABASE_URL"] = asyncio.run(prepare_database(database))
        env["ROZMOVA_REDIS_URL"] = "redis://127.0.0.1:6379/15"
        env["ROZMOVA_REDIS_PREFIX"] = prefix
        mode = "PostgreSQL + Redis (uploads through the Redis stream)"
    port = free_port()
    log = data / "server.log"
    server: subprocess.Popen[bytes] | None = None
    failed = False
    try:
        migrated = subprocess.run([sys.executable, "-m", "gateway.cli", "migrate"], env=env,
                                  cwd=ROOT, capture_output=True, text=True)
        if migrated.returncode:
            raise SystemExit(f"migrate failed:\n{migrated.stdout[-2000:]}{migrated.stderr[-2000:]}")
        with log.open("wb") as out:
            server = subprocess.Popen([sys.executable, "-m", "gateway.cli", "serve", "--port",
                                       str(port)], env=env, cwd=ROOT, stdout=out,
                                      stderr=subprocess.STDOUT)
        try:
            wait_ready(port, "/readyz")
        except SystemExit:
            raise SystemExit("the server did not start; its log:\n"
                             + log.read_text(errors="replace")[-3000:]) from None
        print(f"  server on port {port} ({mode})", flush=True)
        phases, _ = asyncio.run(measure(port, server.pid, args, lives, bulks))
        report(phases, args, mode, live_seconds, load_before)
        failed = any(p.errors for p in phases)
        if failed:
            print("  the server's log ends with:\n    " + "\n    ".join(
                line[:400] for line in log.read_text(errors="replace").splitlines()[-8:]))
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:  # (the bulk worker finishes its current piece first)
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print("  the server did not stop within 30 s of SIGTERM: killed")
                server.kill()
                server.wait()
        if args.backend == "postgres":
            asyncio.run(drop_postgres(database, prefix))
        shutil.rmtree(data, ignore_errors=True)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
