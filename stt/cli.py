"""`rozmova stt`: measure the offline engine's word error rate on a set of recordings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


@app.command()
def evaluate(
    dataset: Annotated[Path, typer.Argument(
        help="Folder with transcripts.tsv (file, lang, transcript, ...) and the recordings "
        "it names, e.g. ../shared/data/audio.", show_default=False)],
    lang: Annotated[str | None, typer.Option(help="Only this language's recordings.")] = None,
    model: Annotated[str | None, typer.Option(
        help="A Whisper model directory (CTranslate2 format); default: the engine's own "
        "(ROZMOVA_STT_WHISPER_MODEL, else the small English model).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON only.")]
    = False,
) -> None:
    """Transcribe every recording of a data set with the offline engine and report the word
    error rate, per file and over the set, and the speed (real-time factor)."""
    from core.config import get_settings
    from stt.engines import WhisperEngine
    from stt.evaluate import evaluate as run, format_report

    if not (dataset / "transcripts.tsv").is_file():
        typer.echo(f"error: {dataset} has no transcripts.tsv", err=True)
        raise typer.Exit(2)
    engine = WhisperEngine(model or get_settings().stt_whisper_model or None)
    result = run(dataset, lang, engine)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(format_report(result))
