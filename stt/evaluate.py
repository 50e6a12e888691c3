"""Word error rate of an engine on a set of recordings with reference transcripts.

A data set is a directory with `transcripts.tsv` (tab-separated, a header row; the columns
`file`, `lang` and `transcript` are used, others are ignored) and the audio files it names,
relative to the directory. Each file is decoded to 16 kHz mono with PyAV (faster_whisper's
`decode_audio`: any format ffmpeg reads), given to the engine as s16le PCM, and its transcript
compared with the reference (`stt.wer`). The overall WER is corpus-level: all errors over all
reference words, so long files weigh more than short ones.

`evaluate` returns a JSON-ready dict; `format_report` turns it into a table. The real-time
factor is processing time over audio time (below 1 is faster than real time); the model's
loading is timed apart, not counted in it."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from stt.engines import SAMPLE_RATE, Engine, float_to_pcm, language_code
from stt.wer import wer

TRANSCRIPTS = "transcripts.tsv"
REQUIRED_COLUMNS = ("file", "lang", "transcript")
NUMBERS_NOTE = ("single spoken digits count as digits (\"one oh two\" = \"1 0 2\"); larger "
                "numbers are compared as written (\"twenty one\" / \"21\" is an error)")


class DatasetError(ValueError):
    """The data set cannot be read: the message says which file and why."""


def read_transcripts(dataset_dir: Path, language: str | None = None) -> list[dict[str, str]]:
    """The rows of `transcripts.tsv` (all, or those whose `lang` starts like `language`)."""
    table = Path(dataset_dir) / TRANSCRIPTS
    if not table.is_file():
        raise DatasetError(f"{table} is missing (a tab-separated table with the columns "
                           f"{', '.join(REQUIRED_COLUMNS)})")
    with table.open(encoding="utf-8", newline="") as lines:
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [column for column in REQUIRED_COLUMNS
                   if column not in (reader.fieldnames or ())]
        if missing:
            raise DatasetError(f"{table} lacks the column(s) {', '.join(missing)}")
        rows = [row for row in reader if (row.get("file") or "").strip()]
    code = language_code(language)
    if code is not None:
        rows = [row for row in rows if language_code(row["lang"]) == code]
    return rows


def _decode(path: Path) -> bytes:
    from faster_whisper import decode_audio

    try:
        return float_to_pcm(decode_audio(str(path), sampling_rate=SAMPLE_RATE))
    except Exception as error:  # noqa: BLE001 - PyAV raises its own errors
        raise DatasetError(f"cannot decode {path}: {error}") from error


def evaluate(dataset_dir: Path, language: str | None = None,
             engine: Engine | None = None) -> dict[str, Any]:
    """Transcribe every file of the data set (or those in `language`) and measure the WER.

    Returns {"dataset", "language", "engine", "load_seconds", "files": [per file], "overall"}
    where each file is {file, lang, reference, hypothesis, wer, substitutions, deletions,
    insertions, reference_words, confidence, seconds_audio, seconds_taken} and overall is
    {wer, files, audio_seconds, seconds_taken, real_time_factor, substitutions, deletions,
    insertions, reference_words}. Raises DatasetError when the table or a file cannot be read
    or no row matches, and the engine's EngineError when it cannot transcribe."""
    dataset_dir = Path(dataset_dir)
    if dataset_dir.is_file():  # the table itself was given
        dataset_dir = dataset_dir.parent
    rows = read_transcripts(dataset_dir, language)
    if not rows:
        raise DatasetError(f"{dataset_dir / TRANSCRIPTS} has no rows"
                           + (f" in language {language!r}" if language else ""))
    if engine is None:
        from stt.engines import WhisperEngine

        engine = WhisperEngine()
    started = time.perf_counter()
    load = getattr(engine, "load", None)
    if callable(load):  # load the model ahead, so that the first file's time is its own
        load()
    load_seconds = time.perf_counter() - started

    files: list[dict[str, Any]] = []
    for row in rows:
        path = dataset_dir / row["file"]
        if not path.is_file():
            raise DatasetError(f"{path} is missing (named in {dataset_dir / TRANSCRIPTS})")
        pcm = _decode(path)
        started = time.perf_counter()
        transcript = engine.transcribe(pcm, row["lang"] or None)
        taken = time.perf_counter() - started
        rate, substitutions, deletions, insertions, words = wer(row["transcript"],
                                                                transcript.text)
        files.append({
            "file": row["file"], "lang": row["lang"], "reference": row["transcript"],
            "hypothesis": transcript.text, "wer": rate, "substitutions": substitutions,
            "deletions": deletions, "insertions": insertions, "reference_words": words,
            "confidence": transcript.confidence, "seconds_audio": len(pcm) / 2 / SAMPLE_RATE,
            "seconds_taken": taken,
        })

    totals = {key: sum(item[key] for item in files)
              for key in ("substitutions", "deletions", "insertions", "reference_words")}
    errors = totals["substitutions"] + totals["deletions"] + totals["insertions"]
    audio_seconds = sum(item["seconds_audio"] for item in files)
    seconds_taken = sum(item["seconds_taken"] for item in files)
    return {
        "dataset": str(dataset_dir),
        "language": language_code(language),
        "engine": getattr(engine, "name", type(engine).__name__),
        "load_seconds": load_seconds,
        "files": files,
        "overall": {
            "wer": (errors / totals["reference_words"] if totals["reference_words"]
                    else (1.0 if errors else 0.0)),
            "files": len(files),
            "audio_seconds": audio_seconds,
            "seconds_taken": seconds_taken,
            "real_time_factor": seconds_taken / audio_seconds if audio_seconds else 0.0,
            **totals,
        },
        "note": NUMBERS_NOTE,
    }


def format_report(result: dict[str, Any]) -> str:
    """A readable table of `evaluate`'s result: one line per file, the references and
    hypotheses under it, then the overall figures."""
    header = ("file", "WER", "S", "D", "I", "N", "audio s", "taken s", "RTF")
    rows = [(item["file"], f"{item['wer']:.3f}", str(item["substitutions"]),
             str(item["deletions"]), str(item["insertions"]), str(item["reference_words"]),
             f"{item['seconds_audio']:.2f}", f"{item['seconds_taken']:.2f}",
             f"{item['seconds_taken'] / item['seconds_audio']:.3f}"
             if item["seconds_audio"] else "-")
            for item in result["files"]]
    overall = result["overall"]
    rows.append(("overall", f"{overall['wer']:.3f}", str(overall["substitutions"]),
                 str(overall["deletions"]), str(overall["insertions"]),
                 str(overall["reference_words"]), f"{overall['audio_seconds']:.2f}",
                 f"{overall['seconds_taken']:.2f}", f"{overall['real_time_factor']:.3f}"))
    widths = [max(len(row[column]) for row in (header, *rows)) for column in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                         for column, (cell, width) in enumerate(zip(cells, widths)))

    rule = "  ".join("-" * width for width in widths)
    language = f", language {result['language']}" if result.get("language") else ""
    out = [f"Engine {result['engine']} on {result['dataset']}{language}: "
           f"{overall['files']} file(s), {overall['audio_seconds']:.1f} s of audio "
           f"(model loaded in {result.get('load_seconds', 0.0):.2f} s)", "",
           line(header), rule, *map(line, rows[:-1]), rule, line(rows[-1]), ""]
    for item in result["files"]:
        out += [f"{item['file']}:", f"  reference:  {item['reference']}",
                f"  hypothesis: {item['hypothesis']}"]
    out += ["", "WER = (S + D + I) / N over normalised words (case and punctuation ignored); "
            "overall = all errors / all reference words.",
            f"Note: {result.get('note', NUMBERS_NOTE)}."]
    return "\n".join(out)
